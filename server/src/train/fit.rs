//! Fitting: one L2-regularised logistic model per module (one-vs-rest, over the rows that do
//! not own it yet) with linfa-logistic, co-occurrence lifts and community popularity from
//! the same rows, written as an Inflow [`Model`] manifest.
//!
//! Features are standardised for the fit and the weights mapped back to the signals' own
//! scale, so the core scores `σ(bias + Σ w × value)` on the values [`value`] gives, which are
//! the core's transforms: counts and limit hits as `ln(1 + n)`, recency capped at 90 days.

use std::collections::{BTreeMap, BTreeSet};

use inflow::collections::Map;

use anyhow::{anyhow, Result};
use inflow::propensity::signals::RECENCY_CAP_DAYS;
use inflow::propensity::{Model, ModuleWeights, SignalKind, SignalName};
use linfa::traits::Fit;
use linfa_logistic::LogisticRegression;
use ndarray::{Array1, Array2};

use super::table::Dataset;

/// Training settings.
#[derive(Debug, Clone)]
pub struct Settings {
    /// The L2 penalty (linfa's `alpha`: `alpha / 2 × |w|²` added to the log-loss).
    pub l2: f64,
    /// Recorded in the model; the fit itself is deterministic.
    pub seed: u64,
    /// The model's version.
    pub version: String,
    /// Standardised weights smaller than this are dropped (keeps the model small).
    pub prune: f64,
    /// Progress lines on stderr.
    pub progress: bool,
}

/// A column's value as the model sees it: for a signal name, the core's transform; for any
/// other column, the number itself. Missing reads as no use (recency: never, 90 days).
pub fn value(name: &str, raw: Option<f64>) -> f64 {
    let Some(signal) = SignalName::parse(name) else {
        return raw.unwrap_or(0.0);
    };
    let v = match signal.kind {
        SignalKind::RecencyDays => raw.map_or(RECENCY_CAP_DAYS as f64, |d| {
            d.clamp(0.0, RECENCY_CAP_DAYS as f64).floor()
        }),
        SignalKind::Trend => raw.unwrap_or(0.0).clamp(-10.0, 10.0),
        SignalKind::Adoption | SignalKind::Popularity => raw.unwrap_or(0.0).clamp(0.0, 1.0),
        _ => raw.unwrap_or(0.0).max(0.0).floor().ln_1p(),
    };
    if v.is_finite() {
        v
    } else {
        0.0
    }
}

/// The transformed feature matrix of `d`, row-major.
pub fn matrix(d: &Dataset) -> Vec<Vec<f64>> {
    d.x.iter()
        .map(|row| {
            d.features
                .iter()
                .zip(row)
                .map(|(n, v)| value(n, *v))
                .collect()
        })
        .collect()
}

/// Fits every module of `d` that has at least two buyers and two non-buyers among the rows
/// that do not own it. Feature columns are those of `d` (choose them before).
///
/// # Errors
/// A fit that fails to converge to finite weights.
pub fn fit(d: &Dataset, s: &Settings) -> Result<Model> {
    let x = matrix(d);
    let mut modules = Map::new();
    for (m, id) in d.modules.iter().enumerate() {
        let rows: Vec<usize> = (0..d.len())
            .filter(|&i| !d.owned.get(i).is_some_and(|o| o.contains(id)))
            .collect();
        let y: Vec<bool> = rows
            .iter()
            .map(|&i| d.bought.get(i).is_some_and(|b| b.contains(&m)))
            .collect();
        let pos = y.iter().filter(|b| **b).count();
        if pos < 2 || y.len() - pos < 2 {
            if s.progress {
                eprintln!(
                    "  {id}: {pos} buyers in {} rows, too few to fit; left to popularity",
                    y.len()
                );
            }
            continue;
        }
        let w = fit_one(&x, &rows, &y, &d.features, s).map_err(|e| anyhow!("{id}: {e}"))?;
        if s.progress {
            eprintln!(
                "  {id}: {pos} buyers in {} rows, {} weights",
                y.len(),
                w.weights.len()
            );
        }
        modules.insert(id.clone(), w);
    }
    Ok(Model {
        version: s.version.clone(),
        trained_at: None,
        seed: Some(s.seed),
        min_events_90d: 5,
        modules,
        cooccurrence: cooccurrence(d),
        popularity: popularity(d),
    })
}

fn fit_one(
    x: &[Vec<f64>],
    rows: &[usize],
    y: &[bool],
    names: &[String],
    s: &Settings,
) -> Result<ModuleWeights> {
    let k = names.len();
    let n = rows.len() as f64;
    let mut mean = vec![0.0; k];
    let mut sd = vec![0.0; k];
    for &i in rows {
        for (j, v) in x[i].iter().enumerate() {
            mean[j] += v / n;
        }
    }
    for &i in rows {
        for (j, v) in x[i].iter().enumerate() {
            sd[j] += (v - mean[j]).powi(2) / n;
        }
    }
    let sd: Vec<f64> = sd.into_iter().map(f64::sqrt).collect();
    let cols: Vec<usize> = (0..k).filter(|&j| sd[j] > 1e-9).collect();
    let mut z = Array2::<f64>::zeros((rows.len(), cols.len()));
    for (r, &i) in rows.iter().enumerate() {
        for (c, &j) in cols.iter().enumerate() {
            z[[r, c]] = (x[i][j] - mean[j]) / sd[j];
        }
    }
    let targets = Array1::from(y.to_vec());
    let data = linfa::Dataset::new(z, targets);
    let fitted = LogisticRegression::default()
        .alpha(s.l2)
        .max_iterations(200)
        .fit(&data)?;
    // linfa's positive class is the larger one (here: did not buy): flip to "bought".
    let sign = if fitted.labels().pos.class { 1.0 } else { -1.0 };
    let mut bias = sign * fitted.intercept();
    let mut weights = Map::new();
    for (c, &j) in cols.iter().enumerate() {
        let ws = sign * fitted.params()[c];
        if ws.abs() < s.prune {
            continue;
        }
        let w = ws / sd[j];
        bias -= w * mean[j];
        weights.insert(names[j].clone(), round(w, 4));
    }
    if !bias.is_finite() || weights.values().any(|w| !w.is_finite()) {
        return Err(anyhow!("the fit did not converge to finite weights"));
    }
    Ok(ModuleWeights {
        bias: round(bias, 4),
        weights,
    })
}

/// Modules each row has by the end: owned ones and the ones bought.
fn has(d: &Dataset) -> Vec<BTreeSet<String>> {
    (0..d.len())
        .map(|i| {
            let mut h = d.owned.get(i).cloned().unwrap_or_default();
            for &m in d.bought.get(i).map(Vec::as_slice).unwrap_or(&[]) {
                if let Some(id) = d.modules.get(m) {
                    h.insert(id.clone());
                }
            }
            h
        })
        .collect()
}

/// `lift[a][b] = P(b | a) / P(b)` over what rows have, for pairs seen at least 5 times with
/// a lift above 1.05.
fn cooccurrence(d: &Dataset) -> Map<String, Map<String, f64>> {
    let has = has(d);
    let n = has.len() as f64;
    let mut count: BTreeMap<&str, f64> = BTreeMap::new();
    let mut pair: BTreeMap<(&str, &str), f64> = BTreeMap::new();
    for h in &has {
        for a in h {
            *count.entry(a).or_default() += 1.0;
            for b in h.iter().filter(|b| *b != a) {
                *pair.entry((a, b)).or_default() += 1.0;
            }
        }
    }
    let mut out: Map<String, Map<String, f64>> = Map::new();
    for ((a, b), nab) in pair {
        let (Some(na), Some(nb)) = (count.get(a), count.get(b)) else {
            continue;
        };
        let lift = (nab / na) / (nb / n);
        if nab >= 5.0 && lift > 1.05 && lift.is_finite() {
            out.entry(a.to_string())
                .or_default()
                .insert(b.to_string(), round(lift.min(1000.0), 3));
        }
    }
    out
}

/// `popularity[community][module]`: the share of the community's rows that have the module;
/// `"*"` for everyone.
fn popularity(d: &Dataset) -> Map<String, Map<String, f64>> {
    let has = has(d);
    let mut rows: BTreeMap<String, (f64, BTreeMap<String, f64>)> = BTreeMap::new();
    for (i, h) in has.iter().enumerate() {
        for key in d.communities(i).into_iter().chain(["*".to_string()]) {
            let entry = rows.entry(key).or_default();
            entry.0 += 1.0;
            for m in h {
                *entry.1.entry(m.clone()).or_default() += 1.0;
            }
        }
    }
    rows.into_iter()
        .map(|(c, (n, counts))| {
            let shares = counts
                .into_iter()
                .map(|(m, k)| (m, round(k / n, 4)))
                .collect();
            (c, shares)
        })
        .collect()
}

fn round(x: f64, places: i32) -> f64 {
    let f = 10f64.powi(places);
    (x * f).round() / f
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn values_follow_the_core_transforms() {
        assert_eq!(value("reports.export.count_30d", Some(15.0)), 16f64.ln());
        assert_eq!(value("reports.export.count_30d", None), 0.0);
        assert_eq!(value("reports.export.recency_days", None), 90.0);
        assert_eq!(value("reports.export.recency_days", Some(400.0)), 90.0);
        assert_eq!(value("module.sandbox.adoption", Some(3.0)), 1.0);
        assert_eq!(value("age", Some(-3.5)), -3.5);
        assert_eq!(
            value("reports.export.count_7d", Some(f64::MAX)),
            f64::MAX.ln_1p()
        );
    }
}
