//! Reading an enum: externally tagged (`"name"` or `{ "name": value }`), of unit variants
//! only, or internally tagged (`{ "type": "name", … }`), as serde reads each.

use super::text::Unexpected;
use super::{
    fail, invalid, invalid_type, invalid_value, missing, unknown, Node, Path, ReadError, Result,
};

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
/// `kinds[i]` is variant `i`'s kind; variants past its end are units. Call [`single_key`]
/// after reading the value, as serde refuses a second key only then.
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
            match kinds.get(i).unwrap_or(&Kind::Unit) {
                Kind::Newtype => Err(invalid_value_type(
                    at,
                    Unexpected::UnitVariant,
                    "newtype variant",
                )),
                Kind::Struct => Err(invalid_value_type(
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
            if kinds.get(i).unwrap_or(&Kind::Unit) == &Kind::Unit {
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

fn invalid_value_type(at: &Path, unexp: Unexpected, expected: &str) -> Box<ReadError> {
    invalid("type", at, unexp, expected)
}

/// The variant of an enum of unit variants (`"name"`, or `{ "name": null }`): [`variant`]
/// and [`single_key`] for all such enums at once.
///
/// # Errors
/// As [`variant`] and [`single_key`].
#[inline(never)]
pub(crate) fn unit_variant(node: &Node, at: &Path, names: &[&str]) -> Result<usize> {
    let (i, _) = variant(node, at, names, &[])?;
    single_key(node, at)?;
    Ok(i)
}

/// What is said if a value read has no place, which the callers rule out: an error rather
/// than a panic all the same.
#[inline(never)]
pub(crate) fn unread(at: &Path) -> Box<ReadError> {
    fail(at, "a variant was not read".into())
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

/// `impl Read` for an enum of unit variants: `read_unit_enum!(Type, ["json" => Variant, …])`.
macro_rules! read_unit_enum {
    ($ty:ident, [$($name:literal => $variant:ident),* $(,)?]) => {
        impl $crate::manifest::json::read::Read for $ty {
            fn read(
                node: &$crate::manifest::json::node::Node,
                at: &$crate::manifest::json::read::Path,
            ) -> $crate::manifest::json::read::Result<$ty> {
                const ALL: &[$ty] = &[$($ty::$variant),*];
                let i = $crate::manifest::json::read::unit_variant(node, at, &[$($name),*])?;
                // `unit_variant` gives an index into the names, as many as `ALL`.
                ALL.get(i).copied().ok_or_else(|| $crate::manifest::json::read::unread(at))
            }
        }
    };
}
