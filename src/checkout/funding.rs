//! The funding decision: which of the customer's funding sources pays for a purchase, and
//! whether a person must approve it.
//!
//! The sources the user's community allows for the module are tried in the policy's order;
//! the first that can take the purchase decides:
//! - a **prepaid commitment** that covers the module, in its term, with enough left: drawn down;
//! - a **purchase order** that covers the module, still valid, with enough left: drawn down;
//! - a **department budget** of the user's department: auto-approved when the amount is at or
//!   under the auto-approve threshold, within the period's remaining budget, within the user's
//!   cap and the community's cap; otherwise an approval request to the budget's approver, with
//!   every reason;
//! - the user's **card**, for modules in its scope, up to its maximum per purchase.
//!
//! Spend to date is an input ([`Spend`]): the server reads it from its ledger inside the same
//! transaction that records the charge, so the decision and the draw-down agree.

use crate::collections::Map;
use crate::quoted::{joined, quoted};
use crate::ErrorKind;

use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};

use crate::calendar::{Date, Period};
use crate::error::Result;
use crate::manifest::{BudgetPeriod, Community, FundingSource, Manifests, User};
use crate::money::{add, sub, Money};

/// How a purchase is paid for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Route {
    /// Billed back to a department budget without a person.
    AutoApproved,
    /// Billed back to a department budget once its approver approves.
    NeedsApproval,
    /// Drawn down from a prepaid commitment.
    Prepaid,
    /// Charged against a purchase order.
    PurchaseOrder,
    /// Charged to the user's own card.
    Card,
    /// Nothing to pay: a free trial.
    Trial,
}

impl Route {
    /// Stable snake_case name.
    pub fn as_str(self) -> &'static str {
        match self {
            Route::AutoApproved => "auto_approved",
            Route::NeedsApproval => "needs_approval",
            Route::Prepaid => "prepaid",
            Route::PurchaseOrder => "purchase_order",
            Route::Card => "card",
            Route::Trial => "trial",
        }
    }
}

/// What has been spent so far, as the ledger knows it. Missing entries are zero.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Spend {
    /// Per funding source id: spent in the period that contains the purchase date
    /// (budgets), or drawn over the whole term (prepaid, purchase orders).
    #[serde(default)]
    pub by_source: Map<String, Decimal>,
    /// Per funding source id: spent by this user in the current period.
    #[serde(default)]
    pub by_user: Map<String, Decimal>,
    /// Spent by this user this month across all sources, in the contract currency
    /// (for the community's per-user cap).
    #[serde(default)]
    pub user_month_total: Decimal,
}

impl Spend {
    fn source(&self, id: &str) -> Decimal {
        self.by_source.get(id).copied().unwrap_or_default()
    }
    fn user(&self, id: &str) -> Decimal {
        self.by_user.get(id).copied().unwrap_or_default()
    }
}

/// The funding decision for one purchase, with its reasons in plain words.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Decision {
    /// The funding source's id.
    pub source: String,
    /// Its display name.
    pub name: String,
    /// How it is paid.
    pub route: Route,
    /// Who must approve, for [`Route::NeedsApproval`].
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub approver: Option<String>,
    /// Why approval is needed (each limit exceeded); empty otherwise.
    #[serde(default)]
    pub reasons: Vec<String>,
    /// One sentence for the user: "billed to Sales Ops budget, auto-approved".
    pub text: String,
}

/// The community of `user` that offers `module` (the first in policy order).
///
/// # Errors
/// [`ErrorKind::NotOffered`] when no community of the user offers the module.
pub fn community_offering<'a>(
    manifests: &'a Manifests,
    user: &'a User,
    module: &str,
) -> Result<&'a Community> {
    let mut communities = manifests
        .policy()
        .communities_of(&user.attributes)
        .peekable();
    if communities.peek().is_none() {
        return Err(ErrorKind::NotOffered {
            module: module.to_string(),
            reason: format!(
                "user {} belongs to no community of the policy",
                quoted(&user.id)
            ),
        }
        .into());
    }
    communities
        .find(|c| c.modules.iter().any(|m| m == module))
        .ok_or_else(|| {
            ErrorKind::NotOffered {
                module: module.to_string(),
                reason: format!("no community of user {} offers it", quoted(&user.id)),
            }
            .into()
        })
}

/// The budget period that contains `date`.
pub fn budget_period(period: BudgetPeriod, date: Date) -> Period {
    let start = match period {
        BudgetPeriod::Month => date.month_start(),
        BudgetPeriod::Quarter => {
            let (_, m, _) = date.ymd();
            date.month_start().plus_months(-(((m - 1) % 3) as i32))
        }
        BudgetPeriod::Year => {
            let (_, m, _) = date.ymd();
            date.month_start().plus_months(-((m - 1) as i32))
        }
    };
    let months = match period {
        BudgetPeriod::Month => 1,
        BudgetPeriod::Quarter => 3,
        BudgetPeriod::Year => 12,
    };
    Period {
        start,
        end: start.plus_months(months),
    }
}

/// Decides how `amount` for `module` is paid, for `user` on `date`, given `spend` to date.
///
/// # Errors
/// [`ErrorKind::NotOffered`] when the user's communities do not offer the module;
/// [`ErrorKind::NotFundable`] when no allowed source can take it (each source's reason listed);
/// [`ErrorKind::Overflow`] from the arithmetic.
pub fn decide(
    manifests: &Manifests,
    user: &User,
    module: &str,
    amount: Money,
    spend: &Spend,
    date: Date,
) -> Result<Decision> {
    let community = community_offering(manifests, user, module)?;
    let tags = &manifests.module(module)?.tags;
    let mut refusals = Vec::new();
    for id in community.funding_for(module) {
        let Some(source) = manifests.contract().funding_source(id) else {
            continue;
        };
        if source.currency() != amount.currency {
            refusals.push(format!(
                "{} is in {}, the purchase in {}",
                source.name(),
                source.currency(),
                amount.currency
            ));
            continue;
        }
        match try_source(source, community, user, module, tags, amount, spend, date)? {
            Ok(decision) => return Ok(decision),
            Err(why) => refusals.push(why),
        }
    }
    if refusals.is_empty() {
        refusals.push(format!(
            "the {} community allows no funding source for it",
            community.name
        ));
    }
    Err(ErrorKind::NotFundable {
        module: module.to_string(),
        reasons: refusals,
    }
    .into())
}

#[allow(clippy::too_many_arguments)]
fn try_source(
    source: &FundingSource,
    community: &Community,
    user: &User,
    module: &str,
    tags: &[String],
    amount: Money,
    spend: &Spend,
    date: Date,
) -> Result<std::result::Result<Decision, String>> {
    let name = source.name().to_string();
    let id = source.id().to_string();
    let a = amount.amount;
    let money = |x: Decimal| Money::new(x, amount.currency);
    Ok(match source {
        FundingSource::Prepaid {
            amount: total,
            term,
            modules,
            ..
        } => {
            let left = sub(*total, spend.source(&id))?;
            if !modules.iter().any(|m| m == module) {
                Err(format!("{name} does not cover this module"))
            } else if !term.contains(date) {
                Err(format!("{name} runs {} to {}", term.start, term.end))
            } else if add(spend.source(&id), a)? > *total {
                Err(format!(
                    "{name} has {} left, the purchase is {}",
                    money(left),
                    amount
                ))
            } else {
                Ok(Decision {
                    source: id,
                    route: Route::Prepaid,
                    approver: None,
                    reasons: vec![],
                    text: format!("drawn from the {name}"),
                    name,
                })
            }
        }
        FundingSource::PurchaseOrder {
            amount: total,
            modules,
            valid_until,
            number,
            ..
        } => {
            let left = sub(*total, spend.source(&id))?;
            if !modules.iter().any(|m| m == module) {
                Err(format!("{name} does not cover this module"))
            } else if valid_until.is_some_and(|v| date > v) {
                Err(format!("{name} expired"))
            } else if add(spend.source(&id), a)? > *total {
                Err(format!(
                    "{name} has {} left, the purchase is {}",
                    money(left),
                    amount
                ))
            } else {
                Ok(Decision {
                    source: id,
                    route: Route::PurchaseOrder,
                    approver: None,
                    reasons: vec![],
                    text: format!("charged to purchase order {number}"),
                    name,
                })
            }
        }
        FundingSource::Budget {
            department,
            limit,
            auto_approve_up_to,
            per_user_cap,
            approver,
            ..
        } => {
            if department != user.department() {
                return Ok(Err(format!(
                    "{name} belongs to the {department} department"
                )));
            }
            let mut reasons = Vec::new();
            if a > *auto_approve_up_to {
                reasons.push(format!(
                    "{} is above the {} auto-approve limit",
                    amount,
                    money(*auto_approve_up_to)
                ));
            }
            let spent = spend.source(&id);
            if add(spent, a)? > *limit {
                reasons.push(format!(
                    "{} would exceed the {} left in the {name} this period",
                    amount,
                    money(sub(*limit, spent)?.max(Decimal::ZERO))
                ));
            }
            if let Some(cap) = per_user_cap {
                let mine = spend.user(&id);
                if add(mine, a)? > *cap {
                    reasons.push(format!(
                        "it would take your spend this period to {}, above the {} per-user cap",
                        money(add(mine, a)?),
                        money(*cap)
                    ));
                }
            }
            if let Some(cap) = community.cap_per_user {
                if add(spend.user_month_total, a)? > cap {
                    reasons.push(format!(
                        "it would take your spend this month above the {} cap of {}",
                        money(cap),
                        community.name
                    ));
                }
            }
            if reasons.is_empty() {
                Ok(Decision {
                    source: id,
                    route: Route::AutoApproved,
                    approver: None,
                    reasons,
                    text: format!("billed to {name}, auto-approved"),
                    name,
                })
            } else {
                let text = format!("needs approval: {}", joined(&reasons, "; "));
                Ok(Decision {
                    source: id,
                    route: Route::NeedsApproval,
                    approver: Some(approver.clone()),
                    reasons,
                    text,
                    name,
                })
            }
        }
        FundingSource::Card {
            max_per_purchase,
            scope,
            ..
        } => {
            if !scope.covers(module, tags) {
                Err(format!("{name} may not pay for this module"))
            } else if a > *max_per_purchase {
                Err(format!(
                    "{} is above the {} card limit per purchase",
                    amount,
                    money(*max_per_purchase)
                ))
            } else {
                Ok(Decision {
                    source: id,
                    route: Route::Card,
                    approver: None,
                    reasons: vec![],
                    text: "paid with your card".to_string(),
                    name,
                })
            }
        }
    })
}
