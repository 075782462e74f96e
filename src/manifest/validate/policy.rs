//! Rules for a policy, alone and against the catalog and the contract.

use crate::error::Problem;
use crate::manifest::{Catalog, Community, Contract, Policy};
use crate::quoted::{joined, quoted};

use super::{known_module, non_negative, not_empty, predicate, unique};

/// Checks a policy; the rules that need a catalog or a contract run only when given.
pub(super) fn check(
    out: &mut Vec<Problem>,
    catalog: Option<&Catalog>,
    contract: Option<&Contract>,
    policy: &Policy,
) {
    not_empty(out, "policy.version", &policy.version);
    not_empty(out, "policy.customer", &policy.customer);
    if let Some(k) = contract {
        if policy.customer != k.customer.id {
            out.push(
                Problem::new(
                    "policy.customer",
                    format!(
                        "must be the contract's customer {}, got {}",
                        quoted(&k.customer.id),
                        quoted(&policy.customer)
                    ),
                )
                .expected(quoted(&k.customer.id).to_string()),
            );
        }
    }
    unique(
        out,
        "policy.admins",
        "user",
        "admin user",
        policy.admins.iter().map(|a| a.user.as_str()),
    );
    for (i, a) in policy.admins.iter().enumerate() {
        let path = format!("policy.admins[{i}]");
        not_empty(out, format!("{path}.user"), &a.user);
        if a.departments.is_empty() {
            out.push(
                Problem::new(
                    format!("{path}.departments"),
                    "an admin must administer at least one department",
                )
                .expected("a list of department names"),
            );
        }
        for (j, d) in a.departments.iter().enumerate() {
            not_empty(out, format!("{path}.departments[{j}]"), d);
        }
    }
    unique(
        out,
        "policy.communities",
        "id",
        "community id",
        policy.communities.iter().map(|c| c.id.as_str()),
    );
    for (i, c) in policy.communities.iter().enumerate() {
        community(
            out,
            catalog,
            contract,
            &format!("policy.communities[{i}]"),
            c,
        );
    }
}

fn community(
    out: &mut Vec<Problem>,
    catalog: Option<&Catalog>,
    contract: Option<&Contract>,
    path: &str,
    c: &Community,
) {
    not_empty(out, format!("{path}.id"), &c.id);
    not_empty(out, format!("{path}.name"), &c.name);
    not_empty(out, format!("{path}.department"), &c.department);
    predicate(out, format!("{path}.members"), &c.members);
    for (j, m) in c.modules.iter().enumerate() {
        known_module(out, catalog, format!("{path}.modules[{j}]"), m);
    }
    for (j, f) in c.funding.iter().enumerate() {
        funding_id(out, contract, format!("{path}.funding[{j}]"), f);
    }
    for (module, ids) in &c.funding_by_module {
        let mp = format!("{path}.funding_by_module.{module}");
        if !c.modules.contains(module) {
            out.push(
                Problem::new(
                    mp.clone(),
                    format!("{} is not one of this community's modules", quoted(module)),
                )
                .expected(format!("one of {path}.modules")),
            );
        }
        for (j, f) in ids.iter().enumerate() {
            funding_id(out, contract, format!("{mp}[{j}]"), f);
        }
    }
    if let Some(cap) = c.cap_per_user {
        non_negative(out, format!("{path}.cap_per_user"), cap);
    }
}

fn funding_id(out: &mut Vec<Problem>, contract: Option<&Contract>, path: String, id: &str) {
    if let Some(k) = contract {
        if k.funding_source(id).is_none() {
            let ids: Vec<&str> = k.funding.iter().map(|f| f.id()).collect();
            out.push(
                Problem::new(
                    path,
                    format!(
                        "unknown funding source {}: the contract has no such source",
                        quoted(id)
                    ),
                )
                .expected(format!(
                    "one of the contract's funding ids ({})",
                    joined(&ids, ", ")
                )),
            );
        }
    }
}

#[cfg(test)]
mod tests {
    use super::super::fixture::{self, paths};
    use super::*;
    use crate::manifest::Predicate;
    use rust_decimal::Decimal;

    fn run(p: &Policy) -> Vec<Problem> {
        let (c, k) = (fixture::catalog(), fixture::contract());
        let mut out = Vec::new();
        check(&mut out, Some(&c), Some(&k), p);
        out
    }

    #[test]
    fn customer_admins_and_duplicate_communities() {
        let mut p = fixture::policy();
        p.customer = "acme".into();
        p.admins[0].departments.clear();
        p.communities.push(p.communities[0].clone());
        p.communities[1].cap_per_user = Some(Decimal::from(-10));
        let out = run(&p);
        assert_eq!(
            paths(&out),
            [
                "policy.customer",
                "policy.admins[0].departments",
                "policy.communities[1].id",
                "policy.communities[1].cap_per_user",
            ]
        );
        assert_eq!(
            out[0].message,
            "must be the contract's customer \"halvorsen\", got \"acme\""
        );
    }

    #[test]
    fn unknown_modules_and_funding() {
        let mut p = fixture::policy();
        p.communities[0].modules.push("ghost".into());
        p.communities[0].funding.push("wallet".into());
        p.communities[0]
            .funding_by_module
            .insert("templates".into(), vec!["po".into(), "nope".into()]);
        let out = run(&p);
        assert_eq!(
            paths(&out),
            [
                "policy.communities[0].modules[3]",
                "policy.communities[0].funding[1]",
                "policy.communities[0].funding_by_module.templates",
                "policy.communities[0].funding_by_module.templates[1]",
            ]
        );
    }

    #[test]
    fn deep_predicates_are_refused() {
        let mut p = fixture::policy();
        let mut deep = Predicate::Everyone;
        for _ in 0..40 {
            deep = Predicate::Not(Box::new(deep));
        }
        p.communities[0].members = deep;
        let out = run(&p);
        assert_eq!(paths(&out), ["policy.communities[0].members"]);
        assert_eq!(
            out[0].message,
            "nests 41 levels deep, more than the 32 allowed"
        );
    }
}
