//! Funding decisions on the demo scenario (SCENARIO.md): auto-approval within limits,
//! approval above them with every reason, prepaid draw-down, the purchase order, the card.

#![cfg(feature = "json")]

mod common;

use inflow::checkout::{decide, Route, Spend};
use inflow::{Currency, Date, Money};
use rust_decimal::Decimal;
use std::str::FromStr;

fn usd(s: &str) -> Money {
    Money::new(Decimal::from_str(s).unwrap(), Currency::USD)
}

fn day() -> Date {
    Date::parse("2026-11-20").unwrap()
}

#[test]
fn a_small_purchase_is_billed_back_and_auto_approved() {
    let (m, users) = common::demo();
    let rep = users.user("u-rep-01").unwrap();
    let d = decide(
        &m,
        rep,
        "advanced-reports",
        usd("10.80"),
        &Spend::default(),
        day(),
    )
    .unwrap();
    assert_eq!(d.route, Route::AutoApproved);
    assert_eq!(d.source, "sales-ops");
    assert_eq!(d.text, "billed to Sales Ops budget, auto-approved");
}

#[test]
fn above_the_threshold_goes_to_the_approver_and_says_why() {
    let (m, users) = common::demo();
    let rep = users.user("u-rep-01").unwrap();
    let d = decide(
        &m,
        rep,
        "pipeline-forecasting",
        usd("180.00"),
        &Spend::default(),
        day(),
    )
    .unwrap();
    assert_eq!(d.route, Route::NeedsApproval);
    assert_eq!(d.approver.as_deref(), Some("u-salesops-admin"));
    assert_eq!(
        d.text,
        "needs approval: 180.00 USD is above the 150.00 USD auto-approve limit"
    );
}

#[test]
fn a_nearly_spent_budget_or_user_cap_needs_approval() {
    let (m, users) = common::demo();
    let rep = users.user("u-rep-05").unwrap();
    let mut spend = Spend::default();
    spend
        .by_source
        .insert("sales-ops".into(), Decimal::from(2_950));
    let d = decide(&m, rep, "advanced-reports", usd("100.00"), &spend, day()).unwrap();
    assert_eq!(d.route, Route::NeedsApproval);
    assert!(
        d.reasons[0].contains("50.00 USD left in the Sales Ops budget"),
        "{:?}",
        d.reasons
    );

    let mut spend = Spend::default();
    spend.by_user.insert("sales-ops".into(), Decimal::from(250));
    let d = decide(&m, rep, "advanced-reports", usd("60.00"), &spend, day()).unwrap();
    assert_eq!(d.route, Route::NeedsApproval);
    assert!(
        d.reasons[0].contains("300.00 USD per-user cap"),
        "{:?}",
        d.reasons
    );
    // At the threshold exactly: still automatic.
    let d = decide(
        &m,
        rep,
        "advanced-reports",
        usd("150.00"),
        &Spend::default(),
        day(),
    )
    .unwrap();
    assert_eq!(d.route, Route::AutoApproved);
}

#[test]
fn usage_modules_draw_down_the_prepaid_commitment_in_its_term() {
    let (m, users) = common::demo();
    let agent = users.user("u-sup-01").unwrap();
    let d = decide(
        &m,
        agent,
        "conversation-insights",
        usd("370.00"),
        &Spend::default(),
        day(),
    )
    .unwrap();
    assert_eq!(
        (d.route, d.source.as_str()),
        (Route::Prepaid, "prepaid-2026")
    );
    // After the commitment's term, support has no other source.
    let e = decide(
        &m,
        agent,
        "conversation-insights",
        usd("370.00"),
        &Spend::default(),
        Date::parse("2027-02-01").unwrap(),
    )
    .unwrap_err();
    assert_eq!(e.code(), "not_fundable");
    assert!(
        e.to_string()
            .contains("Prepaid commitment runs 2026-01-01 to 2027-01-01"),
        "{e}"
    );
}

#[test]
fn the_sandbox_goes_on_the_purchase_order() {
    let (m, users) = common::demo();
    let admin = users.user("u-it-admin").unwrap();
    let d = decide(
        &m,
        admin,
        "sandbox",
        usd("150.00"),
        &Spend::default(),
        day(),
    )
    .unwrap();
    assert_eq!(d.route, Route::PurchaseOrder);
    assert_eq!(d.text, "charged to purchase order PO-4500012345");
}

#[test]
fn marketing_pays_the_ai_assistant_by_card_up_to_its_limit() {
    let (m, users) = common::demo();
    let mkt = users.user("u-mkt-02").unwrap();
    let d = decide(
        &m,
        mkt,
        "ai-email-assistant",
        usd("16.20"),
        &Spend::default(),
        day(),
    )
    .unwrap();
    assert_eq!(d.route, Route::Card);
    let e = decide(
        &m,
        mkt,
        "ai-email-assistant",
        usd("120.00"),
        &Spend::default(),
        day(),
    )
    .unwrap_err();
    assert!(
        e.to_string().contains("above the 100.00 USD card limit"),
        "{e}"
    );
}

#[test]
fn modules_outside_the_community_are_not_offered() {
    let (m, users) = common::demo();
    let rep = users.user("u-rep-01").unwrap();
    assert_eq!(
        decide(
            &m,
            rep,
            "territory-planning",
            usd("27.00"),
            &Spend::default(),
            day()
        )
        .unwrap_err()
        .code(),
        "not_offered"
    );
    let fin = users.user("u-fin-01").unwrap();
    assert_eq!(
        decide(
            &m,
            fin,
            "advanced-reports",
            usd("10.80"),
            &Spend::default(),
            day()
        )
        .unwrap_err()
        .code(),
        "not_offered"
    );
}

#[test]
fn the_german_subsidiary_buys_in_eur_from_its_own_budget() {
    let (m, users) = common::demo();
    let de = users.user("u-rep-de-01").unwrap();
    let eur = Money::new(Decimal::from_str("9.90").unwrap(), Currency::EUR);
    let d = decide(&m, de, "advanced-reports", eur, &Spend::default(), day()).unwrap();
    assert_eq!(
        (d.route, d.source.as_str()),
        (Route::AutoApproved, "sales-de")
    );
}
