//! The demo's 18 months of charge history (May 2025 to October 2026) and the suggestion
//! funnel events around it, seeded once into `history_charges` and `funnel_events` when
//! the server starts with `--demo`, so that the insights page is never empty.
//!
//! Deterministic: a fixed ChaCha seed over the directory's users in id order; prices come
//! from the pricing core (the contract's terms as of today), funding from the core's
//! decision with nothing spent yet.

use inflow::checkout::{
    decide, Attribution, ChargeKind, ChargeRecord, ManifestRefs, Motion, Spend,
};
use inflow::manifest::{Directory, Manifests, User};
use inflow::pricing::{quote, QuoteRequest, Selection};
use inflow::{Date, Money, Period};
use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;
use rust_decimal::Decimal;
use sqlx::Row;

use crate::store::Store;

/// The surfaces suggestions are shown on in the demo.
pub const SURFACES: [&str; 3] = ["crm-sidebar", "product-export", "product-home"];

/// The first month of the history.
fn first_month() -> Option<Date> {
    Date::from_ymd(2025, 5, 1).ok()
}

/// One funnel event to store.
pub struct Event {
    /// Its id.
    pub id: String,
    /// The user.
    pub user: String,
    /// The module.
    pub module: String,
    /// The surface.
    pub surface: String,
    /// `shown`, `opened`, `trial` or `bought`.
    pub stage: &'static str,
    /// The model's score when shown.
    pub probability: Option<Decimal>,
    /// Milliseconds since the epoch.
    pub at: i64,
}

/// The history: charge records and funnel events.
pub fn generate(
    m: &Manifests,
    refs: &ManifestRefs,
    users: &Directory,
) -> (Vec<ChargeRecord>, Vec<Event>) {
    let mut rng = ChaCha8Rng::seed_from_u64(0x1f10_2026);
    let Some(start) = first_month() else {
        return (Vec::new(), Vec::new());
    };
    let today = Date::from_ymd(2026, 11, 1).unwrap_or(start);
    let mut planned: Vec<(Date, &User, String)> = Vec::new();
    let mut users_sorted: Vec<&User> = users.users.iter().collect();
    users_sorted.sort_by(|a, b| a.id.cmp(&b.id));
    for user in users_sorted {
        let offered: Vec<String> = m
            .policy()
            .communities_of(&user.attributes)
            .flat_map(|c| c.modules.iter().cloned())
            .collect();
        if offered.is_empty() || rng.random_bool(0.2) {
            continue;
        }
        // The first buyer lands in the first month, so the history spans all 18 months.
        let mut day = if planned.is_empty() {
            rng.random_range(0..28i64)
        } else {
            rng.random_range(0..300i64)
        };
        let orders = rng.random_range(1..=4usize);
        for _ in 0..orders {
            if day >= 548 {
                break;
            }
            let module = offered[rng.random_range(0..offered.len())].clone();
            planned.push((start.plus_days(day), user, module));
            day += rng.random_range(10..200i64);
        }
    }
    // …and the last one renews in the last month.
    if let Some((_, user, module)) = planned.last().cloned() {
        planned.push((start.plus_days(rng.random_range(522..548i64)), user, module));
    }
    planned.sort_by(|a, b| (a.0, &a.1.id).cmp(&(b.0, &b.1.id)));
    let mut charges = Vec::new();
    let mut events = Vec::new();
    let mut landed: Vec<String> = Vec::new();
    let team = &m.contract().account_team;
    for (n, (date, user, module)) in planned.into_iter().enumerate() {
        let Some(record) = price(m, refs, user, &module, date, today, n) else {
            continue;
        };
        let motion = if landed.contains(&module) {
            Motion::Expand
        } else {
            landed.push(module.clone());
            Motion::Land
        };
        let surface = SURFACES[rng.random_range(0..SURFACES.len())];
        let suggested = rng.random_bool(0.65);
        let at = date.start().0 + rng.random_range(9..17i64) * 3_600_000;
        if suggested {
            let p = Decimal::new(rng.random_range(35..95i64), 2);
            for (k, stage) in ["shown", "opened", "bought"].into_iter().enumerate() {
                events.push(Event {
                    id: format!("fe-{n}-{k}"),
                    user: user.id.clone(),
                    module: module.clone(),
                    surface: surface.to_string(),
                    stage,
                    probability: (stage == "shown").then_some(p),
                    at: at - 86_400_000 + k as i64 * 60_000,
                });
            }
        }
        charges.push(ChargeRecord {
            attribution: Attribution {
                offer: suggested.then(|| module.clone()),
                surface: suggested.then(|| surface.to_string()),
                motion,
                owner: match motion {
                    Motion::Land => team.land_owner.clone(),
                    Motion::Expand => team.expand_owner.clone(),
                },
            },
            created_at: inflow::Instant(at),
            ..record
        });
    }
    // Suggestions that did not sell: shown, sometimes opened or tried.
    for k in 0..600 {
        let Some(user) = users.users.get(rng.random_range(0..users.users.len())) else {
            continue;
        };
        let offered: Vec<&String> = m
            .policy()
            .communities_of(&user.attributes)
            .flat_map(|c| c.modules.iter())
            .collect();
        if offered.is_empty() {
            continue;
        }
        let module = offered[rng.random_range(0..offered.len())].clone();
        let surface = SURFACES[rng.random_range(0..SURFACES.len())];
        let at = start.plus_days(rng.random_range(0..548i64)).start().0 + 36_000_000;
        let p = Decimal::new(rng.random_range(2..60i64), 2);
        let mut stages = vec!["shown"];
        if rng.random_bool(0.3) {
            stages.push("opened");
            if rng.random_bool(0.3) {
                stages.push("trial");
            }
        }
        for (j, stage) in stages.into_iter().enumerate() {
            events.push(Event {
                id: format!("fx-{k}-{j}"),
                user: user.id.clone(),
                module: module.clone(),
                surface: surface.to_string(),
                stage,
                probability: (stage == "shown").then_some(p),
                at: at + j as i64 * 60_000,
            });
        }
    }
    (charges, events)
}

/// A purchase of one unit (one pack) of `module`'s first plan, priced as of `today`.
fn price(
    m: &Manifests,
    refs: &ManifestRefs,
    user: &User,
    module: &str,
    date: Date,
    today: Date,
    n: usize,
) -> Option<ChargeRecord> {
    let plan = m.module(module).ok()?.plans.first()?;
    let currency = m.currency_for(user);
    let quantity = plan
        .prices
        .values()
        .next()
        .map_or(Decimal::ONE, |p| match p.model {
            inflow::manifest::PriceModel::Package { size, .. } => size,
            _ => Decimal::ONE,
        });
    let q = quote(
        m,
        &QuoteRequest {
            selections: vec![Selection {
                module: module.into(),
                plan: Some(plan.id.clone()),
                quantity: Some(quantity),
                transactions: vec![],
                action: Default::default(),
            }],
            currency,
            date: today,
            prorate: None,
        },
    )
    .ok()?;
    if q.total.is_zero() {
        return None;
    }
    let funding = decide(
        m,
        user,
        module,
        Money::new(q.total, currency),
        &Spend::default(),
        today,
    )
    .ok()?;
    Some(ChargeRecord {
        id: format!("hist-{n:05}"),
        kind: ChargeKind::Purchase,
        customer: m.contract().customer.id.clone(),
        department: user.department().to_string(),
        user: user.id.clone(),
        module: module.to_string(),
        plan: plan.id.clone(),
        quantity,
        lines: q.lines,
        total: q.total,
        currency,
        period: Period::new(date, date.plus_months(1)).ok()?,
        funding,
        attribution: Attribution {
            offer: None,
            surface: None,
            motion: Motion::Land,
            owner: String::new(),
        },
        manifests: refs.clone(),
        created_at: date.start(),
    })
}

/// Seeds the history once (nothing happens when `history_charges` has rows).
///
/// # Errors
/// Database errors.
pub async fn seed(store: &Store, m: &Manifests, users: &Directory) -> anyhow::Result<()> {
    let mut tx = store.begin().await?;
    let n: i64 = sqlx::query("SELECT COUNT(*) FROM history_charges")
        .fetch_one(&mut **tx)
        .await?
        .try_get(0)?;
    if n > 0 {
        return Ok(());
    }
    let refs = super::refs(m).map_err(|e| anyhow::anyhow!("{e}"))?;
    let (charges, events) = generate(m, &refs, users);
    for c in &charges {
        sqlx::query("INSERT INTO history_charges (id, body, created_at) VALUES ($1, $2, $3)")
            .bind(&c.id)
            .bind(serde_json::to_string(c)?)
            .bind(c.created_at.0)
            .execute(&mut **tx)
            .await?;
    }
    for e in &events {
        sqlx::query(
            "INSERT INTO funnel_events (id, user_id, module, surface, stage, probability, at) \
             VALUES ($1, $2, $3, $4, $5, $6, $7)",
        )
        .bind(&e.id)
        .bind(&e.user)
        .bind(&e.module)
        .bind(&e.surface)
        .bind(e.stage)
        .bind(e.probability.map(|p| p.to_string()))
        .bind(e.at)
        .execute(&mut **tx)
        .await?;
    }
    tx.commit().await?;
    Ok(())
}
