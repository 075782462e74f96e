//! The one sentence each quote line carries, for a person to read:
//! `25 users x 22.50 USD (10 % contract discount) x 12/30 of June 2026 = 225.00 USD`.

use rust_decimal::Decimal;

use super::bundle::BundlePrice;
use super::discount::AppliedDiscount;
use super::models;
use super::percentage;
use super::proration::Proration;
use super::tiers;
use crate::error::Result;
use crate::manifest::{BillingPeriod, Price, PriceModel};
use crate::money::{Currency, Money};

/// `12500` → `12,500`; `1234.5` → `1,234.5`.
pub fn number(q: Decimal) -> String {
    let s = q.normalize().to_string();
    let (sign, digits) = s.strip_prefix('-').map_or(("", s.as_str()), |r| ("-", r));
    let (int, frac) = digits.split_once('.').map_or((digits, ""), |(i, f)| (i, f));
    let mut grouped = String::with_capacity(int.len() + int.len() / 3);
    for (i, c) in int.chars().enumerate() {
        if i > 0 && (int.len() - i) % 3 == 0 {
            grouped.push(',');
        }
        grouped.push(c);
    }
    if frac.is_empty() {
        format!("{sign}{grouped}")
    } else {
        format!("{sign}{grouped}.{frac}")
    }
}

/// `25 users`, `1 user`, `3 x 10 GB` style counts: a plain lower-case word unit is made
/// plural by an `s`; any other unit is written after an `x`.
pub fn count(q: Decimal, unit: &str) -> String {
    let plain = !unit.is_empty() && unit.chars().all(|c| c.is_ascii_lowercase() || c == '-');
    if !plain {
        return format!("{} x {unit}", number(q));
    }
    if q == Decimal::ONE || unit.ends_with('s') {
        format!("{} {unit}", number(q))
    } else {
        format!("{} {unit}s", number(q))
    }
}

fn money(amount: Decimal, currency: Currency) -> String {
    Money::new(amount, currency).to_string()
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

/// The sentence of a plan line.
///
/// # Errors
/// The errors of the price models (the line itself was computed first, so none occur in
/// practice).
pub fn plan_line(
    p: &Priced<'_>,
    discounts: &[AppliedDiscount],
    proration: Option<&Proration>,
    net: Decimal,
) -> Result<String> {
    let c = p.currency;
    let all_percent = !discounts.is_empty() && discounts.iter().all(|d| d.percent.is_some());
    let mut s;
    let mut discounts_said = false;
    match &p.price.model {
        PriceModel::Flat { amount } => s = format!("{} {}", money(*amount, c), per(p.period)),
        PriceModel::PerUnit { unit_price } => {
            let mut shown = *unit_price;
            if all_percent {
                for d in discounts {
                    let pct = d.percent.unwrap_or(Decimal::ZERO);
                    shown = shown
                        .checked_sub(super::discount::percent_of(shown, pct)?)
                        .unwrap_or(shown);
                }
                discounts_said = true;
            }
            s = format!("{} x {}", count(p.quantity, p.unit), money(shown, c));
            if all_percent {
                s.push_str(&format!(" ({})", discount_words(discounts, c)));
            }
        }
        PriceModel::Package {
            size,
            price,
            free_units,
        } => {
            let (packs, _) = models::package(*size, *price, *free_units, p.quantity)?;
            s = count(p.quantity, p.unit);
            if !free_units.is_zero() {
                s.push_str(&format!(" less {} free", number(*free_units)));
            }
            let word = if packs == Decimal::ONE {
                "pack"
            } else {
                "packs"
            };
            s.push_str(&format!(
                " = {} {word} of {} x {}",
                number(packs),
                number(*size),
                money(*price, c)
            ));
        }
        PriceModel::Graduated { tiers } => {
            let bands = tiers::graduated_bands(tiers, p.quantity)?;
            s = format!(
                "{}: {}",
                count(p.quantity, p.unit),
                bands_words(&bands, c, false)
            );
        }
        PriceModel::Volume { tiers } => {
            s = count(p.quantity, p.unit);
            if let Some(t) = tiers::volume_tier(tiers, p.quantity)? {
                s.push_str(&format!(" x {}", money(t.unit_price, c)));
                if let Some(u) = t.up_to {
                    s.push_str(&format!(" (volume tier up to {})", number(u)));
                } else {
                    s.push_str(" (top volume tier)");
                }
                if !t.flat_fee.is_zero() {
                    s.push_str(&format!(" + {} fee", money(t.flat_fee, c)));
                }
            }
        }
        PriceModel::Percentage {
            rate,
            fixed_fee,
            free_transactions,
            ..
        } => {
            s = format!(
                "{} at {} %",
                count(Decimal::from(p.transactions.len()), "transaction"),
                number(*rate)
            );
            if !fixed_fee.is_zero() {
                s.push_str(&format!(" + {} each", money(*fixed_fee, c)));
            }
            if *free_transactions > 0 {
                s.push_str(&format!(" (first {free_transactions} free)"));
            }
        }
        PriceModel::GraduatedPercentage { tiers } => {
            let total = percentage::total(p.transactions)?;
            let bands = percentage::graduated_bands(tiers, p.transactions)?;
            s = format!(
                "{} of transactions: {}",
                money(total, c),
                bands_words(&bands, c, true)
            );
        }
    }
    let model = models::model_amount(&p.price.model, p.quantity, p.transactions)?;
    let bounded = models::amount(p.price, p.quantity, p.transactions)?;
    if bounded > model {
        s.push_str(&format!(" (raised to the {} minimum)", money(bounded, c)));
    } else if bounded < model {
        s.push_str(&format!(" (capped at the {} maximum)", money(bounded, c)));
    }
    if !discounts_said && !discounts.is_empty() {
        s.push_str(&format!(" less {}", discount_words(discounts, c)));
    }
    Ok(finish(s, proration, net, c))
}

/// The sentence of a bundle line priced from its parts.
pub fn bundle_line(
    b: &BundlePrice,
    quantity: Decimal,
    discounts: &[AppliedDiscount],
    proration: Option<&Proration>,
    net: Decimal,
    currency: Currency,
) -> String {
    let parts = b
        .parts
        .iter()
        .map(|p| format!("{} {}", p.name, money(p.amount, currency)))
        .collect::<Vec<_>>()
        .join(" + ");
    let mut s = format!("{}: {parts}", count(quantity, &b.unit));
    let contract: Vec<_> = discounts
        .iter()
        .filter(|d| d.id != "bundle")
        .cloned()
        .collect();
    if !b.discount.is_zero() {
        s.push_str(&format!(", less {} % bundle discount", number(b.percent)));
    }
    if !contract.is_empty() {
        s.push_str(&format!(" less {}", discount_words(&contract, currency)));
    }
    finish(s, proration, net, currency)
}

fn finish(mut s: String, proration: Option<&Proration>, net: Decimal, c: Currency) -> String {
    if let Some(p) = proration.filter(|p| !p.is_full()) {
        s.push_str(&format!(" x {}", p.describe()));
    }
    s.push_str(&format!(" = {}", money(net, c)));
    s
}

fn discount_words(discounts: &[AppliedDiscount], c: Currency) -> String {
    discounts
        .iter()
        .map(|d| match d.percent {
            Some(p) => format!("{} % {}", number(p), d.description),
            None => format!("{} {}", money(d.amount, c), d.description),
        })
        .collect::<Vec<_>>()
        .join(", ")
}

fn bands_words(bands: &[tiers::Band], c: Currency, percent: bool) -> String {
    bands
        .iter()
        .map(|b| {
            let mut w = if percent {
                let pct = b
                    .unit_price
                    .checked_mul(Decimal::ONE_HUNDRED)
                    .unwrap_or(b.unit_price);
                format!("{} % of {}", number(pct), money(b.units, c))
            } else {
                format!("{} x {}", number(b.units), money(b.unit_price, c))
            };
            if !b.flat_fee.is_zero() {
                w.push_str(&format!(" + {} fee", money(b.flat_fee, c)));
            }
            w
        })
        .collect::<Vec<_>>()
        .join(" + ")
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
        assert_eq!(number(d("12500")), "12,500");
        assert_eq!(number(d("1234.50")), "1,234.5");
        assert_eq!(number(d("100")), "100");
        assert_eq!(number(d("-1000000")), "-1,000,000");
        assert_eq!(count(d("25"), "user"), "25 users");
        assert_eq!(count(d("1"), "user"), "1 user");
        assert_eq!(count(d("3"), "10 GB"), "3 x 10 GB");
        assert_eq!(count(d("12500"), "call-minute"), "12,500 call-minutes");
    }
}
