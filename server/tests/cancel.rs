//! POST /v1/charges/{id}/cancel end to end on SQLite, and on PostgreSQL when
//! `INFLOW_TEST_POSTGRES` is set: half-way through a monthly period the budget gets back the
//! prorated half, a second cancel credits nothing more, a wrong claimed credit changes
//! nothing, a cancelled trial credits nothing, and a card purchase is refunded its credit
//! through the processor (a failed refund leaves the charge active).

mod common;

use std::path::PathBuf;
use std::str::FromStr;
use std::sync::Arc;

use common::records::{prepared, token};
use inflow::checkout::{ChargeKind, ChargeRecord};
use inflow_server::card::TestProcessor;
use inflow_server::clock::Clock;
use rust_decimal::Decimal;
use serde_json::{json, Value};
use sqlx::Row;

fn d(s: &str) -> Decimal {
    Decimal::from_str(s).unwrap()
}

struct Fixture {
    db: &'static str,
    url: String,
    _dir: tempfile::TempDir,
    manifests: PathBuf,
    server: common::Server,
    clock: Clock,
    card: Arc<TestProcessor>,
    client: reqwest::Client,
}

/// One running server per database, with its own movable clock and test card processor.
async fn fixtures() -> Vec<Fixture> {
    let kinds = if common::postgres_admin().is_some() {
        2
    } else {
        1
    };
    let mut all = Vec::new();
    for i in 0..kinds {
        let dir = tempfile::tempdir().unwrap();
        let url = common::database(i, dir.path()).await;
        let mut config = common::config(dir.path());
        config.database = url.clone();
        let card = Arc::new(TestProcessor::new());
        config.card = Some(card.clone());
        let server = common::start_with(&config).await;
        all.push(Fixture {
            db: common::label(&url),
            url,
            manifests: config.manifests.clone(),
            _dir: dir,
            server,
            clock: config.clock.clone(),
            card,
            client: reqwest::Client::new(),
        });
    }
    all
}

impl Fixture {
    async fn buy(&self, r: &ChargeRecord, card: Option<&str>) -> Value {
        let body = match card {
            Some(c) => json!({"record": r, "payment_token": c}),
            None => serde_json::to_value(r).unwrap(),
        };
        let resp = self
            .client
            .post(self.server.url("/v1/charges"))
            .bearer_auth(token(&r.user, &self.manifests))
            .json(&body)
            .send()
            .await
            .unwrap();
        assert_eq!(resp.status(), 201, "{}", self.db);
        resp.json().await.unwrap()
    }

    async fn cancel(&self, who: &str, id: &str, body: Option<Value>) -> (u16, Value) {
        let mut req = self
            .client
            .post(self.server.url(&format!("/v1/charges/{id}/cancel")))
            .bearer_auth(token(who, &self.manifests));
        if let Some(b) = body {
            req = req.json(&b);
        }
        let r = req.send().await.unwrap();
        (r.status().as_u16(), r.json().await.unwrap())
    }

    /// What `source` has spent so far (the source's total over every period).
    async fn spent(&self, source: &str) -> Decimal {
        sqlx::any::install_default_drivers();
        let pool = sqlx::AnyPool::connect(&self.url).await.unwrap();
        let rows = sqlx::query("SELECT spent FROM budget_spend WHERE source = $1 AND user_id = ''")
            .bind(source)
            .fetch_all(&pool)
            .await
            .unwrap();
        pool.close().await;
        rows.iter().map(|r| d(&r.get::<String, _>(0))).sum()
    }

    async fn grants(&self, user: &str) -> Vec<Value> {
        let v: Value = self
            .client
            .get(self.server.url("/v1/me/entitlements"))
            .bearer_auth(token(user, &self.manifests))
            .send()
            .await
            .unwrap()
            .json()
            .await
            .unwrap();
        v["grants"].as_array().unwrap().clone()
    }
}

fn code(v: &Value) -> &str {
    v["error"]["code"].as_str().unwrap_or("")
}

#[tokio::test]
async fn half_way_through_the_month_the_budget_gets_half_back_once() {
    for f in fixtures().await {
        let r = prepared(
            "charge-cancel-1",
            "u-rep-01",
            "advanced-reports",
            ChargeKind::Purchase,
            None,
            &f.manifests,
        );
        // The catalog's 12.00 per user a month, less the contract's 10%.
        assert_eq!(r.total, d("10.80"), "{}", f.db);
        let bought = f.buy(&r, None).await;
        assert_eq!(bought["source"], "sales-ops", "{}", f.db);
        assert_eq!(f.spent("sales-ops").await, d("10.80"), "{}", f.db);
        assert_eq!(f.grants("u-rep-01").await.len(), 1, "{}", f.db);

        let days = r.period.days();
        f.clock.advance_days(days / 2);
        let unused = days - days / 2;
        // 10.80 × unused ÷ days, to the cent: 5.40 for a 30-day month, 5.57 for 31.
        let expected = (d("10.80") * Decimal::from(unused) / Decimal::from(days)).round_dp(2);
        assert!(expected > d("5.00") && expected < d("6.00"), "{expected}");

        // A cancel claiming the full total is refused and changes nothing.
        let (s, e) = f
            .cancel("u-rep-01", &r.id, Some(json!({"credit": "10.80"})))
            .await;
        assert_eq!((s, code(&e)), (422, "credit_mismatch"), "{}: {e}", f.db);
        assert_eq!(f.spent("sales-ops").await, d("10.80"), "{}", f.db);
        assert_eq!(f.grants("u-rep-01").await.len(), 1, "{}", f.db);

        // Someone else may not cancel it.
        let (s, e) = f.cancel("u-rep-02", &r.id, None).await;
        assert_eq!((s, code(&e)), (403, "not_allowed"), "{}: {e}", f.db);

        let (s, first) = f
            .cancel(
                "u-rep-01",
                &r.id,
                Some(json!({"credit": expected.to_string()})),
            )
            .await;
        assert_eq!(s, 200, "{}: {first}", f.db);
        assert_eq!(first["status"], "cancelled");
        assert_eq!(d(first["credit"].as_str().unwrap()), expected, "{}", f.db);
        assert_eq!(first["unused_days"], unused);
        assert_eq!(first["period_days"], days);
        assert_eq!(first["unused"]["end"], json!(r.period.end));
        assert_eq!(
            first["cancelled_on"],
            json!(r.period.start.plus_days(days / 2))
        );
        assert!(first.get("refund").is_none());
        assert_eq!(
            f.spent("sales-ops").await,
            d("10.80") - expected,
            "{}",
            f.db
        );
        assert!(f.grants("u-rep-01").await.is_empty(), "{}", f.db);

        // Again, even by the department's admin: the first receipt, nothing more credited.
        let (s, again) = f.cancel("u-salesops-admin", &r.id, None).await;
        assert_eq!((s, &again), (200, &first), "{}", f.db);
        assert_eq!(
            f.spent("sales-ops").await,
            d("10.80") - expected,
            "{}",
            f.db
        );
        f.server.stop().await;
    }
}

#[tokio::test]
async fn a_cancelled_trial_credits_nothing_and_ends_the_trial() {
    for f in fixtures().await {
        let r = prepared(
            "charge-cancel-trial",
            "u-rep-01",
            "pipeline-forecasting",
            ChargeKind::Trial,
            None,
            &f.manifests,
        );
        let bought = f.buy(&r, None).await;
        assert_eq!(bought["route"], "trial", "{}", f.db);
        assert_eq!(f.grants("u-rep-01").await.len(), 1, "{}", f.db);
        f.clock.advance_days(2);
        let (s, e) = f
            .cancel("u-rep-01", &r.id, Some(json!({"credit": "1.00"})))
            .await;
        assert_eq!((s, code(&e)), (422, "credit_mismatch"), "{}: {e}", f.db);
        let (s, v) = f.cancel("u-rep-01", &r.id, None).await;
        assert_eq!(s, 200, "{}: {v}", f.db);
        assert_eq!(d(v["credit"].as_str().unwrap()), Decimal::ZERO);
        assert!(
            v["text"].as_str().unwrap().contains("nothing to credit"),
            "{v}"
        );
        assert!(f.grants("u-rep-01").await.is_empty(), "{}", f.db);
        f.server.stop().await;
    }
}

#[tokio::test]
async fn a_card_purchase_is_refunded_its_credit_or_stays_active() {
    for f in fixtures().await {
        let r = prepared(
            "charge-cancel-card",
            "u-mkt-02",
            "ai-email-assistant",
            ChargeKind::Purchase,
            None,
            &f.manifests,
        );
        let bought = f.buy(&r, Some("4242 4242 4242 4242")).await;
        assert_eq!(bought["route"], "card", "{}", f.db);
        let payment = bought["card"]["reference"].as_str().unwrap().to_string();
        let days = r.period.days();
        f.clock.advance_days(days / 2);
        let expected = (r.total * Decimal::from(days - days / 2) / Decimal::from(days)).round_dp(2);

        // The processor is down: nothing changes, and the answer says what to do.
        f.card.refuse_refunds(true);
        let (s, e) = f.cancel("u-mkt-02", &r.id, None).await;
        assert_eq!((s, code(&e)), (503, "refund_failed"), "{}: {e}", f.db);
        let message = e["error"]["message"].as_str().unwrap();
        assert!(
            message.contains("still active") && message.contains("cancel again"),
            "{message}"
        );
        assert!(f.card.refunds().is_empty());
        assert_eq!(f.grants("u-mkt-02").await.len(), 1, "{}", f.db);

        f.card.refuse_refunds(false);
        let (s, v) = f.cancel("u-mkt-02", &r.id, None).await;
        assert_eq!(s, 200, "{}: {v}", f.db);
        assert_eq!(d(v["credit"].as_str().unwrap()), expected, "{}", f.db);
        assert_eq!(v["refund"]["payment"], payment.as_str());
        assert_eq!(d(v["refund"]["amount"].as_str().unwrap()), expected);
        let refunds = f.card.refunds();
        let made = &refunds[&r.id];
        assert_eq!((made.amount, made.currency.as_str()), (expected, "USD"));
        assert_eq!(made.payment, payment);
        assert!(f.grants("u-mkt-02").await.is_empty(), "{}", f.db);
        let (s, again) = f.cancel("u-mkt-02", &r.id, None).await;
        assert_eq!((s, &again), (200, &v), "{}", f.db);
        assert_eq!(f.card.refunds().len(), 1);
        f.server.stop().await;
    }
}
