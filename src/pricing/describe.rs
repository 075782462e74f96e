//! The one sentence each quote line carries, for a person to read:
//! `25 users x 22.50 USD (10 % contract discount) x 12/30 of June 2026 = 225.00 USD`.

use std::fmt::{self, Write};

use rust_decimal::Decimal;

use super::bundle::BundlePrice;
use super::discount::AppliedDiscount;
use super::models;
use super::percentage;
use super::tiers;
use crate::error::Result;
use crate::manifest::{BillingPeriod, Price, PriceModel};
use crate::money::Currency;

/// A decimal written for a person: normalized, with thousands grouped
/// (`12500` → `12,500`; `1234.50` → `1,234.5`). Formats without allocating.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Num(pub Decimal);

/// `q` written for a person (see [`Num`]).
pub fn number(q: Decimal) -> Num {
    Num(q)
}

/// A fixed buffer a decimal's digits are written into (a decimal has at most 29 digits,
/// a sign and a point).
struct Digits {
    buf: [u8; 64],
    len: usize,
}

impl fmt::Write for Digits {
    fn write_str(&mut self, s: &str) -> fmt::Result {
        let end = self.len.checked_add(s.len()).ok_or(fmt::Error)?;
        self.buf
            .get_mut(self.len..end)
            .ok_or(fmt::Error)?
            .copy_from_slice(s.as_bytes());
        self.len = end;
        Ok(())
    }
}

impl fmt::Display for Num {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        grouped(f, self.0.normalize())
    }
}

/// An amount for a person: grouped and padded to the currency's minor unit
/// (`150,000.00 USD`, `0.001 USD`, `1,500 JPY`). Formats without allocating.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Amount(pub Decimal, pub Currency);

impl fmt::Display for Amount {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let places = self.1.minor_units();
        let mut d = self.0.normalize();
        if d.scale() < places {
            d.rescale(places);
        }
        grouped(f, d)?;
        write!(f, " {}", self.1)
    }
}

/// Writes `d` as it is, its integer digits grouped by thousands.
fn grouped(f: &mut fmt::Formatter<'_>, d: Decimal) -> fmt::Result {
    let mut buf = Digits {
        buf: [0; 64],
        len: 0,
    };
    write!(buf, "{d}")?;
    let s = buf
        .buf
        .get(..buf.len)
        .and_then(|b| std::str::from_utf8(b).ok())
        .ok_or(fmt::Error)?;
    let (sign, digits) = s.strip_prefix('-').map_or(("", s), |r| ("-", r));
    let (int, frac) = digits.split_once('.').map_or((digits, ""), |(i, f)| (i, f));
    f.write_str(sign)?;
    let first = match int.len() % 3 {
        0 => 3.min(int.len()),
        n => n,
    };
    let (head, mut rest) = int.split_at(first);
    f.write_str(head)?;
    while rest.len() >= 3 {
        let (group, tail) = rest.split_at(3);
        f.write_char(',')?;
        f.write_str(group)?;
        rest = tail;
    }
    if !frac.is_empty() {
        f.write_char('.')?;
        f.write_str(frac)?;
    }
    Ok(())
}

/// A count of units for a person: `25 users`, `1 user`, `35 GB`, `3 x 10 GB`. A plain
/// lower-case word unit is made plural by an `s`; a unit that starts with a number is a
/// package (`3 x 10 GB`); any other unit is written as it is.
pub struct Count<'a>(pub Decimal, pub &'a str);

/// `q` of `unit` written for a person (see [`Count`]).
pub fn count(q: Decimal, unit: &str) -> Count<'_> {
    Count(q, unit)
}

impl fmt::Display for Count<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let Count(q, unit) = *self;
        if unit.starts_with(|c: char| c.is_ascii_digit()) {
            return write!(f, "{} x {unit}", Num(q));
        }
        let word = !unit.is_empty() && unit.chars().all(|c| c.is_ascii_lowercase() || c == '-');
        if word && q != Decimal::ONE && !unit.ends_with('s') {
            write!(f, "{} {unit}s", Num(q))
        } else {
            write!(f, "{} {unit}", Num(q))
        }
    }
}

fn money(amount: Decimal, currency: Currency) -> Amount {
    Amount(amount, currency)
}

fn per(period: BillingPeriod) -> &'static str {
    match period {
        BillingPeriod::Month => "per month",
        BillingPeriod::Year => "per year",
        BillingPeriod::OneTime => "once",
    }
}

/// What a line prices, before discounts and proration.
pub struct Priced<'a> {
    /// The price used.
    pub price: &'a Price,
    /// The quantity.
    pub quantity: Decimal,
    /// The transactions, for percentage models.
    pub transactions: &'a [Decimal],
    /// The unit a person reads.
    pub unit: &'a str,
    /// How often it bills.
    pub period: BillingPeriod,
    /// The currency.
    pub currency: Currency,
}

/// The sentence of a plan line; `model` is the model's amount and `bounded` the same after
/// the price's minimum and maximum.
///
/// # Errors
/// The errors of the price models (the line itself was computed first, so none occur in
/// practice).
pub fn plan_line(
    p: &Priced<'_>,
    model: Decimal,
    bounded: Decimal,
    discounts: &[AppliedDiscount],
    proration: Option<&str>,
    net: Decimal,
) -> Result<String> {
    let c = p.currency;
    let all_percent = !discounts.is_empty() && discounts.iter().all(|d| d.percent.is_some());
    let mut s = String::with_capacity(128);
    let mut discounts_said = false;
    match &p.price.model {
        PriceModel::Flat { amount } => {
            let _ = write!(s, "{} {}", money(*amount, c), per(p.period));
        }
        PriceModel::PerUnit { unit_price } => {
            let mut shown = *unit_price;
            if all_percent {
                for d in discounts {
                    let pct = d.percent.unwrap_or(Decimal::ZERO);
                    shown =
                        crate::money::checked_sub(shown, super::discount::percent_of(shown, pct)?)
                            .unwrap_or(shown);
                }
                discounts_said = true;
            }
            let _ = write!(s, "{} x {}", count(p.quantity, p.unit), money(shown, c));
            if all_percent {
                s.push_str(" (");
                discount_words(&mut s, discounts, c);
                s.push(')');
            }
        }
        PriceModel::Package {
            size,
            price,
            free_units,
        } => {
            let (packs, _) = models::package(*size, *price, *free_units, p.quantity)?;
            let _ = write!(s, "{}", count(p.quantity, p.unit));
            if !free_units.is_zero() {
                let _ = write!(s, " less {} free", Num(*free_units));
            }
            let word = if packs == Decimal::ONE {
                "pack"
            } else {
                "packs"
            };
            let _ = write!(
                s,
                " = {} {word} of {} x {}",
                Num(packs),
                Num(*size),
                money(*price, c)
            );
        }
        PriceModel::Graduated { tiers } => {
            let bands = tiers::graduated_bands(tiers, p.quantity)?;
            let _ = write!(s, "{}: ", count(p.quantity, p.unit));
            bands_words(&mut s, &bands, c, false);
        }
        PriceModel::Volume { tiers } => {
            let _ = write!(s, "{}", count(p.quantity, p.unit));
            if let Some(t) = tiers::volume_tier(tiers, p.quantity)? {
                let _ = write!(s, " x {}", money(t.unit_price, c));
                if let Some(u) = t.up_to {
                    let _ = write!(s, " (volume tier up to {})", Num(u));
                } else {
                    s.push_str(" (top volume tier)");
                }
                if !t.flat_fee.is_zero() {
                    let _ = write!(s, " + {} fee", money(t.flat_fee, c));
                }
            }
        }
        PriceModel::Percentage {
            rate,
            fixed_fee,
            free_transactions,
            ..
        } => {
            let _ = write!(
                s,
                "{} at {} %",
                count(Decimal::from(p.transactions.len()), "transaction"),
                Num(*rate)
            );
            if !fixed_fee.is_zero() {
                let _ = write!(s, " + {} each", money(*fixed_fee, c));
            }
            if *free_transactions > 0 {
                let _ = write!(s, " (first {free_transactions} free)");
            }
        }
        PriceModel::GraduatedPercentage { tiers } => {
            let total = percentage::total(p.transactions)?;
            let bands = percentage::graduated_bands(tiers, p.transactions)?;
            let _ = write!(s, "{} of transactions: ", money(total, c));
            bands_words(&mut s, &bands, c, true);
        }
    }
    if bounded > model {
        let _ = write!(s, " (raised to the {} minimum)", money(bounded, c));
    } else if bounded < model {
        let _ = write!(s, " (capped at the {} maximum)", money(bounded, c));
    }
    if !discounts_said && !discounts.is_empty() {
        s.push_str(" less ");
        discount_words(&mut s, discounts, c);
    }
    Ok(finish(s, proration, net, c))
}

/// The sentence of a bundle line priced from its parts.
pub fn bundle_line(
    b: &BundlePrice,
    quantity: Decimal,
    discounts: &[AppliedDiscount],
    proration: Option<&str>,
    net: Decimal,
    currency: Currency,
) -> String {
    let mut s = String::with_capacity(160);
    let _ = write!(s, "{}: ", count(quantity, &b.unit));
    for (i, p) in b.parts.iter().enumerate() {
        if i > 0 {
            s.push_str(" + ");
        }
        let _ = write!(s, "{} {}", p.name, money(p.amount, currency));
    }
    if !b.discount.is_zero() {
        let _ = write!(s, ", less {} % bundle discount", Num(b.percent));
    }
    if discounts.iter().any(|d| d.id != "bundle") {
        s.push_str(" less ");
        let contract: Vec<_> = discounts
            .iter()
            .filter(|d| d.id != "bundle")
            .cloned()
            .collect();
        discount_words(&mut s, &contract, currency);
    }
    finish(s, proration, net, currency)
}

/// Ends a sentence with the proration, in words ("12/30 of June 2026", see
/// [`Proration::describe`](super::proration::Proration::describe)), and the net amount.
fn finish(mut s: String, proration: Option<&str>, net: Decimal, c: Currency) -> String {
    if let Some(p) = proration {
        let _ = write!(s, " x {p}");
    }
    let _ = write!(s, " = {}", money(net, c));
    s
}

fn discount_words(s: &mut String, discounts: &[AppliedDiscount], c: Currency) {
    for (i, d) in discounts.iter().enumerate() {
        if i > 0 {
            s.push_str(", ");
        }
        // A description that already states its size ("10 % contract discount") is
        // written as it is; otherwise the size comes first.
        let _ = match d.percent {
            _ if d.description.contains('%') => write!(s, "{}", d.description),
            Some(p) => write!(s, "{} % {}", Num(p), d.description),
            None => write!(s, "{} {}", money(d.amount, c), d.description),
        };
    }
}

fn bands_words(s: &mut String, bands: &[tiers::Band], c: Currency, percent: bool) {
    for (i, b) in bands.iter().enumerate() {
        if i > 0 {
            s.push_str(" + ");
        }
        let _ = if b.unit_price.is_zero() && !percent {
            write!(s, "{} included", Num(b.units))
        } else if percent {
            let pct = crate::money::checked_mul(b.unit_price, Decimal::ONE_HUNDRED)
                .unwrap_or(b.unit_price);
            write!(s, "{} % of {}", Num(pct), money(b.units, c))
        } else {
            write!(s, "{} x {}", Num(b.units), money(b.unit_price, c))
        };
        if !b.flat_fee.is_zero() {
            let _ = write!(s, " + {} fee", money(b.flat_fee, c));
        }
    }
}
#[cfg(test)]
mod tests {
    use super::*;
    use std::str::FromStr;

    fn d(s: &str) -> Decimal {
        Decimal::from_str(s).unwrap()
    }

    #[test]
    fn numbers_are_grouped_and_units_counted() {
        assert_eq!(number(d("12500")).to_string(), "12,500");
        assert_eq!(number(d("1234.50")).to_string(), "1,234.5");
        assert_eq!(number(d("100")).to_string(), "100");
        assert_eq!(number(d("0.05")).to_string(), "0.05");
        assert_eq!(number(d("123456")).to_string(), "123,456");
        assert_eq!(number(d("-1000000")).to_string(), "-1,000,000");
        assert_eq!(count(d("25"), "user").to_string(), "25 users");
        assert_eq!(
            Amount(d("150000"), Currency::USD).to_string(),
            "150,000.00 USD"
        );
        assert_eq!(Amount(d("0.00100"), Currency::USD).to_string(), "0.001 USD");
        assert_eq!(
            Amount(d("-1234.5"), Currency::USD).to_string(),
            "-1,234.50 USD"
        );
        let jpy = Currency::try_new("JPY").unwrap();
        assert_eq!(Amount(d("1500.0"), jpy).to_string(), "1,500 JPY");
        assert_eq!(count(d("1"), "user").to_string(), "1 user");
        assert_eq!(count(d("3"), "10 GB").to_string(), "3 x 10 GB");
        assert_eq!(count(d("35"), "GB").to_string(), "35 GB");
        assert_eq!(
            count(d("12500"), "call-minute").to_string(),
            "12,500 call-minutes"
        );
    }
}
