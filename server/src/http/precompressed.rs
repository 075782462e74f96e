//! Files compressed at build time: `FILE.br` (brotli 11) and `FILE.gz` (gzip 9) beside `FILE`
//! in `www/` or `pkg/`, written by scripts/precompress.mjs. [`ServeDir`] sends them as they
//! are to a browser that accepts them, which saves compressing the wasm on every request (tens
//! of milliseconds of CPU) and is smaller (brotli 11 is too slow to run per request).
//!
//! A compressed copy is only sent while it is at least as new as its file: a file rebuilt
//! without compressing it again would otherwise be answered with the old build's bytes. The
//! request reaches [`ServeDir`] accepting only the codings of fresh copies; for a path this
//! module cannot check, none, so it sends the file itself (compressed on the fly further out,
//! as every other file is).
//!
//! [`ServeDir`]: tower_http::services::ServeDir

use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::SystemTime;

use axum::extract::{Request, State};
use axum::http::header::{ACCEPT_ENCODING, CONTENT_ENCODING, LAST_MODIFIED, VARY};
use axum::http::HeaderValue;
use axum::middleware::Next;
use axum::response::Response;

/// The compressed copies, as scripts/precompress.mjs names them: (file extension, the
/// content coding a browser names in `Accept-Encoding`).
pub const COPIES: [(&str, &str); 2] = [("br", "br"), ("gz", "gzip")];

/// Where the served directories are: `www/` at `/`, `pkg/` at `/pkg/` (the manifests are
/// small, change at run time and are never precompressed).
#[derive(Clone, Debug)]
pub struct Roots {
    www: PathBuf,
    pkg: PathBuf,
}

impl Roots {
    pub fn new(root: &Path) -> Arc<Self> {
        Arc::new(Self {
            www: root.join("www"),
            pkg: root.join("pkg"),
        })
    }

    /// The file a request path names, or None when it names a directory, the manifests, or
    /// anything but plain names (percent-escapes, `..`): those never get a compressed copy.
    fn file_for(&self, path: &str) -> Option<PathBuf> {
        let (dir, rest) = match path.strip_prefix("/pkg/") {
            Some(rest) => (&self.pkg, rest),
            None if path.starts_with("/manifests/") => return None,
            None => (&self.www, path.strip_prefix('/')?),
        };
        let mut file = dir.clone();
        for segment in rest.split('/') {
            let plain = segment
                .bytes()
                .all(|b| b.is_ascii_alphanumeric() || b"._-".contains(&b));
            if segment.is_empty() || segment.starts_with('.') || !plain {
                return None;
            }
            file.push(segment);
        }
        Some(file)
    }
}

/// What a precompressed response stands for: its file's length and modification time, so its
/// validators (ETag, Last-Modified) are the file's, the same for every encoding of it.
#[derive(Clone, Copy, Debug)]
pub struct Original {
    pub length: u64,
}

/// A file with compressed copies: its length and modification time, and the codings of its
/// copies that are at least as new as it.
struct Copies {
    length: u64,
    modified: SystemTime,
    fresh: Vec<&'static str>,
}

/// The copies of `file`, or None when it has none or cannot be read.
async fn copies(file: &Path) -> Option<Copies> {
    let meta = tokio::fs::metadata(file).await.ok()?;
    let modified = meta.modified().ok()?;
    let mut any = false;
    let mut fresh = Vec::new();
    for (ext, coding) in COPIES {
        let mut copy = file.as_os_str().to_owned();
        copy.push(format!(".{ext}"));
        if let Ok(copy) = tokio::fs::metadata(&copy).await {
            any = true;
            if copy.modified().is_ok_and(|t| t >= modified) {
                fresh.push(coding);
            }
        }
    }
    any.then_some(Copies {
        length: meta.len(),
        modified,
        fresh,
    })
}

/// `Accept-Encoding` with only the codings in `keep` (their q-values kept); None when none is left.
fn only(accept: &HeaderValue, keep: &[&str]) -> Option<HeaderValue> {
    let items: Vec<&str> = accept
        .to_str()
        .ok()?
        .split(',')
        .map(str::trim)
        .filter(|item| {
            let coding = item.split(';').next().unwrap_or_default().trim();
            keep.iter().any(|k| coding.eq_ignore_ascii_case(k))
        })
        .collect();
    if items.is_empty() {
        return None;
    }
    HeaderValue::from_str(&items.join(", ")).ok()
}

/// Lets [`ServeDir`](tower_http::services::ServeDir) pick a compressed copy only when it is
/// fresh, and gives the response it picked the file's own validators.
pub async fn fresh_only(
    State(roots): State<Arc<Roots>>,
    mut request: Request,
    next: Next,
) -> Response {
    let copies = match roots.file_for(request.uri().path()) {
        Some(file) => copies(&file).await,
        None => None,
    };
    let fresh = copies.as_ref().map_or(&[][..], |c| &c.fresh[..]);
    let accept = request.headers_mut().remove(ACCEPT_ENCODING);
    if let Some(accept) = accept.and_then(|a| only(&a, fresh)) {
        request.headers_mut().insert(ACCEPT_ENCODING, accept);
    }
    let mut response = next.run(request).await;
    let Some(copies) = copies else {
        return response;
    };
    let headers = response.headers_mut();
    if !headers.contains_key(VARY) {
        headers.insert(VARY, HeaderValue::from_static("accept-encoding"));
    }
    if response.status().is_success() && response.headers().contains_key(CONTENT_ENCODING) {
        if let Ok(date) = HeaderValue::from_str(&httpdate::fmt_http_date(copies.modified)) {
            response.headers_mut().insert(LAST_MODIFIED, date);
        }
        response.extensions_mut().insert(Original {
            length: copies.length,
        });
    }
    response
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_plain_paths_under_www_and_pkg_name_a_file() {
        let roots = Roots::new(Path::new("/srv"));
        assert_eq!(
            roots.file_for("/pkg/inflow_bg.wasm"),
            Some(PathBuf::from("/srv/pkg/inflow_bg.wasm"))
        );
        assert_eq!(
            roots.file_for("/dist/inflow.js"),
            Some(PathBuf::from("/srv/www/dist/inflow.js"))
        );
        for path in [
            "/manifests/catalog.json",
            "/demo/",
            "/",
            "/pkg/../secret",
            "/dist/%2e%2e/x.js",
            "/dist/.hidden",
            "/dist//x.js",
        ] {
            assert_eq!(roots.file_for(path), None, "{path}");
        }
    }

    #[test]
    fn accept_encoding_keeps_only_the_fresh_codings() {
        let h = |s: &str| HeaderValue::from_str(s).unwrap();
        assert_eq!(only(&h("gzip, deflate, br, zstd"), &["br"]), Some(h("br")));
        assert_eq!(
            only(&h("br;q=0.9, GZIP;q=1"), &["br", "gzip"]),
            Some(h("br;q=0.9, GZIP;q=1"))
        );
        assert_eq!(only(&h("br"), &["gzip"]), None);
        assert_eq!(only(&h("*"), &["br", "gzip"]), None);
        assert_eq!(only(&h("gzip"), &[]), None);
    }
}
