//! The real binary killed with SIGKILL in the middle of 5,000 purchases from concurrent
//! clients that keep an outbox, restarted on the same ledger (SQLite, and PostgreSQL when
//! `INFLOW_TEST_POSTGRES` is set), the outboxes retried:
//! every purchase recorded exactly once, none lost, none doubled, the budget drawn by
//! exactly their sum.

mod common;

use std::collections::BTreeSet;
use std::io::{BufRead, BufReader};
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::str::FromStr;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;
use std::time::Duration;

use inflow_server::bench;
use rust_decimal::Decimal;
use sqlx::{Connection, Row};
use tokio::sync::RwLock;

const PURCHASES: usize = 5000;
const CLIENTS: usize = 32;
const SECRET: &str = "crash-secret";

/// Starts `inflow serve` on a free port and returns it with its base URL.
fn start(root: &Path, manifests: &Path, database: &str) -> (Child, String) {
    let mut child = Command::new(env!("CARGO_BIN_EXE_inflow"))
        .args(["serve", "--addr", "127.0.0.1:0", "--database", database])
        .arg("--root")
        .arg(root)
        .arg("--manifests")
        .arg(manifests)
        .env("INFLOW_SECRET", SECRET)
        .current_dir(root)
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let mut lines = BufReader::new(child.stdout.take().unwrap()).lines();
    let line = lines
        .next()
        .expect("the server exited before listening")
        .unwrap();
    let url = line
        .split_whitespace()
        .find(|w| w.starts_with("http://"))
        .unwrap()
        .trim_end_matches("/demo/")
        .to_string();
    // Keep draining stdout so the server never blocks on a full pipe.
    std::thread::spawn(move || lines.for_each(drop));
    (child, url)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn sigkill_in_the_middle_of_5000_purchases_loses_and_doubles_nothing() {
    let dir = tempfile::tempdir().unwrap();
    for database in common::databases(dir.path()).await {
        kill_and_resume(dir.path(), &database).await;
    }
}

async fn kill_and_resume(dir: &Path, database: &str) {
    let db = common::label(database);
    let manifests = dir.join("manifests");
    bench::write_fixture(
        &common::demo_manifests(),
        &manifests,
        bench::SOURCE,
        Decimal::from(100_000_000),
        PURCHASES,
    )
    .unwrap();
    let boxes =
        bench::outboxes(&manifests, SECRET.as_bytes(), "crash", PURCHASES, CLIENTS).unwrap();
    let price = boxes[0].pending[0].1.total;
    let expected: BTreeSet<String> = boxes
        .iter()
        .flat_map(|b| b.pending.iter().map(|(_, r)| r.id.clone()))
        .collect();
    assert_eq!(expected.len(), PURCHASES);

    let (mut server, url) = start(dir, &manifests, database);
    let target = Arc::new(RwLock::new(url));
    let acked = Arc::new(AtomicUsize::new(0));
    let clients = tokio::spawn(bench::drive(target.clone(), boxes, acked.clone()));

    // Kill it in the middle, while requests are in flight.
    while acked.load(Ordering::Relaxed) < PURCHASES * 2 / 5 {
        tokio::time::sleep(Duration::from_millis(5)).await;
    }
    server.kill().unwrap(); // SIGKILL
    let status = server.wait().unwrap();
    let at_kill = acked.load(Ordering::Relaxed);
    assert!(status.code().is_none(), "killed by a signal, not {status}");
    assert!(at_kill < PURCHASES, "the kill came after the last purchase");
    tokio::time::sleep(Duration::from_millis(300)).await;

    let (mut server, url) = start(dir, &manifests, database);
    *target.write().await = url;
    let report = tokio::time::timeout(Duration::from_secs(600), clients)
        .await
        .expect("the clients did not finish within 10 minutes")
        .unwrap();
    server.kill().unwrap();
    let _ = server.wait();

    assert_eq!(report.refused, 0, "{db}: {:?}", report.first_refusal);
    assert!(report.retries > 0, "{db}: no client saw the server go away");
    assert_eq!(report.created + report.replayed, PURCHASES);
    let acknowledged: BTreeSet<String> = report.acknowledged.iter().cloned().collect();
    assert_eq!(acknowledged, expected, "every purchase acknowledged");

    sqlx::any::install_default_drivers();
    let mut conn = sqlx::AnyConnection::connect(database).await.unwrap();
    let rows = sqlx::query("SELECT id, status, total FROM charges")
        .fetch_all(&mut conn)
        .await
        .unwrap();
    assert_eq!(rows.len(), PURCHASES, "{db}: one row per purchase");
    let ids: BTreeSet<String> = rows.iter().map(|r| r.get::<String, _>(0)).collect();
    assert_eq!(ids, expected, "the recorded ids are the purchases' ids");
    assert!(rows.iter().all(|r| r.get::<String, _>(1) == "recorded"));
    let sum: Decimal = rows
        .iter()
        .map(|r| Decimal::from_str(&r.get::<String, _>(2)).unwrap())
        .sum();
    assert_eq!(sum, price * Decimal::from(PURCHASES as u64));
    let spent: Vec<String> =
        sqlx::query("SELECT spent FROM budget_spend WHERE source = $1 AND user_id = ''")
            .bind(bench::SOURCE)
            .fetch_all(&mut conn)
            .await
            .unwrap()
            .iter()
            .map(|r| r.get(0))
            .collect();
    assert_eq!(spent.len(), 1, "one budget period");
    assert_eq!(
        Decimal::from_str(&spent[0]).unwrap(),
        sum,
        "the budget drawn by exactly the sum"
    );
    let grants: i64 = sqlx::query("SELECT COUNT(*) FROM grants")
        .fetch_one(&mut conn)
        .await
        .unwrap()
        .get(0);
    assert_eq!(grants, PURCHASES as i64, "{db}: one grant per purchase");
}
