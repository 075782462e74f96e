//! `inflow serve`'s static files: MIME types, the CSP and nosniff headers, read-only.

mod common;

use std::fs;

use inflow_server::http::static_files::CSP;

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
