//! The WebAssembly bindings: the only module that names wasm-bindgen and js-sys. Each
//! binding converts its arguments, calls one core function and converts the result;
//! values cross as JSON text (see [`convert`]); errors as real JS `Error` objects (see
//! [`error`]).

mod checks;
mod convert;
mod engine;
mod error;
mod manifest;
mod types;

use wasm_bindgen::prelude::*;

/// The version of the Inflow core, for example `"0.1.0"`.
#[wasm_bindgen]
pub fn version() -> String {
    env!("CARGO_PKG_VERSION").to_string()
}
