//! server/openapi.yaml parses and describes every route the server has.

#[test]
fn openapi_parses_and_lists_every_route() {
    let text =
        std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/openapi.yaml")).unwrap();
    let doc: serde_yaml::Value = serde_yaml::from_str(&text).unwrap();
    let paths = doc["paths"].as_mapping().unwrap();
    for route in [
        "/v1/me/manifests",
        "/v1/me/entitlements",
        "/v1/me/token",
        "/v1/charges",
        "/v1/charges/{id}/cancel",
        "/v1/charges.json",
        "/v1/charges.csv",
        "/v1/approvals",
        "/v1/approvals/{id}/approve",
        "/v1/approvals/{id}/deny",
        "/v1/demo/token",
    ] {
        assert!(
            paths.contains_key(route),
            "{route} is missing from openapi.yaml"
        );
    }
    let routes =
        std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/src/http/api.rs")).unwrap();
    for key in paths.keys() {
        let k = key.as_str().unwrap();
        assert!(
            routes.contains(&format!("\"{k}\"")),
            "{k} is documented but not routed"
        );
    }
}

#[test]
fn the_cancellation_schema_lists_every_field_the_server_answers() {
    use inflow_server::card::CardRefund;
    use inflow_server::charging::cancel::Cancellation;
    let text =
        std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/openapi.yaml")).unwrap();
    let doc: serde_yaml::Value = serde_yaml::from_str(&text).unwrap();
    let schema = &doc["components"]["schemas"]["Cancellation"];
    let day = inflow::Date::parse("2026-12-05").unwrap();
    let full = Cancellation {
        charge_id: "c-1".into(),
        status: "cancelled".into(),
        cancelled_on: day,
        credit: rust_decimal::Decimal::new(540, 2),
        currency: "USD".into(),
        source: "card".into(),
        unused: inflow::Period::new(day, day.plus_days(15)).ok(),
        unused_days: 15,
        period_days: 30,
        text: "5.40 USD refunded".into(),
        refund: Some(CardRefund {
            reference: "re_1".into(),
            payment: "pi_1".into(),
            amount: rust_decimal::Decimal::new(540, 2),
            currency: "USD".into(),
        }),
    };
    let answered = serde_json::to_value(&full).unwrap();
    let properties = schema["properties"].as_mapping().unwrap();
    for key in answered.as_object().unwrap().keys() {
        assert!(
            properties.contains_key(key.as_str()),
            "Cancellation.{key} is answered but not in openapi.yaml"
        );
    }
    let refund = schema["properties"]["refund"]["properties"]
        .as_mapping()
        .unwrap();
    for key in answered["refund"].as_object().unwrap().keys() {
        assert!(
            refund.contains_key(key.as_str()),
            "refund.{key} is not in openapi.yaml"
        );
    }
    let minimal = Cancellation {
        unused: None,
        refund: None,
        ..full
    };
    let answered = serde_json::to_value(&minimal).unwrap();
    for key in schema["required"].as_sequence().unwrap() {
        let key = key.as_str().unwrap();
        assert!(
            answered.get(key).is_some(),
            "{key} is required but not always answered"
        );
    }
}
