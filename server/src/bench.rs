//! The load benchmark's parts, shared by `inflow bench-load` and the tests: manifests with
//! a budget large enough for a run and as many buyers as purchases (one owns a module
//! once: the server refuses a second purchase of it), charge records built as the browser
//! builds them (with `checkout::prepare`), and concurrent clients that keep an outbox and
//! retry every record until it is acknowledged, measuring each request's latency.

use std::path::Path;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant as WallInstant};

use anyhow::Context as _;
use inflow::checkout::{prepare, ChargeKind, ChargeRecord, Context, Intent, Spend};
use rust_decimal::Decimal;
use serde_json::Value;
use tokio::sync::RwLock;

use crate::auth::{self, Claims};
use crate::{clock, state};

/// The funding source the benchmark draws down.
pub const SOURCE: &str = "sales-ops";
/// The module every benchmark charge buys.
pub const MODULE: &str = "advanced-reports";
/// The id of generated buyer `i` (a sales rep in the US).
pub fn buyer(i: usize) -> String {
    format!("u-load-{i:06}")
}

/// Copies the manifests of `src` (catalog, contract, policy, users) to `dst`, with the
/// budget `source` given `limit`, auto-approval up to that limit and no per-user cap (the
/// validation rule holds: neither is above the limit), and `buyers` generated sales reps
/// ([`buyer`]) added to the users.
///
/// # Errors
/// When a file cannot be read or written, or the contract has no such budget.
pub fn write_fixture(
    src: &Path,
    dst: &Path,
    source: &str,
    limit: Decimal,
    buyers: usize,
) -> anyhow::Result<()> {
    std::fs::create_dir_all(dst)
        .with_context(|| format!("cannot create {}: pick a writable directory", dst.display()))?;
    let mut found = false;
    for name in ["catalog", "policy", "users", "contract"] {
        let from = src.join(format!("{name}.json"));
        let mut text = std::fs::read_to_string(&from).with_context(|| {
            format!(
                "cannot read {}: pass --manifests DIR with the four manifests",
                from.display()
            )
        })?;
        if name == "contract" {
            let mut v: Value = serde_json::from_str(&text)
                .with_context(|| format!("{} is not JSON: run `inflow check`", from.display()))?;
            for f in v["funding"].as_array_mut().into_iter().flatten() {
                if f["id"] == source {
                    found = true;
                    f["limit"] = Value::String(limit.to_string());
                    f["auto_approve_up_to"] = Value::String(limit.to_string());
                    if let Some(o) = f.as_object_mut() {
                        o.remove("per_user_cap");
                    }
                }
            }
            text = serde_json::to_string_pretty(&v)?;
        }
        if name == "users" {
            let mut v: Value = serde_json::from_str(&text)
                .with_context(|| format!("{} is not JSON: run `inflow check`", from.display()))?;
            if let Some(list) = v["users"].as_array_mut() {
                list.extend((0..buyers).map(|i| {
                    serde_json::json!({
                        "id": buyer(i),
                        "name": format!("Load buyer {i}"),
                        "attributes": {"department": "sales", "role": "rep", "region": "US", "team": "load"}
                    })
                }));
            }
            text = serde_json::to_string(&v)?;
        }
        let to = dst.join(format!("{name}.json"));
        std::fs::write(&to, text)
            .with_context(|| format!("cannot write {}: check the permissions", to.display()))?;
    }
    anyhow::ensure!(
        found,
        "the contract has no funding source {source:?}: use manifests with that budget"
    );
    Ok(())
}

/// One client's share of the work: the records of its outbox, each with its buyer's
/// session token.
#[derive(Debug, Clone)]
pub struct Outbox {
    /// (token, record) not acknowledged yet, in order.
    pub pending: Vec<(String, ChargeRecord)>,
}

/// `n` purchases of [`MODULE`], purchase `i` by buyer [`buyer`]`(i)` (the manifests in
/// `dir` must have them: [`write_fixture`]), built with `checkout::prepare` as the browser
/// would, with ids `{prefix}-{i}`, split into `clients` outboxes; tokens signed with
/// `secret`.
///
/// # Errors
/// When the manifests cannot be loaded, or the core refuses to prepare a purchase.
pub fn outboxes(
    dir: &Path,
    secret: &[u8],
    prefix: &str,
    n: usize,
    clients: usize,
) -> anyhow::Result<Vec<Outbox>> {
    let (manifests, refs, users) = state::load_manifests(dir)?;
    let clients = clients.max(1);
    let now = clock::now();
    let mut boxes = vec![
        Outbox {
            pending: Vec::new()
        };
        clients
    ];
    for i in 0..n {
        let id = buyer(i);
        let user = users.user(&id).with_context(|| {
            format!("user {id} is not in the directory: use manifests from bench::write_fixture")
        })?;
        let token = auth::mint(secret, &Claims::for_user(user, clock::now_secs() + 86_400))?;
        let ctx = Context {
            manifests: &manifests,
            user,
            grants: &[],
            spend: &Spend::default(),
            refs: &refs,
            now,
        };
        let record = prepare(
            &ctx,
            &Intent {
                id: format!("{prefix}-{i:06}"),
                module: MODULE.into(),
                plan: None,
                quantity: None,
                kind: ChargeKind::Purchase,
                offer: Some(MODULE.into()),
                surface: Some("bench".into()),
            },
        )
        .with_context(|| format!("cannot prepare a purchase of {MODULE} for {id}"))?;
        boxes[i % clients].pending.push((token, record));
    }
    Ok(boxes)
}

/// What a run of clients saw.
#[derive(Debug, Clone, Default)]
pub struct Report {
    /// Records acknowledged with 201 (recorded now).
    pub created: usize,
    /// Records acknowledged with 200 (a replay of one recorded earlier).
    pub replayed: usize,
    /// Attempts that failed (connection refused or reset, 5xx) and were retried.
    pub retries: usize,
    /// Records refused (4xx): dropped from the outbox, with the first refusal's body.
    pub refused: usize,
    /// The first refusal seen, if any.
    pub first_refusal: Option<String>,
    /// Wall time of the run.
    pub elapsed: Duration,
    /// Latency of every acknowledged request, sorted.
    pub latencies: Vec<Duration>,
    /// The ids acknowledged, in no order.
    pub acknowledged: Vec<String>,
}

impl Report {
    /// Acknowledged records per second.
    pub fn rate(&self) -> f64 {
        let secs = self.elapsed.as_secs_f64();
        if secs > 0.0 {
            (self.created + self.replayed) as f64 / secs
        } else {
            0.0
        }
    }

    /// The latency at quantile `q` (0.5 for the median), zero without data.
    pub fn quantile(&self, q: f64) -> Duration {
        if self.latencies.is_empty() {
            return Duration::ZERO;
        }
        let last = self.latencies.len() - 1;
        let i = ((last as f64) * q.clamp(0.0, 1.0)).round() as usize;
        self.latencies[i.min(last)]
    }
}

/// Where the clients send: swapped when the server moves (a restart on another port).
pub type Target = Arc<RwLock<String>>;

/// Runs one task per outbox against `target` (`http://HOST:PORT`): each sends its records
/// in order and drops a record only when the server acknowledges it (200 or 201) or
/// refuses it (4xx); on a connection error or a 5xx it waits a little and sends the same
/// record again, as the browser's outbox does. `acked` counts acknowledgements as they
/// come (the crash test watches it).
pub async fn drive(target: Target, boxes: Vec<Outbox>, acked: Arc<AtomicUsize>) -> Report {
    let client = reqwest::Client::builder()
        .pool_max_idle_per_host(boxes.len())
        .timeout(Duration::from_secs(30))
        .build()
        .unwrap_or_default();
    let started = WallInstant::now();
    let tasks: Vec<_> = boxes
        .into_iter()
        .map(|outbox| {
            let client = client.clone();
            let target = target.clone();
            let acked = acked.clone();
            tokio::spawn(async move { run_outbox(client, target, outbox, acked).await })
        })
        .collect();
    let mut total = Report::default();
    for task in tasks {
        let Ok(r) = task.await else { continue };
        total.created += r.created;
        total.replayed += r.replayed;
        total.retries += r.retries;
        total.refused += r.refused;
        if total.first_refusal.is_none() {
            total.first_refusal = r.first_refusal;
        }
        total.latencies.extend(r.latencies);
        total.acknowledged.extend(r.acknowledged);
    }
    total.elapsed = started.elapsed();
    total.latencies.sort_unstable();
    total
}

async fn run_outbox(
    client: reqwest::Client,
    target: Target,
    outbox: Outbox,
    acked: Arc<AtomicUsize>,
) -> Report {
    let mut report = Report::default();
    for (token, record) in &outbox.pending {
        loop {
            let url = format!("{}/v1/charges", target.read().await);
            let t = WallInstant::now();
            let sent = client
                .post(&url)
                .bearer_auth(token)
                .json(record)
                .send()
                .await;
            let status = match sent {
                Ok(resp) => {
                    let status = resp.status().as_u16();
                    let body = resp.text().await;
                    match body {
                        Ok(body) if (400..500).contains(&status) => {
                            report.refused += 1;
                            report.first_refusal.get_or_insert(body);
                            break;
                        }
                        Ok(_) => status,
                        Err(_) => 0,
                    }
                }
                Err(_) => 0,
            };
            match status {
                200 | 201 => {
                    report.latencies.push(t.elapsed());
                    if status == 201 {
                        report.created += 1;
                    } else {
                        report.replayed += 1;
                    }
                    report.acknowledged.push(record.id.clone());
                    acked.fetch_add(1, Ordering::Relaxed);
                    break;
                }
                _ => {
                    report.retries += 1;
                    tokio::time::sleep(Duration::from_millis(20)).await;
                }
            }
        }
    }
    report
}
