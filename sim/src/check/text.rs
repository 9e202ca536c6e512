//! The check's report, for a terminal and as JSON (`rollout-sim check`, `--json`). The page
//! draws the same parts itself.
use super::deploy::End;
use super::findings::secs;
use super::world::{World, FIELDS};
use super::{Check, Suggestion};
use crate::summary::thousands;
use crate::time::{fmt_secs, Ms};
use serde_json::{json, Value};

/// What the simulation leaves out, said in every report.
pub const NOT_MODELLED: [&str; 7] = [
    "scheduling and resources: every pod finds a node at once, none waits Pending",
    "the app's own code: it starts, answers and stops as the assumptions say, nothing else",
    "PodDisruptionBudgets, autoscalers and node drains happening during the deploy",
    "client retries (except the ingress controller's) and DNS caching",
    "service meshes and their sidecars' own shutdown",
    "network latency between nodes and topology-aware routing",
    "metrics providers: an AnalysisTemplate measures the simulated requests",
];

/// Where the rules live, for a reader of the terminal report.
pub const RULE_BOOK: &str = "docs/semantics.md";

/// The headline: "37 of 9,210 requests failed (4.0 per 1,000)" or "No request failed".
pub fn verdict(c: &Check) -> String {
    let f = &c.outcome.figures;
    if f.failed == 0 {
        format!(
            "No request failed ({} sent during the deploy).",
            thousands(f.sent)
        )
    } else {
        format!(
            "{} of {} requests failed during the deploy ({} per 1,000).",
            thousands(f.failed),
            thousands(f.sent),
            crate::decimal::short(f.per_thousand(), 1)
        )
    }
}

/// How it ended, in a sentence.
pub fn ending(end: &End) -> String {
    match end {
        End::Completed { at, settled } => format!(
            "Complete {} after the change; the last old pod was gone at {}.",
            secs(at - super::deploy::DEPLOY_AT),
            fmt_secs(*settled)
        ),
        End::Stalled { at, why } => format!("Stalled at {}: {why}.", fmt_secs(*at)),
    }
}

/// The figures as (label, value) rows.
pub fn figures(c: &Check) -> Vec<(&'static str, String)> {
    let f = &c.outcome.figures;
    vec![
        (
            "Extra pods at the peak",
            f.peak_extra_pods.max(0).to_string(),
        ),
        (
            "Lowest available",
            format!("{} of {}", f.lowest_available, f.replicas),
        ),
        (
            "Time to finish",
            f.time_to_finish.map_or("did not finish".into(), secs),
        ),
        (
            "Failures per 1,000",
            crate::decimal::short(f.per_thousand(), 1),
        ),
        (
            "Worst second",
            f.worst_second.map_or("none".into(), |(at, n)| {
                format!("{n} failed at {}", fmt_secs(at))
            }),
        ),
    ]
}

/// A part of the report as rows, which the page draws as a table.
pub struct Table {
    pub title: &'static str,
    pub head: [&'static str; 4],
    /// The first cell of each row heads it.
    pub rows: Vec<[String; 4]>,
}

pub fn groups_table(c: &Check) -> Table {
    Table {
        title: "Failed requests by cause",
        head: ["Cause", "Requests", "When", "The first one"],
        rows: c
            .outcome
            .groups
            .iter()
            .map(|g| {
                [
                    g.why.label().to_string(),
                    thousands(g.count),
                    format!("{} to {}", fmt_secs(g.first), fmt_secs(g.last)),
                    g.example
                        .as_ref()
                        .map(|e| e.cause.clone())
                        .unwrap_or_default(),
                ]
            })
            .collect(),
    }
}

pub fn assumptions_table(w: &World) -> Table {
    Table {
        title: "What the check assumed",
        head: ["What", "Value", "", "Why"],
        rows: assumptions(w)
            .into_iter()
            .map(|(label, value, assumed, why)| {
                let mark = if assumed { "assumed" } else { "given" };
                [label.to_string(), value, mark.to_string(), why.to_string()]
            })
            .collect(),
    }
}

/// The assumptions as (label, value, assumed, why).
pub fn assumptions(w: &World) -> Vec<(&'static str, String, bool, &'static str)> {
    FIELDS
        .iter()
        .map(|f| {
            let value = match (f.name, w.get(f.name)) {
                ("extra-pods", v) if v.is_empty() => "what the manifests allow (at least 1)".into(),
                (_, v) => v,
            };
            (f.label, value, !w.given.contains(&f.name), f.why)
        })
        .collect()
}

pub fn text(c: &Check, world: &World) -> String {
    let t = &c.target;
    let mut out = format!(
        "Checked {}: {} → {}, at {} requests/s.\n\n{}\n{}\n\n",
        t.object(),
        t.from,
        t.to,
        crate::decimal::short(world.requests_per_second, 1),
        verdict(c),
        ending(&c.outcome.end)
    );
    for (label, value) in figures(c) {
        out += &format!("  {label:<24}{value}\n");
    }
    let groups = groups_table(c);
    if !groups.rows.is_empty() {
        out += &format!("\n{}\n", groups.title);
        for [cause, count, when, first] in &groups.rows {
            out += &format!("  {count:>6}  {cause} ({when})\n");
            if !first.is_empty() {
                out += &format!("          e.g. {first}\n");
            }
        }
    }
    if !c.findings.is_empty() {
        out += "\nFindings\n";
        for f in &c.findings {
            let rules = if f.rules.is_empty() {
                String::new()
            } else {
                format!(" [{RULE_BOOK}: {}]", f.rules.join(", "))
            };
            out += &format!("  - {}{rules}\n", f.text);
        }
    }
    out += &suggestion(c);
    out += "\nThe deploy, step by step\n";
    for (at, text) in steps(&c.outcome.steps) {
        out += &format!("  {:>8}  {text}\n", fmt_secs(at));
    }
    out += "\nAssumed (say otherwise with --NAME VALUE)\n";
    for (label, value, assumed, why) in assumptions(world) {
        let mark = if assumed { "assumed" } else { "given" };
        out += &format!("  {label}: {value} ({mark}: {why})\n");
    }
    for w in &c.warnings {
        out += &format!("  Note: {w}\n");
    }
    out += &format!("\nNot modelled: {}.\n", NOT_MODELLED.join("; "));
    out
}

/// The steps worth reading: at most 40, the rest counted.
fn steps(all: &[(Ms, String)]) -> Vec<(Ms, String)> {
    let mut shown: Vec<(Ms, String)> = all.iter().take(40).cloned().collect();
    if all.len() > 40 {
        let last = all.last().map_or(0, |s| s.0);
        shown.push((last, format!("… and {} more", all.len() - 40)));
    }
    shown
}

fn suggestion(c: &Check) -> String {
    match &c.suggestion {
        Suggestion::NoneNeeded => String::new(),
        Suggestion::Fix(fix) => {
            let n = fix.edits.len();
            let mut out = format!(
                "\nThe smallest fix ({n} edit{})\n",
                if n == 1 { "" } else { "s" }
            );
            for e in &fix.edits {
                out += &format!("  {}\n", e.describe());
            }
            let f = &fix.outcome.figures;
            out += &format!(
                "  With it: {} failed, {} extra pod{} at the peak, {}.\n\n  {}\n\n",
                thousands(f.failed),
                f.peak_extra_pods.max(0),
                if f.peak_extra_pods == 1 { "" } else { "s" },
                f.time_to_finish
                    .map_or("does not finish".into(), |t| format!(
                        "complete in {}",
                        secs(t)
                    )),
                fix.command
            );
            for line in fix.diff.lines() {
                out += &format!("  {line}\n");
            }
            out
        }
        Suggestion::App(advice) => {
            let mut out =
                "\nNo setting the manifests control fixes this; the app must change:\n".to_string();
            for a in advice {
                out += &format!("  - {a}\n");
            }
            out
        }
    }
}

fn s(ms: Ms) -> f64 {
    ms as f64 / 1000.0
}

pub fn json(c: &Check, world: &World) -> Value {
    let f = &c.outcome.figures;
    let end = match &c.outcome.end {
        End::Completed { at, settled } => {
            json!({"completed": true, "at_s": s(*at), "settled_s": s(*settled)})
        }
        End::Stalled { at, why } => json!({"completed": false, "at_s": s(*at), "why": why}),
    };
    let by_cause: serde_json::Map<String, Value> = crate::traffic::Why::ALL
        .iter()
        .map(|w| {
            let n = c
                .outcome
                .groups
                .iter()
                .find(|g| g.why == *w)
                .map_or(0, |g| g.count);
            (w.as_str().to_string(), json!(n))
        })
        .collect();
    let (fix, app) = match &c.suggestion {
        Suggestion::Fix(x) => (
            json!({
                "edits": x.edits.iter().map(|e| json!({"setting": e.setting, "from": e.from, "to": e.to})).collect::<Vec<_>>(),
                "patch_type": x.patch_type.name(),
                "patch": x.patch,
                "command": x.command,
                "diff": x.diff,
                "failed": x.outcome.figures.failed,
                "peak_extra_pods": x.outcome.figures.peak_extra_pods.max(0),
                "time_to_finish_s": x.outcome.figures.time_to_finish.map(s),
            }),
            Vec::new(),
        ),
        Suggestion::App(a) => (Value::Null, a.clone()),
        Suggestion::NoneNeeded => (Value::Null, Vec::new()),
    };
    json!({
        "ok": c.passed(),
        "target": {"object": c.target.object(), "container": c.target.container, "from": c.target.from, "to": c.target.to},
        "end": end,
        "figures": {
            "replicas": f.replicas,
            "sent": f.sent,
            "failed": f.failed,
            "failures_per_thousand": f.per_thousand(),
            "peak_extra_pods": f.peak_extra_pods.max(0),
            "lowest_available": f.lowest_available,
            "time_to_finish_s": f.time_to_finish.map(s),
            "worst_second": f.worst_second.map(|(at, n)| json!({"at_s": s(at), "failed": n})),
        },
        "failed_by_cause": by_cause,
        "groups": c.outcome.groups.iter().map(|g| json!({
            "cause": g.why.as_str(), "label": g.why.label(), "count": g.count,
            "first_s": s(g.first), "last_s": s(g.last),
            "example": g.example.as_ref().map(|e| e.cause.clone()),
        })).collect::<Vec<_>>(),
        "findings": c.findings.iter().map(|x| json!({
            "text": x.text, "at_s": s(x.at), "lesson": x.lesson, "rules": x.rules, "app": x.app,
        })).collect::<Vec<_>>(),
        "fix": fix,
        "app_changes": app,
        "extra_pods_allowed": c.budget,
        "timeline": c.outcome.steps.iter().map(|(at, t)| json!({"at_s": s(*at), "text": t})).collect::<Vec<_>>(),
        "pods": c.outcome.samples.iter().map(|(at, row)| json!({
            "at_s": s(*at),
            "versions": row.iter().map(|(image, ready, not_ready, terminating)| json!({
                "image": image, "ready": ready, "not_ready": not_ready, "terminating": terminating,
            })).collect::<Vec<_>>(),
        })).collect::<Vec<_>>(),
        "assumptions": assumptions(world).into_iter().map(|(label, value, assumed, why)| json!({
            "label": label, "value": value, "assumed": assumed, "why": why,
        })).collect::<Vec<_>>(),
        "warnings": c.warnings,
        "not_modelled": NOT_MODELLED,
        "rule_book": RULE_BOOK,
    })
}
