//! `inflow history`, `inflow train` and `inflow eval` run as a user runs them, on small
//! fixtures.

use std::path::{Path, PathBuf};
use std::process::Command;

use inflow::manifest::Catalog;
use inflow::propensity::Model;

fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("..")
}

fn inflow(args: &[&str]) -> std::process::Output {
    Command::new(env!("CARGO_BIN_EXE_inflow"))
        .current_dir(root())
        .args(args)
        .output()
        .unwrap()
}

fn catalog() -> Catalog {
    let text = std::fs::read_to_string(root().join("manifests/catalog.json")).unwrap();
    inflow::manifest::json::from_str("catalog", &text).unwrap()
}

fn train(out: &Path, extra: &[&str]) -> String {
    let mut args = vec![
        "train",
        "--data",
        "tests/fixtures/history/small.csv",
        "--out",
        out.to_str().unwrap(),
    ];
    args.extend_from_slice(extra);
    let o = inflow(&args);
    let err = String::from_utf8_lossy(&o.stderr).into_owned();
    assert!(o.status.success(), "{err}");
    err
}

#[test]
fn the_committed_demo_model_loads_and_passes_the_catalog() {
    let text = std::fs::read_to_string(root().join("manifests/model.json")).unwrap();
    assert!(text.len() <= 50 * 1024, "{} bytes", text.len());
    let model: Model = inflow::manifest::json::from_str("model", &text).unwrap();
    model.check(&catalog()).unwrap();
    let w = &model
        .modules
        .get("advanced-reports")
        .expect("advanced-reports")
        .weights;
    assert!(
        w.get("reports.export.limit_hits_30d")
            .copied()
            .unwrap_or_default()
            > 0.0,
        "{w:?}"
    );
}

#[test]
fn training_twice_with_a_seed_gives_the_same_bytes() {
    let dir = tempfile::tempdir().unwrap();
    let (a, b) = (dir.path().join("a.json"), dir.path().join("b.json"));
    let err = train(&a, &["--seed", "9"]);
    assert!(err.contains("KB"), "{err}");
    train(&b, &["--seed", "9"]);
    let (a, b) = (std::fs::read(a).unwrap(), std::fs::read(b).unwrap());
    assert_eq!(a, b);
    let model: Model = serde_json::from_slice(&a).unwrap();
    assert_eq!(model.seed, Some(9));
    model.check(&catalog()).unwrap();
}

#[test]
fn history_is_deterministic() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("h.csv");
    let o = inflow(&[
        "history",
        "--users",
        "300",
        "--seed",
        "3",
        "--out",
        out.to_str().unwrap(),
    ]);
    assert!(o.status.success());
    let fixture = std::fs::read(root().join("tests/fixtures/history/small.csv")).unwrap();
    assert_eq!(std::fs::read(out).unwrap(), fixture);
}

#[test]
fn a_bad_csv_names_row_and_column() {
    let dir = tempfile::tempdir().unwrap();
    let bad = dir.path().join("bad.csv");
    std::fs::write(
        &bad,
        "account,bought_next,reports.export.count_30d\na,none,3\nb,sandbox,three\n",
    )
    .unwrap();
    let o = inflow(&[
        "train",
        "--data",
        bad.to_str().unwrap(),
        "--out",
        "/dev/null",
    ]);
    assert!(!o.status.success());
    let err = String::from_utf8_lossy(&o.stderr);
    assert!(
        err.contains("row 2, column \"reports.export.count_30d\""),
        "{err}"
    );
    assert!(err.contains("expected a number"), "{err}");
    std::fs::write(&bad, "account,bought_next\na,none,3\n").unwrap();
    let o = inflow(&[
        "train",
        "--data",
        bad.to_str().unwrap(),
        "--out",
        "/dev/null",
    ]);
    let err = String::from_utf8_lossy(&o.stderr);
    assert!(err.contains("row 1: has 3 fields, expected 2"), "{err}");
}

#[test]
fn eval_reports_the_model_against_the_baselines() {
    let o = inflow(&[
        "eval",
        "--data",
        "tests/fixtures/history/small.csv",
        "--model",
        "manifests/model.json",
        "--json",
    ]);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let v: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    let methods: Vec<&str> = v["methods"]
        .as_array()
        .unwrap()
        .iter()
        .map(|m| m["method"].as_str().unwrap())
        .collect();
    assert_eq!(methods, ["model", "given model", "popularity", "random"]);
    let auc = |i: usize| v["methods"][i]["auc"].as_f64().unwrap();
    assert!(auc(0) > auc(3), "model {} vs random {}", auc(0), auc(3));
    let o = inflow(&[
        "eval",
        "--data",
        "tests/fixtures/history/small.csv",
        "--split",
        "time",
        "--time",
        "region",
    ]);
    let err = String::from_utf8_lossy(&o.stderr);
    assert!(err.contains("column \"region\": expected a date"), "{err}");
}
