//! Pricing benchmarks: a 10-line quote on a catalog shaped like the demo's (goal: at most
//! 20 µs), one graduated price, and a 12-month plan comparison.

use inflow::collections::Map;
use std::hint::black_box;
use std::str::FromStr;

use criterion::{criterion_group, criterion_main, Criterion};
use inflow::manifest::{Catalog, Contract, Policy, Price, PriceModel, Tier};
use inflow::pricing::advisor::plans_of;
use inflow::pricing::{advise, quote, AdviceRequest, QuoteRequest, Selection};
use inflow::{Currency, Date, Manifests, Period};
use rust_decimal::Decimal;

fn d(s: &str) -> Decimal {
    Decimal::from_str(s).unwrap()
}

fn manifests() -> Manifests {
    let catalog: Catalog =
        serde_json::from_str(include_str!("../tests/fixtures/pricing/catalog.json")).unwrap();
    let contract: Contract =
        serde_json::from_str(include_str!("../tests/fixtures/pricing/contract.json")).unwrap();
    let policy: Policy =
        serde_json::from_str(include_str!("../tests/fixtures/pricing/policy.json")).unwrap();
    Manifests::new(catalog, contract, policy).unwrap()
}

fn demo() -> Manifests {
    let catalog: Catalog = serde_json::from_str(include_str!("../manifests/catalog.json")).unwrap();
    let contract: Contract =
        serde_json::from_str(include_str!("../manifests/contract.json")).unwrap();
    let policy: Policy = serde_json::from_str(include_str!("../manifests/policy.json")).unwrap();
    Manifests::new(catalog, contract, policy).unwrap()
}

fn ten_lines() -> QuoteRequest {
    let date = Date::parse("2026-06-19").unwrap();
    QuoteRequest {
        selections: [
            ("forecasting", "25"),
            ("advanced-reports", "40"),
            ("report-scheduler", "1"),
            ("territory-planning", "6"),
            ("conversation-insights", "12500"),
            ("e-signature", "60"),
            ("data-enrichment", "5000"),
            ("ai-email", "12"),
            ("extra-storage", "35"),
            ("sales-productivity-pack", "10"),
        ]
        .iter()
        .map(|(m, q)| Selection::new(*m, d(q)))
        .collect(),
        currency: Currency::USD,
        date,
        prorate: Some(Period::new(date, Date::parse("2026-07-01").unwrap()).unwrap()),
    }
}

fn bench(c: &mut Criterion) {
    let m = manifests();
    let r = ten_lines();
    assert_eq!(quote(&m, &r).unwrap().lines.len(), 10);
    c.bench_function("quote_10_lines_prorated", |b| {
        b.iter(|| quote(black_box(&m), black_box(&r)).unwrap())
    });

    // The same ten lines on the demo manifests themselves.
    let demo = demo();
    let mut r_demo = ten_lines();
    for s in &mut r_demo.selections {
        s.module = match s.module.as_str() {
            "forecasting" => "pipeline-forecasting".into(),
            "ai-email" => "ai-email-assistant".into(),
            other => other.into(),
        };
    }
    assert_eq!(quote(&demo, &r_demo).unwrap().lines.len(), 10);
    c.bench_function("quote_10_lines_prorated_demo", |b| {
        b.iter(|| quote(black_box(&demo), black_box(&r_demo)).unwrap())
    });

    let graduated = Price {
        model: PriceModel::Graduated {
            tiers: vec![
                Tier {
                    up_to: Some(d("1000")),
                    unit_price: d("0.05"),
                    flat_fee: Decimal::ZERO,
                },
                Tier {
                    up_to: Some(d("10000")),
                    unit_price: d("0.03"),
                    flat_fee: Decimal::ZERO,
                },
                Tier {
                    up_to: None,
                    unit_price: d("0.02"),
                    flat_fee: Decimal::ZERO,
                },
            ],
        },
        minimum: None,
        maximum: None,
    };
    let q = d("12500");
    c.bench_function("graduated_price", |b| {
        b.iter(|| {
            inflow::pricing::models::amount(black_box(&graduated), black_box(q), &[]).unwrap()
        })
    });

    let advice = AdviceRequest {
        currency: Currency::USD,
        date: Date::parse("2026-06-19").unwrap(),
        history: (0..12)
            .map(|i| Map::from_iter([("x".to_string(), Decimal::from(i))]))
            .collect(),
        candidates: plans_of(&m, "sandbox", Decimal::ONE).unwrap(),
        current: Some("monthly".into()),
    };
    c.bench_function("advise_12_months_2_plans", |b| {
        b.iter(|| advise(black_box(&m), black_box(&advice)).unwrap())
    });
}

criterion_group!(benches, bench);
criterion_main!(benches);
