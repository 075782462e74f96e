//! What every request shares: the manifests loaded once at startup, their digests, the
//! users, the ledger and the token secret.

use std::collections::HashMap;
use std::ops::Deref;
use std::path::Path;
use std::sync::Arc;

use anyhow::Context;
use inflow::checkout::{ManifestRef, ManifestRefs};
use inflow::manifest::{json, Catalog, Contract, Directory, Policy, User};
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
    /// The customer's users, indexed by id.
    pub users: Users,
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

/// The customer's directory with an index by id: every charge looks its buyer up, and a
/// linear search over tens of thousands of users would cost more than the verification.
pub struct Users {
    directory: Directory,
    by_id: HashMap<String, usize>,
}

impl Users {
    /// Indexes `directory` (the first of repeated ids wins, as a linear search would find it).
    pub fn new(directory: Directory) -> Users {
        let mut by_id = HashMap::with_capacity(directory.users.len());
        for (i, u) in directory.users.iter().enumerate() {
            by_id.entry(u.id.clone()).or_insert(i);
        }
        Users { directory, by_id }
    }

    /// The user with this id.
    pub fn user(&self, id: &str) -> Option<&User> {
        self.by_id.get(id).map(|&i| &self.directory.users[i])
    }
}

impl Deref for Users {
    type Target = Directory;
    fn deref(&self) -> &Directory {
        &self.directory
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_index_finds_what_a_search_finds() {
        let user = |id: &str, name: &str| User {
            id: id.into(),
            name: name.into(),
            attributes: Default::default(),
        };
        let users = Users::new(Directory {
            version: "1".into(),
            customer: "c".into(),
            users: vec![user("a", "first"), user("b", "B"), user("a", "second")],
        });
        assert_eq!(users.user("a").map(|u| u.name.as_str()), Some("first"));
        assert_eq!(users.user("b").map(|u| u.name.as_str()), Some("B"));
        assert!(users.user("c").is_none());
        assert_eq!(users.users.len(), 3);
    }
}
