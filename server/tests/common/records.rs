//! What a browser session sends the HTTP tests' servers: a token for a demo user and a
//! charge record made by the core's own `prepare`, as the wasm engine makes it.

use std::path::Path;

use inflow::checkout::{prepare, ChargeKind, ChargeRecord, Context, Intent, Spend};
use inflow_server::auth::{self, Claims};
use inflow_server::{clock, state};
use rust_decimal::Decimal;

/// The secret [`super::config`] gives every test server.
pub const SECRET: &[u8] = b"test-secret";

/// A session token for `user` of the manifests in `manifests`, valid for an hour.
pub fn token(user: &str, manifests: &Path) -> String {
    let (_, _, users) = state::load_manifests(manifests).unwrap();
    let claims = Claims::for_user(users.user(user).unwrap(), clock::now_secs() + 3600);
    auth::mint(SECRET, &claims).unwrap()
}

/// The record the engine makes now for `quantity` (one when `None`) of `module`'s first
/// plan, offered in the CRM sidebar, with no grants and no spend to date.
pub fn prepared(
    id: &str,
    user: &str,
    module: &str,
    kind: ChargeKind,
    quantity: Option<Decimal>,
    manifests: &Path,
) -> ChargeRecord {
    let (m, refs, users) = state::load_manifests(manifests).unwrap();
    let spend = Spend::default();
    let ctx = Context {
        manifests: &m,
        user: users.user(user).unwrap(),
        grants: &[],
        spend: &spend,
        refs: &refs,
        now: clock::now(),
    };
    let intent = Intent {
        id: id.into(),
        module: module.into(),
        plan: None,
        quantity,
        kind,
        offer: None,
        surface: Some("crm-sidebar".into()),
    };
    prepare(&ctx, &intent).unwrap_or_else(|e| panic!("{user} cannot {kind:?} {module}: {e}"))
}
