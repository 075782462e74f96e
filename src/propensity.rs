//! Propensity: usage telemetry → signals → model scores → ranked, explained,
//! rate-limited suggestions.
//!
//! Pure: the time is an argument, nothing is random, nothing is read from outside.
//!
//! 1. [`Signals::fold`] turns a user's [`UsageEvent`]s into named signals at an instant.
//! 2. [`Scorer::new`] validates a [`Model`] against the catalog and compiles it;
//!    [`Scorer::score`] gives every module a probability and, on demand, the
//!    contributions behind it.
//! 3. [`explain()`] words the top positive contributions with the user's real numbers.
//! 4. [`guardrails::rank`] applies cool-downs, the daily cap, trial suppression and
//!    help-before-selling to the candidates the caller may offer.

pub mod cache;
pub mod explain;
pub mod guardrails;
pub mod model;
pub mod score;
pub mod signals;

pub use cache::SignalsCache;
pub use explain::{explain, explain_help, Explanation};
pub use guardrails::{
    rank, rank_top, Candidate, Limits, Suggestion, SuggestionKind, SuggestionLog,
};
pub use model::{Model, ModuleWeights};
pub use score::{Basis, Contribution, ModuleScore, Scorer, Scores, Source};
pub use signals::{FeatureSignals, ModuleSignals, SignalKind, SignalName, Signals, UsageEvent};
