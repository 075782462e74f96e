//! `inflow check` on the fixture files: exit codes, the paths printed, the JSON output.

use std::path::PathBuf;
use std::process::{Command, Output};

fn fixture(name: &str) -> String {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("../tests/fixtures")
        .join(name)
        .display()
        .to_string()
}

fn check(args: &[&str]) -> (i32, String) {
    let Output { status, stdout, .. } = Command::new(env!("CARGO_BIN_EXE_inflow"))
        .arg("check")
        .args(args)
        .output()
        .unwrap();
    (status.code().unwrap(), String::from_utf8(stdout).unwrap())
}

#[test]
fn clean_manifests_pass_together() {
    let files =
        ["catalog", "contract", "policy", "users"].map(|f| fixture(&format!("good/{f}.json")));
    let (code, out) = check(&files.iter().map(String::as_str).collect::<Vec<_>>());
    assert_eq!(code, 0, "{out}");
    assert!(
        out.contains("ok: ") && out.contains("(catalog v2026-01-01)"),
        "{out}"
    );
    assert!(out.contains("(directory v1)"), "{out}");
}

#[test]
fn malformed_json_gives_line_and_column() {
    let f = fixture("bad/malformed.json");
    let (code, out) = check(&[&f]);
    assert_eq!(code, 1);
    assert!(out.contains("error[json_syntax]: malformed JSON"), "{out}");
    assert!(out.contains(&format!("  --> {f}:7:3")), "{out}");
    assert!(out.contains("1 problem in 1 file"), "{out}");
}

#[test]
fn semantic_faults_print_their_paths() {
    for (file, path, message) in [
        (
            "tier_bounds",
            "catalog.modules[3].plans[0].prices.USD.model.tiers[1].up_to",
            "must be greater than 1000 (the previous tier's bound), got 500",
        ),
        (
            "requires_cycle",
            "catalog.modules[2].requires[0]",
            "requires form a cycle: reports -> scheduler -> reports",
        ),
        (
            "threshold_above_budget",
            "contract.funding[0].auto_approve_up_to",
            "must not be above the budget's limit (3000), got 5000",
        ),
        (
            "unknown_field",
            "catalog.modules[0].colour",
            "unknown field `colour`",
        ),
    ] {
        let (code, out) = check(&[&fixture(&format!("bad/{file}.json"))]);
        assert_eq!(code, 1, "{file}: {out}");
        assert!(
            out.contains(&format!("error[manifest_invalid]: {path}: {message}")),
            "{file}: {out}"
        );
    }
}

#[test]
fn every_fault_is_reported_at_once() {
    let (code, out) = check(&[&fixture("bad/three_faults.json")]);
    assert_eq!(code, 1);
    for path in [
        "catalog.features[0].reset",
        "catalog.modules[2].id",
        "catalog.modules[0].plans[0].prices",
    ] {
        assert!(out.contains(&format!("]: {path}: ")), "{path}: {out}");
    }
    assert!(out.contains("3 problems in 1 file"), "{out}");
}

#[test]
fn json_output_is_machine_readable() {
    let (code, out) = check(&[
        "--json",
        &fixture("bad/three_faults.json"),
        &fixture("bad/unknown_field.json"),
    ]);
    assert_eq!(code, 1);
    let v: serde_json::Value = serde_json::from_str(&out).unwrap();
    let items = v.as_array().unwrap();
    assert_eq!(items.len(), 4, "{out}");
    let unknown = items
        .iter()
        .find(|i| i["path"] == "catalog.modules[0].colour")
        .unwrap();
    assert_eq!(unknown["code"], "manifest_invalid");
    assert_eq!(
        (unknown["line"].as_u64(), unknown["column"].as_u64()),
        (Some(78), Some(14))
    );
    assert!(items
        .iter()
        .all(|i| i["file"].as_str().is_some_and(|f| f.ends_with(".json"))));
}

#[test]
fn manifests_are_checked_against_each_other() {
    let (code, out) = check(&[
        &fixture("good/catalog.json"),
        &fixture("bad/threshold_above_budget.json"),
        &fixture("good/policy.json"),
    ]);
    assert_eq!(code, 1);
    assert!(
        out.contains("contract.funding[0].auto_approve_up_to"),
        "{out}"
    );
    assert!(
        out.contains("ok: ") && out.contains("good/policy.json (policy v1)"),
        "{out}"
    );
}

#[test]
fn odd_bytes_and_kinds_never_panic() {
    let (code, out) = check(&[&fixture("bad/not_utf8.json")]);
    assert_eq!(code, 1);
    assert!(
        out.contains("error[invalid_utf8]: is not UTF-8 text"),
        "{out}"
    );
    assert!(out.contains("not_utf8.json:2:15"), "{out}");
    let (code, out) = check(&[&fixture("bad/unknown_kind.json")]);
    assert_eq!(code, 1);
    assert!(out.contains("cannot tell which manifest this is"), "{out}");
    let (code, out) = check(&["--kind", "policy", &fixture("good/catalog.json")]);
    assert_eq!(code, 1);
    assert!(
        out.contains("policy.communities") || out.contains("error[manifest_invalid]: policy"),
        "{out}"
    );
    let (code, out) = check(&[&fixture("bad/no_such_file.json")]);
    assert_eq!(code, 1);
    assert!(out.contains("error[io_error]"), "{out}");
}

#[test]
fn the_demo_manifests_are_clean() {
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../manifests");
    let files: Vec<String> = ["catalog", "contract", "policy", "users"]
        .iter()
        .map(|f| dir.join(format!("{f}.json")).display().to_string())
        .collect();
    let (code, out) = check(&files.iter().map(String::as_str).collect::<Vec<_>>());
    assert_eq!(code, 0, "{out}");
    assert_eq!(
        out.lines().filter(|l| l.starts_with("ok: ")).count(),
        4,
        "{out}"
    );
}
