//! Civil dates and instants for billing periods, proration, trials and limit resets.
//!
//! The core never reads a clock: the caller passes the time in, as milliseconds since
//! the Unix epoch ([`Instant`], what `Date.now()` gives in JS) or as a [`Date`].
//! All dates are UTC calendar days; periods are half-open `[start, end)`.

use crate::quoted::quoted;
use std::fmt;

use serde::{Deserialize, Serialize};

use crate::error::{Error, Result};

const MS_PER_DAY: i64 = 86_400_000;

/// A calendar day (proleptic Gregorian, UTC), serialized as `"YYYY-MM-DD"`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct Date {
    /// Days since 1970-01-01.
    days: i32,
}

/// A point in time: milliseconds since 1970-01-01T00:00:00Z.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(transparent)]
pub struct Instant(pub i64);

impl Instant {
    /// The calendar day this instant falls on (UTC).
    pub fn date(self) -> Date {
        Date {
            days: (self.0.div_euclid(MS_PER_DAY))
                .clamp(i64::from(Date::MIN.days), i64::from(Date::MAX.days))
                as i32,
        }
    }

    /// This instant `days` days later (saturating).
    pub fn plus_days(self, days: i64) -> Instant {
        Instant(self.0.saturating_add(days.saturating_mul(MS_PER_DAY)))
    }
}

/// Days from civil (Howard Hinnant's algorithm), for y in any i32-safe range.
fn days_from_civil(y: i64, m: u32, d: u32) -> i64 {
    let y = if m <= 2 { y - 1 } else { y };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let mp = i64::from((m + 9) % 12);
    let doy = (153 * mp + 2) / 5 + i64::from(d) - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

fn civil_from_days(z: i64) -> (i64, u32, u32) {
    let z = z + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = (doy - (153 * mp + 2) / 5 + 1) as u32;
    let m = if mp < 10 { mp + 3 } else { mp - 9 } as u32;
    let y = yoe + era * 400 + i64::from(m <= 2);
    (y, m, d)
}

fn is_leap(y: i64) -> bool {
    (y % 4 == 0 && y % 100 != 0) || y % 400 == 0
}

/// Days in month `m` of year `y`.
pub fn days_in_month(y: i64, m: u32) -> u32 {
    match m {
        1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
        4 | 6 | 9 | 11 => 30,
        _ if is_leap(y) => 29,
        _ => 28,
    }
}

impl Date {
    /// 0001-01-01.
    pub const MIN: Date = Date { days: -719_162 };
    /// 9999-12-31.
    pub const MAX: Date = Date { days: 2_932_896 };

    /// The date `y-m-d`.
    ///
    /// # Errors
    /// [`ErrorKind::Input`] when the day does not exist or the year is outside 1..=9999.
    pub fn from_ymd(y: i32, m: u32, d: u32) -> Result<Date> {
        if !(1..=9999).contains(&y)
            || !(1..=12).contains(&m)
            || d == 0
            || d > days_in_month(i64::from(y), m)
        {
            return Err(Error::input(
                "date",
                format!("{y:04}-{m:02}-{d:02} is not a calendar day"),
            ));
        }
        Ok(Date {
            days: days_from_civil(i64::from(y), m, d) as i32,
        })
    }

    /// Parses `"YYYY-MM-DD"`.
    ///
    /// # Errors
    /// [`ErrorKind::Input`] when the text is not such a date.
    pub fn parse(s: &str) -> Result<Date> {
        let bad = || {
            Error::input(
                "date",
                format!("{} is not a date: write it as YYYY-MM-DD", quoted(s)),
            )
        };
        let b = s.as_bytes();
        if b.len() != 10 || b[4] != b'-' || b[7] != b'-' {
            return Err(bad());
        }
        let num = |r: std::ops::Range<usize>| -> Result<u32> {
            let part = s.get(r).ok_or_else(bad)?;
            if !part.bytes().all(|c| c.is_ascii_digit()) {
                return Err(bad());
            }
            part.parse::<u32>().map_err(|_| bad())
        };
        let (y, m, d) = (num(0..4)?, num(5..7)?, num(8..10)?);
        Date::from_ymd(y as i32, m, d).map_err(|_| bad())
    }

    /// Year, month (1–12) and day (1–31).
    pub fn ymd(self) -> (i32, u32, u32) {
        let (y, m, d) = civil_from_days(i64::from(self.days));
        (y as i32, m, d)
    }

    /// Days since 1970-01-01.
    pub fn days_since_epoch(self) -> i32 {
        self.days
    }

    /// The first instant of this day.
    pub fn start(self) -> Instant {
        Instant(i64::from(self.days) * MS_PER_DAY)
    }

    /// This date `n` days later (negative: earlier), clamped to 0001-01-01..=9999-12-31.
    pub fn plus_days(self, n: i64) -> Date {
        let days =
            (i64::from(self.days) + n).clamp(i64::from(Date::MIN.days), i64::from(Date::MAX.days));
        Date { days: days as i32 }
    }

    /// Whole days from `self` to `later` (negative when `later` is earlier).
    pub fn days_until(self, later: Date) -> i64 {
        i64::from(later.days) - i64::from(self.days)
    }

    /// This date `n` months later, the day clamped to the month's end (Jan 31 + 1 month = Feb 28/29).
    pub fn plus_months(self, n: i32) -> Date {
        let (y, m, d) = self.ymd();
        let total = i64::from(y) * 12 + i64::from(m) - 1 + i64::from(n);
        let ny = total.div_euclid(12).clamp(1, 9999);
        let nm = (total.rem_euclid(12) + 1) as u32;
        let nd = d.min(days_in_month(ny, nm));
        Date {
            days: days_from_civil(ny, nm, nd) as i32,
        }
    }

    /// The first day of this date's month.
    pub fn month_start(self) -> Date {
        let (y, m, _) = self.ymd();
        Date {
            days: days_from_civil(i64::from(y), m, 1) as i32,
        }
    }

    /// Monday = 0 … Sunday = 6.
    pub fn weekday(self) -> u32 {
        // 1970-01-01 was a Thursday (3).
        ((i64::from(self.days) + 3).rem_euclid(7)) as u32
    }
}

impl fmt::Display for Date {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let (y, m, d) = self.ymd();
        write!(f, "{y:04}-{m:02}-{d:02}")
    }
}

impl TryFrom<String> for Date {
    type Error = Error;
    fn try_from(s: String) -> Result<Date> {
        Date::parse(&s)
    }
}

impl From<Date> for String {
    fn from(d: Date) -> String {
        d.to_string()
    }
}

#[cfg(feature = "schema")]
impl schemars::JsonSchema for Date {
    fn schema_name() -> std::borrow::Cow<'static, str> {
        "Date".into()
    }
    fn json_schema(_: &mut schemars::SchemaGenerator) -> schemars::Schema {
        schemars::json_schema!({ "type": "string", "format": "date", "description": "A calendar day, YYYY-MM-DD (UTC)." })
    }
}

/// A half-open range of days `[start, end)`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct Period {
    /// First day in the period.
    pub start: Date,
    /// First day after the period.
    pub end: Date,
}

impl Period {
    /// `[start, end)`.
    ///
    /// # Errors
    /// [`ErrorKind::Input`] when `end` is not after `start`.
    pub fn new(start: Date, end: Date) -> Result<Period> {
        if end <= start {
            return Err(Error::input(
                "period",
                format!("end {end} must be after start {start}"),
            ));
        }
        Ok(Period { start, end })
    }

    /// Number of days in the period.
    pub fn days(&self) -> i64 {
        self.start.days_until(self.end)
    }

    /// True when `d` is inside `[start, end)`.
    pub fn contains(&self, d: Date) -> bool {
        self.start <= d && d < self.end
    }

    /// The overlap of two periods, if any.
    pub fn intersect(&self, other: &Period) -> Option<Period> {
        let start = self.start.max(other.start);
        let end = self.end.min(other.end);
        (start < end).then_some(Period { start, end })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn round_trips_every_day_of_a_leap_cycle() {
        let start = Date::parse("1999-12-25").unwrap();
        for i in 0..(366 * 5) {
            let d = start.plus_days(i);
            assert_eq!(Date::parse(&d.to_string()).unwrap(), d);
        }
        assert_eq!(Date::parse("1970-01-01").unwrap().days_since_epoch(), 0);
        assert_eq!(Date::parse("2024-02-29").unwrap().to_string(), "2024-02-29");
    }

    #[test]
    fn refuses_days_that_do_not_exist() {
        for s in [
            "2023-02-29",
            "2024-13-01",
            "2024-00-10",
            "2024-04-31",
            "24-01-01",
            "2024-1-01",
            "２０２４-01-01",
            "+024-01-01",
            "",
        ] {
            assert_eq!(Date::parse(s).unwrap_err().code(), "invalid_input", "{s}");
        }
    }

    #[test]
    fn months_clamp_to_their_last_day() {
        let d = Date::parse("2024-01-31").unwrap();
        assert_eq!(d.plus_months(1).to_string(), "2024-02-29");
        assert_eq!(d.plus_months(13).to_string(), "2025-02-28");
        assert_eq!(d.plus_months(-2).to_string(), "2023-11-30");
        assert_eq!(d.month_start().to_string(), "2024-01-01");
    }

    #[test]
    fn instants_map_to_utc_days() {
        assert_eq!(Instant(0).date().to_string(), "1970-01-01");
        assert_eq!(Instant(-1).date().to_string(), "1969-12-31");
        assert_eq!(Instant(1_750_000_000_000).date().to_string(), "2025-06-15");
        assert_eq!(Instant(i64::MAX).date(), Date::MAX);
        assert_eq!(Date::parse("2026-11-22").unwrap().weekday(), 6);
    }

    #[test]
    fn periods_are_half_open() {
        let p = Period::new(
            Date::parse("2026-06-01").unwrap(),
            Date::parse("2026-07-01").unwrap(),
        )
        .unwrap();
        assert_eq!(p.days(), 30);
        assert!(p.contains(Date::parse("2026-06-30").unwrap()));
        assert!(!p.contains(Date::parse("2026-07-01").unwrap()));
        assert!(Period::new(p.end, p.start).is_err());
    }
}
