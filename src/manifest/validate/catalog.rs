//! Rules for the catalog alone: ids, features and grants, modules, plans and prices.
//! The rules between modules (requires, excludes, includes) are in `graph`.

use crate::error::Problem;
use crate::manifest::{Catalog, Charge, FeatureGrant, FeatureKind, Module, Quota};
use crate::quoted::{joined, quoted};

use super::{graph, non_negative, not_empty, percent, price, unique};

/// Checks a catalog on its own.
pub(super) fn check(out: &mut Vec<Problem>, catalog: &Catalog) {
    not_empty(out, "catalog.version", &catalog.version);
    not_empty(out, "catalog.supplier.id", &catalog.supplier.id);
    not_empty(out, "catalog.supplier.name", &catalog.supplier.name);
    if catalog.currencies.is_empty() {
        out.push(
            Problem::new("catalog.currencies", "must name at least one currency")
                .expected("the ISO 4217 codes every plan is priced in, such as [\"USD\"]"),
        );
    }
    unique(
        out,
        "catalog.currencies",
        "",
        "currency",
        catalog.currencies.iter().map(|c| c.code()),
    );
    features(out, catalog);
    for (i, g) in catalog.base.iter().enumerate() {
        grant(out, catalog, &format!("catalog.base[{i}]"), g);
    }
    unique(
        out,
        "catalog.modules",
        "id",
        "module id",
        catalog.modules.iter().map(|m| m.id.as_str()),
    );
    for (i, m) in catalog.modules.iter().enumerate() {
        module(out, catalog, &format!("catalog.modules[{i}]"), m);
    }
    graph::check(out, catalog);
}

fn features(out: &mut Vec<Problem>, catalog: &Catalog) {
    unique(
        out,
        "catalog.features",
        "id",
        "feature id",
        catalog.features.iter().map(|f| f.id.as_str()),
    );
    for (i, f) in catalog.features.iter().enumerate() {
        let path = format!("catalog.features[{i}]");
        not_empty(out, format!("{path}.id"), &f.id);
        not_empty(out, format!("{path}.name"), &f.name);
        match (f.kind, f.reset) {
            (FeatureKind::Limit, None) => out.push(
                Problem::new(
                    format!("{path}.reset"),
                    "a limit feature must say when it resets",
                )
                .expected("one of day, week, month, billing_period, never"),
            ),
            (FeatureKind::Switch | FeatureKind::Value, Some(_)) => out.push(
                Problem::new(
                    format!("{path}.reset"),
                    "only limit features reset, this one is not a limit",
                )
                .expected("no reset, or kind \"limit\""),
            ),
            _ => {}
        }
    }
}

/// Checks a grant: its feature exists and its shape fits the feature's kind.
fn grant(out: &mut Vec<Problem>, catalog: &Catalog, path: &str, g: &FeatureGrant) {
    let Some(feature) = catalog.feature(&g.feature) else {
        out.push(
            Problem::new(
                format!("{path}.feature"),
                format!(
                    "unknown feature {}: the catalog has no such feature",
                    quoted(&g.feature)
                ),
            )
            .expected("the id of a feature in catalog.features"),
        );
        return;
    };
    if let Some(Quota::UpTo(n)) = g.limit {
        non_negative(out, format!("{path}.limit.up_to"), n);
    }
    let id = &g.feature;
    match feature.kind {
        FeatureKind::Limit => {
            if g.limit.is_none() {
                out.push(
                    Problem::new(
                        format!("{path}.limit"),
                        format!(
                            "{} is a limit feature, so its grant needs a limit",
                            quoted(id)
                        ),
                    )
                    .expected("\"unlimited\" or {\"up_to\": \"50\"}"),
                );
            }
            if g.value.is_some() {
                out.push(no_field(path, "value", id, "a limit"));
            }
        }
        FeatureKind::Value => {
            if g.value.is_none() {
                out.push(
                    Problem::new(
                        format!("{path}.value"),
                        format!(
                            "{} is a value feature, so its grant needs a value",
                            quoted(id)
                        ),
                    )
                    .expected("a value such as \"90 days\""),
                );
            }
            if g.limit.is_some() {
                out.push(no_field(path, "limit", id, "a value"));
            }
        }
        FeatureKind::Switch => {
            if g.limit.is_some() {
                out.push(no_field(path, "limit", id, "a switch"));
            }
            if g.value.is_some() {
                out.push(no_field(path, "value", id, "a switch"));
            }
        }
    }
}

fn no_field(path: &str, field: &str, id: &str, kind: &str) -> Problem {
    Problem::new(
        format!("{path}.{field}"),
        format!(
            "{} is {kind} feature, so its grant takes no {field}",
            quoted(id)
        ),
    )
    .expected(format!("no {field}"))
}

fn module(out: &mut Vec<Problem>, catalog: &Catalog, path: &str, m: &Module) {
    not_empty(out, format!("{path}.id"), &m.id);
    not_empty(out, format!("{path}.name"), &m.name);
    for (i, g) in m.features.iter().enumerate() {
        grant(out, catalog, &format!("{path}.features[{i}]"), g);
    }
    match (&m.bundle_discount_percent, m.is_bundle()) {
        (Some(_), false) => out.push(
            Problem::new(
                format!("{path}.bundle_discount_percent"),
                "only a bundle takes a bundle discount, and this module includes nothing",
            )
            .expected("no bundle_discount_percent, or a list of modules in includes"),
        ),
        (Some(p), true) => percent(out, format!("{path}.bundle_discount_percent"), *p),
        (None, _) => {}
    }
    if m.plans.is_empty() && !m.is_bundle() {
        out.push(
            Problem::new(
                format!("{path}.plans"),
                "has no price plan, and only a bundle may go without one",
            )
            .expected("at least one plan, or a list of modules in includes"),
        );
    }
    unique(
        out,
        &format!("{path}.plans"),
        "id",
        "plan id",
        m.plans.iter().map(|p| p.id.as_str()),
    );
    for (i, plan) in m.plans.iter().enumerate() {
        let pp = format!("{path}.plans[{i}]");
        not_empty(out, format!("{pp}.id"), &plan.id);
        match (&plan.metric, plan.charge) {
            (None, Charge::Usage) => out.push(
                Problem::new(
                    format!("{pp}.metric"),
                    "a usage plan must name the metric it bills",
                )
                .expected("the id of a feature in catalog.features"),
            ),
            (Some(metric), _) if catalog.feature(metric).is_none() => out.push(
                Problem::new(
                    format!("{pp}.metric"),
                    format!(
                        "unknown feature {}: the catalog has no such feature",
                        quoted(metric)
                    ),
                )
                .expected("the id of a feature in catalog.features"),
            ),
            _ => {}
        }
        for c in &catalog.currencies {
            if !plan.prices.contains_key(c) {
                out.push(
                    Problem::new(format!("{pp}.prices"), format!("has no price in {c}")).expected(
                        format!(
                            "a price in every currency of catalog.currencies ({})",
                            joined(&catalog.currencies, ", ")
                        ),
                    ),
                );
            }
        }
        for (currency, p) in &plan.prices {
            let cp = format!("{pp}.prices.{currency}");
            if !catalog.currencies.contains(currency) {
                out.push(
                    Problem::new(
                        cp.clone(),
                        format!("{currency} is not one of catalog.currencies"),
                    )
                    .expected(format!(
                        "prices only in {}, or {currency} added to catalog.currencies",
                        joined(&catalog.currencies, ", ")
                    )),
                );
            }
            price::check(out, &cp, p);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::super::fixture::{self, paths};
    use super::*;
    use rust_decimal::Decimal;

    fn run(c: &Catalog) -> Vec<Problem> {
        let mut out = Vec::new();
        check(&mut out, c);
        out
    }

    #[test]
    fn duplicate_and_empty_ids() {
        let mut c = fixture::catalog();
        c.modules[5].id = "reports".into();
        c.features[2].id = "forecast".into();
        let plan = c.modules[0].plans[0].clone();
        c.modules[0].plans.push(plan);
        c.modules[1].name = " ".into();
        c.supplier.id = String::new();
        let out = run(&c);
        assert_eq!(
            paths(&out),
            [
                "catalog.supplier.id",
                "catalog.features[2].id",
                "catalog.modules[5].id",
                "catalog.modules[0].plans[1].id",
                "catalog.modules[1].name",
                // `retention` is gone, and `templates` with it
                "catalog.modules[1].features[1].feature",
                "catalog.modules[4].excludes[0]",
            ]
        );
        assert_eq!(
            out[2].message,
            "duplicate module id \"reports\": catalog.modules[1] already uses it"
        );
    }

    #[test]
    fn grants_fit_their_feature() {
        let mut c = fixture::catalog();
        c.modules[0].features[0].limit = Some(Quota::UpTo(Decimal::from(-1)));
        c.modules[1].features[0].limit = None;
        c.modules[1].features[1].value = None;
        c.base[0].feature = "nope".into();
        c.features[3].reset = None;
        c.features[1].reset = c.features[0].reset;
        let out = run(&c);
        assert_eq!(
            paths(&out),
            [
                "catalog.features[1].reset",
                "catalog.features[3].reset",
                "catalog.base[0].feature",
                "catalog.modules[0].features[0].limit.up_to",
                "catalog.modules[0].features[0].limit",
                "catalog.modules[1].features[0].limit",
                "catalog.modules[1].features[1].value",
            ]
        );
        assert_eq!(
            out[2].message,
            "unknown feature \"nope\": the catalog has no such feature"
        );
        assert_eq!(
            out[4].message,
            "\"forecast\" is a switch feature, so its grant takes no limit"
        );
    }

    #[test]
    fn plans_prices_and_bundles() {
        let mut c = fixture::catalog();
        c.modules[0].plans[0]
            .prices
            .remove(&crate::money::Currency::EUR);
        c.modules[3].plans[0].metric = None;
        c.modules[4].plans[0].metric = Some("nope".into());
        c.modules[5].plans.clear();
        c.modules[5].bundle_discount_percent = Some(Decimal::from(10));
        c.modules[6].bundle_discount_percent = Some(Decimal::from(150));
        let out = run(&c);
        assert_eq!(
            paths(&out),
            [
                "catalog.modules[0].plans[0].prices",
                "catalog.modules[3].plans[0].metric",
                "catalog.modules[4].plans[0].metric",
                "catalog.modules[5].bundle_discount_percent",
                "catalog.modules[5].plans",
                "catalog.modules[6].bundle_discount_percent",
            ]
        );
        assert_eq!(out[0].message, "has no price in EUR");
    }

    #[test]
    fn a_price_in_a_currency_the_catalog_does_not_list() {
        let mut c = fixture::catalog();
        c.currencies.pop();
        c.currencies.push(crate::money::Currency::USD);
        let out = run(&c);
        assert_eq!(out.len(), 1 + 6, "{out:#?}");
        assert_eq!(out[0].path, "catalog.currencies[1]");
        assert_eq!(out[1].path, "catalog.modules[0].plans[0].prices.EUR");
        assert_eq!(out[1].message, "EUR is not one of catalog.currencies");
    }

    #[test]
    fn tier_faults_inside_a_catalog_carry_the_full_path() {
        let mut c = fixture::catalog();
        let text = r#"{ "model": { "type": "graduated", "tiers": [
            { "up_to": "1000", "unit_price": "0.05" }, { "up_to": "500", "unit_price": "0.03" },
            { "unit_price": "0.02" } ] } }"#;
        let bad: crate::manifest::Price = serde_json::from_str(text).unwrap();
        c.modules[3].plans[0]
            .prices
            .insert(crate::money::Currency::USD, bad);
        let out = run(&c);
        assert_eq!(
            paths(&out),
            ["catalog.modules[3].plans[0].prices.USD.model.tiers[1].up_to"]
        );
    }
}
