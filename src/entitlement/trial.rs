//! Trials: one per user and module, ending on their own after the module's `trial_days`,
//! and their conversion into a purchase that keeps the grant's id, start and usage.

use super::dependencies::{check_exclusions, owned_modules};
use super::grant::{Grant, GrantSource, Holder};
use crate::calendar::Date;
use crate::error::{Error, Result};
use crate::manifest::{BillingPeriod, Catalog, User};
use crate::ErrorKind;

/// A trial of `module` for `user` from `today`, ending (exclusive) `trial_days` later:
/// a 14-day trial started on June 1 gives the module June 1–14 and ends on June 15.
/// `id` is the new grant's id, chosen by the caller.
///
/// # Errors
/// - [`ErrorKind::UnknownModule`] for a module the catalog lacks;
/// - [`ErrorKind::TrialRefused`] when the module has no trial, the user already had (or has)
///   a trial of it, already owns it, or lacks a module it requires;
/// - [`ErrorKind::Excluded`] when it conflicts with a module the user owns.
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
        .ok_or_else(|| ErrorKind::UnknownModule(module.to_string()))?;
    let refuse = |reason: String| -> Error {
        ErrorKind::TrialRefused {
            module: module.to_string(),
            reason,
        }
        .into()
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
/// [`ErrorKind::Input`] when `trial` is not a trial grant.
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::entitlement::fixture::{bought, catalog, day, dec, noon, user};
    use crate::entitlement::{Entitlements, Reason, UsageLedger};

    #[test]
    fn a_fourteen_day_trial_covers_day_13_but_not_day_15() {
        let c = catalog();
        let u = user("ann", "Sales");
        let t = start_trial(&c, &[], &u, "forecasting", "t1", day("2026-06-01")).unwrap();
        assert_eq!(t.source, GrantSource::Trial);
        assert_eq!(t.ends, Some(day("2026-06-15")));
        let e = Entitlements::new(&c, &u, &[t], UsageLedger::new()).unwrap();
        let d13 = e.check("forecast.view", noon("2026-06-13")).unwrap();
        assert!(d13.allowed);
        assert!(matches!(d13.reason, Reason::Granted(g) if g.source == GrantSource::Trial));
        assert!(
            e.check("forecast.view", noon("2026-06-14"))
                .unwrap()
                .allowed
        );
        let d15 = e.check("forecast.view", noon("2026-06-15")).unwrap();
        assert!(!d15.allowed);
        assert_eq!(d15.reason.code(), "trial_ended");
        assert_eq!(
            d15.message(),
            "Forecast view came with the trial of Pipeline Forecasting that ended on \
             2026-06-15; buy Pipeline Forecasting (forecasting) to keep it"
        );
    }

    #[test]
    fn one_trial_per_user_and_module() {
        let c = catalog();
        let u = user("ann", "Sales");
        let t = start_trial(&c, &[], &u, "forecasting", "t1", day("2026-06-01")).unwrap();
        let grants = [t];
        let running = start_trial(&c, &grants, &u, "forecasting", "t2", day("2026-06-05"));
        assert_eq!(
            running.unwrap_err().to_string(),
            "no trial of \"forecasting\": a trial is already running until 2026-06-15 (grant t1)"
        );
        let after = start_trial(&c, &grants, &u, "forecasting", "t2", day("2026-07-01"));
        assert_eq!(
            after.unwrap_err().to_string(),
            "no trial of \"forecasting\": one trial per user and module: \
             the trial that started on 2026-06-01 ended on 2026-06-15"
        );
        // Another user may still try it.
        assert!(start_trial(
            &c,
            &grants,
            &user("bob", "Sales"),
            "forecasting",
            "t3",
            day("2026-06-05")
        )
        .is_ok());
    }

    #[test]
    fn trials_are_refused_with_a_reason() {
        let c = catalog();
        let u = user("ann", "Sales");
        let d = day("2026-06-01");
        let no_trial = start_trial(&c, &[], &u, "advanced-reports", "t", d).unwrap_err();
        assert_eq!(no_trial.code(), "trial_refused");
        assert!(no_trial
            .to_string()
            .ends_with("Advanced Reports has no free trial"));
        let owned = [bought("g1", "forecasting", "ann", "2026-01-01")];
        let err = start_trial(&c, &owned, &u, "forecasting", "t", d).unwrap_err();
        assert!(err
            .to_string()
            .ends_with("Pipeline Forecasting is already owned"));
        let templates = [bought("g1", "basic-templates", "ann", "2026-01-01")];
        let err = start_trial(&c, &templates, &u, "ai-email", "t", d).unwrap_err();
        assert_eq!(err.code(), "excluded");
        assert_eq!(
            start_trial(&c, &[], &u, "nope", "t", d).unwrap_err().code(),
            "unknown_module"
        );
    }

    #[test]
    fn conversion_keeps_the_id_the_start_and_the_usage() {
        let c = catalog();
        let u = user("ann", "Sales");
        let t = start_trial(&c, &[], &u, "forecasting", "t1", day("2026-06-08")).unwrap();
        let mut e =
            Entitlements::new(&c, &u, std::slice::from_ref(&t), UsageLedger::new()).unwrap();
        assert_eq!(
            e.record("forecast.runs", dec("5"), noon("2026-06-09"))
                .unwrap(),
            Some(dec("15"))
        );
        let p = convert_trial(&t, Some("monthly".into()), None).unwrap();
        assert_eq!(
            (p.id.as_str(), p.starts, p.ends),
            ("t1", day("2026-06-08"), None)
        );
        assert_eq!(p.source, GrantSource::Purchase);
        let e = Entitlements::new(&c, &u, std::slice::from_ref(&p), e.into_ledger()).unwrap();
        // Same ISO week: the 5 runs recorded during the trial still count.
        assert_eq!(
            e.check("forecast.runs", noon("2026-06-10"))
                .unwrap()
                .remaining,
            Some(dec("15"))
        );
        let later = e.check("forecast.view", noon("2026-07-20")).unwrap();
        assert!(later.allowed);
        assert!(
            matches!(later.reason, Reason::Granted(g) if g.id == "t1" && g.source == GrantSource::Purchase)
        );
        // A trial cannot be taken again after buying, and a purchase does not convert.
        assert_eq!(
            start_trial(
                &c,
                &[t, p.clone()],
                &u,
                "forecasting",
                "t2",
                day("2026-08-01")
            )
            .unwrap_err()
            .code(),
            "trial_refused"
        );
        assert_eq!(
            convert_trial(&p, None, None).unwrap_err().code(),
            "invalid_input"
        );
    }
}
