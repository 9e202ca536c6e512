//! The kubectl views the core prints beside the run, at the moment shown, as a terminal would.
use rollout_sim::lab::snapshot::Snapshot;
use yew::prelude::*;

pub fn kubectl_views(s: &Snapshot) -> Html {
    html! {
        <section aria-labelledby="kubectl-title">
            <h2 id="kubectl-title">{format!("kubectl at {}", rollout_sim::time::fmt_secs(s.now_ms))}</h2>
            { for s.kubectl.iter().map(|(command, output)| html! {
                <figure class="terminal">
                    <figcaption><code>{format!("$ {command}")}</code></figcaption>
                    // Wide output scrolls sideways: focusable, named by its command.
                    <pre tabindex="0" aria-label={format!("Output of {command}")}>{output}</pre>
                </figure>
            }) }
        </section>
    }
}
