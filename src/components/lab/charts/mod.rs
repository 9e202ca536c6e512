//! The run's charts, one under the other with a time cursor they share: requests per second, pods
//! by version, desired against ready (and a canary's weight), latency.
mod frame;
mod pods;
mod requests;
mod versions;

use super::Snapshot;
use frame::Cursor;
use rollout_sim::time::Ms;
use std::rc::Rc;
use yew::prelude::*;

#[derive(Properties, PartialEq)]
pub struct ChartsProps {
    pub snapshot: Rc<Result<Snapshot, String>>,
    /// Inside a lesson, the optional charts its step shows (`course::read::PANELS` names).
    pub embedded: Option<Rc<Vec<String>>>,
    pub on_seek: Callback<Ms>,
}

#[function_component]
pub fn Charts(props: &ChartsProps) -> Html {
    let second = use_state(|| None::<usize>);
    let Ok(s) = &*props.snapshot else {
        return html! {};
    };
    let cursor = Cursor {
        second: *second,
        on_move: {
            let second = second.clone();
            Callback::from(move |at: Option<usize>| second.set(at))
        },
        on_seek: props.on_seek.clone(),
    };
    let shown = |name: &str| {
        props
            .embedded
            .as_ref()
            .is_none_or(|s| s.iter().any(|x| x == name))
    };
    html! {
        <section class="charts" aria-labelledby="charts-title">
            <h2 id="charts-title">{"The run over time"}</h2>
            <p class="hint">{"Point at a chart, or focus it and use the arrow keys, to read every chart at that second; click or press Enter to go there."}</p>
            { requests::requests_chart(s, &cursor) }
            if shown("pods-chart") { { pods::pods_chart(s, &cursor) } }
            if shown("versions") { { versions::versions_chart(s, &cursor) } }
            if shown("latency") { { versions::latency_chart(s, &cursor) } }
        </section>
    }
}
