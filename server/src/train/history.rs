//! The demo scenario's purchase history, generated: synthetic customer accounts whose users
//! (in Halvorsen's five communities) show 90 days of usage before a decision date, what they
//! owned then and which module they bought next, or none.
//!
//! Seeded and clock-free: the same seed writes the same bytes. The truths it encodes, with
//! noise (an account effect and a per-user, per-module effect):
//! - hitting the `reports.export` limit (50 a month) makes Advanced Reports likely;
//! - managers who export heavily (forecasts rebuilt in spreadsheets) and users who used
//!   `forecast.pipeline` in a trial buy Pipeline Forecasting;
//! - reps sending many contracts (envelopes from the department's pool, refused when it
//!   runs dry) buy E-Signature; heavy enrichment users buy Data Enrichment;
//! - AI Email Assistant follows its trial's use; Report Scheduler follows real use of
//!   Advanced Reports; admins hitting the API or storage limits buy API Boost or Extra
//!   Storage; support teams piloting call analysis buy Conversation Insights.

use std::fmt::Write as _;

use inflow::calendar::Date;

use super::random::Random;

/// Features whose usage the history records, with whether they have a base limit.
const FEATURES: [&str; 13] = [
    "reports.export",
    "reports.advanced",
    "reports.schedule",
    "forecast.pipeline",
    "territory.plan",
    "esign.envelopes",
    "enrich.credits",
    "email.assistant",
    "email.templates",
    "calls.minutes",
    "api.calls",
    "storage.gb",
    "sandbox.env",
];

/// Features whose refusals the history records (`limit_hits_30d`).
const LIMITED: [&str; 4] = [
    "reports.export",
    "esign.envelopes",
    "api.calls",
    "storage.gb",
];

/// The modules, and the features each grants (for adoption).
const MODULES: [(&str, &[&str]); 12] = [
    ("advanced-reports", &["reports.advanced", "reports.export"]),
    (
        "ai-email-assistant",
        &["email.assistant", "email.templates"],
    ),
    ("api-boost", &["api.calls"]),
    ("basic-templates", &["email.templates"]),
    ("conversation-insights", &["calls.minutes"]),
    ("data-enrichment", &["enrich.credits"]),
    ("e-signature", &["esign.envelopes"]),
    ("extra-storage", &["storage.gb"]),
    ("pipeline-forecasting", &["forecast.pipeline"]),
    ("report-scheduler", &["reports.schedule"]),
    ("sandbox", &["sandbox.env"]),
    ("territory-planning", &["territory.plan"]),
];

/// The communities of the policy: id, department, roles, share of users, modules offered.
/// id, department, roles, share of users, modules offered.
type Community = (
    &'static str,
    &'static str,
    &'static [&'static str],
    f64,
    &'static [&'static str],
);

const COMMUNITIES: [Community; 5] = [
    ("sales-reps", "sales", &["rep"], 0.45, &SALES),
    ("sales-managers", "sales", &["manager"], 0.10, &MANAGERS),
    (
        "marketing",
        "marketing",
        &["specialist", "analyst"],
        0.15,
        &MARKETING,
    ),
    (
        "support",
        "support",
        &["agent", "agent", "lead"],
        0.20,
        &["conversation-insights"],
    ),
    (
        "admins",
        "it",
        &["admin"],
        0.10,
        &["api-boost", "extra-storage", "sandbox"],
    ),
];
const SALES: [&str; 6] = [
    "advanced-reports",
    "ai-email-assistant",
    "basic-templates",
    "data-enrichment",
    "e-signature",
    "pipeline-forecasting",
];
const MANAGERS: [&str; 8] = [
    "advanced-reports",
    "ai-email-assistant",
    "basic-templates",
    "data-enrichment",
    "e-signature",
    "pipeline-forecasting",
    "report-scheduler",
    "territory-planning",
];
const MARKETING: [&str; 3] = ["advanced-reports", "ai-email-assistant", "data-enrichment"];

const REGIONS: [(&str, f64); 3] = [("US", 0.55), ("EU", 0.30), ("APAC", 0.15)];

/// One user's monthly intent per feature: what they would use in 30 days if nothing refused.
type Usage = [f64; FEATURES.len()];

fn at(feature: &str) -> usize {
    FEATURES.iter().position(|f| *f == feature).unwrap_or(0)
}

/// The history as CSV text: `users` users in accounts of about 16, decision dates over
/// 18 months from 2025-05-01.
pub fn generate(users: usize, seed: u64) -> String {
    let mut r = Random::new(seed);
    let mut out = header();
    let accounts = (users / 16).max(1);
    let account_effect: Vec<(f64, &str)> = (0..accounts)
        .map(|_| {
            let region = REGIONS[r.pick(&REGIONS.map(|x| x.1))].0;
            (0.5 * r.normal(), region)
        })
        .collect();
    let start = Date::from_ymd(2025, 5, 1).ok();
    for u in 0..users {
        let a = r.below(accounts as u64) as usize;
        let (effect, region) = account_effect.get(a).copied().unwrap_or((0.0, "US"));
        let c = r.pick(&COMMUNITIES.map(|c| c.3));
        let (community, department, roles, _, offered) = COMMUNITIES[c];
        let role = roles[r.below(roles.len() as u64) as usize];
        let decided = start.map(|d| d.plus_days(r.below(548) as i64).to_string());
        let owned = owned(&mut r, offered);
        let owns = |m: &str| owned.contains(&m);
        let (intent, trial) = intent(&mut r, community, &owns);
        let row = observe(&mut r, &intent, &owns);
        let bought = next_purchase(
            &mut r, community, offered, &owned, &intent, &trial, &row, effect,
        );
        let _ = write!(
            out,
            "acct-{a:04},u-{u:05},{},{department},{role},{region},{community},{},{}",
            decided.unwrap_or_default(),
            owned.join(";"),
            bought.unwrap_or("none"),
        );
        for f in &row.features {
            let _ = write!(out, ",{},{},{},", f.c7, f.c30, f.c90);
            if let Some(d) = f.recency {
                let _ = write!(out, "{d}");
            }
        }
        for i in LIMITED.map(at) {
            let _ = write!(out, ",{}", row.features.get(i).map_or(0, |f| f.hits));
        }
        for (m, features) in MODULES {
            let used = features
                .iter()
                .filter(|f| row.features.get(at(f)).is_some_and(|x| x.c30 > 0))
                .count();
            let adoption = if owns(m) {
                used as f64 / features.len() as f64
            } else {
                0.0
            };
            let _ = write!(out, ",{}", round(adoption, 2));
        }
        out.push('\n');
    }
    out
}

fn header() -> String {
    let mut h =
        String::from("account,user,decided_at,department,role,region,community,owned,bought_next");
    for f in FEATURES {
        let _ = write!(
            h,
            ",{f}.count_7d,{f}.count_30d,{f}.count_90d,{f}.recency_days"
        );
    }
    for f in LIMITED {
        let _ = write!(h, ",{f}.limit_hits_30d");
    }
    for (m, _) in MODULES {
        let _ = write!(h, ",module.{m}.adoption");
    }
    h.push('\n');
    h
}

/// What the user owned at the decision date (respecting requires and excludes).
fn owned<'a>(r: &mut Random, offered: &[&'a str]) -> Vec<&'a str> {
    let mut owned: Vec<&str> = Vec::new();
    for m in offered {
        let p = match *m {
            "report-scheduler" => 0.10,
            "basic-templates" => 0.20,
            _ => 0.14,
        };
        let blocked = (*m == "report-scheduler" && !owned.contains(&"advanced-reports"))
            || (*m == "basic-templates" && owned.contains(&"ai-email-assistant"));
        if !blocked && r.chance(p) {
            owned.push(m);
        }
    }
    owned.sort_unstable();
    owned
}

/// Trials under way before the decision (usage of a module not owned).
#[derive(Default)]
struct Trials {
    forecasting: bool,
    assistant: bool,
}

/// Monthly intent per feature for a user of `community`.
fn intent(r: &mut Random, community: &str, owns: &dyn Fn(&str) -> bool) -> (Usage, Trials) {
    let mut u = [0.0; FEATURES.len()];
    let mut t = Trials::default();
    let sales = community.starts_with("sales");
    let mut set = |f: &str, v: f64| u[at(f)] = v;
    let export = match community {
        "sales-reps" => r.lognormal(16.0, 0.9),
        "sales-managers" if r.chance(0.35) => r.lognormal(75.0, 0.5),
        "sales-managers" => r.lognormal(20.0, 0.8),
        "marketing" => r.lognormal(14.0, 0.9),
        _ => r.lognormal(2.0, 0.8),
    };
    set("reports.export", export);
    if owns("advanced-reports") && r.chance(0.7) {
        set("reports.advanced", r.lognormal(10.0, 0.7));
    }
    if owns("report-scheduler") {
        set("reports.schedule", r.lognormal(6.0, 0.5));
    }
    if owns("pipeline-forecasting") {
        set("forecast.pipeline", r.lognormal(12.0, 0.6));
    } else if sales
        && r.chance(if community == "sales-managers" {
            0.4
        } else {
            0.2
        })
    {
        t.forecasting = true;
        set("forecast.pipeline", r.lognormal(5.0, 0.9));
    }
    if owns("territory-planning") {
        set("territory.plan", r.lognormal(4.0, 0.5));
    }
    if sales {
        let heavy = r.chance(0.25);
        set(
            "esign.envelopes",
            r.lognormal(if heavy { 24.0 } else { 2.0 }, 0.6),
        );
    }
    if sales || community == "marketing" {
        let heavy = r.chance(0.15);
        set(
            "enrich.credits",
            r.lognormal(if heavy { 400.0 } else { 30.0 }, 0.8),
        );
    }
    if owns("ai-email-assistant") {
        set("email.assistant", r.lognormal(25.0, 0.6));
    } else if (sales || community == "marketing") && r.chance(0.2) {
        t.assistant = true;
        set("email.assistant", r.lognormal(6.0, 0.9));
    }
    if owns("ai-email-assistant") || owns("basic-templates") {
        set("email.templates", r.lognormal(20.0, 0.7));
    }
    if community == "support" {
        let pilot = owns("conversation-insights") || r.chance(0.4);
        set(
            "calls.minutes",
            if pilot { r.lognormal(150.0, 1.0) } else { 0.0 },
        );
    }
    if community == "admins" {
        let heavy = r.chance(0.3);
        set(
            "api.calls",
            r.lognormal(if heavy { 14_000.0 } else { 5_000.0 }, 0.4),
        );
        set("storage.gb", r.lognormal(7.0, 0.35));
        if owns("sandbox") {
            set("sandbox.env", r.lognormal(8.0, 0.5));
        }
    }
    (u, t)
}

/// What the telemetry shows of one feature.
#[derive(Clone, Copy, Default)]
struct Observed {
    c7: u64,
    c30: u64,
    c90: u64,
    recency: Option<u64>,
    hits: u64,
}

struct Row {
    features: Vec<Observed>,
}

/// Draws the counts: limits of the base (and of the envelope pool) refuse what exceeds them.
fn observe(r: &mut Random, intent: &Usage, owns: &dyn Fn(&str) -> bool) -> Row {
    let limit = |f: &str| -> Option<f64> {
        match f {
            "reports.export" if !owns("advanced-reports") => Some(50.0),
            "esign.envelopes" if !owns("e-signature") => Some(25.0),
            "api.calls" if !owns("api-boost") => Some(10_000.0),
            "storage.gb" if !owns("extra-storage") => Some(10.0),
            _ => None,
        }
    };
    let features = FEATURES
        .iter()
        .zip(intent)
        .map(|(f, &want)| {
            let want30 = r.poisson(want) as f64;
            let (used30, hits) = match limit(f) {
                Some(l) if want30 > l => (l, 1 + ((want30 - l) / (l / 10.0).max(1.0)) as u64),
                _ => (want30, 0),
            };
            let c30 = used30 as u64;
            let c90 = c30 + r.poisson(used30 * 2.0);
            let c7 = r.poisson(used30 * 7.0 / 30.0).min(c30);
            let recency = (c90 > 0).then(|| {
                let gap = if c30 > 0 { 30.0 / c30 as f64 } else { 45.0 };
                (r.unit() * 2.0 * gap).min(89.0) as u64
            });
            Observed {
                c7,
                c30,
                c90,
                recency,
                hits,
            }
        })
        .collect();
    Row { features }
}

/// The truths: the log-odds of buying each module next.
#[allow(clippy::too_many_arguments)]
fn next_purchase(
    r: &mut Random,
    community: &str,
    offered: &[&'static str],
    owned: &[&str],
    intent: &Usage,
    trial: &Trials,
    row: &Row,
    account: f64,
) -> Option<&'static str> {
    let obs = |f: &str| row.features.get(at(f)).copied().unwrap_or_default();
    let l = |x: u64| (x as f64).ln_1p();
    let manager = community == "sales-managers";
    let mut best: Option<(f64, &'static str)> = None;
    for &m in offered {
        let blocked = owned.contains(&m)
            || (m == "report-scheduler" && !owned.contains(&"advanced-reports"))
            || (m == "basic-templates" && owned.contains(&"ai-email-assistant"))
            || (m == "ai-email-assistant" && owned.contains(&"basic-templates"));
        if blocked {
            continue;
        }
        let z = match m {
            "advanced-reports" => {
                let e = obs("reports.export");
                -3.6 + if e.hits > 0 { 2.4 } else { 0.0 } + 0.3 * l(e.hits) + 0.15 * l(e.c30)
            }
            "pipeline-forecasting" => {
                let spreadsheet = manager && intent[at("reports.export")] > 45.0;
                -3.8 + if spreadsheet { 2.2 } else { 0.0 }
                    + if trial.forecasting {
                        0.9 * l(obs("forecast.pipeline").c30)
                    } else {
                        0.0
                    }
            }
            "e-signature" => {
                let e = obs("esign.envelopes");
                -4.0 + 0.6 * l(e.c30) + if e.hits > 0 { 1.4 } else { 0.0 }
            }
            "data-enrichment" => -4.6 + 0.45 * l(obs("enrich.credits").c30),
            "ai-email-assistant" => {
                -3.8 + if trial.assistant {
                    1.1 * l(obs("email.assistant").c30)
                } else {
                    0.0
                }
            }
            "basic-templates" => -3.9,
            "report-scheduler" => -3.6 + 0.9 * l(obs("reports.advanced").c30),
            "territory-planning" => -3.2,
            "conversation-insights" => -3.6 + 0.55 * l(obs("calls.minutes").c30),
            "api-boost" => -3.6 + 1.3 * l(obs("api.calls").hits),
            "extra-storage" => -3.4 + 1.5 * l(obs("storage.gb").hits),
            "sandbox" => -4.0 + 0.4 * (obs("api.calls").c30 as f64 / 2_000.0).min(5.0),
            _ => -5.0,
        } + account
            + 0.4 * r.normal();
        let p = 1.0 / (1.0 + (-z).exp());
        if r.chance(p) {
            let key = z + r.gumbel();
            if best.map_or(true, |(k, _)| key > k) {
                best = Some((key, m));
            }
        }
    }
    best.map(|(_, m)| m)
}

fn round(x: f64, places: i32) -> f64 {
    let f = 10f64.powi(places);
    (x * f).round() / f
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn same_seed_same_bytes_and_a_rectangular_table() {
        let a = generate(300, 5);
        assert_eq!(a, generate(300, 5));
        assert_ne!(a, generate(300, 6));
        let width = a.lines().next().map(|h| h.split(',').count());
        assert!(a.lines().all(|l| Some(l.split(',').count()) == width));
        assert_eq!(a.lines().count(), 301);
    }

    #[test]
    fn limit_hitters_buy_advanced_reports_more_often() {
        let text = generate(3000, 11);
        let mut lines = text.lines();
        let header: Vec<&str> = lines.next().unwrap_or_default().split(',').collect();
        let col = |n: &str| header.iter().position(|h| *h == n).unwrap();
        let (hits, label) = (col("reports.export.limit_hits_30d"), col("bought_next"));
        let (mut n, mut buy, mut n0, mut buy0) = (0.0, 0.0, 0.0, 0.0);
        for l in lines {
            let f: Vec<&str> = l.split(',').collect();
            let ar = f[label] == "advanced-reports";
            if f[hits] != "0" {
                n += 1.0;
                buy += f64::from(u8::from(ar));
            } else {
                n0 += 1.0;
                buy0 += f64::from(u8::from(ar));
            }
        }
        assert!(buy / n > 3.0 * buy0 / n0, "{buy}/{n} vs {buy0}/{n0}");
    }
}
