//! One entitlement check on the demo catalog (goal: at most 100 ns).

use inflow::collections::Map;
use std::hint::black_box;

use criterion::{criterion_group, criterion_main, Criterion};
use inflow::entitlement::{Entitlements, Grant, GrantSource, Holder, UsageLedger};
use inflow::manifest::{Catalog, User};
use inflow::{Date, Instant};
use rust_decimal::Decimal;

fn setup() -> Entitlements {
    let catalog: Catalog =
        serde_json::from_str(include_str!("../manifests/catalog.json")).expect("demo catalog");
    let user = User {
        id: "u-rep-01".into(),
        name: "Rep".into(),
        attributes: Map::from_iter([("department".to_string(), "Sales".to_string())]),
    };
    let start = Date::parse("2026-06-01").expect("date");
    let grants = [
        Grant::new(
            "g1",
            "pipeline-forecasting",
            GrantSource::Purchase,
            Holder::User("u-rep-01".into()),
            start,
        ),
        Grant::new(
            "g2",
            "data-enrichment",
            GrantSource::Plan,
            Holder::Department("Sales".into()),
            start,
        ),
    ];
    let mut e = Entitlements::new(&catalog, &user, &grants, UsageLedger::new()).expect("ents");
    let at = Date::parse("2026-06-10").expect("date").start();
    e.record("reports.export", Decimal::from(12), at)
        .expect("record");
    e
}

fn bench(c: &mut Criterion) {
    let e = setup();
    let at = Instant(Date::parse("2026-06-10").expect("date").start().0 + 3_600_000);
    c.bench_function(
        "check limit (reports.export, base 50/month, 12 used)",
        |b| b.iter(|| e.check(black_box("reports.export"), black_box(at))),
    );
    c.bench_function("check switch (forecast.pipeline, granted)", |b| {
        b.iter(|| e.check(black_box("forecast.pipeline"), black_box(at)))
    });
    c.bench_function("check switch (reports.advanced, not granted)", |b| {
        b.iter(|| e.check(black_box("reports.advanced"), black_box(at)))
    });
}

criterion_group!(benches, bench);
criterion_main!(benches);
