//! # Inflow core
//!
//! Pricing (exact decimals), entitlements and propensity for commerce inside the user's
//! workflow. The same code runs in the browser as WebAssembly and natively on the server,
//! so both give the same answer to the cent.
//!
//! The core is pure: no I/O, no clock (time is an argument), no global state. Every public
//! function returns [`Result`]; nothing panics on input.

#![forbid(unsafe_code)]

pub mod calendar;
pub mod checkout;
pub mod collections;
pub mod engine;
pub mod entitlement;
pub mod error;
pub mod insights;
pub mod manifest;
pub mod money;
pub mod offers;
pub mod pricing;
pub mod propensity;
mod quoted;

/// The WebAssembly bindings (wasm32 only).
#[cfg(target_arch = "wasm32")]
pub mod wasm;

pub use calendar::{Date, Instant, Period};
pub use error::{Error, ErrorKind, Problem, Result};
pub use manifest::Manifests;
pub use money::{Currency, Money, Rounding};
