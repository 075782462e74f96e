//! The demo scenario's manifests, shared by the integration tests.
#![allow(dead_code)]

use inflow::checkout::{ManifestRef, ManifestRefs};
use inflow::manifest::{json, Catalog, Contract, Directory, Policy};
use inflow::Manifests;

/// Reads `manifests/NAME.json`.
pub fn read(name: &str) -> String {
    std::fs::read_to_string(format!(
        "{}/manifests/{name}.json",
        env!("CARGO_MANIFEST_DIR")
    ))
    .unwrap()
}

/// The demo manifests, validated, and the demo users.
pub fn demo() -> (Manifests, Directory) {
    let catalog: Catalog = json::from_str("catalog", &read("catalog")).unwrap();
    let contract: Contract = json::from_str("contract", &read("contract")).unwrap();
    let policy: Policy = json::from_str("policy", &read("policy")).unwrap();
    let users: Directory = json::from_str("users", &read("users")).unwrap();
    (Manifests::new(catalog, contract, policy).unwrap(), users)
}

/// Manifest versions and digests for records built in tests (the core does not check them;
/// the server does).
pub fn refs() -> ManifestRefs {
    let r = |v: &str| ManifestRef {
        version: v.into(),
        digest: "0".repeat(64),
    };
    ManifestRefs {
        catalog: r("c"),
        contract: r("k"),
        policy: r("p"),
    }
}
