//! The smallest fix: the settings a team controls (strategy and fenceposts, the readiness
//! probe, the preStop sleep, the grace period), tried in combinations of fewer edits first,
//! each simulated, until one deploys with no failed request within the extra pods allowed.
//! Candidates stop at their first failure, so a wrong one costs a few simulated seconds.
use super::deploy::{self, End, Target};
use super::report::Outcome;
use super::world::World;
use crate::cluster::Cluster;
use crate::lab::knobs::Knobs;
use crate::lab::workload::Strategy;
use crate::scenario::Scenario;
use crate::time::SECOND;

/// One changed setting, by its lab name, with its value before and after.
#[derive(Clone, Debug, PartialEq)]
pub struct Edit {
    pub setting: &'static str,
    pub from: String,
    pub to: String,
}

impl Edit {
    /// "preStop sleep: 0 → 3 s".
    pub fn describe(&self) -> String {
        let (what, unit) = match self.setting {
            "strategy" => ("strategy", ""),
            "surge" => ("maxSurge", ""),
            "unavailable" => ("maxUnavailable", ""),
            "readiness" => ("readiness probe", ""),
            "prestop" => ("preStop sleep", " s"),
            "grace" => ("terminationGracePeriodSeconds", ""),
            other => (other, ""),
        };
        format!("{what}: {}{unit} → {}{unit}", self.from, self.to)
    }
}

/// A scenario with its settings changed and what its deploy did.
pub struct Tried {
    pub edits: Vec<Edit>,
    pub scenario: Scenario,
    pub cluster: Cluster,
    pub end: End,
}

/// The longer of the proxies' and the ingress' lag, in whole seconds rounded up: what a preStop
/// sleep must outlast.
fn lag_seconds(s: &Scenario) -> i64 {
    let lag = s
        .network
        .endpoint_propagation
        .0
        .max(s.network.ingress.map_or(0, |i| i.propagation.0));
    (lag + SECOND - 1) / SECOND
}

/// The settings to try, each group an alternative for one concern (starting, stopping, how many
/// pods at once); a candidate takes at most one alternative per concern.
fn alternatives(k: &Knobs, lag_s: i64, budget: i32) -> Vec<Vec<Vec<(&'static str, String)>>> {
    let mut starting = vec![vec![]];
    if !k.readiness_probe {
        starting.push(vec![("readiness", "on".to_string())]);
    }
    // A sleep that outlasts the proxies' lag, a second to spare; the grace period must cover
    // it and the drain after it.
    let mut stopping = vec![vec![]];
    for sleep in [lag_s + 1, 2 * lag_s + 5] {
        if sleep <= k.pre_stop_seconds {
            continue;
        }
        let mut alt = vec![("prestop", sleep.to_string())];
        if k.grace_period_seconds < sleep + 5 {
            alt.push(("grace", (sleep + 30).to_string()));
        }
        stopping.push(alt);
    }
    stopping.push(vec![(
        "grace",
        (k.grace_period_seconds * 2).max(60).to_string(),
    )]);
    let mut at_once = vec![vec![]];
    let budget = budget.max(1).to_string();
    match k.strategy {
        Strategy::Recreate => {
            at_once.push(vec![
                ("strategy", "RollingUpdate".into()),
                ("surge", "25%".into()),
                ("unavailable", "25%".into()),
            ]);
            at_once.push(vec![
                ("strategy", "RollingUpdate".into()),
                ("surge", budget),
                ("unavailable", "0".into()),
            ]);
        }
        Strategy::RollingUpdate | Strategy::Canary => {
            if k.max_unavailable != "0" {
                at_once.push(vec![("unavailable", "0".into())]);
            }
            if k.max_surge != budget {
                at_once.push(vec![("surge", budget), ("unavailable", "0".into())]);
            }
        }
        Strategy::BlueGreen => {}
    }
    vec![starting, stopping, at_once]
}

/// Edits a person makes: a strategy change's own defaults (25% and 25%) are not counted apart.
fn cost(edits: &[(&'static str, String)]) -> usize {
    let switches = edits.iter().any(|(n, _)| *n == "strategy");
    edits
        .iter()
        .filter(|(n, v)| !(switches && matches!(*n, "surge" | "unavailable") && v == "25%"))
        .count()
}

/// Every combination of one alternative per concern, fewest edits first.
fn candidates(groups: &[Vec<Vec<(&'static str, String)>>]) -> Vec<Vec<(&'static str, String)>> {
    let mut all: Vec<Vec<(&'static str, String)>> = vec![vec![]];
    for alternatives in groups {
        all = all
            .iter()
            .flat_map(|c| {
                alternatives
                    .iter()
                    .map(move |a| [c.clone(), a.clone()].concat())
            })
            .collect();
    }
    all.retain(|c| !c.is_empty());
    crate::order::sort_by_key(&mut all, |c| cost(c));
    all
}

/// The scenario with `edits` made to the workload: through the lab's own settings, so the API's
/// validation applies; the world (images, traffic, network) stays as the check assumed it.
fn apply(
    base: &Scenario,
    knobs: &Knobs,
    edits: &[(&'static str, String)],
) -> Option<(Scenario, Vec<Edit>)> {
    let mut k = knobs.clone();
    for (name, value) in edits {
        k.set(name, value).ok()?;
    }
    let mut s = base.clone();
    k.apply(&mut s).ok()?;
    s.images = base.images.clone();
    s.traffic = base.traffic.clone();
    s.network = base.network.clone();
    s.timeline = base.timeline.clone();
    probe_the_app_port(&mut s);
    let edits = k
        .changed_from(knobs)
        .into_iter()
        .map(|(setting, to)| Edit {
            setting,
            from: knobs.get(setting).unwrap_or_default(),
            to,
        })
        .collect();
    Some((s, edits))
}

/// The lab's probe asks port 80; a real container says which port its app listens on.
fn probe_the_app_port(s: &mut Scenario) {
    let Some((_, template)) = crate::lab::workload::parts_mut(s) else {
        return;
    };
    for c in template.spec.containers.iter_mut().take(1) {
        let port = c
            .extra
            .get("ports")
            .and_then(|p| p.get(0))
            .and_then(|p| p.get("containerPort"))
            .cloned();
        let probe = c
            .readiness_probe
            .as_mut()
            .and_then(|p| p.handler.http_get.as_mut());
        if let (Some(port), Some(get)) = (port, probe) {
            if get.get("port") == Some(&serde_json::json!(80)) {
                get["port"] = port;
            }
        }
    }
}

/// The fix with the fewest edits that fails no request and keeps within `budget` extra pods
/// (the fewest extra pods, then the quickest, among equals); `None` when no combination does.
pub fn search(base: &Scenario, target: &Target, budget: i32) -> Option<Tried> {
    let knobs = Knobs::read(base)?;
    let replicas = knobs.replicas;
    let mut best: Option<(usize, (i64, i64), Tried)> = None;
    for edits in candidates(&alternatives(&knobs, lag_seconds(base), budget)) {
        let level = cost(&edits);
        if best.as_ref().is_some_and(|b| b.0 < level) {
            break;
        }
        let Some((s, described)) = apply(base, &knobs, &edits) else {
            continue;
        };
        let (c, end) = deploy::run(s.clone(), target, true);
        let extra = i64::from(c.metrics.max_not_terminating) - i64::from(replicas);
        let End::Completed { at, .. } = end else {
            continue;
        };
        if c.metrics.failed > 0 || extra > i64::from(budget) {
            continue;
        }
        let rank = (extra, at);
        if best.as_ref().is_none_or(|b| rank < b.1) {
            let tried = Tried {
                edits: described,
                scenario: s,
                cluster: c,
                end,
            };
            best = Some((level, rank, tried));
        }
    }
    best.map(|b| b.2)
}

/// When no setting fixes it: what still goes wrong with every setting at its most careful, in
/// the findings' words (each says whether the app must change).
pub fn app_changes(base: &Scenario, target: &Target, budget: i32, world: &World) -> Vec<String> {
    let Some(knobs) = Knobs::read(base) else {
        return Vec::new();
    };
    let most: Vec<(&'static str, String)> = alternatives(&knobs, lag_seconds(base), budget)
        .into_iter()
        .filter_map(|alts| alts.into_iter().max_by_key(|a| a.len()))
        .flatten()
        .collect();
    let s = apply(base, &knobs, &most).map_or_else(|| base.clone(), |(s, _)| s);
    let (c, end) = deploy::run(s.clone(), target, false);
    let out = Outcome::of(&c, &end, knobs.replicas);
    super::findings::findings(&s, world, target, &out)
        .into_iter()
        .map(|f| f.text)
        .collect()
}
