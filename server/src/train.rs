//! Training and evaluating propensity models from purchase history: the scenario's
//! generated history, a typed CSV reader, the fit and the held-out metrics.

pub mod fit;
pub mod history;
pub mod metrics;
pub mod random;
pub mod table;
