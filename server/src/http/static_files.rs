//! Static files: `www/` at `/`, `pkg/` at `/pkg/`, `manifests/` at `/manifests/`, read-only,
//! with explicit MIME types and the headers a host page needs (CSP allowing wasm, nosniff).

use std::path::Path;

use axum::extract::Request;
use axum::http::header::{CONTENT_SECURITY_POLICY, CONTENT_TYPE, X_CONTENT_TYPE_OPTIONS};
use axum::http::HeaderValue;
use axum::middleware::Next;
use axum::response::Response;
use axum::Router;
use tower_http::services::ServeDir;

/// The Content-Security-Policy every response carries: scripts from this origin only, and
/// WebAssembly compilation allowed (without it, instantiation is refused).
pub const CSP: &str = "script-src 'self' 'wasm-unsafe-eval'";

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

/// A router serving the three directories under `root` (GET and HEAD only).
pub fn router(root: &Path) -> Router {
    Router::new()
        .nest_service("/pkg", ServeDir::new(root.join("pkg")))
        .nest_service("/manifests", ServeDir::new(root.join("manifests")))
        .fallback_service(ServeDir::new(root.join("www")).append_index_html_on_directories(true))
        .layer(axum::middleware::from_fn(content_type))
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
    headers.insert(CONTENT_SECURITY_POLICY, HeaderValue::from_static(CSP));
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
