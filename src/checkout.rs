//! Checkout: purchase intent → quote → funding decision → charge record, and the
//! verification of a record against the manifests (what the server does with every charge).

pub mod funding;
pub mod prepare;
pub mod record;
pub mod verify;

pub use funding::{decide, Decision, Route, Spend};
pub use prepare::{prepare, Context, Intent};
pub use record::{
    Attribution, ChargeKind, ChargeRecord, Confirmed, ConfirmedFunding, ConfirmedLine, ManifestRef,
    ManifestRefs, Motion,
};
pub use verify::{verify, Refusal, Verified};
