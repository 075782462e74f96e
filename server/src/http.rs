//! The HTTP surface: static files with the host-page headers, and the versioned JSON API.

pub mod admin;
pub mod api;
pub mod approvals;
pub mod charges;
pub mod embed;
pub mod error;
pub mod events;
pub mod export;
pub mod insights;
pub mod me;
pub mod precompressed;
pub mod session;
pub mod static_files;
