//! JSON from JS as the tree reader's [`Node`]: the browser's `JSON.parse` parses the text
//! (the module carries no JSON parser of its own), and the parsed value is walked into a
//! `Node` for `manifest::json::read`.
//!
//! A plain object passes through `JSON.stringify` first, so that what is read is exactly
//! the JSON the object stands for (`toJSON`, `undefined` left out, `NaN` as `null`), as if
//! its text had been given.
//!
//! What the tree cannot tell, so the browser accepts where the server's reader (serde_json
//! on the text) refuses:
//! - a key repeated in one object: `JSON.parse` keeps the last value;
//! - an integer written as a float (`3.0`, `1e3`, `-0`): it reads as the integer;
//! - an integer beyond 2^53: it arrives rounded, as a float, so an integer field refuses it
//!   and a decimal one reads the rounded value;
//! - a lone surrogate in a string (`"\ud800"`): it reads as U+FFFD.
//!
//! And one the server calls malformed, the browser a misfit: a number beyond a double's range
//! (`1e400`) arrives as infinity, which no field accepts.
//!
//! An object's integer-like keys (`"2"`) come first, in ascending order, as `JSON.parse`
//! orders them; a document with two misfits may be refused for another one first.

use js_sys::{Array, Object, Reflect};
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;

use crate::manifest::json::node::Node;
use crate::{Error, ErrorKind, Result};

#[wasm_bindgen]
extern "C" {
    /// `JSON.parse` of a JS string: the manifests' text as the caller gave it, without
    /// copying it through the module's memory, and the results' text.
    #[wasm_bindgen(js_namespace = JSON, js_name = parse, catch)]
    pub(super) fn json_parse(text: &JsValue) -> std::result::Result<JsValue, js_sys::Error>;
}

/// How many levels arrays and objects may nest: serde_json's limit, so the server refuses
/// deeper documents too, and a bound on the walk's recursion.
const MAX_DEPTH: usize = 127;

/// The largest integer a JS number holds exactly, 2^53 − 1.
const MAX_SAFE_INTEGER: f64 = 9_007_199_254_740_991.0;

/// The tree of `value`: JSON text parsed, or a plain object through its JSON.
///
/// # Errors
/// [`ErrorKind::Syntax`] naming `root`, with `JSON.parse`'s message, for malformed text or
/// nesting deeper than 127 levels; [`ErrorKind::Input`] at `root` for a value that is neither
/// text nor has JSON (`undefined`, a function, a cycle, a `BigInt`).
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
    let parsed = json_parse(&text).map_err(|e| syntax(root, e.message().into()))?;
    node(root, &parsed, 0)
}

/// Malformed JSON in the argument `root`: `JSON.parse` says where, in `message`.
fn syntax(root: &str, message: String) -> Error {
    ErrorKind::Syntax {
        root: Some(root.to_string()),
        at: None,
        message,
    }
    .into()
}

/// One parsed value as a node; `depth` is how many arrays and objects hold it. The checks
/// come in the order that calls into JS least: one cheap type test per value, a string
/// copied only once it is known to be one.
fn node(root: &str, value: &JsValue, depth: usize) -> Result<Node> {
    if value.is_string() {
        return Ok(Node::Str(text(value)));
    }
    if value.is_object() {
        if depth == MAX_DEPTH {
            return Err(syntax(
                root,
                format!("arrays and objects nest deeper than {MAX_DEPTH} levels"),
            ));
        }
        return if value.is_array() {
            let items: &Array = value.unchecked_ref();
            (0..items.length())
                .map(|i| node(root, &items.get(i), depth + 1))
                .collect::<Result<_>>()
                .map(Node::Array)
        } else {
            let keys = Object::keys::<JsValue>(value.unchecked_ref());
            (0..keys.length())
                .map(|i| {
                    let key = keys.get(i);
                    // A key of an object this module just had parsed: reading it cannot fail.
                    let item = Reflect::get(value, &key).unwrap_or(JsValue::NULL);
                    Ok((text(&key), node(root, &item, depth + 1)?))
                })
                .collect::<Result<_>>()
                .map(Node::Object)
        };
    }
    Ok(match value.as_bool() {
        Some(b) => Node::Bool(b),
        None if value.is_null() => Node::Null,
        // What JSON.parse gives is a string, object, array, boolean, null or number.
        None => number(value.unchecked_into_f64()),
    })
}

/// A JS string's text.
fn text(value: &JsValue) -> String {
    value.as_string().unwrap_or_default()
}

/// A JS number as the node serde_json would make of its shortest text: an integer as
/// `U64` or `I64` where the number is one exactly, any other as `F64`.
fn number(n: f64) -> Node {
    if n.trunc() != n || n.abs() > MAX_SAFE_INTEGER {
        Node::F64(n)
    } else if n >= 0.0 {
        // Exact: an integer of at most 53 bits.
        Node::U64(n as u64)
    } else {
        Node::I64(n as i64)
    }
}
