//! Pricing: price models, contract overrides and discounts, bundles, proration, quotes and
//! the best-plan advisor.
//!
//! # Exactness and rounding
//!
//! Every amount is a [`Decimal`], computed with checked arithmetic (an overflow is
//! [`ErrorKind::Overflow`](crate::ErrorKind::Overflow), never a wrap or a panic). Nothing is rounded
//! while a line is computed: the model's amount, the contract's discounts and the proration
//! factor all stay exact. **Rounding happens at one point only: each quote line's net
//! amount**, to the currency's minor unit (ISO 4217: 2 places for USD, 0 for JPY), with the
//! catalog's [`Rounding`] mode. A quote's total is the exact sum of its rounded lines, so
//! it always equals what the lines show.
//!
//! # Order of a line
//!
//! 1. the price: the contract's override for (module, plan, currency), else the list price;
//! 2. the model's amount for the quantity (or transactions), bounded by the price's
//!    per-period minimum and maximum ([`models::amount`]); for a bundle without plans of
//!    its own, the sum of its parts less the bundle discount ([`bundle`]);
//! 3. the contract's discounts active on the quote's date, in contract order, each on
//!    what the previous ones left, never below zero ([`discount`]);
//! 4. proration: × charged days / days in the billing period ([`proration`]);
//! 5. rounding of the net, as above.

pub mod advisor;
pub mod bundle;
pub mod describe;
pub mod discount;
pub mod models;
pub mod percentage;
pub mod proration;
pub mod quote;
pub mod selections;
pub mod tiers;

use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};

pub use advisor::{
    advise, Advice, AdviceRequest, Candidate, Component, OptionCost, QuantitySource,
};
pub use proration::Proration;
pub use quote::{quote, Quote, QuoteLine, QuoteRequest, Selection};

use crate::error::Result;
use crate::manifest::Price;
use crate::money::{Currency, Rounding};

/// One price evaluated on its own, without manifests (what `inflow price` prints).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct PriceResult {
    /// The exact, unrounded amount.
    #[cfg_attr(feature = "schema", schemars(with = "String"))]
    pub amount: Decimal,
    /// The amount rounded to the currency's minor unit.
    #[cfg_attr(feature = "schema", schemars(with = "String"))]
    pub rounded: Decimal,
    /// The currency.
    pub currency: Currency,
}

/// Prices `quantity` (or `transactions`, for percentage models) with `price` for one
/// period, and rounds the result to `currency`'s minor unit with `rounding`.
///
/// ```
/// use inflow::manifest::{Price, PriceModel};
/// use inflow::{Currency, Rounding};
/// use rust_decimal::Decimal;
///
/// let price = Price {
///     model: PriceModel::PerUnit { unit_price: Decimal::new(2250, 2) },
///     minimum: None,
///     maximum: None,
/// };
/// let r = inflow::pricing::price_one(&price, Decimal::new(125, 1), &[], Currency::USD, Rounding::HalfUp)?;
/// assert_eq!(r.amount.to_string(), "281.250"); // 12.5 x 22.50, exact
/// assert_eq!(r.rounded.to_string(), "281.25");
/// # Ok::<(), inflow::Error>(())
/// ```
///
/// # Errors
/// As [`models::amount`].
pub fn price_one(
    price: &Price,
    quantity: Decimal,
    transactions: &[Decimal],
    currency: Currency,
    rounding: Rounding,
) -> Result<PriceResult> {
    let amount = models::amount(price, quantity, transactions)?;
    Ok(PriceResult {
        amount,
        rounded: rounding.round(amount, currency.minor_units()),
        currency,
    })
}
