use super::parse_decimal;
use proptest::prelude::*;
use rust_decimal::Decimal;
use std::str::FromStr;

/// The two readings agree: both refuse, or both give the same value with the same scale and
/// sign (compared through the 16-byte form, since `==` ignores the scale).
fn agrees(text: &str) {
    let ours = parse_decimal(text).map(|d| d.serialize());
    let theirs = Decimal::from_str(text).ok().map(|d| d.serialize());
    assert_eq!(
        ours,
        theirs,
        "{text:?}: ours {:?}, rust_decimal {:?}",
        parse_decimal(text),
        Decimal::from_str(text)
    );
}

#[test]
fn reads_what_amounts_look_like() {
    for (text, want) in [
        ("12.50", "12.50"),
        ("-0.005", "-0.005"),
        ("+7", "7"),
        ("1_000.5", "1000.5"),
        ("1e3", "1000"),
        ("2.5E-2", "0.025"),
        (".5", "0.5"),
        ("5.", "5"),
    ] {
        assert_eq!(
            parse_decimal(text).map(|d| d.to_string()),
            Some(want.to_string()),
            "{text}"
        );
        agrees(text);
    }
}

#[test]
fn refuses_what_is_not_a_number() {
    for text in [
        "", "-", "+", ".", "-.", "_1", "1..2", "1.2.3", "--1", "+-1", "1-", "abc", "1 ", " 1",
        "e5", "1e", "1e-", "1e29", "1e-29", "1ee2", "NaN", "inf", "0x10", "١",
    ] {
        assert_eq!(parse_decimal(text), None, "{text:?}");
        agrees(text);
    }
}

#[test]
fn agrees_at_the_edges_of_the_mantissa_and_the_scale() {
    let max = "79228162514264337593543950335";
    let mut texts = vec![
        max.to_string(),
        format!("-{max}"),
        "79228162514264337593543950336".to_string(),
        format!("{max}.5"),
        format!("{max}.4"),
        format!("{max}_.9_9"),
    ];
    // 2^96 - 1 at 28 places, then a digit that rounds it up past the mantissa's width.
    let (head, tail) = max.split_at(1);
    for next in ["5", "4", "_5", "__9", "_", "5_1", "5.1", "5x"] {
        texts.push(format!("{head}.{tail}{next}"));
        texts.push(format!("-{head}.{tail}{next}"));
    }
    for len in 26..=34 {
        for point in 0..=len {
            for digit in ['0', '4', '5', '9'] {
                let digits: String = std::iter::repeat_n(digit, len).collect();
                let (a, b) = digits.split_at(point);
                texts.push(format!("{a}.{b}"));
                texts.push(format!("0.{a}_{b}"));
                texts.push(format!("0.{}1{a}_{b}", "0".repeat(26)));
                texts.push(format!("-{a}.{b}e-3"));
                texts.push(format!("{a}.{b}E+2"));
                texts.push(format!("{a}.{b}x"));
                texts.push(format!("{a}.{b}.1"));
            }
        }
    }
    for text in &texts {
        agrees(text);
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(100_000))]

    #[test]
    fn agrees_with_rust_decimal_on_numbers(text in "[-+]?[0-9_]{0,32}(\\.[0-9_]{0,32})?([eE][-+]{0,2}[0-9]{0,3})?") {
        agrees(&text);
    }

    #[test]
    fn agrees_with_rust_decimal_on_anything_near(text in "[-+0-9_.eE9x ]{0,40}") {
        agrees(&text);
    }
}
