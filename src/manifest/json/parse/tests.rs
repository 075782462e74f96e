//! The parser against serde_json itself: the same node for every document serde_json
//! accepts, and the same message, line and column for every one it refuses.

use super::*;

/// What the module's parser makes of `text`, its floats converted as the browser would
/// (correctly rounded: the standard library's parser here).
fn ours(text: &str) -> Result<Node, SyntaxError> {
    parse(text.as_bytes(), &|float| float.parse().unwrap_or(f64::NAN))
}

/// What serde_json makes of it: the node, or its message and position.
fn theirs(text: &str) -> Result<Node, (String, usize, usize)> {
    serde_json::from_str::<Node>(text).map_err(|e| {
        let full = e.to_string();
        let at = format!(" at line {} column {}", e.line(), e.column());
        (
            full.strip_suffix(at.as_str()).unwrap_or(&full).to_string(),
            e.line(),
            e.column(),
        )
    })
}

/// Asserts both agree on `text`; floats compared bit for bit (NaN never occurs: JSON has none).
fn agree(text: &str) {
    if let Some(difference) = differ(text) {
        panic!("{difference}");
    }
}

/// How the two differ on `text`, if they do.
fn differ(text: &str) -> Option<String> {
    let a = ours(text).map_err(|e| (e.message.to_string(), e.line, e.column));
    let b = theirs(text);
    let same = match (&a, &b) {
        (Ok(x), Ok(y)) => same(x, y),
        _ => a == b,
    };
    (!same).then(|| format!("{text:?}: {a:?} vs serde_json {b:?}"))
}

/// Asserts both agree on each of `texts`, listing every difference.
fn all_agree(texts: &[&str]) {
    let differences: Vec<String> = texts.iter().filter_map(|t| differ(t)).collect();
    assert!(differences.is_empty(), "{}", differences.join("\n"));
}

/// Node equality with floats bit for bit (-0.0 is not 0.0).
fn same(a: &Node, b: &Node) -> bool {
    match (a, b) {
        (Node::F64(x), Node::F64(y)) => x.to_bits() == y.to_bits(),
        (Node::Array(x), Node::Array(y)) => {
            x.len() == y.len() && x.iter().zip(y).all(|(a, b)| same(a, b))
        }
        (Node::Object(x), Node::Object(y)) => {
            x.len() == y.len() && x.iter().zip(y).all(|((k, a), (l, b))| k == l && same(a, b))
        }
        _ => a == b,
    }
}

#[test]
fn the_demo_manifests_parse_as_serde_json_parses_them() {
    for name in ["catalog", "contract", "policy", "model", "users"] {
        let path = format!("{}/manifests/{name}.json", env!("CARGO_MANIFEST_DIR"));
        agree(&std::fs::read_to_string(path).unwrap());
    }
}

#[test]
fn bytes_that_are_not_utf8_are_refused_where_serde_json_refuses_them() {
    // In a string after an escape, before a control character, at its end, inside a key,
    // after valid text (so the error's place is not the first string's), cut short at the end
    // of the text, and outside any string.
    let cases: [&[u8]; 8] = [
        b"[\"a\\n\xff\"]",
        b"[\"\xff\x01\"]",
        b"{\"a\": \"\xff\"}",
        b"[\"ok\", \"x\xc3\"]",
        b"{\"k\xe2\x82\": 1}",
        b"[\"caf\xc3\xa9\", \"\xed\xa0\x80\"]",
        b"\"\xf0\x9f\x98",
        b"[1, \xff]",
    ];
    for bytes in cases {
        let ours = parse(bytes, &|float| float.parse().unwrap_or(f64::NAN))
            .expect_err("not UTF-8, so refused");
        let theirs = serde_json::from_slice::<Node>(bytes).expect_err("serde_json refuses it");
        let text = String::from_utf8_lossy(bytes);
        assert_eq!(
            (ours.line, ours.column),
            (theirs.line(), theirs.column()),
            "{text}: {theirs}"
        );
        assert!(
            theirs.to_string().starts_with(ours.message),
            "{text}: ours {:?}, serde_json {theirs}",
            ours.message
        );
    }
}

#[test]
fn every_kind_of_value_parses_as_serde_json_parses_it() {
    all_agree(&[
        "null",
        "true",
        "false",
        "0",
        "-0",
        "1",
        "-1",
        "42",
        " 7 ",
        "\n\t\r 3",
        "18446744073709551615",
        "18446744073709551616",
        "-9223372036854775808",
        "-9223372036854775809",
        "99999999999999999999999",
        "1.5",
        "-1.5",
        "3.0",
        "1e2",
        "1E+2",
        "1e-2",
        "-0.0",
        "0.1",
        "2.5e-308",
        "1.7976931348623157e308",
        "5e-324",
        "1e-400",
        "0.30000000000000004",
        "123456789012345678901234567890.5",
        "\"\"",
        "\"a\"",
        r#""\"\\\/\b\f\n\r\t""#,
        r#""\u00e9\u4e2d\uD83D\uDE00""#,
        "\"é中😀\"",
        "[]",
        "{}",
        "[1,[2,[3]],{}]",
        r#"{"a":1,"b":[true,null],"c":{"d":"e"}}"#,
        r#"{"a":1,"a":2}"#,
        r#"{ "x" : [ 1 , 2 ] , "y" : { } }"#,
        r#"{"2":1,"1":2}"#,
    ]);
}

#[test]
fn malformed_text_is_refused_with_serde_jsons_message_line_and_column() {
    all_agree(&[
        "",
        " ",
        "nul",
        "nulx",
        "tru",
        "fals",
        "x",
        "[",
        "[1",
        "[1,",
        "[1,]",
        "[1 2]",
        "{",
        "{\"a\"",
        "{\"a\":",
        "{\"a\":1",
        "{\"a\":1,}",
        "{\"a\" 1}",
        "{1:2}",
        "{\"a\":1 \"b\":2}",
        "\"abc",
        "\"a\\",
        "\"a\\x\"",
        "\"\\u12\"",
        "\"\\u12G4\"",
        "\"\\uDC00\"",
        "\"\\uD800\"",
        "\"\\uD800x\"",
        "\"\\uD800\\n\"",
        "\"\\uD800\\u0041\"",
        "\"a\u{1}b\"",
        "\"line\nbreak\"",
        "01",
        "-",
        "-a",
        "1.",
        "1.e5",
        "1e",
        "1e+",
        ".5",
        "+1",
        "1e400",
        "-1e400",
        "[1e999, 2]",
        "1 2",
        "{} x",
        "[]]",
        "\n\n  [1,\n  2,,]",
        "{\"a\":\n\n   nul}",
        "\u{feff}1",
    ]);
}

#[test]
fn nesting_stops_where_serde_jsons_does() {
    for depth in [126, 127, 128, 129, 1000] {
        agree(&format!("{}{}", "[".repeat(depth), "]".repeat(depth)));
        agree(&format!(
            "{}1{}",
            "{\"a\":".repeat(depth),
            "}".repeat(depth)
        ));
    }
}

#[test]
fn only_numbers_beyond_64_bit_integers_go_to_the_float_function() {
    let asked = std::cell::RefCell::new(Vec::new());
    let node = parse(
        br#"{"a":[1.5,2,{"b":-3e1}],"c":0.25,"d":-7,"e":1e400}"#,
        &|float| {
            asked.borrow_mut().push(float.to_string());
            if float == "1e400" {
                f64::INFINITY
            } else {
                10.0
            }
        },
    );
    assert_eq!(asked.into_inner(), ["1.5", "-3e1", "0.25", "1e400"]);
    assert_eq!(node.unwrap_err().message, "number out of range");
    let node = parse(br#"[1.5,2,-7]"#, &|_| 10.0).unwrap();
    assert_eq!(
        node,
        Node::Array(vec![Node::F64(10.0), Node::U64(2), Node::I64(-7)])
    );
}

#[test]
fn every_truncation_and_thousands_of_corruptions_of_a_manifest_agree() {
    let path = format!("{}/manifests/contract.json", env!("CARGO_MANIFEST_DIR"));
    let text = std::fs::read_to_string(path).unwrap();
    let mut differences = Vec::new();
    for end in (0..=text.len()).filter(|&end| text.is_char_boundary(end)) {
        differences.extend(differ(&text[..end]));
    }
    // Each byte position in turn gets one of JSON's structural or number bytes, or loses its
    // byte: a fixed sequence, so a failure reproduces.
    let swaps = b"{}[],:\"\\ 0-+.eE5tnfu\n";
    let bytes = text.as_bytes();
    let mut tried = 0;
    for (i, _) in bytes.iter().enumerate() {
        for (k, &swap) in swaps.iter().enumerate().filter(|(k, _)| (i + k) % 5 == 0) {
            let mut changed = bytes.to_vec();
            if k == 0 {
                changed.remove(i);
            } else {
                changed[i] = swap;
            }
            if let Ok(changed) = String::from_utf8(changed) {
                tried += 1;
                differences.extend(differ(&changed));
            }
        }
    }
    assert!(tried > 10_000, "only {tried} corruptions tried");
    assert!(
        differences.is_empty(),
        "{} differences:\n{}",
        differences.len(),
        differences[..differences.len().min(20)].join("\n")
    );
}
