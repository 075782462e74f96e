//! Small valid manifests that the validation tests break one fault at a time.
//!
//! Catalog modules, by index: 0 `forecasting`, 1 `reports`, 2 `scheduler` (requires
//! `reports`), 3 `insights` (usage, graduated), 4 `ai-email` (excludes `templates`),
//! 5 `templates`, 6 `pack` (a bundle of `forecasting` and `reports`).
//! Contract funding, by index: 0 budget `sales-ops`, 1 `prepaid`, 2 `po`, 3 `card`.

use serde_json::json;

use crate::manifest::{Catalog, Contract, Directory, Policy};

fn seat_plan(usd: &str, eur: &str) -> serde_json::Value {
    json!({
        "id": "monthly", "period": "month", "charge": "seats", "unit": "user",
        "prices": {
            "USD": { "model": { "type": "per_unit", "unit_price": usd } },
            "EUR": { "model": { "type": "per_unit", "unit_price": eur } }
        }
    })
}

pub(super) fn catalog() -> Catalog {
    let tiers = json!({ "model": { "type": "graduated", "tiers": [
        { "up_to": "1000", "unit_price": "0.05" },
        { "up_to": "10000", "unit_price": "0.03" },
        { "unit_price": "0.02" }
    ] } });
    let value = json!({
        "version": "1",
        "supplier": { "id": "larkspur", "name": "Larkspur Analytics" },
        "currencies": ["USD", "EUR"],
        "features": [
            { "id": "reports.export", "name": "Exports", "kind": "limit", "unit": "export", "reset": "month" },
            { "id": "forecast", "name": "Forecasting", "kind": "switch" },
            { "id": "retention", "name": "Retention", "kind": "value" },
            { "id": "call-minutes", "name": "Call minutes", "kind": "limit", "reset": "billing_period" }
        ],
        "base": [ { "feature": "reports.export", "limit": { "up_to": "50" } } ],
        "modules": [
            { "id": "forecasting", "name": "Pipeline Forecasting", "tags": ["per-seat"],
              "features": [ { "feature": "forecast" } ], "plans": [ seat_plan("25.00", "23.00") ] },
            { "id": "reports", "name": "Advanced Reports", "tags": ["per-seat"],
              "features": [ { "feature": "reports.export", "limit": "unlimited" },
                            { "feature": "retention", "value": "1 year" } ],
              "plans": [ seat_plan("12.00", "11.00") ] },
            { "id": "scheduler", "name": "Report Scheduler", "requires": ["reports"],
              "plans": [ { "id": "monthly", "period": "month", "charge": "fixed", "unit": "department",
                           "prices": { "USD": { "model": { "type": "flat", "amount": "40.00" } },
                                       "EUR": { "model": { "type": "flat", "amount": "37.00" } } } } ] },
            { "id": "insights", "name": "Conversation Insights",
              "plans": [ { "id": "metered", "period": "month", "charge": "usage", "unit": "call-minute",
                           "metric": "call-minutes", "prices": { "USD": tiers, "EUR": tiers } } ] },
            { "id": "ai-email", "name": "AI Email Assistant", "excludes": ["templates"],
              "plans": [ seat_plan("18.00", "17.00") ] },
            { "id": "templates", "name": "Basic Templates", "plans": [ seat_plan("4.00", "4.00") ] },
            { "id": "pack", "name": "Sales Productivity Pack", "includes": ["forecasting", "reports"],
              "bundle_discount_percent": "15" }
        ]
    });
    serde_json::from_value(value).expect("the catalog fixture parses")
}

pub(super) fn contract() -> Contract {
    let value = json!({
        "version": "1",
        "customer": { "id": "halvorsen", "name": "Halvorsen Manufacturing" },
        "term": { "start": "2026-01-01", "end": "2027-01-01" },
        "currency": "USD",
        "entities": [ { "id": "de", "name": "Halvorsen GmbH", "currency": "EUR",
                        "members": { "eq": { "attribute": "region", "value": "DE" } } } ],
        "overrides": [ { "module": "reports", "plan": "monthly", "currency": "USD",
                         "price": { "model": { "type": "per_unit", "unit_price": "10.00" } } } ],
        "discounts": [ { "id": "seat10", "description": "Contract discount", "off": { "percent": "10" },
                         "scope": { "tags": ["per-seat"] }, "starts": "2026-01-01", "ends": "2027-01-01" } ],
        "funding": [
            { "type": "budget", "id": "sales-ops", "name": "Sales Ops budget", "department": "Sales",
              "currency": "USD", "limit": "3000", "period": "month", "auto_approve_up_to": "150",
              "per_user_cap": "300", "approver": "u-admin" },
            { "type": "prepaid", "id": "prepaid", "name": "Prepaid commitment", "currency": "USD",
              "amount": "60000", "term": { "start": "2026-01-01", "end": "2027-01-01" },
              "modules": ["insights"] },
            { "type": "purchase_order", "id": "po", "name": "Sandbox PO", "number": "PO-4500012345",
              "currency": "USD", "amount": "1500", "modules": ["scheduler"] },
            { "type": "card", "id": "card", "name": "Card", "currency": "USD",
              "max_per_purchase": "100", "scope": { "modules": ["ai-email"] } }
        ],
        "account_team": { "land_owner": "ae-114", "expand_owner": "csm-207" }
    });
    serde_json::from_value(value).expect("the contract fixture parses")
}

pub(super) fn policy() -> Policy {
    let value = json!({
        "version": "1",
        "customer": "halvorsen",
        "admins": [ { "user": "u-admin", "departments": ["Sales"] } ],
        "communities": [
            { "id": "reps", "name": "Sales reps", "department": "Sales",
              "members": { "all": [ { "eq": { "attribute": "department", "value": "Sales" } },
                                    { "eq": { "attribute": "role", "value": "rep" } } ] },
              "modules": ["forecasting", "reports", "ai-email"],
              "funding": ["sales-ops"],
              "funding_by_module": { "ai-email": ["card"] },
              "cap_per_user": "300" }
        ]
    });
    serde_json::from_value(value).expect("the policy fixture parses")
}

pub(super) fn directory() -> Directory {
    let value = json!({
        "version": "1",
        "customer": "halvorsen",
        "users": [ { "id": "u1", "name": "Ada", "attributes": { "department": "Sales", "role": "rep" } },
                   { "id": "u2", "name": "Bo" } ]
    });
    serde_json::from_value(value).expect("the directory fixture parses")
}

/// The paths of `problems`, in order.
pub(super) fn paths(problems: &[crate::error::Problem]) -> Vec<&str> {
    problems.iter().map(|p| p.path.as_str()).collect()
}
