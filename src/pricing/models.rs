//! Price models: the exact, unrounded amount a quantity (or a list of transactions) costs.
//!
//! Nothing here rounds. Quantities may be fractional but never negative; every price in a
//! model must be zero or more (validation refuses the rest, and so does this module, so
//! that a hand-built [`Price`] can never produce a negative charge).

use rust_decimal::Decimal;

use super::percentage;
use super::tiers;
use crate::error::{Error, Result};
use crate::manifest::{Price, PriceModel};
use crate::money::{div, mul};

/// The amount `price` charges for one period: the model's amount for `quantity` (or for
/// `transactions`, for the percentage models), then raised to `price.minimum` and capped
/// at `price.maximum`. Exact and unrounded.
///
/// # Errors
/// [`ErrorKind::Input`] for a negative quantity or transaction, or a price the manifest's
/// validation would refuse (a negative amount, a package of size zero, tiers whose last one
/// is bounded below the quantity, a minimum above the maximum); [`ErrorKind::Overflow`] when an
/// amount leaves the decimal range.
pub fn amount(price: &Price, quantity: Decimal, transactions: &[Decimal]) -> Result<Decimal> {
    let raw = model_amount(&price.model, quantity, transactions)?;
    bound(raw, price.minimum, price.maximum)
}

/// The model's amount alone, before the price's minimum and maximum.
///
/// Usage-type models (per unit, package, graduated, volume, percentages) charge zero for a
/// zero quantity; a flat price charges its amount whatever the quantity.
///
/// # Errors
/// As [`amount`].
pub fn model_amount(
    model: &PriceModel,
    quantity: Decimal,
    transactions: &[Decimal],
) -> Result<Decimal> {
    check_quantity(quantity)?;
    match model {
        PriceModel::Flat { amount } => non_negative("price.model.amount", *amount),
        PriceModel::PerUnit { unit_price } => mul(
            quantity,
            non_negative("price.model.unit_price", *unit_price)?,
        ),
        PriceModel::Package {
            size,
            price,
            free_units,
        } => Ok(package(*size, *price, *free_units, quantity)?.1),
        PriceModel::Graduated { tiers } => tiers::graduated(tiers, quantity),
        PriceModel::Volume { tiers } => tiers::volume(tiers, quantity),
        PriceModel::Percentage {
            rate,
            fixed_fee,
            free_transactions,
            min_per_transaction,
            max_per_transaction,
        } => percentage::per_transaction(
            &percentage::Fee {
                rate: *rate,
                fixed_fee: *fixed_fee,
                free_transactions: *free_transactions,
                min: *min_per_transaction,
                max: *max_per_transaction,
            },
            transactions,
        ),
        PriceModel::GraduatedPercentage { tiers } => percentage::graduated(tiers, transactions),
    }
}

/// Whole packages charged for `quantity` and their amount: the free units come off first,
/// then every started package counts as a whole one.
///
/// # Errors
/// [`ErrorKind::Input`] for a size of zero or less, a negative price or free units, or a
/// negative quantity; [`ErrorKind::Overflow`].
pub fn package(
    size: Decimal,
    price: Decimal,
    free_units: Decimal,
    quantity: Decimal,
) -> Result<(Decimal, Decimal)> {
    check_quantity(quantity)?;
    if size <= Decimal::ZERO {
        return Err(Error::input(
            "price.model.size",
            format!("a package must hold more than zero units, got {size}"),
        ));
    }
    let price = non_negative("price.model.price", price)?;
    let free = non_negative("price.model.free_units", free_units)?;
    let billable = crate::money::sub(quantity, free)?.max(Decimal::ZERO);
    // Rounded up to whole packs as `Decimal::ceil` does (a whole number of scale 0), but
    // through the crate's checked addition: `ceil` adds with `+`, which would link
    // rust_decimal's panicking `Add` into the wasm for this one call.
    let ratio = div(billable, size)?;
    let whole = ratio.trunc();
    let packs = if whole < ratio {
        crate::money::add(whole, Decimal::ONE)?
    } else {
        whole
    };
    Ok((packs, mul(packs, price)?))
}

/// Raises `amount` to `minimum` and caps it at `maximum`.
///
/// # Errors
/// [`ErrorKind::Input`] for a negative bound or a minimum above the maximum.
pub fn bound(
    amount: Decimal,
    minimum: Option<Decimal>,
    maximum: Option<Decimal>,
) -> Result<Decimal> {
    let mut a = amount;
    if let Some(min) = minimum {
        a = a.max(non_negative("price.minimum", min)?);
    }
    if let Some(max) = maximum {
        let max = non_negative("price.maximum", max)?;
        if minimum.is_some_and(|min| min > max) {
            return Err(Error::input(
                "price.minimum",
                format!("the minimum must not exceed the maximum {max}"),
            ));
        }
        a = a.min(max);
    }
    Ok(a)
}

/// Refuses a negative quantity.
///
/// # Errors
/// [`ErrorKind::Input`] at `quantity`.
pub fn check_quantity(quantity: Decimal) -> Result<()> {
    if quantity.is_sign_negative() && !quantity.is_zero() {
        return Err(Error::input(
            "quantity",
            format!("a quantity cannot be negative, got {quantity}: use zero or more"),
        ));
    }
    Ok(())
}

/// `value` when it is zero or more.
///
/// # Errors
/// [`ErrorKind::Input`] at `path` for a negative value.
pub(crate) fn non_negative(path: &str, value: Decimal) -> Result<Decimal> {
    if value.is_sign_negative() && !value.is_zero() {
        return Err(Error::input(
            path,
            format!("must be zero or more, got {value}"),
        ));
    }
    Ok(value)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::manifest::Tier;
    use std::str::FromStr;

    fn d(s: &str) -> Decimal {
        Decimal::from_str(s).unwrap()
    }

    fn price(model: PriceModel) -> Price {
        Price {
            model,
            minimum: None,
            maximum: None,
        }
    }

    #[test]
    fn flat_charges_whatever_the_quantity() {
        // Report Scheduler: 40.00 a month, for 0 or 7 departments alike.
        let p = price(PriceModel::Flat { amount: d("40.00") });
        assert_eq!(amount(&p, d("0"), &[]).unwrap(), d("40"));
        assert_eq!(amount(&p, d("7"), &[]).unwrap(), d("40"));
    }

    #[test]
    fn per_unit_multiplies_fractional_quantities_exactly() {
        // 25 seats x 25.00 = 625.00; 12.5 x 22.50 = 281.25; 0 x 25 = 0.
        let p = price(PriceModel::PerUnit {
            unit_price: d("25.00"),
        });
        assert_eq!(amount(&p, d("25"), &[]).unwrap(), d("625"));
        assert_eq!(amount(&p, d("0"), &[]).unwrap(), d("0"));
        let p = price(PriceModel::PerUnit {
            unit_price: d("22.50"),
        });
        assert_eq!(amount(&p, d("12.5"), &[]).unwrap(), d("281.25"));
    }

    #[test]
    fn packs_are_what_decimal_ceil_gives_digit_for_digit() {
        for size in ["25", "0.5", "2.50", "3", "0.333"] {
            for q in [
                "0", "1", "24.99", "25", "25.000", "50.5", "75.00", "0.001", "1000000",
            ] {
                let (packs, _) = package(d(size), d("1"), d("0"), d(q)).unwrap();
                let ceil = div(d(q), d(size)).unwrap().ceil();
                assert_eq!(
                    packs.to_string(),
                    ceil.to_string(),
                    "{q} in packs of {size}"
                );
            }
        }
    }

    #[test]
    fn package_rounds_partial_packs_up_after_free_units() {
        // E-Signature: packs of 25 at 20.00. 60 envelopes = ceil(60/25) = 3 packs = 60.00.
        let e_sign = |free: &str, q: &str| package(d("25"), d("20.00"), d(free), d(q)).unwrap();
        assert_eq!(e_sign("0", "60"), (d("3"), d("60")));
        // Exactly 50 = 2 packs = 40.00; 50.5 starts a third = 60.00.
        assert_eq!(e_sign("0", "50").1, d("40"));
        assert_eq!(e_sign("0", "50.5").1, d("60"));
        // 10 free: 60 - 10 = 50 = 2 packs = 40.00; 8 used, all free = 0.
        assert_eq!(e_sign("10", "60").1, d("40"));
        assert_eq!(e_sign("10", "8").1, d("0"));
        assert_eq!(e_sign("0", "0").1, d("0"));
        // Extra Storage: 5.00 per 10 GB. 35 GB = 4 packs = 20.00.
        let p = price(PriceModel::Package {
            size: d("10"),
            price: d("5.00"),
            free_units: d("0"),
        });
        assert_eq!(amount(&p, d("35"), &[]).unwrap(), d("20"));
    }

    #[test]
    fn minimum_and_maximum_bound_the_period() {
        // 3 x 10.00 = 30 raised to 50; 30 x 10.00 = 300 capped at 200; 0 raised to 50.
        let p = Price {
            model: PriceModel::PerUnit {
                unit_price: d("10"),
            },
            minimum: Some(d("50")),
            maximum: Some(d("200")),
        };
        assert_eq!(amount(&p, d("3"), &[]).unwrap(), d("50"));
        assert_eq!(amount(&p, d("30"), &[]).unwrap(), d("200"));
        assert_eq!(amount(&p, d("0"), &[]).unwrap(), d("50"));
        let bad = Price {
            minimum: Some(d("300")),
            ..p
        };
        assert_eq!(
            amount(&bad, d("1"), &[]).unwrap_err().code(),
            "invalid_input"
        );
    }

    #[test]
    fn bad_input_is_an_error_never_a_panic() {
        let p = price(PriceModel::PerUnit { unit_price: d("1") });
        let e = amount(&p, d("-1"), &[]).unwrap_err();
        assert_eq!((e.code(), e.path()), ("invalid_input", Some("quantity")));
        let p = price(PriceModel::PerUnit {
            unit_price: d("-1"),
        });
        assert_eq!(
            amount(&p, d("1"), &[]).unwrap_err().path(),
            Some("price.model.unit_price")
        );
        let p = price(PriceModel::Package {
            size: d("0"),
            price: d("1"),
            free_units: d("0"),
        });
        assert_eq!(
            amount(&p, d("1"), &[]).unwrap_err().path(),
            Some("price.model.size")
        );
        let p = price(PriceModel::PerUnit {
            unit_price: Decimal::MAX,
        });
        assert_eq!(amount(&p, d("2"), &[]).unwrap_err().code(), "overflow");
        let p = price(PriceModel::Graduated { tiers: vec![] });
        assert_eq!(amount(&p, d("2"), &[]).unwrap_err().code(), "invalid_input");
        let p = price(PriceModel::Volume {
            tiers: vec![Tier {
                up_to: Some(d("10")),
                unit_price: d("1"),
                flat_fee: d("0"),
            }],
        });
        assert_eq!(
            amount(&p, d("11"), &[]).unwrap_err().code(),
            "invalid_input"
        );
    }
}
