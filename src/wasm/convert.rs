//! JS values into core types, and core results back into JS values.
//!
//! JSON text crosses the boundary. Manifests and option bags arrive
//! as JSON text (a string, or an object the boundary stringifies with `JSON.stringify`)
//! and are read by the tree reader (`manifest::json::read`), which refuses the same
//! documents as the server's loader with the same paths and messages: unknown fields,
//! wrong types, malformed JSON with line and column.
//! Results leave as JSON text that `JSON.parse` turns into plain objects, written by
//! `manifest::json::write` (serde_json's text, from a smaller serializer).

use serde::Serialize;
use wasm_bindgen::JsValue;

use crate::manifest::json::{self, read::Read};
use crate::{Error, Result};

/// The JSON text of a JS value: the string itself, or `JSON.stringify` of anything else.
fn text(root: &str, value: &JsValue) -> Result<String> {
    if let Some(text) = value.as_string() {
        return Ok(text);
    }
    js_sys::JSON::stringify(value)
        .ok()
        .and_then(|s| s.as_string())
        .ok_or_else(|| Error::input(root, "expected a JSON object or JSON text"))
}

/// Reads a manifest given as JSON text or as a plain object, naming paths from `root`.
///
/// # Errors
/// [`ErrorKind::Syntax`] for malformed text; [`ErrorKind::Manifest`] for a value that does not fit.
pub(crate) fn manifest_from_js<T: Read>(root: &str, value: &JsValue) -> Result<T> {
    json::read_str(root, &text(root, value)?)
}

/// Reads an option bag (a plain object), naming paths from `root`.
///
/// # Errors
/// [`ErrorKind::Input`] at the path of the value that does not fit.
pub(crate) fn from_js<T: Read>(root: &str, value: &JsValue) -> Result<T> {
    // `JSON.stringify(undefined)` is not text: read it as the absent value, `null`.
    let text = if value.is_undefined() {
        "null".to_string()
    } else {
        text(root, value)?
    };
    json::read_input(root, &text)
}

/// A result as a plain JS value: written as JSON text, then `JSON.parse`d.
///
/// # Errors
/// An `InflowError` if the value cannot be written (result types always can: their map
/// keys are strings).
pub(crate) fn to_js<T: Serialize>(value: &T) -> Result<JsValue, JsValue> {
    parse(json::write::to_string(value))
}

/// The written text parsed into a JS value: the part of [`to_js`] that does not depend on the
/// type, kept out of each instantiation.
#[inline(never)]
fn parse(text: json::write::Result<String>) -> Result<JsValue, JsValue> {
    let text = text.map_err(|e| Error::input("result", e.to_string()))?;
    js_sys::JSON::parse(&text)
}
