//! Scoring, ranking and explaining on arbitrary telemetry, and loading arbitrary models:
//! never a panic, probabilities always finite in [0, 1].
//!
//! The input's first byte picks the mode. Mode 0: the rest is a model manifest as JSON,
//! loaded, checked against the demo catalog and, if valid, used to score an empty user.
//! Otherwise: the rest is cut into 14-byte usage events (feature, count, instant, limit hit)
//! scored with the demo model at an instant taken from the input.

#![no_main]

use std::sync::OnceLock;

use inflow::manifest::{json, Catalog};
use inflow::propensity::{rank, Candidate, Limits, Model, Scorer, Signals, SuggestionLog, UsageEvent};
use inflow::Instant;
use libfuzzer_sys::fuzz_target;

struct Demo {
    catalog: Catalog,
    scorer: Scorer,
}

fn demo() -> &'static Demo {
    static DEMO: OnceLock<Demo> = OnceLock::new();
    DEMO.get_or_init(|| {
        let catalog: Catalog = json::from_str("catalog", include_str!("../../manifests/catalog.json")).expect("demo catalog");
        let model: Model = json::from_str("model", include_str!("../../manifests/model.json")).expect("demo model");
        let scorer = Scorer::new(&model, &catalog).expect("demo model fits the catalog");
        Demo { catalog, scorer }
    })
}

fn check(scorer: &Scorer, catalog: &Catalog, events: &[UsageEvent], now: Instant, log: &SuggestionLog) {
    let owned: Vec<String> = events.iter().take(2).map(|e| e.feature.clone()).collect();
    let signals = Signals::fold(events, now, catalog, &owned);
    let scores = scorer.score(&signals, Some("sales-reps"));
    for s in scores.iter() {
        assert!(s.probability.is_finite() && (0.0..=1.0).contains(&s.probability));
    }
    let candidates: Vec<Candidate> = catalog
        .modules
        .iter()
        .enumerate()
        .map(|(i, m)| Candidate { module: &m.id, owned: i % 5 == 0, in_trial: i % 7 == 0 })
        .collect();
    let ranked = rank(&candidates, &scores, &signals, catalog, log, &Limits::default(), now);
    for s in &ranked {
        assert!(!s.explanation.text.is_empty());
    }
}

fuzz_target!(|data: &[u8]| {
    let d = demo();
    let Some((&mode, rest)) = data.split_first() else { return };
    if mode == 0 {
        let Ok(text) = std::str::from_utf8(rest) else { return };
        let Ok(model) = json::from_str::<Model>("model", text) else { return };
        if let Ok(scorer) = Scorer::new(&model, &d.catalog) {
            check(&scorer, &d.catalog, &[], Instant(0), &SuggestionLog::default());
        }
        return;
    }
    let features: Vec<&str> = d.catalog.features.iter().map(|f| f.id.as_str()).collect();
    let now = Instant(i64::from_le_bytes(rest.get(..8).and_then(|b| b.try_into().ok()).unwrap_or([0; 8])));
    let mut log = SuggestionLog::default();
    let mut events = Vec::new();
    for chunk in rest.get(8..).unwrap_or(&[]).chunks_exact(14) {
        let feature = features.get(usize::from(chunk[0]) % (features.len() + 1)).map_or("no.such.feature", |f| f);
        let count = u32::from_le_bytes([chunk[1], chunk[2], chunk[3], chunk[4]]);
        let at = Instant(i64::from_le_bytes(chunk[5..13].try_into().unwrap_or([0; 8])));
        match chunk[13] % 8 {
            0 => log.record_dismissed(&d.catalog.modules[usize::from(chunk[0]) % d.catalog.modules.len()].id, at),
            1 => log.record_shown(&d.catalog.modules[usize::from(chunk[1]) % d.catalog.modules.len()].id, at),
            _ => {}
        }
        events.push(UsageEvent { feature: feature.to_string(), count, at, limit_hit: chunk[13] & 1 == 1 });
    }
    check(&d.scorer, &d.catalog, &events, now, &log);
});
