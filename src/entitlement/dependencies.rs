//! Dependencies between modules: what must be bought together (`requires`), what cannot
//! be owned together (`excludes`), and which grants a lost requirement suspends.

use std::collections::BTreeSet;

use super::grant::{Grant, Suspension};
use crate::calendar::Date;
use crate::error::{Error, Result};
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
pub fn owned_modules(
    catalog: &Catalog,
    grants: &[Grant],
    user: &User,
    day: Date,
) -> BTreeSet<String> {
    let mut owned = BTreeSet::new();
    for g in grants.iter().filter(|g| g.covers(user) && g.active_on(day)) {
        add_with_parts(catalog, &g.module, 0, &mut owned);
    }
    owned
}

fn add_with_parts(catalog: &Catalog, module: &str, depth: usize, out: &mut BTreeSet<String>) {
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
/// - [`Error::UnknownModule`] for a module the catalog lacks;
/// - [`Error::AlreadyOwned`] when `module` is owned;
/// - [`Error::Excluded`] when one of them conflicts with an owned module or another of them.
pub fn bundle_for(
    catalog: &Catalog,
    owned: &BTreeSet<String>,
    module: &str,
) -> Result<Vec<String>> {
    if owned.contains(module) {
        return Err(Error::AlreadyOwned {
            module: module.to_string(),
        });
    }
    let mut order = Vec::new();
    let mut seen = BTreeSet::new();
    visit(catalog, owned, module, 0, &mut seen, &mut order)?;
    check_exclusions(catalog, owned, &order)?;
    Ok(order)
}

fn visit(
    catalog: &Catalog,
    owned: &BTreeSet<String>,
    id: &str,
    depth: usize,
    seen: &mut BTreeSet<String>,
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
        .ok_or_else(|| Error::UnknownModule(id.to_string()))
}

/// Refuses buying `buying` when any of them (or a module a bundle among them includes)
/// excludes an owned or co-bought module, or is excluded by one.
///
/// # Errors
/// [`Error::Excluded`] naming the module bought and the one it conflicts with;
/// [`Error::UnknownModule`] for a module the catalog lacks.
pub fn check_exclusions(
    catalog: &Catalog,
    owned: &BTreeSet<String>,
    buying: &[String],
) -> Result<()> {
    let mut new = BTreeSet::new();
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
            return Err(Error::Excluded {
                module: b.clone(),
                by: by.clone(),
            });
        }
        let excluded_by = owned.iter().chain(new.iter()).find(|o| {
            catalog
                .module(o)
                .is_some_and(|om| om.excludes.iter().any(|e| e == b))
        });
        if let Some(by) = excluded_by {
            return Err(Error::Excluded {
                module: b.clone(),
                by: by.clone(),
            });
        }
    }
    Ok(())
}

/// The grants covering `user` that become suspended on `day` when they lose `lost`
/// (its grants end or are revoked): every active grant whose module requires a module no
/// longer owned, transitively (losing A suspends B that requires A, then C that requires B).
/// Another grant of `lost` still covering the user (a department's, the organization's)
/// keeps it owned.
///
/// Apply the result with [`apply_suspensions`].
pub fn suspended_by_loss(
    catalog: &Catalog,
    grants: &[Grant],
    user: &User,
    lost: &str,
    day: Date,
) -> Vec<GrantSuspension> {
    let mut remaining: Vec<&Grant> = grants
        .iter()
        .filter(|g| g.covers(user) && g.active_on(day) && g.module != lost)
        .collect();
    let mut out = Vec::new();
    loop {
        let mut owned = BTreeSet::new();
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

/// The ids of grants covering `user` suspended for a missing requirement that `user`
/// owns again on `day`: they can be resumed (their `suspended` cleared).
pub fn resumable(catalog: &Catalog, grants: &[Grant], user: &User, day: Date) -> Vec<String> {
    let owned = owned_modules(catalog, grants, user, day);
    grants
        .iter()
        .filter(|g| g.covers(user) && g.in_force_on(day))
        .filter(|g| matches!(g.suspended, Some(Suspension::MissingRequirement { .. })))
        .filter(|g| {
            catalog
                .module(&g.module)
                .is_some_and(|m| m.requires.iter().all(|r| owned.contains(r)))
        })
        .map(|g| g.id.clone())
        .collect()
}
