//! Quotes and advice on a small catalog shaped like the demo's (tests/fixtures/pricing).

use inflow::collections::Map;
use std::str::FromStr;

use inflow::manifest::{Catalog, Contract, Policy};
use inflow::pricing::advisor::{plans_of, Component};
use inflow::pricing::{
    advise, quote, AdviceRequest, Candidate, QuantitySource, QuoteRequest, Selection,
};
use inflow::{Currency, Date, Manifests, Period};
use rust_decimal::Decimal;

fn d(s: &str) -> Decimal {
    Decimal::from_str(s).unwrap()
}

fn day(s: &str) -> Date {
    Date::parse(s).unwrap()
}

fn manifests() -> Manifests {
    let read = |n: &str| {
        std::fs::read_to_string(format!(
            "{}/tests/fixtures/pricing/{n}.json",
            env!("CARGO_MANIFEST_DIR")
        ))
        .unwrap()
    };
    let catalog: Catalog = serde_json::from_str(&read("catalog")).unwrap();
    let contract: Contract = serde_json::from_str(&read("contract")).unwrap();
    let policy: Policy = serde_json::from_str(&read("policy")).unwrap();
    Manifests::new(catalog, contract, policy).unwrap()
}

fn request(selections: Vec<Selection>) -> QuoteRequest {
    QuoteRequest {
        selections,
        currency: Currency::USD,
        date: day("2026-06-19"),
        prorate: None,
    }
}

#[test]
fn per_seat_line_with_contract_discount_and_proration() {
    let m = manifests();
    let mut r = request(vec![Selection::new("forecasting", d("25"))]);
    r.prorate = Some(Period::new(day("2026-06-19"), day("2026-07-01")).unwrap());
    let q = quote(&m, &r).unwrap();
    let l = &q.lines[0];
    // 25 x 25.00 = 625.00; less 10 % = 562.50; x 12/30 = 225.00
    assert_eq!(l.list_amount, d("625"));
    assert_eq!(l.discount_amount, d("62.5"));
    assert_eq!(l.net_amount, d("225"));
    assert_eq!(q.total, d("225"));
    assert_eq!(
        l.description,
        "25 users x 22.50 USD (10 % contract discount) x 12/30 of June 2026 = 225.00 USD"
    );
}

#[test]
fn usage_models_from_the_scenario() {
    let m = manifests();
    let q = quote(
        &m,
        &request(vec![
            Selection::new("conversation-insights", d("12500")),
            Selection::new("data-enrichment", d("5000")),
            Selection::new("e-signature", d("60")),
            Selection::new("api-boost", d("12500")),
            Selection::new("report-scheduler", d("1")),
        ]),
    )
    .unwrap();
    let net: Vec<_> = q.lines.iter().map(|l| l.net_amount).collect();
    // 1,000 x 0.05 + 9,000 x 0.03 + 2,500 x 0.02 = 370; 5,000 x 0.08 = 400;
    // 60 envelopes = 3 packs x 20 = 60; 2,500 x 0.001 = 2.50; flat 40
    assert_eq!(net, vec![d("370"), d("400"), d("60"), d("2.5"), d("40")]);
    // total = 370 + 400 + 60 + 2.50 + 40 = 872.50
    assert_eq!(q.total, d("872.5"));
    assert_eq!(
        q.lines[0].description,
        "12,500 call-minutes: 1,000 x 0.05 USD + 9,000 x 0.03 USD + 2,500 x 0.02 USD = 370.00 USD"
    );
    assert_eq!(
        q.lines[2].description,
        "60 envelopes = 3 packs of 25 x 20.00 USD = 60.00 USD"
    );
    assert_eq!(q.lines[4].description, "40.00 USD per month = 40.00 USD");
}

#[test]
fn usage_lines_are_not_prorated() {
    let m = manifests();
    let mut r = request(vec![
        Selection::new("conversation-insights", d("800")),
        Selection::new("report-scheduler", d("1")),
    ]);
    r.prorate = Some(Period::new(day("2026-06-16"), day("2026-07-01")).unwrap());
    let q = quote(&m, &r).unwrap();
    // 800 x 0.05 = 40 in full; 40 flat x 15/30 = 20
    assert_eq!(q.lines[0].net_amount, d("40"));
    assert!(q.lines[0].proration.is_none());
    assert_eq!(q.lines[1].net_amount, d("20"));
    assert_eq!(q.total, d("60"));
}

#[test]
fn contract_override_replaces_the_list_price() {
    let m = manifests();
    let q = quote(
        &m,
        &request(vec![Selection::new("territory-planning", d("4"))]),
    )
    .unwrap();
    // override 27.00 (list 30.00): 4 x 27 = 108; less 10 % = 97.20
    assert_eq!(q.lines[0].list_amount, d("108"));
    assert_eq!(q.lines[0].net_amount, d("97.2"));
    assert_eq!(
        q.lines[0].price_source,
        inflow::pricing::discount::PriceSource::Contract
    );
}

#[test]
fn bundle_is_the_sum_of_its_parts_less_its_discount() {
    let m = manifests();
    let q = quote(
        &m,
        &request(vec![Selection::new("sales-productivity-pack", d("10"))]),
    )
    .unwrap();
    let l = &q.lines[0];
    // parts: 10 x 25 = 250, 10 x 12 = 120, sum 370; 15 % off = 55.50 -> 314.50.
    // The bundle carries no per-seat tag, so the contract discount does not apply.
    assert_eq!(l.list_amount, d("370"));
    assert_eq!(l.discount_amount, d("55.5"));
    assert_eq!(l.net_amount, d("314.5"));
    assert!(l.plan.is_none());
    assert_eq!(
        l.description,
        "10 users: Pipeline Forecasting 250.00 USD + Advanced Reports 120.00 USD, less 15 % bundle discount = 314.50 USD"
    );
}

#[test]
fn discounts_outside_their_dates_do_not_apply() {
    let m = manifests();
    let mut r = request(vec![Selection::new("forecasting", d("2"))]);
    r.date = day("2027-01-01");
    // the 10 % ends on 2027-01-01 (excluded): 2 x 25 = 50
    assert_eq!(quote(&m, &r).unwrap().total, d("50"));
}

#[test]
fn eur_prices_are_set_not_converted() {
    let m = manifests();
    let mut r = request(vec![Selection::new("forecasting", d("3"))]);
    r.currency = Currency::EUR;
    // 3 x 23.00 = 69; less 10 % = 62.10
    assert_eq!(quote(&m, &r).unwrap().total, d("62.1"));
}

#[test]
fn errors_name_the_selection() {
    let m = manifests();
    let e = quote(
        &m,
        &request(vec![
            Selection::new("forecasting", d("1")),
            Selection::new("forecasting", d("-1")),
        ]),
    )
    .unwrap_err();
    assert_eq!(e.path(), Some("selections[1].quantity"));
    let e = quote(&m, &request(vec![Selection::new("nope", d("1"))])).unwrap_err();
    assert_eq!(e.code(), "unknown_module");
    let mut s = Selection::new("sandbox", d("1"));
    s.plan = Some("weekly".into());
    assert_eq!(
        quote(&m, &request(vec![s])).unwrap_err().code(),
        "unknown_plan"
    );
    let mut r = request(vec![Selection::new("forecasting", d("1"))]);
    r.currency = Currency::try_new("JPY").unwrap();
    assert_eq!(quote(&m, &r).unwrap_err().code(), "no_price");
    assert_eq!(
        quote(&m, &request(vec![])).unwrap_err().code(),
        "invalid_input"
    );
}

#[test]
fn quote_serializes_in_snake_case_with_string_amounts() {
    let m = manifests();
    let q = quote(&m, &request(vec![Selection::new("forecasting", d("2"))])).unwrap();
    let j = serde_json::to_value(&q).unwrap();
    assert_eq!(j["lines"][0]["net_amount"], "45.00");
    assert_eq!(j["total"], "45.00");
    assert_eq!(j["currency"], "USD");
    let back: inflow::pricing::Quote = serde_json::from_value(j).unwrap();
    assert_eq!(back, q);
}

fn months(metric: &str, values: &[&str]) -> Vec<Map<String, Decimal>> {
    values
        .iter()
        .map(|v| Map::from_iter([(metric.to_string(), d(v))]))
        .collect()
}

#[test]
fn advisor_prefers_annual_sandbox_over_monthly() {
    let m = manifests();
    let r = AdviceRequest {
        currency: Currency::USD,
        date: day("2026-06-19"),
        history: months("x", &["0", "0", "0", "0", "0", "0"]),
        candidates: plans_of(&m, "sandbox", d("1")).unwrap(),
        current: Some("monthly".into()),
    };
    let a = advise(&m, &r).unwrap();
    // monthly 6 x 150 = 900; annual 6 x 1,500 / 12 = 750; saving 150
    assert_eq!(a.options[0].total, d("900"));
    assert_eq!(a.options[1].total, d("750"));
    assert_eq!(a.best.as_deref(), Some("annual"));
    assert_eq!(a.saving, Some(d("150")));
    assert_eq!(
        a.sentence,
        "Over the 6 months of history, Sandbox Annual would have cost 750.00 USD against 900.00 USD on Sandbox Monthly: a saving of 150.00 USD."
    );
}

#[test]
fn advisor_compares_storage_packs_sized_to_usage_with_a_fixed_block() {
    let m = manifests();
    let storage = |id: &str, q: QuantitySource, cap: Option<&str>| Candidate {
        id: id.into(),
        label: id.into(),
        components: vec![Component {
            module: "extra-storage".into(),
            plan: "packs".into(),
            quantity: q,
        }],
        covers: cap
            .map(|c| Map::from_iter([("storage.gb".to_string(), d(c))]))
            .unwrap_or_default(),
    };
    let r = AdviceRequest {
        currency: Currency::USD,
        date: day("2026-06-19"),
        history: months("storage.gb", &["35", "42", "58", "61", "40", "30"]),
        candidates: vec![
            storage("fixed-50", QuantitySource::Fixed(d("50")), Some("50")),
            storage("fixed-70", QuantitySource::Fixed(d("70")), Some("70")),
            storage("as-used", QuantitySource::Metric("storage.gb".into()), None),
        ],
        current: Some("fixed-70".into()),
    };
    let a = advise(&m, &r).unwrap();
    // fixed-50: 5 packs x 5 = 25 a month, 150, but month 3 uses 58 > 50: inadequate
    assert!(!a.options[0].adequate);
    assert_eq!(a.options[0].total, d("150"));
    // fixed-70: 7 packs x 5 = 35 a month = 210
    assert_eq!(a.options[1].total, d("210"));
    // as used: 4+5+6+7+4+3 = 29 packs x 5 = 145
    assert_eq!(a.options[2].total, d("145"));
    assert_eq!(a.best.as_deref(), Some("as-used"));
    assert_eq!(a.saving, Some(d("65")));
}

#[test]
fn cancellation_is_credited_for_its_unused_days() {
    let m = manifests();
    let mut cancel = Selection::new("forecasting", d("25"));
    cancel.action = inflow::pricing::quote::Action::Cancel;
    let mut r = request(vec![
        cancel.clone(),
        Selection::new("report-scheduler", d("1")),
    ]);
    r.prorate = Some(Period::new(day("2026-06-19"), day("2026-07-01")).unwrap());
    let q = quote(&m, &r).unwrap();
    // 562.50 a month after the 10 %, 12 of 30 days unused: -225.00; scheduler 40 x 12/30 = 16
    assert_eq!(q.lines[0].net_amount, d("-225"));
    assert_eq!(q.total, d("-209"));
    assert_eq!(
        q.lines[0].description,
        "Credit for unused time: 25 users x 22.50 USD (10 % contract discount) x 12/30 of June 2026 = -225.00 USD"
    );
    // metered usage has nothing to credit
    let mut usage = Selection::new("conversation-insights", d("10"));
    usage.action = inflow::pricing::quote::Action::Cancel;
    let e = quote(&m, &request(vec![usage])).unwrap_err();
    assert_eq!(e.path(), Some("selections[0].action"));
}

#[test]
fn advisor_says_when_the_current_option_falls_short() {
    let m = manifests();
    let mut candidates = plans_of(&m, "extra-storage", d("20")).unwrap();
    candidates[0].id = "twenty".into();
    candidates[0].label = "20 GB".into();
    candidates[0].covers = Map::from_iter([("storage.gb".to_string(), d("20"))]);
    candidates.push(Candidate {
        id: "as-used".into(),
        label: "Packs as used".into(),
        components: vec![Component {
            module: "extra-storage".into(),
            plan: "packs".into(),
            quantity: QuantitySource::Metric("storage.gb".into()),
        }],
        covers: Map::new(),
    });
    let r = AdviceRequest {
        currency: Currency::USD,
        date: day("2026-06-19"),
        history: months("storage.gb", &["15", "35"]),
        candidates,
        current: Some("twenty".into()),
    };
    let a = advise(&m, &r).unwrap();
    // 20 GB: 2 packs x 5 x 2 months = 20, short in month 2; as used: (2 + 4) x 5 = 30
    assert_eq!(a.saving, Some(d("-10")));
    assert_eq!(
        a.sentence,
        "Over the 2 months of history, 20 GB (the current option) fell short (month 2 used 35 storage.gb, above the 20 it covers); Packs as used covers the usage for 30.00 USD, 10.00 USD more."
    );
}

#[test]
fn percentage_lines_price_their_transactions() {
    let m = manifests();
    let mut card = Selection::new("card-payments", d("0"));
    card.transactions = ["100", "10", "100", "1000"].iter().map(|t| d(t)).collect();
    let mut market = Selection::new("marketplace", d("0"));
    market.transactions = vec![d("100000"), d("50000")];
    let mut quiet = Selection::new("marketplace", d("0"));
    quiet.transactions = vec![d("200")];
    let q = quote(&m, &request(vec![card, market, quiet])).unwrap();
    // free; 0.29 + 0.30 = 0.59; 2.90 + 0.30 = 3.20; 29.30 capped at 5.00: 8.79
    assert_eq!(q.lines[0].net_amount, d("8.79"));
    assert_eq!(q.lines[0].quantity, d("4"));
    assert_eq!(
        q.lines[0].description,
        "4 transactions at 2.9 % + 0.30 USD each (first 1 free) = 8.79 USD"
    );
    // 10,000 x 3 % + 90,000 x 2 % + 50,000 x 1 % + 25 fee = 300 + 1,800 + 500 + 25 = 2,625
    assert_eq!(q.lines[1].net_amount, d("2625"));
    assert_eq!(
        q.lines[1].description,
        "150,000.00 USD of transactions: 3 % of 10,000.00 USD + 2 % of 90,000.00 USD + 1 % of 50,000.00 USD + 25.00 USD fee = 2,625.00 USD"
    );
    // 200 x 3 % = 6, raised to the 10.00 minimum
    assert_eq!(q.lines[2].net_amount, d("10"));
    assert!(
        q.lines[2]
            .description
            .contains("(raised to the 10.00 USD minimum)"),
        "{}",
        q.lines[2].description
    );
    // 8.79 + 2,625 + 10 = 2,643.79
    assert_eq!(q.total, d("2643.79"));
}
