//! Held-out metrics for a ranking of candidate modules per user: pooled AUC, precision@1 and
//! @3 for the next module, lift in the top 10 % and calibration by decile.

use serde::Serialize;

/// One test row as a method scored it: (probability-like score, bought) per candidate.
pub type Scored = Vec<(f64, bool)>;

/// What a method achieved on the test rows.
#[derive(Debug, Clone, Serialize)]
pub struct Report {
    /// The method's name.
    pub method: String,
    /// AUC over every (user, candidate module) pair.
    pub auc: f64,
    /// Among buyers: share whose top candidate is what they bought.
    pub precision_at_1: f64,
    /// Among buyers: bought modules in the top 3, divided by 3.
    pub precision_at_3: f64,
    /// Among buyers: share with what they bought in the top 3.
    pub hit_at_3: f64,
    /// Purchase rate of the top 10 % of pairs over the overall rate.
    pub lift_top_10: f64,
    /// Per decile of score (lowest first): mean score and observed purchase rate.
    pub calibration: Vec<(f64, f64)>,
}

/// The metrics of `rows` for `method`.
pub fn report(method: &str, rows: &[Scored]) -> Report {
    let mut pairs: Vec<(f64, bool)> = rows.iter().flatten().copied().collect();
    pairs.sort_by(|a, b| b.0.total_cmp(&a.0));
    let (mut p1, mut p3, mut h3, mut buyers) = (0.0, 0.0, 0.0, 0.0);
    for row in rows.iter().filter(|r| r.iter().any(|c| c.1)) {
        let mut r = row.clone();
        r.sort_by(|a, b| b.0.total_cmp(&a.0));
        buyers += 1.0;
        let top3 = r.iter().take(3).filter(|c| c.1).count() as f64;
        p1 += f64::from(u8::from(r.first().is_some_and(|c| c.1)));
        p3 += top3 / 3.0;
        h3 += f64::from(u8::from(top3 > 0.0));
    }
    let share = |x: f64| if buyers > 0.0 { x / buyers } else { 0.0 };
    let rate = |s: &[(f64, bool)]| {
        if s.is_empty() {
            0.0
        } else {
            s.iter().filter(|p| p.1).count() as f64 / s.len() as f64
        }
    };
    let top = pairs.len().div_ceil(10);
    let overall = rate(&pairs);
    let lift = if overall > 0.0 {
        rate(&pairs[..top]) / overall
    } else {
        0.0
    };
    let mut calibration = Vec::new();
    let n = pairs.len();
    for d in 0..10 {
        let (lo, hi) = (n * (9 - d) / 10, n * (10 - d) / 10);
        let s = &pairs[lo..hi];
        if !s.is_empty() {
            let mean = s.iter().map(|p| p.0).sum::<f64>() / s.len() as f64;
            calibration.push((mean, rate(s)));
        }
    }
    Report {
        method: method.to_string(),
        auc: auc(&pairs),
        precision_at_1: share(p1),
        precision_at_3: share(p3),
        hit_at_3: share(h3),
        lift_top_10: lift,
        calibration,
    }
}

/// AUC of pairs sorted by descending score (ties count half).
fn auc(sorted: &[(f64, bool)]) -> f64 {
    let pos = sorted.iter().filter(|p| p.1).count() as f64;
    let neg = sorted.len() as f64 - pos;
    if pos == 0.0 || neg == 0.0 {
        return 0.5;
    }
    let (mut above, mut wins) = (0.0, 0.0);
    let mut i = 0;
    while i < sorted.len() {
        let mut j = i;
        while j < sorted.len() && sorted[j].0 == sorted[i].0 {
            j += 1;
        }
        let (p, q) =
            sorted[i..j].iter().fold(
                (0.0, 0.0),
                |(p, q), c| if c.1 { (p + 1.0, q) } else { (p, q + 1.0) },
            );
        // Negatives in this tie group lose to the positives above and tie with those here.
        wins += q * above + q * p * 0.5;
        above += p;
        i = j;
    }
    wins / (pos * neg)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn perfect_random_and_reversed() {
        let perfect = vec![vec![(0.9, true), (0.1, false), (0.2, false)]; 10];
        let r = report("m", &perfect);
        assert_eq!((r.auc, r.precision_at_1, r.hit_at_3), (1.0, 1.0, 1.0));
        assert!((r.precision_at_3 - 1.0 / 3.0).abs() < 1e-12);
        let reversed = vec![vec![(0.1, true), (0.9, false)]; 10];
        assert_eq!(report("m", &reversed).auc, 0.0);
        let ties = vec![vec![(0.5, true), (0.5, false)]; 10];
        assert_eq!(report("m", &ties).auc, 0.5);
        assert_eq!(report("m", &[]).auc, 0.5);
    }
}
