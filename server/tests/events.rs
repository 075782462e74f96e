//! POST /v1/me/events: a page reports its suggestion funnel; retries count once; bad events
//! are refused with where and what, and nothing of the request is stored.

mod common;

use inflow_server::auth::{self, Claims};
use inflow_server::{clock, state};
use serde_json::{json, Value};

fn token(user: &str) -> String {
    let (_, _, users) = state::load_manifests(&common::demo_manifests()).unwrap();
    let claims = Claims::for_user(users.user(user).unwrap(), clock::now_secs() + 3600);
    auth::mint(b"test-secret", &claims).unwrap()
}

fn event(id: &str, stage: &str) -> Value {
    json!({ "id": id, "module": "advanced-reports", "surface": "crm-sidebar", "stage": stage, "probability": 0.42, "at": 1_790_000_000_000i64 })
}

#[tokio::test]
async fn funnel_events_are_stored_once_and_bad_ones_refused() {
    let dir = tempfile::tempdir().unwrap();
    let server = common::start_static(dir.path()).await;
    let http = reqwest::Client::new();
    let post = |body: Value| {
        http.post(server.url("/v1/me/events"))
            .bearer_auth(token("u-rep-01"))
            .json(&body)
            .send()
    };

    let first = post(
        json!({ "events": [event("evt-00000001", "shown"), event("evt-00000002", "opened")] }),
    )
    .await
    .unwrap();
    assert_eq!(first.status(), 202);
    assert_eq!(first.json::<Value>().await.unwrap()["stored"], 2);
    // A retry of the same events stores nothing new.
    let again = post(
        json!({ "events": [event("evt-00000001", "shown"), event("evt-00000002", "opened")] }),
    )
    .await
    .unwrap();
    assert_eq!(again.json::<Value>().await.unwrap()["stored"], 0);

    // One bad event refuses the whole request, naming it.
    let bad = post(
        json!({ "events": [event("evt-00000003", "shown"), event("evt-00000004", "clicked")] }),
    )
    .await
    .unwrap();
    assert_eq!(bad.status(), 400);
    let body: Value = bad.json().await.unwrap();
    assert!(
        body["error"]["message"]
            .as_str()
            .unwrap()
            .contains("events[1].stage"),
        "{body}"
    );
    let retry = post(json!({ "events": [event("evt-00000003", "shown")] }))
        .await
        .unwrap();
    assert_eq!(
        retry.json::<Value>().await.unwrap()["stored"],
        1,
        "nothing of the refused request was stored"
    );

    // Without a token, nothing.
    let anonymous = http
        .post(server.url("/v1/me/events"))
        .json(&json!({ "events": [] }))
        .send()
        .await
        .unwrap();
    assert_eq!(anonymous.status(), 401);
    server.stop().await;
}
