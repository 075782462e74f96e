//! Usage of limits, as plain data: the browser persists a [`UsageLedger`] and the server
//! re-checks it with the same core.

use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};

#[cfg(feature = "schema")]
use schemars::JsonSchema;

use super::check::evaluate;
use super::set::Entitlements;
use crate::calendar::{Date, Instant, Period};
use crate::error::{Error, Result};
use crate::manifest::{FeatureKind, Quota};

/// Whose usage a counter adds up: one user's, or a whole department's for pooled limits.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(JsonSchema))]
#[serde(rename_all = "snake_case")]
pub enum Pool {
    /// One user, by id.
    User(String),
    /// Every member of a department (the feature is pooled).
    Department(String),
}

/// Usage of one limit by one pool in one reset window.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct Counter {
    /// The feature's id.
    pub feature: String,
    /// Whose usage it is.
    pub pool: Pool,
    /// The reset window the usage was recorded in. Usage recorded in another window than
    /// the current one counts as zero: the limit has reset since.
    pub window: Period,
    /// How much was used in the window.
    #[cfg_attr(feature = "schema", schemars(with = "crate::manifest::DecimalSchema"))]
    pub used: Decimal,
}

/// Every counter of a subject (and of its department's pools): one per feature and pool,
/// for the latest window only.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct UsageLedger {
    /// The counters, in the order they were first recorded.
    #[serde(default)]
    pub counters: Vec<Counter>,
}

impl UsageLedger {
    /// An empty ledger.
    pub fn new() -> UsageLedger {
        UsageLedger::default()
    }

    /// The index of the counter of `feature` for `pool`, if any.
    pub(crate) fn position(&self, feature: &str, pool: &Pool) -> Option<usize> {
        self.counters
            .iter()
            .position(|c| c.feature == feature && &c.pool == pool)
    }

    /// Usage of the counter at `index` in `window`: zero when there is no such counter or
    /// when its usage was recorded in another window.
    pub(crate) fn used_in(&self, index: Option<usize>, window: Period) -> Decimal {
        match index.and_then(|i| self.counters.get(i)) {
            Some(c) if c.window == window => c.used,
            _ => Decimal::ZERO,
        }
    }

    /// How much of `feature` the `pool` used in `window`.
    pub fn used(&self, feature: &str, pool: &Pool, window: Period) -> Decimal {
        self.used_in(self.position(feature, pool), window)
    }

    /// Sets the usage of `feature` for `pool` in `window`, replacing an older window's
    /// counter; returns the counter's index.
    pub(crate) fn set(
        &mut self,
        index: Option<usize>,
        feature: &str,
        pool: &Pool,
        window: Period,
        used: Decimal,
    ) -> usize {
        if let Some(i) = index {
            if let Some(c) = self.counters.get_mut(i) {
                c.window = window;
                c.used = used;
                return i;
            }
        }
        self.counters.push(Counter {
            feature: feature.to_string(),
            pool: pool.clone(),
            window,
            used,
        });
        self.counters.len() - 1
    }
}

impl Entitlements {
    /// Records `amount` of usage of the limit `feature` at `at`, in the current reset
    /// window of the grant giving the limit (for a pooled feature, in the department's
    /// pool). Returns what is left in the window (`None` for an unlimited limit).
    ///
    /// Nothing is recorded when an error is returned.
    ///
    /// # Errors
    /// - [`Error::UnknownFeature`] when the catalog has no such feature;
    /// - [`Error::Input`] when `amount` is negative or the feature is not a limit;
    /// - [`Error::NotEntitled`] when nothing active gives the feature (the reason says why);
    /// - [`Error::LimitExceeded`] when `amount` is more than what is left;
    /// - [`Error::Overflow`] when the usage is out of range.
    pub fn record(
        &mut self,
        feature: &str,
        amount: Decimal,
        at: Instant,
    ) -> Result<Option<Decimal>> {
        if amount.is_sign_negative() && !amount.is_zero() {
            return Err(Error::input(
                "amount",
                format!("usage must be zero or more, got {amount}"),
            ));
        }
        let day = at.date();
        let r = self
            .features
            .get(feature)
            .ok_or_else(|| Error::UnknownFeature(feature.to_string()))?;
        if r.kind != FeatureKind::Limit {
            return Err(Error::input(
                "feature",
                format!("{feature:?} is not a limit: only limits count usage"),
            ));
        }
        let Some(source) = r.sources.iter().find(|s| s.active_on(day)) else {
            return Err(Error::NotEntitled {
                feature: feature.to_string(),
                reason: evaluate(r, &self.ledger, day).message(),
            });
        };
        let window = source.reset.window(day);
        let used = self.ledger.used_in(r.counter, window);
        let total = used.checked_add(amount).ok_or(Error::Overflow {
            operation: "usage total",
        })?;
        let remaining = match source.quota {
            Some(Quota::UpTo(limit)) => {
                if total > limit {
                    return Err(Error::LimitExceeded {
                        feature: feature.to_string(),
                        requested: amount,
                        remaining: limit
                            .checked_sub(used)
                            .unwrap_or_default()
                            .max(Decimal::ZERO),
                        resets_at: source.reset.resets_at(day),
                    });
                }
                Some(limit.checked_sub(total).unwrap_or_default())
            }
            Some(Quota::Unlimited) | None => None,
        };
        let (counter, pool) = (r.counter, r.pool.clone());
        let index = self.ledger.set(counter, feature, &pool, window, total);
        if let Some(r) = self.features.get_mut(feature) {
            r.counter = Some(index);
        }
        Ok(remaining)
    }

    /// The reset window in force for `feature` on `day`, when a limit is active then.
    pub fn window(&self, feature: &str, day: Date) -> Option<Period> {
        let r = self.features.get(feature)?;
        let s = r.sources.iter().find(|s| s.active_on(day))?;
        (r.kind == FeatureKind::Limit).then(|| s.reset.window(day))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::entitlement::fixture::day;
    use crate::entitlement::fixture::dec;

    #[test]
    fn counters_only_count_in_their_window() {
        let june = Period::new(day("2026-06-01"), day("2026-07-01")).unwrap();
        let july = Period::new(day("2026-07-01"), day("2026-08-01")).unwrap();
        let pool = Pool::User("ann".into());
        let mut l = UsageLedger::new();
        let i = l.set(None, "reports.export", &pool, june, dec("12"));
        assert_eq!(l.used("reports.export", &pool, june), dec("12"));
        assert_eq!(l.used("reports.export", &pool, july), dec("0"));
        assert_eq!(
            l.used("reports.export", &Pool::User("bob".into()), june),
            dec("0")
        );
        let j = l.set(Some(i), "reports.export", &pool, july, dec("3"));
        assert_eq!(i, j);
        assert_eq!(l.counters.len(), 1);
        assert_eq!(l.used("reports.export", &pool, june), dec("0"));
        let json = serde_json::to_string(&l).unwrap();
        assert_eq!(serde_json::from_str::<UsageLedger>(&json).unwrap(), l);
    }
}
