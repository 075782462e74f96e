//! The propensity model manifest: per-module logistic weights over named signals,
//! co-occurrence lifts between modules and popularity per community for users with
//! little history. Validated against a catalog like the other manifests: every problem
//! at once, each with its JSON path.

use crate::collections::Map;
use crate::quoted::quoted;
use crate::ErrorKind;

use serde::{Deserialize, Serialize};

use super::signals::SignalName;
use crate::calendar::Instant;
use crate::error::{Problem, Result};
use crate::manifest::Catalog;

#[cfg(feature = "schema")]
use schemars::JsonSchema;

/// The largest absolute weight or bias a model may carry.
pub const MAX_WEIGHT: f64 = 100.0;

/// The largest co-occurrence lift a model may carry.
pub const MAX_LIFT: f64 = 1000.0;

/// A trained propensity model.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct Model {
    /// The document's version.
    pub version: String,
    /// When it was trained (ms since the epoch).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub trained_at: Option<Instant>,
    /// The seed training used, so a run can be repeated.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub seed: Option<u64>,
    /// Below this many uses in 90 days a user is scored by co-occurrence and popularity
    /// instead of the weights.
    #[serde(default = "default_min_events")]
    pub min_events_90d: u32,
    /// Per module: the logistic model's bias and weights.
    pub modules: Map<String, ModuleWeights>,
    /// `cooccurrence[a][b]`: how many times as likely an owner of `a` is to have `b`.
    #[serde(default)]
    pub cooccurrence: Map<String, Map<String, f64>>,
    /// `popularity[community][module]`: share of the community that has the module.
    /// The community `"*"` is the fallback for everyone.
    #[serde(default)]
    pub popularity: Map<String, Map<String, f64>>,
}

pub(crate) fn default_min_events() -> u32 {
    5
}

/// One module's logistic model: `p = σ(bias + Σ weight × signal)`.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct ModuleWeights {
    /// The intercept.
    #[serde(default)]
    pub bias: f64,
    /// Weight per signal name (`"reports.export.count_30d"`).
    #[serde(default)]
    pub weights: Map<String, f64>,
}

impl Model {
    /// Checks the model against `catalog`.
    ///
    /// # Errors
    /// [`ErrorKind::Manifest`] listing every problem: unknown module ids, unknown signal names
    /// (a signal must name a catalog feature or module and a known kind), weights or
    /// biases that are not finite or exceed ±100, lifts outside `[0, 1000]`, shares
    /// outside `[0, 1]`, an empty version.
    pub fn check(&self, catalog: &Catalog) -> Result<()> {
        let problems = self.problems(catalog);
        if problems.is_empty() {
            Ok(())
        } else {
            Err(ErrorKind::Manifest(problems).into())
        }
    }

    /// Every problem of the model against `catalog` (empty when valid).
    pub fn problems(&self, catalog: &Catalog) -> Vec<Problem> {
        let mut p = Vec::new();
        if self.version.trim().is_empty() {
            p.push(Problem::new("model.version", "is empty").expected("a version such as \"1\""));
        }
        let module = |path: String, id: &str, p: &mut Vec<Problem>| {
            if catalog.module(id).is_none() {
                p.push(
                    Problem::new(path, format!("unknown module {}", quoted(id)))
                        .expected("a module id of the catalog"),
                );
            }
        };
        for (id, mw) in &self.modules {
            let base = format!("model.modules{}", key(id));
            module(base.clone(), id, &mut p);
            weight(format!("{base}.bias"), mw.bias, &mut p);
            for (name, w) in &mw.weights {
                let path = format!("{base}.weights{}", key(name));
                if let Some(why) = unknown_signal(name, catalog) {
                    p.push(Problem::new(path.clone(), why).expected(
                        "<feature>.count_7d|count_30d|count_90d|recency_days|trend|limit_hits_30d \
                         or module.<module>.adoption|popularity",
                    ));
                }
                weight(path, *w, &mut p);
            }
        }
        for (a, row) in &self.cooccurrence {
            let base = format!("model.cooccurrence{}", key(a));
            module(base.clone(), a, &mut p);
            for (b, lift) in row {
                let path = format!("{base}{}", key(b));
                module(path.clone(), b, &mut p);
                if !(lift.is_finite() && (0.0..=MAX_LIFT).contains(lift)) {
                    p.push(
                        Problem::new(path, format!("lift {} is out of range", number(*lift)))
                            .expected("a finite lift between 0 and 1000"),
                    );
                }
            }
        }
        for (community, row) in &self.popularity {
            let base = format!("model.popularity{}", key(community));
            for (m, share) in row {
                let path = format!("{base}{}", key(m));
                module(path.clone(), m, &mut p);
                if !(share.is_finite() && (0.0..=1.0).contains(share)) {
                    p.push(
                        Problem::new(path, format!("share {} is out of range", number(*share)))
                            .expected("a share between 0 and 1"),
                    );
                }
            }
        }
        p
    }
}

/// A model number in a message: the shortest digits that read back as `x` (`1500`, `0.25`,
/// `1e+300`, `NaN`, `inf`), from zmij, the float printer the module already carries for JSON,
/// so it links no other float formatting.
fn number(x: f64) -> String {
    let mut buffer = zmij::Buffer::new();
    let text = buffer.format(x);
    text.strip_suffix(".0").unwrap_or(text).to_string()
}

fn weight(path: String, w: f64, p: &mut Vec<Problem>) {
    if !w.is_finite() || w.abs() > MAX_WEIGHT {
        p.push(
            Problem::new(
                path,
                format!("weight {} is not finite or too large", number(w)),
            )
            .expected("a finite number between -100 and 100"),
        );
    }
}

/// Why `name` is not a known signal over `catalog`, or `None` when it is one.
fn unknown_signal(name: &str, catalog: &Catalog) -> Option<String> {
    let Some(s) = SignalName::parse(name) else {
        return Some(format!("{} is not a signal name", quoted(name)));
    };
    if s.kind.is_module_kind() {
        catalog.module(s.subject).is_none().then(|| {
            format!(
                "signal {} names unknown module {}",
                quoted(name),
                quoted(s.subject)
            )
        })
    } else {
        catalog.feature(s.subject).is_none().then(|| {
            format!(
                "signal {} names unknown feature {}",
                quoted(name),
                quoted(s.subject)
            )
        })
    }
}

/// A map key as a path segment: `.key` for plain keys, `["key"]` for keys with dots.
fn key(k: &str) -> String {
    if !k.is_empty()
        && k.chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_')
    {
        format!(".{k}")
    } else {
        format!("[{}]", quoted(k))
    }
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;
    use crate::propensity::signals::tests::catalog;

    #[test]
    fn numbers_in_messages_are_written_shortest() {
        assert_eq!(number(1500.0), "1500");
        assert_eq!(number(0.25), "0.25");
        assert_eq!(number(-120.5), "-120.5");
        assert_eq!(number(f64::NAN), "NaN");
        assert_eq!(number(f64::INFINITY), "inf");
        assert_eq!(number(f64::NEG_INFINITY), "-inf");
        assert_eq!(number(1e300), "1e+300");
        assert_eq!(number(1.5e-7), "1.5e-7");
    }

    pub(crate) fn model() -> Model {
        serde_json::from_value(serde_json::json!({
            "version": "test-1",
            "seed": 7,
            "modules": {
                "advanced-reports": {"bias": -3.0, "weights": {
                    "reports.export.count_30d": 0.8,
                    "reports.export.limit_hits_30d": 1.5
                }},
                "pipeline-forecasting": {"bias": -2.5, "weights": {
                    "forecast.pipeline.count_30d": 0.9
                }}
            },
            "cooccurrence": {"advanced-reports": {"report-scheduler": 3.0}},
            "popularity": {"*": {"report-scheduler": 0.2}}
        }))
        .unwrap()
    }

    #[test]
    fn a_good_model_passes() {
        model().check(&catalog()).unwrap();
    }

    #[test]
    fn every_problem_is_reported_with_its_path() {
        let mut m = model();
        m.version = " ".into();
        let ar = m.modules.get_mut("advanced-reports").unwrap();
        ar.bias = f64::NAN;
        ar.weights.insert("reports.export.bogus".into(), 1.0);
        ar.weights.insert("nope.count_7d".into(), 1.0);
        ar.weights.insert("module.ghost.adoption".into(), 1.0);
        ar.weights.insert("reports.export.count_7d".into(), 101.0);
        m.modules.insert("ghost".into(), ModuleWeights::default());
        m.cooccurrence
            .entry("advanced-reports".into())
            .or_default()
            .insert("e-signature".into(), f64::INFINITY);
        m.popularity
            .entry("sales-reps".into())
            .or_default()
            .insert("sandbox".into(), 1.5);
        let e = m.check(&catalog()).unwrap_err();
        assert_eq!(e.code(), "manifest_invalid");
        let paths: Vec<&str> = e.problems().iter().map(|p| p.path.as_str()).collect();
        assert_eq!(
            paths,
            [
                "model.version",
                "model.modules.advanced-reports.bias",
                "model.modules.advanced-reports.weights[\"module.ghost.adoption\"]",
                "model.modules.advanced-reports.weights[\"nope.count_7d\"]",
                "model.modules.advanced-reports.weights[\"reports.export.bogus\"]",
                "model.modules.advanced-reports.weights[\"reports.export.count_7d\"]",
                "model.modules.ghost",
                "model.cooccurrence.advanced-reports.e-signature",
                "model.popularity.sales-reps.sandbox",
            ]
        );
        assert!(e.to_string().contains("unknown feature \"nope\""), "{e}");
    }

    #[cfg(feature = "json")]
    #[test]
    fn the_json_loader_names_the_path() {
        let text = r#"{"version":"1","modules":{"sandbox":{"bias":"high"}}}"#;
        let e = crate::manifest::json::from_str::<Model>("model", text).unwrap_err();
        assert_eq!(e.path(), Some("model.modules.sandbox.bias"));
    }

    #[test]
    fn unknown_fields_are_refused() {
        let r: std::result::Result<Model, _> =
            serde_json::from_str(r#"{"version":"1","modules":{},"colour":1}"#);
        assert!(r.is_err());
    }
}
