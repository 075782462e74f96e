//! The only place the server reads the wall clock; the core always receives time as an argument.

use std::time::{SystemTime, UNIX_EPOCH};

use inflow::{Date, Instant};

/// Now, in milliseconds since the Unix epoch.
pub fn now() -> Instant {
    let ms = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map(|d| i64::try_from(d.as_millis()).unwrap_or(i64::MAX))
        .unwrap_or(0);
    Instant(ms)
}

/// Today (UTC).
pub fn today() -> Date {
    now().date()
}

/// Now, in whole seconds since the Unix epoch (token expiry).
pub fn now_secs() -> i64 {
    now().0 / 1000
}
