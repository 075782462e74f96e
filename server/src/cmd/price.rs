//! `inflow price` (not written yet).

use std::process::ExitCode;

/// Arguments of `inflow price`.
#[derive(clap::Args)]
pub struct Args {}

/// Runs `inflow price`.
pub fn run(_args: Args) -> anyhow::Result<ExitCode> {
    anyhow::bail!("inflow price is not available yet")
}
