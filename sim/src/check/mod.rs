//! "What will my next deploy do to my users?": real manifests as pasted (several documents,
//! `kubectl get -o yaml` with status and managedFields, Helm output), the world they run in
//! (what no manifest says: `world`), one change (a new image). The deploy is simulated to its
//! end (`deploy`), measured (`report`), explained (`findings`), and the smallest change of the
//! settings a team controls that fails nothing is searched for (`fix`). `text` prints it all.
pub mod deploy;
pub mod findings;
pub mod fix;
pub mod report;
pub mod text;
pub mod world;

use crate::cluster::Cluster;
use crate::lab::workload::{self, Strategy};
use crate::manifest::Object;
use crate::patch::PatchType;
use crate::scenario::Scenario;
use crate::yaml::{Origin, SourceError};
use deploy::{End, Target};
use findings::Finding;
use report::Outcome;
use world::World;

/// What a person gives the check.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Input {
    pub manifests: String,
    pub world: World,
    /// The container whose image changes (the workload's first when `None`).
    pub container: Option<String>,
    /// The image to deploy (the next tag of the running one when `None`).
    pub image: Option<String>,
}

/// The fix, ready to copy: the edits, the patch and the manifest's diff.
pub struct Fix {
    pub edits: Vec<fix::Edit>,
    pub patch: serde_json::Value,
    pub patch_type: PatchType,
    /// `kubectl patch deployment web -p '…'`.
    pub command: String,
    pub diff: String,
    /// The whole paste with the fix made, every object as the API server would store it.
    pub paste: String,
    pub scenario: Scenario,
    pub outcome: Outcome,
    /// The fixed deploy as a scenario file the lab opens (`lab_file`).
    pub lab_file: String,
}

pub enum Suggestion {
    /// The deploy fails no request as it stands.
    NoneNeeded,
    Fix(Box<Fix>),
    /// No setting fixes it: what must change in the app.
    App(Vec<String>),
}

pub struct Check {
    pub target: Target,
    pub scenario: Scenario,
    pub cluster: Cluster,
    pub outcome: Outcome,
    pub findings: Vec<Finding>,
    /// Extra pods the fix may use, and whether that was assumed.
    pub budget: i32,
    pub suggestion: Suggestion,
    /// What the reading noticed (fields not simulated, a Service added).
    pub warnings: Vec<String>,
    /// The deploy as a scenario file the lab opens (`lab_file`).
    pub lab_file: String,
}

/// Runs the check; an unreadable paste is refused with its line and column.
pub fn check(input: &Input) -> Result<Check, SourceError> {
    if input.manifests.len() > crate::limits::FILE_BYTES {
        let why = crate::limits::exceeded("the paste", "1 MiB");
        return Err(SourceError::new(0, 0, why));
    }
    let (objects, assumed) = read(&input.manifests)?;
    let pasted = objects.len();
    let mut scenario = deploy::world(objects, &input.world);
    let target = deploy::target(
        &scenario,
        input.container.as_deref(),
        input.image.as_deref(),
    )
    .map_err(|e| SourceError::new(0, 0, e))?;
    deploy::change(&mut scenario, &target);
    let mut warnings = assumed;
    warnings.append(&mut scenario.warnings);
    warnings.extend(crate::manifest::kept_note(&scenario.objects));
    let replicas = workload::read(&scenario).map_or(0, |w| w.1);
    let budget = input
        .world
        .extra_pods
        .unwrap_or_else(|| allowed_now(&scenario).max(1));
    let (cluster, end) = deploy::run(scenario.clone(), &target, false);
    let outcome = Outcome::of(&cluster, &end, replicas);
    let findings = findings::findings(&scenario, &input.world, &target, &outcome);
    let suggestion = if outcome.failed() == 0 && matches!(end, End::Completed { .. }) {
        Suggestion::NoneNeeded
    } else {
        match fix::search(&scenario, &target, budget) {
            Some(tried) => {
                Suggestion::Fix(Box::new(fixed(&scenario, &target, tried, replicas, pasted)))
            }
            None => Suggestion::App(fix::app_changes(&scenario, &target, budget, &input.world)),
        }
    };
    Ok(Check {
        lab_file: lab_file(&scenario, &cluster, &end),
        target,
        scenario,
        cluster,
        outcome,
        findings,
        budget,
        suggestion,
        warnings,
    })
}

/// The objects of a paste, and what was assumed of what the check cannot run; an unreadable
/// paste is refused at its line and column.
pub fn read(text: &str) -> Result<(Vec<Object>, Vec<String>), SourceError> {
    let mut assumed = Vec::new();
    let objects = crate::manifest::parse_all_with(text, Origin::line(1), |v| {
        assume_queries_pass(v, &mut assumed)
    })?;
    Ok((objects, assumed))
}

/// An analysis that queries Prometheus, Datadog, a web hook or a job asks a system outside the
/// simulation. The check keeps the metric's interval, count and limits, so the rollout takes as
/// long, and assumes every measurement succeeds; the report says so.
fn assume_queries_pass(v: &mut serde_json::Value, notes: &mut Vec<String>) {
    let kind = v
        .get("kind")
        .and_then(|k| k.as_str())
        .unwrap_or_default()
        .to_string();
    if !matches!(
        kind.as_str(),
        "AnalysisTemplate" | "ClusterAnalysisTemplate"
    ) {
        return;
    }
    let name = v
        .pointer("/metadata/name")
        .and_then(|n| n.as_str())
        .unwrap_or_default()
        .to_string();
    let metrics = v
        .pointer_mut("/spec/metrics")
        .and_then(|m| m.as_array_mut());
    for m in metrics.into_iter().flatten() {
        let Some(provider) = m.get("provider").and_then(|p| p.as_object()) else {
            continue;
        };
        if provider.contains_key("simulation") {
            continue;
        }
        let queried: Vec<String> = provider.keys().cloned().collect();
        let metric = m
            .get("name")
            .and_then(|n| n.as_str())
            .unwrap_or_default()
            .to_string();
        m["provider"] = serde_json::json!({"simulation": {"measure": "request-rate", "version": "all", "window": "10s"}});
        m["successCondition"] = "result >= 0".into();
        if let Some(o) = m.as_object_mut() {
            o.remove("failureCondition");
        }
        notes.push(format!(
            "{kind} {name}: metric {metric} queries {}, which the check cannot run; it keeps the metric's interval and count and assumes every measurement succeeds.",
            queried.join(", ")
        ));
    }
}

/// The extra pods the workload's strategy allows as written (FP-1; blue-green: a full copy).
fn allowed_now(s: &Scenario) -> i32 {
    let Some((_, replicas, _)) = workload::read(s) else {
        return 0;
    };
    match workload::strategy(s) {
        Some(Strategy::BlueGreen) => replicas,
        Some(Strategy::RollingUpdate | Strategy::Canary) => workload::fenceposts(s)
            .and_then(|(surge, unavailable)| {
                crate::deployment::util::resolve_fenceposts(
                    surge.as_ref(),
                    unavailable.as_ref(),
                    replicas,
                )
                .ok()
            })
            .map_or(0, |(surge, _)| surge),
        _ => 0,
    }
}

fn workload_value(s: &Scenario) -> Option<(serde_json::Value, &'static str)> {
    s.objects.iter().find_map(|o| match o {
        Object::Deployment(_) => Some((crate::manifest::to_value(o)?, "Deployment")),
        Object::Rollout(_) => Some((crate::manifest::to_value(o)?, "Rollout")),
        _ => None,
    })
}

/// The fix as a person applies it; `pasted` is how many objects the paste had (the check may
/// have added a Service after them, which is no part of the fix).
fn fixed(base: &Scenario, target: &Target, tried: fix::Tried, replicas: i32, pasted: usize) -> Fix {
    let (from, kind) = workload_value(base).unwrap_or((serde_json::Value::Null, "Deployment"));
    let (to, _) = workload_value(&tried.scenario).unwrap_or((serde_json::Value::Null, kind));
    // A Rollout is a custom resource: the API server refuses strategic merge for it (PA-1).
    let patch_type = if kind == "Rollout" {
        PatchType::Merge
    } else {
        PatchType::Strategic
    };
    let patch = crate::diff::create(&from, &to, patch_type, kind);
    let body = patch.to_string().replace('\'', "'\\''");
    let command = format!(
        "kubectl patch {} --type {} -p '{body}'",
        target.object(),
        patch_type.name()
    );
    let (a, b) = (
        crate::yaml::emit::to_yaml(&from),
        crate::yaml::emit::to_yaml(&to),
    );
    let name = target.object();
    Fix {
        diff: crate::diff::lines(&a, &b, &format!("a/{name}"), &format!("b/{name}")),
        lab_file: lab_file(&tried.scenario, &tried.cluster, &tried.end),
        paste: crate::manifest::to_yaml(
            &tried.scenario.objects[..pasted.min(tried.scenario.objects.len())],
        ),
        edits: tried.edits,
        patch,
        patch_type,
        command,
        outcome: Outcome::of(&tried.cluster, &tried.end, replicas),
        scenario: tried.scenario,
    }
}

/// A check's scenario as a file the lab opens, ending a little after its deploy did, with the
/// promotions the check made in `run` written into its timeline.
fn lab_file(scenario: &Scenario, run: &Cluster, end: &End) -> String {
    let at = match end {
        End::Completed { settled, .. } => *settled,
        End::Stalled { at, .. } => *at,
    };
    let mut s = scenario.clone();
    s.duration = (at + 10 * crate::time::SECOND).min(s.duration);
    for (at, line, r) in &run.command_log {
        if r.as_deref() == Ok(deploy::PROMOTED) {
            let _ = s.add_step(*at, line);
        }
    }
    s.to_yaml()
}

impl Check {
    /// Whether the deploy, as pasted, fails no request (what `rollout-sim check` exits 0 on; a
    /// stall is reported either way).
    pub fn passed(&self) -> bool {
        self.outcome.figures.failed == 0
    }
}
