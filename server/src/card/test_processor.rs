//! The built-in test processor: Stripe's test card numbers, given as the payment token.
//! 4242 4242 4242 4242 succeeds, 4000 0000 0000 0002 is declined, 4000 0000 0000 9995 has
//! insufficient funds; anything else is an invalid card. Spaces and dashes are ignored.
//! Idempotent by charge id, like Stripe: a second charge of an id answers the first receipt.
//! Refunds are recorded (amount, currency, payment) for the tests to see, once per charge;
//! [`TestProcessor::refuse_refunds`] makes them fail as an unreachable processor would.

use std::collections::HashMap;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Mutex;

use inflow::Currency;
use rust_decimal::Decimal;

use super::{
    minor_units, refund_key, CardError, CardProcessor, CardReceipt, CardRefund, ChargeFuture,
    RefundFuture,
};

/// The test card that succeeds.
pub const SUCCEEDS: &str = "4242424242424242";
/// The test card that is declined.
pub const DECLINED: &str = "4000000000000002";
/// The test card with insufficient funds.
pub const INSUFFICIENT_FUNDS: &str = "4000000000009995";

/// A processor that charges nothing real.
#[derive(Debug, Default)]
pub struct TestProcessor {
    /// Charge id → (amount in minor units, receipt), for each successful charge.
    charged: Mutex<HashMap<String, (i64, CardReceipt)>>,
    /// Every call, successful or not.
    attempts: Mutex<u64>,
    /// Charge id → its refund, for each refund made.
    refunded: Mutex<HashMap<String, CardRefund>>,
    /// Whether refunds fail (as an unreachable processor's would).
    refuse: AtomicBool,
}

impl TestProcessor {
    /// A processor with no charges yet.
    pub fn new() -> TestProcessor {
        TestProcessor::default()
    }

    /// How many distinct charges succeeded (money taken).
    pub fn charges(&self) -> usize {
        self.charged.lock().map(|m| m.len()).unwrap_or(0)
    }

    /// How many times `charge` was called.
    pub fn attempts(&self) -> u64 {
        self.attempts.lock().map(|n| *n).unwrap_or(0)
    }

    /// The refunds made, by charge id.
    pub fn refunds(&self) -> HashMap<String, CardRefund> {
        self.refunded.lock().map(|m| m.clone()).unwrap_or_default()
    }

    /// Makes every refund from now on fail (`true`) or succeed again (`false`).
    pub fn refuse_refunds(&self, refuse: bool) {
        self.refuse.store(refuse, Ordering::Relaxed);
    }

    fn refund_now(
        &self,
        charge_id: &str,
        payment: &str,
        amount: Decimal,
        currency: Currency,
    ) -> Result<CardRefund, CardError> {
        if self.refuse.load(Ordering::Relaxed) {
            return Err(CardError::Unavailable(
                "the test processor is refusing refunds".into(),
            ));
        }
        let minor = minor_units(amount, currency)?;
        let poisoned = || CardError::Unavailable("the test processor's state is poisoned".into());
        let paid = self
            .charged
            .lock()
            .map_err(|_| poisoned())?
            .get(charge_id)
            .filter(|(_, r)| r.reference == payment)
            .map(|(m, _)| *m)
            .ok_or(CardError::InvalidCard)?;
        if minor > paid {
            return Err(CardError::Unavailable(format!(
                "a refund of {amount} {currency} is more than the payment {payment}"
            )));
        }
        let mut refunded = self.refunded.lock().map_err(|_| poisoned())?;
        let refund = refunded
            .entry(charge_id.to_string())
            .or_insert_with(|| CardRefund {
                reference: format!("test_re_{}", refund_key(charge_id)),
                payment: payment.to_string(),
                amount,
                currency: currency.to_string(),
            });
        Ok(refund.clone())
    }

    fn charge_now(
        &self,
        charge_id: &str,
        amount: Decimal,
        currency: Currency,
        token: &str,
    ) -> Result<CardReceipt, CardError> {
        if let Ok(mut n) = self.attempts.lock() {
            *n += 1;
        }
        let minor = minor_units(amount, currency)?;
        let number: String = token.chars().filter(|c| !matches!(c, ' ' | '-')).collect();
        match number.as_str() {
            SUCCEEDS => {}
            DECLINED => return Err(CardError::Declined),
            INSUFFICIENT_FUNDS => return Err(CardError::InsufficientFunds),
            _ => return Err(CardError::InvalidCard),
        }
        let mut charged = self
            .charged
            .lock()
            .map_err(|_| CardError::Unavailable("the test processor's state is poisoned".into()))?;
        let entry = charged.entry(charge_id.to_string()).or_insert_with(|| {
            (
                minor,
                CardReceipt {
                    reference: format!("test_pi_{charge_id}"),
                    last4: Some(number[number.len() - 4..].to_string()),
                },
            )
        });
        Ok(entry.1.clone())
    }
}

impl CardProcessor for TestProcessor {
    fn charge<'a>(
        &'a self,
        charge_id: &'a str,
        amount: Decimal,
        currency: Currency,
        payment_token: &'a str,
    ) -> ChargeFuture<'a> {
        let result = self.charge_now(charge_id, amount, currency, payment_token);
        Box::pin(async move { result })
    }

    fn refund<'a>(
        &'a self,
        charge_id: &'a str,
        payment: &'a str,
        amount: Decimal,
        currency: Currency,
    ) -> RefundFuture<'a> {
        let result = self.refund_now(charge_id, payment, amount, currency);
        Box::pin(async move { result })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    async fn charge(p: &TestProcessor, id: &str, token: &str) -> Result<CardReceipt, CardError> {
        p.charge(id, Decimal::new(4900, 2), Currency::USD, token)
            .await
    }

    #[tokio::test]
    async fn follows_stripes_test_cards_and_charges_an_id_once() {
        let p = TestProcessor::new();
        let r = charge(&p, "c-1", "4242 4242 4242 4242").await.unwrap();
        assert_eq!(r.last4.as_deref(), Some("4242"));
        assert_eq!(charge(&p, "c-1", SUCCEEDS).await.unwrap(), r);
        assert_eq!(charge(&p, "c-2", DECLINED).await, Err(CardError::Declined));
        assert_eq!(
            charge(&p, "c-3", INSUFFICIENT_FUNDS).await,
            Err(CardError::InsufficientFunds)
        );
        assert_eq!(charge(&p, "c-4", "1234").await, Err(CardError::InvalidCard));
        assert_eq!(p.charges(), 1);
        assert_eq!(p.attempts(), 5);
    }

    #[tokio::test]
    async fn refunds_a_payment_once_and_records_it() {
        let p = TestProcessor::new();
        let r = charge(&p, "c-1", SUCCEEDS).await.unwrap();
        let half = Decimal::new(2450, 2);
        assert_eq!(
            p.refund("c-1", "pi_other", half, Currency::USD).await,
            Err(CardError::InvalidCard)
        );
        assert!(matches!(
            p.refund("c-1", &r.reference, Decimal::new(4901, 2), Currency::USD)
                .await,
            Err(CardError::Unavailable(_))
        ));
        p.refuse_refunds(true);
        assert!(p
            .refund("c-1", &r.reference, half, Currency::USD)
            .await
            .is_err());
        p.refuse_refunds(false);
        let first = p
            .refund("c-1", &r.reference, half, Currency::USD)
            .await
            .unwrap();
        assert_eq!(
            (
                first.amount,
                first.currency.as_str(),
                first.payment.as_str()
            ),
            (half, "USD", r.reference.as_str())
        );
        let again = p
            .refund("c-1", &r.reference, half, Currency::USD)
            .await
            .unwrap();
        assert_eq!(again, first);
        assert_eq!(p.refunds().len(), 1);
    }
}
