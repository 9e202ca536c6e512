//! Everything the lab remembers, changed only by `LabAction`s through one reducer (Elm style).
use rollout_sim::knobs::Knobs;
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

#[derive(Clone, Debug, PartialEq, Default)]
pub struct LabState {
    /// The built-in scenario open in the lab.
    pub scenario: &'static str,
    /// The moment shown; `None` is the end of the scenario.
    pub time: Option<Ms>,
    /// The learner's settings; `None` is the scenario as written.
    pub knobs: Option<Knobs>,
    /// Commands that change the cluster, at the moment they were typed.
    pub steps: Vec<(Ms, String)>,
    pub typed: Vec<Typed>,
}

pub enum LabAction {
    /// Open a scenario: a different one starts afresh.
    Open(&'static str),
    SetTime(Ms),
    SetKnobs(Knobs),
    ResetKnobs,
    /// A console line at `at`; `answer` is set for read-only commands and parse errors.
    Command {
        at: Ms,
        line: String,
        answer: Option<Result<String, String>>,
    },
}

impl Reducible for LabState {
    type Action = LabAction;

    fn reduce(self: Rc<Self>, action: LabAction) -> Rc<Self> {
        let mut next = (*self).clone();
        match action {
            LabAction::Open(name) if name == self.scenario => return self,
            LabAction::Open(name) => {
                next = LabState {
                    scenario: name,
                    ..LabState::default()
                }
            }
            LabAction::SetTime(t) => next.time = Some(t),
            LabAction::SetKnobs(k) => next.knobs = Some(k),
            LabAction::ResetKnobs => next.knobs = None,
            LabAction::Command { at, line, answer } => {
                if answer.is_none() {
                    next.steps.push((at, line.clone()));
                }
                next.typed.push(Typed { at, line, answer });
            }
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
            scenario: "recreate",
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
            s.steps,
            vec![(30_000, "scale deploy/myapp --replicas=5".to_string())]
        );
        assert_eq!(s.typed.len(), 2);
        let same = s.clone().reduce(LabAction::Open("recreate"));
        assert!(Rc::ptr_eq(&same, &s), "reopening keeps everything");
        let other = s.reduce(LabAction::Open("canary-replica-ratio"));
        assert_eq!(
            *other,
            LabState {
                scenario: "canary-replica-ratio",
                ..LabState::default()
            }
        );
    }
}
