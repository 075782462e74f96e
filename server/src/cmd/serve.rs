//! `inflow serve`: the demo pages, the wasm package and the charge API on one address.

use std::net::SocketAddr;
use std::path::PathBuf;
use std::process::ExitCode;

use inflow_server::app;

/// Arguments of `inflow serve`.
#[derive(clap::Args)]
pub struct Args {
    /// Address to listen on (port 0 picks a free one).
    #[arg(long, default_value = "127.0.0.1:8080")]
    pub addr: SocketAddr,
    /// The repository root: www/, pkg/ and manifests/ are served from it.
    #[arg(long, default_value = ".")]
    pub root: PathBuf,
    /// The ledger: sqlite://PATH (created on first run) or postgres://USER@HOST:PORT/DB.
    #[arg(long, default_value = "sqlite://.inflow/inflow.sqlite")]
    pub database: String,
    /// The manifests charges are verified against (default: ROOT/manifests).
    #[arg(long)]
    pub manifests: Option<PathBuf>,
    /// The token secret (default: INFLOW_SECRET, else generated in .inflow/secret).
    #[arg(long, env = "INFLOW_SECRET", hide_env_values = true)]
    pub secret: Option<String>,
    /// Mint demo tokens at GET /v1/demo/token?user=ID (never in production).
    #[arg(long)]
    pub demo: bool,
    /// Charge cards through Stripe with this secret key (default: STRIPE_SECRET_KEY; without
    /// one, the built-in test processor that follows Stripe's test card numbers).
    #[arg(long, env = "STRIPE_SECRET_KEY", hide_env_values = true)]
    pub stripe_secret: Option<String>,
    /// An origin allowed to frame the /embed/ pages (repeat for each; default:
    /// INFLOW_EMBED_ORIGINS, comma-separated; none means no site may frame them).
    #[arg(
        long = "embed-origin",
        env = "INFLOW_EMBED_ORIGINS",
        value_delimiter = ','
    )]
    pub embed_origins: Vec<String>,
    /// Stripe's publishable key: the /embed/card.html page then mounts Stripe Elements
    /// (default: STRIPE_PUBLISHABLE_KEY; without one it takes test card numbers).
    #[arg(long, env = "STRIPE_PUBLISHABLE_KEY")]
    pub stripe_publishable_key: Option<String>,
}

/// Runs `inflow serve`.
pub fn run(args: Args) -> anyhow::Result<ExitCode> {
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()?;
    runtime.block_on(serve(args))
}

async fn serve(args: Args) -> anyhow::Result<ExitCode> {
    for problem in inflow_server::http::static_files::missing(&args.root) {
        eprintln!("warning: {problem}");
    }
    let mut config = app::Config::for_root(&args.root);
    config.database = args.database.clone();
    if let Some(m) = &args.manifests {
        config.manifests = m.clone();
    }
    config.secret = args.secret.clone();
    config.state_dir = PathBuf::from(".inflow");
    config.demo = args.demo;
    config.stripe_secret = args.stripe_secret.clone();
    config.embed.origins = inflow_server::http::embed::Origins::parse(&args.embed_origins)
        .map_err(|e| anyhow::anyhow!("--embed-origin: {e}"))?;
    config.embed.stripe_publishable_key = args
        .stripe_publishable_key
        .clone()
        .map(|k| k.trim().to_string())
        .filter(|k| !k.is_empty());
    if let Some(key) = &config.embed.stripe_publishable_key {
        anyhow::ensure!(
            key.starts_with("pk_"),
            "--stripe-publishable-key: a publishable key starts with pk_ (it is sent to browsers: \
             never put the secret key here)"
        );
    }
    if !matches!(config.stripe_secret.as_deref(), Some(s) if !s.trim().is_empty()) {
        eprintln!(
            "warning: card purchases go to the built-in test processor (Stripe's test cards; no \
             money is taken): pass --stripe-secret or set STRIPE_SECRET_KEY in production"
        );
    }
    let router = app::router(&config).await?;
    let (listener, local) = app::bind(args.addr).await?;
    println!("Inflow demo: http://{local}/demo/");
    app::serve(listener, router, app::shutdown_signal()).await?;
    eprintln!("inflow serve: stopped");
    Ok(ExitCode::SUCCESS)
}
