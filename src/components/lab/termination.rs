//! A pod's termination as two tracks side by side (TM-2): the node's (preStop, SIGTERM, the exit
//! or SIGKILL) and the network's (the EndpointSlice marking it terminating, each node's proxy and
//! the ingress acting on it later), with the requests that failed on it in the gap between them.
//! Lesson 5's picture, drawn from the whole run so what is still ahead is on it too.
use rollout_sim::kubelet::track::TerminationTrack;
use rollout_sim::kubelet::Exit;
use rollout_sim::time::{fmt_secs, Ms};
use rollout_sim::traffic::FailedRequest;
use std::rc::Rc;
use yew::prelude::*;

/// At most this many of a pod's failures are drawn and listed.
const LISTED: usize = 40;

/// A track with the requests that failed on its pod once it was deleted.
#[derive(Clone, Debug, PartialEq)]
pub struct TrackView {
    pub track: TerminationTrack,
    pub failed: Vec<FailedRequest>,
}

/// Every track of a run, each with its pod's failures from its deletion on.
pub fn views(c: &rollout_sim::cluster::Cluster) -> Vec<TrackView> {
    c.terminations
        .iter()
        .map(|t| TrackView {
            failed: c
                .metrics
                .failures
                .iter()
                .filter(|f| f.pod.as_deref() == Some(t.pod.as_str()) && f.ended_at >= t.deleted_at)
                .take(LISTED)
                .cloned()
                .collect(),
            track: t.clone(),
        })
        .collect()
}

/// A moment on one of the tracks.
#[derive(Debug, PartialEq)]
pub struct Tick {
    pub at: Ms,
    pub label: String,
}

/// The node's track and the network's, in time order.
pub fn tracks(t: &TerminationTrack) -> (Vec<Tick>, Vec<Tick>) {
    let tick = |at: Ms, label: String| Tick { at, label };
    let mut node = vec![tick(t.deleted_at, "deleted".into())];
    if t.sigterm_at > t.deleted_at {
        node.push(tick(t.sigterm_at, "preStop ends: SIGTERM".into()));
    } else {
        node.push(tick(t.sigterm_at, "SIGTERM (no preStop)".into()));
    }
    match t.exited {
        Some((at, Exit::Sigkill)) => node.push(tick(at, "SIGKILL".into())),
        Some((at, why)) => node.push(tick(at, format!("exited: {}", why.describe()))),
        None => node.push(tick(t.kill_at, "SIGKILL due".into())),
    }
    if let Some(at) = t.gone_at {
        node.push(tick(at, "pod gone".into()));
    }
    let mut network = Vec::new();
    match t.endpoint_removed_at {
        Some(at) if at < t.deleted_at => {
            network.push(tick(at, "left the endpoints (not ready)".into()))
        }
        Some(at) => network.push(tick(at, "endpoints: terminating".into())),
        None => {}
    }
    for (n, at) in t.proxies.iter().enumerate() {
        if let Some(at) = at {
            network.push(tick(*at, format!("node {} proxy drops it", n + 1)));
        }
    }
    if let Some(at) = t.ingress {
        network.push(tick(at, "ingress drops it".into()));
    }
    rollout_sim::order::sort_by(&mut network, |a, b| a.at.cmp(&b.at));
    (node, network)
}

/// The gap in words: how long the proxies kept routing after SIGTERM, and what it cost.
pub fn summary(v: &TrackView) -> String {
    let t = &v.track;
    let failed = match v.failed.len() {
        0 => "no request failed on it".to_string(),
        n if n == LISTED => format!("at least {n} requests failed on it"),
        1 => "1 request failed on it".to_string(),
        n => format!("{n} requests failed on it"),
    };
    if t.out_before {
        return format!(
            "{} had left the proxies before it was deleted; {failed}.",
            t.pod
        );
    }
    match t.network_done_at() {
        Some(done) if done > t.sigterm_at => format!(
            "The proxies routed new connections to {} for {} after SIGTERM: {failed}.",
            t.pod,
            fmt_secs(done - t.sigterm_at)
        ),
        Some(_) => format!(
            "Every proxy had dropped {} before SIGTERM, so it stopped with nothing new arriving: {failed}.",
            t.pod
        ),
        None => format!("The proxies have not all dropped {} yet; {failed}.", t.pod),
    }
}

#[derive(Properties, PartialEq)]
pub struct TerminationProps {
    pub tracks: Rc<Vec<TrackView>>,
    /// The pod chosen on the stage.
    pub pod: String,
    pub now_ms: Ms,
    pub on_pod: Callback<String>,
}

#[function_component]
pub fn Termination(props: &TerminationProps) -> Html {
    let chosen = props.tracks.iter().rev().find(|v| v.track.pod == props.pod);
    let on_change = props
        .on_pod
        .reform(|e: Event| crate::browser::event_value(&e).unwrap_or_default());
    html! {
        <section class="termination" aria-labelledby="termination-title">
            <h3 id="termination-title">{"Termination timeline"}</h3>
            <label>{"Pod "}
                <select onchange={on_change}>
                    if chosen.is_none() {
                        <option value={props.pod.clone()} selected=true>{format!("{} (not deleted in this run)", props.pod)}</option>
                    }
                    { for props.tracks.iter().map(|v| html! {
                        <option value={v.track.pod.clone()} selected={v.track.pod == props.pod}>
                            {format!("{} (deleted at {})", v.track.pod, fmt_secs(v.track.deleted_at))}
                        </option>
                    }) }
                </select>
            </label>
            { match chosen {
                Some(v) => {
                    let (node, network) = tracks(&v.track);
                    html! { <>
                        <p>{summary(v)}</p>
                        { picture(v, &node, &network, props.now_ms) }
                        <div class="termination-tracks">
                            <div><h4>{"Node (kubelet)"}</h4><ol>{ for node.iter().map(item) }</ol></div>
                            <div><h4>{"Network (endpoints and proxies)"}</h4><ol>{ for network.iter().map(item) }</ol></div>
                        </div>
                    </> }
                }
                None => html! { <p>{format!("{} is not deleted in this run: it has no termination to show. Choose one that is.", props.pod)}</p> },
            } }
        </section>
    }
}

fn item(t: &Tick) -> Html {
    html! { <li><span class="ribbon-time">{fmt_secs(t.at)}</span>{" "}{&t.label}</li> }
}

const W: f64 = 600.0;

/// Both tracks on one time axis, the failures between them; the text lists beside say the same.
fn picture(v: &TrackView, node: &[Tick], network: &[Tick], now: Ms) -> Html {
    use rollout_sim::decimal::fixed;
    let start = v
        .track
        .deleted_at
        .min(network.first().map_or(Ms::MAX, |t| t.at))
        - 500;
    let end = node
        .iter()
        .chain(network)
        .map(|t| t.at)
        .chain(v.failed.iter().map(|f| f.ended_at))
        .max()
        .unwrap_or(start)
        + 500;
    let x = |at: Ms| 110.0 + (W - 120.0) * (at - start) as f64 / (end - start).max(1) as f64;
    let row = |ticks: &[Tick], y: f64, class: &'static str| -> Html {
        html! { <g class={class}>
            <line x1={fixed(x(start), 1)} x2={fixed(x(end), 1)} y1={fixed(y, 0)} y2={fixed(y, 0)} class="track-line" />
            { for ticks.iter().map(|t| html! {
                <circle cx={fixed(x(t.at), 1)} cy={fixed(y, 0)} r="4"><title>{format!("{} {}", fmt_secs(t.at), t.label)}</title></circle>
            }) }
        </g> }
    };
    let t = &v.track;
    let sigterm = x(t.sigterm_at);
    let done = t.network_done_at().map(x);
    let exit = x(t.exited.map_or(t.kill_at, |(at, _)| at));
    // A stretch of a track, named inside it when there is room.
    let span = |from: f64, to: f64, y: f64, class: &'static str, name: &str| -> Html {
        let w = (to - from).max(2.0);
        html! { <g class={class}>
            <rect x={fixed(from, 1)} y={fixed(y - 7.0, 1)} width={fixed(w, 1)} height="14" rx="3" />
            if w > 7.0 * name.len() as f64 {
                <text x={fixed(from + 4.0, 1)} y={fixed(y + 4.0, 1)}>{name.to_string()}</text>
            }
        </g> }
    };
    let removed = t.endpoint_removed_at.map(x);
    html! {
        <svg class="termination-picture" viewBox="0 0 600 92" role="img"
            aria-label={format!("Two tracks from {} to {}: the node's and the network's, with {} failed requests between.", fmt_secs(start), fmt_secs(end), v.failed.len())}>
            if let Some(done) = done.filter(|d| *d > sigterm) {
                <rect class="gap" x={fixed(sigterm, 1)} y="8" width={fixed(done - sigterm, 1)} height="74" />
            }
            <text x="4" y="24">{"node"}</text>
            { row(node, 20.0, "node-track") }
            if sigterm > x(t.deleted_at) { { span(x(t.deleted_at), sigterm, 20.0, "prestop", "preStop") } }
            { span(sigterm, exit, 20.0, "stopping", "SIGTERM → exit") }
            <text x="4" y="50">{"requests"}</text>
            { for v.failed.iter().map(|f| html! {
                <rect class="fail" x={fixed(x(f.ended_at) - 3.0, 1)} y="42" width="6" height="6"><title>{format!("{} {}", fmt_secs(f.ended_at), f.reason.label())}</title></rect>
            }) }
            <text x="4" y="76">{"network"}</text>
            { row(network, 72.0, "network-track") }
            if let (Some(from), Some(to)) = (removed, done) { { span(from, to, 72.0, "propagating", "proxies updating") } }
            if (start..=end).contains(&now) {
                <line class="now" x1={fixed(x(now), 1)} x2={fixed(x(now), 1)} y1="4" y2="88" />
            }
        </svg>
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn without_a_prestop_the_tracks_show_the_proxies_routing_after_sigterm_and_the_failures_in_it()
    {
        let example = rollout_sim::lab::examples::find("rolling-without-readiness").unwrap();
        let mut s = rollout_sim::scenario::Scenario::parse(&example.yaml).unwrap();
        s.network.propagation_jitter = rollout_sim::scenario::Duration(500);
        let mut c = rollout_sim::cluster::Cluster::new(s);
        c.run_until(c.scenario.duration);
        let all = views(&c);
        let v = &all[0];
        let (node, network) = tracks(&v.track);
        assert_eq!(node[1].label, "SIGTERM (no preStop)");
        assert_eq!(network[0].label, "endpoints: terminating");
        assert_eq!(
            network
                .iter()
                .filter(|t| t.label.ends_with("proxy drops it"))
                .count(),
            3
        );
        assert!(network.windows(2).all(|w| w[0].at <= w[1].at));
        let words = summary(v);
        assert!(words.contains("after SIGTERM"), "{words}");
    }
}
