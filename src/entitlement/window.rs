//! Reset windows: the span of days over which a limit's usage adds up before it starts
//! again from zero.

use crate::calendar::{days_in_month, Date, Period};
use crate::manifest::{BillingPeriod, ResetPeriod};

/// How a limit's window is found for a given day.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Reset {
    /// A calendar rhythm: day, ISO week (from Monday), month, or never.
    Calendar(ResetPeriod),
    /// Billing periods of a grant, counted from its anchor day.
    Billing {
        /// The day the first billing period starts.
        anchor: Date,
        /// How long each period is.
        period: BillingPeriod,
    },
}

impl Reset {
    /// The rule for a feature's `reset`, given the grant that gives the limit: billing
    /// periods need a grant's anchor; without one (the catalog's base) they fall back to
    /// calendar months. A missing `reset` never resets.
    pub(crate) fn new(
        reset: Option<ResetPeriod>,
        anchor: Option<Date>,
        billing: Option<BillingPeriod>,
    ) -> Reset {
        match (reset, anchor) {
            (Some(ResetPeriod::BillingPeriod), Some(anchor)) => Reset::Billing {
                anchor,
                period: billing.unwrap_or(BillingPeriod::Month),
            },
            (Some(ResetPeriod::BillingPeriod), None) => Reset::Calendar(ResetPeriod::Month),
            (Some(r), _) => Reset::Calendar(r),
            (None, _) => Reset::Calendar(ResetPeriod::Never),
        }
    }

    /// The window `[start, end)` that contains `day`. A limit that never resets has the
    /// window `[Date::MIN, Date::MAX)`; [`Reset::resets_at`] tells it apart.
    pub(crate) fn window(self, day: Date) -> Period {
        let (start, end) = match self {
            Reset::Calendar(ResetPeriod::Day) => (day, day.plus_days(1)),
            Reset::Calendar(ResetPeriod::Week) => {
                let monday = day.plus_days(-i64::from(day.weekday()));
                (monday, monday.plus_days(7))
            }
            Reset::Calendar(ResetPeriod::Month | ResetPeriod::BillingPeriod) => {
                // One civil conversion: this runs on every check of a monthly limit.
                let (y, m, d) = day.ymd();
                let first = day.plus_days(1 - i64::from(d));
                (
                    first,
                    first.plus_days(i64::from(days_in_month(i64::from(y), m))),
                )
            }
            Reset::Calendar(ResetPeriod::Never) => (Date::MIN, Date::MAX),
            Reset::Billing { anchor, period } => match period {
                BillingPeriod::Month => months_from(anchor, day, 1),
                BillingPeriod::Year => months_from(anchor, day, 12),
                BillingPeriod::OneTime => (anchor.min(day), Date::MAX),
            },
        };
        Period { start, end }
    }

    /// The day usage starts again from zero after the window containing `day`; `None`
    /// when it never does.
    pub(crate) fn resets_at(self, day: Date) -> Option<Date> {
        match self {
            Reset::Calendar(ResetPeriod::Never)
            | Reset::Billing {
                period: BillingPeriod::OneTime,
                ..
            } => None,
            _ => Some(self.window(day).end),
        }
    }
}

/// The billing period of `step` months that contains `day`, counted from `anchor`.
/// Each bound is computed from the anchor (not from the previous bound), so an anchor on
/// the 31st gives the 28th/29th/30th in short months and the 31st again afterwards.
fn months_from(anchor: Date, day: Date, step: i32) -> (Date, Date) {
    let (ay, am, _) = anchor.ymd();
    let (dy, dm, _) = day.ymd();
    let months = (dy - ay) * 12 + (dm as i32 - am as i32);
    let mut k = months.div_euclid(step);
    let mut start = anchor.plus_months(k.saturating_mul(step));
    if start > day {
        k -= 1;
        start = anchor.plus_months(k.saturating_mul(step));
    }
    let end = anchor.plus_months(k.saturating_add(1).saturating_mul(step));
    (start, end)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::entitlement::fixture::day;

    fn win(r: Reset, d: &str) -> (String, String) {
        let p = r.window(day(d));
        (p.start.to_string(), p.end.to_string())
    }

    fn s(a: &str, b: &str) -> (String, String) {
        (a.to_string(), b.to_string())
    }

    #[test]
    fn calendar_windows() {
        let day_r = Reset::Calendar(ResetPeriod::Day);
        assert_eq!(win(day_r, "2026-03-31"), s("2026-03-31", "2026-04-01"));
        // 2026-06-03 is a Wednesday; its ISO week runs Monday 06-01 to Sunday 06-07.
        let week = Reset::Calendar(ResetPeriod::Week);
        assert_eq!(win(week, "2026-06-03"), s("2026-06-01", "2026-06-08"));
        assert_eq!(win(week, "2026-06-07"), s("2026-06-01", "2026-06-08"));
        assert_eq!(win(week, "2026-06-08"), s("2026-06-08", "2026-06-15"));
        // A week across a year end: 2026-12-31 is a Thursday.
        assert_eq!(win(week, "2026-12-31"), s("2026-12-28", "2027-01-04"));
        let month = Reset::Calendar(ResetPeriod::Month);
        assert_eq!(win(month, "2024-02-29"), s("2024-02-01", "2024-03-01"));
        assert_eq!(month.resets_at(day("2026-12-05")), Some(day("2027-01-01")));
        let never = Reset::Calendar(ResetPeriod::Never);
        assert_eq!(never.resets_at(day("2026-12-05")), None);
        assert!(never.window(day("2026-12-05")).contains(day("9000-01-01")));
    }

    #[test]
    fn billing_windows_follow_the_anchor() {
        let r = Reset::new(
            Some(ResetPeriod::BillingPeriod),
            Some(day("2026-01-15")),
            Some(BillingPeriod::Month),
        );
        assert_eq!(win(r, "2026-01-15"), s("2026-01-15", "2026-02-15"));
        assert_eq!(win(r, "2026-02-14"), s("2026-01-15", "2026-02-15"));
        assert_eq!(win(r, "2026-02-15"), s("2026-02-15", "2026-03-15"));
        assert_eq!(win(r, "2026-03-01"), s("2026-02-15", "2026-03-15"));
        let end_of_month = Reset::Billing {
            anchor: day("2026-01-31"),
            period: BillingPeriod::Month,
        };
        assert_eq!(
            win(end_of_month, "2026-02-28"),
            s("2026-02-28", "2026-03-31")
        );
        assert_eq!(
            win(end_of_month, "2026-03-30"),
            s("2026-02-28", "2026-03-31")
        );
        assert_eq!(
            win(end_of_month, "2026-03-31"),
            s("2026-03-31", "2026-04-30")
        );
        let yearly = Reset::Billing {
            anchor: day("2025-07-15"),
            period: BillingPeriod::Year,
        };
        assert_eq!(win(yearly, "2026-07-14"), s("2025-07-15", "2026-07-15"));
        assert_eq!(win(yearly, "2026-07-15"), s("2026-07-15", "2027-07-15"));
    }

    #[test]
    fn billing_without_anchor_is_monthly() {
        let r = Reset::new(Some(ResetPeriod::BillingPeriod), None, None);
        assert_eq!(r, Reset::Calendar(ResetPeriod::Month));
    }

    #[test]
    fn extreme_days_do_not_panic() {
        for r in [
            Reset::Calendar(ResetPeriod::Day),
            Reset::Calendar(ResetPeriod::Week),
            Reset::Calendar(ResetPeriod::Month),
            Reset::Billing {
                anchor: day("2026-01-31"),
                period: BillingPeriod::Month,
            },
            Reset::Billing {
                anchor: day("2026-01-31"),
                period: BillingPeriod::Year,
            },
        ] {
            for d in [Date::MIN, Date::MAX] {
                let _ = r.window(d);
                let _ = r.resets_at(d);
            }
        }
    }
}
