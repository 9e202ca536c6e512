//! Challenges: a goal the learner meets by changing the lab's settings, checked by running the
//! scenario to its end with those settings. The result shows every goal with its number.
use super::measure::{Measure, Run};
use rollout_sim::lab::knobs::{self, Knobs};
use rollout_sim::lab::snapshot::Snapshot;
use rollout_sim::time::Ms;
use rollout_sim::traffic::Reason;
use rollout_sim::yaml::read::{Obj, R};

#[derive(Clone, Debug, PartialEq)]
pub struct Challenge {
    pub id: String,
    pub title: String,
    /// What to do, in a sentence or two.
    pub task: String,
    pub scenario: String,
    /// The starting point: settings changed from the scenario's before the learner's turn.
    pub settings: Vec<(String, String)>,
    /// The settings the lab shows for it (names as in `Knobs::set`).
    pub controls: Vec<String>,
    /// Each figure and its limit: at most, or at least for figures where more is better.
    pub goals: Vec<(Measure, i64)>,
    /// The reference solution, changed from the start: the answer key, and what the tests run.
    pub solution: Vec<(String, String)>,
    /// Why the solution works, for the teacher's answer key.
    pub explain: Option<String>,
    /// The lesson goal it assesses (see `read::covers`).
    pub covers: Option<(String, usize)>,
    /// The settings it starts from: its scenario with its `settings`, read once with the file.
    pub start: Knobs,
}

#[derive(Clone, Debug, PartialEq)]
pub struct GoalResult {
    pub measure: Measure,
    pub limit: i64,
    pub value: Option<i64>,
    pub met: bool,
}

impl GoalResult {
    /// "failed requests: 0 (at most 0) — met".
    pub fn sentence(&self) -> String {
        let bound = self.measure.bound();
        let value = self
            .value
            .map_or("never reached".to_string(), |v| v.to_string());
        let verdict = if self.met { "met" } else { "not met" };
        format!(
            "{}: {value} ({bound} {}) — {verdict}",
            self.measure.label(),
            self.limit
        )
    }
}

const FIELDS: [&str; 10] = [
    "id", "title", "task", "scenario", "settings", "controls", "goals", "solution", "explain",
    "covers",
];

pub fn challenge(o: &Obj) -> R<Challenge> {
    if let Some(k) = o.unknown(&FIELDS).into_iter().next() {
        return Err((
            o.at(&k),
            format!("unknown field `{k}`, expected one of {}", FIELDS.join(", ")),
        ));
    }
    let spec = super::read::run_spec(o)?;
    let controls = super::read::controls(o)?;
    let (_, start) = super::measure::configure(&spec.scenario, None, &spec.settings)
        .map_err(|e| (o.at("scenario"), e))?;
    for name in &controls {
        if knobs::is_environment(name) {
            return Err((o.at("controls"), format!("`{name}` is the world the challenge runs in, not a setting a team controls: changing it is not a fix, so a challenge cannot offer it (set it under `settings` to start from another world)")));
        }
        if knobs::NAMES.contains(&name.as_str()) && start.get(name).is_none() {
            return Err((
                o.at("controls"),
                format!("`{name}` does not exist in scenario `{}`", spec.scenario),
            ));
        }
    }
    let g = o.required_obj("goals")?;
    let mut goals = Vec::new();
    for name in g.unknown(&[]) {
        let m = Measure::from_name(&name)
            .ok_or_else(|| (g.at(&name), format!("unknown measure `{name}`")))?;
        goals.push((m, g.i64(&name)?.ok_or_else(|| g.missing(&name))?));
    }
    if goals.is_empty() {
        return Err((o.at("goals"), "a challenge needs at least one goal".into()));
    }
    let solution = match o.obj("solution")? {
        Some(sol) => super::read::scalar_list(&sol)
            .into_iter()
            .map(|(name, values)| (name, values.into_iter().next().unwrap_or_default()))
            .collect::<Vec<_>>(),
        None => Vec::new(),
    };
    for (name, _) in &solution {
        if !controls.contains(name) {
            return Err((
                o.at("solution"),
                format!(
                    "the solution changes `{name}`, which is not one of the challenge's controls"
                ),
            ));
        }
    }
    let mut end = start.clone();
    for (name, value) in &solution {
        end.set(name, value).map_err(|e| (o.at("solution"), e))?;
    }
    Ok(Challenge {
        id: o.required_string("id")?,
        title: o.required_string("title")?,
        task: o.required_string("task")?,
        scenario: spec.scenario,
        settings: spec.settings,
        controls,
        goals,
        solution,
        explain: o.string("explain")?,
        covers: super::read::covers(o)?,
        start,
    })
}

/// A check's verdict: every goal with its number, and the guards that keep a goal from being met
/// the wrong way.
#[derive(Clone, Debug, PartialEq)]
pub struct Outcome {
    pub goals: Vec<GoalResult>,
    /// What broke a guard, in words; empty when every guard held.
    pub broken: Vec<String>,
}

impl Outcome {
    pub fn passed(&self) -> bool {
        self.broken.is_empty() && self.goals.iter().all(|g| g.met)
    }

    /// One line per goal, then one per broken guard.
    pub fn sentences(&self) -> Vec<String> {
        let goals = self.goals.iter().map(GoalResult::sentence);
        goals.chain(self.broken.iter().cloned()).collect()
    }
}

/// At least this share of the requests sent must be answered successfully: a goal on failures is
/// not met by a deploy that serves nobody.
const SERVED_AT_LEAST: f64 = 0.5;

impl Challenge {
    /// Runs the scenario with the learner's settings (`None`: as written) and judges each goal
    /// and the guards: only the challenge's controls may differ from its start, and the run must
    /// still serve its users.
    pub fn check(&self, knobs: Option<&Knobs>) -> Result<Outcome, String> {
        let run = Run::new(&self.scenario, Some(knobs.unwrap_or(&self.start)), &[])?;
        let goals = self
            .goals
            .iter()
            .map(|&(measure, limit)| {
                let value = run.value(measure);
                let met = value.is_some_and(|v| {
                    if measure.higher_is_better() {
                        v >= limit
                    } else {
                        v <= limit
                    }
                });
                GoalResult {
                    measure,
                    limit,
                    value,
                    met,
                }
            })
            .collect();
        let mut broken = Vec::new();
        let start = &self.start;
        for (name, value) in run.knobs.changed_from(start) {
            if !self.controls.iter().any(|c| c == name) {
                let what = if knobs::is_environment(name) {
                    "the world the deploy runs in"
                } else {
                    "not one of this challenge's settings"
                };
                let was = start.get(name).unwrap_or_default();
                broken.push(format!(
                    "{name} changed from {was} to {value}: {what}; put it back"
                ));
            }
        }
        let m = &run.cluster.metrics;
        let sent = m.succeeded + m.failed;
        if (m.succeeded as f64) < SERVED_AT_LEAST * sent as f64 {
            broken.push(format!(
                "only {} of {sent} requests were served: a deploy must keep serving its users",
                m.succeeded
            ));
        }
        Ok(Outcome { goals, broken })
    }
}

/// Where a goal stands at one moment of the run the learner is watching.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Live {
    /// Not broken so far; it is met if it still holds at the end.
    Holding,
    Met,
    /// Broken, and nothing later in the run can mend it.
    Missed,
    /// Only the finished run can tell (figures the page does not follow as it plays).
    AtTheEnd,
}

impl Live {
    pub fn word(self) -> &'static str {
        match self {
            Live::Holding => "holding so far",
            Live::Met => "met",
            Live::Missed => "missed",
            Live::AtTheEnd => "checked at the end",
        }
    }
}

impl Challenge {
    /// Each goal as the run at `s` stands: counts only grow and the fewest available only
    /// shrinks, so a goal broken now stays broken; the rollout's time is met the moment it
    /// completes within it. `replicas` are the learner's.
    pub fn live(&self, s: &Snapshot, replicas: i32) -> Vec<(Measure, i64, Option<i64>, Live)> {
        let end = s.now_ms >= s.duration_ms;
        let by = |r: Reason| {
            s.seconds
                .iter()
                .map(|x| i64::from(x.failed[r as usize]))
                .sum::<i64>()
        };
        let started = s.markers.first().map(|m| m.0);
        self.goals
            .iter()
            .map(|&(measure, limit)| {
                let so_far = match measure {
                    Measure::Failed => Some(s.failed as i64),
                    Measure::Refused => Some(by(Reason::ConnectionRefused)),
                    Measure::Reset => Some(by(Reason::ConnectionReset)),
                    Measure::Timeouts => Some(by(Reason::Timeout)),
                    Measure::AppErrors => Some(by(Reason::AppError)),
                    Measure::MaxPods => Some(i64::from(s.max_pods)),
                    Measure::ExtraPods => {
                        Some((i64::from(s.max_pods) - i64::from(replicas)).max(0))
                    }
                    Measure::MinAvailable => Some(i64::from(s.min_available)),
                    Measure::RolloutSeconds => {
                        return rollout_time(measure, limit, s, started);
                    }
                    _ => return (measure, limit, None, Live::AtTheEnd),
                };
                let broken = so_far.is_some_and(|v| {
                    if measure.higher_is_better() {
                        v < limit
                    } else {
                        v > limit
                    }
                });
                let state = match (broken, end) {
                    (true, _) => Live::Missed,
                    (false, true) => Live::Met,
                    (false, false) => Live::Holding,
                };
                (measure, limit, so_far, state)
            })
            .collect()
    }
}

/// A goal on the rollout's time: met once it completes within it, missed once that time passed.
fn rollout_time(
    m: Measure,
    limit: i64,
    s: &Snapshot,
    started: Option<Ms>,
) -> (Measure, i64, Option<i64>, Live) {
    let Some(start) = started.filter(|t| s.now_ms >= *t) else {
        return (m, limit, None, Live::Holding);
    };
    match s.rollout_completed_at {
        Some(done) => {
            let secs = ((done - start).max(0) + 999) / 1000;
            (
                m,
                limit,
                Some(secs),
                if secs <= limit {
                    Live::Met
                } else {
                    Live::Missed
                },
            )
        }
        None if (s.now_ms - start) / 1000 > limit => (m, limit, None, Live::Missed),
        None if s.now_ms >= s.duration_ms => (m, limit, None, Live::Missed),
        None => (m, limit, None, Live::Holding),
    }
}
