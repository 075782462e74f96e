//! A small history computed by hand.
//!
//! Purchases (USD unless noted):
//!
//! | id | user | module | month   | day of epoch | motion | owner   | total  |
//! |----|------|--------|---------|--------------|--------|---------|--------|
//! | p1 | a    | rep    | 2026-01 | Jan 10       | land   | ae-114  | 100.00 |
//! | p2 | a    | esig   | 2026-01 | Jan 25 (+15) | expand | csm-207 |  40.00 |
//! | p3 | b    | rep    | 2026-03 | Mar 01       | expand | csm-207 |  60.00 |
//! | p4 | b    | fc     | 2026-06 | Jun 09 (+100)| expand | csm-207 | 200.00 |
//! | p5 | c    | rep    | 2026-03 | Mar 05       | land   | ae-114  |  50.00 |
//! | p6 | d    | rep    | 2026-03 | Mar 06       | land   | ae-114  |  90.00 EUR |
//! | t1 | c    | fc     | 2026-04 | trial        | —      | csm-207 |   0.00 |
//!
//! USD land 150, expand 300: ratio 2.00. EUR land 90, no expand: ratio 0.
//! Second orders: a 15 days, b 100 days; c and d single. Median (15 + 100) / 2 = 57.5.
//! Months 2026-01 … 2026-06, six rows per currency; February and April–May zero.

use rust_decimal::Decimal;

use super::*;
use crate::calendar::{Date, Instant, Period};
use crate::checkout::{Attribution, Decision, ManifestRef, ManifestRefs, Route};
use crate::manifest::json;

fn d(s: &str) -> Decimal {
    s.parse().unwrap()
}

fn at(y: i32, m: u32, day: u32) -> Instant {
    Date::from_ymd(y, m, day).unwrap().start()
}

#[allow(clippy::too_many_arguments)]
fn charge(
    id: &str,
    user: &str,
    module: &str,
    when: Instant,
    motion: Motion,
    owner: &str,
    total: &str,
    currency: &str,
) -> ChargeRecord {
    let r = ManifestRef {
        version: "1".into(),
        digest: "x".into(),
    };
    let start = when.date();
    ChargeRecord {
        id: id.into(),
        kind: if total == "0.00" {
            ChargeKind::Trial
        } else {
            ChargeKind::Purchase
        },
        customer: "halvorsen".into(),
        department: "sales".into(),
        user: user.into(),
        module: module.into(),
        plan: "monthly".into(),
        quantity: Decimal::ONE,
        lines: vec![],
        total: d(total),
        currency: crate::money::Currency::try_new(currency).unwrap(),
        period: Period::new(start, start.plus_months(1)).unwrap(),
        funding: Decision {
            source: "sales-ops".into(),
            name: "Sales Ops".into(),
            route: Route::AutoApproved,
            approver: None,
            reasons: vec![],
            text: String::new(),
        },
        attribution: Attribution {
            offer: None,
            surface: None,
            motion,
            owner: owner.into(),
        },
        manifests: ManifestRefs {
            catalog: r.clone(),
            contract: r.clone(),
            policy: r,
        },
        created_at: when,
    }
}

fn history() -> Vec<ChargeRecord> {
    use Motion::{Expand, Land};
    vec![
        charge(
            "p1",
            "a",
            "rep",
            at(2026, 1, 10),
            Land,
            "ae-114",
            "100.00",
            "USD",
        ),
        charge(
            "p2",
            "a",
            "esig",
            at(2026, 1, 25),
            Expand,
            "csm-207",
            "40.00",
            "USD",
        ),
        charge(
            "p3",
            "b",
            "rep",
            at(2026, 3, 1),
            Expand,
            "csm-207",
            "60.00",
            "USD",
        ),
        charge(
            "p4",
            "b",
            "fc",
            at(2026, 6, 9),
            Expand,
            "csm-207",
            "200.00",
            "USD",
        ),
        charge(
            "p5",
            "c",
            "rep",
            at(2026, 3, 5),
            Land,
            "ae-114",
            "50.00",
            "USD",
        ),
        charge(
            "p6",
            "d",
            "rep",
            at(2026, 3, 6),
            Land,
            "ae-114",
            "90.00",
            "EUR",
        ),
        charge(
            "t1",
            "c",
            "fc",
            at(2026, 4, 2),
            Expand,
            "csm-207",
            "0.00",
            "USD",
        ),
    ]
}

#[test]
fn land_and_expand_per_month_fill_the_gaps() {
    let r = revenue(&history());
    assert_eq!(r.len(), 12, "six months × two currencies");
    let usd: Vec<_> = r
        .iter()
        .filter(|m| m.currency.to_string() == "USD")
        .collect();
    let months: Vec<&str> = usd.iter().map(|m| m.month.as_str()).collect();
    assert_eq!(
        months,
        ["2026-01", "2026-02", "2026-03", "2026-04", "2026-05", "2026-06"]
    );
    assert_eq!((usd[0].land, usd[0].expand), (d("100.00"), d("40.00")));
    assert_eq!((usd[1].land, usd[1].expand), (d("0"), d("0")));
    assert_eq!((usd[2].land, usd[2].expand), (d("50.00"), d("60.00")));
    assert_eq!(
        (usd[3].land, usd[3].expand),
        (d("0"), d("0")),
        "a trial is no revenue"
    );
    assert_eq!((usd[5].land, usd[5].expand), (d("0"), d("200.00")));
}

#[test]
fn expansion_ratio_per_currency() {
    let e = expansion(&history());
    assert_eq!(e.len(), 2);
    let eur = &e[0];
    assert_eq!(eur.currency.to_string(), "EUR");
    assert_eq!(
        (eur.land, eur.expand, eur.ratio),
        (d("90.00"), d("0"), Some(d("0")))
    );
    let usd = &e[1];
    assert_eq!((usd.land, usd.expand), (d("150.00"), d("300.00")));
    assert_eq!(usd.ratio, Some(d("2.00")));
    let only_expand = vec![history().swap_remove(1)];
    assert_eq!(expansion(&only_expand)[0].ratio, None, "no land: no ratio");
}

#[test]
fn time_to_second_order() {
    let s = second_order(&history());
    assert_eq!((s.repeat_buyers, s.single_buyers), (2, 2));
    assert_eq!(s.median_days, Some(57.5));
    let counts: Vec<u32> = s.buckets.iter().map(|b| b.buyers).collect();
    assert_eq!(counts, [1, 0, 1, 0, 0], "15 days and 100 days");
    let mut odd = history();
    odd.push(charge(
        "p7",
        "c",
        "esig",
        at(2026, 4, 4),
        Motion::Expand,
        "csm-207",
        "20.00",
        "USD",
    ));
    assert_eq!(second_order(&odd).median_days, Some(30.0), "15, 30, 100");
    assert_eq!(second_order(&[]).median_days, None);
}

#[test]
fn sales_credit_per_owner() {
    let c = credit(&history());
    let rows: Vec<(String, String, u32, Decimal)> = c
        .iter()
        .map(|c| {
            (
                c.owner.clone(),
                c.currency.to_string(),
                c.purchases,
                c.total,
            )
        })
        .collect();
    assert_eq!(
        rows,
        [
            ("ae-114".into(), "EUR".into(), 1, d("90.00")),
            ("ae-114".into(), "USD".into(), 2, d("150.00")),
            ("csm-207".into(), "USD".into(), 3, d("300.00")),
        ]
    );
}

fn policy() -> Policy {
    json::from_str(
        "policy",
        r#"{"version":"1","customer":"halvorsen","communities":[
          {"id":"reps","name":"Reps","department":"sales",
           "members":{"eq":{"attribute":"role","value":"rep"}},
           "modules":["rep","fc"],"funding":["sales-ops"]},
          {"id":"nobody","name":"Nobody","department":"sales",
           "members":{"eq":{"attribute":"role","value":"ghost"}},
           "modules":["rep"],"funding":["sales-ops"]}]}"#,
    )
    .unwrap()
}

fn users() -> Vec<User> {
    ["a", "b", "c", "d", "e"]
        .iter()
        .map(|id| User {
            id: (*id).into(),
            name: String::new(),
            attributes: [("role".to_string(), "rep".to_string())]
                .into_iter()
                .collect(),
        })
        .collect()
}

#[test]
fn attach_rate_per_community_and_module() {
    let a = attach(&history(), &users(), &policy());
    let rows: Vec<(&str, &str, u32, u32, f64)> = a
        .iter()
        .map(|a| {
            (
                a.community.as_str(),
                a.module.as_str(),
                a.members,
                a.buyers,
                a.rate,
            )
        })
        .collect();
    // rep: a, b, c, d bought it (4 of 5); fc: only b (c's was a trial).
    assert_eq!(
        rows,
        [
            ("reps", "rep", 5, 4, 0.8),
            ("reps", "fc", 5, 1, 0.2),
            ("nobody", "rep", 0, 0, 0.0),
        ]
    );
}

#[test]
fn funnel_per_module_and_surface() {
    let e = |module: &str, surface: &str, stage| FunnelEvent {
        module: module.into(),
        surface: surface.into(),
        stage,
        at: at(2026, 1, 1),
    };
    use Stage::*;
    let rows = funnel(&[
        e("rep", "crm", Shown),
        e("rep", "crm", Shown),
        e("rep", "crm", Shown),
        e("rep", "crm", Shown),
        e("rep", "crm", Opened),
        e("rep", "crm", Opened),
        e("rep", "crm", Bought),
        e("rep", "product", Shown),
        e("fc", "crm", Trial),
    ]);
    let got: Vec<_> = rows
        .iter()
        .map(|r| {
            (
                r.module.as_str(),
                r.surface.as_str(),
                r.shown,
                r.opened,
                r.trial,
                r.bought,
                r.conversion,
            )
        })
        .collect();
    assert_eq!(
        got,
        [
            ("fc", "crm", 0, 0, 1, 0, 0.0),
            ("rep", "crm", 4, 2, 0, 1, 0.25),
            ("rep", "product", 1, 0, 0, 0, 0.0),
        ]
    );
}

#[test]
fn calibration_per_decile() {
    let p = |probability, bought| Prediction {
        probability,
        bought,
    };
    let deciles = calibration(&[
        p(0.05, false),
        p(0.15, false),
        p(0.12, true),
        p(0.95, true),
        p(1.0, true),
        p(0.91, false),
        p(f64::NAN, true),
    ]);
    assert_eq!(deciles.len(), 10);
    assert_eq!((deciles[0].count, deciles[0].observed), (1, Some(0.0)));
    assert_eq!(deciles[1].count, 2);
    assert!((deciles[1].predicted.unwrap() - 0.135).abs() < 1e-12);
    assert_eq!(deciles[1].observed, Some(0.5));
    assert_eq!(deciles[5].predicted, None);
    assert_eq!(
        deciles[9].count, 3,
        "1.0 joins the last decile; NaN is skipped"
    );
    assert!((deciles[9].observed.unwrap() - 2.0 / 3.0).abs() < 1e-12);
}

#[test]
fn everything_at_once() {
    let charges = history();
    let users = users();
    let policy = policy();
    let all = insights(&History {
        charges: &charges,
        events: &[],
        users: &users,
        policy: &policy,
        predictions: &[],
    });
    assert_eq!(all.revenue.len(), 12);
    assert_eq!(all.second_order.median_days, Some(57.5));
    assert!(all.funnel.is_empty());
}
