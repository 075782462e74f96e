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
