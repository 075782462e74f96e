//! How the reader's messages name a value, and how it turns a JSON float into the text a
//! `Decimal` is parsed from, without `Debug` for `str` (which links the Unicode printable
//! tables) or `Display` for `f64` (which links its own float printer): serde_json's
//! shortest float printer (zmij) is already in the module, and the rest is a few lines.

use std::fmt::Write;

use crate::quoted::quoted;

use super::super::node::Node;

/// A value that does not fit, as serde_json's messages name it.
#[derive(Clone, Copy)]
pub(super) enum Unexpected<'a> {
    Null,
    Bool(bool),
    Unsigned(u64),
    Signed(i64),
    Float(f64),
    Str(&'a str),
    Seq,
    Map,
    UnitVariant,
}

impl<'a> Unexpected<'a> {
    pub(super) fn of(node: &'a Node) -> Unexpected<'a> {
        match node {
            Node::Null => Unexpected::Null,
            Node::Bool(b) => Unexpected::Bool(*b),
            Node::U64(n) => Unexpected::Unsigned(*n),
            Node::I64(n) => Unexpected::Signed(*n),
            Node::F64(n) => Unexpected::Float(*n),
            Node::Str(s) => Unexpected::Str(s),
            Node::Array(_) => Unexpected::Seq,
            Node::Object(_) => Unexpected::Map,
        }
    }

    /// `null`, ``integer `3` ``, `string "x"`, ``floating point `1.5` ``, … as in
    /// serde_json's "invalid type" and "invalid value" messages.
    pub(super) fn describe(self, out: &mut String) {
        // Writing to a String cannot fail.
        let _ = match self {
            Unexpected::Null => write!(out, "null"),
            Unexpected::Bool(b) => write!(out, "boolean `{b}`"),
            Unexpected::Unsigned(n) => write!(out, "integer `{n}`"),
            Unexpected::Signed(n) => write!(out, "integer `{n}`"),
            Unexpected::Float(v) => {
                out.push_str("floating point `");
                out.push_str(zmij::Buffer::new().format(v));
                out.push('`');
                Ok(())
            }
            Unexpected::Str(s) => write!(out, "string {}", quoted(s)),
            Unexpected::Seq => write!(out, "sequence"),
            Unexpected::Map => write!(out, "map"),
            Unexpected::UnitVariant => write!(out, "unit variant"),
        };
    }
}

/// `v` written as `v.to_string()` writes it (the shortest digits that read back as `v`, in
/// plain notation, no `.0`), from serde_json's shortest printer, which gives the same
/// digits in its own notation (`1.5e-7`, `1e+21`, `2.0`). `v` is finite, as JSON numbers are.
pub(super) fn plain(v: f64) -> String {
    let mut buffer = zmij::Buffer::new();
    let text = buffer.format_finite(v);
    let (negative, text) = match text.strip_prefix('-') {
        Some(rest) => (true, rest),
        None => (false, text),
    };
    let (mantissa, exponent) = match text.split_once('e') {
        Some((m, e)) => (m, e.parse::<i32>().unwrap_or(0)),
        None => (text, 0),
    };
    let (whole, fraction) = mantissa.split_once('.').unwrap_or((mantissa, ""));
    // The significant digits and where the point goes among them.
    let mut digits: Vec<u8> = whole.bytes().chain(fraction.bytes()).collect();
    let mut point = whole.len() as i32 + exponent;
    let leading = digits.iter().take_while(|d| **d == b'0').count();
    digits.drain(..leading);
    point -= leading as i32;
    while digits.last() == Some(&b'0') {
        digits.pop();
    }
    // Where `v` lies exactly halfway between two shortest candidates, the printer rounds to
    // the even one and Display away from zero: the only place their digits differ.
    let shortest = digits_value(&digits);
    if let Some(last) = digits.last_mut() {
        if *last % 2 == 0 && halfway(v.abs(), shortest, point) {
            *last += 1;
        }
    }
    let mut out = String::with_capacity(digits.len() + 8);
    if negative {
        out.push('-');
    }
    let digits = std::str::from_utf8(&digits).unwrap_or_default();
    if digits.is_empty() {
        out.push('0');
    } else if point <= 0 {
        out.push_str("0.");
        zeros(point.unsigned_abs() as usize, &mut out);
        out.push_str(digits);
    } else if point as usize >= digits.len() {
        out.push_str(digits);
        zeros(point as usize - digits.len(), &mut out);
    } else {
        out.push_str(&digits[..point as usize]);
        out.push('.');
        out.push_str(&digits[point as usize..]);
    }
    out
}

/// The integer the ASCII digits spell (at most 17 of them).
fn digits_value(digits: &[u8]) -> (u64, i32) {
    let n = digits
        .iter()
        .fold(0u64, |n, d| n * 10 + u64::from(d - b'0'));
    (n, digits.len() as i32)
}

/// Whether `v` (positive, finite) is exactly `0.D5 × 10^point`, where `D` is `digits`
/// (`(value, count)`): the midpoint after the last digit.
fn halfway(v: f64, (d, count): (u64, i32), point: i32) -> bool {
    // v = odd · 2^s; the midpoint is t · 10^q = t · 5^q · 2^q with t odd (it ends in 5).
    let bits = v.to_bits();
    let exponent = ((bits >> 52) & 0x7ff) as i32;
    let fraction = bits & ((1 << 52) - 1);
    let (mut m, mut s) = match exponent {
        0 => (fraction, -1074),
        e => (fraction | (1 << 52), e - 1075),
    };
    if m == 0 {
        return false;
    }
    let z = m.trailing_zeros();
    m >>= z;
    s += z as i32;
    let t = u128::from(d) * 10 + 5;
    let q = point - count - 1;
    if s != q {
        return false;
    }
    let five = |p: i32| 5u128.checked_pow(p.unsigned_abs());
    if q >= 0 {
        five(q).and_then(|f| f.checked_mul(t)) == Some(u128::from(m))
    } else {
        five(q).and_then(|f| f.checked_mul(u128::from(m))) == Some(t)
    }
}

fn zeros(count: usize, out: &mut String) {
    for _ in 0..count {
        out.push('0');
    }
}

#[cfg(test)]
// The floats are written as a person would write them, digits past what an f64 holds
// included: reading them is part of what is tested.
#[allow(clippy::excessive_precision)]
mod tests {
    use std::str::FromStr;

    use rust_decimal::Decimal;

    use super::plain;

    /// What rust_decimal's serde impl reads from a JSON float: the float's `Display` text.
    fn serde_decimal(v: f64) -> Option<Decimal> {
        Decimal::from_str(&v.to_string()).ok()
    }

    fn check(v: f64) {
        assert_eq!(plain(v), v.to_string(), "bits {:#x}", v.to_bits());
        assert_eq!(Decimal::from_str(&plain(v)).ok(), serde_decimal(v), "{v}");
    }

    #[test]
    fn floats_are_written_as_display_writes_them() {
        let named = [
            0.0,
            -0.0,
            0.1,
            0.2,
            0.3,
            1.0,
            1.5,
            -1.5,
            2.0,
            10.0,
            100.0,
            1e-7,
            1.5e-7,
            1e-5,
            1e15,
            1e16,
            1e17,
            1e20,
            1e21,
            1e22,
            1e23,
            1e28,
            1e29,
            1e100,
            1e300,
            1e308,
            5e-324,
            1e-320,
            2.2250738585072014e-308,
            123456789.123456789,
            -123456789.123456789,
            0.000123,
            79228162514264337593543950335.0,
            7.922816251426434e28,
            1.0 / 3.0,
            -2.0 / 3.0,
            43210.0,
            544431068535091.6,
            9007199254740993.0,
            f64::MAX,
            f64::MIN,
            f64::MIN_POSITIVE,
            f64::EPSILON,
            0.30000000000000004,
            12345678901234567890.0,
            0.1234567890123456789012345678901,
            1.0000000000000002,
            0.9999999999999999,
        ];
        for v in named {
            check(v);
            check(-v);
        }
        // Powers of ten and their neighbours across the whole exponent range.
        for e in -324..=308 {
            let v: f64 = format!("1e{e}").parse().unwrap();
            for w in [v, v.next_up(), v.next_down(), v * 3.0, v * 7.77] {
                if w.is_finite() {
                    check(w);
                }
            }
        }
        // Random bit patterns (xorshift), and random short decimals.
        let mut seed = 0x2545_f491_4f6c_dd1d_u64;
        for _ in 0..200_000 {
            seed ^= seed << 13;
            seed ^= seed >> 7;
            seed ^= seed << 17;
            let v = f64::from_bits(seed);
            if v.is_finite() {
                check(v);
            }
            let short = (seed % 1_000_000) as f64 / 10f64.powi((seed >> 40) as i32 % 12);
            check(short);
        }
    }

    #[test]
    fn floats_halfway_between_two_shortest_texts_are_written_as_display_writes_them() {
        // 1149636667324797.25 is as near to ….2 as to ….3: the shortest printer says ….2
        // (even), Display ….3.
        assert_eq!(
            zmij::Buffer::new().format(1149636667324797.25),
            "1149636667324797.2"
        );
        check(1149636667324797.25);
        check(-1149636667324797.25);
        // Quarters between 2^50 and 2^51 need 18 digits: each is halfway between two
        // 17-digit texts. Likewise eighths and halves a binade lower and higher.
        let mut k = 1u64 << 50;
        for _ in 0..20_000 {
            k = k
                .wrapping_mul(6364136223846793005)
                .wrapping_add(1442695040888963407);
            let whole = ((k >> 14) % (1 << 50)) as f64;
            for (base, step) in [(1u64 << 50, 0.25), (1 << 49, 0.125), (1 << 51, 0.5)] {
                for j in 1..4 {
                    check(base as f64 + whole % base as f64 + step * f64::from(j));
                }
            }
        }
    }
}
