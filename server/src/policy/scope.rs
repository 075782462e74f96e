//! Who may change what: a department admin changes only the communities and budgets of
//! their departments; the policy's customer-wide settings are not theirs to change.

use inflow::manifest::{Community, Contract, Policy};
use inflow::Problem;
use serde::{Deserialize, Serialize};
use serde_json::Value;

use super::AdminDocument;
use crate::auth::Claims;

/// One change, for the audit log.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Change {
    /// Where (`policy.communities[sales-reps]`, `budgets.sales-ops`).
    pub path: String,
    /// The value before (null when added).
    pub before: Value,
    /// The value after (null when removed).
    pub after: Value,
}

fn value<T: Serialize>(v: Option<&T>) -> Value {
    v.and_then(|v| serde_json::to_value(v).ok())
        .unwrap_or(Value::Null)
}

/// The changes from `old` to `new`, or every one the caller may not make, each at its path.
///
/// # Errors
/// The changes out of the caller's scope, as problems.
pub fn check(
    claims: &Claims,
    contract: &Contract,
    old: &AdminDocument,
    new: &AdminDocument,
) -> Result<Vec<Change>, Vec<Problem>> {
    let mut changes = Vec::new();
    let mut refused = Vec::new();
    wide(&old.policy, &new.policy, &mut refused);
    let mine = |d: &str| claims.administers(d);
    for (i, c) in new.policy.communities.iter().enumerate() {
        let before = old.policy.communities.iter().find(|o| o.id == c.id);
        if before == Some(c) {
            continue;
        }
        let path = format!("policy.communities[{i}]");
        let allowed = mine(&c.department) && before.is_none_or_dept(mine);
        if !allowed {
            let dept = before.map_or(c.department.as_str(), |b| b.department.as_str());
            refused.push(
                Problem::new(
                    path,
                    format!(
                        "community {:?} belongs to department {:?}, which you do not administer",
                        c.id,
                        if mine(dept) { &c.department } else { dept }
                    ),
                )
                .expected(format!(
                    "changes to the communities of {}",
                    claims.departments.join(", ")
                )),
            );
            continue;
        }
        changes.push(Change {
            path: format!("policy.communities[{}]", c.id),
            before: value(before),
            after: value(Some(c)),
        });
    }
    for o in &old.policy.communities {
        if new.policy.communities.iter().any(|c| c.id == o.id) {
            continue;
        }
        if !mine(&o.department) {
            refused.push(
                Problem::new(
                    "policy.communities",
                    format!(
                        "removes community {:?} of department {:?}, which you do not administer",
                        o.id, o.department
                    ),
                )
                .expected("every community of other departments kept as it is"),
            );
            continue;
        }
        changes.push(Change {
            path: format!("policy.communities[{}]", o.id),
            before: value(Some(o)),
            after: Value::Null,
        });
    }
    for (id, limits) in &new.budgets {
        let before = old.budgets.get(id);
        if before == Some(limits) {
            continue;
        }
        let department = contract.funding.iter().find_map(|f| match f {
            inflow::manifest::FundingSource::Budget {
                id: b, department, ..
            } if b == id => Some(department.as_str()),
            _ => None,
        });
        match department {
            Some(d) if mine(d) => changes.push(Change {
                path: format!("budgets.{id}"),
                before: value(before),
                after: value(Some(limits)),
            }),
            Some(d) => refused.push(
                Problem::new(
                    format!("budgets.{id}"),
                    format!(
                        "budget {id:?} belongs to department {d:?}, which you do not administer"
                    ),
                )
                .expected("changes to your departments' budgets"),
            ),
            // Not a budget: the validation reports it at its path.
            None => {}
        }
    }
    if refused.is_empty() {
        Ok(changes)
    } else {
        Err(refused)
    }
}

/// The customer-wide settings must stay as they are.
fn wide(old: &Policy, new: &Policy, refused: &mut Vec<Problem>) {
    let mut fields = Vec::new();
    if old.customer != new.customer {
        fields.push("customer");
    }
    if old.suggestion_cooldown_days != new.suggestion_cooldown_days {
        fields.push("suggestion_cooldown_days");
    }
    if old.max_new_suggestions_per_day != new.max_new_suggestions_per_day {
        fields.push("max_new_suggestions_per_day");
    }
    if old.admins != new.admins {
        fields.push("admins");
    }
    for f in fields {
        refused.push(
            Problem::new(
                format!("policy.{f}"),
                "is a customer-wide setting: a department admin cannot change it",
            )
            .expected("the value in force"),
        );
    }
}

trait BeforeDept {
    fn is_none_or_dept(&self, mine: impl Fn(&str) -> bool) -> bool;
}

impl BeforeDept for Option<&Community> {
    /// True when there was no community before, or the caller administered its department.
    fn is_none_or_dept(&self, mine: impl Fn(&str) -> bool) -> bool {
        self.map_or(true, |b| mine(&b.department))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::auth::Role;
    use crate::policy::budget_limits;

    fn setup() -> (Contract, AdminDocument) {
        let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../manifests");
        let (m, _, _) = crate::state::load_manifests(&dir).unwrap();
        let doc = AdminDocument {
            policy: m.policy().clone(),
            budgets: budget_limits(m.contract()),
        };
        (m.contract().clone(), doc)
    }

    fn admin(dept: &str) -> Claims {
        Claims {
            user: format!("u-{dept}-admin"),
            role: Role::Admin,
            departments: vec![dept.into()],
            exp: i64::MAX,
        }
    }

    #[test]
    fn marketing_cannot_touch_sales_but_may_change_its_own() {
        let (contract, old) = setup();
        let mut new = old.clone();
        new.policy.communities[0]
            .modules
            .retain(|m| m != "e-signature");
        new.budgets.get_mut("sales-ops").unwrap().auto_approve_up_to = "200".parse().unwrap();
        let err = check(&admin("marketing"), &contract, &old, &new).unwrap_err();
        let paths: Vec<&str> = err.iter().map(|p| p.path.as_str()).collect();
        assert_eq!(paths, ["policy.communities[0]", "budgets.sales-ops"]);
        let ok = check(&admin("sales"), &contract, &old, &new).unwrap();
        assert_eq!(ok.len(), 2);

        let mut mine = old.clone();
        mine.policy.communities[2].trials = false;
        assert_eq!(
            check(&admin("marketing"), &contract, &old, &mine)
                .unwrap()
                .len(),
            1
        );
    }

    #[test]
    fn removing_another_departments_community_or_a_wide_setting_is_refused() {
        let (contract, old) = setup();
        let mut new = old.clone();
        new.policy.communities.remove(0);
        new.policy.suggestion_cooldown_days = 1;
        let err = check(&admin("marketing"), &contract, &old, &new).unwrap_err();
        let paths: Vec<&str> = err.iter().map(|p| p.path.as_str()).collect();
        assert_eq!(
            paths,
            ["policy.suggestion_cooldown_days", "policy.communities"]
        );
    }
}
