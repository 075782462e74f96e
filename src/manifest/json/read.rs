//! Reading a parsed [`Node`] into the core's types, with the JSON path of the first value
//! that does not fit: what the WebAssembly build uses instead of serde's derived
//! deserialization, which emits several visitors per type (map and sequence forms, field
//! identifiers, buffered content for tagged enums) and made up most of the module.
//!
//! Each type's [`Read`] impl is a few lines of glue (see the macros below) around shared,
//! non-generic functions: [`fields`] matches an object's entries (or an array's items)
//! against a static table of field names, [`variant`] and [`tag`] find an enum's variant.
//! What is accepted and what is said about the rest is what serde says for the same type
//! and attributes (`deny_unknown_fields`, `default`, `rename_all`, `tag`), reading JSON
//! text natively: the tests run every one-value change of the demo documents through both.
//!
//! Paths are those serde_path_to_error gives: the value at fault, or the object for a
//! missing or duplicate field; inside an internally tagged enum's variant (which serde
//! buffers and reads without tracking), the enum itself.

use std::collections::BTreeMap;
use std::fmt;

use rust_decimal::Decimal;
use serde::de::Unexpected;

use super::node::Node;

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

pub(crate) type Result<T> = std::result::Result<T, ReadError>;

fn fail(at: &Path, message: String) -> ReadError {
    let mut path = String::new();
    at.render(&mut path);
    ReadError { path, message }
}

/// serde's "invalid type" message for `node` where `expected` was wanted.
fn invalid_type(at: &Path, node: &Node, expected: &str) -> ReadError {
    fail(
        at,
        format!(
            "invalid type: {}, expected {expected}",
            Json(unexpected(node))
        ),
    )
}

fn invalid_value(at: &Path, unexp: Unexpected, expected: &str) -> ReadError {
    fail(
        at,
        format!("invalid value: {}, expected {expected}", Json(unexp)),
    )
}

fn unexpected(node: &Node) -> Unexpected<'_> {
    match node {
        Node::Null => Unexpected::Unit,
        Node::Bool(b) => Unexpected::Bool(*b),
        Node::U64(n) => Unexpected::Unsigned(*n),
        Node::I64(n) => Unexpected::Signed(*n),
        Node::F64(n) => Unexpected::Float(*n),
        Node::Str(s) => Unexpected::Str(s),
        Node::Array(_) => Unexpected::Seq,
        Node::Object(_) => Unexpected::Map,
    }
}

/// An unexpected value named as serde_json names it (`null`, floats written as in JSON).
struct Json<'a>(Unexpected<'a>);

impl fmt::Display for Json<'_> {
    fn fmt(&self, f: &mut fmt::Formatter) -> fmt::Result {
        match self.0 {
            Unexpected::Unit => f.write_str("null"),
            Unexpected::Float(v) => match serde_json::Number::from_f64(v) {
                Some(n) => write!(f, "floating point `{n}`"),
                None => fmt::Display::fmt(&self.0, f),
            },
            other => fmt::Display::fmt(&other, f),
        }
    }
}

/// serde's "unknown field" / "unknown variant" message: "`a`", "`a` or `b`", "one of …".
fn unknown(what: &str, name: &str, expected: &[&str]) -> String {
    let list = match expected {
        [] => return format!("unknown {what} `{name}`, there are no {what}s"),
        [a] => format!("`{a}`"),
        [a, b] => format!("`{a}` or `{b}`"),
        all => {
            let quoted: Vec<String> = all.iter().map(|n| format!("`{n}`")).collect();
            format!("one of {}", quoted.join(", "))
        }
    };
    format!("unknown {what} `{name}`, expected {list}")
}

fn missing(at: &Path, field: &str) -> ReadError {
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
        use std::str::FromStr;
        match node {
            Node::U64(n) => Ok(Decimal::from(*n)),
            Node::I64(n) => Ok(Decimal::from(*n)),
            Node::F64(v) => Decimal::from_str(&v.to_string())
                .map_err(|_| invalid_value(at, Unexpected::Float(*v), EXPECTED)),
            Node::Str(s) => Decimal::from_str(s)
                .or_else(|_| Decimal::from_scientific(s))
                .map_err(|_| invalid_value(at, Unexpected::Str(s), EXPECTED)),
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
        let Node::Array(items) = node else {
            return Err(invalid_type(at, node, "a sequence"));
        };
        let mut out = Vec::with_capacity(items.len());
        for (i, item) in items.iter().enumerate() {
            out.push(T::read(item, &Path::Index(at, i))?);
        }
        Ok(out)
    }
}

/// Keys read as the strings they are (a `String`, or a `Currency` parsed from one); a
/// repeated key keeps its last value.
impl<K: Read + Ord, V: Read> Read for BTreeMap<K, V> {
    fn read(node: &Node, at: &Path) -> Result<BTreeMap<K, V>> {
        let Node::Object(entries) = node else {
            return Err(invalid_type(at, node, "a map"));
        };
        let mut out = BTreeMap::new();
        for (key, value) in entries {
            let path = Path::Key(at, key);
            let k = K::read(&Node::Str(key.clone()), &path)?;
            out.insert(k, V::read(value, &path)?);
        }
        Ok(out)
    }
}

/// A struct's (or struct variant's) fields as serde derive names and reads them.
pub(crate) struct Shape {
    /// `struct Party`, `struct variant Predicate::Eq`.
    pub(crate) expecting: &'static str,
    /// JSON names, in declaration order.
    pub(crate) fields: &'static [&'static str],
    /// Bit `i` set: field `i` has `#[serde(default)]`, so an array may end before it.
    pub(crate) defaulted: u64,
    pub(crate) deny_unknown: bool,
}

/// Calls `set(i, value, path)` for each field present in `node`, in text order: an object's
/// entries by name (refusing unknown names if the shape says so, and repeated ones), or an
/// array's items by position (as serde reads a struct written as an array). `tag` is an
/// internally tagged enum's tag, already read: its entry, or the first item, is skipped.
/// Fields left out are the caller's to default or report (see [`absent`]).
///
/// # Errors
/// The first misfit, including those `set` reports.
pub(crate) fn fields(
    node: &Node,
    at: &Path,
    shape: &Shape,
    tag: Option<&str>,
    set: &mut dyn FnMut(usize, &Node, &Path) -> Result<()>,
) -> Result<()> {
    match node {
        Node::Object(entries) => {
            let mut seen = 0u64;
            for (key, value) in entries {
                if tag == Some(key.as_str()) {
                    continue;
                }
                let path = Path::Key(at, key);
                match shape.fields.iter().position(|f| f == key) {
                    Some(i) if seen & (1 << i) != 0 => {
                        return Err(fail(at, format!("duplicate field `{key}`")));
                    }
                    Some(i) => {
                        seen |= 1 << i;
                        set(i, value, &path)?;
                    }
                    None if shape.deny_unknown => {
                        return Err(fail(&path, unknown("field", key, shape.fields)));
                    }
                    None => {}
                }
            }
            Ok(())
        }
        Node::Array(all) => {
            let skip = usize::from(tag.is_some());
            let items = all.get(skip..).unwrap_or_default();
            for (i, _) in shape.fields.iter().enumerate() {
                match items.get(i) {
                    Some(item) => set(i, item, &Path::Index(at, i + skip))?,
                    None if shape.defaulted & (1 << i) != 0 => {}
                    None => {
                        let expected = elements(shape.expecting, shape.fields.len());
                        return Err(fail(at, format!("invalid length {i}, expected {expected}")));
                    }
                }
            }
            let count = shape.fields.len();
            if items.len() > count {
                let expected = match count {
                    1 => "1 element in sequence".to_string(),
                    n => format!("{n} elements in sequence"),
                };
                let len = items.len();
                return Err(fail(
                    at,
                    format!("invalid length {len}, expected {expected}"),
                ));
            }
            Ok(())
        }
        _ => Err(invalid_type(at, node, shape.expecting)),
    }
}

/// A field left out of an object: `T::absent()` (`None` for an `Option`) or missing.
pub(crate) fn absent<T: Read>(at: &Path, field: &str) -> Result<T> {
    T::absent().ok_or_else(|| missing(at, field))
}

/// What an externally tagged variant carries, for serde's message when a string names a
/// variant that needs a value.
#[derive(Clone, Copy, PartialEq)]
pub(crate) enum Kind {
    Unit,
    Newtype,
    Struct,
}

fn index(at: &Path, name: &str, names: &[&str]) -> Result<usize> {
    names
        .iter()
        .position(|n| *n == name)
        .ok_or_else(|| fail(at, unknown("variant", name, names)))
}

/// An externally tagged enum (`"name"` or `{ "name": value }`): the variant's index and,
/// when written as an object, its key and value (a unit variant's is already checked).
/// Call [`single_key`] after reading the value, as serde refuses a second key only then.
pub(crate) fn variant<'a>(
    node: &'a Node,
    at: &Path,
    names: &[&str],
    kinds: &[Kind],
) -> Result<(usize, Option<(&'a str, &'a Node)>)> {
    // Inside a buffered (internally tagged) value, serde reads enums another way.
    let content = at.sealed();
    match node {
        Node::Str(s) => {
            let i = index(at, s, names)?;
            match kinds.get(i) {
                Some(Kind::Newtype) => Err(invalid_value_type(
                    at,
                    Unexpected::UnitVariant,
                    "newtype variant",
                )),
                Some(Kind::Struct) => Err(invalid_value_type(
                    at,
                    Unexpected::UnitVariant,
                    "struct variant",
                )),
                _ => Ok((i, None)),
            }
        }
        Node::Object(entries) if content && entries.len() != 1 => {
            Err(invalid_value(at, Unexpected::Map, "map with a single key"))
        }
        Node::Object(entries) => {
            let Some((key, value)) = entries.first() else {
                return Err(invalid_value(at, Unexpected::Map, SINGLE_KEY));
            };
            let i = index(at, key, names)?;
            if kinds.get(i) == Some(&Kind::Unit) {
                let path = Path::Key(at, key);
                match value {
                    Node::Null => {}
                    Node::Object(e) if content && e.is_empty() => {}
                    _ if content => return Err(invalid_type(&path, value, "unit")),
                    _ => return Err(invalid_type(&path, value, "null")),
                }
            }
            Ok((i, Some((key.as_str(), value))))
        }
        _ => Err(invalid_type(at, node, "string or map")),
    }
}

const SINGLE_KEY: &str = "a map with a single key";

fn invalid_value_type(at: &Path, unexp: Unexpected, expected: &str) -> ReadError {
    fail(
        at,
        format!("invalid type: {}, expected {expected}", Json(unexp)),
    )
}

/// Refuses an externally tagged enum written as an object with more than one key.
pub(crate) fn single_key(node: &Node, at: &Path) -> Result<()> {
    match node {
        Node::Object(entries) if entries.len() > 1 => {
            Err(invalid_value(at, Unexpected::Map, SINGLE_KEY))
        }
        _ => Ok(()),
    }
}

/// An internally tagged enum's variant index, from its `tag` entry (or, written as an
/// array, its first item); `expecting` is `internally tagged enum Name`. The variant's
/// fields are then read with [`fields`] at `Path::Sealed(at)`, skipping the tag.
pub(crate) fn tag(
    node: &Node,
    at: &Path,
    tag: &str,
    expecting: &str,
    names: &[&str],
) -> Result<usize> {
    let name = |value: &Node, path: &Path| match value {
        Node::Str(s) => index(path, s, names),
        _ => Err(invalid_type(path, value, "variant identifier")),
    };
    match node {
        Node::Object(entries) => {
            let mut found = None;
            for (key, value) in entries {
                if key == tag {
                    if found.is_some() {
                        return Err(fail(at, format!("duplicate field `{tag}`")));
                    }
                    found = Some(name(value, &Path::Key(at, key))?);
                }
            }
            found.ok_or_else(|| missing(at, tag))
        }
        Node::Array(items) => match items.first() {
            Some(first) => name(first, &Path::Index(at, 0)),
            None => Err(missing(at, tag)),
        },
        _ => Err(invalid_type(at, node, expecting)),
    }
}

/// `0`, or bit `$i` when a default is given: builds [`Shape::defaulted`].
macro_rules! default_bit {
    ($i:expr) => {
        0u64
    };
    ($i:expr, $default:expr) => {
        1u64 << $i
    };
}

/// The value of a field left out: its default if it has one, else [`absent`].
macro_rules! field_or {
    ($at:expr, $field:ident, $ty:ty) => {
        $crate::manifest::json::read::absent::<$ty>($at, stringify!($field))?
    };
    ($at:expr, $field:ident, $ty:ty, $default:expr) => {
        $default
    };
}

/// Reads a struct (or a struct variant) from `$node` at `$at`: `$ctor { field: Type =
/// (default), … }` lists the fields in declaration order with their JSON names and, for
/// those with `#[serde(default)]`, the default's expression.
macro_rules! read_fields {
    ($node:expr, $at:expr, $tag:expr, $expecting:expr, $deny:expr,
     $ctor:path { $($field:ident : $ty:ty $(= ($default:expr))?),* $(,)? }) => {{
        #[allow(non_camel_case_types, clippy::upper_case_acronyms)]
        enum F { $($field),* }
        const SHAPE: $crate::manifest::json::read::Shape = $crate::manifest::json::read::Shape {
            expecting: $expecting,
            fields: &[$(stringify!($field)),*],
            defaulted: 0 $(| default_bit!(F::$field as usize $(, $default)?))*,
            deny_unknown: $deny,
        };
        // Bound before the fields' locals, which may share a name with `$node`.
        let (node, at): (&$crate::manifest::json::node::Node, &$crate::manifest::json::read::Path) =
            ($node, $at);
        $(let mut $field: Option<$ty> = None;)*
        $crate::manifest::json::read::fields(node, at, &SHAPE, $tag, &mut |i, n, p| {
            $(if i == F::$field as usize {
                $field = Some(<$ty as $crate::manifest::json::read::Read>::read(n, p)?);
            })*
            Ok(())
        })?;
        $ctor { $($field: match $field {
            Some(v) => v,
            None => field_or!(at, $field, $ty $(, $default)?),
        }),* }
    }};
}

/// `impl Read` for a struct: `read_struct!(Type, deny_unknown, { fields })`.
macro_rules! read_struct {
    ($ty:ident, $deny:expr, { $($fields:tt)* }) => {
        impl $crate::manifest::json::read::Read for $ty {
            fn read(
                node: &$crate::manifest::json::node::Node,
                at: &$crate::manifest::json::read::Path,
            ) -> $crate::manifest::json::read::Result<$ty> {
                Ok(read_fields!(node, at, None, concat!("struct ", stringify!($ty)), $deny,
                    $ty { $($fields)* }))
            }
        }
    };
}

/// `impl Read` for an enum of unit variants: `read_unit_enum!(Type, ["json" => Variant, …])`.
macro_rules! read_unit_enum {
    ($ty:ident, [$($name:literal => $variant:ident),* $(,)?]) => {
        impl $crate::manifest::json::read::Read for $ty {
            fn read(
                node: &$crate::manifest::json::node::Node,
                at: &$crate::manifest::json::read::Path,
            ) -> $crate::manifest::json::read::Result<$ty> {
                use $crate::manifest::json::read::{single_key, variant, Kind};
                const ALL: &[$ty] = &[$($ty::$variant),*];
                let (i, _) = variant(node, at, &[$($name),*], &[$({ let _ = $name; Kind::Unit }),*])?;
                single_key(node, at)?;
                Ok(ALL[i])
            }
        }
    };
}

// After the macros, which they use.
mod manifests;
mod session;
#[cfg(test)]
mod tests;
