//! Reading one manifest file: its bytes, its kind, its typed value.

use std::path::Path;

use inflow::manifest::{json, Catalog, Contract, Directory, Policy};
use inflow::ErrorKind;

use super::Finding;

/// The kinds of manifest `inflow check` knows.
#[derive(Clone, Copy, Debug, PartialEq, Eq, clap::ValueEnum)]
pub enum Kind {
    /// The supplier's catalog (has `modules`).
    Catalog,
    /// A customer's contract (has `funding`).
    Contract,
    /// The department admins' policy (has `communities`).
    Policy,
    /// A user directory (has `users`).
    Directory,
}

impl Kind {
    /// The root of its JSON paths.
    pub fn root(self) -> &'static str {
        match self {
            Kind::Catalog => "catalog",
            Kind::Contract => "contract",
            Kind::Policy => "policy",
            Kind::Directory => "directory",
        }
    }
}

/// A manifest read and typed.
pub enum Doc {
    /// A catalog.
    Catalog(Catalog),
    /// A contract.
    Contract(Contract),
    /// A policy.
    Policy(Policy),
    /// A user directory.
    Directory(Directory),
}

impl Doc {
    /// The kind and version, as `catalog v3`.
    pub fn describe(&self) -> String {
        let (kind, version) = match self {
            Doc::Catalog(c) => ("catalog", &c.version),
            Doc::Contract(k) => ("contract", &k.version),
            Doc::Policy(p) => ("policy", &p.version),
            Doc::Directory(d) => ("directory", &d.version),
        };
        format!("{kind} v{version}")
    }
}

/// Reads, classifies and parses one file; a failure is the findings that explain it.
pub fn load(path: &Path, kind: Option<Kind>) -> Result<Doc, Vec<Finding>> {
    let file = path.display().to_string();
    let bytes = std::fs::read(path).map_err(|e| {
        vec![Finding::plain(
            &file,
            "io_error",
            format!("cannot read the file: {e}"),
        )]
    })?;
    let text = String::from_utf8(bytes).map_err(|e| {
        let valid = e.utf8_error().valid_up_to();
        let prefix = e.as_bytes().get(..valid).unwrap_or_default();
        let line = 1 + prefix.iter().filter(|&&b| b == b'\n').count();
        let column = 1 + prefix.iter().rev().take_while(|&&b| b != b'\n').count();
        let mut f = Finding::plain(
            &file,
            "invalid_utf8",
            format!("is not UTF-8 text: invalid byte at offset {valid}"),
        );
        f.expected = Some("a UTF-8 JSON document".into());
        f.line = Some(line);
        f.column = Some(column);
        vec![f]
    })?;
    let kind = match kind {
        Some(k) => k,
        None => detect(&file, &text)?,
    };
    let doc = match kind {
        Kind::Catalog => json::from_str(kind.root(), &text).map(Doc::Catalog),
        Kind::Contract => json::from_str(kind.root(), &text).map(Doc::Contract),
        Kind::Policy => json::from_str(kind.root(), &text).map(Doc::Policy),
        Kind::Directory => json::from_str(kind.root(), &text).map(Doc::Directory),
    };
    doc.map_err(|e| Finding::from_error(&file, &e))
}

/// The kind, from the document's top-level fields.
fn detect(file: &str, text: &str) -> Result<Kind, Vec<Finding>> {
    let value: serde_json::Value = match json::from_str("document", text) {
        Ok(v) => v,
        Err(e) => return Err(Finding::from_error(file, &e)),
    };
    let has = |key: &str| value.as_object().is_some_and(|o| o.contains_key(key));
    [
        ("modules", Kind::Catalog),
        ("funding", Kind::Contract),
        ("communities", Kind::Policy),
        ("users", Kind::Directory),
    ]
    .into_iter()
    .find(|(key, _)| has(key))
    .map(|(_, kind)| kind)
    .ok_or_else(|| {
        let mut f = Finding::plain(
            file,
            ErrorKind::Manifest(Vec::new()).code(),
            "cannot tell which manifest this is",
        );
        f.expected = Some(
            "an object with `modules` (catalog), `funding` (contract), `communities` (policy) \
             or `users` (directory), or --kind"
                .into(),
        );
        vec![f]
    })
}
