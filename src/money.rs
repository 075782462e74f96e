//! Exact money: a [`Decimal`] amount with an ISO 4217 [`Currency`].
//!
//! Arithmetic is checked: an overflow is [`Error::Overflow`], never a panic or a wrap.
//! Amounts are kept unrounded through a computation and rounded only at documented points
//! (each quote line, to the currency's minor unit) with the catalog's [`Rounding`] mode.

use std::fmt;

use rust_decimal::{Decimal, RoundingStrategy};
use serde::{Deserialize, Serialize};

use crate::error::{Error, Result};

/// Active ISO 4217 codes and their minor units (the number of decimal places).
/// Funds codes and precious metals are left out: nobody is billed in them.
const CURRENCIES: &[(&str, u8)] = &[
    ("AED", 2),
    ("AFN", 2),
    ("ALL", 2),
    ("AMD", 2),
    ("ANG", 2),
    ("AOA", 2),
    ("ARS", 2),
    ("AUD", 2),
    ("AWG", 2),
    ("AZN", 2),
    ("BAM", 2),
    ("BBD", 2),
    ("BDT", 2),
    ("BGN", 2),
    ("BHD", 3),
    ("BIF", 0),
    ("BMD", 2),
    ("BND", 2),
    ("BOB", 2),
    ("BRL", 2),
    ("BSD", 2),
    ("BTN", 2),
    ("BWP", 2),
    ("BYN", 2),
    ("BZD", 2),
    ("CAD", 2),
    ("CDF", 2),
    ("CHF", 2),
    ("CLP", 0),
    ("CNY", 2),
    ("COP", 2),
    ("CRC", 2),
    ("CUP", 2),
    ("CVE", 2),
    ("CZK", 2),
    ("DJF", 0),
    ("DKK", 2),
    ("DOP", 2),
    ("DZD", 2),
    ("EGP", 2),
    ("ERN", 2),
    ("ETB", 2),
    ("EUR", 2),
    ("FJD", 2),
    ("FKP", 2),
    ("GBP", 2),
    ("GEL", 2),
    ("GHS", 2),
    ("GIP", 2),
    ("GMD", 2),
    ("GNF", 0),
    ("GTQ", 2),
    ("GYD", 2),
    ("HKD", 2),
    ("HNL", 2),
    ("HTG", 2),
    ("HUF", 2),
    ("IDR", 2),
    ("ILS", 2),
    ("INR", 2),
    ("IQD", 3),
    ("IRR", 2),
    ("ISK", 0),
    ("JMD", 2),
    ("JOD", 3),
    ("JPY", 0),
    ("KES", 2),
    ("KGS", 2),
    ("KHR", 2),
    ("KMF", 0),
    ("KPW", 2),
    ("KRW", 0),
    ("KWD", 3),
    ("KYD", 2),
    ("KZT", 2),
    ("LAK", 2),
    ("LBP", 2),
    ("LKR", 2),
    ("LRD", 2),
    ("LSL", 2),
    ("LYD", 3),
    ("MAD", 2),
    ("MDL", 2),
    ("MGA", 2),
    ("MKD", 2),
    ("MMK", 2),
    ("MNT", 2),
    ("MOP", 2),
    ("MRU", 2),
    ("MUR", 2),
    ("MVR", 2),
    ("MWK", 2),
    ("MXN", 2),
    ("MYR", 2),
    ("MZN", 2),
    ("NAD", 2),
    ("NGN", 2),
    ("NIO", 2),
    ("NOK", 2),
    ("NPR", 2),
    ("NZD", 2),
    ("OMR", 3),
    ("PAB", 2),
    ("PEN", 2),
    ("PGK", 2),
    ("PHP", 2),
    ("PKR", 2),
    ("PLN", 2),
    ("PYG", 0),
    ("QAR", 2),
    ("RON", 2),
    ("RSD", 2),
    ("RUB", 2),
    ("RWF", 0),
    ("SAR", 2),
    ("SBD", 2),
    ("SCR", 2),
    ("SDG", 2),
    ("SEK", 2),
    ("SGD", 2),
    ("SHP", 2),
    ("SLE", 2),
    ("SOS", 2),
    ("SRD", 2),
    ("SSP", 2),
    ("STN", 2),
    ("SVC", 2),
    ("SYP", 2),
    ("SZL", 2),
    ("THB", 2),
    ("TJS", 2),
    ("TMT", 2),
    ("TND", 3),
    ("TOP", 2),
    ("TRY", 2),
    ("TTD", 2),
    ("TWD", 2),
    ("TZS", 2),
    ("UAH", 2),
    ("UGX", 0),
    ("USD", 2),
    ("UYI", 0),
    ("UYU", 2),
    ("UYW", 4),
    ("UZS", 2),
    ("VED", 2),
    ("VES", 2),
    ("VND", 0),
    ("VUV", 0),
    ("WST", 2),
    ("XAF", 0),
    ("XCD", 2),
    ("XCG", 2),
    ("XOF", 0),
    ("XPF", 0),
    ("YER", 2),
    ("ZAR", 2),
    ("ZMW", 2),
    ("ZWG", 2),
];

/// An ISO 4217 currency. Serialized as its three-letter code.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct Currency {
    code: [u8; 3],
    minor_units: u8,
}

impl Currency {
    /// The US dollar.
    pub const USD: Currency = Currency {
        code: *b"USD",
        minor_units: 2,
    };
    /// The euro.
    pub const EUR: Currency = Currency {
        code: *b"EUR",
        minor_units: 2,
    };

    /// Looks up an active ISO 4217 code (upper case, as the standard writes it).
    ///
    /// # Errors
    /// [`Error::UnknownCurrency`] when the code is not an active ISO 4217 code.
    pub fn try_new(code: &str) -> Result<Currency> {
        CURRENCIES
            .binary_search_by(|(c, _)| (*c).cmp(code))
            .ok()
            .and_then(|i| CURRENCIES.get(i))
            .map(|(c, minor)| {
                let b = c.as_bytes();
                Currency {
                    code: [b[0], b[1], b[2]],
                    minor_units: *minor,
                }
            })
            .ok_or_else(|| Error::UnknownCurrency(code.to_string()))
    }

    /// The three-letter code.
    pub fn code(&self) -> &str {
        // The code bytes always come from the ASCII table above.
        std::str::from_utf8(&self.code).unwrap_or("XXX")
    }

    /// Decimal places of the minor unit (USD 2, JPY 0, BHD 3).
    pub fn minor_units(&self) -> u32 {
        u32::from(self.minor_units)
    }

    /// Every active currency the core knows.
    pub fn all() -> impl Iterator<Item = Currency> {
        CURRENCIES
            .iter()
            .filter_map(|(c, _)| Currency::try_new(c).ok())
    }
}

impl TryFrom<String> for Currency {
    type Error = Error;
    fn try_from(s: String) -> Result<Self> {
        Currency::try_new(&s)
    }
}

impl From<Currency> for String {
    fn from(c: Currency) -> String {
        c.code().to_string()
    }
}

impl fmt::Display for Currency {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.code())
    }
}

#[cfg(feature = "schema")]
impl schemars::JsonSchema for Currency {
    fn schema_name() -> std::borrow::Cow<'static, str> {
        "Currency".into()
    }
    fn json_schema(_: &mut schemars::SchemaGenerator) -> schemars::Schema {
        schemars::json_schema!({
            "type": "string",
            "pattern": "^[A-Z]{3}$",
            "description": "An active ISO 4217 currency code, such as USD, EUR or JPY."
        })
    }
}

/// How an amount is rounded to the currency's minor unit. Set per catalog.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "snake_case")]
pub enum Rounding {
    /// Half away from zero: 0.125 → 0.13, −0.125 → −0.13. The default.
    #[default]
    HalfUp,
    /// Half to even (banker's rounding): 0.125 → 0.12, 0.135 → 0.14.
    HalfEven,
}

impl Rounding {
    fn strategy(self) -> RoundingStrategy {
        match self {
            Rounding::HalfUp => RoundingStrategy::MidpointAwayFromZero,
            Rounding::HalfEven => RoundingStrategy::MidpointNearestEven,
        }
    }

    /// Rounds `amount` to `places` decimal places.
    pub fn round(self, amount: Decimal, places: u32) -> Decimal {
        amount.round_dp_with_strategy(places, self.strategy())
    }
}

/// An exact amount of one currency.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct Money {
    /// The amount, as a decimal string in JSON ("22.50").
    #[cfg_attr(feature = "schema", schemars(with = "String"))]
    pub amount: Decimal,
    /// The currency.
    pub currency: Currency,
}

impl Money {
    /// An amount of `currency`.
    pub fn new(amount: Decimal, currency: Currency) -> Money {
        Money { amount, currency }
    }

    /// Zero of `currency`.
    pub fn zero(currency: Currency) -> Money {
        Money {
            amount: Decimal::ZERO,
            currency,
        }
    }

    fn same_currency(&self, other: &Money) -> Result<()> {
        if self.currency == other.currency {
            Ok(())
        } else {
            Err(Error::CurrencyMismatch {
                expected: self.currency.to_string(),
                found: other.currency.to_string(),
            })
        }
    }

    /// `self + other`.
    ///
    /// # Errors
    /// [`Error::CurrencyMismatch`] or [`Error::Overflow`].
    pub fn checked_add(&self, other: &Money) -> Result<Money> {
        self.same_currency(other)?;
        Ok(Money::new(add(self.amount, other.amount)?, self.currency))
    }

    /// `self - other`.
    ///
    /// # Errors
    /// [`Error::CurrencyMismatch`] or [`Error::Overflow`].
    pub fn checked_sub(&self, other: &Money) -> Result<Money> {
        self.same_currency(other)?;
        Ok(Money::new(sub(self.amount, other.amount)?, self.currency))
    }

    /// `self × factor`.
    ///
    /// # Errors
    /// [`Error::Overflow`].
    pub fn checked_mul(&self, factor: Decimal) -> Result<Money> {
        Ok(Money::new(mul(self.amount, factor)?, self.currency))
    }

    /// Rounded to the currency's minor unit with `mode`.
    pub fn round(&self, mode: Rounding) -> Money {
        Money::new(
            mode.round(self.amount, self.currency.minor_units()),
            self.currency,
        )
    }

    /// True when the amount is below zero.
    pub fn is_negative(&self) -> bool {
        self.amount.is_sign_negative() && !self.amount.is_zero()
    }
}

impl fmt::Display for Money {
    /// `22.50 USD`, padded to the currency's minor unit.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let places = self.currency.minor_units();
        let mut a = self.amount;
        if a.scale() < places {
            a.rescale(places);
        }
        write!(f, "{} {}", a.normalize_to(places), self.currency)
    }
}

trait NormalizeTo {
    fn normalize_to(self, places: u32) -> Decimal;
}

impl NormalizeTo for Decimal {
    /// Drops trailing zeros beyond `places` (22.5000 → 22.50 for USD), keeps real digits.
    fn normalize_to(self, places: u32) -> Decimal {
        let n = self.normalize();
        if n.scale() < places {
            let mut r = n;
            r.rescale(places);
            r
        } else {
            n
        }
    }
}

/// Checked `a + b`.
///
/// # Errors
/// [`Error::Overflow`].
pub fn add(a: Decimal, b: Decimal) -> Result<Decimal> {
    a.checked_add(b).ok_or(Error::Overflow {
        operation: "addition",
    })
}

/// Checked `a - b`.
///
/// # Errors
/// [`Error::Overflow`].
pub fn sub(a: Decimal, b: Decimal) -> Result<Decimal> {
    a.checked_sub(b).ok_or(Error::Overflow {
        operation: "subtraction",
    })
}

/// Checked `a × b`.
///
/// # Errors
/// [`Error::Overflow`].
pub fn mul(a: Decimal, b: Decimal) -> Result<Decimal> {
    a.checked_mul(b).ok_or(Error::Overflow {
        operation: "multiplication",
    })
}

/// Checked `a ÷ b`; division by zero is an input error.
///
/// # Errors
/// [`Error::Overflow`] or [`Error::Input`] for a zero divisor.
pub fn div(a: Decimal, b: Decimal) -> Result<Decimal> {
    if b.is_zero() {
        return Err(Error::input("divisor", "division by zero"));
    }
    a.checked_div(b).ok_or(Error::Overflow {
        operation: "division",
    })
}

/// Checked sum of many amounts.
///
/// # Errors
/// [`Error::Overflow`].
pub fn sum<I: IntoIterator<Item = Decimal>>(items: I) -> Result<Decimal> {
    items.into_iter().try_fold(Decimal::ZERO, add)
}

#[cfg(test)]
mod tests {
    use super::*;
    use rust_decimal::Decimal;
    use std::str::FromStr;

    fn d(s: &str) -> Decimal {
        Decimal::from_str(s).unwrap()
    }

    #[test]
    fn table_is_sorted_so_lookup_finds_every_code() {
        for w in CURRENCIES.windows(2) {
            assert!(w[0].0 < w[1].0, "{} before {}", w[0].0, w[1].0);
        }
        for (c, m) in CURRENCIES {
            assert_eq!(Currency::try_new(c).unwrap().minor_units(), u32::from(*m));
        }
    }

    #[test]
    fn minor_units_follow_iso_4217() {
        assert_eq!(Currency::try_new("JPY").unwrap().minor_units(), 0);
        assert_eq!(Currency::try_new("USD").unwrap().minor_units(), 2);
        assert_eq!(Currency::try_new("BHD").unwrap().minor_units(), 3);
        assert_eq!(
            Currency::try_new("usd").unwrap_err().code(),
            "unknown_currency"
        );
        assert_eq!(
            Currency::try_new("XYZ").unwrap_err().code(),
            "unknown_currency"
        );
    }

    #[test]
    fn rounding_modes_differ_only_on_ties() {
        assert_eq!(Rounding::HalfUp.round(d("0.125"), 2), d("0.13"));
        assert_eq!(Rounding::HalfEven.round(d("0.125"), 2), d("0.12"));
        assert_eq!(Rounding::HalfEven.round(d("0.135"), 2), d("0.14"));
        assert_eq!(Rounding::HalfUp.round(d("-0.125"), 2), d("-0.13"));
        assert_eq!(Rounding::HalfUp.round(d("0.1249"), 2), d("0.12"));
        let jpy = Currency::try_new("JPY").unwrap();
        assert_eq!(
            Money::new(d("1234.5"), jpy).round(Rounding::HalfUp).amount,
            d("1235")
        );
    }

    #[test]
    fn overflow_is_an_error_not_a_panic() {
        let e = mul(Decimal::MAX, d("2")).unwrap_err();
        assert_eq!(e.code(), "overflow");
        assert_eq!(
            add(Decimal::MAX, Decimal::ONE).unwrap_err().code(),
            "overflow"
        );
        assert_eq!(
            div(Decimal::ONE, Decimal::ZERO).unwrap_err().code(),
            "invalid_input"
        );
    }

    #[test]
    fn mixing_currencies_is_refused() {
        let a = Money::new(d("1"), Currency::USD);
        let b = Money::new(d("1"), Currency::EUR);
        assert_eq!(a.checked_add(&b).unwrap_err().code(), "currency_mismatch");
    }

    #[test]
    fn display_pads_to_minor_units() {
        assert_eq!(
            Money::new(d("22.5"), Currency::USD).to_string(),
            "22.50 USD"
        );
        assert_eq!(
            Money::new(d("0.03125"), Currency::USD).to_string(),
            "0.03125 USD"
        );
        assert_eq!(
            Money::new(d("1500"), Currency::try_new("JPY").unwrap()).to_string(),
            "1500 JPY"
        );
    }

    #[test]
    fn serializes_as_code_and_string_amount() {
        let m = Money::new(d("22.50"), Currency::USD);
        let j = serde_json::to_string(&m).unwrap();
        assert_eq!(j, r#"{"amount":"22.50","currency":"USD"}"#);
        let back: Money = serde_json::from_str(&j).unwrap();
        assert_eq!(back, m);
        assert!(serde_json::from_str::<Currency>("\"ABC\"").is_err());
    }
}
