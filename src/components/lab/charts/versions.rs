//! Desired against actual, per version: the replicas the ReplicaSets ask for (dashed) and the
//! pods ready (solid); for a canary, the weight the step asks for (dashed) and the share of
//! answers the new version really gave (solid). Where the lines part is where the rollout waits.
//! And latency: the median and 95th percentile of the requests that succeeded each second.
use super::frame::{chart, Axes, Chart, Cursor};
use crate::components::lab::Snapshot;
use rollout_sim::decimal::fixed;
use yew::prelude::*;

/// An SVG polyline through one value per second, on `axes`.
pub fn line(values: impl Iterator<Item = Option<f64>>, axes: &Axes) -> String {
    values
        .enumerate()
        .filter_map(|(i, v)| {
            v.map(|v| {
                format!(
                    "{},{}",
                    fixed(axes.x(i as f64 + 0.5), 1),
                    fixed(axes.y(v), 1)
                )
            })
        })
        .collect::<Vec<_>>()
        .join(" ")
}

fn seconds(s: &Snapshot) -> usize {
    (s.duration_ms / 1000).max(1) as usize
}

pub fn versions_chart(s: &Snapshot, cursor: &Cursor) -> Html {
    let peak = s
        .pods_per_second
        .iter()
        .flat_map(|sec| sec.iter().map(|p| p.desired.max(p.ready)))
        .max()
        .unwrap_or(1);
    let axes = Axes::new(seconds(s), f64::from(peak), "pods", 100.0);
    let count = |image: u16, pick: fn(&rollout_sim::metrics::PodCount) -> u16| {
        s.pods_per_second.iter().map(move |sec| {
            Some(f64::from(
                sec.iter().find(|p| p.image == image).map_or(0, pick),
            ))
        })
    };
    let image = |i: u16| s.images.get(i as usize).map_or("?", String::as_str);
    let at = |i: usize| -> String {
        s.pods_per_second
            .get(i)
            .map_or("not run yet".into(), |sec| {
                sec.iter()
                    .map(|p| {
                        format!(
                            "{}: {} desired, {} ready",
                            image(p.image),
                            p.desired,
                            p.ready
                        )
                    })
                    .collect::<Vec<_>>()
                    .join("; ")
            })
    };
    let summary = format!(
        "Desired against actual. Now: {}.",
        at(s.pods_per_second.len().saturating_sub(1))
    );
    let shapes = html! { <>{ for s.images.iter().enumerate().take(2).map(|(i, _)| {
        let class = if i == 0 { "va" } else { "vb" };
        html! { <g class={class}>
            <polyline class="desired" points={line(count(i as u16, |p| p.desired), &axes)} />
            <polyline class="actual" points={line(count(i as u16, |p| p.ready), &axes)} />
        </g> }
    }) }</> };
    let readout = |i: usize| format!("{i} s: {}", at(i));
    let pods = chart(
        Chart {
            id: "versions-chart",
            title: "Desired against ready",
            axes,
            now_ms: s.now_ms,
            markers: &[],
            shapes,
            readout: &readout,
            summary,
            key: html! { <>
                <span class="key line-desired" aria-hidden="true"></span>{" desired (dashed) "}
                <span class="key line-actual" aria-hidden="true"></span>{" ready (solid); first version, then the next"}
            </> },
        },
        cursor,
    );
    html! { <>{pods}{weight_chart(s, cursor)}</> }
}

/// A canary's weight: asked by the step (dashed) and received by the new version (solid).
fn weight_chart(s: &Snapshot, cursor: &Cursor) -> Html {
    if !s.desired_weight.iter().any(Option::is_some) {
        return html! {};
    }
    let axes = Axes::new(seconds(s), 100.0, "%", 100.0);
    // Whole percent, rounded down, as the figure was always printed.
    let pct = |w: Option<f64>| w.map_or("none".into(), |w| format!("{}%", w.floor() as u32));
    let at = |i: usize| {
        format!(
            "weight asked {}, answers from the new version {}",
            pct(s.desired_weight.get(i).copied().flatten().map(f64::from)),
            pct(s.received_weight.get(i).copied().flatten())
        )
    };
    let summary = format!(
        "Canary weight, 0 to 100%. Now: {}.",
        at(s.desired_weight.len().saturating_sub(1))
    );
    let shapes = html! { <g class="vb">
        <polyline class="desired" points={line(s.desired_weight.iter().map(|w| w.map(f64::from)), &axes)} />
        <polyline class="actual" points={line(s.received_weight.iter().copied(), &axes)} />
    </g> };
    let readout = |i: usize| format!("{i} s: {}", at(i));
    chart(
        Chart {
            id: "weight-chart",
            title: "Canary weight",
            axes,
            now_ms: s.now_ms,
            markers: &[],
            shapes,
            readout: &readout,
            summary,
            key: html! { <>
                <span class="key line-desired" aria-hidden="true"></span>{" asked by the step (dashed) "}
                <span class="key line-actual" aria-hidden="true"></span>{" answered by the new version (solid)"}
            </> },
        },
        cursor,
    )
}

/// Latency per second: the median (solid) and the 95th percentile (dashed) of the requests that
/// succeeded in that second. A slow-starting version or a queue shows here before it fails.
pub fn latency_chart(s: &Snapshot, cursor: &Cursor) -> Html {
    let top = s.seconds.iter().map(|b| b.p95).max().unwrap_or(1).max(1);
    let axes = Axes::new(seconds(s), f64::from(top), "ms", 100.0);
    let series = |pick: fn(&rollout_sim::metrics::Second) -> u32| {
        s.seconds
            .iter()
            .map(move |b| (b.succeeded > 0).then(|| f64::from(pick(b))))
    };
    let now = s.seconds.iter().rev().find(|b| b.succeeded > 0);
    let summary = match now {
        Some(b) => format!(
            "Latency of successful requests. Latest second: median {} ms, 95th percentile {} ms; the highest 95th percentile so far {top} ms.",
            b.p50, b.p95
        ),
        None => "Latency of successful requests: none has succeeded yet.".to_string(),
    };
    let shapes = html! { <g class="va">
        <polyline class="actual" points={line(series(|b| b.p50), &axes)} />
        <polyline class="desired" points={line(series(|b| b.p95), &axes)} />
    </g> };
    let readout = |i: usize| match s.seconds.get(i) {
        Some(b) if b.succeeded > 0 => {
            format!("{i} s: median {} ms, 95th percentile {} ms", b.p50, b.p95)
        }
        Some(_) => format!("{i} s: no request succeeded"),
        None => format!("{i} s: not run yet"),
    };
    chart(
        Chart {
            id: "latency-chart",
            title: "Latency",
            axes,
            now_ms: s.now_ms,
            markers: &[],
            shapes,
            readout: &readout,
            summary,
            key: html! { <>
                <span class="key line-actual" aria-hidden="true"></span>{" median (p50) "}
                <span class="key line-desired" aria-hidden="true"></span>{" 95th percentile (p95, dashed) "}
            </> },
        },
        cursor,
    )
}
