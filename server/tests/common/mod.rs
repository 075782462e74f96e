//! Starting the server in-process on 127.0.0.1:0 for the integration tests.
#![allow(dead_code)]

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
