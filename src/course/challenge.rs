//! Challenges: a goal the learner meets by changing the lab's settings, checked by running the
//! scenario to its end with those settings. The result shows every goal with its number.
use super::measure::{Measure, Run};
use rollout_sim::lab::knobs::Knobs;
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

pub fn challenge(o: &Obj) -> R<Challenge> {
    let spec = super::read::run_spec(o)?;
    let controls = super::read::controls(o)?;
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
    Ok(Challenge {
        id: o.required_string("id")?,
        title: o.required_string("title")?,
        task: o.required_string("task")?,
        scenario: spec.scenario,
        settings: spec.settings,
        controls,
        goals,
    })
}

impl Challenge {
    /// Runs the scenario with the learner's settings (`None`: as written) and judges each goal.
    pub fn check(&self, knobs: Option<&Knobs>) -> Result<Vec<GoalResult>, String> {
        let run = match knobs {
            Some(k) => Run::new(&self.scenario, Some(k), &[])?,
            None => Run::new(&self.scenario, None, &self.settings)?,
        };
        Ok(self
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
            .collect())
    }
}
