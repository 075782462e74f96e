//! Percentage models: a share of each transaction (card-style fees), and graduated
//! percentages of the period's total transaction amount.

use rust_decimal::Decimal;

use super::models::non_negative;
use super::tiers::{each_band, Band};
use crate::error::{Error, Result};
use crate::manifest::PercentTier;
use crate::money::{add, div, mul};

const HUNDRED: Decimal = Decimal::ONE_HUNDRED;

/// The terms of a per-transaction percentage price.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Fee {
    /// Percent of each transaction (2.9 is 2.9 %).
    pub rate: Decimal,
    /// Added to each charged transaction.
    pub fixed_fee: Decimal,
    /// The first this many transactions are free.
    pub free_transactions: u32,
    /// The least one charged transaction costs.
    pub min: Option<Decimal>,
    /// The most one charged transaction costs.
    pub max: Option<Decimal>,
}

/// `rate % × amount + fixed_fee` for each transaction after the free ones, each clamped
/// to `[min, max]`, summed.
///
/// Worked example (2.9 % + 0.30, first one free, at least 0.50, at most 5.00; transactions
/// 100, 10, 100, 1,000): free; 0.29 + 0.30 = 0.59; 2.90 + 0.30 = 3.20; 29.30 capped to
/// 5.00; total 8.79.
///
/// # Errors
/// [`ErrorKind::Input`] for a negative transaction (at `transactions[i]`) or term;
/// [`ErrorKind::Overflow`].
pub fn per_transaction(fee: &Fee, transactions: &[Decimal]) -> Result<Decimal> {
    let rate = div(non_negative("price.model.rate", fee.rate)?, HUNDRED)?;
    let fixed = non_negative("price.model.fixed_fee", fee.fixed_fee)?;
    let min = fee
        .min
        .map(|m| non_negative("price.model.min_per_transaction", m))
        .transpose()?;
    let max = fee
        .max
        .map(|m| non_negative("price.model.max_per_transaction", m))
        .transpose()?;
    let mut total = Decimal::ZERO;
    for (i, t) in transactions.iter().enumerate() {
        let t = transaction(i, *t)?;
        if u32::try_from(i).is_ok_and(|i| i < fee.free_transactions) {
            continue;
        }
        let mut one = add(mul(t, rate)?, fixed)?;
        if let Some(m) = min {
            one = one.max(m);
        }
        if let Some(m) = max {
            one = one.min(m);
        }
        total = add(total, one)?;
    }
    Ok(total)
}

/// The bands a graduated percentage cuts the total of `transactions` into; each band's
/// `unit_price` is the tier's rate as a fraction (2.5 % is 0.025).
///
/// # Errors
/// [`ErrorKind::Input`] for a negative transaction or rate, no tiers, or a total above a
/// bounded last tier; [`ErrorKind::Overflow`].
pub fn graduated_bands(tiers: &[PercentTier], transactions: &[Decimal]) -> Result<Vec<Band>> {
    let total = total(transactions)?;
    let fractions = tiers
        .iter()
        .map(|t| Ok((t.up_to, div(t.rate, HUNDRED)?, t.flat_fee)))
        .collect::<Result<Vec<_>>>()?;
    let mut out = Vec::with_capacity(fractions.len());
    each_band(fractions.into_iter(), total, "price.model.tiers", |b| {
        out.push(b);
        Ok(())
    })?;
    Ok(out)
}

/// Graduated percentage of the period's total transaction amount.
///
/// Worked example (3 % up to 10,000, 2 % up to 100,000, 1 % beyond; total 150,000):
/// 10,000 × 3 % + 90,000 × 2 % + 50,000 × 1 % = 300 + 1,800 + 500 = 2,600.
///
/// # Errors
/// As [`graduated_bands`].
pub fn graduated(tiers: &[PercentTier], transactions: &[Decimal]) -> Result<Decimal> {
    graduated_bands(tiers, transactions)?
        .iter()
        .try_fold(Decimal::ZERO, |acc, b| add(acc, b.amount()?))
}

/// The sum of `transactions`, each checked.
///
/// # Errors
/// [`ErrorKind::Input`] for a negative transaction; [`ErrorKind::Overflow`].
pub fn total(transactions: &[Decimal]) -> Result<Decimal> {
    transactions
        .iter()
        .enumerate()
        .try_fold(Decimal::ZERO, |acc, (i, t)| add(acc, transaction(i, *t)?))
}

fn transaction(i: usize, t: Decimal) -> Result<Decimal> {
    if t.is_sign_negative() && !t.is_zero() {
        return Err(Error::input(
            format!("transactions[{i}]"),
            format!("a transaction amount cannot be negative, got {t}"),
        ));
    }
    Ok(t)
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::str::FromStr;

    fn d(s: &str) -> Decimal {
        Decimal::from_str(s).unwrap()
    }

    fn ds(v: &[&str]) -> Vec<Decimal> {
        v.iter().map(|s| d(s)).collect()
    }

    #[test]
    fn per_transaction_fees_skip_free_ones_and_clamp() {
        let fee = Fee {
            rate: d("2.9"),
            fixed_fee: d("0.30"),
            free_transactions: 1,
            min: Some(d("0.50")),
            max: Some(d("5.00")),
        };
        // free; 0.29 + 0.30 = 0.59; 2.90 + 0.30 = 3.20; 29.30 -> 5.00; total 8.79
        let t = ds(&["100", "10", "100", "1000"]);
        assert_eq!(per_transaction(&fee, &t).unwrap(), d("8.79"));
        // 1.00 -> 0.029 + 0.30 = 0.329, raised to the 0.50 minimum (after the free one)
        assert_eq!(per_transaction(&fee, &ds(&["5", "1"])).unwrap(), d("0.50"));
        assert_eq!(per_transaction(&fee, &[]).unwrap(), d("0"));
        let e = per_transaction(&fee, &ds(&["1", "-2"])).unwrap_err();
        assert_eq!(e.path(), Some("transactions[1]"));
    }

    #[test]
    fn graduated_percentage_of_the_period_total() {
        let tiers = vec![
            PercentTier {
                up_to: Some(d("10000")),
                rate: d("3"),
                flat_fee: d("0"),
            },
            PercentTier {
                up_to: Some(d("100000")),
                rate: d("2"),
                flat_fee: d("0"),
            },
            PercentTier {
                up_to: None,
                rate: d("1"),
                flat_fee: d("0"),
            },
        ];
        // 10,000 x 3 % + 90,000 x 2 % + 50,000 x 1 % = 300 + 1,800 + 500 = 2,600
        let t = ds(&["100000", "50000"]);
        assert_eq!(graduated(&tiers, &t).unwrap(), d("2600"));
        // 4,000 x 3 % = 120
        assert_eq!(graduated(&tiers, &ds(&["1000", "3000"])).unwrap(), d("120"));
        assert_eq!(graduated(&tiers, &[]).unwrap(), d("0"));
    }
}
