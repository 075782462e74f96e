//! `inflow check` (not written yet).

use std::process::ExitCode;

/// Arguments of `inflow check`.
#[derive(clap::Args)]
pub struct Args {}

/// Runs `inflow check`.
pub fn run(_args: Args) -> anyhow::Result<ExitCode> {
    anyhow::bail!("inflow check is not available yet")
}
