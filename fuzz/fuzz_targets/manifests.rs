//! Arbitrary bytes → the four manifest loaders → validation, alone and together.
//!
//! The input is split on NUL bytes into up to four documents: catalog, contract, policy,
//! directory (the seed corpus joins the demo manifests that way). Nothing may panic.

#![no_main]

use inflow::manifest::{self, json, Catalog, Contract, Directory, Policy};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let mut parts = data.split(|&b| b == 0).map(String::from_utf8_lossy);
    let catalog = parts
        .next()
        .and_then(|t| json::from_str::<Catalog>("catalog", &t).ok());
    let contract = parts
        .next()
        .and_then(|t| json::from_str::<Contract>("contract", &t).ok());
    let policy = parts
        .next()
        .and_then(|t| json::from_str::<Policy>("policy", &t).ok());
    let directory = parts
        .next()
        .and_then(|t| json::from_str::<Directory>("directory", &t).ok());
    // Each document alone as every kind too, so one-document inputs reach every loader.
    if let Ok(text) = std::str::from_utf8(data) {
        let _ = json::from_str::<Catalog>("catalog", text).map(|c| manifest::check_catalog(&c));
        let _ = json::from_str::<Contract>("contract", text)
            .map(|k| manifest::check_some(None, Some(&k), None));
        let _ = json::from_str::<Policy>("policy", text)
            .map(|p| manifest::check_some(None, None, Some(&p)));
        let _ = json::from_str::<Directory>("directory", text)
            .map(|d| manifest::check_directory(&d));
    }
    if let Some(d) = &directory {
        let _ = manifest::check_directory(d);
    }
    let _ = manifest::check_some(catalog.as_ref(), contract.as_ref(), policy.as_ref());
    if let (Some(c), Some(k), Some(p)) = (catalog, contract, policy) {
        if let Ok(m) = inflow::Manifests::new(c, k, p) {
            let _ = m.versions();
            let _ = m.catalog().modules.first().map(|x| m.module(&x.id));
        }
    }
});
