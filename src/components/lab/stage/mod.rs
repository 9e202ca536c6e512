//! The stage: the cluster at the moment shown, drawn on a canvas. Clients send requests to the
//! Service, whose endpoints (as listed and as the proxies route) sit under it; each ReplicaSet is
//! a group and each pod a card with its phase. Requests travel as dots; a failed one flashes on
//! the card of the pod that failed it (under the Service when no pod took it) and stays long
//! enough to be chosen, by click, tap or the buttons below (keyboard), to read its cause. A pod
//! chosen the same way opens its termination timeline.
mod paint;
pub mod scene;

use super::termination::{Termination, TrackView};
use super::Snapshot;
use rollout_sim::time::fmt_secs;
use scene::{on_screen, Chosen, Scene};
use std::rc::Rc;
use yew::prelude::*;

/// What the core knows about request `id` now, in words.
pub fn describe(s: &Snapshot, id: u64) -> String {
    if let Some(f) = s.failures.iter().find(|f| f.id == id) {
        return format!(
            "Request #{id} failed at {}: {}. {}",
            fmt_secs(f.ended_at),
            f.reason.label(),
            f.cause
        );
    }
    for (pod, held) in &s.in_flight {
        if let Some(r) = held.iter().find(|r| r.id == id) {
            let copy = if r.shadow { " (a mirrored copy)" } else { "" };
            let doing = if r.answering {
                "being answered by"
            } else {
                "queued for a free worker on"
            };
            return format!(
                "Request #{id}{copy} was sent at {} and is {doing} {pod}.",
                fmt_secs(r.sent_at)
            );
        }
    }
    format!("Request #{id} has ended and did not fail: it succeeded.")
}

/// What the stage says about a pod chosen on it.
pub fn describe_pod(s: &Snapshot, name: &str) -> String {
    let found = s
        .replica_sets
        .iter()
        .flat_map(|rs| rs.pods.iter())
        .find(|p| p.name == name);
    match found {
        Some(p) => format!(
            "Pod {name}: {}; {}. {}. Answered {}, failed {}.",
            p.phase, p.routing, p.note, p.answered, p.failed
        ),
        None => format!("Pod {name} is gone at {}.", fmt_secs(s.now_ms)),
    }
}

/// The pod deleted last by `now` (the first to be, before any is), whose timeline opens first.
fn latest_deleted(tracks: &[TrackView], now: rollout_sim::time::Ms) -> Option<String> {
    tracks
        .iter()
        .rev()
        .find(|v| v.track.deleted_at <= now)
        .or(tracks.first())
        .map(|v| v.track.pod.clone())
}

#[derive(Properties, PartialEq)]
pub struct StageProps {
    pub snapshot: Rc<Result<Snapshot, String>>,
    pub speed: f64,
    /// Every pod's termination in the whole run, for the timeline of the one chosen.
    pub tracks: Rc<Vec<TrackView>>,
}

#[function_component]
pub fn Stage(props: &StageProps) -> Html {
    let canvas = use_node_ref();
    let chosen = use_state(|| None::<Chosen>);
    let scene = use_mut_ref(|| None::<Scene>);
    {
        let (canvas, scene) = (canvas.clone(), scene.clone());
        let (snapshot, speed) = (props.snapshot.clone(), props.speed);
        use_effect_with((snapshot, (*chosen).clone()), move |(snapshot, chosen)| {
            if let Ok(s) = &**snapshot {
                *scene.borrow_mut() = paint::draw(&canvas, s, speed, chosen.as_ref());
            }
        });
    }
    let Ok(s) = &*props.snapshot else {
        return html! {};
    };
    let on_click = {
        let (chosen, scene) = (chosen.clone(), scene.clone());
        Callback::from(move |e: MouseEvent| {
            let hit = scene
                .borrow()
                .as_ref()
                .and_then(|sc| sc.hit(f64::from(e.offset_x()), f64::from(e.offset_y())));
            chosen.set(hit);
        })
    };
    let choose = |c: Chosen| {
        let chosen = chosen.clone();
        Callback::from(move |_: MouseEvent| chosen.set(Some(c.clone())))
    };
    let recent: Vec<_> = on_screen(s, props.speed).take(6).collect();
    let in_flight: usize = s.in_flight.iter().map(|(_, h)| h.len()).sum();
    let pod = match &*chosen {
        Some(Chosen::Pod(p)) => Some(p.clone()),
        _ => None,
    };
    let on_pod = {
        let chosen = chosen.clone();
        Callback::from(move |p: String| chosen.set(Some(Chosen::Pod(p))))
    };
    html! {
        <section class="traffic" aria-labelledby="traffic-title">
            <h2 id="traffic-title" class="visually-hidden">{"The cluster now"}</h2>
            <p class="stage-caption">{&s.caption}</p>
            <canvas ref={canvas} class="traffic-canvas" onclick={on_click} aria-hidden="true"></canvas>
            <p class="hint stage-key">{format!("{in_flight} in flight at {}. On a card: its version by colour and shape, its phase, whether traffic reaches it, and two squares, filled when it is listed in the endpoints and when the proxies route to it. A failure stays on the card that failed it (R refused, X reset, T timeout, E app error), or under the Service when no pod took it. Choose one, or a pod, to see why.", fmt_secs(s.now_ms))}</p>
            if !recent.is_empty() {
                <div class="traffic-failures" role="group" aria-label="Failures on screen">
                    { for recent.iter().map(|f| html! {
                        <button type="button" aria-pressed={(*chosen == Some(Chosen::Request(f.id))).to_string()}
                            onclick={choose(Chosen::Request(f.id))}>
                            {format!("#{} {}", f.id, f.reason.label())}
                        </button>
                    }) }
                </div>
            }
            <p class="traffic-detail" aria-live="polite">
                { match &*chosen {
                    Some(Chosen::Request(id)) => describe(s, *id),
                    Some(Chosen::Pod(p)) => describe_pod(s, p),
                    None => String::new(),
                } }
            </p>
            if let Some(pod) = pod {
                <Termination tracks={props.tracks.clone()} pod={pod} now_ms={s.now_ms} on_pod={on_pod} />
            } else if let Some(latest) = latest_deleted(&props.tracks, s.now_ms) {
                <button type="button" class="open-termination" onclick={choose(Chosen::Pod(latest))}>{"Termination timeline"}</button>
            }
        </section>
    }
}

#[cfg(test)]
mod tests;
