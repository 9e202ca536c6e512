//! What the lab shows at one moment of a run, and the run itself, carried and rewound by
//! `Runner` through keyframes.
use super::cluster_view::ReplicaSetView;
use crate::cluster::Cluster;
use crate::lab::examples::Example;
use crate::lab::knobs::Knobs;
use crate::metrics::{PodCount, Second};
use crate::scenario::Scenario;
use crate::time::Ms;
use crate::traffic::{FailedRequest, InFlight};

#[derive(Clone, Debug, PartialEq)]
pub struct Snapshot {
    pub now_ms: Ms,
    pub duration_ms: Ms,
    /// "1,204 succeeded, 37 failed (37 connection refused)".
    pub outcome: String,
    /// Success rate, nines, error budget and latency, in one sentence.
    pub service_level: String,
    pub seconds: Vec<Second>,
    /// Images in order of first appearance, and pods per image for each second so far.
    pub images: Vec<String>,
    pub pods_per_second: Vec<Vec<PodCount>>,
    /// Client answers per second per image, and the canary weight asked for each second.
    pub served: Vec<Vec<u32>>,
    pub desired_weight: Vec<Option<u8>>,
    /// The weight the newest version received each second (`Metrics::received_weight`).
    pub received_weight: Vec<Option<f64>>,
    /// The requests each pod holds now, by pod name, for the traffic view.
    pub in_flight: Vec<(String, Vec<InFlight>)>,
    /// Failures up to now, newest first (bounded by the core).
    pub failures: Vec<FailedRequest>,
    /// (command, output) pairs, as a terminal would show them.
    pub kubectl: Vec<(String, String)>,
    /// The timeline's command times, for markers on the chart.
    pub markers: Vec<(Ms, String)>,

    /// What each timeline command answered, by (time, command line).
    pub command_log: Vec<(Ms, String, Result<String, String>)>,
    /// Every ReplicaSet with its pods, as the cluster view draws them.
    pub replica_sets: Vec<ReplicaSetView>,
    /// What the controllers did last, with the arithmetic behind it (`lab::caption`).
    pub caption: String,
    /// Ready endpoints in the Services' slices, and the pods the proxies send new connections
    /// to: apart while a change is on its way (TM-3).
    pub endpoints_ready: usize,
    pub proxies_route: usize,
    /// The ingress controller's lag, when traffic comes through one (IN-1).
    pub ingress_lag: Option<Ms>,
    /// "412 opened, 30 closed by the server, 2 reset (keep-alive)".
    pub connections: String,
    pub succeeded: u64,
    pub failed: u64,
    /// The most pods at once that were not terminating, and the fewest available.
    pub max_pods: u32,
    pub min_available: u32,
    pub rollout_completed_at: Option<Ms>,
    /// The manifests the run started from (settings applied), as YAML.
    pub manifests_yaml: String,
    /// What the action buttons act on: the Deployment, its app container, the image it runs now,
    /// the image "Deploy new version" would roll out, its replicas, and whether it is paused.
    pub target: Option<Target>,
}

#[derive(Clone, Debug, PartialEq)]
pub struct Target {
    /// A Deployment, or an Argo Rollout (whose actions are the plugin's commands).
    pub rollout: bool,
    pub name: String,
    pub container: String,
    pub image: String,
    pub next_image: String,
    /// The next image has run in this cluster before (deploying it goes back, not forward).
    pub next_ran_before: bool,
    pub replicas: i32,
    pub paused: bool,
    /// A Rollout with an update under way (something to promote or abort), and aborted.
    pub updating: bool,
    pub aborted: bool,
}

impl Target {
    fn of(cluster: &Cluster) -> Option<Target> {
        let (rollout, name, replicas, paused, template, updating, aborted) =
            match cluster.focus_rollout() {
                Some(r) => (
                    true,
                    &r.metadata.name,
                    r.spec.replicas,
                    r.spec.paused,
                    &r.spec.template,
                    r.status.stable_rs != r.status.current_pod_hash
                        || r.status.post_promotion_run.is_some(),
                    r.status.abort,
                ),
                None => {
                    let d = cluster.focus_deployment()?;
                    let t = &d.spec.template;
                    (
                        false,
                        &d.metadata.name,
                        d.spec.replicas,
                        d.spec.paused,
                        t,
                        false,
                        false,
                    )
                }
            };
        let app = template.spec.app()?;
        // The next image in the scenario's list, wrapping round, so Deploy always changes something.
        let images: Vec<&String> = cluster.scenario.images.keys().collect();
        let next = images
            .iter()
            .position(|i| **i == app.image)
            .map_or(images.first().copied(), |k| {
                images.get((k + 1) % images.len()).copied()
            })
            .cloned()
            .unwrap_or_else(|| app.image.clone());
        let next_ran_before = cluster
            .replica_sets
            .iter()
            .any(|rs| rs.template.spec.containers.iter().any(|c| c.image == next));
        Some(Target {
            rollout,
            name: name.clone(),
            container: app.name.clone(),
            image: app.image.clone(),
            next_image: next,
            next_ran_before,
            replicas,
            paused,
            updating,
            aborted,
        })
    }
}

/// What the learner changed about a scenario: edited manifests, settings, and commands.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Changes {
    pub seed: Option<u64>,
    pub manifests: Option<String>,
    pub knobs: Option<Knobs>,
    pub steps: Vec<(Ms, String)>,
}

/// The scenario with the learner's manifests (if edited) in place of its own.
pub fn base(example: &Example, manifests: Option<&str>) -> Result<Scenario, String> {
    let mut scenario = Scenario::parse(&example.yaml).map_err(|e| e.to_string())?;
    if let Some(text) = manifests {
        scenario.objects = crate::manifest::parse_all(text, crate::yaml::Origin::line(1))
            .map_err(|e| e.to_string())?;
    }
    Ok(scenario)
}

/// Runs `example` with the learner's changes, up to `at` (the end when `None`).
pub fn run(example: &Example, changes: &Changes, at: Option<Ms>) -> Result<Cluster, String> {
    let mut scenario = base(example, changes.manifests.as_deref())?;
    if let Some(knobs) = &changes.knobs {
        knobs
            .apply(&mut scenario)
            .map_err(|e| format!("Kubernetes refuses these settings: {e}"))?;
    }
    if let Some(seed) = changes.seed {
        scenario.seed = seed;
    }
    for (t, line) in &changes.steps {
        scenario.add_step(*t, line)?;
    }
    let until = at.unwrap_or(scenario.duration).clamp(0, scenario.duration);
    let mut cluster = Cluster::new(scenario);
    cluster.run_until(until);
    Ok(cluster)
}

// The lab's run, carried through time as the learner plays and scrubs. Moving forward continues
// the run; going back restores the nearest earlier keyframe, a copy of the whole cluster kept
// every `spacing` of simulated time, and simulates forward from there, so no moment is more than
// one spacing of simulation away and scrubbing never starts again from t=0. Runs are
// deterministic, so a moment reached either way is the same (tested against fresh runs).

/// At most this many keyframes a run (and one at t=0), which bounds the memory they hold...
const KEYFRAMES: Ms = 32;
/// ...and none closer than this, so a short run is not copied more often than it needs.
const MIN_SPACING: Ms = 10_000;

/// What a run depends on besides the moment.
type RunInputs = (String, Changes);

#[derive(Default)]
pub struct Runner {
    inputs: Option<RunInputs>,
    cluster: Option<Cluster>,
    /// The run at 0, `spacing`, 2·`spacing`… as far as it has gone.
    keyframes: Vec<Cluster>,
}

/// Simulated time between keyframes: the run in `KEYFRAMES` parts, in whole seconds.
fn spacing(duration: Ms) -> Ms {
    ((duration / KEYFRAMES + 999) / 1000).max(MIN_SPACING / 1000) * 1000
}

impl Runner {
    /// The cluster at `at` (the end when `None`) for this example and these changes.
    fn at(
        &mut self,
        example: &Example,
        changes: &Changes,
        at: Option<Ms>,
    ) -> Result<&Cluster, String> {
        let inputs = (example.name.to_string(), changes.clone());
        let cluster = match self.cluster.take() {
            Some(c) if self.inputs.as_ref() == Some(&inputs) => c,
            _ => {
                let c = run(example, changes, Some(0))?;
                self.keyframes = vec![c.clone()];
                self.inputs = Some(inputs);
                c
            }
        };
        let duration = cluster.scenario.duration;
        let t = at.unwrap_or(duration).clamp(0, duration);
        // The latest keyframe not after `t`, when the run is past `t` or that keyframe is nearer.
        let k = self.keyframes.iter().rposition(|k| k.now <= t).unwrap_or(0);
        let mut cluster = if t < cluster.now || self.keyframes[k].now > cluster.now {
            self.keyframes[k].clone()
        } else {
            cluster
        };
        let spacing = spacing(duration);
        loop {
            let next = self.keyframes.len() as Ms * spacing;
            if next > t || cluster.now > next {
                break;
            }
            cluster.run_until(next);
            self.keyframes.push(cluster.clone());
        }
        cluster.run_until(t);
        Ok(self.cluster.insert(cluster))
    }

    pub fn snapshot(
        &mut self,
        example: &Example,
        changes: &Changes,
        at: Option<Ms>,
    ) -> Result<Snapshot, String> {
        self.at(example, changes, at).map(Snapshot::of)
    }

    /// Answers a read-only command (`get`, `describe`, `rollout status` …) from the cluster at
    /// `at`, without running again what the held run already ran.
    pub fn show(
        &mut self,
        example: &Example,
        changes: &Changes,
        at: Ms,
        line: &str,
    ) -> Result<String, String> {
        self.at(example, changes, Some(at))?.show(line)
    }

    /// The run at its end, every keyframe made on the way (the lab reads the whole run's moments
    /// from it, and any moment after is at most one spacing of simulation away).
    pub fn end(&mut self, example: &Example, changes: &Changes) -> Result<&Cluster, String> {
        self.at(example, changes, None)
    }

    /// How many keyframes the run holds now.
    pub fn keyframes(&self) -> usize {
        self.keyframes.len()
    }
}

impl Snapshot {
    pub fn of(cluster: &Cluster) -> Snapshot {
        let focus = cluster.focus.clone().unwrap_or_default();
        let views = super::console::views(&focus, cluster.focus_rollout().is_some());
        let kubectl = views
            .into_iter()
            .map(|command| {
                let command = command.to_string();
                let output = cluster
                    .show(&command)
                    .unwrap_or_else(|e| format!("error: {e}"));
                (command, output)
            })
            .collect();
        Snapshot {
            now_ms: cluster.now,
            duration_ms: cluster.scenario.duration,
            outcome: cluster.outcome_sentence(),
            service_level: cluster.service_level(),
            seconds: cluster.metrics.seconds.clone(),
            images: cluster.metrics.images.clone(),
            pods_per_second: cluster
                .metrics
                .pods_per_second((cluster.now / 1000 + 1) as usize),
            served: cluster.metrics.served.clone(),
            desired_weight: cluster.metrics.desired_weight.clone(),
            received_weight: cluster.metrics.received_weight(),
            failures: cluster.metrics.failures.iter().rev().cloned().collect(),
            in_flight: cluster
                .in_flight_by_pod()
                .into_iter()
                .map(|(pod, held)| (pod.to_string(), held))
                .collect(),
            kubectl,
            markers: cluster
                .scenario
                .timeline
                .iter()
                .map(|s| (s.at.0, s.run.clone()))
                .collect(),
            command_log: cluster.command_log.clone(),

            replica_sets: cluster.replica_set_views(),
            caption: super::caption::caption(cluster),
            endpoints_ready: cluster.endpoints.iter().map(|e| e.ready().count()).sum(),
            proxies_route: cluster
                .pods
                .iter()
                .filter(|p| cluster.endpoints.iter().any(|e| e.routed(p.uid)))
                .count(),
            ingress_lag: (cluster.scenario.traffic.via == crate::scenario::Via::Ingress).then(
                || {
                    cluster
                        .scenario
                        .network
                        .ingress
                        .unwrap_or_default()
                        .propagation
                        .0
                },
            ),
            connections: cluster.connections_sentence(),
            succeeded: cluster.metrics.succeeded,
            failed: cluster.metrics.failed,
            max_pods: cluster.metrics.max_not_terminating,
            min_available: cluster.metrics.min_available.unwrap_or(0),
            rollout_completed_at: cluster.rollout_completed_at,
            target: Target::of(cluster),
            manifests_yaml: crate::manifest::to_yaml(&cluster.scenario.objects),
        }
    }
}

#[cfg(test)]
mod runner_tests {
    use super::*;
    use crate::lab::examples;

    /// Every moment, reached forward, backward, by jumps and past the end, equals the same moment
    /// of a fresh run; the keyframes stay within their bound.
    #[test]
    fn any_moment_equals_a_fresh_run() {
        for name in [
            "rolling-without-readiness",
            "canary-analysis-abort",
            "keep-alive-exit",
            "ingress-retries",
            "feature-flag",
        ] {
            let example = examples::find(name).unwrap_or_else(|| panic!("no example {name}"));
            let changes = Changes::default();
            let duration = run(example, &changes, None).unwrap().scenario.duration;
            let mut runner = Runner::default();
            let moments = [
                duration / 2,
                duration / 3,
                duration,
                0,
                duration - 1500,
                7_250,
                duration * 2,
                duration / 2 + 10,
            ];
            for t in moments {
                let got = runner.snapshot(example, &changes, Some(t)).unwrap();
                let fresh = Snapshot::of(&run(example, &changes, Some(t)).unwrap());
                assert_eq!(got, fresh, "{name} at {t} ms");
                assert!(
                    runner.keyframes() as Ms <= KEYFRAMES + 1,
                    "{name}: {} keyframes",
                    runner.keyframes()
                );
            }
            let changed = Changes {
                seed: Some(99),
                ..Changes::default()
            };
            let got = runner
                .snapshot(example, &changed, Some(duration / 4))
                .unwrap();
            assert_eq!(
                got,
                Snapshot::of(&run(example, &changed, Some(duration / 4)).unwrap()),
                "{name} with another seed"
            );
        }
    }

    #[test]
    fn keyframes_every_thirty_second_of_the_run_and_at_least_ten_seconds_apart() {
        assert_eq!(spacing(600_000), 19_000);
        assert_eq!(spacing(3_600_000), 113_000);
        assert_eq!(spacing(60_000), 10_000);
    }
}
