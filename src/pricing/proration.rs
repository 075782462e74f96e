//! Proration by days inside a billing period, over half-open `[start, end)` ranges.
//!
//! A purchase or upgrade in the middle of a period pays `charged days / days in the
//! period` of the period's price; a cancellation is credited the same share for the days
//! it no longer uses. The share is kept as a fraction of whole days and applied as
//! `amount × days ÷ period days`, so a full period prorates to exactly the full price.
//!
//! Splitting a period in two and rounding each part (as two quote lines would) costs at
//! most one minor unit more, or less, than the whole period rounded once: each rounding
//! moves an amount by at most half a unit, and all three results are whole units.

use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};

use crate::calendar::{Date, Period};
use crate::error::{Error, Result};
use crate::manifest::BillingPeriod;
use crate::money::{div, mul};

const MONTHS: [&str; 12] = [
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
];

/// The part of a billing period that is charged (or credited).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct Proration {
    /// The days charged, inside the billing period.
    pub charged: Period,
    /// The whole billing period.
    pub billing_period: Period,
    /// Days charged.
    pub days: i64,
    /// Days in the billing period.
    pub period_days: i64,
}

impl Proration {
    /// `charged` days of `billing_period`.
    ///
    /// # Errors
    /// [`ErrorKind::Input`] at `prorate` when `charged` is not inside `billing_period`.
    pub fn new(charged: Period, billing_period: Period) -> Result<Proration> {
        if charged.start < billing_period.start || charged.end > billing_period.end {
            return Err(Error::input(
                "prorate",
                format!(
                    "{} to {} is not inside the billing period {} to {}: prorate within one period",
                    charged.start, charged.end, billing_period.start, billing_period.end
                ),
            ));
        }
        Ok(Proration {
            charged,
            billing_period,
            days: charged.days(),
            period_days: billing_period.days(),
        })
    }

    /// The proration of a plan billed every `period` for `charged`: the billing period is
    /// the one ending where `charged` ends (one month, or twelve, before its end), so
    /// `charged.end` is the next renewal day; a `charged` range exactly one period long is
    /// the whole period. `None` for one-time plans, which are never prorated.
    ///
    /// # Errors
    /// As [`Proration::new`].
    pub fn for_plan(charged: Period, period: BillingPeriod) -> Result<Option<Proration>> {
        let months = match period {
            BillingPeriod::Month => 1,
            BillingPeriod::Year => 12,
            BillingPeriod::OneTime => return Ok(None),
        };
        // A range of exactly one period from its start is that whole period, even when the
        // month end clamps (January 31 to February 28 is one month).
        let start = if charged.start.plus_months(months) == charged.end {
            charged.start
        } else {
            charged.end.plus_months(-months)
        };
        let billing = Period::new(start, charged.end)?;
        Proration::new(charged, billing).map(Some)
    }

    /// The remaining days of `billing_period` from `from` (a purchase or upgrade on `from`).
    ///
    /// # Errors
    /// [`ErrorKind::Input`] when `from` is not inside the billing period.
    pub fn remaining(billing_period: Period, from: Date) -> Result<Proration> {
        if !billing_period.contains(from) {
            return Err(Error::input(
                "date",
                format!(
                    "{from} is not inside the billing period {} to {}",
                    billing_period.start, billing_period.end
                ),
            ));
        }
        Proration::new(Period::new(from, billing_period.end)?, billing_period)
    }

    /// True when the whole period is charged.
    pub fn is_full(&self) -> bool {
        self.days == self.period_days
    }

    /// `amount × days ÷ period days`, exact as far as a decimal allows (a full period
    /// returns `amount` unchanged).
    ///
    /// # Errors
    /// [`ErrorKind::Input`] for an empty billing period; [`ErrorKind::Overflow`].
    pub fn apply(&self, amount: Decimal) -> Result<Decimal> {
        if self.period_days <= 0 || self.days < 0 || self.days > self.period_days {
            return Err(Error::input(
                "prorate",
                "the charged days must lie inside a non-empty billing period",
            ));
        }
        if self.is_full() {
            return Ok(amount);
        }
        div(
            mul(amount, Decimal::from(self.days))?,
            Decimal::from(self.period_days),
        )
    }

    /// "12/30 of June 2026": the share and the period in words.
    pub fn describe(&self) -> String {
        format!(
            "{}/{} of {}",
            self.days,
            self.period_days,
            period_name(&self.billing_period)
        )
    }
}

/// The credit for a cancellation on `cancelled_on` of something that cost `amount` for
/// `billing_period`: the share of the days from `cancelled_on` to the period's end.
/// Returned as a positive amount to give back.
///
/// Worked example: 750.00 for June 2026 (30 days), cancelled on June 19: 12 unused days,
/// 750 × 12 ÷ 30 = 300.00 credited.
///
/// # Errors
/// As [`Proration::remaining`], and [`ErrorKind::Overflow`].
pub fn credit_for_unused(
    amount: Decimal,
    billing_period: Period,
    cancelled_on: Date,
) -> Result<Decimal> {
    Proration::remaining(billing_period, cancelled_on)?.apply(amount)
}

/// "June 2026" for a calendar month, "2026" for a calendar year, else "2026-06-05 to
/// 2026-07-05" (the end excluded).
pub fn period_name(p: &Period) -> String {
    let (y, m, d) = p.start.ymd();
    if d == 1 && p.end == p.start.plus_months(1) {
        let name = usize::try_from(m)
            .ok()
            .and_then(|m| m.checked_sub(1))
            .and_then(|i| MONTHS.get(i))
            .copied()
            .unwrap_or("month");
        return format!("{name} {y}");
    }
    if d == 1 && m == 1 && p.end == p.start.plus_months(12) {
        return format!("{y}");
    }
    format!("{} to {}", p.start, p.end)
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::str::FromStr;

    fn d(s: &str) -> Decimal {
        Decimal::from_str(s).unwrap()
    }

    fn period(a: &str, b: &str) -> Period {
        Period::new(Date::parse(a).unwrap(), Date::parse(b).unwrap()).unwrap()
    }

    #[test]
    fn mid_month_purchase_pays_the_remaining_days() {
        // June 2026 has 30 days; from June 19 to July 1 is 12 days: 562.50 x 12/30 = 225
        let p = Proration::for_plan(period("2026-06-19", "2026-07-01"), BillingPeriod::Month)
            .unwrap()
            .unwrap();
        assert_eq!((p.days, p.period_days), (12, 30));
        assert_eq!(p.apply(d("562.50")).unwrap(), d("225"));
        assert_eq!(p.describe(), "12/30 of June 2026");
        let same = Proration::remaining(
            period("2026-06-01", "2026-07-01"),
            Date::parse("2026-06-19").unwrap(),
        )
        .unwrap();
        assert_eq!(same, p);
    }

    #[test]
    fn a_full_period_is_exactly_the_full_price() {
        let p = Proration::for_plan(period("2026-02-01", "2026-03-01"), BillingPeriod::Month)
            .unwrap()
            .unwrap();
        assert!(p.is_full());
        // 1/3-ish prices stay untouched: 100 x 28/28 = 100
        assert_eq!(p.apply(d("100.0001")).unwrap(), d("100.0001"));
        let y = Proration::for_plan(period("2026-01-01", "2027-01-01"), BillingPeriod::Year)
            .unwrap()
            .unwrap();
        assert_eq!(y.describe(), "365/365 of 2026");
        // January 31 + 1 month clamps to February 28: still one whole month
        let p = Proration::for_plan(period("2026-01-31", "2026-02-28"), BillingPeriod::Month)
            .unwrap()
            .unwrap();
        assert!(p.is_full());
        assert!(
            Proration::for_plan(period("2026-01-01", "2026-01-02"), BillingPeriod::OneTime)
                .unwrap()
                .is_none()
        );
    }

    #[test]
    fn anniversary_periods_and_credits() {
        // renewal on the 5th: the billing period is May 5 to June 5 = 31 days; 10 charged
        let p = Proration::for_plan(period("2026-05-26", "2026-06-05"), BillingPeriod::Month)
            .unwrap()
            .unwrap();
        assert_eq!((p.days, p.period_days), (10, 31));
        assert_eq!(p.describe(), "10/31 of 2026-05-05 to 2026-06-05");
        // 750 for June, cancelled June 19: 12 unused of 30 -> 750 x 12 / 30 = 300
        let june = period("2026-06-01", "2026-07-01");
        assert_eq!(
            credit_for_unused(d("750"), june, Date::parse("2026-06-19").unwrap()).unwrap(),
            d("300")
        );
        assert!(credit_for_unused(d("750"), june, Date::parse("2026-07-01").unwrap()).is_err());
        // longer than one month is refused
        assert!(
            Proration::for_plan(period("2026-05-01", "2026-07-01"), BillingPeriod::Month).is_err()
        );
    }
}
