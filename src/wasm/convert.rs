//! JS values into core types, with the JSON path of a value that does not fit
//! (`catalog.modules[0].plans: invalid type: …`).

use serde::de::DeserializeOwned;
use wasm_bindgen::JsValue;

use crate::{Error, Problem, Result};

/// Deserializes `value` as a `T`, naming paths from `root` (`"catalog"`, …).
///
/// # Errors
/// [`Error::Manifest`] with one problem at the path of the value that does not fit.
pub(crate) fn from_js<T: DeserializeOwned>(root: &str, value: JsValue) -> Result<T> {
    let de = serde_wasm_bindgen::Deserializer::from(value);
    serde_path_to_error::deserialize(de).map_err(|e| {
        let path = match e.path().to_string() {
            p if p.is_empty() || p == "." => root.to_string(),
            p if p.starts_with('[') => format!("{root}{p}"),
            p => format!("{root}.{p}"),
        };
        Error::Manifest(vec![Problem::new(path, e.into_inner().to_string())])
    })
}
