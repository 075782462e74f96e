//! The application: its configuration, its router, and serving it until a shutdown signal.

use std::net::SocketAddr;
use std::path::PathBuf;

use axum::Router;
use tokio::net::TcpListener;

use crate::http::static_files;

/// How to run the server.
#[derive(Debug, Clone)]
pub struct Config {
    /// The repository root: `www/`, `pkg/` and `manifests/` are served from it.
    pub root: PathBuf,
}

/// The whole application's router.
///
/// # Errors
/// When the application cannot be set up; the message says what to fix.
pub async fn router(config: &Config) -> anyhow::Result<Router> {
    Ok(static_files::router(&config.root)
        .layer(axum::middleware::from_fn(static_files::security_headers)))
}

/// Serves `app` on `listener` until `shutdown` completes, finishing requests in flight.
///
/// # Errors
/// When the listener fails.
pub async fn serve(
    listener: TcpListener,
    app: Router,
    shutdown: impl std::future::Future<Output = ()> + Send + 'static,
) -> anyhow::Result<()> {
    axum::serve(listener, app)
        .with_graceful_shutdown(shutdown)
        .await?;
    Ok(())
}

/// Binds `addr` (port 0 picks a free port) and returns the listener and its real address.
///
/// # Errors
/// When the address is taken or not allowed; the message names it.
pub async fn bind(addr: SocketAddr) -> anyhow::Result<(TcpListener, SocketAddr)> {
    let listener = TcpListener::bind(addr).await.map_err(|e| {
        anyhow::anyhow!("cannot listen on {addr}: {e}; pick another with --addr 127.0.0.1:PORT")
    })?;
    let local = listener.local_addr()?;
    Ok((listener, local))
}

/// Completes on SIGINT (Ctrl-C) or SIGTERM.
pub async fn shutdown_signal() {
    let interrupt = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    #[cfg(unix)]
    let terminate = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut s) => {
                s.recv().await;
            }
            Err(_) => std::future::pending::<()>().await,
        }
    };
    #[cfg(not(unix))]
    let terminate = std::future::pending::<()>();
    tokio::select! {
        () = interrupt => {},
        () = terminate => {},
    }
}
