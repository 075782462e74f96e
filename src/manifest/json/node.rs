//! A JSON value as parsed, before it is read into a type: [`super::read`] turns a node into
//! the core's types with the JSON path of the first misfit.
//!
//! In the WebAssembly build [`super::parse`] makes it; natively, for the tests comparing the
//! tree reader with serde's and that parser with serde_json, serde_json parses it
//! ([`Node`]'s `Deserialize`). Either way an object keeps its entries in text order,
//! duplicates included, so a type sees exactly the keys and values it would see reading the
//! text directly.

#[cfg(not(target_arch = "wasm32"))]
use std::fmt;

#[cfg(not(target_arch = "wasm32"))]
use serde::de::{self, Visitor};

/// A JSON value, as parsed.
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum Node {
    Null,
    Bool(bool),
    /// Non-negative integers.
    U64(u64),
    /// Negative integers.
    I64(i64),
    /// Every other number.
    F64(f64),
    Str(String),
    Array(Vec<Node>),
    /// Entries in text order; a repeated key is kept twice.
    Object(Vec<(String, Node)>),
}

#[cfg(not(target_arch = "wasm32"))]
impl<'de> de::Deserialize<'de> for Node {
    fn deserialize<D: de::Deserializer<'de>>(d: D) -> Result<Node, D::Error> {
        d.deserialize_any(NodeVisitor)
    }
}

#[cfg(not(target_arch = "wasm32"))]
struct NodeVisitor;

#[cfg(not(target_arch = "wasm32"))]
impl<'de> Visitor<'de> for NodeVisitor {
    type Value = Node;

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("any JSON value")
    }
    fn visit_unit<E>(self) -> Result<Node, E> {
        Ok(Node::Null)
    }
    fn visit_none<E>(self) -> Result<Node, E> {
        Ok(Node::Null)
    }
    fn visit_bool<E>(self, v: bool) -> Result<Node, E> {
        Ok(Node::Bool(v))
    }
    fn visit_u64<E>(self, v: u64) -> Result<Node, E> {
        Ok(Node::U64(v))
    }
    fn visit_i64<E>(self, v: i64) -> Result<Node, E> {
        Ok(Node::I64(v))
    }
    fn visit_f64<E>(self, v: f64) -> Result<Node, E> {
        Ok(Node::F64(v))
    }
    fn visit_str<E>(self, v: &str) -> Result<Node, E> {
        Ok(Node::Str(v.to_owned()))
    }
    fn visit_string<E>(self, v: String) -> Result<Node, E> {
        Ok(Node::Str(v))
    }
    fn visit_seq<A: de::SeqAccess<'de>>(self, mut seq: A) -> Result<Node, A::Error> {
        let mut items = Vec::new();
        while let Some(item) = seq.next_element()? {
            items.push(item);
        }
        Ok(Node::Array(items))
    }
    fn visit_map<A: de::MapAccess<'de>>(self, mut map: A) -> Result<Node, A::Error> {
        let mut entries = Vec::new();
        while let Some(entry) = map.next_entry()? {
            entries.push(entry);
        }
        Ok(Node::Object(entries))
    }
}
