//! JS values into core types, and core results back into JS values.
//!
//! Manifests and option bags arrive as JSON text or as plain objects; the module parses them
//! into a tree (`tree.rs`, `manifest::json::parse`), which the tree reader
//! (`manifest::json::read`) reads with the server's paths and messages: unknown fields,
//! wrong types. Malformed text is refused with serde_json's message, line and column.
//! Results leave as JSON text that `JSON.parse` turns into plain objects, written by
//! `manifest::json::write` (serde_json's text, from a smaller serializer).

use serde::Serialize;
use wasm_bindgen::JsValue;

use super::tree;
use crate::manifest::json::{self, node::Node, read::Read};
use crate::{Error, Result};

/// Reads a manifest given as JSON text or as a plain object, naming paths from `root`.
///
/// # Errors
/// [`crate::ErrorKind::Syntax`] for malformed text; [`crate::ErrorKind::Manifest`] for a value that does not fit.
pub(crate) fn manifest_from_js<T: Read>(root: &str, value: &JsValue) -> Result<T> {
    json::read_node(root, &tree::parse(root, value)?)
}

/// Reads an option bag (a plain object), naming paths from `root`.
///
/// # Errors
/// [`crate::ErrorKind::Input`] at the path of the value that does not fit.
pub(crate) fn from_js<T: Read>(root: &str, value: &JsValue) -> Result<T> {
    // `undefined` has no JSON: read it as the absent value, `null`.
    let node = if value.is_undefined() {
        Node::Null
    } else {
        tree::parse(root, value)?
    };
    json::read_input_node(root, &node)
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
    tree::json_parse(&JsValue::from_str(&text)).map_err(JsValue::from)
}
