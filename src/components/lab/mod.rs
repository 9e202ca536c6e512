//! The lab: run a scenario, move through time, and see every request's fate with its cause,
//! beside kubectl's view of the cluster at that moment.
mod actions;
mod chart;
mod cluster_view;
mod compare;
mod console;
mod controls;
mod failures;
mod link;
mod manifests;
mod opened;
mod playback;
mod pods_chart;
mod shortcuts;

mod state;
mod traffic_view;
mod versions_chart;

use crate::components::{embed, EmbedProps};
use crate::route::Route;
use chart::requests_chart;
use cluster_view::cluster_view;
use console::{Console, Entry};
use failures::failed_requests;
use manifests::Manifests;
use pods_chart::pods_chart;
use rollout_sim::lab::examples;
use rollout_sim::lab::knobs::Knobs;
pub use rollout_sim::lab::snapshot::Snapshot;
use rollout_sim::lab::snapshot::{self, Changes};
use rollout_sim::scenario::Scenario;
use state::{LabAction, LabState, Typed};
use std::rc::Rc;
use traffic_view::TrafficView;
use versions_chart::{latency_chart, versions_chart};
use yew::prelude::*;

#[derive(Properties, PartialEq)]
pub struct LabPageProps {
    /// The built-in scenario to open (`#/lab?scenario=<name>`); the first one when absent.
    #[prop_or_default]
    pub scenario: Option<String>,
    /// Inside a lesson: no scenario picker or files, and only these settings and panels
    /// (`Knobs::set` names and `course::read::PANELS`).
    #[prop_or_default]
    pub embedded: Option<Rc<Vec<String>>>,
    /// Told the learner's settings whenever they change (`None`: as the scenario has them).
    #[prop_or_default]
    pub on_knobs: Option<Callback<Option<Knobs>>>,
    /// Settings changed from the scenario's when it opens (`Knobs::set` names).
    #[prop_or_default]
    pub preset: Option<Rc<Vec<(String, String)>>>,
    /// A share link's query (`#/lab?v=1&…`): the state to open, in place of `scenario`.
    #[prop_or_default]
    pub link: Option<AttrValue>,
}

#[function_component]
pub fn LabPage(props: &LabPageProps) -> Html {
    // A share link names its scenario; one that cannot be opened shows the default lab.
    let shared = use_memo(props.link.clone(), |q| q.as_deref().map(link::open));
    let (requested, restore, link_error) = match &*shared {
        Some(Ok((example, restore))) => (Some(example.name), Some(restore.clone()), None),
        Some(Err(why)) => (None, None, Some(why.clone())),
        None => (props.scenario.as_deref(), None, None),
    };
    let example = requested
        .and_then(opened::find)
        .unwrap_or(&examples::ALL[0]);
    let unknown = requested.filter(|name| opened::find(name).is_none());
    let base = use_memo(example.name, |_| Scenario::parse(example.yaml).ok());
    let duration = base.as_ref().as_ref().map_or(0, |s| s.duration);
    // A scenario with nothing scheduled is a sandbox: show it from the start, waiting for the learner.
    let from_start = base
        .as_ref()
        .as_ref()
        .is_some_and(|s| s.timeline.is_empty());
    let shown = props.embedded.clone();
    let panel = |name: &str| shown.as_ref().is_none_or(|s| s.iter().any(|x| x == name));
    let state = use_reducer(|| LabState {
        scenario: example.name,
        duration,
        time: from_start.then_some(0),
        ..LabState::default()
    });
    {
        // A lesson may open the scenario with some settings already changed (its starting point).
        let dispatch = state.dispatcher();
        let preset = props.preset.clone();
        let base = base.clone();
        let restore = restore.clone();
        use_effect_with(
            (example.name, duration, from_start),
            move |(name, duration, from_start)| {
                dispatch.dispatch(LabAction::Open(name, *duration, *from_start));
                if let Some(r) = restore {
                    dispatch.dispatch(LabAction::Restore(r));
                }
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
    {
        // While playing, real time drives simulated time.
        let dispatch = state.dispatcher();
        use_effect_with(state.playing, move |playing| {
            let stop = playing.then(|| {
                crate::browser::every(100, move || dispatch.dispatch(LabAction::Tick(100)))
            });
            move || stop.into_iter().for_each(|stop| stop())
        });
    }
    {
        let on_knobs = props.on_knobs.clone();
        use_effect_with(state.knobs.clone(), move |k| {
            if let Some(on_knobs) = on_knobs {
                on_knobs.emit(k.clone())
            }
        });
    }
    // The settings as the (possibly edited) manifests write them.
    let edited = use_memo((example.name, state.manifests.clone()), |(_, m)| {
        snapshot::base(example, m.as_deref()).ok()
    });
    let written = edited.as_ref().as_ref().and_then(Knobs::read);
    let current = state.knobs.clone().or_else(|| written.clone());
    let changes = Changes {
        seed: state.seed,
        manifests: state.manifests.clone(),
        knobs: state.knobs.clone(),
        steps: state.steps.clone(),
    };
    let changed = state.knobs.is_some() || state.manifests.is_some();
    // Live runs, continued forward in time and restarted only when going back or changing inputs.
    let runner = use_mut_ref(snapshot::Runner::default);
    let written_runner = use_mut_ref(snapshot::Runner::default);
    let snapshot = use_memo((example.name, changes.clone(), state.time), |(_, c, t)| {
        runner.borrow_mut().snapshot(example, c, *t)
    });
    // The scenario as written, on the same seed, traffic, commands and moment, for comparison.
    let written_snapshot = use_memo(
        (
            example.name,
            state.steps.clone(),
            state.time,
            changed,
            state.seed,
        ),
        |(_, steps, t, changed, seed)| {
            if *changed {
                let as_written = Changes {
                    seed: *seed,
                    steps: steps.clone(),
                    ..Changes::default()
                };
                written_runner
                    .borrow_mut()
                    .snapshot(example, &as_written, *t)
            } else {
                Err(String::new())
            }
        },
    );
    let now_ms = snapshot.as_ref().as_ref().map_or(0, |s| s.now_ms);
    let on_command = {
        let (state, changes, runner) = (state.clone(), changes.clone(), runner.clone());
        Callback::from(move |line: String| {
            // Read-only commands are answered now, from the cluster at this moment.
            let answer = match rollout_sim::kubectl::parse(&line) {
                Ok(rollout_sim::kubectl::Command::View(_)) => {
                    Some(runner.borrow_mut().show(example, &changes, now_ms, &line))
                }
                Ok(_) => None,
                Err(e) => Some(Err(e)),
            };
            state.dispatch(LabAction::Command {
                at: now_ms,
                line,
                answer,
            });
        })
    };
    // An action button runs its command now and plays on, so its effect can be watched.
    let on_action = {
        let (on_command, dispatch) = (on_command.clone(), state.dispatcher());
        let (playing, at_end) = (state.playing, now_ms >= duration);
        Callback::from(move |line: String| {
            on_command.emit(line);
            if !playing && !at_end {
                dispatch.dispatch(LabAction::Play);
            }
        })
    };
    // The Outcome live region speaks at a calm pace: at most every 3 s of real time while playing,
    // at once when paused. The visible line beside it follows every frame.
    let live_outcome = snapshot
        .as_ref()
        .as_ref()
        .map(|s| s.outcome.clone())
        .unwrap_or_default();
    let calm_key = if state.playing {
        (
            true,
            now_ms / ((3000.0 * state.speed) as i64).max(1),
            String::new(),
        )
    } else {
        (false, 0, live_outcome.clone())
    };
    let announced = use_memo(calm_key, move |_| live_outcome);
    // Edited manifests are checked before they replace the scenario's.
    let on_manifests = {
        let dispatch = state.dispatcher();
        Callback::from(move |text: String| {
            let checked = match snapshot::base(example, Some(&text)) {
                Ok(_) => Ok(text),
                Err(e) => Err((text, format!("Not applied: {e}"))),
            };
            dispatch.dispatch(LabAction::EditManifests(checked));
        })
    };
    // Save the scenario as it now stands (settings, edited manifests, commands) as a file.
    let on_save = {
        let changes = changes.clone();
        Callback::from(move |_: MouseEvent| {
            if let Ok(cluster) = snapshot::run(example, &changes, Some(0)) {
                crate::browser::download(
                    &format!("{}.yaml", example.name),
                    &cluster.scenario.to_yaml(),
                );
            }
        })
    };
    // "Copy link": the run as it stands, in a link shown in a field and put on the clipboard.
    // (the link, and whether the clipboard took it: `None` while asking).
    let copied = use_state(|| None::<(String, Option<bool>)>);
    let on_copy = {
        let (state, written, copied) = (state.clone(), written.clone(), copied.clone());
        Callback::from(move |_: MouseEvent| {
            let query = link::make(&state, written.as_ref()).query();
            let href = format!(
                "{}{}",
                crate::browser::page_base(),
                Route::SharedLab(query).href()
            );
            copied.set(Some((href.clone(), None)));
            let (copied, text) = (copied.clone(), href.clone());
            crate::browser::copy(&text, move |ok| copied.set(Some((href, Some(ok)))));
        })
    };
    // The course site's origin typed into the Embed panel.
    let origin = use_state(String::new);
    let entries = console_entries(&state.typed, &snapshot);
    // Completions depend only on the scenario: read it once, not on every tick of playback.
    let suggestions = use_memo(example.name, |_| {
        Scenario::parse(example.yaml)
            .map(|s| rollout_sim::lab::console::suggestions(&s))
            .unwrap_or_default()
    });
    let on_knobs = state.dispatcher().to_callback().reform(LabAction::SetKnobs);
    let on_reset = state
        .dispatcher()
        .to_callback()
        .reform(|_: ()| LabAction::ResetKnobs);
    let on_play = state.dispatcher().to_callback().reform(|play: bool| {
        if play {
            LabAction::Play
        } else {
            LabAction::Pause
        }
    });
    let on_step = state
        .dispatcher()
        .to_callback()
        .reform(|_: ()| LabAction::Step);
    let on_restart = state
        .dispatcher()
        .to_callback()
        .reform(|_: ()| LabAction::Restart);
    let on_speed = state.dispatcher().to_callback().reform(LabAction::SetSpeed);
    let help = use_state(|| false);
    let on_help = {
        let help = help.clone();
        Callback::from(move |open: bool| help.set(open))
    };
    let on_key = {
        let (state, help) = (state.clone(), help.clone());
        Callback::from(move |e: KeyboardEvent| {
            if crate::browser::key_for_control(&e) || e.ctrl_key() || e.meta_key() || e.alt_key() {
                return;
            }
            if e.key() == "?" {
                help.set(!*help);
            } else if let Some(action) = shortcuts::action(&e.key(), &state) {
                e.prevent_default();
                state.dispatch(action);
            }
        })
    };
    // Opening a file: it must read as a scenario, or the learner is told where it does not.
    let open_error = use_state(|| None::<String>);
    let on_file = {
        let open_error = open_error.clone();
        move |file_name: String, text: Result<String, String>| match text
            .and_then(|t| opened::open(&file_name, t))
        {
            Ok(name) => {
                open_error.set(None);
                crate::browser::navigate(&Route::Lab {
                    scenario: Some(name),
                });
            }
            Err(why) => open_error.set(Some(why)),
        }
    };
    let on_pick = {
        let on_file = on_file.clone();
        Callback::from(move |e: Event| crate::browser::read_chosen_file(&e, on_file.clone()))
    };
    let on_drop =
        Callback::from(move |e: DragEvent| crate::browser::read_dropped_file(&e, on_file.clone()));
    // Allowing a drop at all takes a handled dragover.
    let on_drag_over = Callback::from(|e: DragEvent| e.prevent_default());
    let on_scenario = Callback::from(|e: Event| {
        if let Some(name) = crate::browser::event_value(&e) {
            crate::browser::navigate(&Route::Lab {
                scenario: Some(name),
            });
        }
    });
    // Another seed replays the same scenario with other arrivals and random picks.
    let seed = state
        .seed
        .or_else(|| base.as_ref().as_ref().map(|s| s.seed))
        .unwrap_or(0);
    let on_seed = {
        let dispatch = state.dispatcher();
        Callback::from(move |e: Event| {
            if let Some(seed) = crate::browser::event_value(&e).and_then(|v| v.trim().parse().ok())
            {
                dispatch.dispatch(LabAction::SetSeed(seed));
            }
        })
    };
    let on_time = {
        let dispatch = state.dispatcher();
        Callback::from(move |e: InputEvent| {
            if let Some(secs) = crate::browser::input_value(&e).and_then(|v| v.parse::<i64>().ok())
            {
                dispatch.dispatch(LabAction::SetTime(secs * 1000));
            }
        })
    };
    html! {
        <section class="lab" aria-labelledby="lab-title" onkeydown={on_key} ondrop={on_drop} ondragover={on_drag_over}>
            if shown.is_none() { <h1 id="lab-title" tabindex="-1">{"Lab"}</h1> } else { <h3 id="lab-title">{"Lab: "}{example.title}</h3> }
            if let Some(why) = link_error {
                <p class="notice" role="alert">{format!("This link cannot be opened: {why}. Showing the default lab instead.")}</p>
            }
            if let Some(name) = unknown {
                <p class="notice" role="alert">{format!("There is no built-in scenario “{name}”; showing “{}” instead.", example.title)}</p>
            }
            if shown.is_none() {
            <div class="lab-controls">
                <label for="lab-scenario">{"Scenario"}</label>
                <select id="lab-scenario" onchange={on_scenario}>
                    { for examples::ALL.iter().chain(opened::all()).map(|e| html! {
                        <option value={e.name} selected={e.name == example.name}>{e.title}</option>
                    }) }
                </select>
            </div>
            <p class="scenario-description">{example.description()}</p>
            <div class="files">
                <button type="button" class="save" onclick={on_save}>{"Save scenario file"}</button>
                <label class="open-file" for="lab-open">{"Open scenario file"}</label>
                <input id="lab-open" type="file" accept=".yaml,.yml,text/yaml" onchange={on_pick} />
                <span class="hint">{"or drop a .yaml file anywhere on the lab"}</span>
                <button type="button" onclick={on_copy}>{"Copy link"}</button>
                { embed(&EmbedProps {
                    pages: vec![("Paste this into your page", Route::Lab { scenario: Some(example.name.to_string()) })],
                    title: example.title.into(), origin: origin.clone(),
                }) }
            </div>
            if let Some((href, ok)) = (*copied).clone() {
                <p class="share">
                    <label for="lab-link">{"Link to this run"}</label>
                    <input id="lab-link" type="url" readonly=true value={href} />
                    <span role="status">{match ok { Some(true) => "Copied to the clipboard.", Some(false) => "Copy the link from the field.", None => "" }}</span>
                </p>
            }
            if let Some(why) = (*open_error).clone() {
                <p class="notice" role="alert">{format!("This file cannot be opened: {why}")}</p>
            }
            }
            if let (Some(k), Some(base)) = (current.clone(), base.as_ref().as_ref()) {
                { controls::controls(&controls::ControlsProps { resolved: k.resolved(base), changed, knobs: k, on_change: on_knobs, on_reset, shown: shown.clone() }) }
            }
            { match &*snapshot {
                Err(e) => html! { <p class="notice" role="alert">{e.clone()}</p> },
                Ok(s) => html! {
                    <>
                        if let Some(target) = s.target.clone() {
                            { actions::actions(&actions::ActionsProps { target, on_command: on_action.clone() }) }
                        }
                        { playback::playback(&playback::PlaybackProps { playing: state.playing, speed: state.speed, on_play, on_step, on_restart, on_speed }) }
                        { shortcuts::shortcuts_help(&shortcuts::ShortcutsHelpProps { open: *help, on_toggle: on_help }) }
                        <div class="lab-controls">
                            <label for="lab-time">{"Time"}</label>
                            <input id="lab-time" type="range" min="0" max={(s.duration_ms / 1000).to_string()} step="1"
                                value={(s.now_ms / 1000).to_string()} oninput={on_time}
                                aria-valuetext={format!("{} seconds", s.now_ms / 1000)} />
                            <output for="lab-time">{rollout_sim::time::fmt_secs(s.now_ms)}</output>
                            <label for="lab-seed">{"Seed"}</label>
                            <input id="lab-seed" type="number" min="0" step="1" value={seed.to_string()} onchange={on_seed} />
                        </div>
                        <p class="outcome" aria-hidden="true">{&s.outcome}</p>
                        <p class="visually-hidden" role="status" aria-label="Outcome">{(*announced).clone()}</p>
                        <p class="service-level">{&s.service_level}</p>
                        if changed {
                            { compare::compare(&compare::CompareProps { written: written_snapshot.clone(), yours: snapshot.clone() }) }
                        }
                        <TrafficView snapshot={snapshot.clone()} speed={state.speed} />
                        { requests_chart(s) }
                        if panel("pods-chart") { { pods_chart(s) } }
                        if panel("versions") { { versions_chart(s) } }
                        if panel("latency") { { latency_chart(s) } }
                        { cluster_view(s) }
                        { failed_requests(s) }
                        if panel("manifests") {
                        <Manifests
                            yaml={state.manifests_error.as_ref().map_or(s.manifests_yaml.clone(), |(draft, _)| draft.clone())}
                            error={state.manifests_error.as_ref().map(|(_, why)| AttrValue::from(why.clone()))}
                            on_apply={on_manifests.clone()} />
                        }
                        if panel("console") {
                        <Console entries={entries.clone()} suggestions={(*suggestions).clone()} on_run={on_command.clone()} />
                        }
                        if panel("kubectl") {
                        <section aria-labelledby="kubectl-title">
                            <h2 id="kubectl-title">{format!("kubectl at {}", rollout_sim::time::fmt_secs(s.now_ms))}</h2>
                            { for s.kubectl.iter().map(|(command, output)| html! {
                                <figure class="terminal">
                                    <figcaption><code>{format!("$ {command}")}</code></figcaption>
                                    <pre>{output}</pre>
                                </figure>
                            }) }
                        </section>
                        }
                    </>
                },
            } }
        </section>
    }
}

/// The console transcript: a changing command's answer comes from the run, where it took effect.
fn console_entries(typed: &[Typed], snapshot: &Result<Snapshot, String>) -> Vec<Entry> {
    typed
        .iter()
        .map(|t| Entry {
            at: t.at,
            line: t.line.clone(),
            output: match (&t.answer, snapshot) {
                (Some(answer), _) => answer.clone(),
                (None, Err(e)) => Err(e.clone()),
                (None, Ok(s)) => s
                    .command_log
                    .iter()
                    .find(|(at, run, _)| *at == t.at && *run == t.line)
                    .map(|(_, _, r)| r.clone())
                    .unwrap_or_else(|| {
                        Ok(format!(
                            "(runs at {}; move Time there to see it)",
                            rollout_sim::time::fmt_secs(t.at)
                        ))
                    }),
            },
        })
        .collect()
}
