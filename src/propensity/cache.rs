//! Folded signals kept between calls of one session.
//!
//! [`Signals::fold`] reads every event of the user's 90 days; ranking calls it for every
//! suggestion and offer. The fold only changes when the events or the owned modules change,
//! or when time moves an event into another day (or a future event comes due): until then
//! [`SignalsCache::get`] hands back the signals folded earlier. The session calls
//! [`SignalsCache::clear`] when it records usage.

use std::cell::{Ref, RefCell};

use super::signals::{Signals, UsageEvent, DAY_MS};
use crate::calendar::Instant;
use crate::manifest::Catalog;

/// The signals of one user, folded once and reused while they stay the same.
#[derive(Debug, Default)]
pub struct SignalsCache {
    slot: RefCell<Option<Folded>>,
}

#[derive(Debug)]
struct Folded {
    owned: Vec<String>,
    /// The instants the fold holds for: `[from, until)`.
    from: Instant,
    until: Instant,
    signals: Signals,
}

impl Clone for SignalsCache {
    /// A clone starts empty: the cache is a memo, not state.
    fn clone(&self) -> Self {
        SignalsCache::default()
    }
}

impl SignalsCache {
    /// The signals of `events` at `now` for a user owning `owned`: equal to
    /// `Signals::fold(events, now, catalog, owned)` except for `at`, which is the instant they
    /// were folded at. The caller clears the cache whenever `events` change.
    pub fn get(
        &self,
        events: &[UsageEvent],
        now: Instant,
        catalog: &Catalog,
        owned: &[String],
    ) -> Ref<'_, Signals> {
        let fresh = self
            .slot
            .borrow()
            .as_ref()
            .is_some_and(|f| f.from <= now && now < f.until && f.owned == owned);
        if !fresh {
            *self.slot.borrow_mut() = Some(Folded {
                owned: owned.to_vec(),
                from: now,
                until: stable_until(events, now),
                signals: Signals::fold(events, now, catalog, owned),
            });
        }
        Ref::map(self.slot.borrow(), |f| match f {
            Some(f) => &f.signals,
            None => unreachable!("filled above"),
        })
    }

    /// Forgets the folded signals (the events changed).
    pub fn clear(&self) {
        self.slot.borrow_mut().take();
    }
}

/// The first instant after `now` at which folding `events` may give other signals: when an
/// event's age reaches another whole day, or an event in the future comes due.
pub fn stable_until(events: &[UsageEvent], now: Instant) -> Instant {
    let next = events.iter().map(|e| {
        let age = now.0.saturating_sub(e.at.0);
        if age < 0 {
            e.at.0
        } else {
            now.0.saturating_add(DAY_MS - age % DAY_MS)
        }
    });
    Instant(next.min().unwrap_or(i64::MAX))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::propensity::signals::tests::{catalog, ev};

    const NOW: Instant = Instant(1_790_000_000_000);

    #[test]
    fn the_fold_holds_until_an_event_changes_day() {
        let c = catalog();
        let events = vec![
            ev("reports.export", 1, 6, NOW),
            ev("reports.export", 2, 29, NOW),
            ev("reports.export", 1, 89, NOW),
        ];
        let until = stable_until(&events, NOW);
        assert!(until > NOW && until.0 - NOW.0 <= DAY_MS);
        let at = Signals::fold(&events, NOW, &c, &[]);
        let before = Signals::fold(&events, Instant(until.0 - 1), &c, &[]);
        assert_eq!(at.features, before.features);
        // Just past the horizon, days counted are one more for every event made at the
        // same time of day (ev's are): the 6-day-old one leaves the week.
        let after = Signals::fold(&events, until, &c, &[]);
        assert_ne!(at.features, after.features);
    }

    #[test]
    fn a_future_event_ends_the_fold_when_it_comes_due() {
        let events = vec![
            ev("reports.export", 1, -1, NOW),
            ev("reports.export", 1, 3, NOW),
        ];
        assert_eq!(
            stable_until(&events, NOW),
            NOW.plus_days(1).min(stable_until(&events[1..], NOW))
        );
        assert_eq!(stable_until(&[], NOW), Instant(i64::MAX));
    }

    #[test]
    fn the_cache_gives_what_a_fresh_fold_gives() {
        let c = catalog();
        let cache = SignalsCache::default();
        let mut events = vec![ev("reports.export", 1, 2, NOW)];
        let owned = ["advanced-reports".to_string()];
        for step in 0..200i64 {
            // Every 3 hours for 25 days, with the owned modules changing and events added.
            let now = Instant(NOW.0 + step * 3 * 3_600_000);
            let owned = &owned[..usize::from(step % 50 < 25)];
            if step % 17 == 0 {
                events.push(ev("forecast.pipeline", 1, 0, now));
                cache.clear();
            }
            let fresh = Signals::fold(&events, now, &c, owned);
            let cached = cache.get(&events, now, &c, owned);
            assert_eq!(cached.features, fresh.features, "step {step}");
            assert_eq!(cached.modules, fresh.modules, "step {step}");
            assert_eq!(cached.events_90d, fresh.events_90d, "step {step}");
        }
    }
}
