//! From an intent to a charge record on the demo scenario, figures worked by hand.

#![cfg(feature = "json")]

mod common;

use common::refs;

use inflow::checkout::{prepare, ChargeKind, Context, Intent, Motion, Route, Spend};
use inflow::entitlement::{Grant, GrantSource, Holder};
use inflow::{Date, Instant};
use rust_decimal::Decimal;
use std::str::FromStr;

fn now() -> Instant {
    // 2026-11-20T12:00:00Z
    Instant(Date::parse("2026-11-20").unwrap().start().0 + 12 * 3_600_000)
}

fn intent(id: &str, module: &str) -> Intent {
    Intent {
        id: id.into(),
        module: module.into(),
        plan: None,
        quantity: None,
        kind: ChargeKind::Purchase,
        offer: Some(module.into()),
        surface: Some("crm-sidebar".into()),
    }
}

#[test]
fn a_rep_buys_advanced_reports_auto_approved_at_the_contract_price() {
    let (m, users) = common::demo();
    let user = users.user("u-rep-01").unwrap();
    let (spend, refs) = (Spend::default(), refs());
    let ctx = Context {
        manifests: &m,
        user,
        grants: &[],
        spend: &spend,
        refs: &refs,
        now: now(),
    };
    let r = prepare(&ctx, &intent("charge-0001", "advanced-reports")).unwrap();
    // 12.00 USD list, 10 % per-seat contract discount: 10.80.
    assert_eq!(r.total, Decimal::from_str("10.80").unwrap());
    assert_eq!(r.lines.len(), 1);
    assert_eq!(r.funding.route, Route::AutoApproved);
    assert_eq!(
        (r.department.as_str(), r.customer.as_str()),
        ("sales", "halvorsen")
    );
    assert_eq!(r.period.start.to_string(), "2026-11-20");
    assert_eq!(r.period.end.to_string(), "2026-12-20");
    assert_eq!(
        (r.attribution.motion, r.attribution.owner.as_str()),
        (Motion::Land, "ae-114")
    );
}

#[test]
fn what_a_module_requires_is_bought_with_it() {
    let (m, users) = common::demo();
    let user = users.user("u-mgr-01").unwrap();
    let (spend, refs) = (Spend::default(), refs());
    let ctx = Context {
        manifests: &m,
        user,
        grants: &[],
        spend: &spend,
        refs: &refs,
        now: now(),
    };
    let r = prepare(&ctx, &intent("charge-0002", "report-scheduler")).unwrap();
    let modules: Vec<_> = r.lines.iter().map(|l| l.module.as_str()).collect();
    assert_eq!(modules, ["advanced-reports", "report-scheduler"]);
    // 10.80 (Advanced Reports, discounted) + 40.00 (Scheduler, flat) = 50.80.
    assert_eq!(r.total, Decimal::from_str("50.80").unwrap());
}

#[test]
fn an_owner_buys_again_as_expansion_and_cannot_buy_twice() {
    let (m, users) = common::demo();
    let user = users.user("u-rep-03").unwrap();
    let today = now().date();
    let grants = vec![Grant::new(
        "g-1",
        "advanced-reports",
        GrantSource::Purchase,
        Holder::User(user.id.clone()),
        today.plus_days(-30),
    )];
    let (spend, refs) = (Spend::default(), refs());
    let ctx = Context {
        manifests: &m,
        user,
        grants: &grants,
        spend: &spend,
        refs: &refs,
        now: now(),
    };
    assert_eq!(
        prepare(&ctx, &intent("charge-0003", "advanced-reports"))
            .unwrap_err()
            .code(),
        "already_owned"
    );
    let r = prepare(&ctx, &intent("charge-0004", "e-signature")).unwrap();
    assert_eq!(
        (r.attribution.motion, r.attribution.owner.as_str()),
        (Motion::Expand, "csm-207")
    );
}

#[test]
fn a_trial_costs_nothing_runs_its_days_and_happens_once() {
    let (m, users) = common::demo();
    let user = users.user("u-rep-01").unwrap();
    let (spend, refs) = (Spend::default(), refs());
    let mut t = intent("trial-0001", "pipeline-forecasting");
    t.kind = ChargeKind::Trial;
    let ctx = Context {
        manifests: &m,
        user,
        grants: &[],
        spend: &spend,
        refs: &refs,
        now: now(),
    };
    let r = prepare(&ctx, &t).unwrap();
    assert_eq!((r.total, r.funding.route), (Decimal::ZERO, Route::Trial));
    assert_eq!(r.period.days(), 14);
    let grants = vec![Grant::new(
        "trial-0001",
        "pipeline-forecasting",
        GrantSource::Trial,
        Holder::User(user.id.clone()),
        now().date(),
    )
    .until(r.period.end)];
    let ctx = Context {
        grants: &grants,
        ..ctx
    };
    assert_eq!(
        prepare(
            &ctx,
            &Intent {
                id: "trial-0002".into(),
                ..t.clone()
            }
        )
        .unwrap_err()
        .code(),
        "trial_refused"
    );
    // Support's community allows no trials.
    let agent = users.user("u-sup-01").unwrap();
    let ctx = Context {
        user: agent,
        grants: &[],
        ..ctx
    };
    let mut ci = intent("trial-0003", "conversation-insights");
    ci.kind = ChargeKind::Trial;
    assert_eq!(prepare(&ctx, &ci).unwrap_err().code(), "trial_refused");
}

#[test]
fn bad_intents_are_refused_with_what_to_fix() {
    let (m, users) = common::demo();
    let user = users.user("u-rep-01").unwrap();
    let (spend, refs) = (Spend::default(), refs());
    let ctx = Context {
        manifests: &m,
        user,
        grants: &[],
        spend: &spend,
        refs: &refs,
        now: now(),
    };
    let e = prepare(&ctx, &intent("x", "advanced-reports")).unwrap_err();
    assert_eq!((e.code(), e.path()), ("invalid_input", Some("id")));
    assert_eq!(
        prepare(&ctx, &intent("charge-0005", "territory-planning"))
            .unwrap_err()
            .code(),
        "not_offered"
    );
    assert_eq!(
        prepare(&ctx, &intent("charge-0006", "no-such-module"))
            .unwrap_err()
            .code(),
        "unknown_module"
    );
    let mut zero = intent("charge-0007", "advanced-reports");
    zero.quantity = Some(Decimal::ZERO);
    assert_eq!(prepare(&ctx, &zero).unwrap_err().path(), Some("quantity"));
}
