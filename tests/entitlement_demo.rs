//! Entitlements on the demo catalog: exports are 50 a month for everyone, unlimited with
//! Advanced Reports; Report Scheduler needs Advanced Reports.

use inflow::collections::{Map, Set};

use inflow::entitlement::{bundle_for, Entitlements, Grant, GrantSource, Holder, UsageLedger};
use inflow::manifest::{Catalog, Quota, User};
use inflow::Date;
use rust_decimal::Decimal;

fn catalog() -> Catalog {
    serde_json::from_str(include_str!("../manifests/catalog.json")).unwrap()
}

fn rep() -> User {
    User {
        id: "rep".into(),
        name: "Rep".into(),
        attributes: Map::from_iter([("department".to_string(), "Sales".to_string())]),
    }
}

#[test]
fn exports_are_fifty_a_month_unless_advanced_reports() {
    let c = catalog();
    let at = Date::parse("2026-06-10").unwrap().start();
    let mut e = Entitlements::new(&c, &rep(), &[], UsageLedger::new()).unwrap();
    assert_eq!(
        e.record("reports.export", Decimal::from(50), at).unwrap(),
        Some(Decimal::ZERO)
    );
    let check = e.check("reports.export", at).unwrap();
    assert!(!check.allowed);
    assert!(check
        .message()
        .contains("Advanced Reports (advanced-reports) gives more"));

    let g = Grant::new(
        "g1",
        "advanced-reports",
        GrantSource::Purchase,
        Holder::User("rep".into()),
        Date::parse("2026-06-10").unwrap(),
    );
    let e = Entitlements::new(&c, &rep(), &[g], e.into_ledger()).unwrap();
    let check = e.check("reports.export", at).unwrap();
    assert!(check.allowed);
    assert_eq!(check.limit, Some(Quota::Unlimited));
}

#[test]
fn the_scheduler_comes_with_advanced_reports() {
    let c = catalog();
    assert_eq!(
        bundle_for(&c, &Set::new(), "report-scheduler").unwrap(),
        ["advanced-reports", "report-scheduler"]
    );
}
