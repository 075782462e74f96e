//! Explanations in plain words, from the top positive contributions of a score.
//!
//! Each reason is worded from a template per signal kind and names the user's real
//! numbers (counts, limits, days, shares) and the catalog's feature and module names.
//! A contribution whose wording would not be true (a zero count, a falling trend under
//! a positive weight) gives no reason: an explanation never says what the signals do not.

use rust_decimal::Decimal;
use serde::Serialize;

use crate::quoted::joined;

use super::score::{Contribution, Source};
use super::signals::{FeatureSignals, SignalKind, SignalName, Signals};
use crate::manifest::{Catalog, Quota, ResetPeriod};

/// Contributions at or below this amount are not reasons.
const MIN_AMOUNT: f64 = 1e-9;

/// One reason, tied to the signal it comes from.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Reason {
    /// The signal's name, `module.<b>.cooccurrence.<a>` for co-occurrence and
    /// `module.<id>.popularity` for popularity.
    pub signal: String,
    /// The reason in plain words, starting lower-case, without a final stop.
    pub text: String,
}

/// Why a module is suggested, in plain words.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct Explanation {
    /// The reasons, strongest first.
    pub reasons: Vec<Reason>,
    /// The reasons as one sentence ("You used … and you hit …."); empty when none.
    pub text: String,
}

impl Explanation {
    fn from_reasons(reasons: Vec<Reason>) -> Explanation {
        let texts: Vec<&str> = reasons.iter().map(|r| r.text.as_str()).collect();
        let mut text = joined(&texts, " and ").to_string();
        // Every reason starts with one of our own English words or a digit, never with
        // catalog text, so ASCII capitalisation is exact; `char::to_uppercase` would link
        // core's Unicode case tables (~13 KB of the wasm) for nothing.
        if let Some(first) = text.get_mut(..1) {
            first.make_ascii_uppercase();
        }
        if !text.is_empty() {
            text.push('.');
        }
        Explanation { reasons, text }
    }

    /// True when there is nothing to say.
    pub fn is_empty(&self) -> bool {
        self.reasons.is_empty()
    }
}

/// Explains `module`'s score from its `contributions`, largest first (as
/// [`super::Scores::contributions`] gives them): at most `max_reasons` reasons, from the
/// largest positive contributions.
pub fn explain(
    module: &str,
    contributions: &[Contribution],
    signals: &Signals,
    catalog: &Catalog,
    max_reasons: usize,
) -> Explanation {
    // Already largest first (`contributions` sorts them), so no sort here.
    debug_assert!(contributions
        .windows(2)
        .all(|w| matches!(w, [a, b] if a.amount.total_cmp(&b.amount).is_ge())));
    let reasons = contributions
        .iter()
        .filter(|c| c.amount.is_finite() && c.amount > MIN_AMOUNT)
        .filter_map(|c| reason(module, c, signals, catalog))
        .take(max_reasons)
        .collect();
    Explanation::from_reasons(reasons)
}

/// Explains an owned `module` offered as help: that it was not used (or only partly)
/// in the last 30 days. Empty when every feature of it was used.
pub fn explain_help(module: &str, signals: &Signals, catalog: &Catalog) -> Explanation {
    let Some(m) = signals.modules.get(module).filter(|m| m.owned) else {
        return Explanation::default();
    };
    let name = module_name(module, catalog);
    let text = if m.features_used_30d == 0 {
        format!("you have {name} but have not used it in the last 30 days")
    } else if m.features_used_30d < m.features_total {
        format!(
            "you have {name} but have used only {} of its {} features in the last 30 days",
            m.features_used_30d, m.features_total
        )
    } else {
        return Explanation::default();
    };
    Explanation::from_reasons(vec![Reason {
        signal: format!("module.{module}.adoption"),
        text,
    }])
}

fn reason(module: &str, c: &Contribution, signals: &Signals, catalog: &Catalog) -> Option<Reason> {
    match &c.source {
        Source::Popularity => popularity(module, c.value, catalog),
        Source::Cooccurrence { owned } => (c.value > 1.0).then(|| Reason {
            signal: format!("module.{module}.cooccurrence.{owned}"),
            text: format!(
                "people who have {} are {} times as likely to have {}",
                module_name(owned, catalog),
                one_decimal(c.value),
                module_name(module, catalog)
            ),
        }),
        Source::Signal { name } => {
            let s = SignalName::parse(name)?;
            let text = signal_text(s, c, signals, catalog)?;
            Some(Reason {
                signal: name.clone(),
                text,
            })
        }
    }
}

fn popularity(module: &str, share: f64, catalog: &Catalog) -> Option<Reason> {
    // Whole percents, written as an integer: no float formatting code in the module.
    let pct = (share * 100.0).round() as i64;
    (pct >= 1).then(|| Reason {
        signal: format!("module.{module}.popularity"),
        text: format!(
            "{pct}% of your community has {}",
            module_name(module, catalog)
        ),
    })
}

fn signal_text(
    s: SignalName<'_>,
    c: &Contribution,
    signals: &Signals,
    catalog: &Catalog,
) -> Option<String> {
    if s.kind == SignalKind::Popularity {
        return popularity(s.subject, c.value, catalog).map(|r| r.text);
    }
    if s.kind == SignalKind::Adoption {
        let m = signals.modules.get(s.subject).filter(|m| m.owned)?;
        return (m.features_used_30d > 0).then(|| {
            format!(
                "you use {} of the {} features of {}",
                m.features_used_30d,
                m.features_total,
                module_name(s.subject, catalog)
            )
        });
    }
    let f: FeatureSignals = signals.features.get(s.subject).copied().unwrap_or_default();
    let feature = catalog.feature(s.subject);
    let name = feature.map_or(s.subject, |f| f.name.as_str());
    let unit = feature.and_then(|f| f.unit.as_deref());
    let used = |n: u64, days: u32| -> Option<String> {
        (n > 0).then(|| match unit {
            Some(u) => format!(
                "you used {n} {} ({name}) in the last {days} days",
                plural(u, n)
            ),
            None => format!("you used {name} {} in the last {days} days", times(n)),
        })
    };
    match s.kind {
        SignalKind::Count7d => used(f.count_7d, 7),
        SignalKind::Count30d => used(f.count_30d, 30),
        SignalKind::Count90d => used(f.count_90d, 90),
        SignalKind::LimitHits30d => (f.limit_hits_30d > 0).then(|| {
            let hits = times(f.limit_hits_30d);
            match limit_of(s.subject, signals, catalog) {
                Some(limit) => format!("you hit the limit of {limit} {hits} in the last 30 days"),
                None => format!("you hit the {name} limit {hits} in the last 30 days"),
            }
        }),
        SignalKind::RecencyDays => Some(match f.recency_days {
            None => format!("you have not used {name} yet"),
            Some(0) => return None,
            Some(d) => format!("you have not used {name} in {d} days"),
        }),
        SignalKind::Trend => {
            let t = f.trend();
            let avg = one_decimal(f.weekly_average());
            if t > 0.0 && c.weight > 0.0 {
                Some(format!(
                    "your use of {name} rose to {} in the last 7 days, from about {avg} a week",
                    f.count_7d
                ))
            } else if t < 0.0 && c.weight < 0.0 {
                Some(format!(
                    "your use of {name} fell to {} in the last 7 days, from about {avg} a week",
                    f.count_7d
                ))
            } else {
                None
            }
        }
        SignalKind::Adoption | SignalKind::Popularity => None,
    }
}

/// The user's current limit of a feature, worded ("50 exports a month"): the largest of
/// the base grant and the grants of owned modules; `None` when unlimited or unknown.
fn limit_of(feature: &str, signals: &Signals, catalog: &Catalog) -> Option<String> {
    let f = catalog.feature(feature)?;
    let owned_grants = catalog
        .modules
        .iter()
        .filter(|m| m.features.iter().any(|g| g.feature == feature) && signals.owns(&m.id))
        .flat_map(|m| m.features.iter());
    let mut best = None;
    for g in catalog.base.iter().chain(owned_grants) {
        if g.feature != feature {
            continue;
        }
        match g.limit {
            Some(Quota::Unlimited) => return None,
            Some(Quota::UpTo(q)) => best = Some(best.map_or(q, |b: Decimal| b.max(q))),
            None => {}
        }
    }
    let q = best?.normalize();
    let unit = f.unit.as_deref().unwrap_or("use");
    let n = if q == Decimal::ONE { 1 } else { 2 };
    let per = match f.reset {
        Some(ResetPeriod::Day) => " a day",
        Some(ResetPeriod::Week) => " a week",
        Some(ResetPeriod::Month) => " a month",
        Some(ResetPeriod::BillingPeriod) => " a billing period",
        Some(ResetPeriod::Never) | None => "",
    };
    Some(format!("{q} {}{per}", plural(unit, n)))
}

fn module_name<'c>(id: &'c str, catalog: &'c Catalog) -> &'c str {
    catalog.module(id).map_or(id, |m| m.name.as_str())
}

fn plural(unit: &str, n: u64) -> String {
    if n == 1 || unit.ends_with('s') || unit.chars().all(|c| c.is_ascii_uppercase()) {
        unit.to_string()
    } else {
        format!("{unit}s")
    }
}

fn times(n: u64) -> String {
    match n {
        1 => "once".into(),
        2 => "twice".into(),
        n => format!("{n} times"),
    }
}

/// At most one decimal, without a trailing `.0`. Written from whole tenths, so the module
/// carries no float formatting code.
fn one_decimal(x: f64) -> String {
    // `as` saturates; the counts and ratios explained are far below i64's range.
    let tenths = (x * 10.0).round() as i64;
    let sign = if tenths < 0 { "-" } else { "" };
    let (whole, tenth) = (tenths.unsigned_abs() / 10, tenths.unsigned_abs() % 10);
    if tenth == 0 {
        format!("{sign}{whole}")
    } else {
        format!("{sign}{whole}.{tenth}")
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::propensity::model::tests::model;
    use crate::propensity::score::tests::{exporter, NOW};
    use crate::propensity::score::Scorer;
    use crate::propensity::signals::tests::{catalog, ev};

    #[test]
    fn the_exporter_hears_their_numbers() {
        let c = catalog();
        let scorer = Scorer::new(&model(), &c).unwrap();
        let s = Signals::fold(&exporter(), NOW, &c, &[]);
        let scores = scorer.score(&s, None);
        let e = explain(
            "advanced-reports",
            &scores.contributions("advanced-reports"),
            &s,
            &c,
            3,
        );
        assert_eq!(
            e.text,
            "You used 34 exports (Report exports) in the last 30 days and you hit the \
             limit of 50 exports a month twice in the last 30 days."
        );
        assert_eq!(e.reasons[0].signal, "reports.export.count_30d");
    }

    #[test]
    fn nothing_is_said_without_support() {
        let c = catalog();
        let scorer = Scorer::new(&model(), &c).unwrap();
        let s = Signals::fold(&[], NOW, &c, &[]);
        let scores = scorer.score(&s, None);
        let e = explain(
            "advanced-reports",
            &scores.contributions("advanced-reports"),
            &s,
            &c,
            3,
        );
        // Popularity of 0 % and no usage: nothing to say.
        assert!(e.is_empty() && e.text.is_empty(), "{e:?}");
    }

    #[test]
    fn fallback_names_the_owned_module_and_the_share() {
        let c = catalog();
        let scorer = Scorer::new(&model(), &c).unwrap();
        let s = Signals::fold(&[], NOW, &c, &["advanced-reports".into()]);
        let scores = scorer.score(&s, None);
        let e = explain(
            "report-scheduler",
            &scores.contributions("report-scheduler"),
            &s,
            &c,
            3,
        );
        assert_eq!(
            e.text,
            "People who have Advanced Reports are 3 times as likely to have Report Scheduler \
             and 20% of your community has Report Scheduler."
        );
    }

    #[test]
    fn help_says_unused_or_partly_used() {
        let c = catalog();
        let owned = ["advanced-reports".to_string()];
        let s = Signals::fold(&[], NOW, &c, &owned);
        assert_eq!(
            explain_help("advanced-reports", &s, &c).text,
            "You have Advanced Reports but have not used it in the last 30 days."
        );
        let s = Signals::fold(&[ev("reports.export", 3, 2, NOW)], NOW, &c, &owned);
        assert_eq!(
            explain_help("advanced-reports", &s, &c).text,
            "You have Advanced Reports but have used only 1 of its 2 features in the last 30 days."
        );
        assert!(explain_help("sandbox", &s, &c).is_empty());
    }

    #[test]
    fn words() {
        assert_eq!(plural("call-minute", 2), "call-minutes");
        assert_eq!(plural("GB", 10), "GB");
        assert_eq!(times(1), "once");
        assert_eq!(times(7), "7 times");
        assert_eq!(one_decimal(4.6667), "4.7");
        assert_eq!(one_decimal(3.0), "3");
        assert_eq!(one_decimal(0.04), "0");
        assert_eq!(one_decimal(-1.25), "-1.3");
    }

    #[test]
    fn one_decimal_writes_what_float_formatting_would() {
        for i in -20_000..20_000 {
            let x = f64::from(i) * 0.0137;
            let r = (x * 10.0).round() / 10.0;
            let formatted = if r.fract() == 0.0 {
                format!("{r:.0}")
            } else {
                format!("{r:.1}")
            };
            // Float formatting writes -0 for a negative number rounded to zero; we write 0.
            let expected = if formatted == "-0" {
                "0".to_string()
            } else {
                formatted
            };
            assert_eq!(one_decimal(x), expected, "{x}");
        }
    }
}
