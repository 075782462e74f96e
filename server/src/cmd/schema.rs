//! `inflow schema`: writes the manifests' JSON Schemas, generated from the Rust types.

use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::Context;

/// Arguments of `inflow schema`.
#[derive(clap::Args)]
pub struct Args {
    /// Directory to write catalog, contract, policy and directory `.schema.json` files into.
    #[arg(long, default_value = "manifests/schema")]
    out: PathBuf,
}

/// Runs `inflow schema`: one file per manifest kind, created or replaced.
pub fn run(args: Args) -> anyhow::Result<ExitCode> {
    std::fs::create_dir_all(&args.out)
        .with_context(|| format!("cannot create {}", args.out.display()))?;
    for (name, text) in inflow::manifest::schema::files()? {
        let path = args.out.join(name);
        std::fs::write(&path, text).with_context(|| format!("cannot write {}", path.display()))?;
        println!("wrote {}", path.display());
    }
    Ok(ExitCode::SUCCESS)
}
