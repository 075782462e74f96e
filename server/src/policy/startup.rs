//! The policy in force at startup: the latest stored version, or the manifests' own
//! (stored as revision 1 on first run).

use inflow::Manifests;

use super::{budget_limits, build, store, AdminDocument, Live};
use crate::clock;
use crate::store::Store;

/// Loads the live policy from the ledger, storing the manifests' own when there is none.
///
/// # Errors
/// Database errors; a stored version that no longer validates against the catalog and
/// contract is reported as a warning and the manifests' own policy is used instead.
pub async fn live(store: &Store, manifests: &Manifests) -> anyhow::Result<Live> {
    let mut conn = store.pool().acquire().await?;
    let files = AdminDocument {
        policy: manifests.policy().clone(),
        budgets: budget_limits(manifests.contract()),
    };
    let (catalog, contract) = (manifests.catalog(), manifests.contract());
    match store::latest(&mut conn).await? {
        Some((revision, doc)) => match build(catalog, contract, doc, revision) {
            Ok(current) => return Ok(Live::new(current)),
            Err(problems) => {
                eprintln!(
                    "warning: the stored policy (revision {revision}) no longer validates; \
                     using manifests/policy.json until an admin saves a new one:"
                );
                for p in problems {
                    eprintln!("  {p}");
                }
                let current = build(catalog, contract, files, revision)
                    .map_err(|p| anyhow::anyhow!("the manifests' policy is invalid: {p:?}"))?;
                return Ok(Live::new(current));
            }
        },
        None => {
            store::insert(&mut conn, 1, &files, "", &[], clock::now().0).await?;
        }
    }
    let current = build(catalog, contract, files, 1)
        .map_err(|p| anyhow::anyhow!("the manifests' policy is invalid: {p:?}"))?;
    Ok(Live::new(current))
}
