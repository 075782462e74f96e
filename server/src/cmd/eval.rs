//! `inflow eval`: a held-out split (by account, or by time), a model fitted on the rest,
//! and its AUC, precision@1/@3, top-10 % lift and calibration against popularity and random
//! baselines in the same run.

use std::collections::BTreeMap;
use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::{bail, Context};
use inflow::propensity::Model;

use super::train::{load, settings, train, Columns};
use crate::train::fit::value;
use crate::train::metrics::{report, Report, Scored};
use crate::train::random::Random;
use crate::train::table::Dataset;

/// How rows are held out.
#[derive(clap::ValueEnum, Clone, Copy, Debug, PartialEq, Eq)]
pub enum Split {
    /// A fifth of the accounts (all their rows), chosen by the seed.
    Account,
    /// The latest fifth of the rows by the time column.
    Time,
}

/// Arguments of `inflow eval`.
#[derive(clap::Args)]
pub struct Args {
    #[command(flatten)]
    columns: Columns,
    /// A trained model to score on the held-out rows as well (if it was trained on this
    /// file, it has seen them: its figures are optimistic).
    #[arg(long)]
    model: Option<PathBuf>,
    /// How to hold rows out.
    #[arg(long, value_enum, default_value = "account")]
    split: Split,
    /// Print JSON instead of a table.
    #[arg(long)]
    json: bool,
}

/// Runs `inflow eval`.
pub fn run(args: Args) -> anyhow::Result<ExitCode> {
    let (data, catalog) = load(&args.columns)?;
    let (train_idx, test_idx) = split(&data, args.split, args.columns.seed)?;
    let (tr, te) = (data.select(&train_idx), data.select(&test_idx));
    eprintln!(
        "split by {:?}: {} training rows, {} held out; fitting …",
        args.split,
        tr.len(),
        te.len()
    );
    let mut s = settings(&args.columns, "eval");
    s.progress = false;
    let fitted = train(&tr, catalog.as_ref(), &s)?;
    let mut reports = vec![report("model", &score_model(&fitted, &te))];
    if let Some(path) = &args.model {
        let text = std::fs::read_to_string(path)
            .with_context(|| format!("cannot read {}", path.display()))?;
        let given: Model = inflow::manifest::json::from_str("model", &text)?;
        if let Some(c) = &catalog {
            given.check(c)?;
        }
        reports.push(report("given model", &score_model(&given, &te)));
    }
    reports.push(report("popularity", &score_popularity(&tr, &te)));
    let mut r = Random::new(args.columns.seed);
    reports.push(report("random", &candidates(&te, |_, _| r.unit())));
    if args.json {
        let out = serde_json::json!({
            "data": args.columns.data.display().to_string(),
            "split": format!("{:?}", args.split).to_lowercase(),
            "train_rows": tr.len(),
            "test_rows": te.len(),
            "test_buyers": te.bought.iter().filter(|b| !b.is_empty()).count(),
            "methods": reports,
        });
        println!("{}", serde_json::to_string_pretty(&out)?);
    } else {
        print_table(&reports);
    }
    Ok(ExitCode::SUCCESS)
}

/// Train and test row indices.
fn split(d: &Dataset, how: Split, seed: u64) -> anyhow::Result<(Vec<usize>, Vec<usize>)> {
    let test: Vec<bool> = match how {
        Split::Account => d.account.iter().map(|a| fnv(seed, a) % 5 == 0).collect(),
        Split::Time => {
            let Some(t) = &d.time else {
                bail!("--split time needs a time column (--time COL, or decided_at)");
            };
            let mut sorted = t.clone();
            sorted.sort_by(f64::total_cmp);
            let cut = sorted
                .get(sorted.len() * 4 / 5)
                .copied()
                .unwrap_or(f64::MAX);
            t.iter().map(|x| *x >= cut).collect()
        }
    };
    let (a, b): (Vec<usize>, Vec<usize>) = (0..d.len()).partition(|&i| !test[i]);
    if a.is_empty() || b.is_empty() {
        bail!(
            "the split leaves no training or no test rows ({} / {})",
            a.len(),
            b.len()
        );
    }
    Ok((a, b))
}

fn fnv(seed: u64, s: &str) -> u64 {
    seed.to_le_bytes()
        .iter()
        .chain(s.as_bytes())
        .fold(0xcbf2_9ce4_8422_2325, |h, b| {
            (h ^ u64::from(*b)).wrapping_mul(0x0100_0000_01b3)
        })
}

/// Every test row's candidates (modules it does not own) scored by `f(row, module)`.
fn candidates(d: &Dataset, mut f: impl FnMut(usize, &str) -> f64) -> Vec<Scored> {
    (0..d.len())
        .map(|i| {
            d.modules
                .iter()
                .enumerate()
                .filter(|(_, m)| !d.owned[i].contains(*m))
                .map(|(k, m)| (f(i, m), d.bought[i].contains(&k)))
                .collect()
        })
        .collect()
}

/// The model's logistic score where it has weights, its community popularity elsewhere.
fn score_model(model: &Model, d: &Dataset) -> Vec<Scored> {
    let col: BTreeMap<&str, usize> = d
        .features
        .iter()
        .enumerate()
        .map(|(j, n)| (n.as_str(), j))
        .collect();
    candidates(d, |i, m| match model.modules.get(m) {
        Some(w) => {
            let z = w.weights.iter().fold(w.bias, |z, (name, wt)| {
                let raw = col.get(name.as_str()).and_then(|&j| d.x[i][j]);
                z + wt * value(name, raw)
            });
            inflow::propensity::score::sigmoid(z)
        }
        None => d
            .communities(i)
            .iter()
            .chain(std::iter::once(&"*".to_string()))
            .find_map(|c| model.popularity.get(c).and_then(|r| r.get(m)))
            .copied()
            .unwrap_or(0.0),
    })
}

/// Each module's purchase rate among the training rows of the user's community that did
/// not own it (everyone's rate for a community unseen in training).
fn score_popularity(tr: &Dataset, te: &Dataset) -> Vec<Scored> {
    let mut counts: BTreeMap<(String, String), (f64, f64)> = BTreeMap::new();
    for i in 0..tr.len() {
        for key in tr.communities(i).into_iter().chain(["*".to_string()]) {
            for (k, m) in tr.modules.iter().enumerate() {
                if tr.owned[i].contains(m) {
                    continue;
                }
                let e = counts.entry((key.clone(), m.clone())).or_default();
                e.0 += f64::from(u8::from(tr.bought[i].contains(&k)));
                e.1 += 1.0;
            }
        }
    }
    candidates(te, |i, m| {
        te.communities(i)
            .into_iter()
            .chain(["*".to_string()])
            .find_map(|c| counts.get(&(c, m.to_string())))
            .map_or(0.0, |(b, n)| b / n)
    })
}

fn print_table(reports: &[Report]) {
    println!(
        "{:<12} {:>6} {:>6} {:>6} {:>6} {:>9}",
        "method", "AUC", "P@1", "P@3", "hit@3", "lift@10%"
    );
    for r in reports {
        println!(
            "{:<12} {:>6.3} {:>6.3} {:>6.3} {:>6.3} {:>9.2}",
            r.method, r.auc, r.precision_at_1, r.precision_at_3, r.hit_at_3, r.lift_top_10
        );
    }
    for r in reports.iter().filter(|r| r.method != "random") {
        let cells: Vec<String> = r
            .calibration
            .iter()
            .map(|(p, o)| format!("{p:.3}/{o:.3}"))
            .collect();
        println!(
            "calibration {} (predicted/observed, deciles low→high): {}",
            r.method,
            cells.join(" ")
        );
    }
}
