//! Card purchases through POST /v1/charges with the built-in test processor: a success is
//! recorded with the processor's reference, a refused card records nothing and answers 402,
//! and a replay never charges the card twice.

mod common;

use std::path::Path;
use std::sync::Arc;

use common::records::{prepared, token};
use inflow::checkout::{ChargeKind, ChargeRecord};
use inflow_server::card::test_processor::{DECLINED, INSUFFICIENT_FUNDS, SUCCEEDS};
use inflow_server::card::TestProcessor;
use serde_json::{json, Value};

const USER: &str = "u-mkt-02";
const MODULE: &str = "ai-email-assistant";

/// A card purchase of the AI Email Assistant by a marketing user, made by the core.
fn card_record(id: &str, manifests: &Path) -> ChargeRecord {
    let record = prepared(id, USER, MODULE, ChargeKind::Purchase, None, manifests);
    assert_eq!(
        record.funding.route.as_str(),
        "card",
        "the fixture must be a card purchase"
    );
    record
}

struct Fixture {
    _dir: tempfile::TempDir,
    manifests: std::path::PathBuf,
    server: common::Server,
    processor: Arc<TestProcessor>,
    client: reqwest::Client,
}

async fn fixture() -> Fixture {
    let dir = tempfile::tempdir().unwrap();
    let mut config = common::config(dir.path());
    let processor = Arc::new(TestProcessor::new());
    config.card = Some(processor.clone());
    let server = common::start_with(&config).await;
    Fixture {
        manifests: config.manifests.clone(),
        _dir: dir,
        server,
        processor,
        client: reqwest::Client::new(),
    }
}

impl Fixture {
    async fn post(&self, body: &Value) -> (u16, Value) {
        let r = self
            .client
            .post(self.server.url("/v1/charges"))
            .bearer_auth(token(USER, &self.manifests))
            .json(body)
            .send()
            .await
            .unwrap();
        (r.status().as_u16(), r.json().await.unwrap())
    }

    async fn buy(&self, id: &str, card: &str) -> (u16, Value) {
        let record = card_record(id, &self.manifests);
        self.post(&json!({ "record": record, "payment_token": card }))
            .await
    }

    async fn history(&self) -> Vec<Value> {
        let r = self
            .client
            .get(self.server.url("/v1/charges.json"))
            .bearer_auth(token("u-mkt-admin", &self.manifests))
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
async fn a_good_card_is_charged_and_the_purchase_recorded_with_its_reference() {
    let f = fixture().await;
    let (s, v) = f.buy("card-ok-0001", SUCCEEDS).await;
    assert_eq!(s, 201, "{v}");
    assert_eq!(v["status"], "recorded");
    assert_eq!(v["route"], "card");
    assert_eq!(v["card"]["reference"], "test_pi_card-ok-0001");
    assert_eq!(v["grant"]["module"], MODULE);
    assert_eq!(f.processor.charges(), 1);
    assert_eq!(f.history().await.len(), 1);
    f.server.stop().await;
}

#[tokio::test]
async fn a_declined_card_answers_402_and_records_nothing() {
    let f = fixture().await;
    let (s, v) = f.buy("card-declined-1", DECLINED).await;
    assert_eq!((s, code(&v)), (402, "card_declined"), "{v}");
    assert!(v["error"]["message"]
        .as_str()
        .unwrap()
        .contains("nothing was charged"));
    let (s, v) = f.buy("card-invalid-01", "4111").await;
    assert_eq!((s, code(&v)), (402, "invalid_card"), "{v}");
    assert!(f.history().await.is_empty());
    assert_eq!(f.processor.charges(), 0);
    // The same id may then be paid with another card.
    let (s, v) = f.buy("card-declined-1", SUCCEEDS).await;
    assert_eq!(s, 201, "{v}");
    f.server.stop().await;
}

#[tokio::test]
async fn insufficient_funds_answers_402_and_records_nothing() {
    let f = fixture().await;
    let (s, v) = f.buy("card-poor-00001", INSUFFICIENT_FUNDS).await;
    assert_eq!((s, code(&v)), (402, "insufficient_funds"), "{v}");
    assert!(f.history().await.is_empty());
    f.server.stop().await;
}

#[tokio::test]
async fn a_replay_charges_the_card_once() {
    let f = fixture().await;
    let record = card_record("card-replay-001", &f.manifests);
    let body = json!({ "record": record, "payment_token": SUCCEEDS });
    let (s, first) = f.post(&body).await;
    assert_eq!(s, 201, "{first}");
    let (s, again) = f.post(&body).await;
    assert_eq!((s, &again), (200, &first));
    assert_eq!(f.processor.attempts(), 1);
    assert_eq!(f.processor.charges(), 1);
    assert_eq!(f.history().await.len(), 1);
    f.server.stop().await;
}

#[tokio::test]
async fn a_card_purchase_without_a_token_is_refused_and_records_nothing() {
    let f = fixture().await;
    let record = card_record("card-notoken-01", &f.manifests);
    let (s, v) = f.post(&serde_json::to_value(&record).unwrap()).await;
    assert_eq!((s, code(&v)), (400, "payment_token_missing"), "{v}");
    assert!(f.history().await.is_empty());
    f.server.stop().await;
}
