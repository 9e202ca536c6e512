//! Which scenario the lab opens, and how: a share link (checked, or refused with the reason), a
//! scenario name, or the first built-in one; a lesson's preset settings on top.
use super::link;
use super::opened;
use super::state::{LabAction, LabState, Restore};
use rollout_sim::lab::examples::{self, Example};
use rollout_sim::lab::knobs::Knobs;
use rollout_sim::scenario::Scenario;
use std::rc::Rc;
use yew::prelude::*;

/// The scenario the lab shows, and what opening it said.
pub struct Opened {
    pub example: Rc<Example>,
    /// A name asked for that is not a scenario.
    pub unknown: Option<String>,
    /// Why a share link could not be opened.
    pub link_error: Option<String>,
    /// What a share link restores.
    pub restore: Option<Restore>,
    /// The scenario as written (`None` if it does not read, which the snapshot then reports).
    pub base: Rc<Option<Scenario>>,
}

impl Opened {
    pub fn duration(&self) -> rollout_sim::time::Ms {
        self.base.as_ref().as_ref().map_or(0, |s| s.duration)
    }
    /// A scenario with nothing scheduled is a sandbox: shown from the start, waiting for the learner.
    pub fn is_sandbox(&self) -> bool {
        self.base
            .as_ref()
            .as_ref()
            .is_some_and(|s| s.timeline.is_empty())
    }
}

#[hook]
pub fn use_opened(link: Option<AttrValue>, scenario: Option<String>) -> Opened {
    let shared = use_memo(link, |q| q.as_deref().map(link::open));
    let (requested, restore, link_error) = match &*shared {
        Some(Ok((example, restore))) => {
            (Some(example.name.to_string()), Some(restore.clone()), None)
        }
        Some(Err(why)) => (None, None, Some(why.clone())),
        None => (scenario, None, None),
    };
    let found = requested.as_deref().and_then(opened::find);
    let unknown = requested.filter(|_| found.is_none());
    let example = found.unwrap_or_else(|| Rc::new(examples::ALL[0].clone()));
    let base = use_memo(example.clone(), |e| Scenario::parse(&e.yaml).ok());
    Opened {
        example,
        unknown,
        link_error,
        restore,
        base,
    }
}

/// The lab's state: opened afresh when the scenario changes (with what a link restores and a
/// lesson's preset), and the learner's settings told to whoever embeds the lab.
#[hook]
pub fn use_lab_state(
    opened: &Opened,
    preset: Option<Rc<Vec<(String, String)>>>,
    on_knobs: Option<Callback<Option<Knobs>>>,
) -> UseReducerHandle<LabState> {
    let name = opened.example.name.to_string();
    let (duration, from_start) = (opened.duration(), opened.is_sandbox());
    let state = use_reducer(|| LabState {
        scenario: name.clone(),
        duration,
        time: from_start.then_some(0),
        ..LabState::default()
    });
    {
        let dispatch = state.dispatcher();
        let (base, restore) = (opened.base.clone(), opened.restore.clone());
        use_effect_with(
            (name, duration, from_start),
            move |(name, duration, from_start)| {
                dispatch.dispatch(LabAction::Open(name.clone(), *duration, *from_start));
                if let Some(r) = restore {
                    dispatch.dispatch(LabAction::Restore(r));
                }
                // A lesson may open the scenario with some settings already changed (its starting point).
                let knobs = preset.filter(|p| !p.is_empty()).and_then(|p| {
                    let mut k = Knobs::read(base.as_ref().as_ref()?)?;
                    p.iter().all(|(n, v)| k.set(n, v).is_ok()).then_some(k)
                });
                if let Some(k) = knobs {
                    dispatch.dispatch(LabAction::SetKnobs(k));
                }
            },
        );
    }
    use_effect_with(state.knobs.clone(), move |k| {
        if let Some(on_knobs) = on_knobs {
            on_knobs.emit(k.clone())
        }
    });
    state
}
