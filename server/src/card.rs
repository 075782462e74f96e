//! Card payments: the [`CardProcessor`] the server charges a `card` purchase through, inside
//! the recording flow (a declined card records nothing). Two implementations: the built-in
//! [`TestProcessor`] (Stripe's test card numbers; the demo and the tests) and [`Stripe`]
//! (PaymentIntents with the charge id as idempotency key).
//!
//! A cancelled card purchase is refunded its prorated credit through the same processor
//! ([`CardProcessor::refund`]), idempotent by a key derived from the charge id.
//!
//! The payment token is what the supplier's own checkout page collected (a Stripe
//! PaymentMethod id in production, a test card number with the test processor); the card
//! itself never passes through a CRM host's page nor this server.

pub mod stripe;
pub mod test_processor;

use std::fmt;
use std::future::Future;
use std::pin::Pin;

use inflow::Currency;
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};

pub use stripe::Stripe;
pub use test_processor::TestProcessor;

/// A successful card charge.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CardReceipt {
    /// The processor's reference (a PaymentIntent id for Stripe).
    pub reference: String,
    /// The card's last four digits, when the processor tells them.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub last4: Option<String>,
}

/// A refund the processor made (or accepted and will make).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CardRefund {
    /// The processor's reference of the refund (a Refund id for Stripe).
    pub reference: String,
    /// The payment refunded (the charge's [`CardReceipt::reference`]).
    pub payment: String,
    /// The amount given back, exact.
    pub amount: Decimal,
    /// Its currency.
    pub currency: String,
}

/// The idempotency key of a charge's refund: a charge is refunded at most once.
pub fn refund_key(charge_id: &str) -> String {
    format!("refund-{charge_id}")
}

/// Why a card was not charged. Nothing was taken from the card.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum CardError {
    /// The issuer declined the card.
    Declined,
    /// The card has not enough funds.
    InsufficientFunds,
    /// The token is not a usable card.
    InvalidCard,
    /// The processor could not be reached or answered unexpectedly (try again later).
    Unavailable(String),
}

impl CardError {
    /// The stable code answered to the client.
    pub fn code(&self) -> &'static str {
        match self {
            CardError::Declined => "card_declined",
            CardError::InsufficientFunds => "insufficient_funds",
            CardError::InvalidCard => "invalid_card",
            CardError::Unavailable(_) => "card_processor_unavailable",
        }
    }
}

impl fmt::Display for CardError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            CardError::Declined => f.write_str(
                "your card was declined and nothing was charged: use another card or ask your bank",
            ),
            CardError::InsufficientFunds => f.write_str(
                "your card has insufficient funds and nothing was charged: use another card",
            ),
            CardError::InvalidCard => f.write_str(
                "the card details are not valid and nothing was charged: check the number or use another card",
            ),
            CardError::Unavailable(why) => write!(
                f,
                "the card processor is unavailable ({why}); nothing was recorded: try again in a minute"
            ),
        }
    }
}

impl std::error::Error for CardError {}

/// What a processor's charge resolves to.
pub type ChargeFuture<'a> =
    Pin<Box<dyn Future<Output = Result<CardReceipt, CardError>> + Send + 'a>>;

/// What a processor's refund resolves to.
pub type RefundFuture<'a> =
    Pin<Box<dyn Future<Output = Result<CardRefund, CardError>> + Send + 'a>>;

/// Charges cards and refunds them. Implementations must be idempotent by `charge_id`:
/// charging the same id twice takes the money once and answers the first receipt, and
/// refunding it twice gives the money back once.
pub trait CardProcessor: Send + Sync + fmt::Debug {
    /// Charges `amount` in `currency` to the card behind `payment_token`.
    fn charge<'a>(
        &'a self,
        charge_id: &'a str,
        amount: Decimal,
        currency: Currency,
        payment_token: &'a str,
    ) -> ChargeFuture<'a>;

    /// Gives `amount` in `currency` back on the card payment `payment` (the charge's
    /// receipt reference) of the charge `charge_id`.
    fn refund<'a>(
        &'a self,
        charge_id: &'a str,
        payment: &'a str,
        amount: Decimal,
        currency: Currency,
    ) -> RefundFuture<'a>;
}

/// `amount` in the currency's minor units (cents for USD), exactly.
///
/// # Errors
/// [`CardError::Unavailable`] (with the reason) for an amount with more decimals than the
/// currency has, or out of range.
pub fn minor_units(amount: Decimal, currency: Currency) -> Result<i64, CardError> {
    let scale = Decimal::from(10_i64.pow(currency.minor_units()));
    let minor = amount
        .checked_mul(scale)
        .ok_or_else(|| CardError::Unavailable(format!("{amount} {currency} is out of range")))?;
    if !minor.fract().is_zero() {
        return Err(CardError::Unavailable(format!(
            "{amount} {currency} has more decimals than the currency allows: re-quote the purchase"
        )));
    }
    i64::try_from(minor.trunc())
        .map_err(|_| CardError::Unavailable(format!("{amount} {currency} is out of range")))
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::str::FromStr;

    #[test]
    fn minor_units_are_exact() {
        let d = |s| Decimal::from_str(s).unwrap();
        assert_eq!(minor_units(d("12.50"), Currency::USD), Ok(1250));
        assert!(minor_units(d("0.001"), Currency::USD).is_err());
    }
}
