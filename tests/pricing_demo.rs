//! The demo scenario's figures (SCENARIO.md), quoted from the demo manifests under
//! manifests/, for a US sales rep (USD) and a German one (EUR).

use std::str::FromStr;

use inflow::manifest::{Catalog, Contract, Policy};
use inflow::pricing::advisor::plans_of;
use inflow::pricing::{advise, quote, AdviceRequest, QuoteRequest, Selection};
use inflow::{Currency, Date, Manifests, Period};
use rust_decimal::Decimal;

fn d(s: &str) -> Decimal {
    Decimal::from_str(s).unwrap()
}

fn demo() -> Manifests {
    let read = |n: &str| {
        std::fs::read_to_string(format!("{}/manifests/{n}.json", env!("CARGO_MANIFEST_DIR")))
            .unwrap()
    };
    let catalog: Catalog = serde_json::from_str(&read("catalog")).unwrap();
    let contract: Contract = serde_json::from_str(&read("contract")).unwrap();
    let policy: Policy = serde_json::from_str(&read("policy")).unwrap();
    Manifests::new(catalog, contract, policy).unwrap()
}

fn usd(selections: &[(&str, &str)]) -> QuoteRequest {
    QuoteRequest {
        selections: selections
            .iter()
            .map(|(m, q)| Selection::new(*m, d(q)))
            .collect(),
        currency: Currency::USD,
        date: Date::parse("2026-06-19").unwrap(),
        prorate: None,
    }
}

#[test]
fn scenario_figures_in_usd() {
    let m = demo();
    let q = quote(
        &m,
        &usd(&[
            ("conversation-insights", "12500"),
            ("e-signature", "60"),
            ("data-enrichment", "5000"),
            ("sales-productivity-pack", "10"),
        ]),
    )
    .unwrap();
    let net: Vec<_> = q.lines.iter().map(|l| l.net_amount).collect();
    // 50 + 270 + 50 = 370; 3 packs x 20 = 60; 5,000 x 0.08 = 400;
    // (10 x 25 + 10 x 12) = 370 less 15 % = 314.50
    assert_eq!(net, vec![d("370"), d("60"), d("400"), d("314.5")]);
    // 370 + 60 + 400 + 314.50 = 1,144.50
    assert_eq!(q.total, d("1144.5"));
}

#[test]
fn per_seat_discount_and_proration_in_usd() {
    let m = demo();
    let mut r = usd(&[("pipeline-forecasting", "25")]);
    r.prorate = Some(Period::new(r.date, Date::parse("2026-07-01").unwrap()).unwrap());
    let q = quote(&m, &r).unwrap();
    // 25 x 25.00 = 625; less 10 % = 562.50; x 12/30 = 225.00
    assert_eq!(q.total, d("225"));
    assert_eq!(
        q.lines[0].description,
        "25 users x 22.50 USD (10 % contract discount) x 12/30 of June 2026 = 225.00 USD"
    );
}

#[test]
fn every_module_prices_in_usd_and_eur() {
    let m = demo();
    for currency in [Currency::USD, Currency::EUR] {
        for module in &m.catalog().modules {
            let mut r = usd(&[(module.id.as_str(), "3")]);
            r.currency = currency;
            let q = quote(&m, &r).unwrap_or_else(|e| panic!("{} in {currency}: {e}", module.id));
            assert!(q.total >= Decimal::ZERO);
            assert!(!q.lines[0].description.is_empty());
        }
    }
}

#[test]
fn sandbox_annual_beats_monthly_over_a_year_of_history() {
    let m = demo();
    let r = AdviceRequest {
        currency: Currency::USD,
        date: Date::parse("2026-06-19").unwrap(),
        history: vec![inflow::collections::Map::new(); 12],
        candidates: plans_of(&m, "sandbox", Decimal::ONE).unwrap(),
        current: Some("monthly".into()),
    };
    let a = advise(&m, &r).unwrap();
    // monthly: 12 x 150.00 = 1,800.00; annual: 1,500.00; saving 300.00
    assert_eq!(a.best.as_deref(), Some("annual"));
    assert_eq!(a.saving, Some(d("300")));
}
