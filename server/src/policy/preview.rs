//! What one user would be offered under the policy in force, module by module, and why:
//! the community that offers it, the price and the funding the core would decide, or the
//! reason it is not offered.

use inflow::checkout::{prepare, ChargeKind, Context, Intent, ManifestRefs, Spend};
use inflow::entitlement::dependencies::owned_modules;
use inflow::entitlement::Grant;
use inflow::manifest::{Manifests, User};
use inflow::Instant;
use serde::Serialize;

/// One module as the user would see it.
#[derive(Debug, Clone, Serialize)]
pub struct Row {
    /// The module.
    pub module: String,
    /// Its name.
    pub name: String,
    /// `offered`, `owned`, `not_offered` or `blocked`.
    pub status: &'static str,
    /// The community that offers it.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub community: Option<String>,
    /// The price for one unit, with the currency.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub price: Option<String>,
    /// The funding decision in words ("billed to Sales Ops budget, auto-approved").
    #[serde(skip_serializing_if = "Option::is_none")]
    pub funding: Option<String>,
    /// The funding route (`auto_approved`, `needs_approval`, …).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub route: Option<&'static str>,
    /// Why, in plain words.
    pub why: String,
}

/// Every module of the catalog for `user`.
pub fn preview(
    m: &Manifests,
    refs: &ManifestRefs,
    user: &User,
    grants: &[Grant],
    spend: &Spend,
    now: Instant,
) -> Vec<Row> {
    let owned = owned_modules(m.catalog(), grants, user, now.date());
    let communities: Vec<_> = m.policy().communities_of(&user.attributes).collect();
    let ctx = Context {
        manifests: m,
        user,
        grants,
        spend,
        refs,
        now,
    };
    m.catalog()
        .modules
        .iter()
        .map(|module| {
            let offering = communities
                .iter()
                .find(|c| c.modules.iter().any(|x| x == &module.id));
            let mut row = Row {
                module: module.id.clone(),
                name: module.name.clone(),
                status: "not_offered",
                community: offering.map(|c| c.name.clone()),
                price: None,
                funding: None,
                route: None,
                why: String::new(),
            };
            if owned.contains(&module.id) {
                row.status = "owned";
                row.why = "already theirs: suggestions help them use it".into();
                return row;
            }
            let Some(c) = offering else {
                row.why = if communities.is_empty() {
                    "they belong to no community".into()
                } else {
                    let names: Vec<&str> = communities.iter().map(|c| c.name.as_str()).collect();
                    format!("not offered to {}", names.join(", "))
                };
                return row;
            };
            let intent = Intent {
                id: "admin-preview".into(),
                module: module.id.clone(),
                plan: None,
                quantity: None,
                kind: ChargeKind::Purchase,
                offer: None,
                surface: None,
            };
            match prepare(&ctx, &intent) {
                Ok(record) => {
                    row.status = "offered";
                    row.price = Some(format!("{} {}", record.total, record.currency));
                    row.route = Some(record.funding.route.as_str());
                    row.why = format!("offered by community {}", c.name);
                    row.funding = Some(record.funding.text);
                }
                Err(e) => {
                    row.status = "blocked";
                    row.why = format!("offered by {}, but {e}", c.name);
                }
            }
            row
        })
        .collect()
}
