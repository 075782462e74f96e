//! JSON Schemas of the manifests, generated from the Rust types with schemars.
//!
//! `inflow schema --out manifests/schema` writes them; the `schema_sync` test fails when
//! the committed files differ from what the types generate.

use crate::error::{Error, Result};

use super::{Catalog, Contract, Directory, Policy};

/// The schema files: (file name, pretty-printed JSON text ending with a newline), for
/// the catalog, the contract, the policy and the directory, in that order.
///
/// # Errors
/// [`ErrorKind::Input`] if a schema cannot be printed as JSON (it always can in practice).
pub fn files() -> Result<Vec<(&'static str, String)>> {
    [
        ("catalog.schema.json", schemars::schema_for!(Catalog)),
        ("contract.schema.json", schemars::schema_for!(Contract)),
        ("policy.schema.json", schemars::schema_for!(Policy)),
        ("directory.schema.json", schemars::schema_for!(Directory)),
    ]
    .into_iter()
    .map(|(name, schema)| {
        serde_json::to_string_pretty(&schema)
            .map(|text| (name, text + "\n"))
            .map_err(|e| Error::input(name, e.to_string()))
    })
    .collect()
}
