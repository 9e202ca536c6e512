//! The lab's live runs: the learner's (with their settings, manifests, seed and commands) and,
//! when they changed something, the scenario as written on the same seed, commands and moment.
//! Each is carried forward in time and restarted only when going back or changing inputs.
use super::state::LabState;
use rollout_sim::lab::examples::Example;
use rollout_sim::lab::knobs::Knobs;
use rollout_sim::lab::snapshot::{self, Changes, Runner, Snapshot};
use std::cell::RefCell;
use std::rc::Rc;
use yew::prelude::*;

pub struct Runs {
    /// What the learner changed, and whether anything was.
    pub changes: Changes,
    pub changed: bool,
    /// The settings as the (possibly edited) manifests write them, and as the learner has them.
    pub written: Option<Knobs>,
    pub current: Option<Knobs>,
    pub snapshot: Rc<Result<Snapshot, String>>,
    pub written_snapshot: Rc<Result<Snapshot, String>>,
    /// The learner's run, to answer read-only commands from the cluster at this moment.
    pub runner: Rc<RefCell<Runner>>,
}

impl Runs {
    pub fn now_ms(&self) -> rollout_sim::time::Ms {
        self.snapshot.as_ref().as_ref().map_or(0, |s| s.now_ms)
    }
}

#[hook]
pub fn use_runs(example: &Rc<Example>, state: &LabState) -> Runs {
    let edited = use_memo((example.clone(), state.manifests.clone()), |(e, m)| {
        snapshot::base(e, m.as_deref()).ok()
    });
    let written = edited.as_ref().as_ref().and_then(Knobs::read);
    let current = state.knobs.clone().or_else(|| written.clone());
    let changes = state.changes();
    let changed = state.knobs.is_some() || state.manifests.is_some();
    let runner = use_mut_ref(Runner::default);
    let written_runner = use_mut_ref(Runner::default);
    let snapshot = use_memo(
        (example.clone(), changes.clone(), state.time),
        |(e, c, t)| runner.borrow_mut().snapshot(e, c, *t),
    );
    let key = (
        example.clone(),
        changes.steps.clone(),
        state.time,
        changed,
        state.seed,
    );
    let written_snapshot = use_memo(key, |(e, steps, t, changed, seed)| {
        if !*changed {
            return Err(String::new());
        }
        let as_written = Changes {
            seed: *seed,
            steps: steps.clone(),
            ..Changes::default()
        };
        written_runner.borrow_mut().snapshot(e, &as_written, *t)
    });
    Runs {
        changes,
        changed,
        written,
        current,
        snapshot,
        written_snapshot,
        runner,
    }
}
