//! "Why did this one fail?": the failed requests up to now, each with its cause in words.
use super::Snapshot;
use rollout_sim::summary::thousands;
use rollout_sim::time::fmt_secs;
use yew::prelude::*;

const SHOWN: usize = 50;

pub fn failed_requests(s: &Snapshot) -> Html {
    html! {
        <section aria-labelledby="failures-title">
            <h2 id="failures-title">{"Failed requests"}</h2>
            if s.failures.is_empty() {
                <p>{"No request has failed so far."}</p>
            } else {
                <p>{format!("The {} most recent, newest first. Each says why it failed.", thousands(s.failures.len().min(SHOWN) as u64))}</p>
                <div class="table-scroll" tabindex="0" role="region" aria-label="Failed requests">
                    <table class="failures">
                        <thead><tr><th scope="col">{"Request"}</th><th scope="col">{"Ended"}</th><th scope="col">{"Reason"}</th><th scope="col">{"Why"}</th></tr></thead>
                        <tbody>
                            { for s.failures.iter().take(SHOWN).map(|f| html! {
                                <tr key={f.id}>
                                    <td>{format!("#{}", f.id)}</td>
                                    <td>{fmt_secs(f.ended_at)}</td>
                                    <td><code>{f.reason.as_str()}</code></td>
                                    <td>{&f.cause}</td>
                                </tr>
                            }) }
                        </tbody>
                    </table>
                </div>
            }
        </section>
    }
}
