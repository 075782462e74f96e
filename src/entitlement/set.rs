//! [`Entitlements`]: what one subject (a user, with their department) has, resolved once
//! from the catalog's base and the grants that cover them, so that a check is a lookup.

use crate::quoted::quoted;
use crate::ErrorKind;
use std::cmp::Ordering;

use rust_decimal::Decimal;

use super::grant::{Grant, GrantSource, Suspension};
use super::usage::{Pool, UsageLedger};
use super::window::Reset;
use crate::calendar::Date;
use crate::collections::{sort_by, Map};
use crate::error::{Error, Result};
use crate::manifest::{Catalog, FeatureGrant, FeatureKind, Module, Quota, User};

/// How deep bundles may nest inside bundles before the rest is ignored.
const MAX_BUNDLE_DEPTH: usize = 8;

/// Resolved features by id.
pub(crate) type FeatureMap = Map<String, Resolved>;

/// Where a feature comes from.
#[derive(Debug, Clone)]
pub(crate) enum Origin {
    /// The catalog's base: every user has it.
    Base,
    /// A grant of a module.
    Grant {
        id: String,
        module: String,
        module_name: String,
        source: GrantSource,
    },
}

/// Why a grant's source gives nothing, with the names a sentence needs.
#[derive(Debug, Clone)]
pub(crate) struct Suspended {
    pub(crate) cause: Suspension,
    /// The missing module's display name, for a missing requirement.
    pub(crate) missing_name: Option<String>,
}

/// One way the subject may get a feature: the base or one grant.
#[derive(Debug, Clone)]
pub(crate) struct Source {
    pub(crate) origin: Origin,
    pub(crate) starts: Date,
    pub(crate) ends: Option<Date>,
    pub(crate) suspended: Option<Suspended>,
    /// For limits: how much, already multiplied by the grant's quantity for a pool.
    pub(crate) quota: Option<Quota>,
    /// For values: the value.
    pub(crate) value: Option<String>,
    /// For limits: how the window is found.
    pub(crate) reset: Reset,
}

impl Source {
    /// True when it gives the feature on `day`.
    #[inline]
    pub(crate) fn active_on(&self, day: Date) -> bool {
        self.suspended.is_none() && self.starts <= day && !matches!(self.ends, Some(e) if e <= day)
    }
}

/// A module that would unlock a feature, when the subject lacks it.
#[derive(Debug, Clone)]
pub(crate) struct Unlock {
    pub(crate) id: String,
    pub(crate) name: String,
    pub(crate) quota: Option<Quota>,
}

/// Everything known about one feature for the subject, most generous source first.
#[derive(Debug, Clone)]
pub(crate) struct Resolved {
    pub(crate) id: String,
    pub(crate) name: String,
    pub(crate) unit: Option<String>,
    pub(crate) kind: FeatureKind,
    pub(crate) pool: Pool,
    pub(crate) sources: Vec<Source>,
    pub(crate) unlock: Option<Unlock>,
    /// Index of this feature's counter in the ledger, once there is one.
    pub(crate) counter: Option<usize>,
}

/// What one subject is entitled to: built once from the catalog, the grants and the
/// usage ledger, then checked in constant time per feature.
#[derive(Debug, Clone)]
pub struct Entitlements {
    pub(crate) user: String,
    pub(crate) features: FeatureMap,
    pub(crate) grants: Vec<Grant>,
    pub(crate) ledger: UsageLedger,
}

impl Entitlements {
    /// Resolves what `user` has: the catalog's base plus every grant whose holder covers
    /// them (the organization, their department, or them). Grants for others are ignored.
    /// A bundle's grant gives the features of the modules it includes.
    ///
    /// # Errors
    /// [`ErrorKind::UnknownModule`] when a covering grant names a module the catalog lacks;
    /// [`ErrorKind::UnknownFeature`] when the base or a module grants an unknown feature;
    /// [`ErrorKind::Input`] when the ledger has a negative or duplicated counter;
    /// [`ErrorKind::Overflow`] when a pooled limit times the grant's quantity is out of range.
    pub fn new(
        catalog: &Catalog,
        user: &User,
        grants: &[Grant],
        ledger: UsageLedger,
    ) -> Result<Entitlements> {
        let department = user.department();
        let mut features: FeatureMap = catalog
            .features
            .iter()
            .map(|f| {
                let pool = if f.pooled && !department.is_empty() {
                    Pool::Department(department.to_string())
                } else {
                    Pool::User(user.id.clone())
                };
                let resolved = Resolved {
                    id: f.id.clone(),
                    name: f.name.clone(),
                    unit: f.unit.clone(),
                    kind: f.kind,
                    counter: ledger.position(&f.id, &pool),
                    pool,
                    sources: Vec::new(),
                    unlock: None,
                };
                (f.id.clone(), resolved)
            })
            .collect();
        let resets: Map<&str, (Option<crate::manifest::ResetPeriod>, bool)> = catalog
            .features
            .iter()
            .map(|f| (f.id.as_str(), (f.reset, f.pooled)))
            .collect();

        for fg in &catalog.base {
            let (reset, _) = resets
                .get(fg.feature.as_str())
                .copied()
                .ok_or_else(|| ErrorKind::UnknownFeature(fg.feature.clone()))?;
            let source = Source {
                origin: Origin::Base,
                starts: Date::MIN,
                ends: None,
                suspended: None,
                quota: fg.limit,
                value: fg.value.clone(),
                reset: Reset::new(reset, None, None),
            };
            push(&mut features, &fg.feature, source)?;
        }

        let mut covering = Vec::new();
        for g in grants.iter().filter(|g| g.covers(user)) {
            let module = catalog
                .module(&g.module)
                .ok_or_else(|| ErrorKind::UnknownModule(g.module.clone()))?;
            let suspended = g.suspended.as_ref().map(|cause| Suspended {
                missing_name: match cause {
                    Suspension::MissingRequirement { module } => Some(
                        catalog
                            .module(module)
                            .map_or_else(|| module.clone(), |m| m.name.clone()),
                    ),
                    Suspension::Admin { .. } => None,
                },
                cause: cause.clone(),
            });
            let mut granted = Vec::new();
            features_of(catalog, module, 0, &mut granted);
            for fg in granted {
                let (reset, pooled) = resets
                    .get(fg.feature.as_str())
                    .copied()
                    .ok_or_else(|| ErrorKind::UnknownFeature(fg.feature.clone()))?;
                let quota = match (fg.limit, g.quantity) {
                    (Some(Quota::UpTo(x)), Some(q)) if pooled => Some(Quota::UpTo(
                        crate::money::checked_mul(x, Decimal::from(q)).ok_or(
                            ErrorKind::Overflow {
                                operation: "pooled limit times quantity",
                            },
                        )?,
                    )),
                    (limit, _) => limit,
                };
                let source = Source {
                    origin: Origin::Grant {
                        id: g.id.clone(),
                        module: g.module.clone(),
                        module_name: module.name.clone(),
                        source: g.source,
                    },
                    starts: g.starts,
                    ends: g.ends,
                    suspended: suspended.clone(),
                    quota,
                    value: fg.value.clone(),
                    reset: Reset::new(reset, Some(g.billing_anchor()), g.billing_period),
                };
                push(&mut features, &fg.feature, source)?;
            }
            covering.push(g.clone());
        }

        for (_, r) in features.iter_mut() {
            sort_by(&mut r.sources, generosity);
            r.unlock = unlock(catalog, &r.id);
        }
        check_ledger(&ledger)?;
        Ok(Entitlements {
            user: user.id.clone(),
            features,
            grants: covering,
            ledger,
        })
    }

    /// The user these entitlements are for.
    pub fn user(&self) -> &str {
        &self.user
    }

    /// The grants that cover the user (theirs, their department's, the organization's).
    pub fn grants(&self) -> &[Grant] {
        &self.grants
    }

    /// The usage recorded so far, to persist or to send to the server.
    pub fn ledger(&self) -> &UsageLedger {
        &self.ledger
    }

    /// The usage ledger, giving up the entitlements (for example to build a department
    /// colleague's entitlements over the same pools).
    pub fn into_ledger(self) -> UsageLedger {
        self.ledger
    }
}

fn push(features: &mut FeatureMap, feature: &str, source: Source) -> Result<()> {
    features
        .get_mut(feature)
        .ok_or_else(|| ErrorKind::UnknownFeature(feature.to_string()))?
        .sources
        .push(source);
    Ok(())
}

/// The features a module grants, its included modules' too (bundles).
fn features_of<'c>(
    catalog: &'c Catalog,
    module: &'c Module,
    depth: usize,
    out: &mut Vec<&'c FeatureGrant>,
) {
    out.extend(module.features.iter());
    if depth >= MAX_BUNDLE_DEPTH {
        return;
    }
    for inc in &module.includes {
        if let Some(m) = catalog.module(inc) {
            features_of(catalog, m, depth + 1, out);
        }
    }
}

/// Orders quotas: `Greater` is more generous. No quota counts as least.
fn compare_quota(a: Option<Quota>, b: Option<Quota>) -> Ordering {
    match (a, b) {
        (Some(Quota::Unlimited), Some(Quota::Unlimited)) | (None, None) => Ordering::Equal,
        (Some(Quota::Unlimited), _) | (Some(Quota::UpTo(_)), None) => Ordering::Greater,
        (_, Some(Quota::Unlimited)) | (None, Some(Quota::UpTo(_))) => Ordering::Less,
        (Some(Quota::UpTo(x)), Some(Quota::UpTo(y))) => x.cmp(&y),
    }
}

/// Most generous first: the larger limit, then grants before the base, then the latest
/// start (so a newer grant's value wins), then the grant id for a stable order.
fn generosity(a: &Source, b: &Source) -> Ordering {
    fn key(s: &Source) -> (u8, &str) {
        match &s.origin {
            Origin::Base => (0, ""),
            Origin::Grant { id, .. } => (1, id.as_str()),
        }
    }
    compare_quota(b.quota, a.quota)
        .then_with(|| key(b).0.cmp(&key(a).0))
        .then_with(|| b.starts.cmp(&a.starts))
        .then_with(|| key(a).1.cmp(key(b).1))
}

/// The module that unlocks `feature` most generously, modules that grant it directly
/// before bundles, catalog order breaking ties.
fn unlock(catalog: &Catalog, feature: &str) -> Option<Unlock> {
    let mut best: Option<(Unlock, bool)> = None;
    for m in &catalog.modules {
        let mut granted = Vec::new();
        features_of(catalog, m, 0, &mut granted);
        let Some(fg) = granted.iter().find(|fg| fg.feature == feature) else {
            continue;
        };
        let direct = !m.is_bundle();
        let better = match &best {
            None => true,
            Some((b, b_direct)) => match compare_quota(fg.limit, b.quota) {
                Ordering::Greater => true,
                Ordering::Equal => direct && !b_direct,
                Ordering::Less => false,
            },
        };
        if better {
            best = Some((
                Unlock {
                    id: m.id.clone(),
                    name: m.name.clone(),
                    quota: fg.limit,
                },
                direct,
            ));
        }
    }
    best.map(|(u, _)| u)
}

fn check_ledger(ledger: &UsageLedger) -> Result<()> {
    for (i, c) in ledger.counters.iter().enumerate() {
        if c.used.is_sign_negative() && !c.used.is_zero() {
            return Err(Error::input(
                format!("ledger.counters[{i}].used"),
                format!("usage must be zero or more, got {}", c.used),
            ));
        }
        if ledger.position(&c.feature, &c.pool) != Some(i) {
            return Err(Error::input(
                format!("ledger.counters[{i}]"),
                format!(
                    "a second counter for {} and the same pool: keep one per feature and pool",
                    quoted(&c.feature)
                ),
            ));
        }
    }
    Ok(())
}

/// Compares quotas, `Greater` meaning more generous (for [`super::check`]).
pub(crate) fn more_generous(a: Option<Quota>, b: Option<Quota>) -> bool {
    compare_quota(a, b) == Ordering::Greater
}
