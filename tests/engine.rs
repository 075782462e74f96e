//! One user's session on the demo scenario: offers, usage against limits, checkout and the
//! grant it leaves, trials, dismissals.

#![cfg(feature = "json")]

mod common;

use common::refs;

use inflow::checkout::{ChargeKind, Intent, Route, Spend};
use inflow::engine::{Engine, State};
use inflow::manifest::json;
use inflow::propensity::{Model, SuggestionKind};
use inflow::{Date, Instant};
use rust_decimal::Decimal;

fn at(day: &str) -> Instant {
    Instant(Date::parse(day).unwrap().start().0 + 10 * 3_600_000)
}

/// A small model: export-limit hits point to Advanced Reports.
fn model() -> Model {
    json::from_str(
        "model",
        r#"{"version":"test","modules":{
            "advanced-reports":{"bias":-3.0,"weights":{"reports.export.limit_hits_30d":2.5,"reports.export.count_30d":0.4}},
            "pipeline-forecasting":{"bias":-3.0,"weights":{}}
        }}"#,
    )
    .unwrap()
}

fn session(user: &str) -> Engine {
    let (m, users) = common::demo();
    let u = users.user(user).unwrap().clone();
    Engine::new(
        m,
        u,
        State::default(),
        Some(model()),
        refs(),
        Spend::default(),
    )
    .unwrap()
}

#[test]
fn hitting_the_export_limit_brings_an_explained_offer_of_advanced_reports() {
    let mut e = session("u-rep-01");
    let mut refused = 0;
    for i in 0..60 {
        let day = format!("2026-11-{:02}", 1 + i / 3);
        if e.record_usage("reports.export", Decimal::ONE, at(&day))
            .is_err()
        {
            refused += 1;
        }
    }
    assert_eq!(refused, 10, "50 exports a month, the next 10 refused");
    let check = e.check("reports.export", at("2026-11-21")).unwrap();
    assert!(!check.allowed);
    let offers = e.offers(3, at("2026-11-21")).unwrap();
    let first = offers.first().expect("an offer");
    assert_eq!(first.module, "advanced-reports");
    assert_eq!(first.kind, SuggestionKind::Buy);
    assert!(first.reason.text.contains("limit"), "{}", first.reason.text);
    let price = first.price.as_ref().unwrap();
    assert_eq!(price.amount, Decimal::new(1080, 2));
    assert_eq!(first.funding.as_ref().unwrap().route, Route::AutoApproved);
}

#[test]
fn buying_unlocks_the_feature_without_a_new_session() {
    let mut e = session("u-rep-01");
    let now = at("2026-11-21");
    let intent = Intent {
        id: "charge-0001".into(),
        module: "advanced-reports".into(),
        plan: None,
        quantity: None,
        kind: ChargeKind::Purchase,
        offer: None,
        surface: None,
    };
    let record = e.checkout(&intent, now).unwrap();
    assert!(e.apply(&record).unwrap().is_some());
    let check = e.check("reports.export", now).unwrap();
    assert!(
        check.allowed && check.remaining.is_none(),
        "unlimited after purchase"
    );
    // Applying the same record again changes nothing.
    e.apply(&record).unwrap();
    assert_eq!(e.state().grants.len(), 1);
    // Owned now: never sold again (at most shown as help to get started).
    assert!(e
        .offers(5, now)
        .unwrap()
        .iter()
        .all(|o| o.module != "advanced-reports" || o.kind == SuggestionKind::Help));
}

#[test]
fn a_trial_unlocks_then_converts_in_place_on_purchase() {
    let mut e = session("u-mgr-01");
    let now = at("2026-11-21");
    assert!(!e.check("forecast.pipeline", now).unwrap().allowed);
    let trial = Intent {
        id: "trial-0001".into(),
        module: "pipeline-forecasting".into(),
        plan: None,
        quantity: None,
        kind: ChargeKind::Trial,
        offer: None,
        surface: None,
    };
    let record = e.checkout(&trial, now).unwrap();
    e.apply(&record).unwrap();
    assert!(e.check("forecast.pipeline", now).unwrap().allowed);
    assert!(
        !e.check("forecast.pipeline", at("2026-12-10"))
            .unwrap()
            .allowed,
        "the trial ended"
    );
    let buy = Intent {
        id: "charge-0002".into(),
        kind: ChargeKind::Purchase,
        ..trial
    };
    let record = e.checkout(&buy, at("2026-11-30")).unwrap();
    e.apply(&record).unwrap();
    let grants = e.state().grants;
    assert_eq!(grants.len(), 1, "the trial grant converted: {grants:?}");
    assert_eq!(grants[0].id, "trial-0001");
    assert!(
        e.check("forecast.pipeline", at("2026-12-10"))
            .unwrap()
            .allowed
    );
}

#[test]
fn a_purchase_needing_approval_grants_nothing_yet() {
    let (m, users) = common::demo();
    let u = users.user("u-rep-05").unwrap().clone();
    let mut spend = Spend::default();
    spend
        .by_source
        .insert("sales-ops".into(), Decimal::from(2_995));
    let mut e = Engine::new(m, u, State::default(), Some(model()), refs(), spend).unwrap();
    let intent = Intent {
        id: "charge-0003".into(),
        module: "advanced-reports".into(),
        plan: None,
        quantity: None,
        kind: ChargeKind::Purchase,
        offer: None,
        surface: None,
    };
    let record = e.checkout(&intent, at("2026-11-21")).unwrap();
    assert_eq!(record.funding.route, Route::NeedsApproval);
    assert_eq!(e.apply(&record).unwrap(), None);
    assert!(e.state().grants.is_empty());
}

#[test]
fn a_dismissed_offer_stays_away_for_the_cool_down_and_state_survives_a_reload() {
    let mut e = session("u-rep-01");
    for i in 0..55 {
        let _ = e.record_usage(
            "reports.export",
            Decimal::ONE,
            at(&format!("2026-11-{:02}", 1 + i / 3)),
        );
    }
    e.dismiss("advanced-reports", at("2026-11-20")).unwrap();
    let state = e.state();
    let (m, users) = common::demo();
    let mut reloaded = Engine::new(
        m,
        users.user("u-rep-01").unwrap().clone(),
        state,
        Some(model()),
        refs(),
        Spend::default(),
    )
    .unwrap();
    assert!(reloaded
        .offers(5, at("2026-11-21"))
        .unwrap()
        .iter()
        .all(|o| o.module != "advanced-reports"));
    assert!(
        !reloaded
            .check("reports.export", at("2026-11-21"))
            .unwrap()
            .allowed,
        "usage survived"
    );
    assert_eq!(
        reloaded
            .dismiss("nope", at("2026-11-21"))
            .unwrap_err()
            .code(),
        "unknown_module"
    );
}

#[test]
fn owned_but_unused_modules_come_as_help_before_anything_is_sold() {
    let mut e = session("u-rep-03");
    let now = at("2026-11-21");
    let intent = Intent {
        id: "charge-0004".into(),
        module: "advanced-reports".into(),
        plan: None,
        quantity: None,
        kind: ChargeKind::Purchase,
        offer: None,
        surface: None,
    };
    let r = e.checkout(&intent, at("2026-09-01")).unwrap();
    e.apply(&r).unwrap();
    let offers = e.offers(3, now).unwrap();
    let first = offers.first().expect("help first");
    assert_eq!(
        (first.module.as_str(), first.kind),
        ("advanced-reports", SuggestionKind::Help)
    );
    assert!(first.price.is_none() && first.funding.is_none());
}

#[test]
fn suggestions_rank_by_propensity_and_offers_price_the_same_ranking() {
    let mut e = session("u-rep-01");
    for i in 0..55 {
        let _ = e.record_usage(
            "reports.export",
            Decimal::ONE,
            at(&format!("2026-11-{:02}", 1 + i / 3)),
        );
    }
    let now = at("2026-11-21");
    let suggested = e.suggest(5, now);
    assert_eq!(
        suggested.first().map(|s| s.module.as_str()),
        Some("advanced-reports")
    );
    // Suggesting does not count as showing: the daily cap is untouched.
    assert_eq!(e.suggest(5, now), suggested);
    let offers = e.offers(5, now).unwrap();
    let offered: Vec<_> = offers.iter().map(|o| o.module.as_str()).collect();
    let order: Vec<_> = suggested
        .iter()
        .map(|s| s.module.as_str())
        .filter(|m| offered.contains(m))
        .collect();
    assert_eq!(offered, order, "offers keep the suggestions' order");
}

#[test]
fn signals_kept_between_calls_equal_a_fresh_fold_as_usage_is_recorded() {
    use inflow::propensity::Signals;
    let mut e = session("u-rep-01");
    let fresh = |e: &Engine, now: Instant| {
        let State { events, .. } = e.state();
        Signals::fold(&events, now, e.manifests().catalog(), &e.owned(now))
    };
    let mut now = at("2026-11-02");
    for step in 0..120 {
        // Every 5 hours: exports (the 51st onward refused at the limit), a trial, readings
        // between them.
        now = Instant(now.0 + 5 * 3_600_000);
        if step % 3 == 0 {
            let _ = e.record_usage("reports.export", Decimal::ONE, now);
        }
        if step == 60 {
            let trial = Intent {
                id: "trial-0001".into(),
                module: "pipeline-forecasting".into(),
                plan: None,
                quantity: None,
                kind: ChargeKind::Trial,
                offer: None,
                surface: None,
            };
            let record = e.checkout(&trial, now).unwrap();
            e.apply(&record).unwrap();
        }
        let before = e.suggest(3, now);
        assert_eq!(e.signals(now), fresh(&e, now), "step {step}");
        // A suggestion made from kept signals is the one made from a fresh session's.
        let again = Engine::new(
            e.manifests().clone(),
            e.user().clone(),
            e.state(),
            Some(model()),
            refs(),
            Spend::default(),
        )
        .unwrap();
        assert_eq!(before, again.suggest(3, now), "step {step}");
    }
}
