//! The façade for one user's session: manifests, the user, their grants, usage and
//! suggestion history, and the time, passed in. The browser holds one per page; the server
//! builds one per request. Every method is a few lines over the rooms it ties together.

use crate::quoted::quoted;
use crate::ErrorKind;
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};

use crate::calendar::{Instant, Period};
use crate::checkout::{
    prepare, ChargeKind, ChargeRecord, Confirmed, Context, Intent, ManifestRefs, Route, Spend,
};
use crate::entitlement::dependencies::owned_modules;
use crate::entitlement::trial::convert_trial;
use crate::entitlement::{Check, Entitlements, Grant, GrantSource, Holder, UsageLedger};
use crate::error::{Error, Result};
use crate::manifest::{Manifests, User};
use crate::offers::{offers, suggest, Inputs, Offer};
use crate::pricing::{advise, quote, Advice, AdviceRequest, Quote, QuoteRequest, Selection};
use crate::propensity::{
    Model, Scorer, Signals, SignalsCache, Suggestion, SuggestionLog, UsageEvent,
};

/// Usage events kept per user: 90 days' worth is what the signals read, bounded in count.
const MAX_EVENTS: usize = 20_000;

/// What a session keeps about its user between loads (the browser persists it).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct State {
    /// Grants covering the user.
    #[serde(default)]
    pub grants: Vec<Grant>,
    /// Usage counted against limits.
    #[serde(default)]
    pub usage: UsageLedger,
    /// Usage telemetry for the signals (stays in the browser).
    #[serde(default)]
    pub events: Vec<UsageEvent>,
    /// Suggestions shown and dismissed.
    #[serde(default)]
    pub log: SuggestionLog,
}

/// One user's session.
#[derive(Debug)]
pub struct Engine {
    manifests: Manifests,
    user: User,
    entitlements: Entitlements,
    events: Vec<UsageEvent>,
    /// `events` folded into signals, kept until they change or a day passes.
    signals: SignalsCache,
    log: SuggestionLog,
    scorer: Scorer,
    refs: ManifestRefs,
    spend: Spend,
}

impl Engine {
    /// A session for `user` with their saved `state`; `model` ranks suggestions (without
    /// one, only popularity and co-occurrence rank them); `spend` is the spend to date the
    /// server reported (zero offline).
    ///
    /// # Errors
    /// [`ErrorKind::Manifest`] for a model that does not fit the catalog; [`ErrorKind::UnknownModule`]
    /// for a grant of a module the catalog lacks.
    pub fn new(
        manifests: Manifests,
        user: User,
        state: State,
        model: Option<Model>,
        refs: ManifestRefs,
        spend: Spend,
    ) -> Result<Engine> {
        let model = model.unwrap_or_else(|| Model {
            version: "none".into(),
            trained_at: None,
            seed: None,
            min_events_90d: 5,
            modules: Default::default(),
            cooccurrence: Default::default(),
            popularity: Default::default(),
        });
        let scorer = Scorer::new(&model, manifests.catalog())?;
        let entitlements =
            Entitlements::new(manifests.catalog(), &user, &state.grants, state.usage)?;
        Ok(Engine {
            manifests,
            user,
            entitlements,
            events: state.events,
            signals: SignalsCache::default(),
            log: state.log,
            scorer,
            refs,
            spend,
        })
    }

    /// The user.
    pub fn user(&self) -> &User {
        &self.user
    }

    /// The manifests.
    pub fn manifests(&self) -> &Manifests {
        &self.manifests
    }

    fn context(&self, now: Instant) -> Context<'_> {
        Context {
            manifests: &self.manifests,
            user: &self.user,
            grants: self.entitlements.grants(),
            spend: &self.spend,
            refs: &self.refs,
            now,
        }
    }

    /// The ranked, explained offers for the user now (at most `max`); those shown are
    /// remembered for the daily cap.
    ///
    /// # Errors
    /// See [`offers`].
    pub fn offers(&mut self, max: usize, now: Instant) -> Result<Vec<Offer>> {
        let list = offers(&self.manifests, &self.scorer, &self.inputs(now), max)?;
        for o in &list {
            self.log.record_shown(&o.module, now);
        }
        Ok(list)
    }

    /// What the propensity model would suggest now, ranked and explained, without pricing
    /// or funding (and without counting them as shown): for previews and measurements.
    pub fn suggest(&self, max: usize, now: Instant) -> Vec<Suggestion> {
        let inputs = self.inputs(now);
        suggest(&self.manifests, &self.scorer, &inputs, max)
    }

    fn inputs(&self, now: Instant) -> Inputs<'_> {
        Inputs {
            user: &self.user,
            grants: self.entitlements.grants(),
            events: &self.events,
            signals: &self.signals,
            log: &self.log,
            checkout: self.context(now),
            now,
        }
    }

    /// A quote in the user's currency.
    ///
    /// # Errors
    /// See [`quote`].
    pub fn quote(
        &self,
        selections: Vec<Selection>,
        now: Instant,
        prorate: Option<Period>,
    ) -> Result<Quote> {
        let currency = self.manifests.currency_for(&self.user);
        quote(
            &self.manifests,
            &QuoteRequest {
                selections,
                currency,
                date: now.date(),
                prorate,
            },
        )
    }

    /// Whether the user may use `feature` now, and how much is left.
    ///
    /// # Errors
    /// [`ErrorKind::UnknownFeature`].
    pub fn check(&self, feature: &str, now: Instant) -> Result<Check<'_>> {
        self.entitlements.check(feature, now)
    }

    /// Records `amount` of use of `feature`: against its limit, and as telemetry. A use
    /// refused by a limit is kept as a limit hit (a signal) and returned as the error.
    ///
    /// # Errors
    /// [`ErrorKind::LimitExceeded`], [`ErrorKind::NotEntitled`], [`ErrorKind::Input`] for a negative amount.
    pub fn record_usage(
        &mut self,
        feature: &str,
        amount: Decimal,
        now: Instant,
    ) -> Result<Check<'_>> {
        let result = self.entitlements.record(feature, amount, now);
        let limit_hit =
            matches!(&result, Err(e) if matches!(e.kind(), ErrorKind::LimitExceeded { .. }));
        if result.is_ok() || limit_hit {
            let count = u32::try_from(amount.trunc().mantissa().max(1)).unwrap_or(u32::MAX);
            self.events.push(UsageEvent {
                feature: feature.to_string(),
                count,
                at: now,
                limit_hit,
            });
            if self.events.len() > MAX_EVENTS {
                let excess = self.events.len() - MAX_EVENTS;
                self.events.drain(..excess);
            }
            self.signals.clear();
        }
        result?;
        self.entitlements.check(feature, now)
    }

    /// The user dismissed the offer of `module`: it stays away for the policy's cool-down.
    ///
    /// # Errors
    /// [`ErrorKind::UnknownModule`].
    pub fn dismiss(&mut self, module: &str, now: Instant) -> Result<()> {
        self.manifests.module(module)?;
        self.log.record_dismissed(module, now);
        Ok(())
    }

    /// The charge record for a purchase or trial, priced and decided here; the server
    /// verifies it again before it counts.
    ///
    /// # Errors
    /// See [`prepare`].
    pub fn checkout(&self, intent: &Intent, now: Instant) -> Result<ChargeRecord> {
        prepare(&self.context(now), intent)
    }

    /// Applies a charge the sink confirmed: grants the modules it paid for (a trial's
    /// grant converts in place, keeping its usage). Charges awaiting approval grant nothing.
    /// Returns the grant of the charge's module, if one was made.
    ///
    /// # Errors
    /// [`ErrorKind::Input`] when the record is for another user.
    pub fn apply(&mut self, record: &ChargeRecord) -> Result<Option<Grant>> {
        self.apply_confirmed(&Confirmed::from(record))
    }

    /// [`Engine::apply`] from the part of the record it reads.
    ///
    /// # Errors
    /// [`ErrorKind::Input`] when the record is for another user.
    pub fn apply_confirmed(&mut self, record: &Confirmed) -> Result<Option<Grant>> {
        if record.user != self.user.id {
            return Err(Error::input(
                "record.user",
                format!(
                    "the charge is for {}, this session is {}",
                    quoted(&record.user),
                    quoted(&self.user.id)
                ),
            ));
        }
        if record.funding.route == Route::NeedsApproval {
            return Ok(None);
        }
        let mut grants = self.entitlements.grants().to_vec();
        let holder = Holder::User(self.user.id.clone());
        let made = if record.kind == ChargeKind::Trial {
            Grant::new(
                record.id.clone(),
                record.module.clone(),
                GrantSource::Trial,
                holder,
                record.period.start,
            )
            .until(record.period.end)
        } else {
            for line in record.lines.iter().filter(|l| l.module != record.module) {
                grants.push(Grant::new(
                    format!("{}:{}", record.id, line.module),
                    line.module.clone(),
                    GrantSource::Purchase,
                    holder.clone(),
                    record.period.start,
                ));
            }
            match grants.iter().position(|g| {
                g.source == GrantSource::Trial && g.module == record.module && g.covers(&self.user)
            }) {
                Some(i) => convert_trial(&grants.remove(i), Some(record.plan.clone()), None)?,
                None => Grant::new(
                    record.id.clone(),
                    record.module.clone(),
                    GrantSource::Purchase,
                    holder,
                    record.period.start,
                ),
            }
        };
        if grants
            .iter()
            .any(|g| g.id == made.id && g.source == made.source)
        {
            return Ok(Some(made));
        }
        grants.push(made.clone());
        self.set_grants(grants)?;
        Ok(Some(made))
    }

    /// Replaces the user's grants (for example with the server's list after a sync).
    ///
    /// # Errors
    /// [`ErrorKind::UnknownModule`] for a grant of a module the catalog lacks.
    pub fn set_grants(&mut self, grants: Vec<Grant>) -> Result<()> {
        let ledger = self.entitlements.ledger().clone();
        self.entitlements =
            Entitlements::new(self.manifests.catalog(), &self.user, &grants, ledger)?;
        Ok(())
    }

    /// Modules the user owns now.
    pub fn owned(&self, now: Instant) -> Vec<String> {
        owned_modules(
            self.manifests.catalog(),
            self.entitlements.grants(),
            &self.user,
            now.date(),
        )
        .into_iter()
        .collect()
    }

    /// The user's signals now, as ranking reads them (folded once, reused until the events
    /// change or a day passes).
    pub fn signals(&self, now: Instant) -> Signals {
        let owned = self.owned(now);
        let mut signals = self
            .signals
            .get(&self.events, now, self.manifests.catalog(), &owned)
            .clone();
        signals.at = now;
        signals
    }

    /// The best-plan advice for a usage history.
    ///
    /// # Errors
    /// See [`advise`].
    pub fn advise(&self, request: &AdviceRequest) -> Result<Advice> {
        advise(&self.manifests, request)
    }

    /// The state to persist.
    pub fn state(&self) -> State {
        State {
            grants: self.entitlements.grants().to_vec(),
            usage: self.entitlements.ledger().clone(),
            events: self.events.clone(),
            log: self.log.clone(),
        }
    }
}
