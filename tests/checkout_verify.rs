//! Verification of charge records on the demo scenario: a record the browser prepared is
//! accepted, and every kind of difference is refused with its own code.

#![cfg(feature = "json")]

mod common;

use common::refs;

use std::str::FromStr;

use inflow::checkout::verify::{cancel_credit, verify, verify_cancel, Refusal};
use inflow::checkout::{
    prepare, ChargeKind, ChargeRecord, Context, Intent, ManifestRefs, Motion, Spend,
};
use inflow::entitlement::Grant;
use inflow::manifest::Directory;
use inflow::{Currency, Date, Instant, Manifests};
use rust_decimal::Decimal;

fn now() -> Instant {
    // 2026-11-20T12:00:00Z
    Instant(Date::parse("2026-11-20").unwrap().start().0 + 12 * 3_600_000)
}

fn d(s: &str) -> Decimal {
    Decimal::from_str(s).unwrap()
}

struct Case {
    m: Manifests,
    users: Directory,
    refs: ManifestRefs,
}

impl Case {
    fn new() -> Case {
        let (m, users) = common::demo();
        Case {
            m,
            users,
            refs: refs(),
        }
    }

    fn ctx<'a>(
        &'a self,
        user: &str,
        grants: &'a [Grant],
        spend: &'a Spend,
        at: Instant,
    ) -> Context<'a> {
        Context {
            manifests: &self.m,
            user: self.users.user(user).unwrap(),
            grants,
            spend,
            refs: &self.refs,
            now: at,
        }
    }

    /// What the browser sends: prepared with no grants and no spend.
    fn record(&self, user: &str, module: &str, kind: ChargeKind) -> ChargeRecord {
        let spend = Spend::default();
        prepare(
            &self.ctx(user, &[], &spend, now()),
            &Intent {
                id: "charge-verify-1".into(),
                module: module.into(),
                plan: None,
                quantity: None,
                kind,
                offer: None,
                surface: Some("crm-sidebar".into()),
            },
        )
        .unwrap()
    }

    fn verify(&self, r: &ChargeRecord, spend: &Spend) -> Result<(), Refusal> {
        verify(r, &self.ctx(&r.user, &[], spend, now())).map(drop)
    }
}

fn code(r: Result<(), Refusal>) -> &'static str {
    r.err().map_or("accepted", |e| e.code())
}

#[test]
fn a_prepared_purchase_and_a_prepared_trial_are_accepted() {
    let c = Case::new();
    let r = c.record("u-rep-01", "advanced-reports", ChargeKind::Purchase);
    let v = verify(&r, &c.ctx("u-rep-01", &[], &Spend::default(), now())).unwrap();
    assert_eq!(v.record, r);
    assert_eq!(v.decision.unwrap().source, "sales-ops");
    let t = c.record("u-rep-01", "pipeline-forecasting", ChargeKind::Trial);
    assert_eq!(code(c.verify(&t, &Spend::default())), "accepted");
}

#[test]
fn a_lower_price_is_a_price_mismatch() {
    let c = Case::new();
    let mut r = c.record("u-rep-01", "advanced-reports", ChargeKind::Purchase);
    r.total -= Decimal::ONE;
    r.lines[0].net_amount -= Decimal::ONE;
    assert_eq!(
        c.verify(&r, &Spend::default()),
        Err(Refusal::PriceMismatch {
            expected: d("10.80"),
            found: d("9.80")
        })
    );
}

#[test]
fn a_module_the_community_does_not_offer_is_not_offered() {
    let c = Case::new();
    let mut r = c.record("u-rep-01", "advanced-reports", ChargeKind::Purchase);
    r.module = "conversation-insights".into();
    assert_eq!(code(c.verify(&r, &Spend::default())), "not_offered");
}

#[test]
fn another_departments_budget_is_funding_not_allowed() {
    let c = Case::new();
    let mut r = c.record("u-rep-01", "advanced-reports", ChargeKind::Purchase);
    r.funding.source = "marketing".into();
    assert_eq!(code(c.verify(&r, &Spend::default())), "funding_not_allowed");
}

#[test]
fn an_auto_approval_the_budget_cannot_take_is_over_budget() {
    let c = Case::new();
    let r = c.record("u-rep-01", "advanced-reports", ChargeKind::Purchase);
    let mut spend = Spend::default();
    spend.by_source.insert("sales-ops".into(), d("2995.00"));
    assert_eq!(
        c.verify(&r, &spend),
        Err(Refusal::OverBudget {
            source: "sales-ops".into()
        })
    );
}

#[test]
fn an_auto_approval_above_the_users_cap_is_over_cap() {
    let c = Case::new();
    let r = c.record("u-rep-01", "advanced-reports", ChargeKind::Purchase);
    let mut spend = Spend::default();
    spend.by_user.insert("sales-ops".into(), d("295.00"));
    assert_eq!(
        c.verify(&r, &spend),
        Err(Refusal::OverCap {
            source: "sales-ops".into()
        })
    );
}

#[test]
fn a_record_priced_from_another_catalog_is_a_stale_manifest() {
    let c = Case::new();
    let mut r = c.record("u-rep-01", "advanced-reports", ChargeKind::Purchase);
    r.manifests.catalog.digest = "1".repeat(64);
    assert_eq!(
        c.verify(&r, &Spend::default()),
        Err(Refusal::StaleManifest {
            manifest: "catalog"
        })
    );
}

#[test]
fn a_page_that_guessed_land_or_expand_wrong_is_not_refused_and_the_servers_attribution_is_kept() {
    let c = Case::new();
    let r = c.record("u-rep-01", "advanced-reports", ChargeKind::Purchase);
    let mut guessed = r.clone();
    guessed.attribution.motion = match r.attribution.motion {
        Motion::Land => Motion::Expand,
        Motion::Expand => Motion::Land,
    };
    guessed.attribution.owner = "someone-else".into();
    let spend = Spend::default();
    let verified = verify(&guessed, &c.ctx("u-rep-01", &[], &spend, now())).expect("accepted");
    assert_eq!(verified.record.attribution, r.attribution);
}

#[test]
fn a_record_without_digests_is_checked_by_the_versions_it_names() {
    let c = Case::new();
    let mut r = c.record("u-rep-01", "advanced-reports", ChargeKind::Purchase);
    for m in [
        &mut r.manifests.catalog,
        &mut r.manifests.contract,
        &mut r.manifests.policy,
    ] {
        m.digest.clear();
    }
    assert!(c.verify(&r, &Spend::default()).is_ok());
    r.manifests.policy.version.push_str("-old");
    assert_eq!(
        c.verify(&r, &Spend::default()),
        Err(Refusal::StaleManifest { manifest: "policy" })
    );
}

#[test]
fn a_record_dated_far_from_the_servers_clock_is_a_stale_clock() {
    let c = Case::new();
    let r = c.record("u-rep-01", "advanced-reports", ChargeKind::Purchase);
    let spend = Spend::default();
    let day = 24 * 3_600_000;
    for (at, expected) in [
        (now().0 + day - 1, "accepted"),
        (now().0 + day + 1, "stale_clock"),
        (now().0 - 4 * 60_000, "accepted"),
        (now().0 - 6 * 60_000, "stale_clock"),
    ] {
        let got = verify(&r, &c.ctx("u-rep-01", &[], &spend, Instant(at))).map(drop);
        assert_eq!(code(got), expected, "server time {at}");
    }
}

#[test]
fn a_record_in_another_currency_than_the_entitys_is_wrong_currency() {
    let c = Case::new();
    let mut r = c.record("u-rep-01", "advanced-reports", ChargeKind::Purchase);
    r.currency = Currency::EUR;
    assert_eq!(
        c.verify(&r, &Spend::default()),
        Err(Refusal::WrongCurrency {
            expected: Currency::USD,
            found: Currency::EUR
        })
    );
    let de = c.record("u-rep-de-01", "advanced-reports", ChargeKind::Purchase);
    assert_eq!(de.currency, Currency::EUR);
    assert_eq!(code(c.verify(&de, &Spend::default())), "accepted");
}

#[test]
fn a_second_trial_of_the_same_module_is_refused() {
    let c = Case::new();
    let first = c.record("u-rep-01", "pipeline-forecasting", ChargeKind::Trial);
    let earlier = inflow::entitlement::trial::start_trial(
        c.m.catalog(),
        &[],
        c.users.user("u-rep-01").unwrap(),
        "pipeline-forecasting",
        "g-earlier",
        Date::parse("2026-09-01").unwrap(),
    )
    .unwrap();
    let spend = Spend::default();
    let got = verify(&first, &c.ctx("u-rep-01", &[earlier], &spend, now())).map(drop);
    assert_eq!(code(got), "trial_refused");
}

#[test]
fn another_period_is_a_record_mismatch() {
    let c = Case::new();
    let mut r = c.record("u-rep-01", "advanced-reports", ChargeKind::Purchase);
    r.period.end = r.period.end.plus_days(30);
    assert_eq!(
        c.verify(&r, &Spend::default()),
        Err(Refusal::Mismatch { field: "period" })
    );
}

#[test]
fn a_cancel_is_credited_the_prorated_unused_days_and_nothing_else() {
    let c = Case::new();
    // 10.80 for 2026-11-20 to 2026-12-20 (30 days), cancelled on 2026-12-05: 15 unused days.
    let r = c.record("u-rep-01", "advanced-reports", ChargeKind::Purchase);
    let on = Date::parse("2026-12-05").unwrap();
    assert_eq!(cancel_credit(&r, on), Ok(d("5.40")));
    assert_eq!(verify_cancel(&r, on, d("5.40")), Ok(d("5.40")));
    assert_eq!(
        verify_cancel(&r, on, d("10.80")),
        Err(Refusal::CreditMismatch {
            expected: d("5.40"),
            found: d("10.80")
        })
    );
    assert_eq!(cancel_credit(&r, r.period.start), Ok(d("10.80")));
    assert_eq!(cancel_credit(&r, r.period.end), Ok(Decimal::ZERO));
}
