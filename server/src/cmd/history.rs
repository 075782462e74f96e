//! `inflow history`: writes the demo scenario's generated purchase history as CSV.

use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::Context;

use crate::train::history;

/// Arguments of `inflow history`.
#[derive(clap::Args)]
pub struct Args {
    /// Where to write the CSV.
    #[arg(long, default_value = "manifests/history/scenario.csv")]
    out: PathBuf,
    /// How many users.
    #[arg(long, default_value_t = 4000)]
    users: usize,
    /// The seed: the same seed writes the same bytes.
    #[arg(long, default_value_t = 42)]
    seed: u64,
}

/// Runs `inflow history`.
pub fn run(args: Args) -> anyhow::Result<ExitCode> {
    let text = history::generate(args.users, args.seed);
    if let Some(dir) = args.out.parent().filter(|d| !d.as_os_str().is_empty()) {
        std::fs::create_dir_all(dir).with_context(|| format!("cannot create {}", dir.display()))?;
    }
    std::fs::write(&args.out, &text)
        .with_context(|| format!("cannot write {}", args.out.display()))?;
    eprintln!(
        "wrote {} ({} users, {:.1} KB, seed {})",
        args.out.display(),
        args.users,
        text.len() as f64 / 1024.0,
        args.seed
    );
    Ok(ExitCode::SUCCESS)
}
