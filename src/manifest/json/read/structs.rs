//! Reading a struct (or an enum's struct variant): a static table of its fields, one slot
//! per field filled through a shared, non-generic [`fields`], and the macros that write each
//! type's few lines of glue around them.

use super::{elements, fail, invalid_type, missing, unknown, Node, Path, Read, ReadError, Result};

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

/// A struct field's value while the struct is read: `None` until its entry is met. What
/// [`fields`] fills through, one implementation per field type (not per struct).
pub(crate) trait Slot {
    /// Reads the field's entry.
    ///
    /// # Errors
    /// The first misfit in `node`.
    fn fill(&mut self, node: &Node, at: &Path) -> Result<()>;

    /// Fills a field left out that has no `#[serde(default)]` as serde does (`None` for an
    /// `Option`); false if it cannot be left out.
    fn absent(&mut self) -> bool;

    /// Drops what the slot holds: how [`fields`] releases the fields read before a misfit.
    fn clear(&mut self);
}

// A slot is filled at most once (`fields` refuses a repeated name before filling), so the
// value replaced is always `None`: forgetting it instead of dropping it keeps a drop routine
// per field type out of the wasm (~80 of them) and can at worst leak, never misbehave.
impl<T: Read> Slot for Option<T> {
    fn fill(&mut self, node: &Node, at: &Path) -> Result<()> {
        std::mem::forget(self.replace(T::read(node, at)?));
        Ok(())
    }
    fn absent(&mut self) -> bool {
        std::mem::forget(std::mem::replace(self, T::absent()));
        self.is_some()
    }
    fn clear(&mut self) {
        *self = None;
    }
}

/// Fills `slots[i]` for each field present in `node`, in text order: an object's entries
/// by name (refusing unknown names if the shape says so, and repeated ones), or an array's
/// items by position (as serde reads a struct written as an array). `tag` is an internally
/// tagged enum's tag, already read: its entry, or the first item, is skipped. Then fills the
/// fields left out that have no default (`None` for an `Option`) or reports the first that
/// is missing, so every slot is filled on success except those of fields with a default.
///
/// # Errors
/// The first misfit, as serde finds it.
///
/// On an error every slot is cleared (its value dropped): the callers hold their slots in
/// `ManuallyDrop`, so that what a struct read so far is released here, once, rather than by
/// drop code inlined into every struct's reader.
#[inline(never)]
pub(crate) fn fields(
    node: &Node,
    at: &Path,
    shape: &Shape,
    tag: Option<&str>,
    slots: &mut [&mut dyn Slot],
) -> Result<()> {
    let outcome = match_fields(node, at, shape, tag, slots);
    if outcome.is_err() {
        for slot in slots.iter_mut() {
            slot.clear();
        }
    }
    outcome
}

/// [`fields`] without the clearing on error.
fn match_fields(
    node: &Node,
    at: &Path,
    shape: &Shape,
    tag: Option<&str>,
    slots: &mut [&mut dyn Slot],
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
                        slots[i].fill(value, &path)?;
                    }
                    None if shape.deny_unknown => {
                        return Err(fail(&path, unknown("field", key, shape.fields)));
                    }
                    None => {}
                }
            }
            for (i, slot) in slots.iter_mut().enumerate() {
                let left_out = (seen | shape.defaulted) & (1 << i) == 0;
                if left_out && !slot.absent() {
                    return Err(missing(at, shape.fields[i]));
                }
            }
            Ok(())
        }
        Node::Array(all) => {
            let skip = usize::from(tag.is_some());
            let items = all.get(skip..).unwrap_or_default();
            for (i, slot) in slots.iter_mut().enumerate() {
                match items.get(i) {
                    Some(item) => slot.fill(item, &Path::Index(at, i + skip))?,
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

/// What [`read_fields!`] says if a field without a default was not filled, which
/// [`fields`] rules out: an error rather than a panic all the same.
#[inline(never)]
pub(crate) fn unfilled(at: &Path) -> Box<ReadError> {
    fail(at, "a field was not read".into())
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

/// A field's slot after [`fields`]: its default filled in if it has one (the others are
/// filled by then).
macro_rules! or_default {
    ($slot:expr) => {
        $slot
    };
    ($slot:expr, $default:expr) => {
        Some($slot.unwrap_or_else(|| $default))
    };
}

/// Reads a struct (or a struct variant) from `$node` at `$at`: `$ctor { field: Type =
/// (default), … }` lists the fields in declaration order with their JSON names and, for
/// those with `#[serde(default)]`, the default's expression. The shared [`fields`] does the
/// work; what is left per type is the slots and the constructor.
macro_rules! read_fields {
    ($node:expr, $at:expr, $tag:expr, $expecting:expr, $deny:expr,
     $ctor:path { $($field:ident : $ty:ty $(= ($default:expr))?),* $(,)? }) => {{
        #[allow(non_camel_case_types, clippy::upper_case_acronyms, dead_code)]
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
        // Not dropped here: `fields` clears them if it fails (see there), and otherwise each
        // is moved into the value.
        $(let mut $field: ::std::mem::ManuallyDrop<Option<$ty>> =
            ::std::mem::ManuallyDrop::new(None);)*
        $crate::manifest::json::read::fields(node, at, &SHAPE, $tag, &mut [
            $(&mut *$field as &mut dyn $crate::manifest::json::read::Slot),*
        ])?;
        // `fields` filled every slot but those of fields with a default, filled here, so the
        // second arm is not taken; were it taken, what it holds would be leaked, not dropped
        // by code repeated in every struct's reader.
        match ($(or_default!((::std::mem::ManuallyDrop::into_inner($field)) $(, $default)?),)*) {
            ($(Some($field),)*) => { $ctor { $($field),* } }
            unread => {
                #[allow(forgetting_copy_types)] // some structs' fields are all `Copy`
                ::std::mem::forget(unread);
                return Err($crate::manifest::json::read::unfilled(at));
            }
        }
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
