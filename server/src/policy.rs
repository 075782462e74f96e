//! The admins' live policy: the version in force, every earlier one with who changed what
//! and when, and the rules of a change (validated whole with the core, scoped to the
//! admin's departments).
//!
//! What an admin edits is an [`AdminDocument`]: the policy manifest plus, for the budgets
//! of their departments, the auto-approve threshold and the per-user cap (those live in the
//! contract; the live contract is the manifests' one with these two figures replaced).
//! The server verifies every charge against the version in force; a browser that loaded
//! an older one is refused with `stale_manifest` and picks up the new one at its next load.

pub mod preview;
pub mod scope;
pub mod seed;
pub mod startup;
pub mod store;

use std::collections::BTreeMap;
use std::sync::{Arc, RwLock};

use inflow::checkout::{ManifestRef, ManifestRefs};
use inflow::manifest::{json, Catalog, Contract, FundingSource, Policy};
use inflow::{Error, ErrorKind, Manifests, Problem};
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};

/// The two figures of a budget an admin may set.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct BudgetLimits {
    /// A purchase at or under this amount is approved without a person.
    pub auto_approve_up_to: Decimal,
    /// The most one user may spend per period without approval.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub per_user_cap: Option<Decimal>,
}

/// What an admin reads and writes: the policy and the budgets' limits.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct AdminDocument {
    /// The policy manifest.
    pub policy: Policy,
    /// Per budget id, its limits. Budgets left out keep theirs.
    #[serde(default)]
    pub budgets: BTreeMap<String, BudgetLimits>,
}

/// The version in force.
#[derive(Debug, Clone)]
pub struct Current {
    /// 1 for the manifests' own policy, then one more per change.
    pub revision: i64,
    /// The manifests with this policy and these budget limits, validated.
    pub manifests: Manifests,
    /// Their versions and digests: a charge must name exactly these.
    pub refs: ManifestRefs,
    /// The document that produced it.
    pub document: AdminDocument,
}

/// The live policy, shared by every request.
pub struct Live {
    current: RwLock<Arc<Current>>,
}

impl Live {
    /// Starts from `current`.
    pub fn new(current: Current) -> Live {
        Live {
            current: RwLock::new(Arc::new(current)),
        }
    }

    /// The version in force.
    pub fn current(&self) -> Arc<Current> {
        match self.current.read() {
            Ok(g) => Arc::clone(&g),
            Err(poisoned) => Arc::clone(&poisoned.into_inner()),
        }
    }

    /// Puts `next` in force.
    pub fn replace(&self, next: Current) {
        let next = Arc::new(next);
        match self.current.write() {
            Ok(mut g) => *g = next,
            Err(poisoned) => *poisoned.into_inner() = next,
        }
    }
}

/// The limits of every budget of `contract`.
pub fn budget_limits(contract: &Contract) -> BTreeMap<String, BudgetLimits> {
    contract
        .funding
        .iter()
        .filter_map(|f| match f {
            FundingSource::Budget {
                id,
                auto_approve_up_to,
                per_user_cap,
                ..
            } => Some((
                id.clone(),
                BudgetLimits {
                    auto_approve_up_to: *auto_approve_up_to,
                    per_user_cap: *per_user_cap,
                },
            )),
            _ => None,
        })
        .collect()
}

/// Builds the version `revision` of `document` over the supplier's catalog and the
/// negotiated contract, validating it whole with the core.
///
/// # Errors
/// Every problem, each with its path in the document (`policy.communities[2].modules[0]`,
/// `budgets.sales-ops.auto_approve_up_to`).
pub fn build(
    catalog: &Catalog,
    contract: &Contract,
    document: AdminDocument,
    revision: i64,
) -> Result<Current, Vec<Problem>> {
    let mut problems = Vec::new();
    let mut contract = contract.clone();
    let mut index = BTreeMap::new();
    for (i, f) in contract.funding.iter().enumerate() {
        index.insert(f.id().to_string(), i);
    }
    for (id, limits) in &document.budgets {
        let slot = index.get(id).and_then(|&i| contract.funding.get_mut(i));
        match slot {
            Some(FundingSource::Budget {
                auto_approve_up_to,
                per_user_cap,
                ..
            }) => {
                *auto_approve_up_to = limits.auto_approve_up_to;
                *per_user_cap = limits.per_user_cap;
            }
            _ => problems.push(
                Problem::new(
                    format!("budgets.{id}"),
                    format!("{id:?} is not a budget of the contract"),
                )
                .expected("the id of a budget funding source"),
            ),
        }
    }
    if !problems.is_empty() {
        return Err(problems);
    }
    let manifests = Manifests::new(catalog.clone(), contract.clone(), document.policy.clone())
        .map_err(|e| {
            to_problems(e)
                .into_iter()
                .map(|p| rename(p, &contract))
                .collect::<Vec<_>>()
        })?;
    let refs = refs(&manifests).map_err(to_problems)?;
    Ok(Current {
        revision,
        manifests,
        refs,
        document,
    })
}

/// The versions and digests of validated manifests.
///
/// # Errors
/// When a document cannot be serialised (not expected).
pub fn refs(m: &Manifests) -> inflow::Result<ManifestRefs> {
    Ok(ManifestRefs {
        catalog: ManifestRef {
            version: m.catalog().version.clone(),
            digest: json::digest(m.catalog())?,
        },
        contract: ManifestRef {
            version: m.contract().version.clone(),
            digest: json::digest(m.contract())?,
        },
        policy: ManifestRef {
            version: m.policy().version.clone(),
            digest: json::digest(m.policy())?,
        },
    })
}

/// The problems of a core error, each with a path.
pub fn to_problems(e: Error) -> Vec<Problem> {
    match e.into_kind() {
        ErrorKind::Manifest(p) => p,
        ErrorKind::Input { path, message } => vec![Problem::new(path, message)],
        other => vec![Problem::new("", other.to_string())],
    }
}

/// A contract problem on a budget (`contract.funding[0].auto_approve_up_to`) renamed to
/// the document's path (`budgets.sales-ops.auto_approve_up_to`).
fn rename(p: Problem, contract: &Contract) -> Problem {
    let Some(rest) = p.path.strip_prefix("contract.funding[") else {
        return p;
    };
    let Some((n, tail)) = rest.split_once(']') else {
        return p;
    };
    let id = n
        .parse::<usize>()
        .ok()
        .and_then(|i| contract.funding.get(i))
        .map(|f| f.id().to_string());
    match id {
        Some(id) => Problem {
            path: format!("budgets.{id}{tail}"),
            ..p
        },
        None => p,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn manifests() -> (Catalog, Contract, Policy) {
        let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../manifests");
        let (m, _, _) = crate::state::load_manifests(&dir).unwrap();
        (
            m.catalog().clone(),
            m.contract().clone(),
            m.policy().clone(),
        )
    }

    #[test]
    fn a_threshold_above_the_budget_is_reported_at_the_budget() {
        let (cat, con, policy) = manifests();
        let mut budgets = budget_limits(&con);
        budgets.get_mut("marketing").unwrap().auto_approve_up_to = "5000".parse().unwrap();
        let err = build(&cat, &con, AdminDocument { policy, budgets }, 2).unwrap_err();
        assert!(
            err.iter()
                .any(|p| p.path.starts_with("budgets.marketing.auto_approve_up_to")),
            "{err:?}"
        );
    }

    #[test]
    fn each_problem_of_a_policy_has_its_path() {
        let (cat, con, mut policy) = manifests();
        policy.communities[0].modules.push("no-such-module".into());
        policy.communities[2].funding.push("no-such-source".into());
        let err = build(
            &cat,
            &con,
            AdminDocument {
                policy,
                budgets: BTreeMap::new(),
            },
            2,
        )
        .unwrap_err();
        let paths: Vec<&str> = err.iter().map(|p| p.path.as_str()).collect();
        assert!(
            paths.contains(&"policy.communities[0].modules[7]"),
            "{paths:?}"
        );
        assert!(
            paths.contains(&"policy.communities[2].funding[2]"),
            "{paths:?}"
        );
    }
}
