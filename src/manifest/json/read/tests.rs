//! The tree reader ([`super::Read`]) against the native one-pass reader (serde and
//! serde_path_to_error): the same documents must be accepted with the same values and
//! refused at the same path with the same message, so the browser refuses exactly what
//! the server refuses.

use std::fmt::Debug;

use serde::de::DeserializeOwned;
use serde_json::{json, Value};

use super::super::node::Node;
use super::super::{parse, parse_tree, Fault};
use super::{from_node, Read};
use crate::engine::State;
use crate::manifest::{Catalog, Contract, Directory, Policy};
use crate::propensity::Model;

/// What a reader made of a text: the value, or (path, message) of a misfit, or a syntax
/// error's message.
#[derive(Debug, PartialEq)]
enum Outcome<T> {
    Read(T),
    Misfit(String, String),
    Syntax(String),
}

fn outcome<T>(r: Result<T, Fault>) -> Outcome<T> {
    match r {
        Ok(v) => Outcome::Read(v),
        Err(Fault::Shape { path, message, .. }) => Outcome::Misfit(path, message),
        Err(Fault::Syntax(e)) => Outcome::Syntax(e.to_string()),
    }
}

/// Both readers on `text`; panics with both outcomes when they differ. Returns whether
/// the text was accepted.
///
/// Two differences are allowed, both refusals: malformed text is a syntax error for the
/// tree reader even where the one-pass reader met a misfit before the malformed part; and
/// serde_json's one-pass reader calls a value of the wrong shape where an externally tagged
/// enum is expected (`"limit": -1`, `"limit": {}`, two keys) a syntax error ("expected
/// value"), where the tree reader names the misfit at its path.
///
/// One difference in wording is allowed: where a message quotes a string holding a
/// non-ASCII character that `{:?}` escapes (unprintable, or a combining mark), the tree
/// reader writes the character as it is (see `text::quote`).
fn same<T: DeserializeOwned + Read + PartialEq + Debug>(root: &str, text: &str) -> bool {
    let mut native = outcome(parse::<T>(root, text));
    let tree = outcome(parse_tree::<T>(root, text));
    if let Outcome::Misfit(_, message) = &mut native {
        *message = unescape_non_ascii(message, text);
    }
    let well_formed = serde_json::from_str::<Node>(text).is_ok();
    match (&native, &tree) {
        (Outcome::Read(_), _) | (_, Outcome::Read(_)) => {
            assert_eq!(native, tree, "the readers disagree on {text}")
        }
        (_, Outcome::Syntax(_)) if !well_formed => {}
        (Outcome::Syntax(_), Outcome::Misfit(..)) if well_formed => {}
        _ => assert_eq!(native, tree, "the readers disagree on {text}"),
    }
    matches!(native, Outcome::Read(_))
}

/// `message` with the `{:?}` escapes of the non-ASCII characters of `text` (as JSON text
/// writes them, or as its `\u` escapes spell them) replaced by the characters themselves.
fn unescape_non_ascii(message: &str, text: &str) -> String {
    let Ok(node) = serde_json::from_str::<Value>(text) else {
        return message.to_string();
    };
    let mut chars: Vec<char> = Vec::new();
    strings(&node, &mut chars);
    let mut out = message.to_string();
    for c in chars {
        let escaped = c.escape_debug().to_string();
        if !c.is_ascii() && escaped != c.to_string() {
            out = out.replace(&escaped, &c.to_string());
        }
    }
    out
}

fn strings(v: &Value, out: &mut Vec<char>) {
    match v {
        Value::String(s) => out.extend(s.chars()),
        Value::Array(items) => items.iter().for_each(|i| strings(i, out)),
        Value::Object(m) => m.iter().for_each(|(k, i)| {
            out.extend(k.chars());
            strings(i, out);
        }),
        _ => {}
    }
}

/// Every value of `doc` with one change: an unknown field added to each object, each
/// field removed in turn, each value replaced by a value of another type.
fn mutations(doc: &Value) -> Vec<Value> {
    let wrong = [
        json!(null),
        json!(true),
        json!(-1),
        json!(1.5),
        json!("x"),
        json!([]),
        json!({}),
        json!({ "a": 1 }),
    ];
    let mut out = Vec::new();
    let mut pointers = Vec::new();
    collect(doc, String::new(), &mut pointers);
    for (i, pointer) in pointers.iter().enumerate() {
        let mut changed = doc.clone();
        *changed.pointer_mut(pointer).unwrap() = wrong[i % wrong.len()].clone();
        out.push(changed);
        if let Some(Value::Object(map)) = doc.pointer(pointer) {
            let mut extra = doc.clone();
            if let Some(Value::Object(m)) = extra.pointer_mut(pointer) {
                m.insert("colour".into(), json!("red"));
            }
            out.push(extra);
            for key in map.keys() {
                let mut less = doc.clone();
                if let Some(Value::Object(m)) = less.pointer_mut(pointer) {
                    m.remove(key);
                }
                out.push(less);
            }
        }
    }
    out
}

fn collect(v: &Value, at: String, out: &mut Vec<String>) {
    match v {
        Value::Object(m) => {
            for (k, child) in m {
                collect(
                    child,
                    format!("{at}/{}", k.replace('~', "~0").replace('/', "~1")),
                    out,
                );
            }
        }
        Value::Array(items) => {
            for (i, child) in items.iter().enumerate() {
                collect(child, format!("{at}/{i}"), out);
            }
        }
        _ => {}
    }
    out.push(at);
}

/// Runs every mutation of a demo manifest through both readers; some must be refused.
fn agree_on_mutations<T: DeserializeOwned + Read + PartialEq + Debug>(root: &str, text: &str) {
    assert!(same::<T>(root, text), "the demo {root} is read");
    let doc: Value = serde_json::from_str(text).unwrap();
    let all = mutations(&doc);
    let refused = all
        .iter()
        .filter(|m| !same::<T>(root, &m.to_string()))
        .count();
    assert!(
        refused > all.len() / 4,
        "{refused} of {} refused",
        all.len()
    );
}

#[test]
fn catalog_mutations_are_read_alike() {
    agree_on_mutations::<Catalog>(
        "catalog",
        include_str!("../../../../manifests/catalog.json"),
    );
}

#[test]
fn contract_mutations_are_read_alike() {
    agree_on_mutations::<Contract>(
        "contract",
        include_str!("../../../../manifests/contract.json"),
    );
}

#[test]
fn policy_mutations_are_read_alike() {
    agree_on_mutations::<Policy>("policy", include_str!("../../../../manifests/policy.json"));
}

#[test]
fn directory_mutations_are_read_alike() {
    agree_on_mutations::<Directory>("users", include_str!("../../../../manifests/users.json"));
}

#[test]
fn model_mutations_are_read_alike() {
    agree_on_mutations::<Model>("model", include_str!("../../../../manifests/model.json"));
}

#[test]
fn texts_the_value_tree_would_lose_are_read_alike() {
    // Repeated keys: a struct refuses a duplicate field; a map keeps the last value.
    let party = r#"{"id":"a","name":"A","id":"b"}"#;
    assert!(!same::<crate::manifest::Party>("p", party));
    let state = r#"{"grants":[],"grants":[]}"#;
    assert!(!same::<State>("state", state));
    // Two unknown fields: the first in the text is named.
    assert!(!same::<crate::manifest::Party>(
        "p",
        r#"{"zz":1,"aa":2,"id":"a","name":"A"}"#
    ));
    // Numbers past u64 and i64, negative zero, exponents.
    for n in [
        "18446744073709551616",
        "-9223372036854775809",
        "-0",
        "1e2",
        "0.5",
    ] {
        same::<u32>("n", n);
        same::<i64>("n", n);
        same::<f64>("n", n);
        same::<rust_decimal::Decimal>("n", n);
    }
    // Strings quoted in messages: escapes, control characters, non-ASCII text (printable
    // or not), floats quoted in messages.
    for s in [
        r#""a\"b\\c""#,
        r#""\n\t\r\u0000\u001b\u007f""#,
        r#""café 日本 🎉""#,
        r#""\u0085 e\u0301 \u200b""#,
        "1.5",
        "-0.0",
        "1e300",
        "123456789.123456789",
    ] {
        assert!(!same::<u32>("n", s), "{s}");
        assert!(!same::<crate::manifest::Party>("p", s), "{s}");
        same::<rust_decimal::Decimal>("n", s);
    }
    // Decimals written as strings in scientific notation, within and past the 28 digits of
    // scale, with either letter; and ones that are not numbers.
    for s in [
        r#""1e2""#,
        r#""1.2E10""#,
        r#""2.5e-28""#,
        r#""2.710505431213761e-20""#,
        r#""0.0000000000000000000000000001e-1""#,
        r#""2e-29""#,
        r#""1e29""#,
        r#""-7.5e+3""#,
        r#""1e""#,
        r#""e5""#,
        r#""1e2e3""#,
        r#""12.5x""#,
    ] {
        same::<rust_decimal::Decimal>("n", s);
    }
    // Malformed text, trailing text, an empty document.
    for bad in ["{", "{} x", "", "[1,]", "{\"a\" 1}"] {
        assert!(!same::<State>("state", bad), "{bad:?}");
    }
}

#[test]
fn paths_name_keys_and_indices_from_the_root() {
    let node: Node = serde_json::from_str(r#"{"a":[[1],[2,"x"]]}"#).unwrap();
    let e = from_node::<crate::collections::Map<String, Vec<Vec<u32>>>>(&node).unwrap_err();
    assert_eq!(e.path, ".a[1][1]");
    assert!(e.message.contains("expected u32"), "{}", e.message);
    let e = from_node::<Vec<u32>>(&Node::Array(vec![Node::U64(1), Node::Null])).unwrap_err();
    assert_eq!(e.path, "[1]");
    let e = from_node::<u32>(&Node::Str("x".into())).unwrap_err();
    assert_eq!(e.path, "");
}

/// Runs every mutation of `text` through both readers, with no minimum of refusals (for
/// option bags, which ignore unknown fields).
fn agree_on_all<T: DeserializeOwned + Read + PartialEq + Debug>(root: &str, text: &str) {
    assert!(same::<T>(root, text), "the sample {root} is read");
    let doc: Value = serde_json::from_str(text).unwrap();
    for m in mutations(&doc) {
        same::<T>(root, &m.to_string());
    }
}

const GRANTS: &str = r#"[
  {"id":"g1","module":"esign","source":"plan","holder":"org","starts":"2026-01-01"},
  {"id":"g2","module":"reports","source":"trial","holder":{"department":"Sales"},
   "starts":"2026-01-01","ends":"2026-02-01","quantity":5,"plan":"pro",
   "billing_period":"month","anchor":"2026-01-01",
   "suspended":{"cause":"missing_requirement","module":"esign"}},
  {"id":"g3","module":"x","source":"admin","holder":{"user":"u1"},"starts":"2026-01-01",
   "suspended":{"cause":"admin","note":"paused"}}
]"#;

#[test]
fn grant_and_state_mutations_are_read_alike() {
    agree_on_all::<Vec<crate::entitlement::Grant>>("grants", GRANTS);
    let state = format!(
        r#"{{"grants":{GRANTS},
        "usage":{{"counters":[{{"feature":"exports","pool":{{"user":"u1"}},
            "window":{{"start":"2026-01-01","end":"2026-02-01"}},"used":"3.5"}},
            {{"feature":"f","pool":{{"department":"Sales"}},
            "window":{{"start":"2026-01-01","end":"2026-02-01"}},"used":2}}]}},
        "events":[{{"feature":"exports","count":2,"at":1767225600000,"limit_hit":true}},
            {{"feature":"exports","at":1767225600001}}],
        "log":{{"entries":[{{"module":"esign","shown_at":1,"dismissed_at":2}},
            {{"module":"x","shown_at":3}}]}}}}"#
    );
    agree_on_mutations::<State>("state", &state);
}

#[test]
fn option_bag_mutations_are_read_alike() {
    use crate::checkout::{Intent, Spend};
    use crate::pricing::selections::QuoteArgs;
    agree_on_all::<Spend>(
        "spend",
        r#"{"by_source":{"b1":"10.5"},"by_user":{"u1":3},"user_month_total":"7"}"#,
    );
    agree_on_all::<QuoteArgs>(
        "quote",
        r#"{"selections":[{"module":"esign","plan":"pro","quantity":"3",
            "transactions":["10",20.5],"action":"cancel","extra":1},{"module":"x"}]}"#,
    );
    agree_on_mutations::<Intent>(
        "intent",
        r#"{"id":"i1","module":"esign","plan":"pro","quantity":"2","kind":"trial",
            "offer":"o1","surface":"page"}"#,
    );
    agree_on_mutations::<crate::manifest::User>(
        "user",
        r#"{"id":"u1","name":"Ann","attributes":{"department":"Sales"}}"#,
    );
}

#[test]
fn record_and_advice_mutations_are_read_alike() {
    use crate::checkout::ChargeRecord;
    use crate::pricing::AdviceRequest;
    let period = r#"{"start":"2026-01-01","end":"2026-02-01"}"#;
    let record = format!(
        r#"{{"id":"c1","kind":"purchase","customer":"acme","department":"Sales","user":"u1",
        "module":"esign","plan":"pro","quantity":"2",
        "lines":[{{"module":"esign","module_name":"E-sign","plan":"pro","description":"d",
            "quantity":"2","unit":"seat","price_source":"contract","list_amount":"20",
            "discount_amount":"2","discounts":[{{"id":"d1","description":"x","percent":"10",
            "amount":"2"}},{{"id":"d2","description":"y","amount":"1"}}],
            "proration":{{"charged":{period},"billing_period":{period},"days":10,
            "period_days":31}},"net_amount":"18"}}],
        "total":"18","currency":"EUR","period":{period},
        "funding":{{"source":"b1","name":"Budget","route":"auto_approved","approver":"boss",
            "reasons":["r"],"text":"t"}},
        "attribution":{{"offer":"o1","surface":"s","motion":"expand","owner":"am"}},
        "manifests":{{"catalog":{{"version":"1","digest":"a"}},
            "contract":{{"version":"1","digest":"b"}},"policy":{{"version":"1","digest":"c"}}}},
        "created_at":1767225600000}}"#
    );
    agree_on_all::<ChargeRecord>("record", &record);
    // What `Engine.apply` reads of the same record: both readers skip the other fields.
    agree_on_all::<crate::checkout::Confirmed>("record", &record);
    agree_on_all::<AdviceRequest>(
        "advice",
        r#"{"currency":"EUR","date":"2026-01-01","history":[{"envelopes":"10"},{"envelopes":12}],
        "candidates":[{"id":"a","label":"A","components":[{"module":"esign","plan":"pro",
            "quantity":{"metric":"envelopes"}},{"module":"x","plan":"p","quantity":{"fixed":"3"}}],"covers":{"envelopes":"100"}},
            {"id":"b","label":"B","components":[]}],"current":"a"}"#,
    );
}

/// Random changes of the demo catalog and contract (values swapped between places, keys
/// renamed, items dropped): both readers still agree, and neither panics.
#[test]
fn random_mutations_are_read_alike() {
    let docs = [
        include_str!("../../../../manifests/catalog.json"),
        include_str!("../../../../manifests/contract.json"),
    ];
    let mut seed = 0x9e37_79b9_7f4a_7c15_u64;
    let mut next = move |n: usize| {
        seed ^= seed << 13;
        seed ^= seed >> 7;
        seed ^= seed << 17;
        (seed % n as u64) as usize
    };
    for (d, text) in docs.iter().enumerate() {
        let doc: Value = serde_json::from_str(text).unwrap();
        let mut pointers = Vec::new();
        collect(&doc, String::new(), &mut pointers);
        for _ in 0..300 {
            let mut changed = doc.clone();
            for _ in 0..1 + next(3) {
                let from = doc
                    .pointer(&pointers[next(pointers.len())])
                    .cloned()
                    .unwrap();
                let to = &pointers[next(pointers.len())];
                if let Some(slot) = changed.pointer_mut(to) {
                    match (next(3), slot) {
                        (0, Value::Object(m)) if !m.is_empty() => {
                            let key = m.keys().nth(next(m.len())).cloned().unwrap();
                            let v = m.remove(&key).unwrap();
                            m.insert(format!("{key}x"), v);
                        }
                        (1, Value::Array(items)) if !items.is_empty() => {
                            items.remove(next(items.len()));
                        }
                        (_, slot) => *slot = from,
                    }
                }
            }
            let text = changed.to_string();
            if d == 0 {
                same::<Catalog>("catalog", &text);
            } else {
                same::<Contract>("contract", &text);
            }
        }
    }
}
