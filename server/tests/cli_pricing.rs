//! `inflow price` and `inflow quote` as a user runs them.

use std::io::Write;
use std::process::{Command, Output, Stdio};

fn inflow(args: &[&str], stdin: &str) -> Output {
    let mut child = Command::new(env!("CARGO_BIN_EXE_inflow"))
        .args(args)
        .current_dir(concat!(env!("CARGO_MANIFEST_DIR"), "/.."))
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    child
        .stdin
        .take()
        .unwrap()
        .write_all(stdin.as_bytes())
        .unwrap();
    child.wait_with_output().unwrap()
}

#[test]
fn price_prints_exact_and_rounded_amounts() {
    let out = inflow(
        &["price"],
        r#"{"price":{"model":{"type":"package","size":"25","price":"20.00"}},"quantity":"60","currency":"USD"}"#,
    );
    assert!(out.status.success());
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    // 60 envelopes = 3 packs of 25 x 20.00 = 60.00
    assert_eq!(v["amount"], "60.00");
    assert_eq!(v["rounded"], "60.00");
    assert_eq!(v["currency"], "USD");
}

#[test]
fn price_refuses_bad_input_naming_where() {
    let out = inflow(
        &["price"],
        r#"{"price":{"model":{"type":"per_unit","unit_price":"1"}},"quantity":"-3","currency":"USD"}"#,
    );
    assert_eq!(out.status.code(), Some(1));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("input.quantity"), "{err}");
    assert!(err.contains("cannot be negative"), "{err}");
    let out = inflow(&["price"], "{not json");
    assert_eq!(out.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&out.stderr).contains("line 1"));
}

#[test]
fn quote_on_the_demo_manifests() {
    let out = inflow(
        &[
            "quote",
            "--manifests",
            "manifests",
            "--user",
            "u-rep-01",
            "--select",
            "pipeline-forecasting=25",
            "--select",
            "conversation-insights=12500",
            "--date",
            "2026-06-19",
            "--prorate-to",
            "2026-07-01",
        ],
        "",
    );
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    // 25 x 25.00 less 10 % x 12/30 = 225.00; 12,500 minutes = 370.00 (usage, not prorated)
    assert_eq!(v["lines"][0]["net_amount"], "225.00");
    assert_eq!(v["lines"][1]["net_amount"], "370.00");
    assert_eq!(v["total"], "595.00");
    assert_eq!(v["currency"], "USD");

    let out = inflow(
        &[
            "quote",
            "--manifests",
            "manifests",
            "--user",
            "u-rep-de-01",
            "--select",
            "pipeline-forecasting=1",
            "--date",
            "2026-06-19",
            "--text",
        ],
        "",
    );
    assert!(out.status.success());
    assert!(String::from_utf8_lossy(&out.stdout).contains("EUR"));

    let out = inflow(
        &[
            "quote",
            "--manifests",
            "manifests",
            "--user",
            "u-rep-01",
            "--select",
            "no-such-module",
            "--date",
            "2026-06-19",
        ],
        "",
    );
    assert_eq!(out.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&out.stderr).contains("unknown_module"));
}
