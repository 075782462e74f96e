//! Properties of entitlement checks and usage, on the test catalog.

use inflow::collections::Map;

use inflow::entitlement::{Entitlements, Grant, GrantSource, Holder, UsageLedger};
use inflow::manifest::{BillingPeriod, Catalog, Quota, User};
use inflow::{Date, Instant};
use proptest::prelude::*;
use rust_decimal::Decimal;

fn catalog() -> Catalog {
    serde_json::from_str(include_str!("fixtures/entitlement-catalog.json")).unwrap()
}

fn user() -> User {
    User {
        id: "ann".into(),
        name: "Ann".into(),
        attributes: Map::from_iter([("department".to_string(), "Sales".to_string())]),
    }
}

fn day(s: &str) -> Date {
    Date::parse(s).unwrap()
}

fn grants() -> Vec<Grant> {
    let mut esign = Grant::new(
        "g1",
        "esign",
        GrantSource::Purchase,
        Holder::Department("Sales".into()),
        day("2026-01-15"),
    );
    esign.quantity = Some(2);
    esign.billing_period = Some(BillingPeriod::Month);
    vec![
        esign,
        Grant::new(
            "g2",
            "forecasting",
            GrantSource::Trial,
            Holder::User("ann".into()),
            day("2026-02-01"),
        )
        .until(day("2026-02-15")),
        Grant::new(
            "g3",
            "enrichment",
            GrantSource::Plan,
            Holder::Org,
            day("2026-01-01"),
        ),
        Grant::new(
            "g4",
            "sandbox",
            GrantSource::Admin,
            Holder::User("ann".into()),
            day("2026-01-01"),
        ),
    ]
}

const LIMITS: [&str; 6] = [
    "reports.export",
    "forecast.runs",
    "esign.envelopes",
    "enrich.credits",
    "enrich.lookups",
    "sandbox.count",
];

/// (feature, day offset from 2026-01-01, amount in hundredths)
fn usage() -> impl Strategy<Value = Vec<(usize, i64, i64)>> {
    prop::collection::vec((0..LIMITS.len(), 0i64..150, -500i64..4_000), 0..60)
}

fn at(offset: i64) -> Instant {
    day("2026-01-01").plus_days(offset).start()
}

proptest! {
    #[test]
    fn checks_never_panic_at_any_instant(ms in any::<i64>()) {
        let c = catalog();
        let e = Entitlements::new(&c, &user(), &grants(), UsageLedger::new()).unwrap();
        for f in &c.features {
            let check = e.check(&f.id, Instant(ms)).unwrap();
            let _ = check.message();
        }
    }

    #[test]
    fn remaining_is_never_negative(ops in usage(), probe in any::<i64>()) {
        let c = catalog();
        let mut e = Entitlements::new(&c, &user(), &grants(), UsageLedger::new()).unwrap();
        for (f, d, hundredths) in ops {
            let _ = e.record(LIMITS[f], Decimal::new(hundredths, 2), at(d));
            for g in LIMITS {
                for t in [at(d), Instant(probe)] {
                    let check = e.check(g, t).unwrap();
                    if let Some(r) = check.remaining {
                        prop_assert!(r >= Decimal::ZERO, "{g}: {r}");
                    }
                }
            }
        }
    }

    #[test]
    fn usage_within_a_window_never_exceeds_the_limit(ops in usage()) {
        let c = catalog();
        let mut e = Entitlements::new(&c, &user(), &grants(), UsageLedger::new()).unwrap();
        // What was accepted, per feature and window start.
        let mut accepted: Map<(usize, Date), Decimal> = Map::new();
        for (f, d, hundredths) in ops {
            let amount = Decimal::new(hundredths, 2);
            let t = at(d);
            let window = e.window(LIMITS[f], t.date());
            if e.record(LIMITS[f], amount, t).is_ok() {
                let w = window.unwrap().start;
                *accepted.entry((f, w)).or_default() += amount;
                let check = e.check(LIMITS[f], t).unwrap();
                if let Some(Quota::UpTo(limit)) = check.limit {
                    prop_assert!(accepted[&(f, w)] <= limit);
                    prop_assert_eq!(check.used, Some(accepted[&(f, w)]));
                }
            }
        }
    }
}
