//! `inflow bench-load`: verified charges per second with concurrent clients, and their
//! latency. Without `--url` it starts the server in this process on a fresh ledger
//! (`--database`, SQLite in a temporary directory by default) with manifests whose budget
//! fits the whole run.

use std::path::PathBuf;
use std::process::ExitCode;
use std::sync::atomic::AtomicUsize;
use std::sync::Arc;

use anyhow::Context;
use inflow_server::{app, bench};
use rust_decimal::Decimal;
use tokio::sync::RwLock;

/// Arguments of `inflow bench-load`.
#[derive(clap::Args)]
pub struct Args {
    /// A running server (`http://HOST:PORT`), started with `--manifests` written by a
    /// run here (the sales-ops budget with room for the run, one buyer per charge) and the
    /// same `--secret`; default: start one here.
    #[arg(long)]
    pub url: Option<String>,
    /// The ledger of the server started here: sqlite://PATH or postgres://… (a fresh one).
    #[arg(long)]
    pub database: Option<String>,
    /// Concurrent clients.
    #[arg(long, default_value_t = 32)]
    pub clients: usize,
    /// Charges in all.
    #[arg(long, default_value_t = 5000)]
    pub requests: usize,
    /// The manifests the charges are built from (a server started here gets a copy with
    /// a budget large enough).
    #[arg(long, default_value = "manifests")]
    pub manifests: PathBuf,
    /// The token secret of the server at --url.
    #[arg(long, env = "INFLOW_SECRET", hide_env_values = true)]
    pub secret: Option<String>,
}

/// Runs `inflow bench-load`.
pub fn run(args: Args) -> anyhow::Result<ExitCode> {
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()?;
    runtime.block_on(bench_load(args))
}

async fn bench_load(args: Args) -> anyhow::Result<ExitCode> {
    anyhow::ensure!(
        args.clients > 0 && args.requests > 0,
        "--clients and --requests must be above zero"
    );
    let work = std::env::temp_dir().join(format!("inflow-bench-{}", std::process::id()));
    let result = measure(&args, &work).await;
    let _ = std::fs::remove_dir_all(&work);
    let (report, database) = result?;
    let ms = |d: std::time::Duration| d.as_secs_f64() * 1000.0;
    println!(
        "bench-load: {} charges by {} clients on {database} in {:.2} s: {:.0} charges/s; latency p50 {:.1} ms, p99 {:.1} ms, max {:.1} ms",
        report.created + report.replayed,
        args.clients,
        report.elapsed.as_secs_f64(),
        report.rate(),
        ms(report.quantile(0.5)),
        ms(report.quantile(0.99)),
        ms(report.quantile(1.0)),
    );
    if report.refused > 0 {
        eprintln!(
            "bench-load: {} charges were refused; the first: {}; check that the server's manifests give the budget room for the run",
            report.refused,
            report.first_refusal.unwrap_or_default()
        );
        return Ok(ExitCode::from(1));
    }
    Ok(ExitCode::SUCCESS)
}

async fn measure(args: &Args, work: &std::path::Path) -> anyhow::Result<(bench::Report, String)> {
    let prefix = format!(
        "bench-{}-{}",
        std::process::id(),
        inflow_server::clock::now().0
    );
    if let Some(url) = &args.url {
        let secret = args
            .secret
            .as_deref()
            .context("--url needs the server's token secret: pass --secret or set INFLOW_SECRET")?;
        let boxes = bench::outboxes(
            &args.manifests,
            secret.as_bytes(),
            &prefix,
            args.requests,
            args.clients,
        )?;
        let target = Arc::new(RwLock::new(url.trim_end_matches('/').to_string()));
        let report = bench::drive(target, boxes, Arc::new(AtomicUsize::new(0))).await;
        return Ok((report, url.clone()));
    }
    let manifests = work.join("manifests");
    bench::write_fixture(
        &args.manifests,
        &manifests,
        bench::SOURCE,
        Decimal::from(1_000_000_000_000_i64),
        args.requests,
    )?;
    let mut config = app::Config::for_root(work);
    config.manifests = manifests.clone();
    config.secret = Some("bench-secret".into());
    config.database = args
        .database
        .clone()
        .unwrap_or_else(|| format!("sqlite://{}", work.join("ledger.sqlite").display()));
    let router = app::router(&config).await?;
    let (listener, addr) = app::bind(([127, 0, 0, 1], 0).into()).await?;
    let (stop, stopped) = tokio::sync::oneshot::channel::<()>();
    let server = tokio::spawn(app::serve(listener, router, async move {
        let _ = stopped.await;
    }));
    let boxes = bench::outboxes(
        &manifests,
        b"bench-secret",
        &prefix,
        args.requests,
        args.clients,
    )?;
    let target = Arc::new(RwLock::new(format!("http://{addr}")));
    let report = bench::drive(target, boxes, Arc::new(AtomicUsize::new(0))).await;
    let _ = stop.send(());
    let _ = server.await;
    let kind = if config.database.starts_with("postgres") {
        "PostgreSQL"
    } else {
        "SQLite"
    };
    Ok((report, kind.to_string()))
}
