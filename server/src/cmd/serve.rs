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
    let config = app::Config {
        root: args.root.clone(),
    };
    let router = app::router(&config).await?;
    let (listener, local) = app::bind(args.addr).await?;
    println!("Inflow demo: http://{local}/demo/");
    app::serve(listener, router, app::shutdown_signal()).await?;
    eprintln!("inflow serve: stopped");
    Ok(ExitCode::SUCCESS)
}
