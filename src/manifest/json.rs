//! Loading manifests from JSON text, with errors a person can act on: malformed JSON as
//! [`ErrorKind::Syntax`]; a value of the wrong shape (an unknown field, a missing one, a
//! wrong type) as [`ErrorKind::Manifest`] with the JSON path of the value.
//!
//! Natively (the server, the CLI) the text is read in one pass by serde_path_to_error,
//! which also gives the line and column of a misfit value ([`from_str`]). The WebAssembly
//! build parses the text with [`parse`] (serde_json's grammar and messages, a fraction of
//! its code) into a [`node::Node`] tree and reads that with [`read`] ([`read_node`]): the
//! same paths and messages. The tests compare the parser with serde_json on every
//! truncation and thousands of corruptions of a manifest, and the two readers on every
//! one-value change of the demo documents, building the tree natively with serde_json.

pub(crate) mod node;
#[cfg_attr(not(target_arch = "wasm32"), allow(dead_code))]
pub(crate) mod parse;
#[cfg_attr(not(target_arch = "wasm32"), allow(dead_code))]
pub(crate) mod read;
#[cfg_attr(not(target_arch = "wasm32"), allow(dead_code))]
pub(crate) mod write;

#[cfg(not(target_arch = "wasm32"))]
use serde::de::DeserializeOwned;

use crate::error::{Error, ErrorKind, Problem, Result};

/// Parses `text` as a `T`, naming paths from `root` (`"catalog"`, `"contract"`, …).
///
/// # Errors
/// [`ErrorKind::Syntax`] for malformed JSON; [`ErrorKind::Manifest`] with one problem for a value
/// that does not fit the type.
#[cfg(not(target_arch = "wasm32"))]
pub fn from_str<T: DeserializeOwned>(root: &str, text: &str) -> Result<T> {
    parse(root, text).map_err(|fault| match fault {
        Fault::Syntax(e) => syntax(&e),
        Fault::Shape {
            path,
            message,
            at: Some((line, column)),
        } => ErrorKind::Manifest(vec![Problem::new(
            path,
            format!("{message} (line {line}, column {column})"),
        )])
        .into(),
        Fault::Shape { path, message, .. } => {
            ErrorKind::Manifest(vec![Problem::new(path, message)]).into()
        }
    })
}

/// Parses `text` as a `T` for an input argument (an option bag, not a manifest): a value
/// that does not fit is an [`ErrorKind::Input`] at its path, with serde's message alone.
///
/// # Errors
/// [`ErrorKind::Syntax`] for malformed JSON; [`ErrorKind::Input`] for a value that does not fit.
#[cfg(not(target_arch = "wasm32"))]
pub fn input_from_str<T: DeserializeOwned>(root: &str, text: &str) -> Result<T> {
    parse(root, text).map_err(|fault| match fault {
        Fault::Syntax(e) => syntax(&e),
        Fault::Shape { path, message, .. } => Error::input(path, message),
    })
}

/// Reads a parsed tree as a manifest `T`, naming paths from `root`: what the WebAssembly
/// build uses, with the tree [`parse`] made.
///
/// # Errors
/// [`ErrorKind::Manifest`] with one problem for a value that does not fit.
#[cfg_attr(not(target_arch = "wasm32"), allow(dead_code))]
pub(crate) fn read_node<T: read::Read>(root: &str, node: &node::Node) -> Result<T> {
    read::from_node(node).map_err(|e| misfit(root, e, false))
}

/// [`read_node`] for an input argument: a value that does not fit is an
/// [`ErrorKind::Input`] at its path, as [`input_from_str`] says it.
///
/// # Errors
/// [`ErrorKind::Input`] for a value that does not fit.
#[cfg_attr(not(target_arch = "wasm32"), allow(dead_code))]
pub(crate) fn read_input_node<T: read::Read>(root: &str, node: &node::Node) -> Result<T> {
    read::from_node(node).map_err(|e| misfit(root, e, true))
}

/// A misfit the tree reader found, at its path from `root`, as a manifest problem or (for
/// an `input`) an input error. Takes the box as the reader returns it, so that each type's
/// reader only passes a pointer on.
#[inline(never)]
#[allow(clippy::boxed_local)]
#[cfg_attr(not(target_arch = "wasm32"), allow(dead_code))]
fn misfit(root: &str, e: Box<read::ReadError>, input: bool) -> Error {
    let path = join(root, &e.path);
    if input {
        Error::input(path, e.message)
    } else {
        ErrorKind::Manifest(vec![Problem::new(path, e.message)]).into()
    }
}

/// Why text could not be read as a type.
#[cfg(not(target_arch = "wasm32"))]
enum Fault {
    /// Not well-formed JSON.
    Syntax(serde_json::Error),
    /// Well-formed, but the value at `path` does not fit; `at` is its line and column
    /// when the reader knows them.
    Shape {
        path: String,
        message: String,
        at: Option<(usize, usize)>,
    },
}

/// The one deserializing entry point, so that each type is instantiated once whichever
/// error it is reported as.
#[cfg(not(target_arch = "wasm32"))]
fn parse<T: DeserializeOwned>(root: &str, text: &str) -> std::result::Result<T, Fault> {
    use serde_json::error::Category;
    let mut de = serde_json::Deserializer::from_str(text);
    let value = serde_path_to_error::deserialize::<_, T>(&mut de).map_err(|e| {
        let path = join(root, &e.path().to_string());
        let e = e.into_inner();
        match e.classify() {
            Category::Data => Fault::Shape {
                path,
                message: message(&e),
                at: Some((e.line(), e.column())),
            },
            _ => Fault::Syntax(e),
        }
    })?;
    de.end().map_err(Fault::Syntax)?;
    Ok(value)
}

/// The tree reader natively, for the tests comparing it with [`parse`]: the text parsed
/// into a [`node::Node`] by serde_json, the node read into `T`.
#[cfg(all(test, not(target_arch = "wasm32")))]
fn parse_tree<T: read::Read>(root: &str, text: &str) -> std::result::Result<T, Fault> {
    let node: node::Node = serde_json::from_str(text).map_err(Fault::Syntax)?;
    read::from_node(&node).map_err(|e| Fault::Shape {
        path: join(root, &e.path),
        message: e.message,
        at: None,
    })
}

/// `root` followed by a path as serde_path_to_error (`.`, `a.b[0]`, `[1].c`) or [`read`]
/// (``, `.a.b[0]`, `[1].c`) writes it.
fn join(root: &str, path: &str) -> String {
    match path {
        "" | "." => root.to_string(),
        p if p.starts_with('[') || p.starts_with('.') => format!("{root}{p}"),
        p => format!("{root}.{p}"),
    }
}

/// serde_json's message without the " at line L column C" it appends (the location is
/// kept in its own fields).
#[cfg(not(target_arch = "wasm32"))]
fn message(e: &serde_json::Error) -> String {
    let full = e.to_string();
    let at = format!(" at line {} column {}", e.line(), e.column());
    full.strip_suffix(at.as_str()).unwrap_or(&full).to_string()
}

#[cfg(not(target_arch = "wasm32"))]
fn syntax(e: &serde_json::Error) -> Error {
    ErrorKind::Syntax {
        root: None,
        at: Some((e.line(), e.column())),
        message: message(e),
    }
    .into()
}

/// The SHA-256 digest (lower-case hex) of a manifest's canonical JSON: the typed value
/// serialized again, fields in declaration order and maps sorted, so formatting and key
/// order in the source text do not change it. A charge names the digests it was priced
/// from; the server refuses a charge priced from other manifests than its own.
///
/// # Errors
/// [`ErrorKind::Input`] if the value cannot be serialized (it always can for manifest types).
#[cfg(not(target_arch = "wasm32"))]
pub fn digest<T: serde::Serialize>(value: &T) -> Result<String> {
    use sha2::{Digest, Sha256};
    let bytes = serde_json::to_vec(value).map_err(|e| Error::input("manifest", e.to_string()))?;
    let hash = Sha256::digest(&bytes);
    Ok(hash.iter().map(|b| format!("{b:02x}")).collect())
}

#[cfg(all(test, not(target_arch = "wasm32")))]
mod digest_tests {
    use super::*;
    use crate::manifest::Party;

    #[test]
    fn digest_ignores_formatting_but_not_content() {
        let a: Party = from_str("p", r#"{"id":"a","name":"A"}"#).unwrap();
        let b: Party = from_str("p", "{ \"name\": \"A\",\n  \"id\": \"a\" }").unwrap();
        let c: Party = from_str("p", r#"{"id":"a","name":"B"}"#).unwrap();
        assert_eq!(digest(&a).unwrap(), digest(&b).unwrap());
        assert_ne!(digest(&a).unwrap(), digest(&c).unwrap());
        assert_eq!(digest(&a).unwrap().len(), 64);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::manifest::Catalog;

    #[test]
    fn malformed_json_has_line_and_column() {
        let e = from_str::<Catalog>("catalog", "{\n  \"version\": \"1\",\n  oops\n}").unwrap_err();
        match e.into_kind() {
            ErrorKind::Syntax { at, message, .. } => {
                assert_eq!(at, Some((3, 3)));
                // The location is in its own fields, not repeated in the message.
                assert_eq!(message, "key must be a string");
            }
            other => panic!("expected a syntax error, got {other:?}"),
        }
        assert_eq!(
            from_str::<Catalog>("catalog", "").unwrap_err().code(),
            "json_syntax"
        );
        assert_eq!(
            from_str::<Catalog>("catalog", "{\"version\": ")
                .unwrap_err()
                .code(),
            "json_syntax"
        );
    }

    /// serde_json's parser nests 127 levels and no more: the limit the wasm build's parser
    /// keeps too (`parse::MAX_DEPTH`; tests/js/boundary.test.mjs holds the shipped wasm to it).
    #[test]
    fn serde_json_nests_127_levels() {
        let nested = |depth: usize| format!("{}{}", "[".repeat(depth), "]".repeat(depth));
        assert_eq!(parse::MAX_DEPTH, 127);
        assert!(serde_json::from_str::<node::Node>(&nested(parse::MAX_DEPTH)).is_ok());
        let beyond = serde_json::from_str::<node::Node>(&nested(parse::MAX_DEPTH + 1)).unwrap_err();
        assert!(
            beyond.to_string().starts_with("recursion limit exceeded"),
            "{beyond}"
        );
    }

    #[test]
    fn unknown_fields_are_refused_with_their_path() {
        let text = r#"{"version":"1","supplier":{"id":"s","name":"S","colour":"red"},"currencies":[],"features":[],"modules":[]}"#;
        let e = from_str::<Catalog>("catalog", text).unwrap_err();
        assert_eq!(e.code(), "manifest_invalid");
        assert_eq!(e.path(), Some("catalog.supplier.colour"));
        assert!(e.to_string().contains("unknown field `colour`"), "{e}");
    }
}
