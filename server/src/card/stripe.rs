//! The Stripe processor: one confirmed PaymentIntent per charge, `POST /v1/payment_intents`
//! (form-encoded: amount in minor units, currency, `confirm=true`, the PaymentMethod the
//! supplier's own checkout page created with Stripe Elements), authenticated with the secret
//! key, and the charge id as `Idempotency-Key`, so a retried or replayed charge never takes
//! the money twice. A cancellation's refund is `POST /v1/refunds` (the PaymentIntent and
//! the amount in minor units) with `refund-{charge id}` as its idempotency key.

use std::time::Duration;

use inflow::Currency;
use rust_decimal::Decimal;
use serde_json::Value;

use super::{
    minor_units, refund_key, CardError, CardProcessor, CardReceipt, CardRefund, ChargeFuture,
    RefundFuture,
};

/// Stripe's API.
pub const API_BASE: &str = "https://api.stripe.com";

/// Charges cards through Stripe.
#[derive(Clone)]
pub struct Stripe {
    secret: String,
    base: String,
    client: reqwest::Client,
}

impl std::fmt::Debug for Stripe {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        // Never print the secret key.
        f.debug_struct("Stripe").field("base", &self.base).finish()
    }
}

impl Stripe {
    /// A processor for the secret key `secret` (`sk_live_…` or `sk_test_…`).
    pub fn new(secret: impl Into<String>) -> Stripe {
        Stripe::with_base(secret, API_BASE)
    }

    /// The same against another base URL (a mock in tests).
    pub fn with_base(secret: impl Into<String>, base: impl Into<String>) -> Stripe {
        let client = reqwest::Client::builder()
            .timeout(Duration::from_secs(30))
            .build()
            .unwrap_or_default();
        Stripe {
            secret: secret.into(),
            base: base.into().trim_end_matches('/').to_string(),
            client,
        }
    }

    /// The PaymentIntent request for a charge, ready to send.
    ///
    /// # Errors
    /// [`CardError::Unavailable`] when the amount does not fit the currency or the request
    /// cannot be built.
    pub fn request(
        &self,
        charge_id: &str,
        amount: Decimal,
        currency: Currency,
        payment_token: &str,
    ) -> Result<reqwest::Request, CardError> {
        let minor = minor_units(amount, currency)?;
        let form = [
            ("amount", minor.to_string()),
            ("currency", currency.to_string().to_lowercase()),
            ("confirm", "true".to_string()),
            ("payment_method", payment_token.to_string()),
            ("automatic_payment_methods[enabled]", "true".to_string()),
            (
                "automatic_payment_methods[allow_redirects]",
                "never".to_string(),
            ),
            ("metadata[inflow_charge_id]", charge_id.to_string()),
        ];
        self.client
            .post(format!("{}/v1/payment_intents", self.base))
            .bearer_auth(&self.secret)
            .header("Idempotency-Key", charge_id)
            .form(&form)
            .build()
            .map_err(|e| CardError::Unavailable(format!("cannot build the Stripe request: {e}")))
    }

    /// The Refund request giving `amount` back on the PaymentIntent `payment` of the
    /// charge `charge_id`, ready to send.
    ///
    /// # Errors
    /// As [`Stripe::request`].
    pub fn refund_request(
        &self,
        charge_id: &str,
        payment: &str,
        amount: Decimal,
        currency: Currency,
    ) -> Result<reqwest::Request, CardError> {
        let minor = minor_units(amount, currency)?;
        let form = [
            ("payment_intent", payment.to_string()),
            ("amount", minor.to_string()),
            ("reason", "requested_by_customer".to_string()),
            ("metadata[inflow_charge_id]", charge_id.to_string()),
        ];
        self.client
            .post(format!("{}/v1/refunds", self.base))
            .bearer_auth(&self.secret)
            .header("Idempotency-Key", refund_key(charge_id))
            .form(&form)
            .build()
            .map_err(|e| CardError::Unavailable(format!("cannot build the Stripe request: {e}")))
    }

    async fn send(&self, request: reqwest::Request) -> Result<CardReceipt, CardError> {
        let (status, body) = self.exchange(request).await?;
        outcome(status, &body)
    }

    async fn exchange(&self, request: reqwest::Request) -> Result<(u16, Value), CardError> {
        let response = self
            .client
            .execute(request)
            .await
            .map_err(|e| CardError::Unavailable(format!("Stripe is unreachable: {e}")))?;
        let status = response.status();
        let body: Value = response
            .json()
            .await
            .map_err(|e| CardError::Unavailable(format!("Stripe answered {status}: {e}")))?;
        Ok((status.as_u16(), body))
    }
}

/// A Stripe answer to a Refund request as the refund, or why it was not made.
///
/// # Errors
/// [`CardError::InvalidCard`] for an unknown PaymentIntent, else [`CardError::Unavailable`]
/// with Stripe's words.
pub fn refund_outcome(
    status: u16,
    body: &Value,
    amount: Decimal,
    currency: Currency,
) -> Result<CardRefund, CardError> {
    if (200..300).contains(&status) {
        return match body["status"].as_str() {
            Some("succeeded" | "pending") => Ok(CardRefund {
                reference: body["id"].as_str().unwrap_or_default().to_string(),
                payment: body["payment_intent"]
                    .as_str()
                    .unwrap_or_default()
                    .to_string(),
                amount,
                currency: currency.to_string(),
            }),
            other => Err(CardError::Unavailable(format!(
                "Stripe's refund is {}",
                other.unwrap_or("in an unknown state")
            ))),
        };
    }
    let error = &body["error"];
    if error["code"].as_str() == Some("resource_missing") {
        return Err(CardError::InvalidCard);
    }
    Err(CardError::Unavailable(format!(
        "Stripe answered {status} {}",
        error["message"].as_str().unwrap_or("without a message")
    )))
}

/// A Stripe answer as a receipt or a card error.
///
/// # Errors
/// The [`CardError`] the answer means.
pub fn outcome(status: u16, body: &Value) -> Result<CardReceipt, CardError> {
    if (200..300).contains(&status) {
        return match body["status"].as_str() {
            Some("succeeded" | "processing") => Ok(CardReceipt {
                reference: body["id"].as_str().unwrap_or_default().to_string(),
                last4: None,
            }),
            // 3-D Secure or another step the buyer must take on the checkout page.
            _ => Err(CardError::Declined),
        };
    }
    let error = &body["error"];
    let code = error["code"].as_str().unwrap_or_default();
    let decline = error["decline_code"].as_str().unwrap_or_default();
    match (code, decline) {
        (_, "insufficient_funds") => Err(CardError::InsufficientFunds),
        ("card_declined", _) => Err(CardError::Declined),
        (
            "incorrect_number"
            | "invalid_number"
            | "expired_card"
            | "incorrect_cvc"
            | "invalid_expiry_month"
            | "invalid_expiry_year"
            | "resource_missing",
            _,
        ) => Err(CardError::InvalidCard),
        _ if status == 402 => Err(CardError::Declined),
        _ => Err(CardError::Unavailable(format!(
            "Stripe answered {status} {}",
            error["message"].as_str().unwrap_or("without a message")
        ))),
    }
}

impl CardProcessor for Stripe {
    fn charge<'a>(
        &'a self,
        charge_id: &'a str,
        amount: Decimal,
        currency: Currency,
        payment_token: &'a str,
    ) -> ChargeFuture<'a> {
        Box::pin(async move {
            let request = self.request(charge_id, amount, currency, payment_token)?;
            self.send(request).await
        })
    }

    fn refund<'a>(
        &'a self,
        charge_id: &'a str,
        payment: &'a str,
        amount: Decimal,
        currency: Currency,
    ) -> RefundFuture<'a> {
        Box::pin(async move {
            let request = self.refund_request(charge_id, payment, amount, currency)?;
            let (status, body) = self.exchange(request).await?;
            refund_outcome(status, &body, amount, currency)
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn form_of(r: &reqwest::Request) -> Vec<(String, String)> {
        let body = std::str::from_utf8(r.body().unwrap().as_bytes().unwrap()).unwrap();
        body.split('&')
            .map(|kv| {
                let (k, v) = kv.split_once('=').unwrap();
                (k.replace("%5B", "[").replace("%5D", "]"), v.to_string())
            })
            .collect()
    }

    /// The client speaks TLS to Stripe's https URLs: a loopback listener standing in for
    /// api.stripe.com receives a TLS handshake record (0x16), not plain HTTP (and not
    /// nothing, as a client built without a TLS backend would send).
    #[tokio::test]
    async fn requests_to_stripe_go_over_tls() {
        use tokio::io::AsyncReadExt;
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let port = listener.local_addr().unwrap().port();
        let first_byte = tokio::spawn(async move {
            let (mut socket, _) = listener.accept().await.unwrap();
            let mut byte = [0u8; 1];
            socket.read_exact(&mut byte).await.map(|_| byte[0]).ok()
        });
        let s = Stripe::with_base("sk_test_123", format!("https://127.0.0.1:{port}"));
        let r = s
            .request(
                "charge-0001",
                Decimal::new(1200, 2),
                Currency::USD,
                "pm_card_visa",
            )
            .unwrap();
        let sent = tokio::time::timeout(Duration::from_secs(10), s.exchange(r)).await;
        let err = sent
            .expect("the request neither failed nor finished")
            .unwrap_err();
        assert!(matches!(err, CardError::Unavailable(_)), "{err:?}");
        let seen = tokio::time::timeout(Duration::from_secs(10), first_byte).await;
        assert_eq!(seen.unwrap().unwrap(), Some(0x16), "not a TLS handshake");
    }

    #[test]
    fn builds_a_refund_of_the_payment_intent_keyed_by_the_charge_id() {
        let s = Stripe::new("sk_test_123");
        let r = s
            .refund_request(
                "charge-0001",
                "pi_123",
                Decimal::new(2450, 2),
                Currency::USD,
            )
            .unwrap();
        assert_eq!(r.method(), reqwest::Method::POST);
        assert_eq!(r.url().as_str(), "https://api.stripe.com/v1/refunds");
        let h = r.headers();
        assert_eq!(h["authorization"], "Bearer sk_test_123");
        assert_eq!(h["idempotency-key"], "refund-charge-0001");
        assert_eq!(h["content-type"], "application/x-www-form-urlencoded");
        let form = form_of(&r);
        let get = |k: &str| form.iter().find(|(x, _)| x == k).map(|(_, v)| v.as_str());
        assert_eq!(get("payment_intent"), Some("pi_123"));
        assert_eq!(get("amount"), Some("2450"));
        assert_eq!(get("metadata[inflow_charge_id]"), Some("charge-0001"));
        assert!(s
            .refund_request("c", "pi_1", Decimal::new(1, 3), Currency::USD)
            .is_err());
    }

    #[test]
    fn refund_answers_map_to_refunds_and_errors() {
        let amount = Decimal::new(2450, 2);
        let ok = refund_outcome(
            200,
            &json!({"id": "re_1", "status": "succeeded", "payment_intent": "pi_1"}),
            amount,
            Currency::USD,
        )
        .unwrap();
        assert_eq!(
            (ok.reference.as_str(), ok.payment.as_str()),
            ("re_1", "pi_1")
        );
        assert_eq!((ok.amount, ok.currency.as_str()), (amount, "USD"));
        assert!(matches!(
            refund_outcome(200, &json!({"status": "failed"}), amount, Currency::USD),
            Err(CardError::Unavailable(_))
        ));
        assert_eq!(
            refund_outcome(
                404,
                &json!({"error": {"code": "resource_missing"}}),
                amount,
                Currency::USD
            ),
            Err(CardError::InvalidCard)
        );
        assert!(matches!(
            refund_outcome(
                400,
                &json!({"error": {"message": "idempotency"}}),
                amount,
                Currency::USD
            ),
            Err(CardError::Unavailable(_))
        ));
    }

    #[test]
    fn builds_a_confirmed_payment_intent_with_the_charge_id_as_idempotency_key() {
        let s = Stripe::new("sk_test_123");
        let r = s
            .request(
                "charge-0001",
                Decimal::new(4900, 2),
                Currency::USD,
                "pm_card_visa",
            )
            .unwrap();
        assert_eq!(r.method(), reqwest::Method::POST);
        assert_eq!(
            r.url().as_str(),
            "https://api.stripe.com/v1/payment_intents"
        );
        let h = r.headers();
        assert_eq!(h["authorization"], "Bearer sk_test_123");
        assert_eq!(h["idempotency-key"], "charge-0001");
        assert_eq!(h["content-type"], "application/x-www-form-urlencoded");
        let form = form_of(&r);
        let get = |k: &str| form.iter().find(|(x, _)| x == k).map(|(_, v)| v.as_str());
        assert_eq!(get("amount"), Some("4900"));
        assert_eq!(get("currency"), Some("usd"));
        assert_eq!(get("confirm"), Some("true"));
        assert_eq!(get("payment_method"), Some("pm_card_visa"));
        assert!(!format!("{s:?}").contains("sk_test"));
    }

    #[test]
    fn answers_map_to_receipts_and_card_errors() {
        let ok = outcome(200, &json!({"id": "pi_1", "status": "succeeded"})).unwrap();
        assert_eq!(ok.reference, "pi_1");
        let e = |code: &str, decline: &str| {
            outcome(
                402,
                &json!({"error": {"code": code, "decline_code": decline}}),
            )
        };
        assert_eq!(
            e("card_declined", "generic_decline"),
            Err(CardError::Declined)
        );
        assert_eq!(
            e("card_declined", "insufficient_funds"),
            Err(CardError::InsufficientFunds)
        );
        assert_eq!(e("incorrect_number", ""), Err(CardError::InvalidCard));
        assert!(matches!(
            outcome(500, &json!({})),
            Err(CardError::Unavailable(_))
        ));
    }
}
