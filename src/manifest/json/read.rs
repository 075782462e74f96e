//! Reading a parsed [`Node`] into the core's types, with the JSON path of the first value
//! that does not fit: what the WebAssembly build uses instead of serde's derived
//! deserialization, which emits several visitors per type (map and sequence forms, field
//! identifiers, buffered content for tagged enums) and made up most of the module.
//!
//! Each type's [`Read`] impl is a few lines of glue (written by the macros in
//! `read/structs.rs` and `read/enums.rs`) around shared, non-generic functions: [`fields`]
//! matches an object's entries (or an array's items) against a static table of field names
//! and fills each field's [`Slot`] (one implementation per field type, not per struct),
//! [`variant`] and [`tag`] find an enum's variant; arrays and maps are walked by shared
//! functions too. Errors are boxed, and messages name values without `Debug` for `str` or
//! `Display` for `f64` (`read/text.rs`), which would link large tables and a float printer.
//! What is accepted and what is said about the rest is what serde says for the same type
//! and attributes (`deny_unknown_fields`, `default`, `rename_all`, `tag`), reading JSON
//! text natively: the tests run every one-value change of the demo documents through both.
//!
//! Paths are those serde_path_to_error gives: the value at fault, or the object for a
//! missing or duplicate field; inside an internally tagged enum's variant (which serde
//! buffers and reads without tracking), the enum itself.

use crate::collections::Map;

use rust_decimal::Decimal;

use crate::money::parse_decimal;
use crate::quoted::joined;

use super::node::Node;
use text::Unexpected;

/// Where a value sits below the root: built on the stack while descending, rendered only
/// when an error needs it.
#[derive(Clone, Copy)]
pub(crate) enum Path<'a> {
    Root,
    Key(&'a Path<'a>, &'a str),
    Index(&'a Path<'a>, usize),
    /// The body of an internally tagged enum: errors below it are placed on the enum.
    Sealed(&'a Path<'a>),
}

impl Path<'_> {
    fn sealed(&self) -> bool {
        match *self {
            Path::Root => false,
            Path::Sealed(_) => true,
            Path::Key(p, _) | Path::Index(p, _) => p.sealed(),
        }
    }

    /// `.key` and `[index]` segments after the root, for example `.modules[0].plans`.
    fn render(&self, out: &mut String) {
        match *self {
            Path::Root => {}
            Path::Sealed(p) => p.render(out),
            Path::Key(p, key) => {
                p.render(out);
                if !p.sealed() {
                    out.push('.');
                    out.push_str(key);
                }
            }
            Path::Index(p, i) => {
                p.render(out);
                if !p.sealed() {
                    out.push('[');
                    out.push_str(&i.to_string());
                    out.push(']');
                }
            }
        }
    }
}

/// A value that does not fit, the path of where it is (`""` for the root, otherwise
/// segments such as `.modules[0].plans`) and serde's message for it.
#[derive(Debug, PartialEq)]
pub(crate) struct ReadError {
    pub(crate) path: String,
    pub(crate) message: String,
}

/// Boxed, so that a result is a pointer wide for `()` and errors move as one word.
pub(crate) type Result<T> = std::result::Result<T, Box<ReadError>>;

#[inline(never)]
fn fail(at: &Path, message: String) -> Box<ReadError> {
    let mut path = String::new();
    at.render(&mut path);
    Box::new(ReadError { path, message })
}

/// serde's "invalid type" message for `node` where `expected` was wanted.
#[inline(never)]
fn invalid_type(at: &Path, node: &Node, expected: &str) -> Box<ReadError> {
    invalid("type", at, Unexpected::of(node), expected)
}

#[inline(never)]
fn invalid_value(at: &Path, unexp: Unexpected, expected: &str) -> Box<ReadError> {
    invalid("value", at, unexp, expected)
}

/// "invalid {what}: {unexp}, expected {expected}", naming `unexp` as serde_json does.
fn invalid(what: &str, at: &Path, unexp: Unexpected, expected: &str) -> Box<ReadError> {
    let mut message = format!("invalid {what}: ");
    unexp.describe(&mut message);
    message.push_str(", expected ");
    message.push_str(expected);
    fail(at, message)
}

/// serde's "unknown field" / "unknown variant" message: "`a`", "`a` or `b`", "one of …".
fn unknown(what: &str, name: &str, expected: &[&str]) -> String {
    let list = match expected {
        [] => return format!("unknown {what} `{name}`, there are no {what}s"),
        [a] => format!("`{a}`"),
        [a, b] => format!("`{a}` or `{b}`"),
        all => {
            let quoted: Vec<String> = all.iter().map(|n| format!("`{n}`")).collect();
            format!("one of {}", joined(&quoted, ", "))
        }
    };
    format!("unknown {what} `{name}`, expected {list}")
}

fn missing(at: &Path, field: &str) -> Box<ReadError> {
    fail(at, format!("missing field `{field}`"))
}

/// The expectation serde names when an array is too short or too long for `count` items.
fn elements(expecting: &str, count: usize) -> String {
    match count {
        1 => format!("{expecting} with 1 element"),
        n => format!("{expecting} with {n} elements"),
    }
}

/// A type read from a parsed JSON value.
pub(crate) trait Read: Sized {
    /// The value of `node`, or the first misfit in it with its path (`at` is `node`'s).
    ///
    /// # Errors
    /// A [`ReadError`] at the value that does not fit.
    fn read(node: &Node, at: &Path) -> Result<Self>;

    /// What a struct field of this type is when its key is absent and it has no
    /// `#[serde(default)]`: `None` for an `Option` (as serde does), otherwise missing.
    fn absent() -> Option<Self> {
        None
    }
}

/// Reads the whole document.
pub(crate) fn from_node<T: Read>(node: &Node) -> Result<T> {
    T::read(node, &Path::Root)
}

impl Read for bool {
    fn read(node: &Node, at: &Path) -> Result<bool> {
        match node {
            Node::Bool(b) => Ok(*b),
            _ => Err(invalid_type(at, node, "a boolean")),
        }
    }
}

impl Read for String {
    fn read(node: &Node, at: &Path) -> Result<String> {
        match node {
            Node::Str(s) => Ok(s.clone()),
            _ => Err(invalid_type(at, node, "a string")),
        }
    }
}

/// An integer in `min..=max` as serde reads one (`expected` is the type's name).
fn integer(node: &Node, at: &Path, min: i128, max: i128, expected: &str) -> Result<i128> {
    let (n, unexp) = match *node {
        Node::U64(n) => (i128::from(n), Unexpected::Unsigned(n)),
        Node::I64(n) => (i128::from(n), Unexpected::Signed(n)),
        _ => return Err(invalid_type(at, node, expected)),
    };
    if (min..=max).contains(&n) {
        Ok(n)
    } else {
        Err(invalid_value(at, unexp, expected))
    }
}

macro_rules! read_integer {
    ($($t:ty),*) => {$(
        impl Read for $t {
            fn read(node: &Node, at: &Path) -> Result<$t> {
                let n = integer(node, at, <$t>::MIN.into(), <$t>::MAX.into(), stringify!($t))?;
                <$t>::try_from(n).map_err(|_| invalid_type(at, node, stringify!($t)))
            }
        }
    )*};
}

read_integer!(u32, u64, i64);

impl Read for f64 {
    fn read(node: &Node, at: &Path) -> Result<f64> {
        match *node {
            Node::F64(n) => Ok(n),
            Node::U64(n) => Ok(n as f64),
            Node::I64(n) => Ok(n as f64),
            _ => Err(invalid_type(at, node, "f64")),
        }
    }
}

/// As rust_decimal's serde impl reads JSON: integers, floats (through their shortest
/// decimal text) and strings (plain or scientific notation).
impl Read for Decimal {
    fn read(node: &Node, at: &Path) -> Result<Decimal> {
        const EXPECTED: &str = "a Decimal type representing a fixed-point number";
        match node {
            Node::U64(n) => Ok(Decimal::from(*n)),
            Node::I64(n) => Ok(Decimal::from(*n)),
            Node::F64(v) => parse_decimal(&text::plain(*v))
                .ok_or_else(|| invalid_value(at, Unexpected::Float(*v), EXPECTED)),
            // rust_decimal's serde reading tries `from_scientific` after `from_str`, but
            // `from_str` already reads scientific notation (through `from_scientific_lossy`,
            // which accepts everything `from_scientific` does, giving the same value), so the
            // second parser would only be code. `parse_decimal` is `from_str` in less code.
            Node::Str(s) => {
                parse_decimal(s).ok_or_else(|| invalid_value(at, Unexpected::Str(s), EXPECTED))
            }
            _ => Err(invalid_type(at, node, EXPECTED)),
        }
    }
}

impl<T: Read> Read for Option<T> {
    fn read(node: &Node, at: &Path) -> Result<Option<T>> {
        match node {
            Node::Null => Ok(None),
            _ => T::read(node, at).map(Some),
        }
    }
    fn absent() -> Option<Option<T>> {
        Some(None)
    }
}

impl<T: Read> Read for Box<T> {
    fn read(node: &Node, at: &Path) -> Result<Box<T>> {
        T::read(node, at).map(Box::new)
    }
}

impl<T: Read> Read for Vec<T> {
    fn read(node: &Node, at: &Path) -> Result<Vec<T>> {
        let mut out = Vec::new();
        items(node, at, &mut |item, path| {
            out.push(T::read(item, path)?);
            Ok(())
        })?;
        Ok(out)
    }
}

/// Calls `each(item, path)` for each item of an array, in order: the part of reading a
/// `Vec` that does not depend on its item type.
///
/// # Errors
/// `node` is not an array, or the first error `each` returns.
#[inline(never)]
fn items(node: &Node, at: &Path, each: &mut dyn FnMut(&Node, &Path) -> Result<()>) -> Result<()> {
    let Node::Array(items) = node else {
        return Err(invalid_type(at, node, "a sequence"));
    };
    for (i, item) in items.iter().enumerate() {
        each(item, &Path::Index(at, i))?;
    }
    Ok(())
}

/// Keys read as the strings they are (a `String`, or a `Currency` parsed from one); a
/// repeated key keeps its last value.
impl<K: Read + Ord, V: Read> Read for Map<K, V> {
    fn read(node: &Node, at: &Path) -> Result<Map<K, V>> {
        let mut out = Map::new();
        entries(node, at, &mut |key, value, path| {
            let k = K::read(key, path)?;
            out.insert(k, V::read(value, path)?);
            Ok(())
        })?;
        Ok(out)
    }
}

/// Calls `each(key, value, path)` for each entry of an object, in text order, with the key
/// as a string node: the part of reading a map that does not depend on its types.
///
/// # Errors
/// `node` is not an object, or the first error `each` returns.
#[inline(never)]
fn entries(
    node: &Node,
    at: &Path,
    each: &mut dyn FnMut(&Node, &Node, &Path) -> Result<()>,
) -> Result<()> {
    let Node::Object(entries) = node else {
        return Err(invalid_type(at, node, "a map"));
    };
    for (key, value) in entries {
        each(&Node::Str(key.clone()), value, &Path::Key(at, key))?;
    }
    Ok(())
}

// Before the modules that use their macros.
#[macro_use]
mod structs;
#[macro_use]
mod enums;
mod manifests;
mod session;
#[cfg(test)]
mod tests;
mod text;

pub(crate) use enums::{single_key, tag, unit_variant, unread, variant, Kind};
pub(crate) use structs::{fields, unfilled, Shape, Slot};
