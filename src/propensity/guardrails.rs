//! The suggestion guardrails that need no pricing: help before selling, nothing for a
//! module in trial, a cool-down after a dismissal and a daily cap on new suggestions.
//!
//! The caller (offers) decides which modules may be offered at all (policy, ownership,
//! exclusions, funding) and passes them in as [`Candidate`]s; [`rank`] returns the
//! suggestions to show, help first, each explained. [`SuggestionLog`] is the small,
//! serializable memory of what was shown and dismissed (one entry per module).

use crate::collections::{sort_by, Set};

use serde::{Deserialize, Serialize};

use super::explain::{explain, explain_help, Explanation};
use super::score::{by_probability, ModuleScore, Scores};
use super::signals::Signals;
use crate::calendar::{Date, Instant};
use crate::manifest::{Catalog, Policy};

/// What was shown to one user and what they dismissed.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct SuggestionLog {
    /// One entry per module, in the order first shown.
    #[serde(default)]
    pub entries: Vec<LogEntry>,
}

/// The log of one module.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct LogEntry {
    /// The module.
    pub module: String,
    /// When it was first shown.
    pub shown_at: Instant,
    /// When it was last dismissed.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub dismissed_at: Option<Instant>,
}

impl SuggestionLog {
    /// The entry of `module`.
    pub fn entry(&self, module: &str) -> Option<&LogEntry> {
        self.entries.iter().find(|e| e.module == module)
    }

    /// Records that `module` was shown at `at` (the first showing is kept).
    pub fn record_shown(&mut self, module: &str, at: Instant) {
        match self.entries.iter_mut().find(|e| e.module == module) {
            Some(e) => e.shown_at = e.shown_at.min(at),
            None => self.entries.push(LogEntry {
                module: module.to_string(),
                shown_at: at,
                dismissed_at: None,
            }),
        }
    }

    /// Records that `module` was dismissed at `at` (the latest dismissal is kept).
    pub fn record_dismissed(&mut self, module: &str, at: Instant) {
        self.record_shown(module, at);
        if let Some(e) = self.entries.iter_mut().find(|e| e.module == module) {
            e.dismissed_at = Some(e.dismissed_at.map_or(at, |d| d.max(at)));
        }
    }

    /// Whether `module` was dismissed less than `days` days before `now`.
    pub fn cooling_down(&self, module: &str, now: Instant, days: u32) -> bool {
        self.entry(module)
            .and_then(|e| e.dismissed_at)
            .is_some_and(|d| now < d.plus_days(i64::from(days)))
    }

    /// Whether `module` was first shown on a day before `today`.
    pub fn shown_before(&self, module: &str, today: Date) -> bool {
        self.entry(module)
            .is_some_and(|e| e.shown_at.date() < today)
    }

    /// The modules first shown on `today` (or, with a skewed clock, later).
    fn new_on(&self, today: Date) -> Set<&str> {
        let mut new = Set::new();
        for e in self.entries.iter().filter(|e| e.shown_at.date() >= today) {
            new.insert(e.module.as_str());
        }
        new
    }
}

/// The guardrails' settings.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Limits {
    /// Days a dismissed suggestion stays away.
    pub cooldown_days: u32,
    /// The most new suggestions (not shown before today) per user per day.
    pub max_new_per_day: u32,
    /// A module to buy is suggested only at or above this probability.
    pub min_probability: f64,
    /// The most reasons an explanation gives.
    pub max_reasons: usize,
}

impl Default for Limits {
    fn default() -> Self {
        Limits {
            cooldown_days: 14,
            max_new_per_day: 3,
            min_probability: 0.05,
            max_reasons: 2,
        }
    }
}

impl Limits {
    /// The policy's cool-down and daily cap, with the default threshold and reasons.
    pub fn from_policy(policy: &Policy) -> Limits {
        Limits {
            cooldown_days: policy.suggestion_cooldown_days,
            max_new_per_day: policy.max_new_suggestions_per_day,
            ..Limits::default()
        }
    }
}

/// A module the caller may suggest, with what the caller knows of it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Candidate<'a> {
    /// The module id.
    pub module: &'a str,
    /// The user owns it (a help candidate when unused).
    pub owned: bool,
    /// The user is trying it now.
    pub in_trial: bool,
}

/// Why a module is suggested.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum SuggestionKind {
    /// Help with an owned module that is not used.
    Help,
    /// Buy a module the user does not have.
    Buy,
}

/// One suggestion to show.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Suggestion {
    /// The module id.
    pub module: String,
    /// Help or buy.
    pub kind: SuggestionKind,
    /// The module's probability (0 for help without a score).
    pub probability: f64,
    /// Why, in plain words; never empty.
    pub explanation: Explanation,
}

/// The suggestions to show now, help first, then buys by probability.
///
/// Drops: modules in trial; modules dismissed less than `cooldown_days` ago; owned
/// modules that are used (some feature in the last 30 days); buys without a score,
/// below `min_probability` or without a reason to give; new suggestions (not shown before
/// today) beyond `max_new_per_day`, counting those already first shown today. Duplicate
/// candidates count once.
#[allow(clippy::too_many_arguments)]
pub fn rank(
    candidates: &[Candidate<'_>],
    scores: &Scores<'_>,
    signals: &Signals,
    catalog: &Catalog,
    log: &SuggestionLog,
    limits: &Limits,
    now: Instant,
) -> Vec<Suggestion> {
    rank_top(
        candidates,
        scores,
        signals,
        catalog,
        log,
        limits,
        now,
        usize::MAX,
    )
}

/// The first `max` suggestions of [`rank`]: the same, without ordering (or wording) what
/// comes after them.
#[allow(clippy::too_many_arguments)]
pub fn rank_top(
    candidates: &[Candidate<'_>],
    scores: &Scores<'_>,
    signals: &Signals,
    catalog: &Catalog,
    log: &SuggestionLog,
    limits: &Limits,
    now: Instant,
    max: usize,
) -> Vec<Suggestion> {
    let mut seen = Set::new();
    let mut help: Vec<ModuleScore<'_>> = Vec::new();
    let mut buy: Vec<ModuleScore<'_>> = Vec::new();
    for c in candidates {
        if !seen.insert(c.module)
            || c.in_trial
            || log.cooling_down(c.module, now, limits.cooldown_days)
        {
            continue;
        }
        let score = scores.get(c.module);
        if c.owned {
            let unused = signals
                .modules
                .get(c.module)
                .is_some_and(|m| m.owned && m.features_used_30d == 0);
            if unused {
                help.push(ModuleScore {
                    module: c.module,
                    probability: score.map_or(0.0, |s| s.probability),
                    basis: score.map_or(super::Basis::Fallback, |s| s.basis),
                });
            }
        } else if let Some(s) = score.filter(|s| s.probability >= limits.min_probability) {
            buy.push(ModuleScore {
                module: c.module,
                ..*s
            });
        }
    }

    let today = now.date();
    let new_today = log.new_on(today);
    let used = u32::try_from(new_today.len()).unwrap_or(u32::MAX);
    let mut admission = Admission {
        signals,
        scores,
        catalog,
        log,
        limits,
        today,
        new_today,
        slots: limits.max_new_per_day.saturating_sub(used),
        out: Vec::new(),
    };
    for (list, kind) in [(help, SuggestionKind::Help), (buy, SuggestionKind::Buy)] {
        for s in ordered(list) {
            if admission.out.len() >= max {
                return admission.out;
            }
            admission.admit(&s, kind);
        }
    }
    admission.out
}

/// What deciding on each ranked module reads, and the suggestions admitted so far.
struct Admission<'a, 's> {
    signals: &'a Signals,
    scores: &'a Scores<'s>,
    catalog: &'a Catalog,
    log: &'a SuggestionLog,
    limits: &'a Limits,
    today: Date,
    new_today: Set<&'a str>,
    slots: u32,
    out: Vec<Suggestion>,
}

impl Admission<'_, '_> {
    /// Admits `s` when it was seen today or a new slot is left, and a reason can be given.
    /// Explanations are worded only for what fits under the cap: checking admission is
    /// cheap, wording is not.
    fn admit(&mut self, s: &ModuleScore<'_>, kind: SuggestionKind) {
        let seen_today =
            self.log.shown_before(s.module, self.today) || self.new_today.contains(s.module);
        if !seen_today && self.slots == 0 {
            return;
        }
        let explanation = match kind {
            SuggestionKind::Help => explain_help(s.module, self.signals, self.catalog),
            SuggestionKind::Buy => explain(
                s.module,
                &self.scores.contributions(s.module),
                self.signals,
                self.catalog,
                self.limits.max_reasons,
            ),
        };
        if explanation.is_empty() {
            return;
        }
        if !seen_today {
            self.slots = self.slots.saturating_sub(1);
        }
        self.out.push(Suggestion {
            module: s.module.to_string(),
            kind,
            probability: s.probability,
            explanation,
        });
    }
}

/// The scores of a list, most probable first, ties by module id.
fn ordered(mut list: Vec<ModuleScore<'_>>) -> Vec<ModuleScore<'_>> {
    sort_by(&mut list, by_probability);
    list
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::propensity::model::tests::model;
    use crate::propensity::score::tests::{exporter, NOW};
    use crate::propensity::score::Scorer;
    use crate::propensity::signals::tests::catalog;

    fn cand(module: &str) -> Candidate<'_> {
        Candidate {
            module,
            owned: false,
            in_trial: false,
        }
    }

    fn run(
        cands: &[Candidate<'_>],
        owned: &[&str],
        log: &SuggestionLog,
        limits: &Limits,
        now: Instant,
    ) -> Vec<Suggestion> {
        let c = catalog();
        let scorer = Scorer::new(&model(), &c).unwrap();
        let owned: Vec<String> = owned.iter().map(|s| s.to_string()).collect();
        let s = Signals::fold(&exporter(), NOW, &c, &owned);
        let scores = scorer.score(&s, None);
        rank(cands, &scores, &s, &c, log, limits, now)
    }

    #[test]
    fn cooldown_day_13_vs_15() {
        let mut log = SuggestionLog::default();
        log.record_dismissed("advanced-reports", NOW);
        let l = Limits::default();
        let at = |d| run(&[cand("advanced-reports")], &[], &log, &l, NOW.plus_days(d));
        assert!(at(13).is_empty());
        assert_eq!(at(15)[0].module, "advanced-reports");
    }

    #[test]
    fn trial_suppresses_and_help_comes_first() {
        let l = Limits::default();
        let trial = Candidate {
            in_trial: true,
            ..cand("advanced-reports")
        };
        assert!(run(&[trial], &[], &SuggestionLog::default(), &l, NOW).is_empty());
        let help = Candidate {
            owned: true,
            ..cand("pipeline-forecasting")
        };
        let out = run(
            &[cand("advanced-reports"), help],
            &["pipeline-forecasting"],
            &SuggestionLog::default(),
            &l,
            NOW,
        );
        let kinds: Vec<_> = out.iter().map(|s| (s.module.as_str(), s.kind)).collect();
        assert_eq!(
            kinds,
            [
                ("pipeline-forecasting", SuggestionKind::Help),
                ("advanced-reports", SuggestionKind::Buy)
            ]
        );
    }

    #[test]
    fn daily_cap_counts_only_new_suggestions() {
        let l = Limits {
            max_new_per_day: 1,
            ..Limits::default()
        };
        let help = Candidate {
            owned: true,
            ..cand("pipeline-forecasting")
        };
        let cands = [cand("advanced-reports"), help];
        let owned = ["pipeline-forecasting"];
        let out = run(&cands, &owned, &SuggestionLog::default(), &l, NOW);
        assert_eq!(out.len(), 1);
        assert_eq!(out[0].kind, SuggestionKind::Help);
        // Shown yesterday: no longer new, so both fit.
        let mut log = SuggestionLog::default();
        log.record_shown("advanced-reports", NOW.plus_days(-1));
        assert_eq!(run(&cands, &owned, &log, &l, NOW).len(), 2);
        // One new one already shown today: the cap is spent, but it may show again.
        let mut log = SuggestionLog::default();
        log.record_shown("advanced-reports", NOW);
        let out = run(&cands, &owned, &log, &l, NOW);
        assert_eq!(out.len(), 1);
        assert_eq!(out[0].module, "advanced-reports");
    }

    #[test]
    fn log_round_trips_and_keeps_one_entry_per_module() {
        let mut log = SuggestionLog::default();
        log.record_shown("a", NOW);
        log.record_shown("a", NOW.plus_days(-2));
        log.record_dismissed("a", NOW);
        log.record_dismissed("a", NOW.plus_days(-5));
        assert_eq!(log.entries.len(), 1);
        assert_eq!(log.entries[0].shown_at, NOW.plus_days(-5));
        assert_eq!(log.entries[0].dismissed_at, Some(NOW));
        let text = serde_json::to_string(&log).unwrap();
        assert_eq!(serde_json::from_str::<SuggestionLog>(&text).unwrap(), log);
        assert!(!log.cooling_down("a", Instant(i64::MAX), u32::MAX));
        assert!(log.cooling_down("a", NOW, u32::MAX));
    }

    #[test]
    fn ordered_gives_the_most_probable_first_ties_by_module() {
        // 40 distinct modules, five probabilities: many ties, broken by module id.
        let ids: Vec<String> = (0..40).map(|i| format!("m{:02}", (i * 17) % 40)).collect();
        let list: Vec<ModuleScore<'_>> = ids
            .iter()
            .enumerate()
            .map(|(i, id)| ModuleScore {
                module: id,
                probability: [0.5, 0.1, 0.9, 0.5, 0.0][i % 5],
                basis: crate::propensity::Basis::Model,
            })
            .collect();
        let mut whole = list.clone();
        whole.sort_by(by_probability);
        let taken: Vec<&str> = ordered(list).iter().map(|s| s.module).collect();
        assert_eq!(taken, whole.iter().map(|s| s.module).collect::<Vec<_>>());
    }
}
