//! [`Read`] for what a session reads besides the manifests: grants, the saved state, the
//! spend to date, checkout intents and charge records, advice requests and `quote`'s
//! option bag. `true` where the type has `deny_unknown_fields`, `= (…)` for a field's
//! `#[serde(default)]`.

use crate::collections::Map;

use rust_decimal::Decimal;

use super::{single_key, tag, variant, Kind, Path, Read, Result};
use crate::calendar::{Date, Instant, Period};
use crate::checkout::{
    prepare, Attribution, ChargeKind, ChargeRecord, Confirmed, ConfirmedFunding, ConfirmedLine,
    Decision, Intent, ManifestRef, ManifestRefs, Motion, Route, Spend,
};
use crate::engine::State;
use crate::entitlement::{Counter, Grant, GrantSource, Holder, Pool, Suspension, UsageLedger};
use crate::manifest::json::node::Node;
use crate::manifest::BillingPeriod;
use crate::money::Currency;
use crate::pricing::advisor::{AdviceRequest, Candidate, Component, QuantitySource};
use crate::pricing::discount::{AppliedDiscount, PriceSource};
use crate::pricing::quote::Action;
use crate::pricing::selections::{QuoteArgs, QuoteSelection};
use crate::pricing::{Proration, QuoteLine};
use crate::propensity::guardrails::{LogEntry, SuggestionLog};
use crate::propensity::signals::{self, UsageEvent};

read_unit_enum!(GrantSource, [
    "plan" => Plan, "purchase" => Purchase, "trial" => Trial, "promotion" => Promotion,
    "admin" => Admin,
]);

/// An enum of one unit variant and two newtype variants holding a string.
fn unit_or_named(node: &Node, at: &Path, names: &[&str]) -> Result<(usize, String)> {
    let kinds: &[Kind] = match names.len() {
        3 => &[Kind::Unit, Kind::Newtype, Kind::Newtype],
        _ => &[Kind::Newtype, Kind::Newtype],
    };
    let (i, body) = variant(node, at, names, kinds)?;
    let name = match body {
        Some((key, value)) if kinds.get(i) == Some(&Kind::Newtype) => {
            String::read(value, &Path::Key(at, key))?
        }
        _ => String::new(),
    };
    single_key(node, at)?;
    Ok((i, name))
}

impl Read for Holder {
    fn read(node: &Node, at: &Path) -> Result<Holder> {
        Ok(
            match unit_or_named(node, at, &["org", "department", "user"])? {
                (1, name) => Holder::Department(name),
                (2, name) => Holder::User(name),
                _ => Holder::Org,
            },
        )
    }
}

impl Read for Pool {
    fn read(node: &Node, at: &Path) -> Result<Pool> {
        Ok(match unit_or_named(node, at, &["user", "department"])? {
            (0, name) => Pool::User(name),
            (_, name) => Pool::Department(name),
        })
    }
}

impl Read for QuantitySource {
    fn read(node: &Node, at: &Path) -> Result<QuantitySource> {
        let (i, body) = variant(
            node,
            at,
            &["fixed", "metric"],
            &[Kind::Newtype, Kind::Newtype],
        )?;
        let Some((key, value)) = body else {
            return Err(super::fail(at, "a variant without its value".into()));
        };
        let path = &Path::Key(at, key);
        let source = match i {
            0 => QuantitySource::Fixed(Decimal::read(value, path)?),
            _ => QuantitySource::Metric(String::read(value, path)?),
        };
        single_key(node, at)?;
        Ok(source)
    }
}

impl Read for Suspension {
    fn read(node: &Node, at: &Path) -> Result<Suspension> {
        const NAMES: &[&str] = &["missing_requirement", "admin"];
        let i = tag(
            node,
            at,
            "cause",
            "internally tagged enum Suspension",
            NAMES,
        )?;
        let (body, t) = (&Path::Sealed(at), Some("cause"));
        Ok(match i {
            0 => read_fields!(
                node,
                body,
                t,
                "struct variant Suspension::MissingRequirement",
                false,
                Suspension::MissingRequirement { module: String }
            ),
            _ => read_fields!(
                node,
                body,
                t,
                "struct variant Suspension::Admin",
                false,
                Suspension::Admin {
                    note: String = (String::new())
                }
            ),
        })
    }
}

read_struct!(Grant, true, {
    id: String,
    module: String,
    source: GrantSource,
    holder: Holder,
    starts: Date,
    ends: Option<Date> = (None),
    quantity: Option<u32> = (None),
    plan: Option<String> = (None),
    billing_period: Option<BillingPeriod> = (None),
    anchor: Option<Date> = (None),
    suspended: Option<Suspension> = (None),
});

read_struct!(State, true, {
    grants: Vec<Grant> = (Vec::new()),
    usage: UsageLedger = (UsageLedger::default()),
    events: Vec<UsageEvent> = (Vec::new()),
    log: SuggestionLog = (SuggestionLog::default()),
});

read_struct!(UsageLedger, true, { counters: Vec<Counter> = (Vec::new()) });

read_struct!(Counter, true, { feature: String, pool: Pool, window: Period, used: Decimal });

read_struct!(UsageEvent, true, {
    feature: String,
    count: u32 = (signals::one()),
    at: Instant,
    limit_hit: bool = (false),
});

read_struct!(SuggestionLog, true, { entries: Vec<LogEntry> = (Vec::new()) });

read_struct!(LogEntry, true, {
    module: String,
    shown_at: Instant,
    dismissed_at: Option<Instant> = (None),
});

read_struct!(Spend, false, {
    by_source: Map<String, Decimal> = (Map::new()),
    by_user: Map<String, Decimal> = (Map::new()),
    user_month_total: Decimal = (Decimal::ZERO),
});

read_unit_enum!(ChargeKind, ["purchase" => Purchase, "trial" => Trial]);

read_struct!(Intent, true, {
    id: String,
    module: String,
    plan: Option<String> = (None),
    quantity: Option<Decimal> = (None),
    kind: ChargeKind = (prepare::purchase()),
    offer: Option<String> = (None),
    surface: Option<String> = (None),
});

read_struct!(ChargeRecord, false, {
    id: String,
    kind: ChargeKind,
    customer: String,
    department: String,
    user: String,
    module: String,
    plan: String,
    quantity: Decimal,
    lines: Vec<QuoteLine>,
    total: Decimal,
    currency: Currency,
    period: Period,
    funding: Decision,
    attribution: Attribution,
    manifests: ManifestRefs,
    created_at: Instant,
});

// What the page reads of a record it applies (`Engine.apply`): the rest of the record is
// ignored, as `deny_unknown_fields` is not set.
read_struct!(Confirmed, false, {
    id: String,
    kind: ChargeKind,
    user: String,
    module: String,
    plan: String,
    lines: Vec<ConfirmedLine>,
    period: Period,
    funding: ConfirmedFunding,
});

read_struct!(ConfirmedLine, false, { module: String });

read_struct!(ConfirmedFunding, false, { route: Route });

read_unit_enum!(PriceSource, ["list" => List, "contract" => Contract, "bundle" => Bundle]);

read_struct!(QuoteLine, false, {
    module: String,
    module_name: String,
    plan: Option<String> = (None),
    description: String,
    quantity: Decimal,
    unit: String,
    price_source: PriceSource,
    list_amount: Decimal,
    discount_amount: Decimal,
    discounts: Vec<AppliedDiscount>,
    proration: Option<Proration> = (None),
    net_amount: Decimal,
});

read_struct!(AppliedDiscount, false, {
    id: String,
    description: String,
    percent: Option<Decimal> = (None),
    amount: Decimal,
});

read_struct!(Proration, false, {
    charged: Period,
    billing_period: Period,
    days: i64,
    period_days: i64,
});

read_unit_enum!(Route, [
    "auto_approved" => AutoApproved, "needs_approval" => NeedsApproval, "prepaid" => Prepaid,
    "purchase_order" => PurchaseOrder, "card" => Card, "trial" => Trial,
]);

read_struct!(Decision, false, {
    source: String,
    name: String,
    route: Route,
    approver: Option<String> = (None),
    reasons: Vec<String> = (Vec::new()),
    text: String,
});

read_unit_enum!(Motion, ["land" => Land, "expand" => Expand]);

read_struct!(Attribution, false, {
    offer: Option<String> = (None),
    surface: Option<String> = (None),
    motion: Motion,
    owner: String,
});

read_struct!(ManifestRefs, false, {
    catalog: ManifestRef,
    contract: ManifestRef,
    policy: ManifestRef,
});

read_struct!(ManifestRef, false, { version: String, digest: String });

read_struct!(AdviceRequest, false, {
    currency: Currency,
    date: Date,
    history: Vec<Map<String, Decimal>>,
    candidates: Vec<Candidate>,
    current: Option<String> = (None),
});

read_struct!(Candidate, false, {
    id: String,
    label: String,
    components: Vec<Component>,
    covers: Map<String, Decimal> = (Map::new()),
});

read_struct!(Component, false, { module: String, plan: String, quantity: QuantitySource });

read_unit_enum!(Action, ["purchase" => Purchase, "cancel" => Cancel]);

read_struct!(QuoteArgs, false, { selections: Vec<QuoteSelection> });

read_struct!(QuoteSelection, false, {
    module: String,
    plan: Option<String> = (None),
    quantity: Option<Decimal> = (None),
    transactions: Vec<Decimal> = (Vec::new()),
    action: Action = (Action::default()),
});
