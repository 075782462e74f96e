//! The HTTP surface: static files with the host-page headers, and the versioned JSON API.

pub mod api;
pub mod approvals;
pub mod charges;
pub mod error;
pub mod export;
pub mod me;
pub mod session;
pub mod static_files;
