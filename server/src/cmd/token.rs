//! `inflow token`: mints a signed session token for a user of the directory.

use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::Context;
use inflow_server::{auth, clock, state};

/// Arguments of `inflow token`.
#[derive(clap::Args)]
pub struct Args {
    /// The user's id in users.json.
    #[arg(long)]
    pub user: String,
    /// How long it is valid: 30m, 8h, 2d.
    #[arg(long, default_value = "8h")]
    pub ttl: String,
    /// The manifests directory holding users.json.
    #[arg(long, default_value = "manifests")]
    pub manifests: PathBuf,
    /// The token secret (default: INFLOW_SECRET, else the one in .inflow/secret).
    #[arg(long, env = "INFLOW_SECRET", hide_env_values = true)]
    pub secret: Option<String>,
}

/// Runs `inflow token`.
pub fn run(args: Args) -> anyhow::Result<ExitCode> {
    let (_, _, users) = state::load_manifests(&args.manifests)?;
    let user = users.user(&args.user).with_context(|| {
        format!(
            "no user {:?} in {}/users.json: pick one listed there",
            args.user,
            args.manifests.display()
        )
    })?;
    let ttl = auth::parse_ttl(&args.ttl)?;
    let secret = auth::secret(args.secret.as_deref(), std::path::Path::new(".inflow"))?;
    let claims = auth::Claims::for_user(user, clock::now_secs() + ttl);
    println!("{}", auth::mint(&secret, &claims)?);
    Ok(ExitCode::SUCCESS)
}
