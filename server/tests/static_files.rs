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

    let r = get(&client, &url, &[("accept-encoding", "gzip")]).await;
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

    let r = get(&client, &url, &[("accept-encoding", "br, gzip")]).await;
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

        let r = get(&client, &url, &[("if-none-match", tag.as_str())]).await;
        assert_eq!(r.status(), 304, "{path}");
        assert_eq!(r.headers()["etag"], tag.as_str(), "{path}");
        assert_eq!(r.headers()["cache-control"], "no-cache", "{path}");
        assert_eq!(r.headers()["content-security-policy"], CSP, "{path}");
        assert!(r.bytes().await.unwrap().is_empty(), "{path}");

        // One of several tags; a compressed response's cache asks the same way.
        let r = get(
            &client,
            &url,
            &[
                ("if-none-match", format!("\"other\", {tag}").as_str()),
                ("accept-encoding", "br"),
            ],
        )
        .await;
        assert_eq!(r.status(), 304, "{path}");

        // Another tag: the file, whatever If-Modified-Since says (If-None-Match wins).
        let r = get(
            &client,
            &url,
            &[
                ("if-none-match", "W/\"stale\""),
                ("if-modified-since", modified.as_str()),
            ],
        )
        .await;
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
    let r = get(&client, &url, &[("if-none-match", old.to_str().unwrap())]).await;
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

/// GET `url` with the request headers `headers` (name, value).
async fn get(client: &reqwest::Client, url: &str, headers: &[(&str, &str)]) -> reqwest::Response {
    let mut request = client.get(url);
    for (name, value) in headers {
        request = request.header(*name, *value);
    }
    request.send().await.unwrap()
}

/// Compressible bytes standing in for a build's wasm.
fn wasm_bytes(build: u32) -> Vec<u8> {
    let mut bytes = b"\0asm\x01\0\0\0".to_vec();
    bytes.extend((0..20_000u32).flat_map(|i| ((i * build) % 251).to_le_bytes()));
    bytes
}

fn brotli(bytes: &[u8]) -> Vec<u8> {
    let mut out = Vec::new();
    let params = brotli::enc::BrotliEncoderParams {
        quality: 11,
        ..Default::default()
    };
    brotli::BrotliCompress(&mut &bytes[..], &mut out, &params).unwrap();
    out
}

fn unbrotli(bytes: &[u8]) -> Vec<u8> {
    let mut out = Vec::new();
    brotli::Decompressor::new(bytes, 4096)
        .read_to_end(&mut out)
        .unwrap();
    out
}

fn gzip(bytes: &[u8]) -> Vec<u8> {
    use std::io::Write;
    let mut e = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::best());
    e.write_all(bytes).unwrap();
    e.finish().unwrap()
}

/// Sets a file's modification time `secs` seconds away from now.
fn touch(path: &std::path::Path, secs: i64) {
    let now = std::time::SystemTime::now();
    let d = std::time::Duration::from_secs(secs.unsigned_abs());
    let t = if secs < 0 { now - d } else { now + d };
    fs::File::options()
        .write(true)
        .open(path)
        .unwrap()
        .set_modified(t)
        .unwrap();
}

#[tokio::test]
async fn fresh_precompressed_copies_are_sent_as_they_are_with_the_files_validators() {
    let dir = site();
    let wasm = dir.path().join("pkg/inflow_bg.wasm");
    let bytes = wasm_bytes(7);
    fs::write(&wasm, &bytes).unwrap();
    let br = brotli(&bytes);
    let gz = gzip(&bytes);
    fs::write(dir.path().join("pkg/inflow_bg.wasm.br"), &br).unwrap();
    fs::write(dir.path().join("pkg/inflow_bg.wasm.gz"), &gz).unwrap();
    touch(&wasm, -60);
    let server = common::start_static(dir.path()).await;
    let client = reqwest::Client::new();
    let url = server.url("/pkg/inflow_bg.wasm");

    let r = get(&client, &url, &[("accept-encoding", "gzip, deflate, br")]).await;
    assert_eq!(r.status(), 200);
    let h = r.headers().clone();
    assert_eq!(h["content-encoding"], "br");
    assert_eq!(h["content-type"], "application/wasm");
    assert_eq!(h["vary"], "accept-encoding");
    assert_eq!(h["content-security-policy"], CSP);
    let body = r.bytes().await.unwrap();
    // The build's copy byte for byte (brotli 11), not one compressed on the fly.
    assert_eq!(&body[..], &br[..]);
    assert_eq!(unbrotli(&body), bytes);
    let tag = h["etag"].to_str().unwrap().to_string();

    // The gzip copy for a browser without brotli.
    let r = get(&client, &url, &[("accept-encoding", "gzip")]).await;
    assert_eq!(r.headers()["content-encoding"], "gzip");
    assert_eq!(&r.bytes().await.unwrap()[..], &gz[..]);

    // The file itself has the same validators as its compressed copies.
    let r = client.get(&url).send().await.unwrap();
    assert!(r.headers().get("content-encoding").is_none());
    assert_eq!(r.headers()["etag"], tag.as_str());
    let identity_modified = r.headers()["last-modified"].clone();
    assert_eq!(r.bytes().await.unwrap().to_vec(), bytes);
    assert_eq!(h["last-modified"], identity_modified);

    // Revalidation: 304 without a body, whichever encoding asks.
    for encoding in ["br", "gzip", "identity"] {
        let r = get(
            &client,
            &url,
            &[
                ("accept-encoding", encoding),
                ("if-none-match", tag.as_str()),
            ],
        )
        .await;
        assert_eq!(r.status(), 304, "{encoding}");
        assert_eq!(r.headers()["etag"], tag.as_str(), "{encoding}");
        assert_eq!(r.headers()["cache-control"], "no-cache", "{encoding}");
        assert!(r.bytes().await.unwrap().is_empty(), "{encoding}");
    }
    server.stop().await;
}

#[tokio::test]
async fn a_compressed_copy_older_than_its_file_is_never_sent() {
    let dir = site();
    let wasm = dir.path().join("pkg/inflow_bg.wasm");
    let old = wasm_bytes(3);
    fs::write(dir.path().join("pkg/inflow_bg.wasm.br"), brotli(&old)).unwrap();
    fs::write(dir.path().join("pkg/inflow_bg.wasm.gz"), gzip(&old)).unwrap();
    // A new build of the wasm, its copies not made again.
    let new = wasm_bytes(5);
    fs::write(&wasm, &new).unwrap();
    for ext in ["br", "gz"] {
        touch(&dir.path().join(format!("pkg/inflow_bg.wasm.{ext}")), -60);
    }
    let server = common::start_static(dir.path()).await;
    let client = reqwest::Client::new();
    let url = server.url("/pkg/inflow_bg.wasm");

    // Compressed on the fly from the new file.
    let r = get(&client, &url, &[("accept-encoding", "br")]).await;
    assert_eq!(r.status(), 200);
    assert_eq!(r.headers()["content-encoding"], "br");
    let tag = r.headers()["etag"].clone();
    assert_eq!(unbrotli(&r.bytes().await.unwrap()), new);
    let r = get(&client, &url, &[("accept-encoding", "gzip")]).await;
    let mut body = Vec::new();
    flate2::read::GzDecoder::new(&r.bytes().await.unwrap()[..])
        .read_to_end(&mut body)
        .unwrap();
    assert_eq!(body, new);

    // Compressing again makes the copies fresh: they are sent, and the tag stays the file's.
    let br = brotli(&new);
    fs::write(dir.path().join("pkg/inflow_bg.wasm.br"), &br).unwrap();
    touch(&dir.path().join("pkg/inflow_bg.wasm.br"), 60);
    let r = get(&client, &url, &[("accept-encoding", "br")]).await;
    assert_eq!(r.headers()["etag"], tag);
    assert_eq!(&r.bytes().await.unwrap()[..], &br[..]);
    server.stop().await;
}
