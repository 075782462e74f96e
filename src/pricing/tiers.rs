//! Tiered models: graduated (each tier prices the units that fall in it) and volume (the
//! tier the whole quantity falls in prices every unit).
//!
//! A tier's `up_to` is its inclusive upper bound; the tier below ends where it starts, so
//! with bounds 1,000 and 10,000 the second tier holds the units above 1,000 up to and
//! including 10,000. The last tier has no bound. A tier is *reached* when the quantity is
//! above the previous tier's bound; its flat fee is then charged once.

use rust_decimal::Decimal;

use super::models::{check_quantity, non_negative};
use crate::error::{Error, Result};
use crate::manifest::Tier;
use crate::money::{add, mul, sub};

/// One tier's share of a graduated price.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Band {
    /// Units (or, for percentages, amount) that fall in the tier.
    pub units: Decimal,
    /// Price of one unit in the tier (for percentages: the rate as a fraction, 0.029).
    pub unit_price: Decimal,
    /// The tier's flat fee, charged once it is reached.
    pub flat_fee: Decimal,
}

impl Band {
    /// `units × unit_price + flat_fee`.
    ///
    /// # Errors
    /// [`ErrorKind::Overflow`].
    pub fn amount(&self) -> Result<Decimal> {
        add(mul(self.units, self.unit_price)?, self.flat_fee)
    }
}

/// The bands a graduated price cuts `quantity` into, one per reached tier.
///
/// # Errors
/// [`ErrorKind::Input`] for no tiers, a negative price or quantity, or a quantity above a
/// bounded last tier; [`ErrorKind::Overflow`].
pub fn graduated_bands(tiers: &[Tier], quantity: Decimal) -> Result<Vec<Band>> {
    let mut out = Vec::with_capacity(tiers.len());
    each_band(
        tiers.iter().map(|t| (t.up_to, t.unit_price, t.flat_fee)),
        quantity,
        "price.model.tiers",
        |b| {
            out.push(b);
            Ok(())
        },
    )?;
    Ok(out)
}

/// Graduated: the sum of every reached tier's units at its price plus its flat fee.
///
/// Worked example (Conversation Insights, 12,500 minutes; 1,000 at 0.05, 9,000 at 0.03,
/// the rest at 0.02): 1,000 × 0.05 + 9,000 × 0.03 + 2,500 × 0.02 = 50 + 270 + 50 = 370.
///
/// # Errors
/// As [`graduated_bands`].
pub fn graduated(tiers: &[Tier], quantity: Decimal) -> Result<Decimal> {
    let mut total = Decimal::ZERO;
    each_band(
        tiers.iter().map(|t| (t.up_to, t.unit_price, t.flat_fee)),
        quantity,
        "price.model.tiers",
        |b| {
            total = add(total, b.amount()?)?;
            Ok(())
        },
    )?;
    Ok(total)
}

/// The tier a volume price charges `quantity` at, or `None` for a zero quantity.
///
/// # Errors
/// [`ErrorKind::Input`] for no tiers, a negative price or quantity, or a quantity above a
/// bounded last tier.
pub fn volume_tier(tiers: &[Tier], quantity: Decimal) -> Result<Option<&Tier>> {
    check_quantity(quantity)?;
    let rows: Vec<_> = tiers
        .iter()
        .map(|t| (t.up_to, t.unit_price, t.flat_fee))
        .collect();
    check_tiers(&rows, "price.model.tiers")?;
    if quantity.is_zero() {
        return Ok(None);
    }
    tiers
        .iter()
        .find(|t| t.up_to.map_or(true, |u| quantity <= u))
        .map(Some)
        .ok_or_else(|| beyond_last("price.model.tiers", quantity))
}

/// Volume: every unit at the price of the tier the whole quantity falls in, plus that
/// tier's flat fee; zero for a zero quantity.
///
/// Worked example (Data Enrichment; ≤ 1,000 at 0.10, ≤ 10,000 at 0.08, beyond at 0.06):
/// 5,000 credits = 5,000 × 0.08 = 400; 12,000 credits = 12,000 × 0.06 = 720.
///
/// # Errors
/// As [`volume_tier`], and [`ErrorKind::Overflow`].
pub fn volume(tiers: &[Tier], quantity: Decimal) -> Result<Decimal> {
    match volume_tier(tiers, quantity)? {
        None => Ok(Decimal::ZERO),
        Some(t) => add(mul(quantity, t.unit_price)?, t.flat_fee),
    }
}

/// Cuts `quantity` into bands over `(up_to, unit_price, flat_fee)` tiers, handing each
/// reached tier's band to `f`.
pub(crate) fn each_band(
    tiers: impl Iterator<Item = (Option<Decimal>, Decimal, Decimal)>,
    quantity: Decimal,
    path: &str,
    mut f: impl FnMut(Band) -> Result<()>,
) -> Result<()> {
    let tiers: Vec<_> = tiers.collect();
    bands(&tiers, quantity, path, &mut f)
}

/// [`each_band`] over the tiers collected: written once, not once per kind of tier.
fn bands(
    tiers: &[(Option<Decimal>, Decimal, Decimal)],
    quantity: Decimal,
    path: &str,
    f: &mut dyn FnMut(Band) -> Result<()>,
) -> Result<()> {
    check_quantity(quantity)?;
    check_tiers(tiers, path)?;
    let mut lower = Decimal::ZERO;
    for &(up_to, unit_price, flat_fee) in tiers {
        if quantity <= lower {
            return Ok(());
        }
        let top = up_to.map_or(quantity, |u| quantity.min(u));
        f(Band {
            units: sub(top, lower)?.max(Decimal::ZERO),
            unit_price,
            flat_fee,
        })?;
        match up_to {
            Some(u) => lower = lower.max(u),
            None => return Ok(()),
        }
    }
    if quantity > lower {
        return Err(beyond_last(path, quantity));
    }
    Ok(())
}

fn check_tiers(tiers: &[(Option<Decimal>, Decimal, Decimal)], path: &str) -> Result<()> {
    if tiers.is_empty() {
        return Err(Error::input(path, "a tiered price needs at least one tier"));
    }
    for &(_, price, fee) in tiers {
        non_negative(path, price)?;
        non_negative(path, fee)?;
    }
    Ok(())
}

fn beyond_last(path: &str, quantity: Decimal) -> Error {
    Error::input(
        path,
        format!("{quantity} is above the last tier's bound: the last tier must have no up_to"),
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::str::FromStr;

    fn d(s: &str) -> Decimal {
        Decimal::from_str(s).unwrap()
    }

    fn tier(up_to: Option<&str>, price: &str, fee: &str) -> Tier {
        Tier {
            up_to: up_to.map(d),
            unit_price: d(price),
            flat_fee: d(fee),
        }
    }

    fn insights() -> Vec<Tier> {
        vec![
            tier(Some("1000"), "0.05", "0"),
            tier(Some("10000"), "0.03", "0"),
            tier(None, "0.02", "0"),
        ]
    }

    fn enrichment() -> Vec<Tier> {
        vec![
            tier(Some("1000"), "0.10", "0"),
            tier(Some("10000"), "0.08", "0"),
            tier(None, "0.06", "0"),
        ]
    }

    #[test]
    fn graduated_prices_each_tier_s_units() {
        let t = insights();
        // 1,000 x 0.05 + 9,000 x 0.03 + 2,500 x 0.02 = 50 + 270 + 50 = 370
        assert_eq!(graduated(&t, d("12500")).unwrap(), d("370"));
        // 800 x 0.05 = 40
        assert_eq!(graduated(&t, d("800")).unwrap(), d("40"));
        // the boundary belongs to the lower tier: 1,000 x 0.05 = 50
        assert_eq!(graduated(&t, d("1000")).unwrap(), d("50"));
        // 50 + 0.5 x 0.03 = 50.015
        assert_eq!(graduated(&t, d("1000.5")).unwrap(), d("50.015"));
        // 50 + 9,000 x 0.03 = 320
        assert_eq!(graduated(&t, d("10000")).unwrap(), d("320"));
        assert_eq!(graduated(&t, d("0")).unwrap(), d("0"));
    }

    #[test]
    fn graduated_flat_fees_are_charged_once_a_tier_is_reached() {
        // API Boost: first 10,000 calls included (0), then 1.00 per 1,000 = 0.001 a call,
        // and, for this test, a 5.00 fee on reaching the paid tier.
        let t = vec![tier(Some("10000"), "0", "0"), tier(None, "0.001", "5")];
        assert_eq!(graduated(&t, d("10000")).unwrap(), d("0"));
        // 0 + 2,500 x 0.001 + 5 = 7.5
        assert_eq!(graduated(&t, d("12500")).unwrap(), d("7.5"));
        // just past the bound: 0.001 x 0.001 + 5 = 5.000001
        assert_eq!(graduated(&t, d("10000.001")).unwrap(), d("5.000001"));
    }

    #[test]
    fn volume_prices_every_unit_at_the_reached_tier() {
        let t = enrichment();
        // 500 x 0.10 = 50; 1,000 x 0.10 = 100; 1,001 x 0.08 = 80.08
        assert_eq!(volume(&t, d("500")).unwrap(), d("50"));
        assert_eq!(volume(&t, d("1000")).unwrap(), d("100"));
        assert_eq!(volume(&t, d("1001")).unwrap(), d("80.08"));
        // 5,000 x 0.08 = 400; 12,000 x 0.06 = 720
        assert_eq!(volume(&t, d("5000")).unwrap(), d("400"));
        assert_eq!(volume(&t, d("12000")).unwrap(), d("720"));
        assert_eq!(volume(&t, d("0")).unwrap(), d("0"));
        // with a 10.00 platform fee on the top tier: 20,000 x 0.06 + 10 = 1,210
        let mut t = t;
        t[2].flat_fee = d("10");
        assert_eq!(volume(&t, d("20000")).unwrap(), d("1210"));
    }

    #[test]
    fn a_bounded_last_tier_refuses_what_lies_beyond() {
        let t = vec![tier(Some("10"), "1", "0")];
        assert_eq!(graduated(&t, d("10")).unwrap(), d("10"));
        let e = graduated(&t, d("11")).unwrap_err();
        assert_eq!(e.path(), Some("price.model.tiers"));
        assert!(e.to_string().contains("no up_to"), "{e}");
    }
}
