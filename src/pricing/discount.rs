//! The contract's part of a price: negotiated overrides of list prices, and discounts
//! limited in time and scope.

use crate::ErrorKind;
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};

use super::models::non_negative;
use crate::calendar::Date;
use crate::error::Result;
use crate::manifest::{Contract, Discount, DiscountAmount, Module, Plan, Price};
use crate::money::{div, mul, sub, Currency};

/// Where a line's price came from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "snake_case")]
pub enum PriceSource {
    /// The catalog's list price.
    List,
    /// The contract's negotiated price.
    Contract,
    /// A bundle priced from its parts.
    Bundle,
}

/// The price of `plan` of `module` in `currency`: the contract's override when it has
/// one, else the catalog's list price.
///
/// # Errors
/// [`ErrorKind::NoPrice`] when neither exists.
pub fn price_for<'a>(
    contract: &'a Contract,
    module: &Module,
    plan: &'a Plan,
    currency: Currency,
) -> Result<(&'a Price, PriceSource)> {
    if let Some(o) = contract
        .overrides
        .iter()
        .find(|o| o.module == module.id && o.plan == plan.id && o.currency == currency)
    {
        return Ok((&o.price, PriceSource::Contract));
    }
    plan.prices
        .get(&currency)
        .map(|p| (p, PriceSource::List))
        .ok_or_else(|| {
            ErrorKind::NoPrice {
                module: module.id.clone(),
                plan: plan.id.clone(),
                currency: currency.to_string(),
            }
            .into()
        })
}

/// True when `discount` applies on `date`: `starts <= date < ends`.
pub fn is_active(discount: &Discount, date: Date) -> bool {
    discount.starts <= date && discount.ends.map_or(true, |e| date < e)
}

/// The contract's discounts that apply to `module` on `date`, in contract order.
pub fn active<'a>(
    contract: &'a Contract,
    module: &'a Module,
    date: Date,
) -> impl Iterator<Item = &'a Discount> + 'a {
    contract
        .discounts
        .iter()
        .filter(move |d| is_active(d, date) && d.scope.covers(&module.id, &module.tags))
}

/// One discount as applied to a line.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct AppliedDiscount {
    /// The contract discount's id (or `"bundle"` for a bundle's own discount).
    pub id: String,
    /// Its description, shown on the line.
    pub description: String,
    /// The percent taken off, for a percent discount.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "schema", schemars(with = "Option<String>"))]
    pub percent: Option<Decimal>,
    /// The exact amount it took off.
    #[cfg_attr(feature = "schema", schemars(with = "String"))]
    pub amount: Decimal,
}

/// Applies `discounts` to `amount` one after another, each on what the previous ones
/// left. A percent discount takes its share (100 % or more takes everything); an amount
/// discount takes its amount, never more than what is left, and only from a line in its
/// own currency (a discount in another currency is skipped, never converted).
///
/// Returns the amount left and each applied discount.
///
/// # Errors
/// [`ErrorKind::Input`] for a negative discount; [`ErrorKind::Overflow`].
pub fn apply<'a>(
    discounts: impl IntoIterator<Item = &'a Discount>,
    amount: Decimal,
    currency: Currency,
) -> Result<(Decimal, Vec<AppliedDiscount>)> {
    let mut left = amount;
    let mut applied = Vec::new();
    for d in discounts {
        let (off, percent) = match &d.off {
            DiscountAmount::Percent(p) => {
                let p = non_negative("contract.discounts.off.percent", *p)?;
                (percent_of(left, p)?, Some(p))
            }
            DiscountAmount::Amount {
                amount,
                currency: c,
            } => {
                if *c != currency {
                    continue;
                }
                (
                    non_negative("contract.discounts.off.amount", *amount)?,
                    None,
                )
            }
        };
        let off = off.min(left);
        left = sub(left, off)?;
        applied.push(AppliedDiscount {
            id: d.id.clone(),
            description: d.description.clone(),
            percent,
            amount: off,
        });
    }
    Ok((left, applied))
}

/// `percent` % of `amount`, exact; at most `amount`.
///
/// # Errors
/// [`ErrorKind::Overflow`].
pub fn percent_of(amount: Decimal, percent: Decimal) -> Result<Decimal> {
    if percent >= Decimal::ONE_HUNDRED {
        return Ok(amount);
    }
    div(mul(amount, percent)?, Decimal::ONE_HUNDRED)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::manifest::Scope;
    use std::str::FromStr;

    fn d(s: &str) -> Decimal {
        Decimal::from_str(s).unwrap()
    }

    fn day(s: &str) -> Date {
        Date::parse(s).unwrap()
    }

    fn discount(id: &str, off: DiscountAmount, ends: Option<&str>) -> Discount {
        Discount {
            id: id.into(),
            description: format!("{id} discount"),
            off,
            scope: Scope {
                modules: vec![],
                tags: vec!["per-seat".into()],
            },
            starts: day("2026-01-01"),
            ends: ends.map(day),
        }
    }

    #[test]
    fn discounts_are_active_on_a_half_open_range() {
        let x = discount("c", DiscountAmount::Percent(d("10")), Some("2027-01-01"));
        assert!(!is_active(&x, day("2025-12-31")));
        assert!(is_active(&x, day("2026-01-01")));
        assert!(is_active(&x, day("2026-12-31")));
        assert!(!is_active(&x, day("2027-01-01")));
        let open = discount("o", DiscountAmount::Percent(d("10")), None);
        assert!(is_active(&open, day("2099-01-01")));
    }

    #[test]
    fn discounts_compound_and_never_go_below_zero() {
        let ten = discount("ten", DiscountAmount::Percent(d("10")), None);
        let five_usd = discount(
            "five",
            DiscountAmount::Amount {
                amount: d("5"),
                currency: Currency::USD,
            },
            None,
        );
        // 625 - 10 % = 562.50; - 5.00 = 557.50
        let (left, applied) = apply([&ten, &five_usd], d("625"), Currency::USD).unwrap();
        assert_eq!(left, d("557.5"));
        assert_eq!(applied[0].amount, d("62.5"));
        assert_eq!(applied[1].amount, d("5"));
        // 3.00 - 5.00 stops at zero
        let (left, _) = apply([&five_usd], d("3"), Currency::USD).unwrap();
        assert_eq!(left, d("0"));
        // a USD amount is not taken off a EUR line
        let (left, applied) = apply([&five_usd], d("3"), Currency::EUR).unwrap();
        assert_eq!((left, applied.len()), (d("3"), 0));
        // 150 % takes everything, not more
        let all = discount("all", DiscountAmount::Percent(d("150")), None);
        assert_eq!(apply([&all], d("40"), Currency::USD).unwrap().0, d("0"));
    }
}
