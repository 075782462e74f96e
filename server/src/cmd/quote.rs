//! `inflow quote` (not written yet).

use std::process::ExitCode;

/// Arguments of `inflow quote`.
#[derive(clap::Args)]
pub struct Args {}

/// Runs `inflow quote`.
pub fn run(_args: Args) -> anyhow::Result<ExitCode> {
    anyhow::bail!("inflow quote is not available yet")
}
