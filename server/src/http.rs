//! The HTTP surface: static files with the host-page headers, and the versioned JSON API.

pub mod static_files;
