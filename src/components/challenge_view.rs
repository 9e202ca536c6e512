//! A challenge: the lab with the settings it allows, and a check that runs the scenario to its
//! end with the learner's settings and reports every goal with its number.
use crate::components::LabPage;
use crate::course::challenge::{Challenge, Live};
use crate::course::measure::Measure;
use crate::course::progress::Checked;
use rollout_sim::lab::knobs::Knobs;
use std::rc::Rc;
use yew::prelude::*;

#[derive(Properties, PartialEq)]
pub struct ChallengeProps {
    pub challenge: &'static Challenge,
    pub saved: Option<Checked>,
    pub on_checked: Callback<Checked>,
}

#[function_component]
pub fn ChallengeView(props: &ChallengeProps) -> Html {
    let c = props.challenge;
    let knobs = use_mut_ref(|| None::<Knobs>);
    let result = use_state(|| None::<Result<Checked, String>>);
    let on_knobs = {
        let knobs = knobs.clone();
        Callback::from(move |k: Option<Knobs>| *knobs.borrow_mut() = k)
    };
    let check = {
        let (knobs, result, on_checked) = (knobs.clone(), result.clone(), props.on_checked.clone());
        Callback::from(move |_: MouseEvent| {
            let checked = c.check(knobs.borrow().as_ref()).map(|o| Checked {
                passed: o.passed(),
                summary: o.sentences().join("\n"),
            });
            if let Ok(done) = &checked {
                on_checked.emit(done.clone());
            }
            result.set(Some(checked));
        })
    };
    let shown = (*result).clone().or_else(|| props.saved.clone().map(Ok));
    // The goals as the run being watched stands now.
    let live = use_state(|| None::<Vec<(Measure, i64, Option<i64>, Live)>>);
    let start_replicas = c.start.replicas;
    let on_snapshot = {
        let (live, knobs) = (live.clone(), knobs.clone());
        Callback::from(
            move |s: Rc<Result<rollout_sim::lab::snapshot::Snapshot, String>>| {
                let Ok(s) = s.as_ref() else { return };
                let replicas = knobs
                    .borrow()
                    .as_ref()
                    .map_or(start_replicas, |k| k.replicas);
                let now = Some(c.live(s, replicas));
                if *live != now {
                    live.set(now);
                }
            },
        )
    };
    html! {
        <section class="challenge" aria-labelledby={format!("c-{}", c.id)}>
            <h2 id={format!("c-{}", c.id)}>{format!("Challenge: {}", c.title)}</h2>
            <p>{&c.task}</p>
            <ul class="goals" aria-label="Goals, as the run below stands">
                { for c.goals.iter().enumerate().map(|(i, (m, limit))| {
                    let now = live.as_ref().and_then(|l| l.get(i).copied());
                    let state = now.map(|(_, _, value, state)| match value {
                        Some(v) => format!(" — {} ({v} now)", state.word()),
                        None => format!(" — {}", state.word()),
                    });
                    let class = now.map(|(.., state)| match state {
                        Live::Met => "goal-met",
                        Live::Missed => "goal-missed",
                        Live::Holding | Live::AtTheEnd => "goal-open",
                    });
                    html! { <li class={classes!(class)}>{format!("{}: {} {limit}{}", m.label(), m.bound(), state.unwrap_or_default())}</li> }
                }) }
            </ul>
            <p class="hint">{"The goals follow the run as it plays; Check my settings runs your settings from the start, without console commands."}</p>
            <LabPage scenario={Some(c.scenario.clone())} embedded={Some(Rc::new(c.controls.clone()))} {on_knobs} {on_snapshot}
                preset={Some(Rc::new(c.settings.clone()))} />
            <button type="button" class="primary" onclick={check}>{"Check my settings"}</button>
            <div class="challenge-result" role="status">
                { match shown {
                    Some(Ok(r)) => html! {
                        <>
                            <p><strong>{if r.passed { "Passed: every goal is met." } else { "Not yet: some goals are not met." }}</strong></p>
                            <ul>{ for r.summary.lines().map(|l| html! { <li>{l}</li> }) }</ul>
                        </>
                    },
                    Some(Err(e)) => html! { <p class="notice">{e}</p> },
                    None => html! {},
                } }
            </div>
        </section>
    }
}
