//! Loading and validating the demo manifests from JSON text (goal: at most 1 ms), the way
//! the browser and the server do at start: parse with paths, then `Manifests::new`.

use std::hint::black_box;

use criterion::{criterion_group, criterion_main, Criterion};
use inflow::manifest::{json, Catalog, Contract, Policy};
use inflow::Manifests;

const CATALOG: &str = include_str!("../manifests/catalog.json");
const CONTRACT: &str = include_str!("../manifests/contract.json");
const POLICY: &str = include_str!("../manifests/policy.json");

fn load() -> inflow::Result<Manifests> {
    let catalog: Catalog = json::from_str("catalog", CATALOG)?;
    let contract: Contract = json::from_str("contract", CONTRACT)?;
    let policy: Policy = json::from_str("policy", POLICY)?;
    Manifests::new(catalog, contract, policy)
}

fn bench(c: &mut Criterion) {
    assert!(load().is_ok(), "the demo manifests load");
    c.bench_function("load and validate the demo manifests", |b| {
        b.iter(|| black_box(load()))
    });
    let catalog: Catalog = json::from_str("catalog", CATALOG).expect("catalog");
    let contract: Contract = json::from_str("contract", CONTRACT).expect("contract");
    let policy: Policy = json::from_str("policy", POLICY).expect("policy");
    c.bench_function("validate the demo manifests (already parsed)", |b| {
        b.iter(|| {
            black_box(Manifests::new(
                catalog.clone(),
                contract.clone(),
                policy.clone(),
            ))
        })
    });
}

criterion_group!(benches, bench);
criterion_main!(benches);
