//! Pages other sites frame (`/embed/*`: the iframe host page and the card entry page).
//!
//! Only the configured parent origins (`inflow serve --embed-origin`) may frame them: their
//! responses carry CSP `frame-ancestors` with exactly those origins (`'none'` without any),
//! so the browser itself refuses every other embedder. The pages read the same list from
//! `GET /embed/config.json` and accept messages from, and post to, those origins only. With a
//! Stripe publishable key (`--stripe-publishable-key`) the card page mounts Stripe Elements and
//! its CSP allows Stripe's script.
//! Also serves `pkg-fallback/` (the wasm2js build) at `/pkg-fallback/` for pages whose CSP
//! refuses WebAssembly.

use std::path::Path;
use std::sync::Arc;

use axum::extract::{Request, State};
use axum::http::header::CONTENT_SECURITY_POLICY;
use axum::http::{HeaderValue, Uri};
use axum::middleware::Next;
use axum::response::Response;
use axum::routing::get;
use axum::{Json, Router};
use serde_json::{json, Value};
use tower_http::services::ServeDir;

use super::static_files::CSP;

/// The path prefix of the framable pages.
pub const PREFIX: &str = "/embed/";

/// The origins allowed to frame the embed pages, normalised (`scheme://host[:port]`).
#[derive(Debug, Clone, Default)]
pub struct Origins(Arc<Vec<String>>);

impl Origins {
    /// Parses each origin; the error names the first bad one and what is wrong with it.
    ///
    /// # Errors
    /// When an origin is not `http(s)://host[:port]` (no path, query or fragment).
    pub fn parse<S: AsRef<str>>(list: &[S]) -> Result<Origins, String> {
        let mut out = Vec::new();
        for raw in list {
            let origin = parse_origin(raw.as_ref())?;
            if !out.contains(&origin) {
                out.push(origin);
            }
        }
        Ok(Origins(Arc::new(out)))
    }

    /// The origins, normalised.
    pub fn list(&self) -> &[String] {
        &self.0
    }

    /// The CSP of an embed page: the site's policy plus `frame-ancestors`.
    pub fn csp(&self) -> String {
        let ancestors = if self.0.is_empty() {
            "'none'".to_string()
        } else {
            self.0.join(" ")
        };
        format!("{CSP}; frame-ancestors {ancestors}")
    }
}

/// What the embed pages are told: who may frame them, and the Stripe publishable key.
#[derive(Debug, Clone, Default)]
pub struct EmbedConfig {
    /// The origins allowed to frame the pages.
    pub origins: Origins,
    /// Stripe's publishable key (`pk_...`): the card page mounts Stripe Elements with it;
    /// without one it takes test card numbers for the built-in test processor.
    pub stripe_publishable_key: Option<String>,
}

/// Where Stripe.js comes from (the card page's CSP allows it only with a key configured).
const STRIPE_JS: &str = "https://js.stripe.com";

impl EmbedConfig {
    /// The CSP of the embed page at `path`.
    pub fn csp(&self, path: &str) -> String {
        let csp = self.origins.csp();
        if self.stripe_publishable_key.is_some() && path.starts_with("/embed/card") {
            csp.replacen(
                "script-src 'self'",
                &format!("script-src 'self' {STRIPE_JS}"),
                1,
            )
        } else {
            csp
        }
    }
}

/// One origin, lower-cased, as browsers serialise it (`https://crm.example.com:8443`).
fn parse_origin(raw: &str) -> Result<String, String> {
    let bad = |why: &str| {
        Err(format!(
            "embed origin {raw:?}: {why}; write it as scheme://host[:port], e.g. https://app.hubspot.com"
        ))
    };
    let text = raw.trim().trim_end_matches('/');
    let Ok(uri) = text.parse::<Uri>() else {
        return bad("not a URL");
    };
    let scheme = match uri.scheme_str() {
        Some(s @ ("http" | "https")) => s,
        Some(_) => return bad("only http and https origins can frame a page"),
        None => return bad("the scheme is missing"),
    };
    let Some(authority) = uri.authority() else {
        return bad("the host is missing");
    };
    if authority.as_str().contains('@') {
        return bad("an origin has no user name");
    }
    if authority.host().contains('*') {
        return bad("wildcards are not allowed: list each origin");
    }
    if !matches!(uri.path(), "" | "/") || uri.query().is_some() || text.contains('#') {
        return bad("an origin has no path, query or fragment");
    }
    Ok(format!(
        "{scheme}://{}",
        authority.as_str().to_ascii_lowercase()
    ))
}

/// `GET /embed/config.json` and `/pkg-fallback/`.
pub fn router(root: &Path, config: EmbedConfig) -> Router {
    Router::new()
        .route("/embed/config.json", get(config_json))
        .with_state(config)
        .nest_service("/pkg-fallback", ServeDir::new(root.join("pkg-fallback")))
}

async fn config_json(State(config): State<EmbedConfig>) -> Json<Value> {
    Json(json!({
        "version": 1,
        "origins": config.origins.list(),
        "stripe_publishable_key": config.stripe_publishable_key,
    }))
}

/// Sets the embed pages' CSP (with `frame-ancestors`); layered outside the site-wide headers.
pub async fn frame_ancestors(
    State(config): State<EmbedConfig>,
    request: Request,
    next: Next,
) -> Response {
    let path = request.uri().path();
    let csp = path.starts_with(PREFIX).then(|| config.csp(path));
    let mut response = next.run(request).await;
    if let Some(csp) = csp {
        if let Ok(value) = HeaderValue::from_str(&csp) {
            response
                .headers_mut()
                .insert(CONTENT_SECURITY_POLICY, value);
        }
    }
    response
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn origins_are_normalised_and_checked() {
        let o = Origins::parse(&[
            "https://App.HubSpot.com/",
            "http://localhost:8080",
            "https://app.hubspot.com",
        ])
        .unwrap();
        assert_eq!(
            o.list(),
            ["https://app.hubspot.com", "http://localhost:8080"]
        );
        assert_eq!(
            o.csp(),
            "script-src 'self' 'wasm-unsafe-eval'; frame-ancestors https://app.hubspot.com http://localhost:8080"
        );
        assert!(Origins::parse::<&str>(&[])
            .unwrap()
            .csp()
            .ends_with("frame-ancestors 'none'"));
        let stripe = EmbedConfig {
            origins: o,
            stripe_publishable_key: Some("pk_test_x".into()),
        };
        assert!(stripe
            .csp("/embed/card.html")
            .starts_with("script-src 'self' https://js.stripe.com 'wasm-unsafe-eval';"));
        assert!(stripe
            .csp("/embed/frame.html")
            .starts_with("script-src 'self' 'wasm-unsafe-eval';"));
        for (bad, why) in [
            ("app.hubspot.com", "scheme"),
            ("ftp://x.example", "http and https"),
            ("https://x.example/path", "no path"),
            ("https://x.example/?a=1", "no path"),
            ("https://*.example.com", "wildcards"),
            ("https://u@x.example", "user name"),
            ("not a url", "URL"),
        ] {
            let err = Origins::parse(&[bad]).unwrap_err();
            assert!(err.contains(why), "{bad}: {err}");
            assert!(err.contains(bad), "{err}");
        }
    }
}
