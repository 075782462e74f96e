//! `inflow serve`'s static files: MIME types, the CSP and nosniff headers, read-only,
//! compressed when the browser accepts it, revalidated with ETags.

mod common;

use std::fs;
use std::io::Read;

use inflow_server::http::static_files::SITE_CSP as CSP;

/// A compressible file (JSON repeating itself), well above the compression threshold.
const MODEL: &str = concat!(
    r#"{"modules":{"#,
    r#""a":{"bias":-1.5,"weights":{"reports.export":0.25}},"b":{"bias":-1.5,"weights":{"reports.export":0.25}},"#,
    r#""c":{"bias":-1.5,"weights":{"reports.export":0.25}},"d":{"bias":-1.5,"weights":{"reports.export":0.25}},"#,
    r#""e":{"bias":-1.5,"weights":{"reports.export":0.25}},"f":{"bias":-1.5,"weights":{"reports.export":0.25}}}}"#
);

fn site() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    for (path, body) in [
        ("www/demo/crm.html", "<!doctype html><title>crm</title>"),
        ("www/demo/index.html", "<!doctype html><title>demo</title>"),
        ("www/inflow.js", "export const x = 1;"),
        ("www/components/offers.mjs", "export {};"),
        ("www/demo/style.css", "body{}"),
        (
            "www/demo/logo.svg",
            "<svg xmlns='http://www.w3.org/2000/svg'/>",
        ),
        ("pkg/inflow_bg.wasm", "\0asm\x01\0\0\0"),
        ("pkg/inflow.js", "export default function(){}"),
        ("manifests/catalog.json", "{}"),
        ("manifests/model.json", MODEL),
    ] {
        let p = root.join(path);
        fs::create_dir_all(p.parent().unwrap()).unwrap();
        fs::write(p, body).unwrap();
    }
    dir
}

#[tokio::test]
async fn files_are_served_with_their_mime_type_and_the_csp() {
    let dir = site();
    let server = common::start_static(dir.path()).await;
    let client = reqwest::Client::new();
    for (path, mime) in [
        ("/demo/crm.html", "text/html"),
        ("/demo/", "text/html"),
        ("/inflow.js", "text/javascript"),
        ("/components/offers.mjs", "text/javascript"),
        ("/demo/style.css", "text/css"),
        ("/demo/logo.svg", "image/svg+xml"),
        ("/pkg/inflow_bg.wasm", "application/wasm"),
        ("/pkg/inflow.js", "text/javascript"),
        ("/manifests/catalog.json", "application/json"),
    ] {
        let r = client.get(server.url(path)).send().await.unwrap();
        assert_eq!(r.status(), 200, "{path}");
        let h = r.headers();
        let ct = h["content-type"].to_str().unwrap();
        assert!(ct.starts_with(mime), "{path}: {ct}");
        assert_eq!(h["content-security-policy"], CSP, "{path}");
        assert_eq!(h["x-content-type-options"], "nosniff", "{path}");
    }
    let r = client.get(server.url("/nope.html")).send().await.unwrap();
    assert_eq!(r.status(), 404);
    assert_eq!(r.headers()["content-security-policy"], CSP);
    let r = client
        .post(server.url("/manifests/catalog.json"))
        .body("{}")
        .send()
        .await
        .unwrap();
    assert!(r.status().is_client_error(), "{}", r.status());
    server.stop().await;
}

#[test]
fn a_missing_wasm_package_is_reported_with_what_to_run() {
    let dir = tempfile::tempdir().unwrap();
    let problems = inflow_server::http::static_files::missing(dir.path());
    assert!(problems
        .iter()
        .any(|p| p.contains("run scripts/build-wasm.sh")));
}

#[tokio::test]
async fn files_are_compressed_for_browsers_that_accept_it() {
    let dir = site();
    let server = common::start_static(dir.path()).await;
    let client = reqwest::Client::new();
    let url = server.url("/manifests/model.json");

    let r = client
        .get(&url)
        .header("accept-encoding", "gzip")
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 200);
    assert_eq!(r.headers()["content-encoding"], "gzip");
    assert_eq!(r.headers()["content-type"], "application/json");
    assert_eq!(r.headers()["content-security-policy"], CSP);
    let body = r.bytes().await.unwrap();
    assert!(
        body.len() < MODEL.len(),
        "{} >= {}",
        body.len(),
        MODEL.len()
    );
    let mut text = String::new();
    flate2::read::GzDecoder::new(&body[..])
        .read_to_string(&mut text)
        .unwrap();
    assert_eq!(text, MODEL);

    let r = client
        .get(&url)
        .header("accept-encoding", "br, gzip")
        .send()
        .await
        .unwrap();
    assert_eq!(r.headers()["content-encoding"], "br");
    assert!(r.bytes().await.unwrap().len() < MODEL.len());

    // Without Accept-Encoding, the file as it is.
    let r = client.get(&url).send().await.unwrap();
    assert!(r.headers().get("content-encoding").is_none());
    assert_eq!(r.text().await.unwrap(), MODEL);
    server.stop().await;
}

#[tokio::test]
async fn files_revalidate_with_their_etag() {
    let dir = site();
    let server = common::start_static(dir.path()).await;
    let client = reqwest::Client::new();
    for path in [
        "/pkg/inflow_bg.wasm",
        "/inflow.js",
        "/manifests/model.json",
        "/demo/crm.html",
    ] {
        let url = server.url(path);
        let r = client.get(&url).send().await.unwrap();
        assert_eq!(r.status(), 200, "{path}");
        assert_eq!(r.headers()["cache-control"], "no-cache", "{path}");
        let tag = r.headers()["etag"].to_str().unwrap().to_string();
        let modified = r.headers()["last-modified"].to_str().unwrap().to_string();

        let r = client
            .get(&url)
            .header("if-none-match", &tag)
            .send()
            .await
            .unwrap();
        assert_eq!(r.status(), 304, "{path}");
        assert_eq!(r.headers()["etag"], tag.as_str(), "{path}");
        assert_eq!(r.headers()["cache-control"], "no-cache", "{path}");
        assert_eq!(r.headers()["content-security-policy"], CSP, "{path}");
        assert!(r.bytes().await.unwrap().is_empty(), "{path}");

        // One of several tags; a compressed response's cache asks the same way.
        let r = client
            .get(&url)
            .header("if-none-match", format!("\"other\", {tag}"))
            .header("accept-encoding", "br")
            .send()
            .await
            .unwrap();
        assert_eq!(r.status(), 304, "{path}");

        // Another tag: the file, whatever If-Modified-Since says (If-None-Match wins).
        let r = client
            .get(&url)
            .header("if-none-match", "W/\"stale\"")
            .header("if-modified-since", &modified)
            .send()
            .await
            .unwrap();
        assert_eq!(r.status(), 200, "{path}");
        assert!(!r.bytes().await.unwrap().is_empty(), "{path}");
    }

    // A changed file gets a new tag, and the old tag no longer matches.
    let url = server.url("/inflow.js");
    let old = client.get(&url).send().await.unwrap().headers()["etag"].clone();
    fs::write(
        dir.path().join("www/inflow.js"),
        "export const x = 2; // a new build",
    )
    .unwrap();
    let r = client
        .get(&url)
        .header("if-none-match", old.clone())
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 200);
    assert_ne!(r.headers()["etag"], old);
    assert_eq!(
        r.text().await.unwrap(),
        "export const x = 2; // a new build"
    );

    // Errors carry no validators.
    let r = client.get(server.url("/nope.js")).send().await.unwrap();
    assert_eq!(r.status(), 404);
    assert!(r.headers().get("etag").is_none());
    server.stop().await;
}
