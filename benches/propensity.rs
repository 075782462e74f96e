//! Scoring and ranking 1,000 synthetic modules for one user.

use inflow::collections::Map;
use std::hint::black_box;

use criterion::{criterion_group, criterion_main, Criterion};
use inflow::manifest::Catalog;
use inflow::propensity::guardrails::{rank, Candidate, Limits, SuggestionLog};
use inflow::propensity::{Model, ModuleWeights, Scorer, SignalKind, Signals, UsageEvent};
use inflow::Instant;

const MODULES: usize = 1_000;
const FEATURES: usize = 200;
const NOW: Instant = Instant(1_790_000_000_000);

fn catalog() -> Catalog {
    let features: Vec<_> = (0..FEATURES)
        .map(|f| {
            serde_json::json!({"id": format!("f{f}.use"), "name": format!("Feature {f}"),
                "kind": "limit", "unit": "use", "reset": "month"})
        })
        .collect();
    let modules: Vec<_> = (0..MODULES)
        .map(|m| {
            serde_json::json!({"id": format!("m{m}"), "name": format!("Module {m}"),
                "features": [{"feature": format!("f{}.use", m % FEATURES), "limit": "unlimited"}]})
        })
        .collect();
    serde_json::from_value(serde_json::json!({
        "version": "bench", "supplier": {"id": "s", "name": "S"}, "currencies": ["USD"],
        "features": features, "base": [], "modules": modules
    }))
    .expect("synthetic catalog")
}

/// Eight weights per module over features near its own, plus adoption of a neighbour.
fn model() -> Model {
    let kinds = [
        SignalKind::Count7d,
        SignalKind::Count30d,
        SignalKind::LimitHits30d,
        SignalKind::Trend,
        SignalKind::RecencyDays,
    ];
    let modules = (0..MODULES)
        .map(|m| {
            let mut weights = Map::new();
            for j in 0..7 {
                let f = (m * 7 + j * 13) % FEATURES;
                let k = kinds[(m + j) % kinds.len()];
                weights.insert(format!("f{f}.use.{}", k.suffix()), 0.1 * (j as f64) - 0.2);
            }
            weights.insert(format!("module.m{}.adoption", (m + 1) % MODULES), 0.7);
            (
                format!("m{m}"),
                ModuleWeights {
                    bias: -2.0,
                    weights,
                },
            )
        })
        .collect();
    Model {
        version: "bench".into(),
        trained_at: None,
        seed: Some(42),
        min_events_90d: 5,
        modules,
        cooccurrence: Map::new(),
        popularity: Map::new(),
    }
}

fn events() -> Vec<UsageEvent> {
    (0..5_000i64)
        .map(|i| UsageEvent {
            feature: format!("f{}.use", (i * 31) % FEATURES as i64),
            count: 1 + (i % 5) as u32,
            at: NOW.plus_days(-(i % 90)),
            limit_hit: i % 50 == 0,
        })
        .collect()
}

fn bench(c: &mut Criterion) {
    let catalog = catalog();
    let scorer = Scorer::new(&model(), &catalog).expect("valid model");
    let owned: Vec<String> = (0..MODULES).step_by(10).map(|m| format!("m{m}")).collect();
    let events = events();
    let signals = Signals::fold(&events, NOW, &catalog, &owned);
    let candidates: Vec<Candidate<'_>> = catalog
        .modules
        .iter()
        .enumerate()
        .map(|(i, m)| Candidate {
            module: &m.id,
            owned: i % 10 == 0,
            in_trial: i % 97 == 0,
        })
        .collect();
    let log = SuggestionLog::default();
    let limits = Limits::default();

    c.bench_function("score 1000 modules", |b| {
        b.iter(|| black_box(scorer.score(black_box(&signals), None)))
    });
    c.bench_function("score and rank 1000 modules", |b| {
        b.iter(|| {
            let scores = scorer.score(black_box(&signals), None);
            black_box(rank(
                &candidates,
                &scores,
                &signals,
                &catalog,
                &log,
                &limits,
                NOW,
            ))
        })
    });
    c.bench_function("fold 5000 events", |b| {
        b.iter(|| black_box(Signals::fold(black_box(&events), NOW, &catalog, &owned)))
    });
}

criterion_group!(benches, bench);
criterion_main!(benches);
