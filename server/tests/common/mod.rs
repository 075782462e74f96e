//! Starting the server in-process on 127.0.0.1:0 for the integration tests.
#![allow(dead_code)]

pub mod records;

use std::net::SocketAddr;
use std::path::Path;

use inflow_server::app;
use tokio::sync::oneshot;
use tokio::task::JoinHandle;

/// A running server.
pub struct Server {
    pub addr: SocketAddr,
    stop: oneshot::Sender<()>,
    task: JoinHandle<anyhow::Result<()>>,
}

impl Server {
    pub fn url(&self, path: &str) -> String {
        format!("http://{}{path}", self.addr)
    }

    /// Stops it gracefully and waits.
    pub async fn stop(self) {
        let _ = self.stop.send(());
        self.task.await.unwrap().unwrap();
    }
}

async fn start(router: axum::Router) -> Server {
    let (listener, addr) = app::bind("127.0.0.1:0".parse().unwrap()).await.unwrap();
    let (stop, rx) = oneshot::channel::<()>();
    let task = tokio::spawn(app::serve(listener, router, async move {
        let _ = rx.await;
    }));
    Server { addr, stop, task }
}

/// The repository's demo manifests.
pub fn demo_manifests() -> std::path::PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../manifests")
}

/// The databases every storage test runs on: a SQLite file under `dir`, and, when
/// `INFLOW_TEST_POSTGRES` names a PostgreSQL server (scripts/pg-test.sh starts one), a
/// fresh database created on it for this test.
pub async fn databases(dir: &Path) -> Vec<String> {
    let mut urls = vec![format!("sqlite://{}", dir.join("ledger.sqlite").display())];
    if let Some(admin) = postgres_admin() {
        urls.push(fresh_postgres(&admin).await);
    }
    urls
}

/// Database `i` of [`databases`] (0: SQLite under `dir`, 1: a fresh PostgreSQL database).
pub async fn database(i: usize, dir: &Path) -> String {
    match (i, postgres_admin()) {
        (0, _) => format!("sqlite://{}", dir.join("ledger.sqlite").display()),
        (_, Some(admin)) => fresh_postgres(&admin).await,
        (_, None) => panic!("database {i} needs INFLOW_TEST_POSTGRES"),
    }
}

/// The PostgreSQL server of `INFLOW_TEST_POSTGRES`, if set.
pub fn postgres_admin() -> Option<String> {
    std::env::var("INFLOW_TEST_POSTGRES")
        .ok()
        .filter(|u| !u.trim().is_empty())
}

/// Creates a database with a unique name on the server at `admin` and returns its URL.
pub async fn fresh_postgres(admin: &str) -> String {
    use sqlx::Connection;
    static NEXT: std::sync::atomic::AtomicU32 = std::sync::atomic::AtomicU32::new(0);
    let n = NEXT.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
    let nanos = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .subsec_nanos();
    let name = format!("inflow_t{}_{n}_{nanos}", std::process::id());
    let mut conn = sqlx::PgConnection::connect(admin)
        .await
        .unwrap_or_else(|e| panic!("INFLOW_TEST_POSTGRES={admin} is not reachable: {e}"));
    sqlx::Executor::execute(&mut conn, format!("CREATE DATABASE {name}").as_str())
        .await
        .unwrap();
    let base = admin.rsplit_once('/').map(|(b, _)| b).unwrap_or(admin);
    format!("{base}/{name}")
}

/// A short label for a database URL, for assertion messages.
pub fn label(url: &str) -> &'static str {
    if url.starts_with("postgres") {
        "postgres"
    } else {
        "sqlite"
    }
}

/// The configuration for `root` with the demo manifests, a SQLite file under `root` and
/// a fixed secret.
pub fn config(root: &Path) -> app::Config {
    let mut config = app::Config::for_root(root);
    config.manifests = demo_manifests();
    config.secret = Some("test-secret".into());
    config.demo = true;
    config
}

/// The server for `config`.
pub async fn start_with(config: &app::Config) -> Server {
    start(app::router(config).await.unwrap()).await
}

/// The server on `root` (static files) with the demo manifests.
pub async fn start_static(root: &Path) -> Server {
    start_with(&config(root)).await
}
