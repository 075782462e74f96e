//! Rules for a contract, alone and against the catalog it buys from.

use crate::calendar::Period;
use crate::error::Problem;
use crate::manifest::{
    Catalog, Contract, Discount, DiscountAmount, FundingSource, PriceOverride, Scope,
};
use crate::quoted::{joined, quoted};

use super::{
    known_module, non_negative, not_empty, percent, predicate, price, priced_currency, unique,
};

/// Checks a contract; the rules that need a catalog run only when one is given.
pub(super) fn check(out: &mut Vec<Problem>, catalog: Option<&Catalog>, contract: &Contract) {
    not_empty(out, "contract.version", &contract.version);
    not_empty(out, "contract.customer.id", &contract.customer.id);
    not_empty(out, "contract.customer.name", &contract.customer.name);
    term(out, "contract.term", &contract.term);
    priced_currency(out, catalog, "contract.currency".into(), contract.currency);
    unique(
        out,
        "contract.entities",
        "id",
        "entity id",
        contract.entities.iter().map(|e| e.id.as_str()),
    );
    for (i, e) in contract.entities.iter().enumerate() {
        let path = format!("contract.entities[{i}]");
        not_empty(out, format!("{path}.id"), &e.id);
        not_empty(out, format!("{path}.name"), &e.name);
        priced_currency(out, catalog, format!("{path}.currency"), e.currency);
        predicate(out, format!("{path}.members"), &e.members);
    }
    for (i, o) in contract.overrides.iter().enumerate() {
        price_override(out, catalog, contract, i, o);
    }
    unique(
        out,
        "contract.discounts",
        "id",
        "discount id",
        contract.discounts.iter().map(|d| d.id.as_str()),
    );
    for (i, d) in contract.discounts.iter().enumerate() {
        discount(out, catalog, &format!("contract.discounts[{i}]"), d);
    }
    unique(
        out,
        "contract.funding",
        "id",
        "funding source id",
        contract.funding.iter().map(FundingSource::id),
    );
    for (i, f) in contract.funding.iter().enumerate() {
        funding(out, catalog, &format!("contract.funding[{i}]"), f);
    }
    not_empty(
        out,
        "contract.account_team.land_owner",
        &contract.account_team.land_owner,
    );
    not_empty(
        out,
        "contract.account_team.expand_owner",
        &contract.account_team.expand_owner,
    );
}

fn term(out: &mut Vec<Problem>, path: &str, term: &Period) {
    if term.end <= term.start {
        out.push(
            Problem::new(
                format!("{path}.end"),
                format!("must be after the start {}, got {}", term.start, term.end),
            )
            .expected(format!("a day after {}", term.start)),
        );
    }
}

fn price_override(
    out: &mut Vec<Problem>,
    catalog: Option<&Catalog>,
    contract: &Contract,
    i: usize,
    o: &PriceOverride,
) {
    let path = format!("contract.overrides[{i}]");
    let earlier = contract
        .overrides
        .iter()
        .take(i)
        .position(|e| e.module == o.module && e.plan == o.plan && e.currency == o.currency);
    if let Some(first) = earlier {
        out.push(
            Problem::new(
                path.clone(),
                format!(
                    "overrides {} plan {} in {} again: contract.overrides[{first}] already does",
                    o.module,
                    quoted(&o.plan),
                    o.currency
                ),
            )
            .expected("one override per module, plan and currency"),
        );
    }
    known_module(out, catalog, format!("{path}.module"), &o.module);
    if let Some(m) = catalog.and_then(|c| c.module(&o.module)) {
        if m.plan(&o.plan).is_none() {
            let plans: Vec<&str> = m.plans.iter().map(|p| p.id.as_str()).collect();
            out.push(
                Problem::new(
                    format!("{path}.plan"),
                    format!(
                        "module {} has no plan {}",
                        quoted(&o.module),
                        quoted(&o.plan)
                    ),
                )
                .expected(format!("one of its plans ({})", joined(&plans, ", "))),
            );
        }
    }
    priced_currency(out, catalog, format!("{path}.currency"), o.currency);
    price::check(out, &format!("{path}.price"), &o.price);
}

fn discount(out: &mut Vec<Problem>, catalog: Option<&Catalog>, path: &str, d: &Discount) {
    not_empty(out, format!("{path}.id"), &d.id);
    match &d.off {
        DiscountAmount::Percent(p) => percent(out, format!("{path}.off.percent"), *p),
        DiscountAmount::Amount { amount, currency } => {
            non_negative(out, format!("{path}.off.amount.amount"), *amount);
            priced_currency(
                out,
                catalog,
                format!("{path}.off.amount.currency"),
                *currency,
            );
        }
    }
    scope(out, catalog, &format!("{path}.scope"), &d.scope);
    if let Some(ends) = d.ends {
        if ends <= d.starts {
            out.push(
                Problem::new(
                    format!("{path}.ends"),
                    format!("must be after starts {}, got {ends}", d.starts),
                )
                .expected(format!("a day after {}, or no end", d.starts)),
            );
        }
    }
}

fn scope(out: &mut Vec<Problem>, catalog: Option<&Catalog>, path: &str, s: &Scope) {
    for (j, m) in s.modules.iter().enumerate() {
        known_module(out, catalog, format!("{path}.modules[{j}]"), m);
    }
}

fn modules(out: &mut Vec<Problem>, catalog: Option<&Catalog>, path: &str, ids: &[String]) {
    for (j, m) in ids.iter().enumerate() {
        known_module(out, catalog, format!("{path}.modules[{j}]"), m);
    }
}

fn funding(out: &mut Vec<Problem>, catalog: Option<&Catalog>, path: &str, f: &FundingSource) {
    not_empty(out, format!("{path}.id"), f.id());
    not_empty(out, format!("{path}.name"), f.name());
    priced_currency(out, catalog, format!("{path}.currency"), f.currency());
    match f {
        FundingSource::Budget {
            department,
            limit,
            auto_approve_up_to,
            per_user_cap,
            approver,
            ..
        } => {
            not_empty(out, format!("{path}.department"), department);
            not_empty(out, format!("{path}.approver"), approver);
            non_negative(out, format!("{path}.limit"), *limit);
            non_negative(
                out,
                format!("{path}.auto_approve_up_to"),
                *auto_approve_up_to,
            );
            let thresholds = [
                ("auto_approve_up_to", Some(*auto_approve_up_to)),
                ("per_user_cap", *per_user_cap),
            ];
            for (field, value) in thresholds {
                let Some(v) = value else { continue };
                if field == "per_user_cap" {
                    non_negative(out, format!("{path}.{field}"), v);
                }
                if v > *limit {
                    out.push(
                        Problem::new(
                            format!("{path}.{field}"),
                            format!("must not be above the budget's limit ({limit}), got {v}"),
                        )
                        .expected(format!("at most {limit}")),
                    );
                }
            }
        }
        FundingSource::Prepaid {
            amount,
            term: t,
            modules: ids,
            ..
        } => {
            non_negative(out, format!("{path}.amount"), *amount);
            term(out, &format!("{path}.term"), t);
            modules(out, catalog, path, ids);
        }
        FundingSource::PurchaseOrder {
            number,
            amount,
            modules: ids,
            ..
        } => {
            not_empty(out, format!("{path}.number"), number);
            non_negative(out, format!("{path}.amount"), *amount);
            modules(out, catalog, path, ids);
        }
        FundingSource::Card {
            max_per_purchase,
            scope: s,
            ..
        } => {
            non_negative(out, format!("{path}.max_per_purchase"), *max_per_purchase);
            scope(out, catalog, &format!("{path}.scope"), s);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::super::fixture::{self, paths};
    use super::*;
    use crate::calendar::Date;
    use crate::money::Currency;
    use rust_decimal::Decimal;

    fn run(catalog: Option<&Catalog>, k: &Contract) -> Vec<Problem> {
        let mut out = Vec::new();
        check(&mut out, catalog, k);
        out
    }

    #[test]
    fn terms_and_discount_dates() {
        let mut k = fixture::contract();
        k.term.end = k.term.start;
        k.discounts[0].ends = Some(Date::parse("2025-12-31").unwrap());
        k.discounts.push(k.discounts[0].clone());
        k.discounts[1].ends = None;
        k.discounts[1].off = DiscountAmount::Percent(Decimal::from(-5));
        let out = run(None, &k);
        assert_eq!(
            paths(&out),
            [
                "contract.term.end",
                "contract.discounts[1].id",
                "contract.discounts[0].ends",
                "contract.discounts[1].off.percent",
            ]
        );
        assert_eq!(
            out[0].message,
            "must be after the start 2026-01-01, got 2026-01-01"
        );
    }

    #[test]
    fn a_threshold_above_its_budget() {
        let mut k = fixture::contract();
        if let FundingSource::Budget {
            auto_approve_up_to,
            per_user_cap,
            ..
        } = &mut k.funding[0]
        {
            *auto_approve_up_to = Decimal::from(5000);
            *per_user_cap = Some(Decimal::from(-1));
        }
        let out = run(None, &k);
        assert_eq!(
            paths(&out),
            [
                "contract.funding[0].auto_approve_up_to",
                "contract.funding[0].per_user_cap"
            ]
        );
        assert_eq!(
            out[0].message,
            "must not be above the budget's limit (3000), got 5000"
        );
    }

    #[test]
    fn unknown_modules_plans_and_currencies_against_the_catalog() {
        let c = fixture::catalog();
        let mut k = fixture::contract();
        k.overrides[0].plan = "yearly".into();
        k.overrides.push(k.overrides[0].clone());
        k.overrides[1].module = "ghost".into();
        k.overrides[1].currency = Currency::try_new("JPY").unwrap();
        k.discounts[0].scope.modules.push("ghost".into());
        if let FundingSource::Prepaid { modules, .. } = &mut k.funding[1] {
            modules.push("nope".into());
        }
        if let FundingSource::Card { currency, .. } = &mut k.funding[3] {
            *currency = Currency::try_new("GBP").unwrap();
        }
        let out = run(Some(&c), &k);
        assert_eq!(
            paths(&out),
            [
                "contract.overrides[0].plan",
                "contract.overrides[1].module",
                "contract.overrides[1].currency",
                "contract.discounts[0].scope.modules[0]",
                "contract.funding[1].modules[1]",
                "contract.funding[3].currency",
            ]
        );
        assert_eq!(out[0].message, "module \"reports\" has no plan \"yearly\"");
        assert_eq!(
            out[5].message,
            "GBP is not a currency the catalog prices in"
        );
        // without a catalog, only what the contract says alone is checked
        assert_eq!(run(None, &k), vec![]);
    }

    #[test]
    fn negative_amounts_and_duplicate_funding() {
        let mut k = fixture::contract();
        k.funding.push(k.funding[2].clone());
        if let FundingSource::PurchaseOrder { amount, .. } = &mut k.funding[2] {
            *amount = Decimal::from(-1500);
        }
        if let FundingSource::Card {
            max_per_purchase, ..
        } = &mut k.funding[3]
        {
            *max_per_purchase = Decimal::from(-1);
        }
        k.overrides[0].price.minimum = Some(Decimal::from(-2));
        let out = run(None, &k);
        assert_eq!(
            paths(&out),
            [
                "contract.overrides[0].price.minimum",
                "contract.funding[4].id",
                "contract.funding[2].amount",
                "contract.funding[3].max_per_purchase",
            ]
        );
    }

    #[test]
    fn entities_amount_discounts_prepaid_terms_and_repeated_overrides() {
        let c = fixture::catalog();
        let mut k = fixture::contract();
        k.entities[0].currency = Currency::try_new("CHF").unwrap();
        k.overrides.push(k.overrides[0].clone());
        k.discounts[0].off = DiscountAmount::Amount {
            amount: Decimal::from(-5),
            currency: Currency::USD,
        };
        if let FundingSource::Prepaid { term, .. } = &mut k.funding[1] {
            term.end = Date::parse("2025-01-01").unwrap();
        }
        if let FundingSource::PurchaseOrder { number, .. } = &mut k.funding[2] {
            number.clear();
        }
        let out = run(Some(&c), &k);
        assert_eq!(
            paths(&out),
            [
                "contract.entities[0].currency",
                "contract.overrides[1]",
                "contract.discounts[0].off.amount.amount",
                "contract.funding[1].term.end",
                "contract.funding[2].number",
            ]
        );
    }
}
