//! Scoring: a logistic model per module over transformed signals, or, for users with
//! little history, co-occurrence with what they own and popularity in their community.
//!
//! [`Scorer::new`] validates a [`Model`] against the catalog once and compiles it into flat
//! arrays; [`Scorer::score`] then reads each distinct signal once per user and scores
//! every module without allocating per module. Contributions (weight × value per signal)
//! are computed on demand, for the modules that are shown.

use crate::collections::{sort_by, Map, Set};
use std::cmp::Ordering;

use serde::Serialize;

use super::model::Model;
use super::signals::{finite_or_zero, SignalKind, SignalName, Signals};
use crate::error::Result;
use crate::manifest::Catalog;

/// The popularity community that applies to everyone.
pub const ANY_COMMUNITY: &str = "*";

/// A model compiled against a catalog, ready to score users.
#[derive(Debug, Clone)]
pub struct Scorer {
    /// Distinct signals the weights read: (name, subject, kind).
    signals: Vec<(String, String, SignalKind)>,
    modules: Vec<Compiled>,
    /// `(signal index, weight)`, grouped by module.
    terms: Vec<(usize, f64)>,
    index: Map<String, usize>,
    /// Per owned module: `(target module index, lift)`.
    cooccurrence: Map<String, Vec<(usize, f64)>>,
    /// Per community: share per module index.
    popularity: Map<String, Vec<f64>>,
    min_events_90d: u64,
}

#[derive(Debug, Clone)]
struct Compiled {
    id: String,
    bias: f64,
    terms: (usize, usize),
}

/// How a module's probability was obtained.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Basis {
    /// The logistic model over the user's signals.
    Model,
    /// Co-occurrence with owned modules and community popularity (little history, or a
    /// module the model has no weights for).
    Fallback,
}

/// One module's score.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct ModuleScore<'s> {
    /// The module id.
    pub module: &'s str,
    /// Probability in `[0, 1]`, always finite.
    pub probability: f64,
    /// How it was obtained.
    pub basis: Basis,
}

/// What a contribution comes from.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "snake_case", tag = "kind")]
pub enum Source {
    /// A named signal of the user (`reports.export.count_30d`).
    Signal {
        /// The signal's name.
        name: String,
    },
    /// Owners of `owned` (which the user has) often have the module too.
    Cooccurrence {
        /// The owned module.
        owned: String,
    },
    /// The module is popular in the user's community.
    Popularity,
}

/// One term of a score: `amount = weight × value`.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Contribution {
    /// What it comes from.
    pub source: Source,
    /// The transformed value (a signal's model value, a lift, a share).
    pub value: f64,
    /// The weight it was multiplied by.
    pub weight: f64,
    /// `weight × value`; positive pushes the probability up.
    pub amount: f64,
}

/// Every module's score for one user, in the model's module order.
#[derive(Debug, Clone)]
pub struct Scores<'s> {
    scorer: &'s Scorer,
    values: Vec<f64>,
    shares: Vec<f64>,
    lifts: Vec<(f64, Option<&'s str>)>,
    items: Vec<ModuleScore<'s>>,
}

impl Scorer {
    /// Validates `model` against `catalog` and compiles it.
    ///
    /// # Errors
    /// [`crate::ErrorKind::Manifest`] with every problem of the model (see [`Model::check`]).
    pub fn new(model: &Model, catalog: &Catalog) -> Result<Scorer> {
        model.check(catalog)?;
        // In order and distinct: a set, not a sorted vector (a sort the wasm need not carry).
        let mut set: Set<&str> = Set::new();
        for id in model.modules.keys().chain(
            model
                .cooccurrence
                .values()
                .chain(model.popularity.values())
                .flat_map(|r| r.keys()),
        ) {
            set.insert(id);
        }
        let ids: Vec<&str> = set.into_iter().collect();
        // `ids` come from a set, so in order and distinct: each insert appends, where
        // `collect` would sort them again.
        let mut index: Map<String, usize> = Map::new();
        for (i, id) in ids.iter().enumerate() {
            index.insert((*id).to_string(), i);
        }
        let mut signal_index: Map<&str, usize> = Map::new();
        let mut signals = Vec::new();
        let mut terms = Vec::new();
        let mut modules = Vec::with_capacity(ids.len());
        for id in &ids {
            let start = terms.len();
            let mut bias = 0.0;
            if let Some(mw) = model.modules.get(*id) {
                bias = mw.bias;
                for (name, w) in &mw.weights {
                    let Some(sig) = SignalName::parse(name) else {
                        continue;
                    };
                    let i = *signal_index.entry(name.as_str()).or_insert_with(|| {
                        signals.push((name.clone(), sig.subject.to_string(), sig.kind));
                        signals.len() - 1
                    });
                    terms.push((i, *w));
                }
            }
            modules.push(Compiled {
                id: (*id).to_string(),
                bias,
                terms: (start, terms.len()),
            });
        }
        // Inserted one by one, not collected: the rows come from maps, so in order and
        // distinct, and each insert appends.
        let mut cooccurrence = Map::new();
        for (a, row) in &model.cooccurrence {
            let targets = row
                .iter()
                .filter_map(|(b, lift)| index.get(b).map(|&i| (i, *lift)))
                .collect();
            cooccurrence.insert(a.clone(), targets);
        }
        let mut popularity = Map::new();
        for (c, row) in &model.popularity {
            let mut dense = vec![0.0; ids.len()];
            for (m, share) in row {
                if let Some(slot) = index.get(m).and_then(|&i| dense.get_mut(i)) {
                    *slot = *share;
                }
            }
            popularity.insert(c.clone(), dense);
        }
        Ok(Scorer {
            signals,
            modules,
            terms,
            index,
            cooccurrence,
            popularity,
            min_events_90d: u64::from(model.min_events_90d),
        })
    }

    /// The module ids this scorer scores, in order.
    pub fn modules(&self) -> impl Iterator<Item = &str> {
        self.modules.iter().map(|m| m.id.as_str())
    }

    /// Scores every module for a user with `signals`, in `community` (for popularity:
    /// the caller's shares in `signals` first, then the model's for the community, then
    /// the model's for everyone, `"*"`).
    pub fn score<'s>(&'s self, signals: &Signals, community: Option<&str>) -> Scores<'s> {
        let values: Vec<f64> = self
            .signals
            .iter()
            .map(|(_, subject, kind)| {
                signals.value(SignalName {
                    subject,
                    kind: *kind,
                })
            })
            .collect();
        let model_shares = community
            .and_then(|c| self.popularity.get(c))
            .or_else(|| self.popularity.get(ANY_COMMUNITY));
        let shares: Vec<f64> = self
            .modules
            .iter()
            .enumerate()
            .map(|(i, m)| {
                let given = signals.modules.get(&m.id).and_then(|s| s.popularity);
                let share = given.unwrap_or_else(|| {
                    model_shares
                        .and_then(|row| row.get(i))
                        .copied()
                        .unwrap_or(0.0)
                });
                finite_or_zero(share).clamp(0.0, 1.0)
            })
            .collect();
        let mut lifts: Vec<(f64, Option<&'s str>)> = vec![(1.0, None); self.modules.len()];
        for owned in signals.owned() {
            let Some((owned_id, row)) = self
                .cooccurrence
                .find_index(owned)
                .ok()
                .and_then(|i| self.cooccurrence.get_indexed(i))
            else {
                continue;
            };
            for &(target, lift) in row {
                if let Some(slot) = lifts.get_mut(target) {
                    if slot.1.is_none() || lift > slot.0 {
                        *slot = (lift, Some(owned_id.as_str()));
                    }
                }
            }
        }
        let cold = signals.events_90d < self.min_events_90d;
        let items = self
            .modules
            .iter()
            .zip(shares.iter().zip(&lifts))
            .map(|(m, (&share, &(lift, _)))| {
                let terms = self.terms.get(m.terms.0..m.terms.1).unwrap_or(&[]);
                if cold || terms.is_empty() {
                    ModuleScore {
                        module: &m.id,
                        probability: unit(share * lift),
                        basis: Basis::Fallback,
                    }
                } else {
                    let z = terms.iter().fold(m.bias, |z, &(i, w)| {
                        z + w * values.get(i).copied().unwrap_or(0.0)
                    });
                    ModuleScore {
                        module: &m.id,
                        probability: sigmoid(z),
                        basis: Basis::Model,
                    }
                }
            })
            .collect();
        Scores {
            scorer: self,
            values,
            shares,
            lifts,
            items,
        }
    }
}

impl<'s> Scores<'s> {
    /// Every module's score, in the scorer's module order.
    pub fn iter(&self) -> impl Iterator<Item = &ModuleScore<'s>> {
        self.items.iter()
    }

    /// The score of `module`, when the model knows it.
    pub fn get(&self, module: &str) -> Option<&ModuleScore<'s>> {
        self.scorer
            .index
            .get(module)
            .and_then(|&i| self.items.get(i))
    }

    /// The scores, most probable first (ties by module id).
    pub fn ranked(&self) -> Vec<ModuleScore<'s>> {
        let mut v = self.items.clone();
        sort_by(&mut v, by_probability);
        v
    }

    /// Why `module` scored as it did: each term with its amount, largest first; empty for
    /// a module the model does not know.
    pub fn contributions(&self, module: &str) -> Vec<Contribution> {
        let Some((i, m, score)) = self
            .scorer
            .index
            .get(module)
            .and_then(|&i| Some((i, self.scorer.modules.get(i)?, self.items.get(i)?)))
        else {
            return Vec::new();
        };
        let mut out = Vec::new();
        match score.basis {
            Basis::Model => {
                let terms = self.scorer.terms.get(m.terms.0..m.terms.1).unwrap_or(&[]);
                for &(si, w) in terms {
                    let (Some((name, _, _)), Some(&value)) =
                        (self.scorer.signals.get(si), self.values.get(si))
                    else {
                        continue;
                    };
                    out.push(Contribution {
                        source: Source::Signal { name: name.clone() },
                        value,
                        weight: w,
                        amount: finite_or_zero(w * value),
                    });
                }
            }
            Basis::Fallback => {
                let share = self.shares.get(i).copied().unwrap_or(0.0);
                out.push(Contribution {
                    source: Source::Popularity,
                    value: share,
                    weight: 1.0,
                    amount: share,
                });
                if let Some(&(lift, Some(owned))) = self.lifts.get(i) {
                    out.push(Contribution {
                        source: Source::Cooccurrence {
                            owned: owned.to_string(),
                        },
                        value: lift,
                        weight: share,
                        amount: finite_or_zero(share * (lift - 1.0)),
                    });
                }
            }
        }
        sort_by(&mut out, |a, b| b.amount.total_cmp(&a.amount));
        out
    }
}

/// Most probable first, ties by module id: a total, deterministic order.
pub(crate) fn by_probability(a: &ModuleScore<'_>, b: &ModuleScore<'_>) -> Ordering {
    b.probability
        .total_cmp(&a.probability)
        .then_with(|| a.module.cmp(b.module))
}

/// The logistic function, finite and in `[0, 1]` for every input (NaN reads as 0).
pub fn sigmoid(z: f64) -> f64 {
    if z.is_nan() {
        return 0.0;
    }
    unit(1.0 / (1.0 + (-z).exp()))
}

fn unit(p: f64) -> f64 {
    finite_or_zero(p).clamp(0.0, 1.0)
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;
    use crate::calendar::Instant;
    use crate::propensity::model::tests::model;
    use crate::propensity::signals::tests::{catalog, ev};
    use crate::propensity::signals::UsageEvent;

    pub(crate) const NOW: Instant = Instant(1_790_000_000_000);

    pub(crate) fn exporter() -> Vec<UsageEvent> {
        let mut events: Vec<UsageEvent> = (0..34)
            .map(|d| ev("reports.export", 1, d % 28, NOW))
            .collect();
        for d in [3, 10] {
            events.push(UsageEvent {
                limit_hit: true,
                ..ev("reports.export", 1, d, NOW)
            });
        }
        events
    }

    #[test]
    fn heavy_exporter_scores_advanced_reports_first() {
        let c = catalog();
        let scorer = Scorer::new(&model(), &c).unwrap();
        let s = Signals::fold(&exporter(), NOW, &c, &[]);
        let scores = scorer.score(&s, None);
        let ranked = scores.ranked();
        assert_eq!(ranked[0].module, "advanced-reports");
        assert_eq!(ranked[0].basis, Basis::Model);
        let z: f64 = -3.0 + 0.8 * 35f64.ln() + 1.5 * 3f64.ln();
        assert!((ranked[0].probability - sigmoid(z)).abs() < 1e-12);
        let c = scores.contributions("advanced-reports");
        assert_eq!(c.len(), 2);
        assert_eq!(
            c[0].source,
            Source::Signal {
                name: "reports.export.count_30d".into()
            }
        );
        let total: f64 = c.iter().map(|c| c.amount).sum::<f64>() - 3.0;
        assert!((total - z).abs() < 1e-12);
    }

    #[test]
    fn little_history_falls_back_to_cooccurrence_and_popularity() {
        let c = catalog();
        let scorer = Scorer::new(&model(), &c).unwrap();
        let s = Signals::fold(&[], NOW, &c, &["advanced-reports".into()]);
        let scores = scorer.score(&s, Some("sales-reps"));
        let rs = scores.get("report-scheduler").unwrap();
        assert_eq!(rs.basis, Basis::Fallback);
        assert!((rs.probability - 0.6).abs() < 1e-12);
        let c = scores.contributions("report-scheduler");
        assert_eq!(
            c[0].source,
            Source::Cooccurrence {
                owned: "advanced-reports".into()
            }
        );
        assert!(scores.get("sandbox").is_none());
        assert!(scores.contributions("sandbox").is_empty());
    }

    #[test]
    fn sigmoid_is_total() {
        for z in [
            f64::NAN,
            f64::INFINITY,
            f64::NEG_INFINITY,
            1e308,
            -1e308,
            0.0,
        ] {
            let p = sigmoid(z);
            assert!(p.is_finite() && (0.0..=1.0).contains(&p), "{z} -> {p}");
        }
        assert_eq!(sigmoid(0.0), 0.5);
    }
}
