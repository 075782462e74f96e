//! Rules for one price: its model's amounts, tiers and bounds.

use rust_decimal::Decimal;

use crate::error::Problem;
use crate::manifest::{PercentTier, Price, PriceModel, Tier};

use super::{min_max, non_negative, percent};

/// Checks a price found at `path` (a list price or a contract override).
pub(super) fn check(out: &mut Vec<Problem>, path: &str, price: &Price) {
    if let Some(m) = price.minimum {
        non_negative(out, format!("{path}.minimum"), m);
    }
    if let Some(m) = price.maximum {
        non_negative(out, format!("{path}.maximum"), m);
    }
    min_max(
        out,
        format!("{path}.minimum"),
        price.minimum,
        "the maximum",
        price.maximum,
    );
    let model = format!("{path}.model");
    match &price.model {
        PriceModel::Flat { amount } => non_negative(out, format!("{model}.amount"), *amount),
        PriceModel::PerUnit { unit_price } => {
            non_negative(out, format!("{model}.unit_price"), *unit_price);
        }
        PriceModel::Package {
            size,
            price,
            free_units,
        } => {
            if *size <= Decimal::ZERO {
                out.push(
                    Problem::new(
                        format!("{model}.size"),
                        format!("must be greater than 0, got {size}"),
                    )
                    .expected("a package of at least one unit"),
                );
            }
            non_negative(out, format!("{model}.price"), *price);
            non_negative(out, format!("{model}.free_units"), *free_units);
        }
        PriceModel::Graduated { tiers } | PriceModel::Volume { tiers } => {
            unit_tiers(out, &model, tiers);
        }
        PriceModel::Percentage {
            rate,
            fixed_fee,
            min_per_transaction,
            max_per_transaction,
            ..
        } => {
            percent(out, format!("{model}.rate"), *rate);
            non_negative(out, format!("{model}.fixed_fee"), *fixed_fee);
            if let Some(m) = min_per_transaction {
                non_negative(out, format!("{model}.min_per_transaction"), *m);
            }
            if let Some(m) = max_per_transaction {
                non_negative(out, format!("{model}.max_per_transaction"), *m);
            }
            min_max(
                out,
                format!("{model}.min_per_transaction"),
                *min_per_transaction,
                "max_per_transaction",
                *max_per_transaction,
            );
        }
        PriceModel::GraduatedPercentage { tiers } => {
            let bounds: Vec<_> = tiers.iter().map(|t| t.up_to).collect();
            bounds_in_order(out, &model, &bounds);
            for (i, PercentTier { rate, flat_fee, .. }) in tiers.iter().enumerate() {
                percent(out, format!("{model}.tiers[{i}].rate"), *rate);
                non_negative(out, format!("{model}.tiers[{i}].flat_fee"), *flat_fee);
            }
        }
    }
}

fn unit_tiers(out: &mut Vec<Problem>, model: &str, tiers: &[Tier]) {
    let bounds: Vec<_> = tiers.iter().map(|t| t.up_to).collect();
    bounds_in_order(out, model, &bounds);
    for (i, t) in tiers.iter().enumerate() {
        non_negative(out, format!("{model}.tiers[{i}].unit_price"), t.unit_price);
        non_negative(out, format!("{model}.tiers[{i}].flat_fee"), t.flat_fee);
    }
}

/// Tiers exist, bounds increase strictly, only the last is unbounded.
fn bounds_in_order(out: &mut Vec<Problem>, model: &str, bounds: &[Option<Decimal>]) {
    if bounds.is_empty() {
        out.push(
            Problem::new(format!("{model}.tiers"), "must have at least one tier")
                .expected("tiers in increasing order of up_to, the last without up_to"),
        );
        return;
    }
    let last = bounds.len() - 1;
    let mut previous: Option<Decimal> = None;
    for (i, bound) in bounds.iter().enumerate() {
        let path = format!("{model}.tiers[{i}].up_to");
        match bound {
            None if i < last => out.push(
                Problem::new(path, "is missing, but only the last tier may be unbounded").expected(
                    match previous {
                        Some(p) => format!("an upper bound greater than {p}"),
                        None => "an upper bound greater than 0".to_string(),
                    },
                ),
            ),
            None => {}
            Some(b) => {
                if i == last {
                    out.push(
                        Problem::new(
                            path.clone(),
                            format!("must be absent on the last tier, which is unbounded, got {b}"),
                        )
                        .expected("no up_to on the last tier"),
                    );
                }
                match previous {
                    Some(p) if *b <= p => out.push(
                        Problem::new(
                            path,
                            format!(
                                "must be greater than {p} (the previous tier's bound), got {b}"
                            ),
                        )
                        .expected(format!("a bound greater than {p}")),
                    ),
                    None if *b <= Decimal::ZERO => out.push(
                        Problem::new(path, format!("must be greater than 0, got {b}"))
                            .expected("a first bound greater than 0"),
                    ),
                    _ => {}
                }
                previous = Some(*b);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::super::fixture::paths;
    use super::*;

    fn price(model: serde_json::Value) -> Price {
        serde_json::from_value(serde_json::json!({ "model": model })).unwrap()
    }

    fn run(p: &Price) -> Vec<Problem> {
        let mut out = Vec::new();
        check(&mut out, "p", p);
        out
    }

    #[test]
    fn tier_bounds_must_increase_and_only_the_last_is_unbounded() {
        let p = price(serde_json::json!({ "type": "graduated", "tiers": [
            { "up_to": "1000", "unit_price": "0.05" },
            { "up_to": "500", "unit_price": "0.03" },
            { "unit_price": "0.02" },
            { "up_to": "20000", "unit_price": "0.01" }
        ] }));
        let out = run(&p);
        assert_eq!(
            paths(&out),
            [
                "p.model.tiers[1].up_to",
                "p.model.tiers[2].up_to",
                "p.model.tiers[3].up_to"
            ]
        );
        assert_eq!(
            out[0].message,
            "must be greater than 1000 (the previous tier's bound), got 500"
        );
        assert_eq!(
            out[1].message,
            "is missing, but only the last tier may be unbounded"
        );
        assert!(out[2]
            .message
            .starts_with("must be absent on the last tier"));
    }

    #[test]
    fn a_bounded_last_tier_and_no_tiers_are_refused() {
        let p = price(serde_json::json!({ "type": "volume", "tiers": [
            { "up_to": "0", "unit_price": "0.1" }, { "up_to": "10", "unit_price": "0.1" }
        ] }));
        assert_eq!(
            paths(&run(&p)),
            ["p.model.tiers[0].up_to", "p.model.tiers[1].up_to"]
        );
        let p = price(serde_json::json!({ "type": "graduated_percentage", "tiers": [] }));
        assert_eq!(paths(&run(&p)), ["p.model.tiers"]);
    }

    #[test]
    fn negative_amounts_percents_and_package_sizes() {
        let p = price(
            serde_json::json!({ "type": "package", "size": "0", "price": "-1", "free_units": "-2" }),
        );
        let out = run(&p);
        assert_eq!(
            paths(&out),
            ["p.model.size", "p.model.price", "p.model.free_units"]
        );
        assert_eq!(out[0].message, "must be greater than 0, got 0");
        assert_eq!(out[1].message, "must not be negative, got -1");
        let p = price(
            serde_json::json!({ "type": "percentage", "rate": "101", "fixed_fee": "-0.30",
            "min_per_transaction": "5", "max_per_transaction": "1" }),
        );
        assert_eq!(
            paths(&run(&p)),
            [
                "p.model.rate",
                "p.model.fixed_fee",
                "p.model.min_per_transaction"
            ]
        );
        let p = price(serde_json::json!({ "type": "graduated", "tiers": [
            { "up_to": "10", "unit_price": "-1", "flat_fee": "-2" }, { "unit_price": "1" } ] }));
        assert_eq!(
            paths(&run(&p)),
            ["p.model.tiers[0].unit_price", "p.model.tiers[0].flat_fee"]
        );
    }

    #[test]
    fn minimum_above_maximum() {
        let mut p = price(serde_json::json!({ "type": "flat", "amount": "-3" }));
        p.minimum = Some(Decimal::from(200));
        p.maximum = Some(Decimal::from(-100));
        let out = run(&p);
        assert_eq!(paths(&out), ["p.maximum", "p.minimum", "p.model.amount"]);
        assert_eq!(
            out[1].message,
            "must not be greater than the maximum (-100), got 200"
        );
    }
}
