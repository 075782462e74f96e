//! What a page passes to the browser engine's `quote`: `{ selections: [...] }`, each a
//! [`Selection`]'s fields. Unlike a manifest, an option bag from a page may carry more
//! than it needs, so fields not named here are ignored, as they always were at that
//! boundary.

use rust_decimal::Decimal;
use serde::Deserialize;

use super::quote::{Action, Selection};

/// `quote`'s argument.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
pub struct QuoteArgs {
    pub selections: Vec<QuoteSelection>,
}

/// A [`Selection`] as a page passes it: the same fields, unknown ones ignored.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
pub struct QuoteSelection {
    pub module: String,
    #[serde(default)]
    pub plan: Option<String>,
    #[serde(default)]
    pub quantity: Option<Decimal>,
    #[serde(default)]
    pub transactions: Vec<Decimal>,
    #[serde(default)]
    pub action: Action,
}

impl From<QuoteSelection> for Selection {
    fn from(s: QuoteSelection) -> Selection {
        Selection {
            module: s.module,
            plan: s.plan,
            quantity: s.quantity,
            transactions: s.transactions,
            action: s.action,
        }
    }
}
