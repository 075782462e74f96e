//! Results written as JSON text for the WebAssembly boundary: a small serde `Serializer`
//! into a `String`, in place of serde_json's.
//!
//! The types' derived `Serialize` impls stay what they are (field names, `rename_all`,
//! `tag`, `skip_serializing_if`, `into`); only the backend changes. serde_json's serializer
//! writes through `io::Write` and threads its `Result` through every field, number and
//! string, and its compound states serve raw values and arbitrary precision too: that glue
//! is instantiated per field type and inlined into every result's writer (with the derives,
//! 17 KB of the wasm, 10 KB with this writer). Writing to a `String` cannot fail, so here the
//! only errors are the shapes JSON has no text for (a map key that is not a string), and each
//! separator and key is written by one shared, non-generic function.
//!
//! The text is what `serde_json::to_string` writes for the same value, byte for byte
//! (its escapes, its shortest floats through the same printer, `null` for a non-finite
//! float): the tests compare the two over every result type.

use serde::ser::{self, Serialize};
use std::fmt;

/// A value JSON has no text for: a map key that is not a string.
#[derive(Debug)]
pub(crate) struct Unwritable;

impl fmt::Display for Unwritable {
    fn fmt(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("a map key that is not a string")
    }
}

impl std::error::Error for Unwritable {}

impl ser::Error for Unwritable {
    fn custom<T: fmt::Display>(_: T) -> Self {
        Unwritable
    }
}

pub(crate) type Result<T = ()> = std::result::Result<T, Unwritable>;

/// `value` as compact JSON text, as `serde_json::to_string` writes it.
///
/// # Errors
/// [`Unwritable`] for a map whose keys do not serialize as strings.
pub(crate) fn to_string<T: Serialize + ?Sized>(value: &T) -> Result<String> {
    let mut w = Writer(String::new());
    value.serialize(&mut w)?;
    Ok(w.0)
}

/// The text written so far.
pub(crate) struct Writer(String);

impl Writer {
    /// `s` as a JSON string: serde_json's escapes (`\"`, `\\`, the short forms of
    /// backspace, form feed, newline, carriage return and tab, `\u00XX` for the other
    /// control characters); everything else as it is.
    #[inline(never)]
    fn string(&mut self, s: &str) {
        let out = &mut self.0;
        out.push('"');
        let mut start = 0;
        for (i, b) in s.bytes().enumerate() {
            let escape = match b {
                b'"' => "\\\"",
                b'\\' => "\\\\",
                0x08 => "\\b",
                0x0c => "\\f",
                b'\n' => "\\n",
                b'\r' => "\\r",
                b'\t' => "\\t",
                0..=0x1f => "",
                _ => continue,
            };
            out.push_str(&s[start..i]);
            if escape.is_empty() {
                const HEX: &[u8; 16] = b"0123456789abcdef";
                out.push_str("\\u00");
                out.push(char::from(HEX[usize::from(b >> 4)]));
                out.push(char::from(HEX[usize::from(b & 0xf)]));
            } else {
                out.push_str(escape);
            }
            start = i + 1;
        }
        out.push_str(&s[start..]);
        out.push('"');
    }

    /// Opens an array or object: `[` or `{`.
    #[inline(never)]
    fn open(&mut self, bracket: char) -> Compound<'_> {
        self.0.push(bracket);
        Compound {
            w: self,
            first: true,
        }
    }

    #[inline(never)]
    fn unsigned(&mut self, v: u64) {
        self.0.push_str(itoa(v, &mut [0; 20]));
    }

    #[inline(never)]
    fn signed(&mut self, v: i64) {
        if v < 0 {
            self.0.push('-');
        }
        self.unsigned(v.unsigned_abs());
    }

    /// serde_json's shortest form of `v` (`2.0`, `1.5e-7`, `1e+21`), in its own width (an
    /// `f32` is not widened first), or `null` where it is not `finite` (NaN, infinities).
    fn float<F: zmij::Float>(&mut self, v: F, finite: bool) {
        if finite {
            self.0.push_str(zmij::Buffer::new().format_finite(v));
        } else {
            self.0.push_str("null");
        }
    }

    /// `{"variant":` before a newtype, tuple or struct variant's value.
    #[inline(never)]
    fn variant_open(&mut self, variant: &str) {
        self.0.push('{');
        self.string(variant);
        self.0.push(':');
    }
}

/// `v` in decimal, written from the end of `buf`.
fn itoa(mut v: u64, buf: &mut [u8; 20]) -> &str {
    let mut i = buf.len();
    loop {
        i -= 1;
        buf[i] = b'0' + (v % 10) as u8;
        v /= 10;
        if v == 0 {
            break;
        }
    }
    // Only ASCII digits were written.
    std::str::from_utf8(&buf[i..]).unwrap_or_default()
}

/// `fn name(self, v: Type) -> Result` writing `v` through `wider` (lossless `into`).
macro_rules! widen {
    ($($name:ident($ty:ty) => $wider:ident),*) => {
        $(fn $name(self, v: $ty) -> Result {
            self.$wider(v.into())
        })*
    };
}

/// An array or object being written; `first` until its first item.
pub(crate) struct Compound<'a> {
    w: &'a mut Writer,
    first: bool,
}

impl Compound<'_> {
    /// The `,` before every item but the first.
    #[inline(never)]
    fn comma(&mut self) -> &mut Writer {
        if !std::mem::take(&mut self.first) {
            self.w.0.push(',');
        }
        self.w
    }

    /// `,"key":` (without the comma for the first entry).
    #[inline(never)]
    fn key(&mut self, key: &str) -> &mut Writer {
        let w = self.comma();
        w.string(key);
        w.0.push(':');
        w
    }

    /// Writes `close`: `]` or `}`, followed by another `}` after a variant's value.
    #[inline(never)]
    fn close(self, close: &str) -> Result {
        self.w.0.push_str(close);
        Ok(())
    }
}

impl<'a> ser::Serializer for &'a mut Writer {
    type Ok = ();
    type Error = Unwritable;
    type SerializeSeq = Compound<'a>;
    type SerializeTuple = Compound<'a>;
    type SerializeTupleStruct = Compound<'a>;
    type SerializeTupleVariant = Compound<'a>;
    type SerializeMap = Compound<'a>;
    type SerializeStruct = Compound<'a>;
    type SerializeStructVariant = Compound<'a>;

    fn serialize_bool(self, v: bool) -> Result {
        self.0.push_str(if v { "true" } else { "false" });
        Ok(())
    }
    widen!(
        serialize_i8(i8) => serialize_i64,
        serialize_i16(i16) => serialize_i64,
        serialize_i32(i32) => serialize_i64,
        serialize_u8(u8) => serialize_u64,
        serialize_u16(u16) => serialize_u64,
        serialize_u32(u32) => serialize_u64
    );
    fn serialize_i64(self, v: i64) -> Result {
        self.signed(v);
        Ok(())
    }
    fn serialize_u64(self, v: u64) -> Result {
        self.unsigned(v);
        Ok(())
    }
    fn serialize_f32(self, v: f32) -> Result {
        self.float(v, v.is_finite());
        Ok(())
    }
    fn serialize_f64(self, v: f64) -> Result {
        self.float(v, v.is_finite());
        Ok(())
    }
    fn serialize_char(self, v: char) -> Result {
        self.string(v.encode_utf8(&mut [0; 4]));
        Ok(())
    }
    fn serialize_str(self, v: &str) -> Result {
        self.string(v);
        Ok(())
    }
    fn serialize_bytes(self, v: &[u8]) -> Result {
        use ser::SerializeSeq;
        let mut seq = self.open('[');
        for b in v {
            seq.serialize_element(b)?;
        }
        seq.end()
    }
    fn serialize_none(self) -> Result {
        self.serialize_unit()
    }
    fn serialize_some<T: Serialize + ?Sized>(self, value: &T) -> Result {
        value.serialize(self)
    }
    fn serialize_unit(self) -> Result {
        self.0.push_str("null");
        Ok(())
    }
    fn serialize_unit_struct(self, _: &'static str) -> Result {
        self.serialize_unit()
    }
    fn serialize_unit_variant(self, _: &'static str, _: u32, variant: &'static str) -> Result {
        self.string(variant);
        Ok(())
    }
    fn serialize_newtype_struct<T: Serialize + ?Sized>(self, _: &'static str, value: &T) -> Result {
        value.serialize(self)
    }
    fn serialize_newtype_variant<T: Serialize + ?Sized>(
        self,
        _: &'static str,
        _: u32,
        variant: &'static str,
        value: &T,
    ) -> Result {
        self.variant_open(variant);
        value.serialize(&mut *self)?;
        self.0.push('}');
        Ok(())
    }
    fn serialize_seq(self, _: Option<usize>) -> Result<Compound<'a>> {
        Ok(self.open('['))
    }
    fn serialize_tuple(self, _: usize) -> Result<Compound<'a>> {
        Ok(self.open('['))
    }
    fn serialize_tuple_struct(self, _: &'static str, _: usize) -> Result<Compound<'a>> {
        Ok(self.open('['))
    }
    fn serialize_tuple_variant(
        self,
        _: &'static str,
        _: u32,
        variant: &'static str,
        _: usize,
    ) -> Result<Compound<'a>> {
        self.variant_open(variant);
        Ok(self.open('['))
    }
    fn serialize_map(self, _: Option<usize>) -> Result<Compound<'a>> {
        Ok(self.open('{'))
    }
    fn serialize_struct(self, _: &'static str, _: usize) -> Result<Compound<'a>> {
        Ok(self.open('{'))
    }
    fn serialize_struct_variant(
        self,
        _: &'static str,
        _: u32,
        variant: &'static str,
        _: usize,
    ) -> Result<Compound<'a>> {
        self.variant_open(variant);
        Ok(self.open('{'))
    }
}

/// serde's array-like compounds: each item after a comma, then `$close`.
macro_rules! array_like {
    ($($trait:ident::$method:ident => $close:literal),*) => {$(
        impl ser::$trait for Compound<'_> {
            type Ok = ();
            type Error = Unwritable;
            fn $method<T: Serialize + ?Sized>(&mut self, value: &T) -> Result {
                value.serialize(self.comma())
            }
            fn end(self) -> Result {
                self.close($close)
            }
        }
    )*};
}

array_like!(
    SerializeSeq::serialize_element => "]",
    SerializeTuple::serialize_element => "]",
    SerializeTupleStruct::serialize_field => "]",
    SerializeTupleVariant::serialize_field => "]}"
);

impl ser::SerializeMap for Compound<'_> {
    type Ok = ();
    type Error = Unwritable;
    fn serialize_key<T: Serialize + ?Sized>(&mut self, key: &T) -> Result {
        let w = self.comma();
        key.serialize(KeyWriter(w))?;
        w.0.push(':');
        Ok(())
    }
    fn serialize_value<T: Serialize + ?Sized>(&mut self, value: &T) -> Result {
        value.serialize(&mut *self.w)
    }
    fn end(self) -> Result {
        self.close("}")
    }
}

/// serde's struct-like compounds: each field as `"key":value` after a comma, then `$close`.
macro_rules! struct_like {
    ($($trait:ident => $close:literal),*) => {$(
        impl ser::$trait for Compound<'_> {
            type Ok = ();
            type Error = Unwritable;
            fn serialize_field<T: Serialize + ?Sized>(
                &mut self,
                key: &'static str,
                value: &T,
            ) -> Result {
                value.serialize(self.key(key))
            }
            fn end(self) -> Result {
                self.close($close)
            }
        }
    )*};
}

struct_like!(SerializeStruct => "}", SerializeStructVariant => "}}");

/// `fn name(self, _: Type) -> Result` refusing the value, for each `name(Type)`.
macro_rules! refuse {
    ($($name:ident($ty:ty)),*) => {
        $(fn $name(self, _: $ty) -> Result {
            Err(Unwritable)
        })*
    };
}

/// A map key: a string (or what serializes as one, such as a currency), written quoted.
struct KeyWriter<'a>(&'a mut Writer);

impl ser::Serializer for KeyWriter<'_> {
    type Ok = ();
    type Error = Unwritable;
    type SerializeSeq = ser::Impossible<(), Unwritable>;
    type SerializeTuple = ser::Impossible<(), Unwritable>;
    type SerializeTupleStruct = ser::Impossible<(), Unwritable>;
    type SerializeTupleVariant = ser::Impossible<(), Unwritable>;
    type SerializeMap = ser::Impossible<(), Unwritable>;
    type SerializeStruct = ser::Impossible<(), Unwritable>;
    type SerializeStructVariant = ser::Impossible<(), Unwritable>;

    fn serialize_str(self, v: &str) -> Result {
        self.0.string(v);
        Ok(())
    }
    fn serialize_unit_variant(self, _: &'static str, _: u32, variant: &'static str) -> Result {
        self.0.string(variant);
        Ok(())
    }
    fn serialize_newtype_struct<T: Serialize + ?Sized>(self, _: &'static str, value: &T) -> Result {
        value.serialize(self)
    }
    refuse!(
        serialize_bool(bool),
        serialize_i8(i8),
        serialize_i16(i16),
        serialize_i32(i32),
        serialize_i64(i64),
        serialize_u8(u8),
        serialize_u16(u16),
        serialize_u32(u32),
        serialize_u64(u64),
        serialize_f32(f32),
        serialize_f64(f64),
        serialize_char(char),
        serialize_bytes(&[u8]),
        serialize_unit_struct(&'static str)
    );
    fn serialize_none(self) -> Result {
        Err(Unwritable)
    }
    fn serialize_some<T: Serialize + ?Sized>(self, _: &T) -> Result {
        Err(Unwritable)
    }
    fn serialize_unit(self) -> Result {
        Err(Unwritable)
    }
    fn serialize_newtype_variant<T: Serialize + ?Sized>(
        self,
        _: &'static str,
        _: u32,
        _: &'static str,
        _: &T,
    ) -> Result {
        Err(Unwritable)
    }
    fn serialize_seq(self, _: Option<usize>) -> Result<Self::SerializeSeq> {
        Err(Unwritable)
    }
    fn serialize_tuple(self, _: usize) -> Result<Self::SerializeTuple> {
        Err(Unwritable)
    }
    fn serialize_tuple_struct(
        self,
        _: &'static str,
        _: usize,
    ) -> Result<Self::SerializeTupleStruct> {
        Err(Unwritable)
    }
    fn serialize_tuple_variant(
        self,
        _: &'static str,
        _: u32,
        _: &'static str,
        _: usize,
    ) -> Result<Self::SerializeTupleVariant> {
        Err(Unwritable)
    }
    fn serialize_map(self, _: Option<usize>) -> Result<Self::SerializeMap> {
        Err(Unwritable)
    }
    fn serialize_struct(self, _: &'static str, _: usize) -> Result<Self::SerializeStruct> {
        Err(Unwritable)
    }
    fn serialize_struct_variant(
        self,
        _: &'static str,
        _: u32,
        _: &'static str,
        _: usize,
    ) -> Result<Self::SerializeStructVariant> {
        Err(Unwritable)
    }
}

#[cfg(all(test, not(target_arch = "wasm32")))]
mod tests;
