//! Static files: `www/` at `/`, `pkg/` at `/pkg/`, `manifests/` at `/manifests/`, read-only,
//! with explicit MIME types, the headers a host page needs (CSP allowing wasm, nosniff),
//! compression (brotli or gzip, as the browser accepts: the build's precompressed copies where
//! there are fresh ones, see [`super::precompressed`], else on the fly) and revalidation (ETag,
//! `no-cache`).

use std::hash::{DefaultHasher, Hash, Hasher};
use std::path::Path;

use axum::body::Body;
use axum::extract::Request;
use axum::http::header::{
    CACHE_CONTROL, CONTENT_LENGTH, CONTENT_SECURITY_POLICY, CONTENT_TYPE, ETAG, IF_MODIFIED_SINCE,
    IF_NONE_MATCH, LAST_MODIFIED, VARY, X_CONTENT_TYPE_OPTIONS,
};
use axum::http::{HeaderMap, HeaderValue, StatusCode, Version};
use axum::middleware::Next;
use axum::response::Response;
use axum::Router;
use tower_http::compression::predicate::{DefaultPredicate, Predicate};
use tower_http::compression::CompressionLayer;
use tower_http::services::ServeDir;

use super::precompressed::{self, Original, Roots};

/// The Content-Security-Policy every response carries: scripts from this origin only, and
/// WebAssembly compilation allowed (without it, instantiation is refused).
pub const CSP: &str = "script-src 'self' 'wasm-unsafe-eval'";

/// The CSP of every response but the embed pages: [`CSP`], and no framing by other sites
/// (clickjacking); the embed pages replace it with their own `frame-ancestors` allowlist.
pub const SITE_CSP: &str = "script-src 'self' 'wasm-unsafe-eval'; frame-ancestors 'self'";

/// The MIME type for a file extension, for the types the pages use.
pub fn mime_for(path: &str) -> Option<&'static str> {
    let ext = path.rsplit_once('.')?.1.to_ascii_lowercase();
    Some(match ext.as_str() {
        "wasm" => "application/wasm",
        "js" | "mjs" => "text/javascript; charset=utf-8",
        "json" | "map" => "application/json",
        "css" => "text/css; charset=utf-8",
        "html" | "htm" => "text/html; charset=utf-8",
        "svg" => "image/svg+xml",
        "ts" => "text/plain; charset=utf-8",
        "png" => "image/png",
        "ico" => "image/x-icon",
        "txt" | "md" => "text/plain; charset=utf-8",
        _ => return None,
    })
}

/// How long a browser may use a file without asking: not at all, it revalidates every use
/// (a 304 without a body when unchanged). The file names carry no content hash, so this is what
/// keeps a new build's wasm and its JS glue from mixing with an old one's. Chromium then keeps
/// no compiled wasm between visits (a 304 renews the cached response's time, which its code
/// cache entry no longer matches; nor does a response fetched through `<link rel=preload>`
/// bring one). Measured: the wasm served `immutable` and not preloaded is compiled from
/// Chromium's code cache on returning visits, and their median did not move (129 vs 132 ms
/// from navigation to offers, 20 visits each), so the names stay as they are.
pub const CACHE_CONTROL_FILES: &str = "no-cache";

/// A router serving the three directories under `root` (GET and HEAD only).
pub fn router(root: &Path) -> Router {
    // Whole files only: ranges and 304s pass as they are.
    let compress = DefaultPredicate::new().and(
        |status: StatusCode, _: Version, _: &HeaderMap, _: &axum::http::Extensions| {
            status == StatusCode::OK
        },
    );
    let pkg = ServeDir::new(root.join("pkg"))
        .precompressed_br()
        .precompressed_gzip();
    let www = ServeDir::new(root.join("www"))
        .append_index_html_on_directories(true)
        .precompressed_br()
        .precompressed_gzip();
    Router::new()
        .nest_service("/pkg", pkg)
        .nest_service("/manifests", ServeDir::new(root.join("manifests")))
        .fallback_service(www)
        .layer(axum::middleware::from_fn_with_state(
            Roots::new(root),
            precompressed::fresh_only,
        ))
        .layer(axum::middleware::from_fn(validators))
        .layer(axum::middleware::from_fn(content_type))
        .layer(CompressionLayer::new().compress_when(compress))
}

/// A file's entity tag: its length and modification time (as `Last-Modified` says it). Weak,
/// so it holds for the compressed forms of the file too: a precompressed copy's response
/// carries its file's length ([`Original`]) and modification time.
fn etag(headers: &HeaderMap, original: Option<&Original>) -> Option<HeaderValue> {
    let length = match original {
        Some(o) => o.length.to_string(),
        None => headers.get(CONTENT_LENGTH)?.to_str().ok()?.to_string(),
    };
    let modified = headers.get(LAST_MODIFIED)?.as_bytes();
    let mut h = DefaultHasher::new();
    modified.hash(&mut h);
    HeaderValue::from_str(&format!("W/\"{length}-{:016x}\"", h.finish())).ok()
}

/// Whether an `If-None-Match` list names `tag` (compared weakly, as RFC 9110 says for GET).
fn names(if_none_match: &HeaderValue, tag: &HeaderValue) -> bool {
    let strip = |t: &str| t.trim().trim_start_matches("W/").to_string();
    let tag = strip(tag.to_str().unwrap_or_default());
    if_none_match
        .to_str()
        .unwrap_or_default()
        .split(',')
        .any(|t| t.trim() == "*" || strip(t) == tag)
}

/// Gives files an ETag and `Cache-Control`, and answers a matching `If-None-Match` with 304.
/// With `If-None-Match` present, `If-Modified-Since` is ignored (RFC 9110, 13.1.3).
async fn validators(mut request: Request, next: Next) -> Response {
    let if_none_match = request.headers_mut().remove(IF_NONE_MATCH);
    if if_none_match.is_some() {
        request.headers_mut().remove(IF_MODIFIED_SINCE);
    }
    let mut response = next.run(request).await;
    let status = response.status();
    if !(status.is_success() || status == StatusCode::NOT_MODIFIED) {
        return response;
    }
    let headers = response.headers_mut();
    headers.insert(CACHE_CONTROL, HeaderValue::from_static(CACHE_CONTROL_FILES));
    if status != StatusCode::OK {
        return response;
    }
    let original = response.extensions().get::<Original>().copied();
    let headers = response.headers_mut();
    let Some(tag) = etag(headers, original.as_ref()) else {
        return response;
    };
    headers.insert(ETAG, tag.clone());
    if if_none_match.is_some_and(|v| names(&v, &tag)) {
        let mut not_modified = Response::new(Body::empty());
        *not_modified.status_mut() = StatusCode::NOT_MODIFIED;
        for name in [ETAG, CACHE_CONTROL, LAST_MODIFIED, VARY] {
            if let Some(v) = response.headers().get(&name) {
                not_modified.headers_mut().insert(name, v.clone());
            }
        }
        return not_modified;
    }
    response
}

/// Sets the Content-Type from the path's extension on successful file responses.
async fn content_type(request: Request, next: Next) -> Response {
    let mime = mime_for(request.uri().path());
    let mut response = next.run(request).await;
    if let (Some(mime), true) = (mime, response.status().is_success()) {
        response
            .headers_mut()
            .insert(CONTENT_TYPE, HeaderValue::from_static(mime));
    }
    response
}

/// Adds the security headers to every response (API responses included).
pub async fn security_headers(request: Request, next: Next) -> Response {
    let mut response = next.run(request).await;
    let headers = response.headers_mut();
    headers.insert(CONTENT_SECURITY_POLICY, HeaderValue::from_static(SITE_CSP));
    headers.insert(X_CONTENT_TYPE_OPTIONS, HeaderValue::from_static("nosniff"));
    response
}

/// What is missing under `root` for the demo to work, each with what to do about it.
pub fn missing(root: &Path) -> Vec<String> {
    let mut out = Vec::new();
    if !root.join("pkg").join("inflow_bg.wasm").is_file() {
        out.push(format!(
            "{} has no inflow_bg.wasm: run scripts/build-wasm.sh (the pages cannot load the engine until then)",
            root.join("pkg").display()
        ));
    }
    if !root.join("www").is_dir() {
        out.push(format!(
            "{} is missing: run from the repository root or pass --root",
            root.join("www").display()
        ));
    }
    out
}
