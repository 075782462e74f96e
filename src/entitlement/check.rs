//! A check: may the subject use a feature now, why, and how much is left.

use crate::ErrorKind;
use std::fmt;

use rust_decimal::Decimal;
use serde::ser::{Serialize, SerializeStruct, Serializer};

use super::grant::{GrantSource, Suspension};
use super::set::{more_generous, Entitlements, Origin, Resolved, Source, Unlock};
use crate::calendar::{Date, Instant};
use crate::error::Result;
use crate::manifest::{FeatureKind, Quota};

/// The grant a reason points at.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct GrantRef<'a> {
    /// The grant's id.
    pub id: &'a str,
    /// The module's id.
    pub module: &'a str,
    /// The module's display name.
    pub module_name: &'a str,
    /// How the grant came about.
    pub source: GrantSource,
}

/// A module that would unlock (or lift) a feature.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ModuleRef<'a> {
    /// The module's id.
    pub id: &'a str,
    /// The module's display name.
    pub name: &'a str,
}

/// Why a check came out as it did.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Reason<'a> {
    /// Every user has it (the catalog's base).
    Included,
    /// A grant gives it.
    Granted(GrantRef<'a>),
    /// The limit is used up for this window; `by` is the grant giving the limit (`None`
    /// for the base) and `unlock` a module that would give more.
    LimitReached {
        /// The grant giving the limit, or `None` for the base.
        by: Option<GrantRef<'a>>,
        /// A module with a more generous limit.
        unlock: Option<ModuleRef<'a>>,
    },
    /// Nothing the subject holds gives it.
    NotGranted {
        /// A module that would give it.
        unlock: Option<ModuleRef<'a>>,
    },
    /// The grant that would give it is suspended.
    Suspended {
        /// The suspended grant.
        grant: GrantRef<'a>,
        /// Why.
        cause: &'a Suspension,
        /// The missing module's display name, for a missing requirement.
        missing_name: Option<&'a str>,
    },
    /// The trial that gave it has ended.
    TrialEnded {
        /// The trial grant.
        grant: GrantRef<'a>,
        /// The first day without it.
        ended: Date,
    },
    /// The grant that gave it has ended.
    Ended {
        /// The grant.
        grant: GrantRef<'a>,
        /// The first day without it.
        ended: Date,
    },
    /// The grant that will give it has not started yet.
    NotStarted {
        /// The grant.
        grant: GrantRef<'a>,
        /// Its first day.
        starts: Date,
    },
}

impl Reason<'_> {
    /// A stable code, for programs.
    pub fn code(&self) -> &'static str {
        match self {
            Reason::Included => "included",
            Reason::Granted(_) => "granted",
            Reason::LimitReached { .. } => "limit_reached",
            Reason::NotGranted { .. } => "not_granted",
            Reason::Suspended { .. } => "suspended",
            Reason::TrialEnded { .. } => "trial_ended",
            Reason::Ended { .. } => "ended",
            Reason::NotStarted { .. } => "not_started",
        }
    }
}

/// The answer to "may this subject use this feature now?".
///
/// It borrows from the [`Entitlements`] it came from, so a check allocates nothing; its
/// sentence is [`Check::message`] (also its `Display`), and it serializes with both the
/// reason's code and the sentence.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Check<'a> {
    /// The feature's id.
    pub feature: &'a str,
    /// The feature's display name.
    pub feature_name: &'a str,
    /// For limits: the unit counted.
    pub unit: Option<&'a str>,
    /// May it be used now (for a limit: is any left)?
    pub allowed: bool,
    /// Why.
    pub reason: Reason<'a>,
    /// For limits: the limit in force.
    pub limit: Option<Quota>,
    /// For limits: usage in the current window.
    pub used: Option<Decimal>,
    /// For bounded limits: what is left in the current window, never negative.
    pub remaining: Option<Decimal>,
    /// For limits: the day usage starts again from zero, if it ever does.
    pub resets_at: Option<Date>,
    /// For values: the value in force.
    pub value: Option<&'a str>,
}

impl Entitlements {
    /// May the subject use `feature` at `at`?
    ///
    /// Constant time: the most generous source was found at construction, so this walks
    /// the feature's few sources until one is active at `at` and reads one counter.
    ///
    /// # Errors
    /// [`ErrorKind::UnknownFeature`] when the catalog has no such feature.
    pub fn check(&self, feature: &str, at: Instant) -> Result<Check<'_>> {
        let r = self
            .features
            .get(feature)
            .ok_or_else(|| ErrorKind::UnknownFeature(feature.to_string()))?;
        Ok(evaluate(r, &self.ledger, at.date()))
    }
}

pub(crate) fn evaluate<'a>(r: &'a Resolved, ledger: &super::UsageLedger, day: Date) -> Check<'a> {
    let mut check = Check {
        feature: &r.id,
        feature_name: &r.name,
        unit: r.unit.as_deref(),
        allowed: false,
        reason: Reason::NotGranted { unlock: None },
        limit: None,
        used: None,
        remaining: None,
        resets_at: None,
        value: None,
    };
    let Some(source) = r.sources.iter().find(|s| s.active_on(day)) else {
        check.reason = missing(r, day);
        return check;
    };
    check.allowed = true;
    check.reason = granted_by(source).map_or(Reason::Included, Reason::Granted);
    match r.kind {
        FeatureKind::Switch => {}
        FeatureKind::Value => check.value = source.value.as_deref(),
        FeatureKind::Limit => {
            let window = source.reset.window(day);
            let used = ledger.used_in(r.counter, window);
            check.limit = source.quota;
            check.used = Some(used);
            check.resets_at = source.reset.resets_at(day);
            if let Some(Quota::UpTo(limit)) = source.quota {
                let left = crate::money::checked_sub(limit, used).unwrap_or(Decimal::ZERO);
                let left = left.max(Decimal::ZERO);
                check.remaining = Some(left);
                if left.is_zero() {
                    check.allowed = false;
                    check.reason = Reason::LimitReached {
                        by: granted_by(source),
                        unlock: r
                            .unlock
                            .as_ref()
                            .filter(|u| more_generous(u.quota, source.quota))
                            .map(module_ref),
                    };
                }
            }
        }
    }
    check
}

fn granted_by(s: &Source) -> Option<GrantRef<'_>> {
    match &s.origin {
        Origin::Base => None,
        Origin::Grant {
            id,
            module,
            module_name,
            source,
        } => Some(GrantRef {
            id,
            module,
            module_name,
            source: *source,
        }),
    }
}

fn module_ref(u: &Unlock) -> ModuleRef<'_> {
    ModuleRef {
        id: &u.id,
        name: &u.name,
    }
}

/// Why no source is active on `day`: a suspension first, then an ended trial, an ended
/// grant, a grant yet to start; otherwise nothing gives it.
fn missing(r: &Resolved, day: Date) -> Reason<'_> {
    let grants = || {
        r.sources
            .iter()
            .filter_map(|s| granted_by(s).map(|g| (s, g)))
    };
    let in_force = |s: &Source| s.starts <= day && !matches!(s.ends, Some(e) if e <= day);
    if let Some((grant, sus)) = grants()
        .filter(|(s, _)| in_force(s))
        .find_map(|(s, g)| s.suspended.as_ref().map(|sus| (g, sus)))
    {
        return Reason::Suspended {
            grant,
            cause: &sus.cause,
            missing_name: sus.missing_name.as_deref(),
        };
    }
    let ended = |trial: bool| {
        grants()
            .filter(|(_, g)| (g.source == GrantSource::Trial) == trial)
            .filter_map(|(s, g)| s.ends.filter(|e| *e <= day).map(|e| (e, g)))
            .max_by_key(|(e, _)| *e)
    };
    if let Some((ended, grant)) = ended(true) {
        return Reason::TrialEnded { grant, ended };
    }
    if let Some((ended, grant)) = ended(false) {
        return Reason::Ended { grant, ended };
    }
    if let Some((starts, grant)) = grants()
        .filter(|(s, _)| s.starts > day)
        .map(|(s, g)| (s.starts, g))
        .min_by_key(|(d, _)| *d)
    {
        return Reason::NotStarted { grant, starts };
    }
    Reason::NotGranted {
        unlock: r.unlock.as_ref().map(module_ref),
    }
}

impl Check<'_> {
    /// The check in one sentence a person can read.
    pub fn message(&self) -> String {
        self.to_string()
    }

    fn amount(&self, f: &mut fmt::Formatter<'_>, n: Decimal) -> fmt::Result {
        match self.unit {
            Some(u) if n == Decimal::ONE => write!(f, "{n} {u}"),
            Some(u) => write!(f, "{n} {u}s"),
            None => write!(f, "{n}"),
        }
    }

    fn limit_state(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match (self.limit, self.remaining) {
            (Some(Quota::Unlimited), _) => f.write_str(", unlimited")?,
            (Some(Quota::UpTo(limit)), Some(left)) => {
                f.write_str(", ")?;
                self.amount(f, left)?;
                write!(f, " of {limit} left")?;
            }
            _ => return Ok(()),
        }
        match self.resets_at {
            Some(d) if !matches!(self.limit, Some(Quota::Unlimited)) => {
                write!(f, " until {d}")
            }
            _ => Ok(()),
        }
    }
}

impl fmt::Display for Check<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let name = self.feature_name;
        match self.reason {
            Reason::Included => {
                write!(f, "{name} is included for every user")?;
                self.limit_state(f)?;
                if let Some(v) = self.value {
                    write!(f, " (value: {v})")?;
                }
                Ok(())
            }
            Reason::Granted(g) => {
                write!(
                    f,
                    "{name} is given by {} ({} grant {})",
                    g.module_name, g.source, g.id
                )?;
                self.limit_state(f)?;
                if let Some(v) = self.value {
                    write!(f, " (value: {v})")?;
                }
                Ok(())
            }
            Reason::LimitReached { by, unlock } => {
                write!(f, "{name} limit reached: ")?;
                self.amount(f, self.used.unwrap_or_default())?;
                if let Some(Quota::UpTo(l)) = self.limit {
                    write!(f, " of {l} used")?;
                }
                match by {
                    Some(g) => write!(f, " (given by {})", g.module_name)?,
                    None => f.write_str(" (the limit every user has)")?,
                }
                match self.resets_at {
                    Some(d) => write!(f, "; it resets on {d}")?,
                    None => f.write_str("; it never resets")?,
                }
                match unlock {
                    Some(m) => write!(f, "; {} ({}) gives more", m.name, m.id),
                    None => Ok(()),
                }
            }
            Reason::NotGranted { unlock } => match unlock {
                Some(m) => write!(
                    f,
                    "{name} is not included in anything you have; {} ({}) unlocks it",
                    m.name, m.id
                ),
                None => write!(f, "{name} is not included in anything you have"),
            },
            Reason::Suspended {
                grant,
                cause,
                missing_name,
            } => {
                write!(
                    f,
                    "{name} comes with {} (grant {}), ",
                    grant.module_name, grant.id
                )?;
                match cause {
                    Suspension::MissingRequirement { module } => write!(
                        f,
                        "suspended because {} is no longer owned",
                        missing_name.unwrap_or(module)
                    ),
                    Suspension::Admin { note } if note.is_empty() => {
                        f.write_str("suspended by an administrator")
                    }
                    Suspension::Admin { note } => {
                        write!(f, "suspended by an administrator: {note}")
                    }
                }
            }
            Reason::TrialEnded { grant, ended } => write!(
                f,
                "{name} came with the trial of {} that ended on {ended}; buy {} ({}) to keep it",
                grant.module_name, grant.module_name, grant.module
            ),
            Reason::Ended { grant, ended } => write!(
                f,
                "{name} came with {} (grant {}) that ended on {ended}",
                grant.module_name, grant.id
            ),
            Reason::NotStarted { grant, starts } => write!(
                f,
                "{name} comes with {} (grant {}) from {starts}",
                grant.module_name, grant.id
            ),
        }
    }
}

impl Serialize for Check<'_> {
    fn serialize<S: Serializer>(&self, s: S) -> std::result::Result<S::Ok, S::Error> {
        let (grant, unlock) = match self.reason {
            Reason::Granted(g)
            | Reason::Suspended { grant: g, .. }
            | Reason::TrialEnded { grant: g, .. }
            | Reason::Ended { grant: g, .. }
            | Reason::NotStarted { grant: g, .. } => (Some(g.id), None),
            Reason::LimitReached { by, unlock } => (by.map(|g| g.id), unlock.map(|m| m.id)),
            Reason::NotGranted { unlock } => (None, unlock.map(|m| m.id)),
            Reason::Included => (None, None),
        };
        let module = match self.reason {
            Reason::Granted(g)
            | Reason::Suspended { grant: g, .. }
            | Reason::TrialEnded { grant: g, .. }
            | Reason::Ended { grant: g, .. }
            | Reason::NotStarted { grant: g, .. } => Some(g.module),
            Reason::LimitReached { by, .. } => by.map(|g| g.module),
            _ => None,
        };
        let mut st = s.serialize_struct("Check", 12)?;
        st.serialize_field("feature", self.feature)?;
        st.serialize_field("allowed", &self.allowed)?;
        st.serialize_field("reason", self.reason.code())?;
        st.serialize_field("message", &self.message())?;
        st.serialize_field("grant", &grant)?;
        st.serialize_field("module", &module)?;
        st.serialize_field("unlock", &unlock)?;
        st.serialize_field("limit", &self.limit)?;
        st.serialize_field("used", &self.used)?;
        st.serialize_field("remaining", &self.remaining)?;
        st.serialize_field("resets_at", &self.resets_at)?;
        st.serialize_field("value", &self.value)?;
        st.end()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::entitlement::fixture::{bought, day, dec, ents, noon, user};
    use crate::entitlement::{Grant, GrantSource, Holder};

    #[test]
    fn base_limit_counts_for_everyone() {
        let e = ents(&user("ann", "Sales"), &[]);
        let c = e.check("reports.export", noon("2026-06-10")).unwrap();
        assert!(c.allowed);
        assert_eq!(c.reason, Reason::Included);
        assert_eq!(c.limit, Some(Quota::UpTo(dec("50"))));
        assert_eq!(c.used, Some(dec("0")));
        assert_eq!(c.remaining, Some(dec("50")));
        assert_eq!(c.resets_at, Some(day("2026-07-01")));
        assert_eq!(
            c.message(),
            "Report export is included for every user, 50 exports of 50 left until 2026-07-01"
        );
    }

    #[test]
    fn unlimited_beats_the_base_number() {
        let e = ents(
            &user("ann", "Sales"),
            &[bought("g1", "advanced-reports", "ann", "2026-06-01")],
        );
        let c = e.check("reports.export", noon("2026-06-10")).unwrap();
        assert!(c.allowed);
        assert_eq!(c.limit, Some(Quota::Unlimited));
        assert_eq!(c.remaining, None);
        assert!(matches!(c.reason, Reason::Granted(g) if g.id == "g1"));
        assert_eq!(
            c.message(),
            "Report export is given by Advanced Reports (purchase grant g1), unlimited"
        );
        // Before the grant starts, the base applies.
        let before = e.check("reports.export", noon("2026-05-31")).unwrap();
        assert_eq!(before.reason, Reason::Included);
    }

    #[test]
    fn the_most_generous_of_several_limits_wins() {
        // E-Signature gives 25 envelopes per pack to the department's pool.
        let mut two = bought("small", "esign", "ann", "2026-01-01");
        two.holder = Holder::Department("Sales".into());
        two.quantity = Some(2);
        let mut four = two.clone();
        four.id = "large".into();
        four.quantity = Some(4);
        let e = ents(&user("ann", "Sales"), &[two, four]);
        let c = e.check("esign.envelopes", noon("2026-06-10")).unwrap();
        assert_eq!(c.limit, Some(Quota::UpTo(dec("100"))));
        assert!(matches!(c.reason, Reason::Granted(g) if g.id == "large"));
    }

    #[test]
    fn a_missing_switch_names_the_module_that_unlocks_it() {
        let e = ents(&user("ann", "Sales"), &[]);
        let c = e.check("reports.advanced", noon("2026-06-10")).unwrap();
        assert!(!c.allowed);
        assert_eq!(c.reason.code(), "not_granted");
        assert_eq!(
            c.message(),
            "Advanced report builder is not included in anything you have; \
             Advanced Reports (advanced-reports) unlocks it"
        );
    }

    #[test]
    fn a_department_grant_covers_its_members_only() {
        let g = Grant::new(
            "d1",
            "enrichment",
            GrantSource::Purchase,
            Holder::Department("Sales".into()),
            day("2026-06-01"),
        );
        let at = noon("2026-06-10");
        let ann = ents(&user("ann", "Sales"), std::slice::from_ref(&g));
        assert!(ann.check("enrich.credits", at).unwrap().allowed);
        let mo = ents(&user("mo", "Marketing"), std::slice::from_ref(&g));
        let c = mo.check("enrich.credits", at).unwrap();
        assert!(!c.allowed);
        assert_eq!(c.reason.code(), "not_granted");
        // An organization grant covers everyone.
        let org = Grant {
            holder: Holder::Org,
            ..g
        };
        assert!(
            ents(&user("mo", "Marketing"), &[org])
                .check("enrich.credits", at)
                .unwrap()
                .allowed
        );
    }

    #[test]
    fn values_come_from_the_grant_over_the_base() {
        let at = noon("2026-06-10");
        let e = ents(&user("ann", "Sales"), &[]);
        assert_eq!(e.check("email.tone", at).unwrap().value, Some("standard"));
        let e = ents(
            &user("ann", "Sales"),
            &[bought("g1", "ai-email", "ann", "2026-06-01")],
        );
        let c = e.check("email.tone", at).unwrap();
        assert_eq!(c.value, Some("adaptive"));
        assert_eq!(c.limit, None);
    }

    #[test]
    fn a_bundle_gives_what_it_includes() {
        let e = ents(
            &user("ann", "Sales"),
            &[bought("p1", "sales-pack", "ann", "2026-06-01")],
        );
        let at = noon("2026-06-10");
        assert!(e.check("forecast.view", at).unwrap().allowed);
        let c = e.check("reports.export", at).unwrap();
        assert_eq!(c.limit, Some(Quota::Unlimited));
        assert!(matches!(c.reason, Reason::Granted(g) if g.module == "sales-pack"));
    }

    #[test]
    fn ended_and_future_grants_say_so() {
        let g = bought("g1", "forecasting", "ann", "2026-03-01").until(day("2026-06-01"));
        let later = bought("g2", "basic-templates", "ann", "2026-07-01");
        let e = ents(&user("ann", "Sales"), &[g, later]);
        let c = e.check("forecast.view", noon("2026-06-10")).unwrap();
        assert!(!c.allowed);
        assert_eq!(
            c.message(),
            "Forecast view came with Pipeline Forecasting (grant g1) that ended on 2026-06-01"
        );
        let c = e.check("templates.basic", noon("2026-06-10")).unwrap();
        assert_eq!(c.reason.code(), "not_started");
        assert!(
            e.check("templates.basic", noon("2026-07-01"))
                .unwrap()
                .allowed
        );
    }

    #[test]
    fn unknown_features_are_errors_and_checks_serialize() {
        let e = ents(&user("ann", "Sales"), &[]);
        let err = e.check("nope", noon("2026-06-10")).unwrap_err();
        assert_eq!(err.code(), "unknown_feature");
        let c = e.check("reports.export", noon("2026-06-10")).unwrap();
        let j = serde_json::to_value(c).unwrap();
        assert_eq!(j["reason"], "included");
        assert_eq!(j["remaining"], "50");
        assert_eq!(j["resets_at"], "2026-07-01");
        assert!(j["message"].as_str().unwrap().starts_with("Report export"));
    }

    #[test]
    fn grants_for_unknown_modules_are_refused() {
        let err = crate::entitlement::Entitlements::new(
            &crate::entitlement::fixture::catalog(),
            &user("ann", "Sales"),
            &[bought("g1", "retired", "ann", "2026-01-01")],
            crate::entitlement::UsageLedger::new(),
        )
        .unwrap_err();
        assert_eq!(err.code(), "unknown_module");
    }
}
