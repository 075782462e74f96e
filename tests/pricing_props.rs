//! Properties of the price models, proration and quotes, over generated inputs.

use std::str::FromStr;

use inflow::collections::Map;
use inflow::manifest::{
    BillingPeriod, Catalog, Contract, PercentTier, Policy, Price, PriceModel, Tier,
};
use inflow::pricing::advisor::Component;
use inflow::pricing::models::amount;
use inflow::pricing::{
    advise, quote, AdviceRequest, Candidate, Proration, QuantitySource, QuoteRequest, Selection,
};
use inflow::{Currency, Date, Manifests, Period, Rounding};
use proptest::prelude::*;
use rust_decimal::Decimal;

/// Any decimal at all: huge, tiny, negative (for "never panics").
fn any_decimal() -> impl Strategy<Value = Decimal> + Clone {
    (any::<i64>(), 0u32..=28).prop_map(|(m, s)| Decimal::new(m, s))
}

/// A sensible non-negative amount: 0 to 1,000,000 with up to 4 decimals.
fn amount_dec() -> impl Strategy<Value = Decimal> + Clone {
    (0i64..=10_000_000_000, 0u32..=4).prop_map(|(m, s)| Decimal::new(m, s))
}

fn small_dec() -> impl Strategy<Value = Decimal> + Clone {
    (0i64..=100_000, 0u32..=3).prop_map(|(m, s)| Decimal::new(m, s))
}

fn tiers(
    price: impl Strategy<Value = Decimal> + Clone,
    n: usize,
) -> impl Strategy<Value = Vec<Tier>> {
    prop::collection::vec((1i64..=5_000, price.clone(), price), 1..=n).prop_map(|v| {
        let mut bound = Decimal::ZERO;
        let last = v.len() - 1;
        v.into_iter()
            .enumerate()
            .map(|(i, (step, unit_price, flat_fee))| {
                bound += Decimal::from(step);
                Tier {
                    up_to: (i < last).then_some(bound),
                    unit_price,
                    flat_fee,
                }
            })
            .collect()
    })
}

fn percent_tiers() -> impl Strategy<Value = Vec<PercentTier>> {
    tiers(small_dec(), 4).prop_map(|t| {
        t.into_iter()
            .map(|t| PercentTier {
                up_to: t.up_to,
                rate: t.unit_price / Decimal::from(1000),
                flat_fee: t.flat_fee,
            })
            .collect()
    })
}

/// Any model, with any decimals in it (negative prices, zero sizes, overflowing values).
fn any_model() -> impl Strategy<Value = PriceModel> {
    let t = || tiers(any_decimal(), 4);
    prop_oneof![
        any_decimal().prop_map(|amount| PriceModel::Flat { amount }),
        any_decimal().prop_map(|unit_price| PriceModel::PerUnit { unit_price }),
        (any_decimal(), any_decimal(), any_decimal()).prop_map(|(size, price, free_units)| {
            PriceModel::Package {
                size,
                price,
                free_units,
            }
        }),
        t().prop_map(|tiers| PriceModel::Graduated { tiers }),
        t().prop_map(|tiers| PriceModel::Volume { tiers }),
        (
            any_decimal(),
            any_decimal(),
            0u32..5,
            proptest::option::of(any_decimal()),
            proptest::option::of(any_decimal())
        )
            .prop_map(
                |(rate, fixed_fee, free_transactions, min_per_transaction, max_per_transaction)| {
                    PriceModel::Percentage {
                        rate,
                        fixed_fee,
                        free_transactions,
                        min_per_transaction,
                        max_per_transaction,
                    }
                }
            ),
        percent_tiers().prop_map(|tiers| PriceModel::GraduatedPercentage { tiers }),
    ]
}

/// A model a validated catalog could hold: every price zero or more.
fn valid_monotone_model() -> impl Strategy<Value = PriceModel> {
    prop_oneof![
        small_dec().prop_map(|unit_price| PriceModel::PerUnit { unit_price }),
        (
            (1i64..=1000).prop_map(Decimal::from),
            small_dec(),
            (0i64..=100).prop_map(Decimal::from)
        )
            .prop_map(|(size, price, free_units)| PriceModel::Package {
                size,
                price,
                free_units
            }),
        tiers(small_dec(), 5).prop_map(|tiers| PriceModel::Graduated { tiers }),
    ]
}

fn price(model: PriceModel) -> Price {
    Price {
        model,
        minimum: None,
        maximum: None,
    }
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

const MODULES: &[&str] = &[
    "forecasting",
    "advanced-reports",
    "report-scheduler",
    "territory-planning",
    "conversation-insights",
    "e-signature",
    "data-enrichment",
    "ai-email",
    "basic-templates",
    "extra-storage",
    "api-boost",
    "sandbox",
    "sales-productivity-pack",
];

fn day(days_from_2026: i64) -> Date {
    Date::parse("2026-01-01").unwrap().plus_days(days_from_2026)
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(512))]

    /// No model panics, and none returns a negative amount: either an error or >= 0.
    #[test]
    fn no_model_panics_or_goes_negative(
        model in any_model(),
        minimum in proptest::option::of(any_decimal()),
        maximum in proptest::option::of(any_decimal()),
        quantity in any_decimal(),
        transactions in prop::collection::vec(any_decimal(), 0..6),
    ) {
        let p = Price { model, minimum, maximum };
        if let Ok(a) = amount(&p, quantity, &transactions) {
            prop_assert!(a >= Decimal::ZERO, "{a} for {p:?} at {quantity}");
        }
    }

    /// Per unit, package and graduated prices never fall as the quantity grows.
    #[test]
    fn prices_never_fall_as_quantity_grows(model in valid_monotone_model(), a in amount_dec(), b in amount_dec()) {
        let (lo, hi) = if a <= b { (a, b) } else { (b, a) };
        let p = price(model);
        let (x, y) = (amount(&p, lo, &[]).unwrap(), amount(&p, hi, &[]).unwrap());
        prop_assert!(x <= y, "{x} at {lo} > {y} at {hi} for {p:?}");
    }

    /// Zero of a usage-type model costs zero.
    #[test]
    fn zero_usage_costs_zero(model in valid_monotone_model(), t in percent_tiers()) {
        prop_assert_eq!(amount(&price(model), Decimal::ZERO, &[]).unwrap(), Decimal::ZERO);
        prop_assert_eq!(amount(&price(PriceModel::GraduatedPercentage { tiers: t }), Decimal::ZERO, &[]).unwrap(), Decimal::ZERO);
    }

    /// A quote's total is exactly the sum of its (rounded) lines, and each line is rounded
    /// to the currency's minor unit.
    #[test]
    fn total_is_the_sum_of_the_lines(
        picks in prop::collection::vec((0..MODULES.len(), 0i64..=20_000, 0u32..=2), 1..12),
        date in 0i64..500,
        start in 0i64..28,
        eur in any::<bool>(),
    ) {
        let m = manifests();
        let date = day(date);
        let end = date.month_start().plus_months(1);
        let selections = picks.iter().map(|(i, q, s)| Selection::new(MODULES[*i], Decimal::new(*q, *s))).collect();
        let r = QuoteRequest {
            selections,
            currency: if eur { Currency::EUR } else { Currency::USD },
            date,
            prorate: Period::new(date.plus_days(start).min(end.plus_days(-1)), end).ok(),
        };
        let q = quote(&m, &r).unwrap();
        let sum: Decimal = q.lines.iter().map(|l| l.net_amount).sum();
        prop_assert_eq!(q.total, sum);
        for l in &q.lines {
            prop_assert_eq!(l.net_amount, l.net_amount.round_dp(2));
            prop_assert!(l.net_amount >= Decimal::ZERO);
        }
    }

    /// A full billing period prorated is exactly the full price, unrounded.
    #[test]
    fn full_period_is_the_full_price(a in any_decimal(), start in 0i64..3650, yearly in any::<bool>()) {
        let s = day(start);
        let (period, months) = if yearly { (BillingPeriod::Year, 12) } else { (BillingPeriod::Month, 1) };
        let p = Proration::for_plan(Period::new(s, s.plus_months(months)).unwrap(), period).unwrap().unwrap();
        prop_assert!(p.is_full());
        prop_assert_eq!(p.apply(a).unwrap(), a);
    }

    /// A month split in two never costs more than the whole, within rounding: each part is
    /// rounded once (at most half a minor unit up each), the whole once (at most half a
    /// unit down), so parts - whole <= 1.5 units; all three are whole units, so the bound
    /// is one minor unit (0.01 USD). And the parts never cost less than the whole less
    /// one unit.
    #[test]
    fn split_period_costs_no_more_than_the_whole(a in amount_dec(), start in 0i64..3650, cut in 1i64..31, even in any::<bool>()) {
        let s = day(start).month_start();
        let e = s.plus_months(1);
        let mid = s.plus_days(cut.min(s.days_until(e) - 1));
        let mode = if even { Rounding::HalfEven } else { Rounding::HalfUp };
        let whole_period = Period::new(s, e).unwrap();
        let part = |from: Date, to: Date| {
            let p = Proration::new(Period::new(from, to).unwrap(), whole_period).unwrap();
            mode.round(p.apply(a).unwrap(), 2)
        };
        let split = part(s, mid) + part(mid, e);
        let whole = mode.round(a, 2);
        let unit = Decimal::from_str("0.01").unwrap();
        prop_assert!(split <= whole + unit, "{split} > {whole} + 0.01");
        prop_assert!(split >= whole - unit, "{split} < {whole} - 0.01");
    }

    /// The advisor's best option is adequate and no dearer than any other adequate one,
    /// and the saving (current - best) is never negative when the current option is adequate.
    #[test]
    fn advisor_picks_the_cheapest_adequate_option(
        usage in prop::collection::vec(0i64..200, 1..13),
        blocks in prop::collection::vec(0i64..25, 1..5),
        current in 0usize..5,
    ) {
        let m = manifests();
        let mut candidates: Vec<Candidate> = blocks
            .iter()
            .map(|b| Candidate {
                id: format!("fixed-{b}"),
                label: format!("{b} packs"),
                components: vec![Component {
                    module: "extra-storage".into(),
                    plan: "packs".into(),
                    quantity: QuantitySource::Fixed(Decimal::from(b * 10)),
                }],
                covers: Map::from_iter([("storage.gb".to_string(), Decimal::from(b * 10))]),
            })
            .collect();
        candidates.push(Candidate {
            id: "as-used".into(),
            label: "packs as used".into(),
            components: vec![Component {
                module: "extra-storage".into(),
                plan: "packs".into(),
                quantity: QuantitySource::Metric("storage.gb".into()),
            }],
            covers: Map::new(),
        });
        candidates.dedup_by(|a, b| a.id == b.id);
        let current = candidates.get(current % candidates.len()).map(|c| c.id.clone());
        let r = AdviceRequest {
            currency: Currency::USD,
            date: day(160),
            history: usage.iter().map(|u| Map::from_iter([("storage.gb".to_string(), Decimal::from(*u))])).collect(),
            candidates,
            current,
        };
        let a = advise(&m, &r).unwrap();
        let best = a.options.iter().find(|o| Some(&o.id) == a.best.as_ref()).unwrap();
        prop_assert!(best.adequate);
        for o in a.options.iter().filter(|o| o.adequate) {
            prop_assert!(best.total <= o.total);
        }
        let cur = a.options.iter().find(|o| Some(&o.id) == r.current.as_ref()).unwrap();
        if cur.adequate {
            prop_assert!(a.saving.unwrap() >= Decimal::ZERO);
        }
        prop_assert_eq!(a.saving.unwrap(), cur.total - best.total);
    }
}
