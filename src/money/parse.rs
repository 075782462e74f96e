//! A decimal read from text exactly as rust_decimal's `Decimal::from_str` reads it: the same
//! strings accepted, the same value and scale given (a test holds the two together over a
//! few hundred thousand strings). What the WebAssembly build parses amounts with.
//!
//! rust_decimal's own parser is a state machine written as a family of functions over six
//! const-generic flags, instantiated about forty times: 5.5 KB of the wasm. This is that state
//! machine as one loop over the same states, including its quirks, which the server (reading
//! through rust_decimal's serde) keeps:
//! - `_` is accepted between digits and after the first digit, anywhere after it;
//! - a sign only first, a point at most once, at least one digit;
//! - past 28 decimal places the rest is rounded away (half up on the next digit), and the rest
//!   must still be digits and `_`;
//! - a mantissa of 2^96 or more is an error before the point and rounds after it;
//! - if that fails and the text has an `e` or `E`, `from_scientific_lossy`'s reading.

use rust_decimal::Decimal;

/// rust_decimal's limit on decimal places.
const MAX_SCALE: u32 = 28;
/// Below this, ten times the mantissa plus a digit still fits in 64 bits.
const WILL_OVERFLOW_U64: u128 = (u64::MAX / 10 - u8::MAX as u64) as u128;
/// A mantissa must stay below 2^96.
const OVERFLOW_U96: u128 = 1 << 96;

/// `Decimal::from_str(text).ok()`, with less code.
pub fn parse_decimal(text: &str) -> Option<Decimal> {
    match plain(text.as_bytes()) {
        Some(d) => Some(d),
        None if text.bytes().any(|b| b == b'e' || b == b'E') => scientific(text),
        None => None,
    }
}

/// rust_decimal's `parse_str_radix_10`: `[+-]?` digits with one optional point and `_`s.
fn plain(bytes: &[u8]) -> Option<Decimal> {
    let (negative, mut i) = match bytes.first()? {
        b'-' => (true, 1),
        b'+' => (false, 1),
        _ => (false, 0),
    };
    // `wide`: the mantissa has outgrown rust_decimal's 64-bit path and takes its 128-bit one.
    let (mut point, mut digits, mut wide) = (false, false, false);
    let mut data: u128 = 0;
    let mut scale: u32 = 0;
    while let Some(&b) = bytes.get(i) {
        i += 1;
        let rest = &bytes[i..];
        match b {
            b'0'..=b'9' => {
                let next = data * 10 + u128::from(b - b'0');
                if wide && next >= OVERFLOW_U96 {
                    return if point {
                        round(data, b, rest, scale, negative)
                    } else {
                        None
                    };
                }
                data = next;
                scale += u32::from(point);
                digits = true;
                let Some(&after) = rest.first() else { break };
                if point && scale >= MAX_SCALE {
                    // The 64-bit path rounds on whatever comes next (a `_` as 0); the 128-bit one
                    // looks past `_`s for the digit to round on.
                    let (on, tail) = match (wide, after) {
                        (true, b'_') => match rest.iter().position(|&c| c != b'_') {
                            Some(at) => (rest[at], &rest[at + 1..]),
                            None => break,
                        },
                        _ => (after, &rest[1..]),
                    };
                    return round(data, on, tail, scale, negative);
                }
                wide = wide || data >= WILL_OVERFLOW_U64;
            }
            b'.' if !point => point = true,
            b'_' if digits => {}
            _ => return None,
        }
    }
    digits.then(|| from_mantissa(data, negative, scale))
}

/// rust_decimal's `maybe_round`, always called after the point: the mantissa rounded half
/// up on the digit `on` (a `_` counts as 0), then the rest checked for characters it would
/// refuse.
fn round(mut data: u128, on: u8, rest: &[u8], mut scale: u32, negative: bool) -> Option<Decimal> {
    let digit = match on {
        b'0'..=b'9' => on - b'0',
        b'_' => 0,
        _ => return None,
    };
    if digit >= 5 {
        data += 1;
        if data >= OVERFLOW_U96 {
            scale = scale.checked_sub(1)?;
            data = (data + 4) / 10;
        }
    }
    if !rest.iter().all(|&b| b.is_ascii_digit() || b == b'_') {
        return None;
    }
    Some(from_mantissa(data, negative, scale))
}

/// The decimal of a mantissa below 2^96, its sign and its scale.
pub(super) fn from_mantissa(data: u128, negative: bool, scale: u32) -> Decimal {
    // Truncation is the point: the three 32-bit words of a mantissa below 2^96.
    #[allow(clippy::cast_possible_truncation)]
    Decimal::from_parts(
        data as u32,
        (data >> 32) as u32,
        (data >> 64) as u32,
        negative,
        scale,
    )
}

/// rust_decimal's `from_scientific_lossy`: `base` read as above, then scaled by the exponent
/// after the first `e` or `E` (an optional `-`, then what `u32` parses, `+` included).
fn scientific(text: &str) -> Option<Decimal> {
    let at = text.find(['e', 'E'])?;
    let (base, exponent) = (&text[..at], &text[at + 1..]);
    let mut value = plain(base.as_bytes())?;
    let scale = value.scale();
    if let Some(down) = exponent.strip_prefix('-') {
        let exp: u32 = down.parse().ok()?;
        if exp > MAX_SCALE {
            return None;
        }
        if scale + exp > MAX_SCALE {
            value.rescale(MAX_SCALE - exp);
            value.set_scale(MAX_SCALE).ok()?;
        } else {
            value.set_scale(scale + exp).ok()?;
        }
    } else {
        let exp: u32 = exponent.parse().ok()?;
        if exp <= scale {
            value.set_scale(scale - exp).ok()?;
        } else {
            if exp > MAX_SCALE {
                return None;
            }
            // As rust_decimal multiplies: by 10^19 while more than 19 remain, then the rest.
            let mut left = exp;
            while left > 0 {
                let step = left.min(19);
                left -= step;
                value = crate::money::checked_mul(value, Decimal::from(10u64.pow(step)))?;
            }
            value.normalize_assign();
        }
    }
    Some(value)
}

#[cfg(test)]
mod tests;
