//! The cluster at the chosen moment: each ReplicaSet with its pods, their state, readiness,
//! termination timeline and whether the proxies still send them traffic. Versions are told apart
//! by label and stripe pattern as well as colour.
use super::Snapshot;
use yew::prelude::*;

pub fn cluster_view(s: &Snapshot) -> Html {
    html! {
        <section class="cluster" aria-labelledby="cluster-title">
            <h2 id="cluster-title">{format!("Pods at {}", rollout_sim::time::fmt_secs(s.now_ms))}</h2>
            <p class="connections">{format!("Connections: {}", s.connections)}</p>
            { for s.replica_sets.iter().map(|rs| {
                // Odd and even revisions alternate colour and stripe, so v1 and v2 differ side by side.
                let version = if rs.revision % 2 == 1 { "version-a" } else { "version-b" };
                html! {
                    <section class={classes!("replicaset", version)} aria-label={format!("ReplicaSet {}", rs.name)}>
                        <h3>
                            <span class="rs-name">{&rs.name}</span>
                            <span class="rs-meta">{format!("revision {} · {} · {}/{} ready", rs.revision, rs.image, rs.ready, rs.desired)}</span>
                            if !rs.role.is_empty() { <span class="rs-role">{&rs.role}</span> }
                        </h3>
                        <ul class="pods">
                            { for rs.pods.iter().map(|p| html! {
                                <li class={classes!("pod", p.ready.then_some("ready"), (p.status == "Terminating").then_some("terminating"))}>
                                    <span class="pod-name">{p.name.rsplit('-').next().unwrap_or(&p.name)}</span>
                                    <span class="pod-status">{format!("{} {}", if p.ready { "✓ Ready" } else { "✗ Not ready" }, p.status)}</span>
                                    if p.restarts > 0 { <span class="pod-note">{format!("{} restarts", p.restarts)}</span> }
                                    <span class="pod-note">{&p.note}</span>
                                    <span class={classes!("pod-routing", p.routing.starts_with("still").then_some("lagging"))}>{&p.routing}</span>
                                    <span class="pod-note">{format!("{} answered · {} failed", p.answered, p.failed)}</span>
                                </li>
                            }) }
                        </ul>
                    </section>
                }
            }) }
        </section>
    }
}
