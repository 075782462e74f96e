//! The suggestion funnel: how often a suggestion shown was opened, tried and bought, per
//! module and surface.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use crate::calendar::Instant;

/// A step of the funnel.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Stage {
    /// The suggestion was shown.
    Shown,
    /// The user opened its details.
    Opened,
    /// The user started a trial from it.
    Trial,
    /// The user bought from it.
    Bought,
}

/// One step taken by one user on one suggestion.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct FunnelEvent {
    /// The module suggested.
    pub module: String,
    /// Where it was shown (`"crm-sidebar"`).
    pub surface: String,
    /// The step.
    pub stage: Stage,
    /// When.
    pub at: Instant,
}

/// The funnel of one module on one surface.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct FunnelRow {
    /// The module.
    pub module: String,
    /// The surface.
    pub surface: String,
    /// Times shown.
    pub shown: u32,
    /// Times opened.
    pub opened: u32,
    /// Trials started.
    pub trial: u32,
    /// Purchases.
    pub bought: u32,
    /// `bought / shown` (0 when never shown).
    pub conversion: f64,
}

/// Counts per module and surface, in (module, surface) order.
pub fn funnel(events: &[FunnelEvent]) -> Vec<FunnelRow> {
    let mut by: BTreeMap<(&str, &str), [u32; 4]> = BTreeMap::new();
    for e in events {
        let counts = by.entry((&e.module, &e.surface)).or_default();
        let i = match e.stage {
            Stage::Shown => 0,
            Stage::Opened => 1,
            Stage::Trial => 2,
            Stage::Bought => 3,
        };
        if let Some(n) = counts.get_mut(i) {
            *n = n.saturating_add(1);
        }
    }
    by.into_iter()
        .map(
            |((module, surface), [shown, opened, trial, bought])| FunnelRow {
                module: module.to_string(),
                surface: surface.to_string(),
                shown,
                opened,
                trial,
                bought,
                conversion: if shown == 0 {
                    0.0
                } else {
                    f64::from(bought) / f64::from(shown)
                },
            },
        )
        .collect()
}
