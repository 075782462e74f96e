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

/// The static-file server on `root`.
pub async fn start_static(root: &Path) -> Server {
    let config = app::Config {
        root: root.to_path_buf(),
    };
    start(app::router(&config).await.unwrap()).await
}
