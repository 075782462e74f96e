//! Names and values quoted in messages (`unknown module "crm-forecast"`), written as `{:?}`
//! writes a `str` for every ASCII character: `\"`, `\\`, `\n`, `\r`, `\t`, `\0`, and
//! `\u{1b}` for the other control characters. Every other character is written as it is,
//! which differs from `{:?}` only for non-ASCII characters it escapes (unprintable ones, and
//! combining marks). `Debug` for `str` would bring core's Unicode printability and grapheme
//! tables into the wasm, which quotes nothing else.
//!
//! Lists in messages (`one of USD, EUR`) are written by [`joined`], the items straight into
//! the message: `[T]::join` would build a `String` first, through a generic copy routine (1.2 KB
//! of the wasm for its two instances).

use std::fmt::{self, Write};

/// `s`, quoted when displayed.
pub(crate) struct Quoted<'a>(&'a str);

/// `s`, in double quotes and escaped when displayed.
pub(crate) fn quoted(s: &str) -> Quoted<'_> {
    Quoted(s)
}

impl fmt::Display for Quoted<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_char('"')?;
        let mut plain = 0;
        for (i, c) in self.0.char_indices() {
            let escape = match c {
                '"' => "\\\"",
                '\\' => "\\\\",
                '\n' => "\\n",
                '\r' => "\\r",
                '\t' => "\\t",
                '\0' => "\\0",
                c if c.is_ascii_control() => "",
                _ => continue,
            };
            f.write_str(&self.0[plain..i])?;
            plain = i + c.len_utf8();
            if escape.is_empty() {
                write!(f, "\\u{{{:x}}}", u32::from(c))?;
            } else {
                f.write_str(escape)?;
            }
        }
        f.write_str(&self.0[plain..])?;
        f.write_char('"')
    }
}

/// `items`, `separator` between each two, when displayed.
pub(crate) struct Joined<'a, T>(&'a [T], &'a str);

/// `items` with `separator` between them when displayed: `a, b, c` for `joined(&[a, b, c], ", ")`.
pub(crate) fn joined<'a, T: fmt::Display>(items: &'a [T], separator: &'a str) -> Joined<'a, T> {
    Joined(items, separator)
}

impl<T: fmt::Display> fmt::Display for Joined<'_, T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for (i, item) in self.0.iter().enumerate() {
            if i > 0 {
                f.write_str(self.1)?;
            }
            item.fmt(f)?;
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::{joined, quoted};

    #[test]
    fn lists_are_joined_as_join_joins_them() {
        let empty: [&str; 0] = [];
        for items in [&empty[..], &["a"], &["a", "b"], &["a", "", "c"]] {
            assert_eq!(joined(items, ", ").to_string(), items.join(", "));
        }
        let owned = vec!["x".to_string(), "y".to_string()];
        assert_eq!(joined(&owned, " -> ").to_string(), "x -> y");
    }

    #[test]
    fn strings_are_quoted_as_debug_quotes_them() {
        let samples = [
            "",
            "x",
            "a \"b\" c",
            "back\\slash",
            "line\nbreak\r\ttab",
            "nul\0",
            "esc\u{1b}",
            "del\u{7f}",
            "bell\u{7}",
            "unit\u{1f}",
            "'single'",
            "café",
            "日本",
            "emoji 🎉",
            "{}[]:,",
            "~`!@#$%^&*()",
            "\"\"",
            "end\\",
        ];
        for s in samples {
            assert_eq!(quoted(s).to_string(), format!("{s:?}"));
        }
        // Every ASCII character, alone and between others.
        for b in 0u8..=0x7f {
            let s = char::from(b).to_string();
            assert_eq!(quoted(&s).to_string(), format!("{s:?}"), "{b:#x}");
            let s = format!("é{s}x");
            assert_eq!(quoted(&s).to_string(), format!("{s:?}"), "{b:#x}");
        }
    }

    #[test]
    fn only_unprintable_non_ascii_is_written_unlike_debug() {
        // A combining mark and non-ASCII control and format characters: Debug escapes them,
        // quoted writes them as they are.
        for s in ["e\u{301}", "\u{85}", "\u{200b}"] {
            assert_eq!(quoted(s).to_string(), format!("\"{s}\""));
            assert_ne!(quoted(s).to_string(), format!("{s:?}"));
        }
    }
}
