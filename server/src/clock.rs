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

/// The server's clock as a value in its state: the system clock, which tests may move
/// forward (to cancel a charge half-way through its period without waiting for it).
/// Cancellations are dated by it.
#[derive(Debug, Clone, Default)]
pub struct Clock {
    offset_ms: std::sync::Arc<std::sync::atomic::AtomicI64>,
}

impl Clock {
    /// The system clock.
    pub fn system() -> Clock {
        Clock::default()
    }

    /// Now on this clock.
    pub fn now(&self) -> Instant {
        let offset = self.offset_ms.load(std::sync::atomic::Ordering::Relaxed);
        Instant(now().0.saturating_add(offset))
    }

    /// Today (UTC) on this clock.
    pub fn today(&self) -> Date {
        self.now().date()
    }

    /// Moves this clock (and every clone of it) `days` days forward.
    pub fn advance_days(&self, days: i64) {
        self.offset_ms.fetch_add(
            days.saturating_mul(86_400_000),
            std::sync::atomic::Ordering::Relaxed,
        );
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_moved_clock_moves_its_clones() {
        let c = Clock::system();
        let shared = c.clone();
        let before = c.today();
        shared.advance_days(15);
        assert_eq!(before.days_until(c.today()), 15);
    }
}
