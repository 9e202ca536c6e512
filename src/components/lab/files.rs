//! The lab's scenario bar: the scenario picker and its description, saving and opening scenario
//! files (picker or a drop anywhere on the lab), a share link of the run, and the Embed snippet.
use super::opened;
use crate::components::Embed;
use crate::route::Route;
use rollout_sim::lab::examples::{self, Example};
use std::rc::Rc;
use yew::prelude::*;

/// Opening a file: it must read as a scenario, or the learner is told where it does not.
pub struct FileOpen {
    pub error: Option<String>,
    pub on_pick: Callback<Event>,
    pub on_drop: Callback<DragEvent>,
}

#[hook]
pub fn use_file_open() -> FileOpen {
    let error = use_state(|| None::<String>);
    let on_file = {
        let error = error.clone();
        move |file_name: String, text: Result<String, String>| match text
            .and_then(|t| opened::open(&file_name, t))
        {
            Ok(name) => {
                error.set(None);
                crate::browser::navigate(&Route::Lab {
                    scenario: Some(name),
                });
            }
            Err(why) => error.set(Some(why)),
        }
    };
    let on_pick = {
        let on_file = on_file.clone();
        Callback::from(move |e: Event| crate::browser::read_chosen_file(&e, on_file.clone()))
    };
    let on_drop =
        Callback::from(move |e: DragEvent| crate::browser::read_dropped_file(&e, on_file.clone()));
    FileOpen {
        error: (*error).clone(),
        on_pick,
        on_drop,
    }
}

/// "Copy link": the link shown, and whether the clipboard took it (`None` while asking).
pub type Copied = UseStateHandle<Option<(String, Option<bool>)>>;

pub struct ScenarioFilesProps {
    pub example: Rc<Example>,
    /// The share link's query for the run as it stands, made when asked for.
    pub link_query: Callback<(), String>,
    pub copied: Copied,
    /// Saves the scenario as it now stands as a file.
    pub on_save: Callback<MouseEvent>,
    /// Downloads the scenario as a script for a real cluster.
    pub on_export: Callback<MouseEvent>,
    pub on_pick: Callback<Event>,
}

/// A plain function, not a component: its one piece of state (`copied`) is the lab's, which
/// keeps the download smaller.
pub fn scenario_files(props: &ScenarioFilesProps) -> Html {
    let example = &props.example;
    let copied = &props.copied;
    let on_copy = {
        let (link_query, copied) = (props.link_query.clone(), copied.clone());
        Callback::from(move |_: MouseEvent| {
            let href = format!(
                "{}{}",
                crate::browser::page_base(),
                Route::SharedLab(link_query.emit(())).href()
            );
            copied.set(Some((href.clone(), None)));
            let (copied, text) = (copied.clone(), href.clone());
            crate::browser::copy(&text, move |ok| copied.set(Some((href, Some(ok)))));
        })
    };
    let status = |ok: Option<bool>| match ok {
        Some(true) => "Copied to the clipboard.",
        Some(false) => "Copy the link from the field.",
        None => "",
    };
    html! {
        <section class="scenario-files" aria-labelledby="scenario-files-title">
            <h2 id="scenario-files-title">{"This scenario"}</h2>
            <p class="scenario-description">{example.description()}</p>
            <div class="files">
                <button type="button" class="save" onclick={props.on_save.clone()}>{"Save scenario file"}</button>
                <button type="button" onclick={props.on_export.clone()} title="A script that makes a kind cluster, applies these manifests with a stand-in app, sends requests and replays the timeline">{"Export for a real cluster"}</button>
                <label class="open-file" for="lab-open">{"Open scenario file"}</label>
                <input id="lab-open" type="file" accept=".yaml,.yml,text/yaml" onchange={props.on_pick.clone()} />
                <span class="hint">{"or drop a .yaml file anywhere on the lab"}</span>
                <button type="button" onclick={on_copy}>{"Copy link"}</button>
                <Embed pages={vec![("Paste this into your page", Route::Lab { scenario: Some(example.name.to_string()) })]}
                    title={example.title.to_string()} />
            </div>
            if let Some((href, ok)) = (**copied).clone() {
                <p class="share">
                    <label for="lab-link">{"Link to this run"}</label>
                    <input id="lab-link" type="url" readonly=true value={href} />
                    <span role="status">{status(ok)}</span>
                </p>
            }
        </section>
    }
}

/// The scenario picker, beside the lab's heading: choosing one opens it.
pub fn scenario_picker(example: &Example, open_error: Option<String>) -> Html {
    let on_scenario = Callback::from(|e: Event| {
        if let Some(name) = crate::browser::event_value(&e) {
            crate::browser::navigate(&Route::Lab {
                scenario: Some(name),
            });
        }
    });
    html! {
        <>
            <div class="lab-controls scenario-picker">
                <label for="lab-scenario">{"Scenario"}</label>
                <select id="lab-scenario" onchange={on_scenario}>
                    { for examples::ALL.iter().chain(opened::all().iter().map(|e| &**e)).map(|e| html! {
                        <option value={e.name.to_string()} selected={e.name == example.name}>{e.title.to_string()}</option>
                    }) }
                </select>
            </div>
            if let Some(why) = open_error {
                <p class="notice" role="alert">{format!("This file cannot be opened: {why}")}</p>
            }
        </>
    }
}
