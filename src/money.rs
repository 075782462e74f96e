//! Exact money: a [`Decimal`] amount with an ISO 4217 [`Currency`].
//!
//! Arithmetic is checked: an overflow is [`ErrorKind::Overflow`], never a panic or a wrap.
//! Amounts are kept unrounded through a computation and rounded only at documented points
//! (each quote line, to the currency's minor unit) with the catalog's [`Rounding`] mode.

use crate::ErrorKind;
use std::fmt;

use rust_decimal::{Decimal, RoundingStrategy};
use serde::{Deserialize, Serialize};

use crate::error::{Error, Result};

mod parse;
pub use parse::parse_decimal;

/// Active ISO 4217 codes and their minor units (the number of decimal places), sorted by
/// code. Funds codes and precious metals are left out: nobody is billed in them. The codes
/// are byte arrays, not `&str`, so the table is 4 bytes a row with no pointers.
const CURRENCIES: &[([u8; 3], u8)] = &[
    (*b"AED", 2),
    (*b"AFN", 2),
    (*b"ALL", 2),
    (*b"AMD", 2),
    (*b"ANG", 2),
    (*b"AOA", 2),
    (*b"ARS", 2),
    (*b"AUD", 2),
    (*b"AWG", 2),
    (*b"AZN", 2),
    (*b"BAM", 2),
    (*b"BBD", 2),
    (*b"BDT", 2),
    (*b"BGN", 2),
    (*b"BHD", 3),
    (*b"BIF", 0),
    (*b"BMD", 2),
    (*b"BND", 2),
    (*b"BOB", 2),
    (*b"BRL", 2),
    (*b"BSD", 2),
    (*b"BTN", 2),
    (*b"BWP", 2),
    (*b"BYN", 2),
    (*b"BZD", 2),
    (*b"CAD", 2),
    (*b"CDF", 2),
    (*b"CHF", 2),
    (*b"CLP", 0),
    (*b"CNY", 2),
    (*b"COP", 2),
    (*b"CRC", 2),
    (*b"CUP", 2),
    (*b"CVE", 2),
    (*b"CZK", 2),
    (*b"DJF", 0),
    (*b"DKK", 2),
    (*b"DOP", 2),
    (*b"DZD", 2),
    (*b"EGP", 2),
    (*b"ERN", 2),
    (*b"ETB", 2),
    (*b"EUR", 2),
    (*b"FJD", 2),
    (*b"FKP", 2),
    (*b"GBP", 2),
    (*b"GEL", 2),
    (*b"GHS", 2),
    (*b"GIP", 2),
    (*b"GMD", 2),
    (*b"GNF", 0),
    (*b"GTQ", 2),
    (*b"GYD", 2),
    (*b"HKD", 2),
    (*b"HNL", 2),
    (*b"HTG", 2),
    (*b"HUF", 2),
    (*b"IDR", 2),
    (*b"ILS", 2),
    (*b"INR", 2),
    (*b"IQD", 3),
    (*b"IRR", 2),
    (*b"ISK", 0),
    (*b"JMD", 2),
    (*b"JOD", 3),
    (*b"JPY", 0),
    (*b"KES", 2),
    (*b"KGS", 2),
    (*b"KHR", 2),
    (*b"KMF", 0),
    (*b"KPW", 2),
    (*b"KRW", 0),
    (*b"KWD", 3),
    (*b"KYD", 2),
    (*b"KZT", 2),
    (*b"LAK", 2),
    (*b"LBP", 2),
    (*b"LKR", 2),
    (*b"LRD", 2),
    (*b"LSL", 2),
    (*b"LYD", 3),
    (*b"MAD", 2),
    (*b"MDL", 2),
    (*b"MGA", 2),
    (*b"MKD", 2),
    (*b"MMK", 2),
    (*b"MNT", 2),
    (*b"MOP", 2),
    (*b"MRU", 2),
    (*b"MUR", 2),
    (*b"MVR", 2),
    (*b"MWK", 2),
    (*b"MXN", 2),
    (*b"MYR", 2),
    (*b"MZN", 2),
    (*b"NAD", 2),
    (*b"NGN", 2),
    (*b"NIO", 2),
    (*b"NOK", 2),
    (*b"NPR", 2),
    (*b"NZD", 2),
    (*b"OMR", 3),
    (*b"PAB", 2),
    (*b"PEN", 2),
    (*b"PGK", 2),
    (*b"PHP", 2),
    (*b"PKR", 2),
    (*b"PLN", 2),
    (*b"PYG", 0),
    (*b"QAR", 2),
    (*b"RON", 2),
    (*b"RSD", 2),
    (*b"RUB", 2),
    (*b"RWF", 0),
    (*b"SAR", 2),
    (*b"SBD", 2),
    (*b"SCR", 2),
    (*b"SDG", 2),
    (*b"SEK", 2),
    (*b"SGD", 2),
    (*b"SHP", 2),
    (*b"SLE", 2),
    (*b"SOS", 2),
    (*b"SRD", 2),
    (*b"SSP", 2),
    (*b"STN", 2),
    (*b"SVC", 2),
    (*b"SYP", 2),
    (*b"SZL", 2),
    (*b"THB", 2),
    (*b"TJS", 2),
    (*b"TMT", 2),
    (*b"TND", 3),
    (*b"TOP", 2),
    (*b"TRY", 2),
    (*b"TTD", 2),
    (*b"TWD", 2),
    (*b"TZS", 2),
    (*b"UAH", 2),
    (*b"UGX", 0),
    (*b"USD", 2),
    (*b"UYI", 0),
    (*b"UYU", 2),
    (*b"UYW", 4),
    (*b"UZS", 2),
    (*b"VED", 2),
    (*b"VES", 2),
    (*b"VND", 0),
    (*b"VUV", 0),
    (*b"WST", 2),
    (*b"XAF", 0),
    (*b"XCD", 2),
    (*b"XCG", 2),
    (*b"XOF", 0),
    (*b"XPF", 0),
    (*b"YER", 2),
    (*b"ZAR", 2),
    (*b"ZMW", 2),
    (*b"ZWG", 2),
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
    /// [`ErrorKind::UnknownCurrency`] when the code is not an active ISO 4217 code.
    pub fn try_new(code: &str) -> Result<Currency> {
        CURRENCIES
            .binary_search_by(|(c, _)| c.as_slice().cmp(code.as_bytes()))
            .ok()
            .and_then(|i| CURRENCIES.get(i))
            .map(|&(code, minor_units)| Currency { code, minor_units })
            .ok_or_else(|| ErrorKind::UnknownCurrency(code.to_string()).into())
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
            .map(|&(code, minor_units)| Currency { code, minor_units })
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
            Err(ErrorKind::CurrencyMismatch {
                expected: self.currency.to_string(),
                found: other.currency.to_string(),
            }
            .into())
        }
    }

    /// `self + other`.
    ///
    /// # Errors
    /// [`ErrorKind::CurrencyMismatch`] or [`ErrorKind::Overflow`].
    pub fn checked_add(&self, other: &Money) -> Result<Money> {
        self.same_currency(other)?;
        Ok(Money::new(add(self.amount, other.amount)?, self.currency))
    }

    /// `self - other`.
    ///
    /// # Errors
    /// [`ErrorKind::CurrencyMismatch`] or [`ErrorKind::Overflow`].
    pub fn checked_sub(&self, other: &Money) -> Result<Money> {
        self.same_currency(other)?;
        Ok(Money::new(sub(self.amount, other.amount)?, self.currency))
    }

    /// `self × factor`.
    ///
    /// # Errors
    /// [`ErrorKind::Overflow`].
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

/// `a + b`, or `None` out of range. Every decimal addition of the core goes through here
/// (or [`add`]), so the wasm carries rust_decimal's addition once rather than inlined at each
/// call (about 1 KB a copy).
#[inline(never)]
pub fn checked_add(a: Decimal, b: Decimal) -> Option<Decimal> {
    a.checked_add(b)
}

/// `a - b`, or `None` out of range: `a + (-b)`, which is how rust_decimal subtracts (its
/// subtraction is its addition with the second sign flipped), so the wasm carries the addition
/// only once. A zero `b` is not negated: rust_decimal gives `0 - 0` the second zero's sign.
pub fn checked_sub(a: Decimal, b: Decimal) -> Option<Decimal> {
    checked_add(a, if b.is_zero() { b } else { -b })
}

/// `a × b`, or `None` out of range; as [`checked_add`].
#[inline(never)]
pub fn checked_mul(a: Decimal, b: Decimal) -> Option<Decimal> {
    a.checked_mul(b)
}

/// Checked `a + b`.
///
/// # Errors
/// [`ErrorKind::Overflow`].
pub fn add(a: Decimal, b: Decimal) -> Result<Decimal> {
    checked_add(a, b).ok_or(
        ErrorKind::Overflow {
            operation: "addition",
        }
        .into(),
    )
}

/// Checked `a - b`.
///
/// # Errors
/// [`ErrorKind::Overflow`].
pub fn sub(a: Decimal, b: Decimal) -> Result<Decimal> {
    checked_sub(a, b).ok_or(
        ErrorKind::Overflow {
            operation: "subtraction",
        }
        .into(),
    )
}

/// Checked `a × b`.
///
/// # Errors
/// [`ErrorKind::Overflow`].
pub fn mul(a: Decimal, b: Decimal) -> Result<Decimal> {
    checked_mul(a, b).ok_or(
        ErrorKind::Overflow {
            operation: "multiplication",
        }
        .into(),
    )
}

/// Checked `a ÷ b`; division by zero is an input error.
///
/// # Errors
/// [`ErrorKind::Overflow`] or [`ErrorKind::Input`] for a zero divisor.
pub fn div(a: Decimal, b: Decimal) -> Result<Decimal> {
    if b.is_zero() {
        return Err(Error::input("divisor", "division by zero"));
    }
    a.checked_div(b).ok_or(
        ErrorKind::Overflow {
            operation: "division",
        }
        .into(),
    )
}

/// Checked sum of many amounts.
///
/// # Errors
/// [`ErrorKind::Overflow`].
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

    /// A decimal from its parts: any 96-bit mantissa (zero included), sign and scale.
    fn any_decimal() -> impl proptest::strategy::Strategy<Value = Decimal> {
        use proptest::prelude::*;
        let mantissa = prop_oneof![Just(0u128), 0u128..1000, 0u128..(1 << 64), 0u128..(1 << 96)];
        (mantissa, any::<bool>(), 0u32..=28)
            .prop_map(|(m, negative, scale)| parse::from_mantissa(m, negative, scale))
    }

    proptest::proptest! {
        #![proptest_config(proptest::prelude::ProptestConfig::with_cases(20_000))]

        /// Subtraction through the addition is rust_decimal's subtraction: value, scale, sign
        /// (of zeros too) and overflow.
        #[test]
        fn checked_sub_is_rust_decimals_subtraction(a in any_decimal(), b in any_decimal()) {
            proptest::prop_assert_eq!(
                checked_sub(a, b).map(|d| d.serialize()),
                a.checked_sub(b).map(|d| d.serialize())
            );
        }
    }

    #[test]
    fn checked_sub_keeps_the_sign_of_zeros() {
        for (a, b) in [
            ("0", "0"),
            ("0", "-0.00"),
            ("-0", "0"),
            ("1.5", "0.0"),
            ("0", "2"),
            ("-0.0", "-2"),
        ] {
            let (a, b) = (d(a), d(b));
            assert_eq!(
                checked_sub(a, b).map(|x| x.serialize()),
                a.checked_sub(b).map(|x| x.serialize()),
                "{a} - {b}"
            );
        }
    }

    #[test]
    fn table_is_sorted_so_lookup_finds_every_code() {
        for w in CURRENCIES.windows(2) {
            assert!(w[0].0 < w[1].0, "{:?} before {:?}", w[0].0, w[1].0);
        }
        for (c, m) in CURRENCIES {
            let code = std::str::from_utf8(c).unwrap();
            assert!(c.iter().all(u8::is_ascii_uppercase), "{code}");
            let found = Currency::try_new(code).unwrap();
            assert_eq!((found.code(), found.minor_units()), (code, u32::from(*m)));
        }
        assert_eq!(Currency::all().count(), CURRENCIES.len());
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
