//! The lab: where a learner deploys, breaks and fixes. (Filled by the simulation core.)
use yew::prelude::*;

#[function_component]
pub fn LabPage() -> Html {
    html! {
        <section class="lab">
            <h1 tabindex="-1">{"Lab"}</h1>
        </section>
    }
}
