//! The committed JSON Schemas match what the manifest types generate.

use std::path::Path;

#[test]
fn committed_schemas_match_the_types() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("manifests/schema");
    let mut stale = Vec::new();
    for (name, text) in inflow::manifest::schema::files().unwrap() {
        let on_disk = std::fs::read_to_string(dir.join(name)).unwrap_or_default();
        if on_disk != text {
            stale.push(name);
        }
    }
    assert!(
        stale.is_empty(),
        "manifests/schema is out of date ({}): regenerate it with\n\n    cargo run -p inflow-server -- schema --out manifests/schema\n",
        stale.join(", ")
    );
}
