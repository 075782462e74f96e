//! Manifest validation from JS.

use wasm_bindgen::prelude::*;

use super::convert::manifest_from_js;
use crate::manifest::{check_catalog, Catalog};

#[wasm_bindgen(typescript_custom_section)]
const CATALOG_TS: &str = r#"
/** A catalog manifest as parsed from JSON; its schema is manifests/schema/catalog.schema.json. */
export interface Catalog {
    version: string;
    supplier: { id: string; name: string };
    currencies: string[];
    features: object[];
    modules: object[];
    [field: string]: unknown;
}
"#;

/// Validates a catalog; returns nothing or throws an `InflowError` listing every problem.
#[wasm_bindgen(js_name = validateCatalog)]
pub fn validate_catalog(
    #[wasm_bindgen(unchecked_param_type = "Catalog")] catalog: JsValue,
) -> Result<(), JsValue> {
    let catalog: Catalog = manifest_from_js("catalog", &catalog)?;
    check_catalog(&catalog)?;
    Ok(())
}
