//! Propensity calibration: for the suggestions the model scored, the mean predicted
//! probability against the share that was bought, per decile of predicted probability.

use serde::{Deserialize, Serialize};

/// One scored suggestion and whether it was bought.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Prediction {
    /// The model's probability, 0 to 1 (out-of-range values are clamped).
    pub probability: f64,
    /// Whether the user bought the module afterwards.
    pub bought: bool,
}

/// One decile: predictions with probability in `[from, to)` (the last includes 1).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Decile {
    /// Lower bound.
    pub from: f64,
    /// Upper bound.
    pub to: f64,
    /// Predictions in it.
    pub count: u32,
    /// Their mean probability (absent when empty).
    pub predicted: Option<f64>,
    /// The share bought (absent when empty).
    pub observed: Option<f64>,
}

/// Ten deciles of predicted probability, each with predicted and observed rates.
pub fn calibration(predictions: &[Prediction]) -> Vec<Decile> {
    let mut sums = [(0u32, 0.0f64, 0u32); 10];
    for p in predictions {
        if !p.probability.is_finite() {
            continue;
        }
        let q = p.probability.clamp(0.0, 1.0);
        // Truncation is the point: 0.37 falls in decile 3; 1.0 joins the last.
        let i = ((q * 10.0) as usize).min(9);
        if let Some(s) = sums.get_mut(i) {
            s.0 = s.0.saturating_add(1);
            s.1 += q;
            s.2 = s.2.saturating_add(u32::from(p.bought));
        }
    }
    sums.iter()
        .enumerate()
        .map(|(i, &(n, sum, bought))| Decile {
            from: i as f64 / 10.0,
            to: (i + 1) as f64 / 10.0,
            count: n,
            predicted: (n > 0).then(|| sum / f64::from(n)),
            observed: (n > 0).then(|| f64::from(bought) / f64::from(n)),
        })
        .collect()
}
