//! The test catalog (tests/fixtures/entitlement-catalog.json) and small helpers.

use crate::collections::Map;

use rust_decimal::Decimal;

use super::{Entitlements, Grant, GrantSource, Holder, UsageLedger};
use crate::calendar::{Date, Instant};
use crate::manifest::{Catalog, User};

pub(crate) fn catalog() -> Catalog {
    serde_json::from_str(include_str!(
        "../../tests/fixtures/entitlement-catalog.json"
    ))
    .unwrap()
}

pub(crate) fn day(s: &str) -> Date {
    Date::parse(s).unwrap()
}

/// Noon UTC of `s`.
pub(crate) fn noon(s: &str) -> Instant {
    Instant(day(s).start().0 + 12 * 3_600_000)
}

pub(crate) fn dec(s: &str) -> Decimal {
    Decimal::from_str_exact(s).unwrap()
}

pub(crate) fn user(id: &str, department: &str) -> User {
    let mut attributes = Map::new();
    if !department.is_empty() {
        attributes.insert("department".to_string(), department.to_string());
    }
    User {
        id: id.to_string(),
        name: id.to_string(),
        attributes,
    }
}

/// A purchase of `module` by user `holder` from `starts`.
pub(crate) fn bought(id: &str, module: &str, holder: &str, starts: &str) -> Grant {
    Grant::new(
        id,
        module,
        GrantSource::Purchase,
        Holder::User(holder.to_string()),
        day(starts),
    )
}

pub(crate) fn ents(u: &User, grants: &[Grant]) -> Entitlements {
    Entitlements::new(&catalog(), u, grants, UsageLedger::new()).unwrap()
}
