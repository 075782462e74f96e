//! The Inflow server: serves the demo pages and the wasm package, and verifies and records
//! every charge with the same core the browser runs. The binary `inflow` wraps it.

pub mod app;
pub mod clock;
pub mod http;
