//! Checkout: purchase intent → quote → funding decision → charge record, and the
//! verification of a record against the manifests (what the server does with every charge).

pub mod funding;
pub mod prepare;
pub mod record;

pub use funding::{decide, Decision, Route, Spend};
pub use prepare::{prepare, Context, Intent};
pub use record::{Attribution, ChargeKind, ChargeRecord, ManifestRef, ManifestRefs, Motion};
