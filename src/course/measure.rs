//! What questions and challenges are graded on: a built-in scenario run to its end with some
//! settings changed, and the figures a learner can be asked about. Nothing here is hard-coded;
//! every number comes from the core.
use rollout_sim::cluster::Cluster;
use rollout_sim::lab::knobs::Knobs;
use rollout_sim::scenario::Scenario;
use rollout_sim::time::Ms;
use rollout_sim::traffic::Reason;

/// Settings by name (`surge: 40%`), as lesson files write them; see `Knobs::set`.
pub type Settings = Vec<(String, String)>;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Measure {
    Failed,
    Refused,
    Reset,
    Timeouts,
    AppErrors,
    /// The most pods at once that were not terminating.
    MaxPods,
    /// `MaxPods` beyond the replicas asked for: the surge actually used.
    ExtraPods,
    /// The fewest pods available at once.
    MinAvailable,
    /// From the first timeline command to the rollout's completion.
    RolloutSeconds,
    /// Times a client was answered by another version than the time before.
    Flips,
    /// The longest an old pod took from deletion to gone, in whole seconds.
    TerminationSeconds,
    /// From the first failed request to the last, to the nearest second (0 with none).
    OutageSeconds,
    /// From the first timeline command to the first failed request, in whole seconds.
    FirstFailureSeconds,
    /// The share of answered requests that versions other than the first one answered, in
    /// whole percent: a canary's real share of the traffic.
    NewVersionShare,
}

pub const MEASURES: [(&str, Measure); 14] = [
    ("failed", Measure::Failed),
    ("refused", Measure::Refused),
    ("reset", Measure::Reset),
    ("timeouts", Measure::Timeouts),
    ("app-errors", Measure::AppErrors),
    ("max-pods", Measure::MaxPods),
    ("extra-pods", Measure::ExtraPods),
    ("min-available", Measure::MinAvailable),
    ("rollout-seconds", Measure::RolloutSeconds),
    ("flips", Measure::Flips),
    ("termination-seconds", Measure::TerminationSeconds),
    ("outage-seconds", Measure::OutageSeconds),
    ("first-failure-seconds", Measure::FirstFailureSeconds),
    ("new-version-share", Measure::NewVersionShare),
];

impl Measure {
    pub fn from_name(name: &str) -> Option<Measure> {
        MEASURES.iter().find(|(n, _)| *n == name).map(|(_, m)| *m)
    }

    /// How a learner reads it: "failed requests".
    pub fn label(self) -> &'static str {
        match self {
            Measure::Failed => "failed requests",
            Measure::Refused => "connections refused",
            Measure::Reset => "connections reset",
            Measure::Timeouts => "timeouts",
            Measure::AppErrors => "application errors",
            Measure::MaxPods => "pods at most at once",
            Measure::ExtraPods => "extra pods beyond the replicas",
            Measure::MinAvailable => "pods available at the fewest",
            Measure::RolloutSeconds => "seconds for the rollout",
            Measure::Flips => "times a client saw the version change",
            Measure::TerminationSeconds => "seconds for an old pod to go away",
            Measure::OutageSeconds => "seconds from the first failure to the last",
            Measure::FirstFailureSeconds => "seconds from the deploy to the first failure",
            Measure::NewVersionShare => "percent of answers from the new version",
        }
    }

    /// Goals on this figure are a floor (at least), not a ceiling.
    pub fn higher_is_better(self) -> bool {
        self == Measure::MinAvailable
    }

    /// How a goal on this figure reads: "at most" or "at least".
    pub fn bound(self) -> &'static str {
        if self.higher_is_better() {
            "at least"
        } else {
            "at most"
        }
    }
}

/// A finished run and the settings it ran with.
pub struct Run {
    pub cluster: Cluster,
    pub knobs: Knobs,
    /// The fencepost arithmetic as the controller resolves it ("max surge 40% of 7 = 2.8,
    /// rounded up: 3; ..."), for feedback.
    pub resolved: Option<String>,
    started_at: Option<Ms>,
}

/// Built-in scenario `name` with `knobs` if given (the learner's), else its own settings, then
/// `settings` on top, as Kubernetes would accept it; and the settings it ends up with.
pub fn configure(
    name: &str,
    knobs: Option<&Knobs>,
    settings: &[(String, String)],
) -> Result<(Scenario, Knobs), String> {
    let mut scenario = rollout_sim::lab::examples::read(name)
        .ok_or_else(|| format!("there is no built-in scenario `{name}`"))??;
    let mut k = match knobs {
        Some(k) => k.clone(),
        None => Knobs::read(&scenario).ok_or("this scenario has no settings to change")?,
    };
    for (name, value) in settings {
        k.set(name, value)?;
    }
    k.apply(&mut scenario)
        .map_err(|e| format!("Kubernetes refuses these settings: {e}"))?;
    Ok((scenario, k))
}

impl Run {
    /// Runs the scenario `configure` makes to its end.
    pub fn new(
        name: &str,
        knobs: Option<&Knobs>,
        settings: &[(String, String)],
    ) -> Result<Run, String> {
        let (scenario, k) = configure(name, knobs, settings)?;
        let resolved = k.resolved(&scenario);
        let started_at = scenario.timeline.first().map(|s| s.at.0);
        let mut cluster = Cluster::new(scenario);
        cluster.run();
        Ok(Run {
            cluster,
            knobs: k,
            resolved,
            started_at,
        })
    }

    /// The figure, or `None` when it never happened (a rollout that did not complete).
    pub fn value(&self, m: Measure) -> Option<i64> {
        let metrics = &self.cluster.metrics;
        let by = |r: Reason| Some(metrics.failed_by(r) as i64);
        match m {
            Measure::Failed => Some(metrics.failed as i64),
            Measure::Refused => by(Reason::ConnectionRefused),
            Measure::Reset => by(Reason::ConnectionReset),
            Measure::Timeouts => by(Reason::Timeout),
            Measure::AppErrors => by(Reason::AppError),
            Measure::MaxPods => Some(i64::from(metrics.max_not_terminating)),
            Measure::ExtraPods => Some(
                (i64::from(metrics.max_not_terminating) - i64::from(self.knobs.replicas)).max(0),
            ),
            Measure::MinAvailable => metrics.min_available.map(i64::from),
            Measure::Flips => Some(metrics.version_flips as i64),
            Measure::TerminationSeconds => self
                .cluster
                .gone
                .iter()
                .filter_map(|g| Some((g.gone_at - g.deleted_at?) / 1000))
                .max(),
            Measure::OutageSeconds => {
                Some(match (metrics.first_failure_at, metrics.last_failure_at) {
                    (Some(a), Some(b)) => (b - a + 500) / 1000,
                    _ => 0,
                })
            }
            Measure::FirstFailureSeconds => {
                let (start, first) = (self.started_at?, metrics.first_failure_at?);
                Some((first - start).max(0) / 1000)
            }
            Measure::NewVersionShare => {
                // The version the scenario's workload runs as it starts.
                let (_, _, template) = rollout_sim::lab::workload::read(&self.cluster.scenario)?;
                let first = &template.spec.app()?.image;
                let (mut new, mut all) = (0, 0);
                for (image, v) in metrics.by_image() {
                    all += v.succeeded + v.failed;
                    if image != first {
                        new += v.succeeded + v.failed;
                    }
                }
                Some((new * 100).checked_div(all).unwrap_or(0) as i64)
            }
            Measure::RolloutSeconds => {
                let (start, end) = (self.started_at?, self.cluster.rollout_completed_at?);
                Some(((end - start).max(0) + 999) / 1000)
            }
        }
    }

    /// "233 failed requests", or what did not happen.
    pub fn describe(&self, m: Measure) -> String {
        match self.value(m) {
            Some(v) => format!("{v} {}", m.label()),
            None => "the rollout did not complete".to_string(),
        }
    }
}
