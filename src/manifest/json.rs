//! Loading manifests from JSON text, with errors a person can act on: malformed JSON as
//! [`Error::Syntax`] with line and column; a value of the wrong shape (an unknown field,
//! a missing one, a wrong type) as [`Error::Manifest`] with the JSON path of the value.

use serde::de::DeserializeOwned;

use crate::error::{Error, Problem, Result};

/// Parses `text` as a `T`, naming paths from `root` (`"catalog"`, `"contract"`, …).
///
/// # Errors
/// [`Error::Syntax`] for malformed JSON; [`Error::Manifest`] with one problem for a value
/// that does not fit the type.
pub fn from_str<T: DeserializeOwned>(root: &str, text: &str) -> Result<T> {
    parse(root, text).map_err(|(e, path)| convert(e, path))
}

/// Parses `text` as a `T` for an input argument (an option bag, not a manifest): a value
/// that does not fit is an [`Error::Input`] at its path, with serde's message alone.
///
/// # Errors
/// [`Error::Syntax`] for malformed JSON; [`Error::Input`] for a value that does not fit.
pub fn input_from_str<T: DeserializeOwned>(root: &str, text: &str) -> Result<T> {
    parse(root, text).map_err(|(e, path)| match e.classify() {
        serde_json::error::Category::Data => Error::input(path, message(&e)),
        _ => convert(e, path),
    })
}

/// The one deserializing entry point, so that each type is instantiated once whichever
/// error it is reported as: the serde_json error and the JSON path of the value at fault.
fn parse<T: DeserializeOwned>(
    root: &str,
    text: &str,
) -> std::result::Result<T, (serde_json::Error, String)> {
    let mut de = serde_json::Deserializer::from_str(text);
    let value = match serde_path_to_error::deserialize::<_, T>(&mut de) {
        Ok(v) => v,
        Err(e) => {
            let path = join(root, &e.path().to_string());
            return Err((e.into_inner(), path));
        }
    };
    de.end().map_err(|e| (e, root.to_string()))?;
    Ok(value)
}

fn join(root: &str, path: &str) -> String {
    match path {
        "" | "." => root.to_string(),
        p if p.starts_with('[') => format!("{root}{p}"),
        p => format!("{root}.{p}"),
    }
}

/// serde_json's message without the " at line L column C" it appends (the location is
/// kept in its own fields).
fn message(e: &serde_json::Error) -> String {
    let full = e.to_string();
    full.rsplit_once(" at line ")
        .map_or(full.as_str(), |(m, _)| m)
        .to_string()
}

fn convert(e: serde_json::Error, path: String) -> Error {
    use serde_json::error::Category;
    let (line, column) = (e.line(), e.column());
    let message = message(&e);
    match e.classify() {
        Category::Syntax | Category::Eof | Category::Io => Error::Syntax {
            line,
            column,
            message,
        },
        Category::Data => Error::Manifest(vec![Problem::new(
            path,
            format!("{message} (line {line}, column {column})"),
        )]),
    }
}

#[cfg(test)]
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
        match e {
            Error::Syntax { line, column, .. } => assert_eq!((line, column), (3, 3)),
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

    #[test]
    fn unknown_fields_are_refused_with_their_path() {
        let text = r#"{"version":"1","supplier":{"id":"s","name":"S","colour":"red"},"currencies":[],"features":[],"modules":[]}"#;
        let e = from_str::<Catalog>("catalog", text).unwrap_err();
        assert_eq!(e.code(), "manifest_invalid");
        assert_eq!(e.path(), Some("catalog.supplier.colour"));
        assert!(e.to_string().contains("unknown field `colour`"), "{e}");
    }
}

/// The SHA-256 digest (lower-case hex) of a manifest's canonical JSON: the typed value
/// serialized again, fields in declaration order and maps sorted, so formatting and key
/// order in the source text do not change it. A charge names the digests it was priced
/// from; the server refuses a charge priced from other manifests than its own.
///
/// # Errors
/// [`Error::Input`] if the value cannot be serialized (it always can for manifest types).
pub fn digest<T: serde::Serialize>(value: &T) -> Result<String> {
    use sha2::{Digest, Sha256};
    let bytes = serde_json::to_vec(value).map_err(|e| Error::input("manifest", e.to_string()))?;
    let hash = Sha256::digest(&bytes);
    Ok(hash.iter().map(|b| format!("{b:02x}")).collect())
}
