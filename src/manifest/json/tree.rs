//! JSON text read in two steps: parsed once into a [`Node`] tree, then deserialized into
//! the target type by [`Tree`], a serde `Deserializer` that knows the JSON path of the value
//! it reads and puts it on the first error.
//!
//! This is what the WebAssembly build uses instead of wrapping serde_json's deserializer
//! (serde_path_to_error wraps every visitor and access type, which multiplies each
//! manifest type's deserialization code). Here each type is instantiated once, with
//! [`Tree`]; serde_json is instantiated once, for [`Node`].
//!
//! A `Node` object keeps its entries in text order, duplicates included, so a type sees
//! exactly the keys and values it would see reading the text directly: the same documents
//! are refused (unknown fields, duplicate fields, wrong types), with the same first error.

use std::fmt;

use serde::de::{self, DeserializeSeed, IntoDeserializer, Unexpected, Visitor};
use serde::forward_to_deserialize_any;

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

impl<'de> de::Deserialize<'de> for Node {
    fn deserialize<D: de::Deserializer<'de>>(d: D) -> Result<Node, D::Error> {
        d.deserialize_any(NodeVisitor)
    }
}

struct NodeVisitor;

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

/// Where a value sits below the root: built on the stack while descending, rendered only
/// when an error needs it.
#[derive(Clone, Copy)]
enum Path<'a> {
    Root,
    Key(&'a Path<'a>, &'a str),
    Index(&'a Path<'a>, usize),
}

impl Path<'_> {
    /// `.key` and `[index]` segments after the root, for example `.modules[0].plans`.
    fn render(&self, out: &mut String) {
        match *self {
            Path::Root => {}
            Path::Key(parent, key) => {
                parent.render(out);
                out.push('.');
                out.push_str(key);
            }
            Path::Index(parent, i) => {
                parent.render(out);
                out.push('[');
                out.push_str(&i.to_string());
                out.push(']');
            }
        }
    }
}

/// A deserialization error and the path of the value it is about (`""` for the root,
/// otherwise segments such as `.modules[0].plans`).
#[derive(Debug)]
pub(crate) struct TreeError {
    pub(crate) message: String,
    pub(crate) path: Option<String>,
}

impl TreeError {
    /// Locates the error at `path` unless a deeper value already claimed it.
    fn at(mut self, path: &Path) -> TreeError {
        if self.path.is_none() {
            let mut s = String::new();
            path.render(&mut s);
            self.path = Some(s);
        }
        self
    }
}

impl fmt::Display for TreeError {
    fn fmt(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str(&self.message)
    }
}

impl std::error::Error for TreeError {}

impl de::Error for TreeError {
    fn custom<T: fmt::Display>(msg: T) -> TreeError {
        TreeError {
            message: msg.to_string(),
            path: None,
        }
    }

    fn invalid_type(unexp: Unexpected, exp: &dyn de::Expected) -> TreeError {
        de::Error::custom(format_args!(
            "invalid type: {}, expected {exp}",
            Json(unexp)
        ))
    }

    fn invalid_value(unexp: Unexpected, exp: &dyn de::Expected) -> TreeError {
        de::Error::custom(format_args!(
            "invalid value: {}, expected {exp}",
            Json(unexp)
        ))
    }
}

/// An unexpected value named as serde_json names it (`null`, floats written as in JSON),
/// so that messages read the same as the native reader's.
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

/// Deserializes a `T` from a parsed tree; the error carries the path of the value at fault.
pub(crate) fn from_node<T: de::DeserializeOwned>(node: &Node) -> Result<T, TreeError> {
    T::deserialize(Tree {
        node,
        path: &Path::Root,
    })
    .map_err(|e| e.at(&Path::Root))
}

const SINGLE_KEY: &str = "a map with a single key";

/// A `Deserializer` over one node of the tree, knowing its path.
struct Tree<'a> {
    node: &'a Node,
    path: &'a Path<'a>,
}

impl<'de> de::Deserializer<'de> for Tree<'_> {
    type Error = TreeError;

    fn deserialize_any<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, TreeError> {
        match self.node {
            Node::Null => visitor.visit_unit(),
            Node::Bool(b) => visitor.visit_bool(*b),
            Node::U64(n) => visitor.visit_u64(*n),
            Node::I64(n) => visitor.visit_i64(*n),
            Node::F64(n) => visitor.visit_f64(*n),
            Node::Str(s) => visitor.visit_str(s),
            Node::Array(items) => visitor.visit_seq(Items {
                items: items.iter(),
                index: 0,
                path: self.path,
            }),
            Node::Object(entries) => visitor.visit_map(Entries {
                entries: entries.iter(),
                value: None,
                path: self.path,
            }),
        }
    }

    fn deserialize_option<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, TreeError> {
        match self.node {
            Node::Null => visitor.visit_none(),
            _ => visitor.visit_some(self),
        }
    }

    fn deserialize_newtype_struct<V: Visitor<'de>>(
        self,
        _name: &'static str,
        visitor: V,
    ) -> Result<V::Value, TreeError> {
        visitor.visit_newtype_struct(self)
    }

    fn deserialize_enum<V: Visitor<'de>>(
        self,
        _name: &'static str,
        _variants: &'static [&'static str],
        visitor: V,
    ) -> Result<V::Value, TreeError> {
        match self.node {
            Node::Str(s) => visitor.visit_enum(s.as_str().into_deserializer()),
            // Read as the text would be: the first key names the variant, and only then
            // is a second key an error.
            Node::Object(entries) if !entries.is_empty() => {
                let value = visitor.visit_enum(Variant {
                    name: &entries[0].0,
                    value: &entries[0].1,
                    path: self.path,
                })?;
                if entries.len() > 1 {
                    return Err(de::Error::invalid_value(Unexpected::Map, &SINGLE_KEY));
                }
                Ok(value)
            }
            Node::Object(_) => Err(de::Error::invalid_value(Unexpected::Map, &SINGLE_KEY)),
            _ => Err(de::Error::invalid_type(self.unexpected(), &"string or map")),
        }
    }

    // The typed entry points call only the visitor methods the JSON text reader would
    // call for the value at hand, so that each type's unused `visit_*` defaults are not
    // instantiated; a value of another kind is the same "invalid type" error.

    fn deserialize_str<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, TreeError> {
        match self.node {
            Node::Str(s) => visitor.visit_str(s),
            _ => Err(self.invalid_type(&visitor)),
        }
    }

    fn deserialize_string<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, TreeError> {
        self.deserialize_str(visitor)
    }

    fn deserialize_identifier<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, TreeError> {
        self.deserialize_str(visitor)
    }

    fn deserialize_bool<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, TreeError> {
        match self.node {
            Node::Bool(b) => visitor.visit_bool(*b),
            _ => Err(self.invalid_type(&visitor)),
        }
    }

    fn deserialize_seq<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, TreeError> {
        match self.node {
            Node::Array(items) => visitor.visit_seq(Items {
                items: items.iter(),
                index: 0,
                path: self.path,
            }),
            _ => Err(self.invalid_type(&visitor)),
        }
    }

    fn deserialize_map<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, TreeError> {
        match self.node {
            Node::Object(entries) => visitor.visit_map(Entries {
                entries: entries.iter(),
                value: None,
                path: self.path,
            }),
            _ => Err(self.invalid_type(&visitor)),
        }
    }

    fn deserialize_ignored_any<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, TreeError> {
        visitor.visit_unit()
    }

    forward_to_deserialize_any! {
        i8 i16 i32 i64 i128 u8 u16 u32 u64 u128 f32 f64 char bytes byte_buf
        unit unit_struct tuple tuple_struct struct
    }
}

impl Tree<'_> {
    fn invalid_type(&self, expected: &dyn de::Expected) -> TreeError {
        de::Error::invalid_type(self.unexpected(), expected)
    }

    fn unexpected(&self) -> Unexpected<'_> {
        match self.node {
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
}

struct Items<'a> {
    items: std::slice::Iter<'a, Node>,
    index: usize,
    path: &'a Path<'a>,
}

impl<'de> de::SeqAccess<'de> for Items<'_> {
    type Error = TreeError;

    fn next_element_seed<T: DeserializeSeed<'de>>(
        &mut self,
        seed: T,
    ) -> Result<Option<T::Value>, TreeError> {
        let Some(node) = self.items.next() else {
            return Ok(None);
        };
        let path = Path::Index(self.path, self.index);
        self.index += 1;
        seed.deserialize(Tree { node, path: &path })
            .map(Some)
            .map_err(|e| e.at(&path))
    }

    fn size_hint(&self) -> Option<usize> {
        Some(self.items.len())
    }
}

struct Entries<'a> {
    entries: std::slice::Iter<'a, (String, Node)>,
    value: Option<&'a (String, Node)>,
    path: &'a Path<'a>,
}

impl<'de> de::MapAccess<'de> for Entries<'_> {
    type Error = TreeError;

    fn next_key_seed<K: DeserializeSeed<'de>>(
        &mut self,
        seed: K,
    ) -> Result<Option<K::Value>, TreeError> {
        let Some(entry) = self.entries.next() else {
            return Ok(None);
        };
        self.value = Some(entry);
        let key: de::value::StrDeserializer<TreeError> = entry.0.as_str().into_deserializer();
        seed.deserialize(key)
            .map(Some)
            .map_err(|e| e.at(&Path::Key(self.path, &entry.0)))
    }

    fn next_value_seed<V: DeserializeSeed<'de>>(&mut self, seed: V) -> Result<V::Value, TreeError> {
        let (key, node) = self
            .value
            .take()
            .ok_or_else(|| de::Error::custom("a map value was asked for before its key"))?;
        let path = Path::Key(self.path, key);
        seed.deserialize(Tree { node, path: &path })
            .map_err(|e| e.at(&path))
    }

    fn size_hint(&self) -> Option<usize> {
        Some(self.entries.len())
    }
}

/// An externally tagged enum written as `{ "variant": value }`.
struct Variant<'a> {
    name: &'a str,
    value: &'a Node,
    path: &'a Path<'a>,
}

impl<'de, 'a> de::EnumAccess<'de> for Variant<'a> {
    type Error = TreeError;
    type Variant = Variant<'a>;

    fn variant_seed<V: DeserializeSeed<'de>>(
        self,
        seed: V,
    ) -> Result<(V::Value, Variant<'a>), TreeError> {
        let name: de::value::StrDeserializer<TreeError> = self.name.into_deserializer();
        Ok((seed.deserialize(name)?, self))
    }
}

impl<'de> de::VariantAccess<'de> for Variant<'_> {
    type Error = TreeError;

    fn unit_variant(self) -> Result<(), TreeError> {
        let path = Path::Key(self.path, self.name);
        match self.value {
            Node::Null => Ok(()),
            node => Err(<TreeError as de::Error>::invalid_type(
                Tree { node, path: &path }.unexpected(),
                &"null",
            )
            .at(&path)),
        }
    }

    fn newtype_variant_seed<T: DeserializeSeed<'de>>(self, seed: T) -> Result<T::Value, TreeError> {
        let path = Path::Key(self.path, self.name);
        seed.deserialize(Tree {
            node: self.value,
            path: &path,
        })
        .map_err(|e| e.at(&path))
    }

    fn tuple_variant<V: Visitor<'de>>(
        self,
        _len: usize,
        visitor: V,
    ) -> Result<V::Value, TreeError> {
        let path = Path::Key(self.path, self.name);
        de::Deserializer::deserialize_seq(
            Tree {
                node: self.value,
                path: &path,
            },
            visitor,
        )
        .map_err(|e| e.at(&path))
    }

    fn struct_variant<V: Visitor<'de>>(
        self,
        _fields: &'static [&'static str],
        visitor: V,
    ) -> Result<V::Value, TreeError> {
        let path = Path::Key(self.path, self.name);
        de::Deserializer::deserialize_any(
            Tree {
                node: self.value,
                path: &path,
            },
            visitor,
        )
        .map_err(|e| e.at(&path))
    }
}

#[cfg(test)]
#[path = "tree_tests.rs"]
mod tests;
