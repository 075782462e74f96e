//! JSON text into a [`Node`]: the WebAssembly build's parser, small and with serde_json's
//! grammar, limits and messages, so the browser refuses what the server refuses and says so
//! in the same words, at the same line and column.
//!
//! The page hands each manifest over as one string and the module parses it in its own
//! memory: one call across the JS boundary per document, where walking a `JSON.parse`d
//! value took several per value (a first session's thousands of them, at their slowest
//! before the JIT has seen them).
//!
//! One thing is left to the caller: turning number text with a fraction or an exponent into
//! the nearest double. Correct rounding needs big tables (the standard library's parser
//! would weigh more than this whole file), and the browser has it built in ([`parse`]'s
//! `float`).

use super::node::Node;

/// Malformed JSON: what is wrong, at a 1-based line and column (bytes), as serde_json says.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct SyntaxError {
    pub(crate) line: usize,
    pub(crate) column: usize,
    pub(crate) message: &'static str,
}

/// How many arrays and objects may nest: serde_json's limit (its recursion limit, 128,
/// counts the outermost value too).
pub(crate) const MAX_DEPTH: usize = 127;

/// Parses `text` (UTF-8) into a node. `float` gives the value of a number with a fraction,
/// an exponent or too many digits for a 64-bit integer, from its text (a valid JSON number).
///
/// # Errors
/// [`SyntaxError`] for text that is not one well-formed JSON value, or nests deeper than
/// [`MAX_DEPTH`], or has a number beyond a double's range.
pub(crate) fn parse(text: &[u8], float: &dyn Fn(&str) -> f64) -> Result<Node, SyntaxError> {
    let mut parser = Parser {
        bytes: text,
        utf8: std::str::from_utf8(text).ok(),
        at: 0,
        depth: 0,
        float,
    };
    let node = parser.value().map_err(|e| parser.locate(e))?;
    parser.blank();
    if parser.at < parser.bytes.len() {
        parser.at += 1;
        return Err(parser.locate("trailing characters"));
    }
    Ok(node)
}

type Step<T> = Result<T, &'static str>;

struct Parser<'a> {
    bytes: &'a [u8],
    /// The same text, when all of it is UTF-8 (always, for text from a JS string): checked in
    /// one pass, so that strings are sliced from it rather than each checked on its own.
    utf8: Option<&'a str>,
    /// The next byte to read.
    at: usize,
    depth: usize,
    float: &'a dyn Fn(&str) -> f64,
}

impl<'a> Parser<'a> {
    fn peek(&self) -> Option<u8> {
        self.bytes.get(self.at).copied()
    }

    /// The next byte, consumed.
    fn next(&mut self) -> Option<u8> {
        let b = self.peek()?;
        self.at += 1;
        Some(b)
    }

    /// Skips JSON's whitespace.
    fn blank(&mut self) {
        while let Some(b' ' | b'\t' | b'\n' | b'\r') = self.peek() {
            self.at += 1;
        }
    }

    /// `message` at the line and column of the last byte read, as serde_json counts them.
    fn locate(&self, message: &'static str) -> SyntaxError {
        let read = &self.bytes[..self.at.min(self.bytes.len())];
        let line_start = read.iter().rposition(|&b| b == b'\n').map_or(0, |i| i + 1);
        SyntaxError {
            line: 1 + read.iter().filter(|&&b| b == b'\n').count(),
            column: read.len() - line_start,
            message,
        }
    }

    fn value(&mut self) -> Step<Node> {
        self.blank();
        let Some(b) = self.peek() else {
            return Err("EOF while parsing a value");
        };
        match b {
            b'n' => self.word(b"null", Node::Null),
            b't' => self.word(b"true", Node::Bool(true)),
            b'f' => self.word(b"false", Node::Bool(false)),
            b'"' => {
                self.at += 1;
                self.string().map(Node::Str)
            }
            b'-' | b'0'..=b'9' => self.number(),
            b'[' | b'{' => {
                if self.depth == MAX_DEPTH {
                    self.at += 1;
                    return Err("recursion limit exceeded");
                }
                self.depth += 1;
                self.at += 1;
                let node = if b == b'[' {
                    self.array()
                } else {
                    self.object()
                };
                self.depth -= 1;
                node
            }
            _ => {
                self.at += 1;
                Err("expected value")
            }
        }
    }

    /// `null`, `true` or `false`, spelled out.
    fn word(&mut self, word: &[u8], node: Node) -> Step<Node> {
        for &want in word {
            match self.next() {
                Some(b) if b == want => {}
                Some(_) => return Err("expected ident"),
                None => return Err("EOF while parsing a value"),
            }
        }
        Ok(node)
    }

    fn array(&mut self) -> Step<Node> {
        let mut items = Vec::new();
        self.blank();
        match self.peek() {
            Some(b']') => {
                self.at += 1;
                return Ok(Node::Array(items));
            }
            None => return Err("EOF while parsing a list"),
            Some(_) => {}
        }
        loop {
            items.push(self.value()?);
            if self.after_item(b']', "expected `,` or `]`", "EOF while parsing a list")? {
                return Ok(Node::Array(items));
            }
        }
    }

    /// After an item of an array or an object: `close` ends it (true), a comma starts the
    /// next item (false), and a comma right before `close` is serde_json's "trailing comma".
    fn after_item(&mut self, close: u8, expected: &'static str, eof: &'static str) -> Step<bool> {
        self.blank();
        match self.next() {
            Some(b) if b == close => Ok(true),
            Some(b',') => {
                self.blank();
                if self.peek() == Some(close) {
                    self.at += 1;
                    return Err("trailing comma");
                }
                Ok(false)
            }
            Some(_) => Err(expected),
            None => Err(eof),
        }
    }

    fn object(&mut self) -> Step<Node> {
        let mut entries = Vec::new();
        self.blank();
        if self.peek() == Some(b'}') {
            self.at += 1;
            return Ok(Node::Object(entries));
        }
        let mut first = true;
        loop {
            match self.next() {
                Some(b'"') => {}
                Some(_) => return Err("key must be a string"),
                // After a comma serde_json is reading a value (the key) when the text ends.
                None if first => return Err("EOF while parsing an object"),
                None => return Err("EOF while parsing a value"),
            }
            first = false;
            let key = self.string()?;
            self.blank();
            match self.next() {
                Some(b':') => {}
                Some(_) => return Err("expected `:`"),
                None => return Err("EOF while parsing an object"),
            }
            entries.push((key, self.value()?));
            if self.after_item(b'}', "expected `,` or `}`", "EOF while parsing an object")? {
                return Ok(Node::Object(entries));
            }
        }
    }

    /// A string's text, after its opening quote; consumes the closing one.
    fn string(&mut self) -> Step<String> {
        let mut out = String::new();
        loop {
            // The run up to the next quote, backslash or control character is copied whole.
            let start = self.at;
            while let Some(b) = self.peek() {
                if b == b'"' || b == b'\\' || b < 0x20 {
                    break;
                }
                self.at += 1;
            }
            let end = self.at;
            let closing = match self.next() {
                Some(b'"') => true,
                Some(b'\\') => false,
                Some(_) => {
                    return Err("control character (\\u0000-\\u001F) found while parsing a string")
                }
                None => return Err("EOF while parsing a string"),
            };
            out.push_str(self.run(start, end)?);
            if closing {
                return Ok(out);
            }
            out.push(self.escape()?);
        }
    }

    /// The text of `start..end`, a run between ASCII bytes (so, in UTF-8 text, UTF-8 itself).
    fn run(&mut self, start: usize, end: usize) -> Step<&'a str> {
        if let Some(run) = self.utf8.and_then(|text| text.get(start..end)) {
            return Ok(run);
        }
        // Bytes that are not UTF-8 (never from a JS string): refused where serde_json refuses
        // them, just past the first byte that is not.
        std::str::from_utf8(&self.bytes[start..end]).map_err(|e| {
            self.at = start + e.valid_up_to() + 1;
            "invalid unicode code point"
        })
    }

    /// The character a backslash escape stands for, after the backslash.
    fn escape(&mut self) -> Step<char> {
        Ok(match self.next() {
            Some(b'"') => '"',
            Some(b'\\') => '\\',
            Some(b'/') => '/',
            Some(b'b') => '\u{8}',
            Some(b'f') => '\u{c}',
            Some(b'n') => '\n',
            Some(b'r') => '\r',
            Some(b't') => '\t',
            Some(b'u') => return self.unicode(),
            Some(_) => return Err("invalid escape"),
            None => return Err("EOF while parsing a string"),
        })
    }

    /// A `\u` escape's character, after the `u`: a pair of them for one beyond the BMP.
    fn unicode(&mut self) -> Step<char> {
        let first = self.hex4()?;
        let code = match first {
            0xDC00..=0xDFFF => return Err("lone leading surrogate in hex escape"),
            0xD800..=0xDBFF => {
                if self.next() != Some(b'\\') || self.next() != Some(b'u') {
                    return Err("unexpected end of hex escape");
                }
                let second = self.hex4()?;
                if !(0xDC00..=0xDFFF).contains(&second) {
                    return Err("lone leading surrogate in hex escape");
                }
                0x10000 + ((u32::from(first) - 0xD800) << 10) + (u32::from(second) - 0xDC00)
            }
            _ => u32::from(first),
        };
        char::from_u32(code).ok_or("invalid unicode code point")
    }

    /// Four hex digits: all four read first, then checked, as serde_json does (so where it
    /// says a bad one is).
    fn hex4(&mut self) -> Step<u16> {
        let Some(digits) = self.bytes.get(self.at..self.at + 4) else {
            self.at = self.bytes.len();
            return Err("EOF while parsing a string");
        };
        self.at += 4;
        digits.iter().try_fold(0u16, |n, &b| {
            let digit = match b {
                b'0'..=b'9' => b - b'0',
                b'a'..=b'f' => b - b'a' + 10,
                b'A'..=b'F' => b - b'A' + 10,
                _ => return Err("invalid escape"),
            };
            Ok(n * 16 + u16::from(digit))
        })
    }

    /// A number: an integer that fits 64 bits exactly, as serde_json keeps it; any other
    /// the nearest double, by `float`.
    fn number(&mut self) -> Step<Node> {
        let start = self.at;
        let negative = self.peek() == Some(b'-');
        if negative {
            self.at += 1;
        }
        let mut int: Option<u64> = Some(0);
        match self.next() {
            Some(b'0') => {
                if let Some(b'0'..=b'9') = self.peek() {
                    self.at += 1;
                    return Err("invalid number");
                }
            }
            Some(b @ b'1'..=b'9') => {
                int = Some(u64::from(b - b'0'));
                while let Some(b @ b'0'..=b'9') = self.peek() {
                    self.at += 1;
                    int = int
                        .and_then(|n| n.checked_mul(10))
                        .and_then(|n| n.checked_add(u64::from(b - b'0')));
                }
            }
            Some(_) => return Err("invalid number"),
            None => return Err("EOF while parsing a value"),
        }
        let mut float = int.is_none();
        if self.peek() == Some(b'.') {
            self.at += 1;
            float = true;
            self.digits()?;
        }
        if let Some(b'e' | b'E') = self.peek() {
            self.at += 1;
            float = true;
            if let Some(b'+' | b'-') = self.peek() {
                self.at += 1;
            }
            self.digits()?;
        }
        match int {
            Some(n) if !float && !negative => return Ok(Node::U64(n)),
            // -0 is the float -0.0 to serde_json, as every negative it cannot hold as i64.
            Some(n) if !float && n != 0 && n <= 1 << 63 => {
                return Ok(Node::I64(0i64.wrapping_sub_unsigned(n)))
            }
            _ => {}
        }
        let value = (self.float)(std::str::from_utf8(&self.bytes[start..self.at]).unwrap_or("0"));
        // Beyond a double's range is malformed to serde_json, said where the number ends.
        if value.is_infinite() {
            return Err("number out of range");
        }
        Ok(Node::F64(value))
    }

    /// One or more digits, as a fraction and an exponent need.
    fn digits(&mut self) -> Step<()> {
        match self.next() {
            Some(b'0'..=b'9') => {}
            Some(_) => return Err("invalid number"),
            None => return Err("EOF while parsing a value"),
        }
        while let Some(b'0'..=b'9') = self.peek() {
            self.at += 1;
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests;
