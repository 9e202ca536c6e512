//! The manifests behind the current settings, as YAML a learner can read, edit and apply. A
//! refused edit says why, at its line and column, and keeps the learner's text.
use yew::prelude::*;

#[derive(Properties, PartialEq)]
pub struct ManifestsProps {
    /// The manifests the run started from, with the settings applied.
    pub yaml: AttrValue,
    pub error: Option<AttrValue>,
    pub on_apply: Callback<String>,
}

#[function_component]
pub fn Manifests(props: &ManifestsProps) -> Html {
    let text = use_node_ref();
    let apply = {
        let (text, on_apply) = (text.clone(), props.on_apply.clone());
        Callback::from(move |_: MouseEvent| {
            if let Some(yaml) = crate::browser::node_text(&text) {
                on_apply.emit(yaml);
            }
        })
    };
    html! {
        <details class="manifests">
            <summary><h2 class="summary-heading">{"Manifests (YAML)"}</h2></summary>
            <p>{"The Deployment and Service as the API server stores them, defaults included. Edit and apply: the settings above follow."}</p>
            <label for="lab-manifests">{"Manifests"}</label>
            <textarea id="lab-manifests" ref={text} rows="22" spellcheck="false" value={props.yaml.clone()}
                aria-describedby="lab-manifests-error" />
            if let Some(error) = &props.error {
                <p id="lab-manifests-error" class="notice" role="alert">{error}</p>
            }
            <button type="button" class="primary" onclick={apply}>{"Apply manifests"}</button>
        </details>
    }
}
