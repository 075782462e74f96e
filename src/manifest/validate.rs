//! Validation of the manifests: every problem at once, each with its JSON path.
//!
//! Each rule pushes a [`Problem`] and carries on, so one run lists everything wrong.
//! Paths are rooted at the manifest's kind (`catalog`, `contract`, `policy`, `directory`)
//! and follow the JSON (`catalog.modules[3].plans[0].prices.USD.model.tiers[1].up_to`).

mod catalog;
mod contract;
mod graph;
mod policy;
mod price;
mod users;

#[cfg(test)]
mod fixture;

use crate::collections::Map;
use crate::quoted::{joined, quoted};

use rust_decimal::Decimal;

use crate::error::Problem;

use super::{Catalog, Contract, Directory, Policy, Predicate};

/// The deepest a predicate may nest: evaluation is recursive.
pub(super) const MAX_PREDICATE_DEPTH: usize = 32;

/// Every problem in the three manifests, alone and against each other.
pub(super) fn all(catalog: &Catalog, contract: &Contract, policy: &Policy) -> Vec<Problem> {
    some(Some(catalog), Some(contract), Some(policy))
}

/// Every problem in whichever manifests are given, alone and against each other.
pub(super) fn some(
    catalog: Option<&Catalog>,
    contract: Option<&Contract>,
    policy: Option<&Policy>,
) -> Vec<Problem> {
    let mut out = Vec::new();
    if let Some(c) = catalog {
        catalog::check(&mut out, c);
    }
    if let Some(k) = contract {
        contract::check(&mut out, catalog, k);
    }
    if let Some(p) = policy {
        policy::check(&mut out, catalog, contract, p);
    }
    out
}

/// Every problem of a catalog on its own.
pub(super) fn catalog(catalog: &Catalog) -> Vec<Problem> {
    some(Some(catalog), None, None)
}

/// Every problem of a contract, alone and against the catalog.
pub(super) fn contract(catalog: &Catalog, contract: &Contract) -> Vec<Problem> {
    let mut out = Vec::new();
    self::contract::check(&mut out, Some(catalog), contract);
    out
}

/// Every problem of a policy, alone and against the catalog and the contract.
pub(super) fn policy(catalog: &Catalog, contract: &Contract, policy: &Policy) -> Vec<Problem> {
    let mut out = Vec::new();
    self::policy::check(&mut out, Some(catalog), Some(contract), policy);
    out
}

/// Every problem of a user directory.
pub(super) fn directory(directory: &Directory) -> Vec<Problem> {
    let mut out = Vec::new();
    users::check(&mut out, directory);
    out
}

/// Reports a blank string (empty or only spaces).
fn not_empty(out: &mut Vec<Problem>, path: impl Into<String>, value: &str) {
    if value.trim().is_empty() {
        out.push(Problem::new(path, "must not be empty").expected("a non-blank string"));
    }
}

/// Reports each id already used earlier in the same list. `list` is the list's path,
/// `field` the id's field name in each element (empty when the elements are the ids).
fn unique<'a>(
    out: &mut Vec<Problem>,
    list: &str,
    field: &str,
    what: &str,
    ids: impl IntoIterator<Item = &'a str>,
) {
    let ids: Vec<&str> = ids.into_iter().collect();
    duplicates(out, list, field, what, &ids);
}

/// [`unique`] over the ids collected: written once, not once per kind of list.
fn duplicates(out: &mut Vec<Problem>, list: &str, field: &str, what: &str, ids: &[&str]) {
    let mut seen: Map<&str, usize> = Map::new();
    for (i, &id) in ids.iter().enumerate() {
        if id.trim().is_empty() {
            continue;
        }
        if let Some(first) = seen.get(id) {
            let path = if field.is_empty() {
                format!("{list}[{i}]")
            } else {
                format!("{list}[{i}].{field}")
            };
            out.push(
                Problem::new(
                    path,
                    format!(
                        "duplicate {what} {}: {list}[{first}] already uses it",
                        quoted(id)
                    ),
                )
                .expected(format!("a {what} not used elsewhere in {list}")),
            );
        } else {
            seen.insert(id, i);
        }
    }
}

/// Reports an amount below zero.
fn non_negative(out: &mut Vec<Problem>, path: impl Into<String>, amount: Decimal) {
    if amount.is_sign_negative() && !amount.is_zero() {
        out.push(
            Problem::new(path, format!("must not be negative, got {amount}"))
                .expected("an amount of 0 or more"),
        );
    }
}

/// Reports a percent outside `0..=100`.
fn percent(out: &mut Vec<Problem>, path: impl Into<String>, value: Decimal) {
    if value < Decimal::ZERO || value > Decimal::ONE_HUNDRED {
        out.push(
            Problem::new(path, format!("must be between 0 and 100, got {value}"))
                .expected("a percent from 0 to 100"),
        );
    }
}

/// Reports `minimum > maximum` at the minimum's path.
fn min_max(
    out: &mut Vec<Problem>,
    path: String,
    min: Option<Decimal>,
    max_name: &str,
    max: Option<Decimal>,
) {
    if let (Some(lo), Some(hi)) = (min, max) {
        if lo > hi {
            out.push(
                Problem::new(
                    path,
                    format!("must not be greater than {max_name} ({hi}), got {lo}"),
                )
                .expected(format!("at most {hi}")),
            );
        }
    }
}

/// Reports a predicate nesting deeper than [`MAX_PREDICATE_DEPTH`].
fn predicate(out: &mut Vec<Problem>, path: String, p: &Predicate) {
    let depth = p.depth();
    if depth > MAX_PREDICATE_DEPTH {
        out.push(
            Problem::new(
                path,
                format!("nests {depth} levels deep, more than the {MAX_PREDICATE_DEPTH} allowed"),
            )
            .expected(format!(
                "at most {MAX_PREDICATE_DEPTH} levels of all/any/not"
            )),
        );
    }
}

/// Reports a module id the catalog does not define (when there is a catalog to ask).
fn known_module(out: &mut Vec<Problem>, catalog: Option<&Catalog>, path: String, id: &str) {
    if let Some(c) = catalog {
        if c.module(id).is_none() {
            out.push(
                Problem::new(
                    path,
                    format!(
                        "unknown module {}: the catalog has no such module",
                        quoted(id)
                    ),
                )
                .expected("the id of a module in catalog.modules"),
            );
        }
    }
}

/// Reports a currency the catalog does not price (when there is a catalog to ask).
fn priced_currency(
    out: &mut Vec<Problem>,
    catalog: Option<&Catalog>,
    path: String,
    currency: crate::money::Currency,
) {
    if let Some(c) = catalog {
        if !c.currencies.contains(&currency) {
            out.push(
                Problem::new(
                    path,
                    format!("{currency} is not a currency the catalog prices in"),
                )
                .expected(format!(
                    "one of catalog.currencies ({})",
                    joined(&c.currencies, ", ")
                )),
            );
        }
    }
}

#[cfg(test)]
mod tests {
    use super::fixture;
    use super::*;

    #[test]
    fn the_fixture_is_clean() {
        let (c, k, p) = (fixture::catalog(), fixture::contract(), fixture::policy());
        assert_eq!(all(&c, &k, &p), vec![]);
        assert_eq!(directory(&fixture::directory()), vec![]);
    }

    #[test]
    fn problems_in_all_three_manifests_are_reported_together() {
        let (mut c, mut k, mut p) = (fixture::catalog(), fixture::contract(), fixture::policy());
        c.modules[0].name = String::new();
        k.account_team.land_owner = " ".into();
        p.customer = "someone-else".into();
        let paths: Vec<_> = all(&c, &k, &p).into_iter().map(|p| p.path).collect();
        assert_eq!(
            paths,
            [
                "catalog.modules[0].name",
                "contract.account_team.land_owner",
                "policy.customer"
            ]
        );
    }

    #[test]
    fn duplicates_name_the_first_use() {
        let mut out = Vec::new();
        unique(&mut out, "x.ids", "", "id", ["a", "b", "a", "", ""]);
        assert_eq!(out.len(), 1);
        assert_eq!(out[0].path, "x.ids[2]");
        assert_eq!(
            out[0].message,
            "duplicate id \"a\": x.ids[0] already uses it"
        );
    }
}
