//! The lab: run a scenario, move through time, and see every request's fate with its cause,
//! beside kubectl's view of the cluster at that moment.
mod chart;
mod controls;
mod failures;
mod snapshot;

use crate::route::Route;
use chart::RequestsChart;
use controls::Controls;
use failures::FailedRequests;
use rollout_sim::examples;
use rollout_sim::knobs::Knobs;
use rollout_sim::scenario::Scenario;
pub use snapshot::Snapshot;
use yew::prelude::*;

#[derive(Properties, PartialEq)]
pub struct LabPageProps {
    /// The built-in scenario to open (`#/lab?scenario=<name>`); the first one when absent.
    #[prop_or_default]
    pub scenario: Option<String>,
}

#[function_component]
pub fn LabPage(props: &LabPageProps) -> Html {
    let requested = props.scenario.as_deref();
    let example = requested
        .and_then(examples::find)
        .unwrap_or(&examples::ALL[0]);
    let unknown = requested.filter(|name| examples::find(name).is_none());
    // None = the end of the scenario; the scrubber sets a time in seconds.
    let time = use_state(|| None::<i64>);
    // None = the settings as the scenario writes them.
    let knobs = use_state(|| None::<Knobs>);
    {
        let (time, knobs) = (time.clone(), knobs.clone());
        use_effect_with(example.name, move |_| {
            time.set(None);
            knobs.set(None);
        });
    }
    let base = use_memo(example.name, |_| Scenario::parse(example.yaml).ok());
    let written = base.as_ref().as_ref().and_then(Knobs::read);
    let current = (*knobs).clone().or_else(|| written.clone());
    let snapshot = use_memo((example.name, (*knobs).clone(), *time), |(_, k, t)| {
        Snapshot::at(example, k.as_ref(), t.map(|s| s * 1000))
    });
    let on_knobs = {
        let knobs = knobs.clone();
        Callback::from(move |k: Knobs| knobs.set(Some(k)))
    };
    let on_reset = {
        let knobs = knobs.clone();
        Callback::from(move |_| knobs.set(None))
    };
    let on_scenario = Callback::from(|e: Event| {
        if let Some(name) = crate::browser::event_value(&e) {
            crate::browser::navigate(&Route::Lab {
                scenario: Some(name),
            });
        }
    });
    let on_time = {
        let time = time.clone();
        Callback::from(move |e: InputEvent| {
            if let Some(v) = crate::browser::input_value(&e).and_then(|v| v.parse::<i64>().ok()) {
                time.set(Some(v));
            }
        })
    };
    html! {
        <section class="lab" aria-labelledby="lab-title">
            <h1 id="lab-title" tabindex="-1">{"Lab"}</h1>
            if let Some(name) = unknown {
                <p class="notice" role="alert">{format!("There is no built-in scenario “{name}”; showing “{}” instead.", example.title)}</p>
            }
            <div class="lab-controls">
                <label for="lab-scenario">{"Scenario"}</label>
                <select id="lab-scenario" onchange={on_scenario}>
                    { for examples::ALL.iter().map(|e| html! {
                        <option value={e.name} selected={e.name == example.name}>{e.title}</option>
                    }) }
                </select>
            </div>
            <p class="scenario-description">{example.description()}</p>
            if let (Some(k), Some(base)) = (current.clone(), base.as_ref().as_ref()) {
                <Controls resolved={k.resolved(base)} changed={current != written} knobs={k} on_change={on_knobs} on_reset={on_reset} />
            }
            { match &*snapshot {
                Err(e) => html! { <p class="notice" role="alert">{e.clone()}</p> },
                Ok(s) => html! {
                    <>
                        <div class="lab-controls">
                            <label for="lab-time">{"Time"}</label>
                            <input id="lab-time" type="range" min="0" max={(s.duration_ms / 1000).to_string()} step="1"
                                value={(s.now_ms / 1000).to_string()} oninput={on_time}
                                aria-valuetext={format!("{} seconds", s.now_ms / 1000)} />
                            <output for="lab-time">{rollout_sim::time::fmt_secs(s.now_ms)}</output>
                        </div>
                        <p class="outcome" role="status" aria-label="Outcome">{&s.outcome}</p>
                        <RequestsChart snapshot={snapshot.clone()} />
                        <FailedRequests snapshot={snapshot.clone()} />
                        <section aria-labelledby="kubectl-title">
                            <h2 id="kubectl-title">{format!("kubectl at {}", rollout_sim::time::fmt_secs(s.now_ms))}</h2>
                            { for s.kubectl.iter().map(|(command, output)| html! {
                                <figure class="terminal">
                                    <figcaption><code>{format!("$ {command}")}</code></figcaption>
                                    <pre>{output}</pre>
                                </figure>
                            }) }
                        </section>
                    </>
                },
            } }
        </section>
    }
}
