//! POST /v1/charges end to end on SQLite, and on PostgreSQL when `INFLOW_TEST_POSTGRES` is
//! set: recording, idempotency, tampering refused with the
//! right code and nothing recorded, concurrent purchases against a budget, a replay.

mod common;

use std::path::Path;
use std::str::FromStr;

use common::records::{prepared, token, SECRET};
use inflow::checkout::{ChargeKind, ChargeRecord, Motion};
use inflow::{Currency, Period};
use inflow_server::auth::{self, Claims};
use inflow_server::{clock, state};
use rust_decimal::Decimal;
use serde_json::Value;

/// A purchase of one of `module` as the browser engine would make it.
fn record(id: &str, user: &str, module: &str, manifests: &Path) -> ChargeRecord {
    prepared(id, user, module, ChargeKind::Purchase, None, manifests)
}

/// A purchase of `qty` of `module` as the browser engine would make it.
fn record_q(id: &str, user: &str, module: &str, qty: Decimal, manifests: &Path) -> ChargeRecord {
    prepared(id, user, module, ChargeKind::Purchase, Some(qty), manifests)
}

/// How many generated buyers the budget fixtures add (one purchase of a module each).
const BUYERS: usize = 1000;

/// The demo manifests with the Sales Ops budget's limit set to `limit`, auto-approval up
/// to it, no per-user cap and [`BUYERS`] generated sales reps, written under `dir`.
fn budget_fixture(dir: &Path, limit: Decimal) -> std::path::PathBuf {
    let out = dir.join("fixture-manifests");
    inflow_server::bench::write_fixture(
        &common::demo_manifests(),
        &out,
        "sales-ops",
        limit,
        BUYERS,
    )
    .unwrap();
    out
}

struct Fixture {
    db: &'static str,
    _dir: tempfile::TempDir,
    manifests: std::path::PathBuf,
    server: common::Server,
    client: reqwest::Client,
}

/// One running server per database (SQLite, and PostgreSQL when configured).
async fn fixtures(limit: Option<Decimal>) -> Vec<Fixture> {
    let mut all = Vec::new();
    let kinds = if common::postgres_admin().is_some() {
        2
    } else {
        1
    };
    for i in 0..kinds {
        let dir = tempfile::tempdir().unwrap();
        let url = common::database(i, dir.path()).await;
        let mut config = common::config(dir.path());
        config.database = url;
        if let Some(limit) = limit {
            config.manifests = budget_fixture(dir.path(), limit);
        }
        let server = common::start_with(&config).await;
        all.push(Fixture {
            db: common::label(&config.database),
            manifests: config.manifests.clone(),
            _dir: dir,
            server,
            client: reqwest::Client::new(),
        });
    }
    all
}

impl Fixture {
    async fn post(&self, token: &str, body: &impl serde::Serialize) -> (u16, Value) {
        let r = self
            .client
            .post(self.server.url("/v1/charges"))
            .bearer_auth(token)
            .json(body)
            .send()
            .await
            .unwrap();
        (r.status().as_u16(), r.json().await.unwrap())
    }

    /// The recorded history of a department, through the admin export.
    async fn history(&self, admin: &str) -> Vec<Value> {
        let t = token(admin, &self.manifests);
        let r = self
            .client
            .get(self.server.url("/v1/charges.json"))
            .bearer_auth(t)
            .send()
            .await
            .unwrap();
        assert_eq!(r.status(), 200);
        let v: Value = r.json().await.unwrap();
        v["charges"].as_array().unwrap().clone()
    }
}

fn code(v: &Value) -> &str {
    v["error"]["code"].as_str().unwrap_or("")
}

#[tokio::test]
async fn a_purchase_is_recorded_once_and_replayed_with_its_first_receipt() {
    for f in fixtures(None).await {
        let t = token("u-rep-01", &f.manifests);
        let r = record("charge-0001", "u-rep-01", "advanced-reports", &f.manifests);
        let (s, first) = f.post(&t, &r).await;
        assert_eq!(s, 201, "{}: {first}", f.db);
        assert_eq!(first["status"], "recorded");
        assert_eq!(first["route"], "auto_approved");
        assert_eq!(first["grant"]["module"], "advanced-reports");
        let (s, again) = f.post(&t, &r).await;
        assert_eq!((s, &again), (200, &first));
        let mut other = r.clone();
        other.quantity = Decimal::TWO;
        let (s, e) = f.post(&t, &other).await;
        assert_eq!(
            (s, code(&e)),
            (409, "idempotency_conflict"),
            "{}: {e}",
            f.db
        );
        let ents: Value = f
            .client
            .get(f.server.url("/v1/me/entitlements"))
            .bearer_auth(&t)
            .send()
            .await
            .unwrap()
            .json()
            .await
            .unwrap();
        assert_eq!(ents["grants"].as_array().unwrap().len(), 1);
        assert_eq!(f.history("u-salesops-admin").await.len(), 1);
        f.server.stop().await;
    }
}

#[tokio::test]
async fn a_page_that_guessed_expand_for_a_first_purchase_is_recorded_as_the_land_it_is() {
    for f in fixtures(None).await {
        let t = token("u-rep-01", &f.manifests);
        let mut r = record("charge-0002", "u-rep-01", "advanced-reports", &f.manifests);
        let land = r.attribution.clone();
        assert_eq!(land.motion, Motion::Land);
        // A page with a stale or local view of what the buyer owns.
        r.attribution.motion = Motion::Expand;
        r.attribution.owner = "csm-207".into();
        let (s, v) = f.post(&t, &r).await;
        assert_eq!(s, 201, "{}: {v}", f.db);
        let history = f.history("u-salesops-admin").await;
        let stored = &history[0]["record"]["attribution"];
        assert_eq!(stored["motion"], "land", "{}: {stored}", f.db);
        assert_eq!(stored["owner"], land.owner.as_str(), "{}", f.db);
        f.server.stop().await;
    }
}

#[tokio::test]
async fn tampering_is_refused_with_its_code_and_nothing_is_recorded() {
    for f in fixtures(None).await {
        let m = &f.manifests;
        let t = token("u-rep-01", m);
        let base = record("charge-tamper", "u-rep-01", "advanced-reports", m);

        let mut cheap = base.clone();
        cheap.total -= Decimal::ONE;
        cheap.lines[0].net_amount -= Decimal::ONE;
        // A module the sales community is not offered, claimed on its budget.
        let mut not_offered = base.clone();
        not_offered.module = "conversation-insights".into();
        let mut other_budget = base.clone();
        other_budget.funding.source = "marketing".into();
        let mut stale = base.clone();
        stale.manifests.catalog.digest = "0".repeat(64);
        let mut someone_else = base.clone();
        someone_else.user = "u-rep-02".into();

        for (rec, status, expected) in [
            (&cheap, 422, "price_mismatch"),
            (&not_offered, 403, "not_offered"),
            (&other_budget, 403, "funding_not_allowed"),
            (&stale, 409, "stale_manifest"),
            (&someone_else, 403, "not_yourself"),
        ] {
            let (s, e) = f.post(&t, rec).await;
            assert_eq!((s, code(&e)), (status, expected), "{}: {e}", f.db);
        }

        let forged = {
            let (p, _) = t.split_once('.').unwrap();
            let fake = auth::mint(
                b"not-the-secret",
                &Claims::for_user(
                    state::load_manifests(m)
                        .unwrap()
                        .2
                        .user("u-rep-01")
                        .unwrap(),
                    clock::now_secs() + 60,
                ),
            )
            .unwrap();
            let (_, sig) = fake.split_once('.').unwrap();
            format!("{p}.{sig}")
        };
        let (s, e) = f.post(&forged, &base).await;
        assert_eq!((s, code(&e)), (401, "forged_token"), "{}: {e}", f.db);
        let expired = {
            let (_, _, users) = state::load_manifests(m).unwrap();
            let c = Claims::for_user(users.user("u-rep-01").unwrap(), clock::now_secs() - 1);
            auth::mint(SECRET, &c).unwrap()
        };
        let (s, e) = f.post(&expired, &base).await;
        assert_eq!((s, code(&e)), (401, "token_expired"), "{}: {e}", f.db);

        assert!(f.history("u-salesops-admin").await.is_empty());
        let (s, ok) = f.post(&t, &base).await;
        assert_eq!(s, 201, "{}: {ok}", f.db);
        f.server.stop().await;
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn two_hundred_concurrent_purchases_fit_a_budget_of_exactly_37() {
    let demo = record(
        "probe-000",
        "u-rep-01",
        "advanced-reports",
        &common::demo_manifests(),
    );
    let price = demo.total;
    let limit = price * Decimal::from(37);
    for f in fixtures(Some(limit)).await {
        let mut tasks = Vec::new();
        for i in 0..200 {
            let buyer = inflow_server::bench::buyer(i);
            let t = token(&buyer, &f.manifests);
            let r = record(
                &format!("concurrent-{i:04}"),
                &buyer,
                "advanced-reports",
                &f.manifests,
            );
            let client = f.client.clone();
            let url = f.server.url("/v1/charges");
            let t = t.clone();
            tasks.push(tokio::spawn(async move {
                let resp = client
                    .post(url)
                    .bearer_auth(t)
                    .json(&r)
                    .send()
                    .await
                    .unwrap();
                let s = resp.status().as_u16();
                let v: Value = resp.json().await.unwrap();
                (s, v)
            }));
        }
        let mut recorded = 0;
        for task in tasks {
            let (s, v) = task.await.unwrap();
            match s {
                201 => recorded += 1,
                422 => assert_eq!(code(&v), "over_budget", "{v}"),
                _ => panic!("unexpected {s}: {v}"),
            }
        }
        assert_eq!(recorded, 37);
        let history = f.history("u-salesops-admin").await;
        assert_eq!(history.len(), 37);
        let spent: Decimal = history
            .iter()
            .map(|c| Decimal::from_str(c["total"].as_str().unwrap()).unwrap())
            .sum();
        assert!(spent <= limit, "{spent} > {limit}");
        assert_eq!(spent, limit);
        f.server.stop().await;
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn a_replay_of_a_thousand_records_records_each_once() {
    for f in fixtures(Some(Decimal::from(1_000_000))).await {
        let (_, _, users) = state::load_manifests(&f.manifests).unwrap();
        let records: Vec<(String, ChargeRecord)> = (0..1000)
            .map(|i| {
                let buyer = inflow_server::bench::buyer(i);
                let claims =
                    Claims::for_user(users.user(&buyer).unwrap(), clock::now_secs() + 3600);
                let r = record(
                    &format!("replay-{i:05}"),
                    &buyer,
                    "advanced-reports",
                    &f.manifests,
                );
                (auth::mint(SECRET, &claims).unwrap(), r)
            })
            .collect();
        for round in 0..2 {
            let mut tasks = Vec::new();
            for chunk in records.chunks(32) {
                let chunk = chunk.to_vec();
                let client = f.client.clone();
                let url = f.server.url("/v1/charges");
                tasks.push(tokio::spawn(async move {
                    let mut codes = Vec::new();
                    for (t, r) in chunk {
                        let resp = client
                            .post(&url)
                            .bearer_auth(&t)
                            .json(&r)
                            .send()
                            .await
                            .unwrap();
                        codes.push(resp.status().as_u16());
                    }
                    codes
                }));
            }
            for task in tasks {
                for s in task.await.unwrap() {
                    assert_eq!(s, if round == 0 { 201 } else { 200 });
                }
            }
        }
        assert_eq!(f.history("u-salesops-admin").await.len(), 1000);
        f.server.stop().await;
    }
}

#[tokio::test]
async fn above_the_threshold_the_charge_waits_for_its_approver_who_alone_decides() {
    for f in fixtures(None).await {
        let m = &f.manifests;
        let t = token("u-rep-01", m);
        let r = record_q(
            "charge-big-1",
            "u-rep-01",
            "pipeline-forecasting",
            Decimal::from(8),
            m,
        );
        let (s, v) = f.post(&t, &r).await;
        assert_eq!(s, 201, "{}: {v}", f.db);
        assert_eq!(v["status"], "pending_approval");
        assert!(v.get("grant").is_none());
        let approve = |who: &str| {
            f.client
                .post(f.server.url("/v1/approvals/charge-big-1/approve"))
                .bearer_auth(token(who, m))
                .json(&serde_json::json!({"reason": "ok"}))
                .send()
        };
        let r = approve("u-rep-01").await.unwrap();
        assert_eq!(r.status(), 403);
        let pending: Value = f
            .client
            .get(f.server.url("/v1/approvals"))
            .bearer_auth(token("u-salesops-admin", m))
            .send()
            .await
            .unwrap()
            .json()
            .await
            .unwrap();
        assert_eq!(pending["pending"].as_array().unwrap().len(), 1);
        let r = approve("u-salesops-admin").await.unwrap();
        assert_eq!(r.status(), 200);
        let v: Value = r.json().await.unwrap();
        assert_eq!(v["status"], "approved");
        assert_eq!(v["grant"]["module"], "pipeline-forecasting");
        let r = approve("u-salesops-admin").await.unwrap();
        assert_eq!(r.status(), 409);
        let r = f
            .client
            .post(f.server.url("/v1/charges/charge-big-1/cancel"))
            .bearer_auth(&t)
            .send()
            .await
            .unwrap();
        assert_eq!(r.status(), 200);
        let csv = f
            .client
            .get(f.server.url("/v1/charges.csv"))
            .bearer_auth(token("u-salesops-admin", m))
            .send()
            .await
            .unwrap()
            .text()
            .await
            .unwrap();
        assert!(
            csv.lines()
                .nth(1)
                .unwrap()
                .starts_with("charge-big-1,cancelled,needs_approval,u-rep-01"),
            "{csv}"
        );
        f.server.stop().await;
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn the_same_charge_sent_twenty_times_at_once_is_recorded_once() {
    for f in fixtures(None).await {
        let t = token("u-rep-01", &f.manifests);
        let r = record(
            "charge-dup-0001",
            "u-rep-01",
            "advanced-reports",
            &f.manifests,
        );
        let mut tasks = Vec::new();
        for _ in 0..20 {
            let (client, url, t, r) = (
                f.client.clone(),
                f.server.url("/v1/charges"),
                t.clone(),
                r.clone(),
            );
            tasks.push(tokio::spawn(async move {
                let resp = client
                    .post(url)
                    .bearer_auth(t)
                    .json(&r)
                    .send()
                    .await
                    .unwrap();
                let s = resp.status().as_u16();
                (s, resp.json::<Value>().await.unwrap())
            }));
        }
        let mut answers = Vec::new();
        for task in tasks {
            answers.push(task.await.unwrap());
        }
        let created = answers.iter().filter(|(s, _)| *s == 201).count();
        assert_eq!(created, 1, "{}: {answers:?}", f.db);
        assert!(answers
            .iter()
            .all(|(s, v)| (*s == 201 || *s == 200) && v == &answers[0].1));
        assert_eq!(f.history("u-salesops-admin").await.len(), 1, "{}", f.db);
        f.server.stop().await;
    }
}

#[tokio::test]
async fn a_stale_clock_a_foreign_currency_a_second_trial_and_a_cap_are_refused_and_record_nothing()
{
    for f in fixtures(None).await {
        let m = &f.manifests;
        let t = token("u-rep-01", m);
        let mut old = record("charge-clock-1", "u-rep-01", "advanced-reports", m);
        old.created_at = old.created_at.plus_days(-2);
        let mut eur = record("charge-curr-1", "u-rep-01", "advanced-reports", m);
        eur.currency = Currency::EUR;
        for (rec, status, expected) in [(&old, 422, "stale_clock"), (&eur, 422, "wrong_currency")] {
            let (s, e) = f.post(&t, rec).await;
            assert_eq!((s, code(&e)), (status, expected), "{}: {e}", f.db);
        }
        assert!(f.history("u-salesops-admin").await.is_empty(), "{}", f.db);

        let trial = |id: &str| {
            let mut r = record(id, "u-rep-01", "pipeline-forecasting", m);
            r.kind = ChargeKind::Trial;
            r.lines.clear();
            r.total = Decimal::ZERO;
            let days = m_trial_days(m);
            r.period = Period::new(r.period.start, r.period.start.plus_days(days)).unwrap();
            r.funding = inflow::checkout::Decision {
                source: "trial".into(),
                name: "Free trial".into(),
                route: inflow::checkout::Route::Trial,
                approver: None,
                reasons: vec![],
                text: format!("free for {days} days"),
            };
            r
        };
        let (s, v) = f.post(&t, &trial("charge-trial-1")).await;
        assert_eq!(s, 201, "{}: {v}", f.db);
        let (s, e) = f.post(&t, &trial("charge-trial-2")).await;
        assert_eq!((s, code(&e)), (422, "trial_refused"), "{}: {e}", f.db);

        // 13 seats of Advanced Reports (140.40) and 8 of the AI Email Assistant (129.60)
        // are auto-approved; 2 seats of Pipeline Forecasting (45.00) would take u-rep-01
        // to 315.00, above the 300.00 per-user cap, so claiming auto-approval is over_cap.
        let expand = |mut r: ChargeRecord| {
            r.attribution.motion = Motion::Expand;
            r.attribution.owner = "csm-207".into();
            r
        };
        // The running trial makes every later purchase an expansion.
        let a = expand(record_q(
            "charge-cap-1",
            "u-rep-01",
            "advanced-reports",
            Decimal::from(13),
            m,
        ));
        let b = expand(record_q(
            "charge-cap-2",
            "u-rep-01",
            "ai-email-assistant",
            Decimal::from(8),
            m,
        ));
        let c = expand(record_q(
            "charge-cap-3",
            "u-rep-01",
            "pipeline-forecasting",
            Decimal::TWO,
            m,
        ));
        for r in [&a, &b] {
            let (s, v) = f.post(&t, r).await;
            assert_eq!(
                (s, v["route"].as_str()),
                (201, Some("auto_approved")),
                "{}: {v}",
                f.db
            );
        }
        let (s, e) = f.post(&t, &c).await;
        assert_eq!((s, code(&e)), (422, "over_cap"), "{}: {e}", f.db);
        assert_eq!(f.history("u-salesops-admin").await.len(), 3, "{}", f.db);
        f.server.stop().await;
    }
}

fn m_trial_days(manifests: &Path) -> i64 {
    let (m, _, _) = state::load_manifests(manifests).unwrap();
    i64::from(
        m.module("pipeline-forecasting")
            .unwrap()
            .trial_days
            .unwrap(),
    )
}
