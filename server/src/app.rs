//! The application: its configuration, its router, and serving it until a shutdown signal.

use std::net::SocketAddr;
use std::path::PathBuf;
use std::sync::Arc;

use axum::Router;
use tokio::net::TcpListener;

use crate::auth;
use crate::card::{CardProcessor, Stripe, TestProcessor};
use crate::http::{api, embed, static_files};
use crate::state::{self, AppState, Shared};
use crate::store::Store;

/// How to run the server.
#[derive(Debug, Clone)]
pub struct Config {
    /// The repository root: `www/`, `pkg/` and `manifests/` are served from it.
    pub root: PathBuf,
    /// The manifests verified against (catalog, contract, policy, users).
    pub manifests: PathBuf,
    /// `sqlite://PATH` or `postgres://…`.
    pub database: String,
    /// The token secret; generated and stored under `state_dir` when absent.
    pub secret: Option<String>,
    /// Where the generated secret lives (`.inflow/`).
    pub state_dir: PathBuf,
    /// Whether `GET /v1/demo/token` mints tokens.
    pub demo: bool,
    /// The Stripe secret key; without it (and without `card`) the built-in test processor.
    pub stripe_secret: Option<String>,
    /// A card processor to use instead (tests).
    pub card: Option<Arc<dyn CardProcessor>>,
    /// Who may frame the `/embed/` pages (nobody by default), the Stripe publishable key.
    pub embed: embed::EmbedConfig,
    /// The server's clock (the system's; tests move it forward).
    pub clock: crate::clock::Clock,
}

impl Config {
    /// The defaults for a repository root: its manifests, `.inflow/inflow.sqlite`.
    pub fn for_root(root: impl Into<PathBuf>) -> Config {
        let root = root.into();
        let state_dir = root.join(".inflow");
        Config {
            manifests: root.join("manifests"),
            database: format!("sqlite://{}", state_dir.join("inflow.sqlite").display()),
            secret: None,
            state_dir,
            demo: false,
            stripe_secret: None,
            card: None,
            embed: embed::EmbedConfig::default(),
            clock: crate::clock::Clock::system(),
            root,
        }
    }
}

/// Loads the manifests, opens the ledger and reads the secret.
///
/// # Errors
/// When any of them fails; the message says what to fix.
pub async fn state(config: &Config) -> anyhow::Result<AppState> {
    let (manifests, refs, users) = state::load_manifests(&config.manifests)?;
    let store = Store::open(&config.database).await?;
    let secret = auth::secret(config.secret.as_deref(), &config.state_dir)?;
    let live = crate::policy::startup::live(&store, &manifests).await?;
    if config.demo {
        crate::policy::seed::seed(&store, &manifests, &users).await?;
    }
    Ok(AppState(Arc::new(Shared {
        manifests,
        refs,
        users: state::Users::new(users),
        charges: crate::charging::batch::Writer::spawn(store.clone()),
        store,
        secret,
        demo: config.demo,
        live,
        card: card_processor(config),
        clock: config.clock.clone(),
    })))
}

/// The configured card processor: the given one, Stripe with a secret key, else the test one.
pub fn card_processor(config: &Config) -> Arc<dyn CardProcessor> {
    match (&config.card, &config.stripe_secret) {
        (Some(card), _) => card.clone(),
        (None, Some(secret)) if !secret.trim().is_empty() => Arc::new(Stripe::new(secret.trim())),
        _ => Arc::new(TestProcessor::new()),
    }
}

/// The whole application's router.
///
/// # Errors
/// When the application cannot be set up; the message says what to fix.
pub async fn router(config: &Config) -> anyhow::Result<Router> {
    Ok(with_state(state(config).await?, config))
}

/// The router around an existing state.
pub fn with_state(state: AppState, config: &Config) -> Router {
    api::router(state)
        .merge(embed::router(&config.root, config.embed.clone()))
        .merge(static_files::router(&config.root))
        .layer(axum::middleware::from_fn(static_files::security_headers))
        .layer(axum::middleware::from_fn_with_state(
            config.embed.clone(),
            embed::frame_ancestors,
        ))
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
