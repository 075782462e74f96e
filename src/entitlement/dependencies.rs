//! Dependencies between modules: what must be bought together (`requires`), what cannot
//! be owned together (`excludes`), and which grants a lost requirement suspends.

use crate::collections::Set;
use crate::ErrorKind;

use super::grant::{Grant, Suspension};
use crate::calendar::Date;
use crate::error::Result;
use crate::manifest::{Catalog, Module, User};

/// How deep `requires` and `includes` chains are followed before the rest is ignored.
const MAX_DEPTH: usize = 16;

/// A grant that a change makes inactive, and why.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct GrantSuspension {
    /// The grant's id.
    pub grant: String,
    /// The grant's module.
    pub module: String,
    /// Why it is suspended.
    pub suspension: Suspension,
}

/// The modules `user` owns on `day`: those of active (in force, not suspended) grants
/// covering them, with the modules bundles include.
pub fn owned_modules(catalog: &Catalog, grants: &[Grant], user: &User, day: Date) -> Set<String> {
    let mut owned = Set::new();
    for g in grants.iter().filter(|g| g.covers(user) && g.active_on(day)) {
        add_with_parts(catalog, &g.module, 0, &mut owned);
    }
    owned
}

fn add_with_parts(catalog: &Catalog, module: &str, depth: usize, out: &mut Set<String>) {
    if !out.insert(module.to_string()) || depth >= MAX_DEPTH {
        return;
    }
    if let Some(m) = catalog.module(module) {
        for part in &m.includes {
            add_with_parts(catalog, part, depth + 1, out);
        }
    }
}

/// The modules to buy together to get `module`, given what is `owned`: every module it
/// requires, transitively, that is not owned yet, requirements before what needs them,
/// `module` last.
///
/// # Errors
/// - [`ErrorKind::UnknownModule`] for a module the catalog lacks;
/// - [`ErrorKind::AlreadyOwned`] when `module` is owned;
/// - [`ErrorKind::Excluded`] when one of them conflicts with an owned module or another of them.
pub fn bundle_for(catalog: &Catalog, owned: &Set<String>, module: &str) -> Result<Vec<String>> {
    if owned.contains(module) {
        return Err(ErrorKind::AlreadyOwned {
            module: module.to_string(),
        }
        .into());
    }
    let mut order = Vec::new();
    let mut seen = Set::new();
    visit(catalog, owned, module, 0, &mut seen, &mut order)?;
    check_exclusions(catalog, owned, &order)?;
    Ok(order)
}

fn visit(
    catalog: &Catalog,
    owned: &Set<String>,
    id: &str,
    depth: usize,
    seen: &mut Set<String>,
    order: &mut Vec<String>,
) -> Result<()> {
    if owned.contains(id) || !seen.insert(id.to_string()) || depth > MAX_DEPTH {
        return Ok(());
    }
    let m = module(catalog, id)?;
    for r in &m.requires {
        visit(catalog, owned, r, depth + 1, seen, order)?;
    }
    order.push(id.to_string());
    Ok(())
}

fn module<'c>(catalog: &'c Catalog, id: &str) -> Result<&'c Module> {
    catalog
        .module(id)
        .ok_or_else(|| ErrorKind::UnknownModule(id.to_string()).into())
}

/// Refuses buying `buying` when any of them (or a module a bundle among them includes)
/// excludes an owned or co-bought module, or is excluded by one.
///
/// # Errors
/// [`ErrorKind::Excluded`] naming the module bought and the one it conflicts with;
/// [`ErrorKind::UnknownModule`] for a module the catalog lacks.
pub fn check_exclusions(catalog: &Catalog, owned: &Set<String>, buying: &[String]) -> Result<()> {
    let mut new = Set::new();
    for b in buying {
        module(catalog, b)?;
        add_with_parts(catalog, b, 0, &mut new);
    }
    for b in &new {
        let m = module(catalog, b)?;
        if let Some(by) = m
            .excludes
            .iter()
            .find(|e| owned.contains(*e) || new.contains(*e))
        {
            return Err(ErrorKind::Excluded {
                module: b.clone(),
                by: by.clone(),
            }
            .into());
        }
        let excluded_by = owned.iter().chain(new.iter()).find(|o| {
            catalog
                .module(o)
                .is_some_and(|om| om.excludes.iter().any(|e| e == b))
        });
        if let Some(by) = excluded_by {
            return Err(ErrorKind::Excluded {
                module: b.clone(),
                by: by.clone(),
            }
            .into());
        }
    }
    Ok(())
}

/// The grants covering `user` that become suspended on `day` when the grant `lost_grant`
/// ends or is revoked: every active grant whose module requires a module no longer owned,
/// transitively (losing A suspends B that requires A, then C that requires B). Another
/// grant of the same module still covering the user (a department's, the organization's)
/// keeps it owned, and nothing is suspended.
///
/// Apply the result with [`apply_suspensions`].
pub fn suspended_by_loss(
    catalog: &Catalog,
    grants: &[Grant],
    user: &User,
    lost_grant: &str,
    day: Date,
) -> Vec<GrantSuspension> {
    let mut remaining: Vec<&Grant> = grants
        .iter()
        .filter(|g| g.covers(user) && g.active_on(day) && g.id != lost_grant)
        .collect();
    let mut out = Vec::new();
    loop {
        let mut owned = Set::new();
        for g in &remaining {
            add_with_parts(catalog, &g.module, 0, &mut owned);
        }
        let missing = |g: &Grant| {
            catalog
                .module(&g.module)
                .and_then(|m| m.requires.iter().find(|r| !owned.contains(*r)).cloned())
        };
        let before = out.len();
        remaining.retain(|g| match missing(g) {
            Some(module) => {
                out.push(GrantSuspension {
                    grant: g.id.clone(),
                    module: g.module.clone(),
                    suspension: Suspension::MissingRequirement { module },
                });
                false
            }
            None => true,
        });
        if out.len() == before {
            return out;
        }
    }
}

/// Marks each grant named in `suspensions` as suspended, with its cause.
pub fn apply_suspensions(grants: &mut [Grant], suspensions: &[GrantSuspension]) {
    for s in suspensions {
        for g in grants.iter_mut().filter(|g| g.id == s.grant) {
            g.suspended = Some(s.suspension.clone());
        }
    }
}

/// The ids of grants covering `user`, suspended for a missing requirement, that can
/// resume on `day` because `user` owns what they require again (transitively: C resumes
/// with B, which resumes with A). Resume them by clearing their `suspended`.
pub fn resumable(catalog: &Catalog, grants: &[Grant], user: &User, day: Date) -> Vec<String> {
    let mut owned = owned_modules(catalog, grants, user, day);
    let mut waiting: Vec<&Grant> = grants
        .iter()
        .filter(|g| g.covers(user) && g.in_force_on(day))
        .filter(|g| matches!(g.suspended, Some(Suspension::MissingRequirement { .. })))
        .collect();
    let mut out = Vec::new();
    loop {
        let ready: Vec<&Grant> = waiting
            .iter()
            .copied()
            .filter(|g| {
                catalog
                    .module(&g.module)
                    .is_some_and(|m| m.requires.iter().all(|r| owned.contains(r)))
            })
            .collect();
        if ready.is_empty() {
            return out;
        }
        for g in ready {
            add_with_parts(catalog, &g.module, 0, &mut owned);
            out.push(g.id.clone());
        }
        waiting.retain(|g| !out.contains(&g.id));
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::entitlement::fixture::{bought, catalog, day, ents, noon, user};
    use crate::entitlement::{GrantSource, Holder, Reason};

    fn set(ids: &[&str]) -> Set<String> {
        ids.iter().map(|s| s.to_string()).collect()
    }

    #[test]
    fn requirements_are_bought_together_transitively() {
        let c = catalog();
        assert_eq!(
            bundle_for(&c, &set(&[]), "report-insights").unwrap(),
            ["advanced-reports", "report-scheduler", "report-insights"]
        );
        assert_eq!(
            bundle_for(&c, &set(&["advanced-reports"]), "report-insights").unwrap(),
            ["report-scheduler", "report-insights"]
        );
        assert_eq!(
            bundle_for(&c, &set(&[]), "forecasting").unwrap(),
            ["forecasting"]
        );
        // Owning a bundle owns its parts.
        let u = user("ann", "Sales");
        let owned = owned_modules(
            &c,
            &[bought("p1", "sales-pack", "ann", "2026-01-01")],
            &u,
            day("2026-06-01"),
        );
        assert_eq!(
            owned,
            set(&["advanced-reports", "forecasting", "sales-pack"])
        );
        assert_eq!(
            bundle_for(&c, &owned, "report-scheduler").unwrap(),
            ["report-scheduler"]
        );
        assert_eq!(
            bundle_for(&c, &owned, "forecasting").unwrap_err().code(),
            "already_owned"
        );
        assert_eq!(
            bundle_for(&c, &owned, "nope").unwrap_err().code(),
            "unknown_module"
        );
    }

    #[test]
    fn exclusions_are_refused_both_ways() {
        let c = catalog();
        let err = bundle_for(&c, &set(&["basic-templates"]), "ai-email").unwrap_err();
        assert_eq!(
            err,
            ErrorKind::Excluded {
                module: "ai-email".into(),
                by: "basic-templates".into()
            }
        );
        let err = bundle_for(&c, &set(&["ai-email"]), "basic-templates").unwrap_err();
        assert_eq!(
            err,
            ErrorKind::Excluded {
                module: "basic-templates".into(),
                by: "ai-email".into()
            }
        );
        let both = ["ai-email".to_string(), "basic-templates".to_string()];
        assert_eq!(
            check_exclusions(&c, &set(&[]), &both).unwrap_err().code(),
            "excluded"
        );
    }

    #[test]
    fn losing_a_requirement_suspends_its_dependents() {
        let c = catalog();
        let u = user("ann", "Sales");
        let mut grants = vec![
            bought("g1", "advanced-reports", "ann", "2026-01-01"),
            bought("g2", "report-scheduler", "ann", "2026-01-01"),
            bought("g3", "report-insights", "ann", "2026-01-01"),
            bought("g4", "forecasting", "ann", "2026-01-01"),
        ];
        let today = day("2026-06-10");
        let s = suspended_by_loss(&c, &grants, &u, "g1", today);
        assert_eq!(
            s,
            [
                GrantSuspension {
                    grant: "g2".into(),
                    module: "report-scheduler".into(),
                    suspension: Suspension::MissingRequirement {
                        module: "advanced-reports".into()
                    },
                },
                GrantSuspension {
                    grant: "g3".into(),
                    module: "report-insights".into(),
                    suspension: Suspension::MissingRequirement {
                        module: "report-scheduler".into()
                    },
                },
            ]
        );
        grants[0].ends = Some(today);
        apply_suspensions(&mut grants, &s);
        let e = ents(&u, &grants);
        let at = noon("2026-06-10");
        let sched = e.check("reports.schedule", at).unwrap();
        assert!(!sched.allowed);
        assert!(matches!(sched.reason, Reason::Suspended { grant, .. } if grant.id == "g2"));
        assert_eq!(
            sched.message(),
            "Scheduled reports comes with Report Scheduler (grant g2), \
             suspended because Advanced Reports is no longer owned"
        );
        assert!(e.check("forecast.view", at).unwrap().allowed);
        // Exports fall back to the base's 50 a month.
        assert_eq!(
            e.check("reports.export", at).unwrap().reason,
            Reason::Included
        );
        // Buying Advanced Reports again lets both resume.
        grants.push(bought("g5", "advanced-reports", "ann", "2026-06-11"));
        assert_eq!(resumable(&c, &grants, &u, day("2026-06-11")), ["g2", "g3"]);
        assert!(resumable(&c, &grants, &u, day("2026-06-10")).is_empty());
    }

    #[test]
    fn another_grant_of_the_lost_module_keeps_dependents() {
        let c = catalog();
        let u = user("ann", "Sales");
        let mut dept = bought("d1", "advanced-reports", "ann", "2026-01-01");
        dept.holder = Holder::Department("Sales".into());
        dept.source = GrantSource::Plan;
        let grants = [
            bought("g1", "advanced-reports", "ann", "2026-01-01"),
            bought("g2", "report-scheduler", "ann", "2026-01-01"),
            dept,
        ];
        // Losing her own grant still leaves the department's: nothing is suspended.
        let today = day("2026-06-10");
        assert!(suspended_by_loss(&c, &grants, &u, "g1", today).is_empty());
        // Without the department's grant, the scheduler is suspended.
        let s = suspended_by_loss(&c, &grants[..2], &u, "g1", today);
        assert_eq!(s.len(), 1);
        assert_eq!(s[0].grant, "g2");
    }
}
