//! Everything the lab remembers, changed only by `LabAction`s through one reducer (Elm style).
use rollout_sim::lab::knobs::Knobs;
use rollout_sim::lab::snapshot::Changes;
use rollout_sim::time::Ms;
use std::rc::Rc;
use yew::Reducible;

/// One line typed into the console. A read-only command carries its answer; a changing command's
/// answer comes from the run itself, where it took effect.
#[derive(Clone, Debug, PartialEq)]
pub struct Typed {
    pub at: Ms,
    pub line: String,
    pub answer: Option<Result<String, String>>,
}

#[derive(Clone, Debug, PartialEq)]
pub struct LabState {
    /// The scenario open in the lab, by name.
    pub scenario: String,
    /// The moment shown; `None` is the end of the scenario.
    pub time: Option<Ms>,
    /// The learner's settings; `None` is the scenario as written.
    pub knobs: Option<Knobs>,
    /// Manifests the learner edited, replacing the scenario's; `None` is as written.
    pub manifests: Option<String>,
    /// A refused edit of the manifests: the learner's text, and why (line and column first).
    pub manifests_error: Option<(String, String)>,
    /// Every console line, in the order typed; those that change the cluster are the run's
    /// commands (`steps`).
    pub typed: Vec<Typed>,
    pub playing: bool,
    /// Simulated seconds per real second.
    pub speed: f64,
    /// The scenario's length, to stop playback at the end.
    pub duration: Ms,
    /// Another seed for the same scenario (other arrivals, other random picks); `None` is its own.
    pub seed: Option<u64>,
}

/// What a share link restores, already checked against its scenario: the learner's changes and
/// the moment shown.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Restore {
    pub changes: Changes,
    pub time: Option<Ms>,
}

/// Playback speeds offered, slowest first.
pub const SPEEDS: [f64; 8] = [0.25, 0.5, 1.0, 2.0, 4.0, 8.0, 16.0, 32.0];

#[derive(Clone, Debug, PartialEq)]
pub enum LabAction {
    /// Open a scenario (its length, and whether to show it from the start rather than the end,
    /// as for a sandbox where nothing happens until the learner acts): a different one starts afresh.
    Open(String, Ms, bool),
    Play,
    Pause,
    SetSpeed(f64),
    SetSeed(u64),
    /// Real time passed while playing, in milliseconds.
    Tick(Ms),
    /// One simulated second forward, paused.
    Step,
    Restart,
    SetTime(Ms),
    /// A share link opened on this scenario.
    Restore(Restore),
    SetKnobs(Knobs),
    ResetKnobs,
    /// Edited manifests: accepted (they replace the settings too), or refused: (text, reason).
    EditManifests(Result<String, (String, String)>),
    /// A console line at `at`; `answer` is set for read-only commands and parse errors.
    Command {
        at: Ms,
        line: String,
        answer: Option<Result<String, String>>,
    },
}

impl LabState {
    /// The commands that change the cluster, at the moment they were typed: the console lines
    /// that got no answer of their own (read-only commands and lines that do not parse do).
    pub fn steps(&self) -> Vec<(Ms, String)> {
        self.typed
            .iter()
            .filter(|t| t.answer.is_none())
            .map(|t| (t.at, t.line.clone()))
            .collect()
    }

    /// What the learner changed about the scenario, as the run takes it.
    pub fn changes(&self) -> Changes {
        Changes {
            seed: self.seed,
            manifests: self.manifests.clone(),
            knobs: self.knobs.clone(),
            steps: self.steps(),
        }
    }
}

impl Default for LabState {
    fn default() -> Self {
        LabState {
            scenario: String::new(),
            time: None,
            knobs: None,
            manifests: None,
            manifests_error: None,
            typed: Vec::new(),
            playing: false,
            speed: 1.0,
            seed: None,
            duration: 0,
        }
    }
}

impl Reducible for LabState {
    type Action = LabAction;

    fn reduce(self: Rc<Self>, action: LabAction) -> Rc<Self> {
        let mut next = (*self).clone();
        match action {
            LabAction::Open(name, _, _) if *name == self.scenario => return self,
            LabAction::Open(name, duration, from_start) => {
                next = LabState {
                    scenario: name,
                    duration,
                    time: from_start.then_some(0),
                    ..LabState::default()
                }
            }
            LabAction::Play => {
                // Playing from the end starts again.
                if self.time.is_none_or(|t| t >= self.duration) {
                    next.time = Some(0);
                }
                next.playing = true;
            }
            LabAction::Pause => next.playing = false,
            LabAction::SetSpeed(speed) => next.speed = speed,
            LabAction::SetSeed(seed) => next.seed = Some(seed),
            LabAction::Tick(real) if self.playing => {
                let t =
                    self.time.unwrap_or(self.duration) + (real as f64 * self.speed).round() as Ms;
                next.time = Some(t.min(self.duration));
                next.playing = t < self.duration;
            }
            LabAction::Tick(_) => return self,
            LabAction::Step => {
                next.playing = false;
                next.time = Some((self.time.unwrap_or(self.duration) + 1000).min(self.duration));
            }
            LabAction::Restart => {
                next.time = Some(0);
                next.playing = false;
            }
            // Scrubbing by hand takes over from playback.
            LabAction::SetTime(t) => {
                next.time = Some(t);
                next.playing = false;
            }
            LabAction::Restore(Restore { changes, time }) => {
                next = LabState {
                    scenario: self.scenario.clone(),
                    duration: self.duration,
                    typed: changes
                        .steps
                        .into_iter()
                        .map(|(at, line)| Typed {
                            at,
                            line,
                            answer: None,
                        })
                        .collect(),
                    knobs: changes.knobs,
                    manifests: changes.manifests,
                    seed: changes.seed,
                    time,
                    ..LabState::default()
                }
            }
            LabAction::SetKnobs(k) => next.knobs = Some(k),
            LabAction::ResetKnobs => {
                next.knobs = None;
                next.manifests = None;
                next.manifests_error = None;
            }
            LabAction::EditManifests(Ok(text)) => {
                next.manifests = Some(text);
                next.manifests_error = None;
                next.knobs = None;
            }
            LabAction::EditManifests(Err(why)) => next.manifests_error = Some(why),
            LabAction::Command { at, line, answer } => next.typed.push(Typed { at, line, answer }),
        }
        Rc::new(next)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn opening_another_scenario_starts_afresh_and_commands_only_record_changes() {
        let s = Rc::new(LabState {
            scenario: "recreate".into(),
            ..LabState::default()
        });
        let s = s.reduce(LabAction::SetTime(30_000));
        let s = s.reduce(LabAction::Command {
            at: 30_000,
            line: "scale deploy/myapp --replicas=5".into(),
            answer: None,
        });
        let s = s.reduce(LabAction::Command {
            at: 30_000,
            line: "get pods".into(),
            answer: Some(Ok("...".into())),
        });
        assert_eq!(
            s.steps(),
            vec![(30_000, "scale deploy/myapp --replicas=5".to_string())]
        );
        assert_eq!(s.typed.len(), 2);
        let same = s
            .clone()
            .reduce(LabAction::Open("recreate".into(), 180_000, false));
        assert!(Rc::ptr_eq(&same, &s), "reopening keeps everything");
        let other = s.reduce(LabAction::Open(
            "canary-replica-ratio".into(),
            200_000,
            false,
        ));
        assert_eq!(
            *other,
            LabState {
                scenario: "canary-replica-ratio".into(),
                duration: 200_000,
                ..LabState::default()
            }
        );
    }

    #[test]
    fn playback_advances_by_speed_and_stops_at_the_end() {
        let s = Rc::new(LabState {
            scenario: "recreate".into(),
            duration: 10_000,
            ..LabState::default()
        });
        let s = s.reduce(LabAction::Play);
        assert_eq!(
            (s.time, s.playing),
            (Some(0), true),
            "from the end, play starts again"
        );
        let s = s
            .reduce(LabAction::SetSpeed(4.0))
            .reduce(LabAction::Tick(500));
        assert_eq!(s.time, Some(2_000));
        let s = s.reduce(LabAction::Tick(5_000));
        assert_eq!(
            (s.time, s.playing),
            (Some(10_000), false),
            "stops at the end"
        );
        let s = s.reduce(LabAction::Restart).reduce(LabAction::Step);
        assert_eq!((s.time, s.playing), (Some(1_000), false));
        let paused = s.clone().reduce(LabAction::Tick(1_000));
        assert!(Rc::ptr_eq(&paused, &s), "ticks do nothing while paused");
    }
}
