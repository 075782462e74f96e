//! Trials: one per user and module, ending on their own after the module's `trial_days`,
//! and their conversion into a purchase that keeps the grant's id, start and usage.

use super::dependencies::{check_exclusions, owned_modules};
use super::grant::{Grant, GrantSource, Holder};
use crate::calendar::Date;
use crate::error::{Error, Result};
use crate::manifest::{BillingPeriod, Catalog, User};

/// A trial of `module` for `user` from `today`, ending (exclusive) `trial_days` later:
/// a 14-day trial started on June 1 gives the module June 1–14 and ends on June 15.
/// `id` is the new grant's id, chosen by the caller.
///
/// # Errors
/// - [`Error::UnknownModule`] for a module the catalog lacks;
/// - [`Error::TrialRefused`] when the module has no trial, the user already had (or has)
///   a trial of it, already owns it, or lacks a module it requires;
/// - [`Error::Excluded`] when it conflicts with a module the user owns.
pub fn start_trial(
    catalog: &Catalog,
    grants: &[Grant],
    user: &User,
    module: &str,
    id: impl Into<String>,
    today: Date,
) -> Result<Grant> {
    let m = catalog
        .module(module)
        .ok_or_else(|| Error::UnknownModule(module.to_string()))?;
    let refuse = |reason: String| Error::TrialRefused {
        module: module.to_string(),
        reason,
    };
    let days = match m.trial_days {
        Some(d) if d > 0 => d,
        _ => return Err(refuse(format!("{} has no free trial", m.name))),
    };
    if let Some(t) = grants.iter().find(|g| {
        g.source == GrantSource::Trial
            && g.module == module
            && g.holder == Holder::User(user.id.clone())
    }) {
        let reason = match t.ends {
            Some(e) if e <= today => format!(
                "one trial per user and module: the trial that started on {} ended on {e}",
                t.starts
            ),
            Some(e) => format!("a trial is already running until {e} (grant {})", t.id),
            None => format!("a trial already exists (grant {})", t.id),
        };
        return Err(refuse(reason));
    }
    let owned = owned_modules(catalog, grants, user, today);
    if owned.contains(module) {
        return Err(refuse(format!("{} is already owned", m.name)));
    }
    if let Some(r) = m.requires.iter().find(|r| !owned.contains(*r)) {
        let name = catalog.module(r).map_or(r.as_str(), |x| x.name.as_str());
        return Err(refuse(format!(
            "it requires {name} ({r}), which is not owned: get it first"
        )));
    }
    check_exclusions(catalog, &owned, &[module.to_string()])?;
    let grant = Grant::new(
        id,
        module,
        GrantSource::Trial,
        Holder::User(user.id.clone()),
        today,
    );
    Ok(grant.until(today.plus_days(i64::from(days))))
}

/// The purchase a trial becomes: the same id, holder and start (so usage recorded during
/// the trial still counts), open-ended, billing every `billing_period` (monthly when
/// `None`) from the trial's start unless the trial grant had another anchor.
///
/// # Errors
/// [`Error::Input`] when `trial` is not a trial grant.
pub fn convert_trial(
    trial: &Grant,
    plan: Option<String>,
    billing_period: Option<BillingPeriod>,
) -> Result<Grant> {
    if trial.source != GrantSource::Trial {
        return Err(Error::input(
            "grant.source",
            format!(
                "grant {} is a {} grant, not a trial: only trials convert",
                trial.id, trial.source
            ),
        ));
    }
    Ok(Grant {
        source: GrantSource::Purchase,
        ends: None,
        plan,
        billing_period,
        anchor: Some(trial.billing_anchor()),
        ..trial.clone()
    })
}
