//! JSON from JS as the tree reader's [`Node`]: the text is copied into the module's memory
//! once and parsed there (`manifest::json::parse`, serde_json's grammar and messages), then
//! read by `manifest::json::read`. One call across the JS boundary per document, where
//! walking a `JSON.parse`d value took several per value.
//!
//! A plain object passes through `JSON.stringify` first, so that what is read is exactly
//! the JSON it stands for (`toJSON`, `undefined` left out, `NaN` as `null`), as if its text
//! had been given.
//!
//! The browser converts the numbers with a fraction or an exponent (`JSON.parse` of the
//! number's text): correctly rounded, as the server (serde_json with `float_roundtrip`)
//! reads them, without a float parser in the module.

use js_sys::Uint8Array;
use wasm_bindgen::prelude::*;

use crate::manifest::json::node::Node;
use crate::manifest::json::parse::{self, SyntaxError};
use crate::{Error, ErrorKind, Result};

#[wasm_bindgen]
extern "C" {
    /// `JSON.parse` of a JS string: the floats' text here, and the results' text.
    #[wasm_bindgen(js_namespace = JSON, js_name = parse, catch)]
    pub(super) fn json_parse(text: &JsValue) -> std::result::Result<JsValue, js_sys::Error>;

    type TextEncoder;
    #[wasm_bindgen(constructor)]
    fn new() -> TextEncoder;
    /// The text as UTF-8, by the browser's encoder: a document is copied into the module in
    /// one native call, not character by character (wasm-bindgen's string passing copies
    /// ASCII in a JS loop, slow before the JIT has seen it: 2.5 ms for the demo manifests).
    #[wasm_bindgen(method)]
    fn encode(this: &TextEncoder, text: &JsValue) -> Uint8Array;
}

/// The tree of `value`: JSON text, or a plain object through its JSON.
///
/// # Errors
/// [`ErrorKind::Syntax`] naming `root`, with the line, the column and serde_json's message,
/// for malformed text or nesting deeper than 127 levels; [`ErrorKind::Input`] at `root` for a
/// value that is neither text nor has JSON (`undefined`, a function, a cycle, a `BigInt`).
pub(crate) fn parse(root: &str, value: &JsValue) -> Result<Node> {
    let text = if value.is_string() {
        value.clone()
    } else {
        js_sys::JSON::stringify(value)
            .ok()
            .map(JsValue::from)
            .filter(JsValue::is_string)
            .ok_or_else(|| Error::input(root, "expected a JSON object or JSON text"))?
    };
    parse::parse(&TextEncoder::new().encode(&text).to_vec(), &float).map_err(|e| syntax(root, e))
}

/// Malformed JSON in the argument `root`.
fn syntax(root: &str, e: SyntaxError) -> Error {
    ErrorKind::Syntax {
        root: Some(root.to_string()),
        at: Some((e.line, e.column)),
        message: e.message.to_string(),
    }
    .into()
}

/// The value of a JSON number's text, by the browser's own parser.
fn float(text: &str) -> f64 {
    json_parse(&JsValue::from_str(text))
        .ok()
        .and_then(|n| n.as_f64())
        .unwrap_or(f64::NAN)
}
