//! POST /v1/me/token: a short-lived token for the caller themself, which the server accepts,
//! that never outlives the caller's own and is refused without a session.

mod common;

use inflow_server::auth::{self, Claims};
use inflow_server::{clock, state};
use serde_json::Value;

fn token(user: &str, exp: i64) -> String {
    let (_, _, users) = state::load_manifests(&common::demo_manifests()).unwrap();
    auth::mint(
        b"test-secret",
        &Claims::for_user(users.user(user).unwrap(), exp),
    )
    .unwrap()
}

async fn short(server: &common::Server, bearer: Option<&str>) -> (u16, Value) {
    let mut req = reqwest::Client::new().post(server.url("/v1/me/token"));
    if let Some(b) = bearer {
        req = req.bearer_auth(b);
    }
    let res = req.send().await.unwrap();
    (res.status().as_u16(), res.json().await.unwrap())
}

#[tokio::test]
async fn the_caller_gets_a_fifteen_minute_token_for_themself_that_the_server_accepts() {
    let dir = tempfile::tempdir().unwrap();
    let server = common::start_static(dir.path()).await;
    let (status, body) = short(
        &server,
        Some(&token("u-mkt-02", clock::now_secs() + 8 * 3600)),
    )
    .await;
    assert_eq!(status, 200, "{body}");
    let minted = body["token"].as_str().unwrap();
    let claims = auth::verify(b"test-secret", minted, clock::now_secs()).unwrap();
    assert_eq!(claims.user, "u-mkt-02");
    let left = claims.exp - clock::now_secs();
    assert!((14 * 60..=15 * 60).contains(&left), "expires in {left} s");
    assert_eq!(body["expires_at"].as_i64(), Some(claims.exp));
    let res = reqwest::Client::new()
        .get(server.url("/v1/me/entitlements"))
        .bearer_auth(minted)
        .send()
        .await
        .unwrap();
    assert_eq!(res.status().as_u16(), 200);
    assert_eq!(res.json::<Value>().await.unwrap()["user"], "u-mkt-02");
    server.stop().await;
}

#[tokio::test]
async fn it_never_outlives_the_callers_token_and_needs_one() {
    let dir = tempfile::tempdir().unwrap();
    let server = common::start_static(dir.path()).await;
    let soon = clock::now_secs() + 60;
    let (status, body) = short(&server, Some(&token("u-rep-01", soon))).await;
    assert_eq!(status, 200, "{body}");
    assert_eq!(body["expires_at"].as_i64(), Some(soon));
    let (status, body) = short(&server, None).await;
    assert_eq!(status, 401);
    assert_eq!(body["error"]["code"], "unauthenticated");
    server.stop().await;
}
