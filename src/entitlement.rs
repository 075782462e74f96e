//! Entitlements: who may use which feature, how much of each limit is left, and why.
//!
//! - [`Grant`]: one right to one module, held by the organization, a department or a user;
//! - [`Entitlements`]: what one user has (the catalog's base plus the grants that cover
//!   them), resolved once so that [`Entitlements::check`] is a lookup;
//! - [`UsageLedger`]: usage of limits as plain data, per reset window (day, ISO week,
//!   month, the grant's billing period, never), pooled per department when the feature is;
//! - [`dependencies`]: what to buy together, what conflicts, what a loss suspends;
//! - [`trial`]: one trial per user and module, its end, its conversion.
//!
//! Time is always an argument: the core never reads a clock.

mod check;
pub mod dependencies;
mod grant;
mod set;
pub mod trial;
mod usage;
mod window;

#[cfg(test)]
pub(crate) mod fixture;

pub use check::{Check, GrantRef, ModuleRef, Reason};
pub use dependencies::{
    apply_suspensions, bundle_for, check_exclusions, owned_modules, resumable, suspended_by_loss,
    GrantSuspension,
};
pub use grant::{Grant, GrantSource, Holder, Suspension};
pub use set::Entitlements;
pub use trial::{convert_trial, start_trial};
pub use usage::{Counter, Pool, UsageLedger};
