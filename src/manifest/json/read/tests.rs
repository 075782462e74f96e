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
fn same<T: DeserializeOwned + Read + PartialEq + Debug>(root: &str, text: &str) -> bool {
    let native = outcome(parse::<T>(root, text));
    let tree = outcome(parse_tree::<T>(root, text));
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
    agree_on_mutations::<Catalog>("catalog", include_str!("../../../../manifests/catalog.json"));
}

#[test]
fn contract_mutations_are_read_alike() {
    agree_on_mutations::<Contract>("contract", include_str!("../../../../manifests/contract.json"));
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
    // Malformed text, trailing text, an empty document.
    for bad in ["{", "{} x", "", "[1,]", "{\"a\" 1}"] {
        assert!(!same::<State>("state", bad), "{bad:?}");
    }
}

#[test]
fn paths_name_keys_and_indices_from_the_root() {
    let node: Node = serde_json::from_str(r#"{"a":[[1],[2,"x"]]}"#).unwrap();
    let e = from_node::<std::collections::BTreeMap<String, Vec<Vec<u32>>>>(&node).unwrap_err();
    assert_eq!(e.path, ".a[1][1]");
    assert!(e.message.contains("expected u32"), "{}", e.message);
    let e = from_node::<Vec<u32>>(&Node::Array(vec![Node::U64(1), Node::Null])).unwrap_err();
    assert_eq!(e.path, "[1]");
    let e = from_node::<u32>(&Node::Str("x".into())).unwrap_err();
    assert_eq!(e.path, "");
}
