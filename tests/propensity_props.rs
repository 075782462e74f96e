//! Properties of the propensity core: scoring is total and bounded whatever the
//! telemetry, explanations say only what the signals support, and each guardrail holds.

#![cfg(feature = "json")]

mod common;

use inflow::collections::Map;

use inflow::manifest::{json, Catalog};
use inflow::propensity::guardrails::{rank, Candidate, Limits, SuggestionKind, SuggestionLog};
use inflow::propensity::{
    explain, Model, ModuleWeights, Scorer, SignalKind, SignalName, Signals, Source, UsageEvent,
};
use inflow::Instant;
use proptest::prelude::*;

const FEATURES: [&str; 6] = [
    "reports.export",
    "forecast.pipeline",
    "esign.envelopes",
    "calls.minutes",
    "email.assistant",
    "no.such.feature",
];
const NOW: Instant = Instant(1_790_000_000_000);
const DAY: i64 = 86_400_000;

fn catalog() -> Catalog {
    json::from_str("catalog", &common::read("catalog")).unwrap()
}

/// A model reading every signal kind, with weights up to the limit, both signs.
fn model(catalog: &Catalog) -> Model {
    let mut modules = Map::new();
    for (i, m) in catalog.modules.iter().enumerate() {
        let mut weights = Map::new();
        for (j, f) in FEATURES.iter().take(5).enumerate() {
            for (k, kind) in SignalKind::ALL.iter().enumerate() {
                if kind.is_module_kind() {
                    continue;
                }
                let sign = if (i + j + k) % 3 == 0 { -1.0 } else { 1.0 };
                let w = sign * [100.0, 0.5, 2.0, 0.01][(i + j + k) % 4];
                weights.insert(format!("{f}.{}", kind.suffix()), w);
            }
        }
        weights.insert(format!("module.{}.adoption", m.id), 1.5);
        weights.insert(format!("module.{}.popularity", m.id), 2.0);
        modules.insert(
            m.id.clone(),
            ModuleWeights {
                bias: -3.0,
                weights,
            },
        );
    }
    let everyone: Map<String, f64> = catalog
        .modules
        .iter()
        .map(|m| (m.id.clone(), 0.5))
        .collect();
    let cooccurrence = Map::from_iter([(
        "advanced-reports".to_string(),
        Map::from_iter([("report-scheduler".to_string(), 1000.0)]),
    )]);
    Model {
        version: "props".into(),
        trained_at: None,
        seed: Some(1),
        min_events_90d: 5,
        modules,
        cooccurrence,
        popularity: Map::from_iter([("*".to_string(), everyone)]),
    }
}

fn event() -> impl Strategy<Value = UsageEvent> {
    (
        0..FEATURES.len(),
        prop_oneof![Just(0u32), Just(u32::MAX), any::<u32>(), 1u32..20],
        prop_oneof![
            Just(i64::MIN),
            Just(i64::MAX),
            any::<i64>(),
            (-100 * DAY..DAY).prop_map(|d| NOW.0 + d),
        ],
        any::<bool>(),
    )
        .prop_map(|(f, count, at, limit_hit)| UsageEvent {
            feature: FEATURES[f].to_string(),
            count,
            at: Instant(at),
            limit_hit,
        })
}

fn now() -> impl Strategy<Value = Instant> {
    prop_oneof![
        Just(NOW),
        Just(Instant(i64::MIN)),
        Just(Instant(i64::MAX)),
        any::<i64>().prop_map(Instant)
    ]
}

fn times(n: u64) -> String {
    match n {
        1 => "once".into(),
        2 => "twice".into(),
        n => format!("{n} times"),
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(64))]

    #[test]
    fn scores_are_probabilities_whatever_the_telemetry(
        events in prop::collection::vec(event(), 0..200),
        now in now(),
        owned_mask in any::<u16>(),
        pop in prop_oneof![Just(f64::NAN), Just(f64::INFINITY), Just(-1.0), 0.0..1.0f64],
    ) {
        let c = catalog();
        let scorer = Scorer::new(&model(&c), &c).unwrap();
        let owned: Vec<String> = c.modules.iter().enumerate()
            .filter(|(i, _)| owned_mask & (1 << i) != 0).map(|(_, m)| m.id.clone()).collect();
        let popularity = Map::from_iter([("sandbox".to_string(), pop)]);
        let s = Signals::fold(&events, now, &c, &owned).with_popularity(&popularity);
        for community in [None, Some("sales-reps")] {
            let scores = scorer.score(&s, community);
            for m in scores.iter() {
                prop_assert!(m.probability.is_finite() && (0.0..=1.0).contains(&m.probability),
                    "{} -> {}", m.module, m.probability);
                for k in scores.contributions(m.module) {
                    prop_assert!(k.amount.is_finite() && k.value.is_finite());
                }
            }
        }
    }

    #[test]
    fn explanations_name_positive_signals_with_their_numbers(
        events in prop::collection::vec(event(), 0..120),
        owned_mask in any::<u16>(),
    ) {
        let c = catalog();
        let scorer = Scorer::new(&model(&c), &c).unwrap();
        let owned: Vec<String> = c.modules.iter().enumerate()
            .filter(|(i, _)| owned_mask & (1 << i) != 0).map(|(_, m)| m.id.clone()).collect();
        let s = Signals::fold(&events, NOW, &c, &owned);
        let scores = scorer.score(&s, None);
        for m in scores.iter() {
            let contributions = scores.contributions(m.module);
            let e = explain(m.module, &contributions, &s, &c, 4);
            for r in &e.reasons {
                let positive = contributions.iter().any(|k| k.amount > 0.0 && match &k.source {
                    Source::Signal { name } => *name == r.signal,
                    Source::Popularity => r.signal == format!("module.{}.popularity", m.module),
                    Source::Cooccurrence { owned } =>
                        r.signal == format!("module.{}.cooccurrence.{owned}", m.module),
                });
                prop_assert!(positive, "{} explained by {} without support", m.module, r.signal);
                let Some(name) = SignalName::parse(&r.signal) else { continue };
                let Some(f) = s.features.get(name.subject) else { continue };
                let has_unit = c.feature(name.subject).is_some_and(|f| f.unit.is_some());
                let count = |n: u64| if has_unit { format!("used {n} ") } else { times(n) };
                let expected = match name.kind {
                    SignalKind::Count7d => count(f.count_7d),
                    SignalKind::Count30d => count(f.count_30d),
                    SignalKind::Count90d => count(f.count_90d),
                    SignalKind::LimitHits30d => times(f.limit_hits_30d),
                    SignalKind::RecencyDays => f.recency_days.map_or("yet".into(), |d| format!("{d} days")),
                    SignalKind::Trend => format!("to {} in the last 7 days", f.count_7d),
                    _ => continue,
                };
                prop_assert!(r.text.contains(&expected), "{:?} lacks {expected:?}", r.text);
            }
        }
    }

    #[test]
    fn a_dismissal_holds_for_exactly_the_cooldown(
        dismissed in -1_000_000i64..1_000_000,
        cooldown in 1u32..60,
        after_days in 0i64..80,
    ) {
        let c = catalog();
        let scorer = Scorer::new(&model(&c), &c).unwrap();
        let at = Instant(NOW.0 + dismissed);
        let now = at.plus_days(after_days);
        let s = Signals::fold(&[], now, &c, &[]);
        let scores = scorer.score(&s, None);
        let mut log = SuggestionLog::default();
        log.record_dismissed("e-signature", at);
        let limits = Limits { cooldown_days: cooldown, max_new_per_day: 10, ..Limits::default() };
        let cand = [Candidate { module: "e-signature", owned: false, in_trial: false }];
        let out = rank(&cand, &scores, &s, &c, &log, &limits, now);
        prop_assert_eq!(out.is_empty(), after_days < i64::from(cooldown));
    }

    #[test]
    fn cap_trial_and_help_first_hold(
        cap in 0u32..5,
        trial_mask in any::<u16>(),
        owned_mask in any::<u16>(),
        shown_mask in any::<u16>(),
    ) {
        let c = catalog();
        let scorer = Scorer::new(&model(&c), &c).unwrap();
        let bit = |mask: u16, i: usize| mask & (1 << i) != 0;
        let owned: Vec<String> = c.modules.iter().enumerate()
            .filter(|(i, _)| bit(owned_mask, *i)).map(|(_, m)| m.id.clone()).collect();
        let s = Signals::fold(&[], NOW, &c, &owned);
        let scores = scorer.score(&s, None);
        let cands: Vec<Candidate<'_>> = c.modules.iter().enumerate().map(|(i, m)| Candidate {
            module: &m.id, owned: bit(owned_mask, i), in_trial: bit(trial_mask, i),
        }).collect();
        let mut log = SuggestionLog::default();
        for (i, m) in c.modules.iter().enumerate() {
            if bit(shown_mask, i) {
                log.record_shown(&m.id, NOW.plus_days(-1));
            }
        }
        let limits = Limits { max_new_per_day: cap, ..Limits::default() };
        let out = rank(&cands, &scores, &s, &c, &log, &limits, NOW);
        let new = out.iter().filter(|x| log.entry(&x.module).is_none()).count();
        prop_assert!(new <= cap as usize);
        let first_buy = out.iter().position(|x| x.kind == SuggestionKind::Buy).unwrap_or(out.len());
        prop_assert!(out[first_buy..].iter().all(|x| x.kind == SuggestionKind::Buy));
        for x in &out {
            let i = c.modules.iter().position(|m| m.id == x.module).unwrap();
            prop_assert!(!bit(trial_mask, i), "{} is in trial", x.module);
            prop_assert_eq!(x.kind == SuggestionKind::Help, bit(owned_mask, i));
            prop_assert!(!x.explanation.text.is_empty());
        }
    }
}

#[test]
fn a_million_events_fold_and_score() {
    let c = catalog();
    let scorer = Scorer::new(&model(&c), &c).unwrap();
    let events: Vec<UsageEvent> = (0..1_000_000i64)
        .map(|i| UsageEvent {
            feature: FEATURES[(i % 6) as usize].to_string(),
            count: u32::MAX,
            at: Instant(NOW.0 - (i % 120) * DAY),
            limit_hit: i % 7 == 0,
        })
        .collect();
    let s = Signals::fold(&events, NOW, &c, &["advanced-reports".into()]);
    assert!(
        s.features
            .get("reports.export")
            .expect("reports.export")
            .count_90d
            > u64::from(u32::MAX)
    );
    let scores = scorer.score(&s, Some("sales-reps"));
    assert!(scores.iter().all(|m| (0.0..=1.0).contains(&m.probability)));
}

#[test]
fn the_model_schema_is_generated() {
    #[cfg(feature = "schema")]
    {
        let schema = schemars::schema_for!(Model);
        let text = serde_json::to_string(&schema).unwrap();
        assert!(text.contains("min_events_90d"));
    }
}
