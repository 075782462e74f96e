//! Core errors as JS `Error` objects: `name` is `"InflowError"`, `message` the error's
//! text, `code` its stable code, `path` the JSON path it points at (when it points at
//! one) and, for manifest errors, `problems`: every `{ path, message, expected }` found.

use js_sys::{Array, Object, Reflect};
use wasm_bindgen::JsValue;

use crate::{Error, ErrorKind};

/// Builds the JS `Error` for a core error.
pub(crate) fn to_js(e: Error) -> JsValue {
    let js = js_sys::Error::new(&e.to_string());
    js.set_name("InflowError");
    set(&js, "code", &e.code().into());
    if let Some(path) = e.path() {
        set(&js, "path", &path.into());
    }
    if let ErrorKind::Manifest(problems) = e.kind() {
        let list: Array = problems.iter().map(problem).collect();
        set(&js, "problems", &list);
    }
    js.into()
}

impl From<Error> for JsValue {
    fn from(e: Error) -> JsValue {
        to_js(e)
    }
}

fn problem(p: &crate::Problem) -> JsValue {
    let o = Object::new();
    set(&o, "path", &p.path.as_str().into());
    set(&o, "message", &p.message.as_str().into());
    let expected = p.expected.as_deref().map_or(JsValue::NULL, JsValue::from);
    set(&o, "expected", &expected);
    o.into()
}

/// Sets a property on an object this module just created: that cannot fail, so the
/// `Result` of `Reflect::set` carries nothing to act on.
fn set(target: &JsValue, key: &str, value: &JsValue) {
    let _ = Reflect::set(target, &JsValue::from_str(key), value);
}
