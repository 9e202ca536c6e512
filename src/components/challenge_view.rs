//! A challenge: the lab with the settings it allows, and a check that runs the scenario to its
//! end with the learner's settings and reports every goal with its number.
use crate::components::LabPage;
use crate::course::challenge::Challenge;
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
    html! {
        <section class="challenge" aria-labelledby={format!("c-{}", c.id)}>
            <h2 id={format!("c-{}", c.id)}>{format!("Challenge: {}", c.title)}</h2>
            <p>{&c.task}</p>
            <ul class="goals">
                { for c.goals.iter().map(|(m, limit)| html! {
                    <li>{format!("{}: {} {limit}", m.label(), m.bound())}</li>
                }) }
            </ul>
            <LabPage scenario={Some(c.scenario.clone())} embedded={Some(Rc::new(c.controls.clone()))} {on_knobs}
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
