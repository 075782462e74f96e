//! `inflow train`: fits a propensity model from a purchase-history CSV and writes it as a
//! model manifest.

use std::path::PathBuf;
use std::process::ExitCode;
use std::time::Instant as Clock;

use anyhow::{bail, Context};
use inflow::manifest::Catalog;
use inflow::propensity::{Model, SignalName};

use crate::train::fit::{self, Settings};
use crate::train::table::{self, Dataset, Layout};

/// The largest model the browser should carry for the demo catalog.
pub const MODEL_BUDGET_BYTES: usize = 50 * 1024;

/// How the CSV's columns are read (shared with `inflow eval`).
#[derive(clap::Args, Debug, Clone)]
pub struct Columns {
    /// The history CSV.
    #[arg(long)]
    pub data: PathBuf,
    /// The column naming the module bought next (default: `bought_next`).
    #[arg(long, conflicts_with = "label_columns")]
    pub label: Option<String>,
    /// 0/1 bought-module columns instead of one label column, comma-separated.
    #[arg(long, value_delimiter = ',')]
    pub label_columns: Vec<String>,
    /// A label value meaning "bought nothing" (besides empty, `none` and `0`); repeatable.
    #[arg(long)]
    pub none: Vec<String>,
    /// The account column (default: `account` when present).
    #[arg(long)]
    pub account: Option<String>,
    /// The time column, a date or a number (default: `decided_at` when present).
    #[arg(long)]
    pub time: Option<String>,
    /// The community column (default: `community` when present).
    #[arg(long)]
    pub community: Option<String>,
    /// The `;`-separated owned-modules column (default: `owned` when present).
    #[arg(long)]
    pub owned: Option<String>,
    /// Columns to leave out, comma-separated.
    #[arg(long, value_delimiter = ',')]
    pub ignore: Vec<String>,
    /// The catalog the signals and modules must belong to.
    #[arg(long, default_value = "manifests/catalog.json")]
    pub catalog: PathBuf,
    /// Data that is not Inflow telemetry: use every numeric column as a feature, name the
    /// weights by column, and do not check the model against a catalog.
    #[arg(long)]
    pub generic: bool,
    /// The L2 penalty.
    #[arg(long, default_value_t = 1.0)]
    pub l2: f64,
    /// The seed (recorded in the model; eval's split uses it too).
    #[arg(long, default_value_t = 42)]
    pub seed: u64,
}

/// Arguments of `inflow train`.
#[derive(clap::Args)]
pub struct Args {
    #[command(flatten)]
    columns: Columns,
    /// Where to write the model.
    #[arg(long, default_value = "manifests/model.json")]
    out: PathBuf,
    /// The model's version.
    #[arg(long, default_value = "1")]
    version: String,
}

/// Runs `inflow train`.
pub fn run(args: Args) -> anyhow::Result<ExitCode> {
    let started = Clock::now();
    let (data, catalog) = load(&args.columns)?;
    eprintln!(
        "fitting {} modules on {} rows × {} features (l2 {}) …",
        data.modules.len(),
        data.len(),
        data.features.len(),
        args.columns.l2
    );
    let model = train(
        &data,
        catalog.as_ref(),
        &settings(&args.columns, &args.version),
    )?;
    let text = to_json(&model)?;
    if let Some(dir) = args.out.parent().filter(|d| !d.as_os_str().is_empty()) {
        std::fs::create_dir_all(dir).with_context(|| format!("cannot create {}", dir.display()))?;
    }
    std::fs::write(&args.out, &text)
        .with_context(|| format!("cannot write {}", args.out.display()))?;
    let over = if text.len() > MODEL_BUDGET_BYTES {
        " OVER the 50 KB budget"
    } else {
        ""
    };
    eprintln!(
        "wrote {}: {} modules, {:.1} KB{over} ({:.1} s)",
        args.out.display(),
        model.modules.len(),
        text.len() as f64 / 1024.0,
        started.elapsed().as_secs_f64()
    );
    Ok(ExitCode::SUCCESS)
}

/// The settings a `Columns` implies.
pub fn settings(c: &Columns, version: &str) -> Settings {
    Settings {
        l2: c.l2,
        seed: c.seed,
        version: version.to_string(),
        prune: 0.05,
        progress: true,
    }
}

/// Reads the CSV and the catalog; in catalog mode keeps only the columns that are signals of
/// the catalog (and says which it leaves out).
///
/// # Errors
/// A bad CSV or catalog; no usable feature column.
pub fn load(c: &Columns) -> anyhow::Result<(Dataset, Option<Catalog>)> {
    let layout = Layout {
        label: c.label.clone(),
        label_columns: c.label_columns.clone(),
        none: c.none.clone(),
        account: c.account.clone(),
        time: c.time.clone(),
        community: c.community.clone(),
        owned: c.owned.clone(),
        ignore: c.ignore.clone(),
    };
    let mut data = table::read(&c.data, &layout)?;
    if c.generic {
        return Ok((data, None));
    }
    let text = std::fs::read_to_string(&c.catalog)
        .with_context(|| format!("cannot read the catalog {}", c.catalog.display()))?;
    let catalog: Catalog = inflow::manifest::json::from_str("catalog", &text)?;
    let keep: Vec<usize> = (0..data.features.len())
        .filter(|&j| is_signal(&data.features[j], &catalog))
        .collect();
    let left: Vec<&str> = (0..data.features.len())
        .filter(|j| !keep.contains(j))
        .map(|j| data.features[j].as_str())
        .collect();
    if !left.is_empty() {
        eprintln!(
            "note: {} numeric columns are not signals of the catalog and are left out: {} \
             (use --generic for data that is not Inflow telemetry)",
            left.len(),
            left.join(", ")
        );
    }
    if keep.is_empty() {
        bail!(
            "{}: no column is a signal of the catalog (such as reports.export.count_30d); \
             use --generic for other data",
            c.data.display()
        );
    }
    data.features = keep.iter().map(|&j| data.features[j].clone()).collect();
    data.x = data
        .x
        .iter()
        .map(|row| {
            keep.iter()
                .map(|&j| row.get(j).copied().flatten())
                .collect()
        })
        .collect();
    Ok((data, Some(catalog)))
}

fn is_signal(name: &str, catalog: &Catalog) -> bool {
    SignalName::parse(name).is_some_and(|s| {
        if s.kind.is_module_kind() {
            catalog.module(s.subject).is_some()
        } else {
            catalog.feature(s.subject).is_some()
        }
    })
}

/// Fits `data` and, with a catalog, drops modules it does not know and checks the model.
///
/// # Errors
/// A failed fit; a model the catalog refuses.
pub fn train(data: &Dataset, catalog: Option<&Catalog>, s: &Settings) -> anyhow::Result<Model> {
    let mut model = fit::fit(data, s)?;
    if let Some(catalog) = catalog {
        let known = |m: &String| catalog.module(m).is_some();
        let unknown: Vec<String> = data.modules.iter().filter(|m| !known(m)).cloned().collect();
        if !unknown.is_empty() {
            eprintln!(
                "note: modules not in the catalog are left out: {}",
                unknown.join(", ")
            );
        }
        model.modules.retain(|m, _| known(m));
        model.cooccurrence.retain(|m, _| known(m));
        for (_, row) in model.cooccurrence.iter_mut() {
            row.retain(|m, _| known(m));
        }
        for (_, row) in model.popularity.iter_mut() {
            row.retain(|m, _| known(m));
        }
        model.check(catalog)?;
    }
    Ok(model)
}

/// The model as pretty JSON with a final newline.
///
/// # Errors
/// Never in practice (a model serialises).
pub fn to_json(model: &Model) -> anyhow::Result<String> {
    Ok(serde_json::to_string_pretty(model)? + "\n")
}
