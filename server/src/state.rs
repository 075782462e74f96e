//! What every request shares: the manifests loaded once at startup, their digests, the
//! users, the ledger and the token secret.

use std::path::Path;
use std::sync::Arc;

use anyhow::Context;
use inflow::checkout::{ManifestRef, ManifestRefs};
use inflow::manifest::{json, Catalog, Contract, Directory, Policy};
use inflow::Manifests;

use crate::card::CardProcessor;
use crate::store::Store;

/// The shared state (cheap to clone).
#[derive(Clone)]
pub struct AppState(pub Arc<Shared>);

/// The shared state's contents.
pub struct Shared {
    /// The validated manifests.
    pub manifests: Manifests,
    /// Their versions and digests: a charge must name exactly these.
    pub refs: ManifestRefs,
    /// The customer's users.
    pub users: Directory,
    /// The ledger.
    pub store: Store,
    /// The token secret.
    pub secret: Vec<u8>,
    /// Whether demo tokens may be minted over HTTP.
    pub demo: bool,
    /// The admins' policy in force (charges are verified against it, not `manifests`).
    pub live: crate::policy::Live,
    /// Charges `card` purchases.
    pub card: Arc<dyn CardProcessor>,
    /// Records charges in batches, one transaction each.
    pub charges: crate::charging::batch::Writer,
    /// The server's clock cancellations are dated by.
    pub clock: crate::clock::Clock,
}

impl std::ops::Deref for AppState {
    type Target = Shared;
    fn deref(&self) -> &Shared {
        &self.0
    }
}

/// The manifests in `dir` (catalog, contract, policy, users), validated, and their digests.
///
/// # Errors
/// When a file is missing or invalid; every problem is listed with its JSON path.
pub fn load_manifests(dir: &Path) -> anyhow::Result<(Manifests, ManifestRefs, Directory)> {
    let read = |name: &str| {
        let path = dir.join(format!("{name}.json"));
        std::fs::read_to_string(&path).with_context(|| {
            format!(
                "cannot read {}: pass --manifests DIR with catalog, contract, policy and users",
                path.display()
            )
        })
    };
    let catalog: Catalog = json::from_str("catalog", &read("catalog")?)?;
    let contract: Contract = json::from_str("contract", &read("contract")?)?;
    let policy: Policy = json::from_str("policy", &read("policy")?)?;
    let users: Directory = json::from_str("users", &read("users")?)?;
    let refs = ManifestRefs {
        catalog: ManifestRef {
            version: catalog.version.clone(),
            digest: json::digest(&catalog)?,
        },
        contract: ManifestRef {
            version: contract.version.clone(),
            digest: json::digest(&contract)?,
        },
        policy: ManifestRef {
            version: policy.version.clone(),
            digest: json::digest(&policy)?,
        },
    };
    let manifests = Manifests::new(catalog, contract, policy)
        .context("the manifests do not agree with each other: run `inflow check` on them")?;
    Ok((manifests, refs, users))
}
