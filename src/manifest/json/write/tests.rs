//! The writer against serde_json: the same text, byte for byte, for every result the
//! WebAssembly engine returns, over every demo user, and for the shapes and values the
//! results themselves do not reach (escapes, number extremes, every kind of enum variant).

use serde::Serialize;

use super::{to_string, Unwritable};
use crate::checkout::{ChargeKind, Intent, ManifestRef, ManifestRefs, Spend};
use crate::collections::Map;
use crate::engine::{Engine, State};
use crate::manifest::{Catalog, Contract, Directory, Manifests, Policy};
use crate::pricing::advisor::plans_of;
use crate::pricing::{AdviceRequest, Selection};
use crate::propensity::Model;
use crate::{Date, Instant};
use rust_decimal::Decimal;

/// Asserts both writers give the same text for `value`; counts the comparison.
fn same<T: Serialize>(value: &T, compared: &mut usize) {
    let ours = to_string(value).expect("results always have string keys");
    let theirs = serde_json::to_string(value).unwrap();
    assert_eq!(ours, theirs);
    *compared += 1;
}

fn demo() -> (Manifests, Directory, Model) {
    use serde_json::from_str as read;
    let catalog: Catalog = read(include_str!("../../../../manifests/catalog.json")).unwrap();
    let contract: Contract = read(include_str!("../../../../manifests/contract.json")).unwrap();
    let policy: Policy = read(include_str!("../../../../manifests/policy.json")).unwrap();
    let users: Directory = read(include_str!("../../../../manifests/users.json")).unwrap();
    let model: Model = read(include_str!("../../../../manifests/model.json")).unwrap();
    (
        Manifests::new(catalog, contract, policy).unwrap(),
        users,
        model,
    )
}

fn refs() -> ManifestRefs {
    let r = |v: &str| ManifestRef {
        version: v.into(),
        digest: "ab".repeat(32),
    };
    ManifestRefs {
        catalog: r("c"),
        contract: r("k"),
        policy: r("p"),
    }
}

#[test]
fn every_result_of_every_demo_session_is_written_as_serde_json_writes_it() {
    let (m, users, model) = demo();
    let now = Instant(Date::parse("2026-11-20").unwrap().start().0 + 36_000_000);
    let catalog = m.catalog().clone();
    let mut compared = 0;
    for user in &users.users {
        let mut e = Engine::new(
            m.clone(),
            user.clone(),
            State::default(),
            Some(model.clone()),
            refs(),
            Spend::default(),
        )
        .unwrap();
        same(&e.offers(10, now).unwrap(), &mut compared);
        same(&e.suggest(10, now), &mut compared);
        for f in &catalog.features {
            same(&e.check(&f.id, now).unwrap(), &mut compared);
        }
        for module in &catalog.modules {
            for plan in &module.plans {
                let selection = Selection {
                    module: module.id.clone(),
                    plan: Some(plan.id.clone()),
                    quantity: Some(Decimal::new(3, 0)),
                    transactions: vec![Decimal::new(12_550, 2)],
                    action: Default::default(),
                };
                if let Ok(q) = e.quote(vec![selection], now, None) {
                    same(&q, &mut compared);
                }
            }
            let candidates = plans_of(&m, &module.id, Decimal::ONE).unwrap();
            let request = AdviceRequest {
                currency: m.currency_for(user),
                date: now.date(),
                history: vec![Map::new(); 12],
                candidates,
                current: None,
            };
            if let Ok(advice) = e.advise(&request) {
                same(&advice, &mut compared);
            }
            for kind in [ChargeKind::Trial, ChargeKind::Purchase] {
                let intent = Intent {
                    id: format!("{}-{}-{kind:?}", user.id, module.id),
                    module: module.id.clone(),
                    plan: None,
                    quantity: None,
                    kind,
                    offer: Some(module.id.clone()),
                    surface: Some("crm-sidebar \"quoted\"\n".into()),
                };
                if let Ok(record) = e.checkout(&intent, now) {
                    same(&record, &mut compared);
                    if let Ok(grant) = e.apply(&record) {
                        same(&grant, &mut compared);
                    }
                }
            }
        }
        for f in &catalog.features {
            if let Ok(check) = e.record_usage(&f.id, Decimal::ONE, now) {
                same(&check, &mut compared);
            }
        }
        if let Some(first) = catalog.modules.first() {
            let _ = e.dismiss(&first.id, now);
        }
        same(&e.owned(now), &mut compared);
        same(&e.state(), &mut compared);
    }
    assert!(compared > 500, "only {compared} results compared");
}

#[derive(Serialize)]
#[serde(rename_all = "snake_case")]
enum Shapes {
    Unit,
    Newtype(i32),
    Tuple(u8, String),
    Struct { a: Option<f64>, b: Vec<char> },
}

#[derive(Serialize)]
#[serde(tag = "type", rename_all = "snake_case")]
enum Tagged {
    One { x: i64 },
    Two,
}

#[derive(Serialize)]
struct Everything {
    strings: Vec<String>,
    floats: Vec<f64>,
    single: Vec<f32>,
    ints: (i8, i16, i32, i64, u8, u16, u32, u64),
    unit: (),
    shapes: Vec<Shapes>,
    tagged: Vec<Tagged>,
    map: Map<String, Vec<Option<bool>>>,
    bytes: serde_bytes_like::Bytes,
}

/// `serialize_bytes`, which serde_json writes as an array of numbers.
mod serde_bytes_like {
    pub struct Bytes(pub Vec<u8>);
    impl serde::Serialize for Bytes {
        fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
            s.serialize_bytes(&self.0)
        }
    }
}

#[test]
fn escapes_numbers_and_every_kind_of_variant_are_written_as_serde_json_writes_them() {
    let every_ascii: String = (0u8..=127).map(char::from).collect();
    let mut map = Map::new();
    map.insert(
        "k\"ey\u{1}".to_string(),
        vec![Some(true), None, Some(false)],
    );
    map.insert("é 漢 🦀".to_string(), vec![]);
    let value = Everything {
        strings: vec![
            every_ascii,
            String::new(),
            "plain".into(),
            "</script><b>x</b>\u{7f}\u{80}\u{2028}é漢🦀".into(),
        ],
        floats: vec![
            0.0,
            -0.0,
            1.0,
            0.1,
            -2.5,
            1e21,
            1.5e-7,
            123_456_789.012_345_68,
            f64::MAX,
            f64::MIN_POSITIVE,
            5e-324,
            f64::NAN,
            f64::INFINITY,
            f64::NEG_INFINITY,
        ],
        single: vec![0.1, 1.0, f32::MAX, f32::NAN],
        ints: (
            i8::MIN,
            i16::MIN,
            i32::MIN,
            i64::MIN,
            u8::MAX,
            u16::MAX,
            u32::MAX,
            u64::MAX,
        ),
        unit: (),
        shapes: vec![
            Shapes::Unit,
            Shapes::Newtype(-7),
            Shapes::Tuple(0, "t".into()),
            Shapes::Struct {
                a: Some(0.5),
                b: vec!['"', '\n', 'z'],
            },
            Shapes::Struct { a: None, b: vec![] },
        ],
        tagged: vec![Tagged::One { x: 0 }, Tagged::Two],
        map,
        bytes: serde_bytes_like::Bytes(vec![0, 1, 255]),
    };
    let mut compared = 0;
    same(&value, &mut compared);
    same(&Vec::<u8>::new(), &mut compared);
    same(&Map::<String, u8>::new(), &mut compared);
    same(&Option::<u8>::None, &mut compared);
    same(&Decimal::new(-123_456, 3), &mut compared);
}

#[test]
fn a_map_key_that_is_not_a_string_is_refused_not_written() {
    let mut map = Map::new();
    map.insert(1u32, "one");
    assert!(matches!(to_string(&map), Err(Unwritable)));
    // serde_json quotes integer keys; the results never have any, and the writer says so
    // rather than writing JSON that names the key differently.
    assert!(serde_json::to_string(&map).is_ok());
}
