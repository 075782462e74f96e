//! JS values into core types.
//!
//! Manifests cross as JSON text (a string, or an object the boundary stringifies) and are
//! read by the same loader as the server's, so both refuse the same documents with the
//! same paths: unknown fields, wrong types, malformed JSON with line and column.
//! Small option bags cross through serde-wasm-bindgen.

use serde::de::DeserializeOwned;
use wasm_bindgen::JsValue;

use crate::manifest::json;
use crate::{Error, Result};

/// Reads a manifest given as JSON text or as a plain object, naming paths from `root`.
///
/// # Errors
/// [`Error::Syntax`] for malformed text; [`Error::Manifest`] for a value that does not fit.
pub(crate) fn manifest_from_js<T: DeserializeOwned>(root: &str, value: &JsValue) -> Result<T> {
    if let Some(text) = value.as_string() {
        return json::from_str(root, &text);
    }
    let text = js_sys::JSON::stringify(value)
        .ok()
        .and_then(|s| s.as_string())
        .ok_or_else(|| Error::input(root, "expected a JSON object or JSON text"))?;
    json::from_str(root, &text)
}

/// Deserializes an option bag with serde-wasm-bindgen, naming paths from `root`.
///
/// # Errors
/// [`Error::Input`] at the path of the value that does not fit.
#[allow(dead_code)] // used by the Engine bindings for option bags
pub(crate) fn from_js<T: DeserializeOwned>(root: &str, value: JsValue) -> Result<T> {
    let de = serde_wasm_bindgen::Deserializer::from(value);
    serde_path_to_error::deserialize(de).map_err(|e| {
        let path = match e.path().to_string() {
            p if p.is_empty() || p == "." => root.to_string(),
            p if p.starts_with('[') => format!("{root}{p}"),
            p => format!("{root}.{p}"),
        };
        Error::input(path, e.into_inner().to_string())
    })
}
