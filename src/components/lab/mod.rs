//! The lab: run a scenario, move through time, and see every request's fate with its cause,
//! beside kubectl's view of the cluster at that moment.
mod actions;
mod charts;
mod cluster_view;
mod compare;
mod console;
mod controls;
mod failures;
mod files;
mod kubectl_views;
mod link;
mod manifests;
mod open;
mod opened;
mod playback;
mod runs;
mod settings_panel;
mod shortcuts;
mod stage;
mod state;
mod termination;

pub use charts::Charts;
use cluster_view::cluster_view;
use console::{Console, Entry};
use failures::failed_requests;
use files::{scenario_files, scenario_picker, use_file_open, ScenarioFilesProps};
use kubectl_views::kubectl_views;
use manifests::Manifests;
use open::{use_lab_state, use_opened};
use playback::{use_announced, use_clock};
use rollout_sim::lab::examples;
use rollout_sim::lab::knobs::Knobs;
use rollout_sim::lab::ribbon::Moment;
use rollout_sim::lab::snapshot;
pub use rollout_sim::lab::snapshot::Snapshot;
use rollout_sim::scenario::Scenario;
use runs::{use_runs, Runs};
use stage::Stage;
use state::{LabAction, LabState, Typed};
use std::rc::Rc;
use termination::TrackView;
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
    /// Told the run at the moment shown whenever what it counts changes (a challenge follows
    /// its goals with it).
    #[prop_or_default]
    pub on_snapshot: Option<Callback<Rc<Result<Snapshot, String>>>>,
}

#[function_component]
pub fn LabPage(props: &LabPageProps) -> Html {
    let opened = use_opened(props.link.clone(), props.scenario.clone());
    let example = opened.example.clone();
    let state = use_lab_state(&opened, props.preset.clone(), props.on_knobs.clone());
    use_clock(&state);
    let runs = use_runs(&example, &state);
    let now_ms = runs.now_ms();
    use_told_snapshot(props.on_snapshot.clone(), &runs);
    let whole = use_whole_run(&example, &runs);
    let on_command = console_command(&example, &state, &runs);
    let on_action = act_and_play(&on_command, &state, now_ms >= opened.duration());
    let outcome = runs
        .snapshot
        .as_ref()
        .as_ref()
        .map(|s| s.outcome.clone())
        .unwrap_or_default();
    let announced = use_announced(&state, now_ms, outcome);
    let on_manifests = apply_manifests(&example, state.dispatcher());
    let on_save = save_file(&example, runs.changes.clone());
    let on_export = export_file(&example, runs.changes.clone());
    let link_query = share_query(&state, &runs);
    let entries = console_entries(&state.typed, &runs.snapshot);
    // Completions depend only on the scenario: read it once, not on every tick of playback.
    let suggestions = use_memo(example.clone(), |e| {
        Scenario::parse(&e.yaml)
            .map(|s| rollout_sim::lab::console::suggestions(&s))
            .unwrap_or_default()
    });
    let on_knobs = state.dispatcher().to_callback().reform(LabAction::SetKnobs);
    let on_reset = state
        .dispatcher()
        .to_callback()
        .reform(|_: ()| LabAction::ResetKnobs);
    let help = use_state(|| false);
    let on_help = {
        let help = help.clone();
        Callback::from(move |open: bool| help.set(open))
    };
    let on_key = shortcut_keys(&state, &help);
    let files = use_file_open();
    let copied = use_state(|| None);
    // Allowing a drop at all takes a handled dragover.
    let on_drag_over = Callback::from(|e: DragEvent| e.prevent_default());
    let seed = state
        .seed
        .or_else(|| opened.base.as_ref().as_ref().map(|s| s.seed))
        .unwrap_or(0);
    let shown = props.embedded.clone();
    let panel = |name: &str| shown.as_ref().is_none_or(|s| s.iter().any(|x| x == name));
    let (snapshot, changed, dispatch) = (&runs.snapshot, runs.changed, state.dispatcher());
    html! {
        <section class="lab" aria-labelledby="lab-title" onkeydown={on_key} ondrop={files.on_drop.clone()} ondragover={on_drag_over}>
            if shown.is_none() { <h1 id="lab-title" tabindex="-1">{"Lab"}</h1> } else { <h3 id="lab-title">{"Lab: "}{example.title.to_string()}</h3> }
            if let Some(why) = opened.link_error.clone() {
                <p class="notice" role="alert">{format!("This link cannot be opened: {why}. Showing the default lab instead.")}</p>
            }
            if let Some(name) = opened.unknown.clone() {
                <p class="notice" role="alert">{format!("There is no built-in scenario “{name}”; showing “{}” instead.", example.title)}</p>
            }
            if shown.is_none() { { scenario_picker(&example, files.error.clone()) } }
            // The run on stage: its playback, its moments and outcome, the actions on it, then the
            // picture; the settings beside it on a wide screen, after it on a narrow one (where the
            // actions follow the picture); the details below.
            <div class="lab-main">
            <div class="lab-stage">
            { match &**snapshot {
                Err(e) => html! { <p class="notice" role="alert">{e.clone()}</p> },
                Ok(s) => html! {
                    <>
                        <div class="lab-transport">
                            { playback::playback(&playback::PlaybackProps { playing: state.playing, speed: state.speed, dispatch: dispatch.clone() }) }
                            { playback::time_bar(&playback::TimeBarProps { now_ms: s.now_ms, duration_ms: s.duration_ms, seed, dispatch: dispatch.clone() }) }
                        </div>
                        { playback::ribbon(&whole.moments, s.now_ms, &dispatch) }
                        <p class="outcome" aria-hidden="true">{&s.outcome}</p>
                        <p class="visually-hidden" role="status" aria-label="Outcome">{(*announced).clone()}</p>
                        if let Some(target) = s.target.clone() {
                            { actions::actions(&actions::ActionsProps { target, on_command: on_action.clone() }) }
                        }
                        <Stage snapshot={snapshot.clone()} speed={state.speed} tracks={whole.tracks.clone()} />
                        <p class="service-level">{&s.service_level}</p>
                        { shortcuts::shortcuts_help(&shortcuts::ShortcutsHelpProps { open: *help, on_toggle: on_help }) }
                    </>
                },
            } }
            </div>
            if let (Some(k), Some(base)) = (runs.current.clone(), opened.base.as_ref().as_ref()) {
                <settings_panel::SettingsPanel embedded={shown.is_some()}>{ controls::controls(&controls::ControlsProps { resolved: k.resolved(base), changed, knobs: k, on_change: on_knobs, on_reset, shown: shown.clone() }) }</settings_panel::SettingsPanel>
            }
            </div>
            if let Ok(s) = &**snapshot {
                <div class="lab-details">
                    if changed {
                        { compare::compare(&compare::CompareProps { written: runs.written_snapshot.clone(), yours: snapshot.clone() }) }
                    }
                    <Charts snapshot={snapshot.clone()} embedded={shown.clone()} on_seek={dispatch.to_callback().reform(LabAction::SetTime)} />
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
                    if panel("kubectl") { { kubectl_views(s) } }
                </div>
            }
            if shown.is_none() {
                { scenario_files(&ScenarioFilesProps { example, link_query, copied, on_save, on_export, on_pick: files.on_pick.clone() }) }
            }
        </section>
    }
}

/// Edited manifests are checked before they replace the scenario's.
fn apply_manifests(
    example: &Rc<examples::Example>,
    dispatch: UseReducerDispatcher<LabState>,
) -> Callback<String> {
    let example = example.clone();
    Callback::from(move |text: String| {
        let checked = match snapshot::base(&example, Some(&text)) {
            Ok(_) => Ok(text),
            Err(e) => Err((text, format!("Not applied: {e}"))),
        };
        dispatch.dispatch(LabAction::EditManifests(checked));
    })
}

/// Saves the scenario as it now stands (settings, edited manifests, commands) as a file.
fn save_file(example: &Rc<examples::Example>, changes: snapshot::Changes) -> Callback<MouseEvent> {
    let example = example.clone();
    Callback::from(move |_: MouseEvent| {
        if let Ok(cluster) = snapshot::run(&example, &changes, Some(0)) {
            crate::browser::download(
                &format!("{}.yaml", example.name),
                &cluster.scenario.to_yaml(),
            );
        }
    })
}

/// The share link's query for the run as it stands, made when asked for.
fn share_query(state: &UseReducerHandle<LabState>, runs: &Runs) -> Callback<(), String> {
    let (state, written) = (state.clone(), runs.written.clone());
    Callback::from(move |()| link::make(&state, written.as_ref()).query())
}

/// An action button runs its command now and plays on, so its effect can be watched.
fn act_and_play(
    on_command: &Callback<String>,
    state: &UseReducerHandle<LabState>,
    at_end: bool,
) -> Callback<String> {
    let (on_command, dispatch, playing) = (on_command.clone(), state.dispatcher(), state.playing);
    Callback::from(move |line: String| {
        on_command.emit(line);
        if !playing && !at_end {
            dispatch.dispatch(LabAction::Play);
        }
    })
}

/// What the lab shows of the whole run, ahead of the moment shown too: the ribbon's moments and
/// every pod's termination.
#[derive(PartialEq)]
struct WholeRun {
    moments: Rc<Vec<Moment>>,
    tracks: Rc<Vec<TrackView>>,
}

/// The whole run, for each change the learner makes: the learner's own run carried to its end,
/// which leaves its keyframes all along it for seeking.
#[hook]
fn use_whole_run(example: &Rc<examples::Example>, runs: &Runs) -> Rc<WholeRun> {
    let runner = runs.runner.clone();
    use_memo(
        (example.clone(), runs.changes.clone()),
        move |(example, changes)| match runner.borrow_mut().end(example, changes) {
            Ok(c) => WholeRun {
                moments: Rc::new(rollout_sim::lab::ribbon::moments(c)),
                tracks: Rc::new(termination::views(c)),
            },
            Err(_) => WholeRun {
                moments: Rc::default(),
                tracks: Rc::default(),
            },
        },
    )
}

/// Tells `on_snapshot` the run at the moment shown whenever what it counts changes.
#[hook]
fn use_told_snapshot(on_snapshot: Option<Callback<Rc<Result<Snapshot, String>>>>, runs: &Runs) {
    let snapshot = runs.snapshot.clone();
    let counts = snapshot.as_ref().as_ref().ok().map(|s| {
        (
            s.now_ms,
            s.failed,
            s.max_pods,
            s.min_available,
            s.rollout_completed_at,
        )
    });
    use_effect_with(counts, move |_| {
        if let Some(tell) = on_snapshot {
            tell.emit(snapshot);
        }
    });
}

/// Exports the scenario as it now stands as a script for a real cluster (kind, the manifests with
/// a stand-in app, a request loop, the timeline).
fn export_file(
    example: &Rc<examples::Example>,
    changes: snapshot::Changes,
) -> Callback<MouseEvent> {
    let example = example.clone();
    Callback::from(move |_: MouseEvent| {
        if let Ok(cluster) = snapshot::run(&example, &changes, Some(0)) {
            use rollout_sim::lab::export;
            crate::browser::download(
                &export::file_name(&example.name),
                &export::real_cluster(&cluster.scenario, &example.name),
            );
        }
    })
}

/// A console line run at the moment shown: a read-only command is answered at once from the live
/// run; one that changes the cluster joins the run at this moment.
fn console_command(
    example: &Rc<examples::Example>,
    state: &UseReducerHandle<LabState>,
    runs: &Runs,
) -> Callback<String> {
    let (state, changes, runner) = (state.clone(), runs.changes.clone(), runs.runner.clone());
    let (example, now_ms) = (example.clone(), runs.now_ms());
    Callback::from(move |line: String| {
        let answer = match rollout_sim::kubectl::parse(&line) {
            Ok(rollout_sim::kubectl::Command::View(_)) => {
                Some(runner.borrow_mut().show(&example, &changes, now_ms, &line))
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
}

/// The keyboard shortcuts, and `?` for their list; never while typing in a field.
fn shortcut_keys(
    state: &UseReducerHandle<LabState>,
    help: &UseStateHandle<bool>,
) -> Callback<KeyboardEvent> {
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
