//! Usage of limits, as plain data: the browser persists a [`UsageLedger`] and the server
//! re-checks it with the same core.

use crate::quoted::quoted;
use crate::ErrorKind;
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};

#[cfg(feature = "schema")]
use schemars::JsonSchema;

use super::check::evaluate;
use super::set::Entitlements;
use crate::calendar::{Date, Instant, Period};
use crate::error::{Error, Result};
use crate::manifest::{FeatureKind, Quota};
use crate::money::{checked_add, checked_sub};

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
    /// - [`ErrorKind::UnknownFeature`] when the catalog has no such feature;
    /// - [`ErrorKind::Input`] when `amount` is negative, the feature is not a limit, or `at`
    ///   falls in an earlier window than usage already recorded (the ledger keeps only the
    ///   latest window of each counter);
    /// - [`ErrorKind::NotEntitled`] when nothing active gives the feature (the reason says why);
    /// - [`ErrorKind::LimitExceeded`] when `amount` is more than what is left;
    /// - [`ErrorKind::Overflow`] when the usage is out of range.
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
            .ok_or_else(|| ErrorKind::UnknownFeature(feature.to_string()))?;
        if r.kind != FeatureKind::Limit {
            return Err(Error::input(
                "feature",
                format!(
                    "{} is not a limit: only limits count usage",
                    quoted(feature)
                ),
            ));
        }
        let Some(source) = r.sources.iter().find(|s| s.active_on(day)) else {
            return Err(ErrorKind::NotEntitled {
                feature: feature.to_string(),
                reason: evaluate(r, &self.ledger, day).message(),
            }
            .into());
        };
        let window = source.reset.window(day);
        if let Some(c) = r.counter.and_then(|i| self.ledger.counters.get(i)) {
            if c.window.start > window.start {
                return Err(Error::input(
                    "at",
                    format!(
                        "usage of {} on {day} is older than the window already \
                         recorded (from {}): record usage in time order",
                        quoted(feature),
                        c.window.start
                    ),
                ));
            }
        }
        let used = self.ledger.used_in(r.counter, window);
        let total = checked_add(used, amount).ok_or(ErrorKind::Overflow {
            operation: "usage total",
        })?;
        let remaining = match source.quota {
            Some(Quota::UpTo(limit)) => {
                if total > limit {
                    return Err(ErrorKind::LimitExceeded {
                        feature: feature.to_string(),
                        requested: amount,
                        remaining: checked_sub(limit, used)
                            .unwrap_or_default()
                            .max(Decimal::ZERO),
                        resets_at: source.reset.resets_at(day),
                    }
                    .into());
                }
                Some(checked_sub(limit, total).unwrap_or_default())
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
    use crate::entitlement::fixture::{bought, catalog, day, dec, ents, noon, user};
    use crate::entitlement::{Grant, GrantSource, Holder};

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

    #[test]
    fn a_monthly_limit_resets_on_the_first() {
        // The base gives 50 exports a month.
        let mut e = ents(&user("ann", "Sales"), &[]);
        assert_eq!(
            e.record("reports.export", dec("30"), noon("2026-06-20"))
                .unwrap(),
            Some(dec("20"))
        );
        let err = e
            .record("reports.export", dec("25"), noon("2026-06-30"))
            .unwrap_err();
        assert_eq!(err.code(), "limit_exceeded");
        assert_eq!(
            err.to_string(),
            "cannot use 25 of \"reports.export\": only 20 left until 2026-07-01; \
             wait for the reset or get a larger limit"
        );
        assert_eq!(
            e.record("reports.export", dec("20"), noon("2026-06-30"))
                .unwrap(),
            Some(dec("0"))
        );
        let c = e.check("reports.export", noon("2026-06-30")).unwrap();
        assert!(!c.allowed);
        assert_eq!(c.remaining, Some(dec("0")));
        assert_eq!(
            c.message(),
            "Report export limit reached: 50 exports of 50 used (the limit every user has); \
             it resets on 2026-07-01; Advanced Reports (advanced-reports) gives more"
        );
        // July 1st: a new window.
        let c = e.check("reports.export", noon("2026-07-01")).unwrap();
        assert!(c.allowed);
        assert_eq!((c.used, c.remaining), (Some(dec("0")), Some(dec("50"))));
        assert_eq!(
            e.record("reports.export", dec("5"), noon("2026-07-01"))
                .unwrap(),
            Some(dec("45"))
        );
        assert_eq!(e.ledger().counters.len(), 1);
        // June is closed once July has usage.
        let late = e.record("reports.export", dec("1"), noon("2026-06-30"));
        assert_eq!(late.unwrap_err().code(), "invalid_input");
    }

    #[test]
    fn a_weekly_limit_resets_on_monday() {
        // Forecasting gives 20 runs per ISO week; 2026-06-07 is a Sunday.
        let mut e = ents(
            &user("ann", "Sales"),
            &[bought("g1", "forecasting", "ann", "2026-06-01")],
        );
        assert_eq!(
            e.record("forecast.runs", dec("12"), noon("2026-06-01"))
                .unwrap(),
            Some(dec("8"))
        );
        assert_eq!(
            e.record("forecast.runs", dec("8"), noon("2026-06-07"))
                .unwrap(),
            Some(dec("0"))
        );
        let c = e.check("forecast.runs", noon("2026-06-07")).unwrap();
        assert!(!c.allowed);
        assert_eq!(c.resets_at, Some(day("2026-06-08")));
        let c = e
            .check("forecast.runs", Instant(day("2026-06-08").start().0))
            .unwrap();
        assert_eq!(c.remaining, Some(dec("20")));
    }

    #[test]
    fn a_billing_period_limit_follows_the_grant_anchored_on_the_15th() {
        // One pack of 25 envelopes, billed monthly from January 15th.
        let mut g = bought("g1", "esign", "ann", "2026-01-15");
        g.quantity = Some(1);
        g.billing_period = Some(crate::manifest::BillingPeriod::Month);
        let mut e = ents(&user("ann", ""), &[g]);
        assert_eq!(
            e.record("esign.envelopes", dec("25"), noon("2026-02-14"))
                .unwrap(),
            Some(dec("0"))
        );
        let c = e.check("esign.envelopes", noon("2026-02-14")).unwrap();
        assert!(!c.allowed);
        assert_eq!(c.resets_at, Some(day("2026-02-15")));
        let c = e.check("esign.envelopes", noon("2026-02-15")).unwrap();
        assert_eq!(c.remaining, Some(dec("25")));
        assert_eq!(c.resets_at, Some(day("2026-03-15")));
        assert_eq!(
            e.record("esign.envelopes", dec("10"), noon("2026-02-15"))
                .unwrap(),
            Some(dec("15"))
        );
        let mid = e.check("esign.envelopes", noon("2026-03-14")).unwrap();
        assert_eq!(mid.remaining, Some(dec("15")));
        let next = e.check("esign.envelopes", noon("2026-03-15")).unwrap();
        assert_eq!(next.remaining, Some(dec("25")));
    }

    #[test]
    fn pooled_limits_count_every_member_of_the_department() {
        let g = Grant::new(
            "d1",
            "enrichment",
            GrantSource::Purchase,
            Holder::Department("Sales".into()),
            day("2026-06-01"),
        );
        let grants = [g];
        let at = noon("2026-06-10");
        let mut ann = ents(&user("ann", "Sales"), &grants);
        assert_eq!(
            ann.record("enrich.credits", dec("600"), at).unwrap(),
            Some(dec("400"))
        );
        ann.record("enrich.lookups", dec("100"), at).unwrap();
        let cat = catalog();
        let mut bob =
            Entitlements::new(&cat, &user("bob", "Sales"), &grants, ann.into_ledger()).unwrap();
        assert_eq!(
            bob.check("enrich.credits", at).unwrap().remaining,
            Some(dec("400"))
        );
        assert_eq!(
            bob.record("enrich.credits", dec("500"), at)
                .unwrap_err()
                .code(),
            "limit_exceeded"
        );
        assert_eq!(
            bob.record("enrich.credits", dec("400"), at).unwrap(),
            Some(dec("0"))
        );
        // Lookups are not pooled: Bob's own 100 a day are untouched by Ann's.
        assert_eq!(
            bob.check("enrich.lookups", at).unwrap().remaining,
            Some(dec("100"))
        );
        let ann =
            Entitlements::new(&cat, &user("ann", "Sales"), &grants, bob.into_ledger()).unwrap();
        let c = ann.check("enrich.credits", at).unwrap();
        assert!(!c.allowed);
        assert_eq!(c.used, Some(dec("1000")));
        assert_eq!(c.reason.code(), "limit_reached");
    }

    #[test]
    fn bad_usage_is_refused_with_a_reason() {
        let mut e = ents(&user("ann", "Sales"), &[]);
        let at = noon("2026-06-10");
        let err = e.record("reports.export", dec("-1"), at).unwrap_err();
        assert_eq!(err.code(), "invalid_input");
        assert_eq!(
            err.to_string(),
            "amount: usage must be zero or more, got -1"
        );
        assert_eq!(
            e.record("reports.advanced", dec("1"), at)
                .unwrap_err()
                .code(),
            "invalid_input"
        );
        let err = e.record("enrich.credits", dec("1"), at).unwrap_err();
        assert_eq!(err.code(), "not_entitled");
        assert!(err
            .to_string()
            .contains("Data Enrichment (enrichment) unlocks it"));
        assert_eq!(
            e.record("nope", dec("1"), at).unwrap_err().code(),
            "unknown_feature"
        );
        assert!(e.ledger().counters.is_empty());
    }

    #[test]
    fn unlimited_and_lifetime_limits() {
        let at = noon("2026-06-10");
        let mut e = ents(
            &user("ann", "Sales"),
            &[
                bought("g1", "advanced-reports", "ann", "2026-06-01"),
                bought("g2", "sandbox", "ann", "2026-06-01"),
            ],
        );
        assert_eq!(e.record("reports.export", dec("500"), at).unwrap(), None);
        assert_eq!(
            e.check("reports.export", at).unwrap().used,
            Some(dec("500"))
        );
        assert_eq!(
            e.record("sandbox.count", dec("2"), at).unwrap(),
            Some(dec("0"))
        );
        let years_later = e.check("sandbox.count", noon("2031-01-01")).unwrap();
        assert!(!years_later.allowed);
        assert_eq!(years_later.resets_at, None);
        assert!(years_later.message().ends_with("it never resets"));
    }

    #[test]
    fn ledgers_with_negative_or_duplicate_counters_are_refused() {
        let june = Period::new(day("2026-06-01"), day("2026-07-01")).unwrap();
        let counter = Counter {
            feature: "reports.export".into(),
            pool: Pool::User("ann".into()),
            window: june,
            used: dec("-5"),
        };
        let mut ledger = UsageLedger {
            counters: vec![counter.clone()],
        };
        let u = user("ann", "Sales");
        let err = Entitlements::new(&catalog(), &u, &[], ledger.clone()).unwrap_err();
        assert_eq!(err.path(), Some("ledger.counters[0].used"));
        ledger.counters[0].used = dec("5");
        ledger.counters.push(Counter {
            used: dec("1"),
            ..counter
        });
        let err = Entitlements::new(&catalog(), &u, &[], ledger).unwrap_err();
        assert_eq!(err.path(), Some("ledger.counters[1]"));
    }
}
