//! The lab: run a scenario, move through time, and see every request's fate with its cause,
//! beside kubectl's view of the cluster at that moment.
mod chart;
mod cluster_view;
mod compare;
mod console;
mod controls;
mod failures;
mod snapshot;

use crate::route::Route;
use chart::RequestsChart;
use cluster_view::ClusterView;
use compare::Compare;
use console::{Console, Entry};
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
    // Commands the learner ran that change the cluster, at the moment they ran them.
    let steps = use_state(Vec::<(i64, String)>::new);
    // Everything typed into the console, in order: (time, line, read-only output if any).
    let typed = use_state(Vec::<(i64, String, Option<Result<String, String>>)>::new);
    {
        let (time, knobs, steps, typed) =
            (time.clone(), knobs.clone(), steps.clone(), typed.clone());
        use_effect_with(example.name, move |_| {
            time.set(None);
            knobs.set(None);
            steps.set(Vec::new());
            typed.set(Vec::new());
        });
    }
    let base = use_memo(example.name, |_| Scenario::parse(example.yaml).ok());
    let written = base.as_ref().as_ref().and_then(Knobs::read);
    let current = (*knobs).clone().or_else(|| written.clone());
    let snapshot = use_memo(
        (example.name, (*knobs).clone(), (*steps).clone(), *time),
        |(_, k, st, t)| Snapshot::at(example, k.as_ref(), st, t.map(|s| s * 1000)),
    );
    // The scenario as written, on the same seed, traffic, commands and moment, for comparison.
    let written_snapshot = use_memo(
        (example.name, (*steps).clone(), *time, knobs.is_some()),
        |(_, st, t, changed)| {
            if *changed {
                Snapshot::at(example, None, st, t.map(|s| s * 1000))
            } else {
                Err(String::new())
            }
        },
    );
    let now_ms = match &*snapshot {
        Ok(s) => s.now_ms,
        Err(_) => 0,
    };
    let on_command = {
        let (knobs, steps, typed) = (knobs.clone(), steps.clone(), typed.clone());
        Callback::from(move |line: String| {
            let mut log = (*typed).clone();
            match rollout_sim::kubectl::parse(&line) {
                Ok(rollout_sim::kubectl::Command::View(_)) => {
                    let out = snapshot::run(example, knobs.as_ref(), &steps, Some(now_ms))
                        .and_then(|c| c.show(&line));
                    log.push((now_ms, line, Some(out)));
                }
                Ok(_) => {
                    let mut next = (*steps).clone();
                    next.push((now_ms, line.clone()));
                    steps.set(next);
                    log.push((now_ms, line, None));
                }
                Err(e) => log.push((now_ms, line, Some(Err(e)))),
            }
            typed.set(log);
        })
    };
    // A changing command's answer comes from the run itself, where it took effect.
    let entries: Vec<Entry> = typed
        .iter()
        .map(|(at, line, out)| Entry {
            at: *at,
            line: line.clone(),
            output: match out {
                Some(out) => out.clone(),
                None => match &*snapshot {
                    Ok(s) => s
                        .command_log
                        .iter()
                        .find(|(t, run, _)| t == at && run == line)
                        .map(|(_, _, r)| r.clone())
                        .unwrap_or_else(|| {
                            Ok(format!(
                                "(runs at {}; move Time there to see it)",
                                rollout_sim::time::fmt_secs(*at)
                            ))
                        }),
                    Err(e) => Err(e.clone()),
                },
            },
        })
        .collect();
    let suggestions = suggestions(example);
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
                        if knobs.is_some() {
                            <Compare written={written_snapshot.clone()} yours={snapshot.clone()} />
                        }
                        <RequestsChart snapshot={snapshot.clone()} />
                        <ClusterView snapshot={snapshot.clone()} />
                        <FailedRequests snapshot={snapshot.clone()} />
                        <Console entries={entries.clone()} suggestions={suggestions.clone()} on_run={on_command.clone()} />
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

/// Command lines the console offers to complete, for this scenario's Deployment and images.
fn suggestions(example: &examples::Example) -> Vec<String> {
    let Ok(s) = Scenario::parse(example.yaml) else {
        return Vec::new();
    };
    let d = s
        .objects
        .iter()
        .find_map(|o| match o {
            rollout_sim::manifest::Object::Deployment(d) => Some(d.metadata.name.clone()),
            _ => None,
        })
        .unwrap_or_default();
    let mut out: Vec<String> = [
        "kubectl get deploy,rs,pods".to_string(),
        "kubectl get endpoints".into(),
        "kubectl get events".into(),
        format!("kubectl describe deployment {d}"),
        format!("kubectl rollout status deployment/{d}"),
        format!("kubectl rollout history deployment/{d}"),
        format!("kubectl rollout undo deployment/{d}"),
        format!("kubectl rollout pause deployment/{d}"),
        format!("kubectl rollout resume deployment/{d}"),
        format!("kubectl rollout restart deployment/{d}"),
        format!("kubectl scale deployment/{d} --replicas=5"),
    ]
    .into();
    out.extend(
        s.images
            .keys()
            .map(|image| format!("kubectl set image deployment/{d} app={image}")),
    );
    out
}
