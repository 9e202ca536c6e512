//! Desired against actual, per version: the replicas the ReplicaSets ask for (dashed) and the
//! pods ready (solid); for a canary, the weight the step asks for (dashed) and the share of
//! answers the new version really gave (solid). Where the lines part is where the rollout waits.
use super::Snapshot;
use rollout_sim::decimal::fixed;
use yew::prelude::*;

const W: f64 = 600.0;
const H: f64 = 100.0;
const VIEW_BOX: &str = "0 0 600 100";

/// An SVG polyline through one value per second, scaled to `top`.
pub fn line(values: impl Iterator<Item = Option<f64>>, bar: f64, top: f64) -> String {
    values
        .enumerate()
        .filter_map(|(i, v)| {
            v.map(|v| {
                format!(
                    "{},{}",
                    fixed((i as f64 + 0.5) * bar, 1),
                    fixed(H - 0.9 * H * v / top - 2.0, 1)
                )
            })
        })
        .collect::<Vec<_>>()
        .join(" ")
}

pub fn versions_chart(s: &Snapshot) -> Html {
    let bar = W / (s.duration_ms / 1000).max(1) as f64;
    let peak = s
        .pods_per_second
        .iter()
        .flat_map(|sec| sec.iter().map(|p| p.desired.max(p.ready)))
        .max()
        .unwrap_or(1)
        .max(1) as f64;
    let count = |image: u16, pick: fn(&rollout_sim::metrics::PodCount) -> u16| {
        s.pods_per_second.iter().map(move |sec| {
            Some(f64::from(
                sec.iter().find(|p| p.image == image).map_or(0, pick),
            ))
        })
    };
    let share = s.received_weight.iter().copied();
    let canary = s.desired_weight.iter().any(Option::is_some);
    let last = s.pods_per_second.last().cloned().unwrap_or_default();
    let mut summary: Vec<String> = last
        .iter()
        .map(|p| {
            let image = s.images.get(p.image as usize).map_or("?", String::as_str);
            format!("{image}: {} desired, {} ready", p.desired, p.ready)
        })
        .collect();
    if canary {
        let asked = s.desired_weight.last().copied().flatten();
        // Whole percent, rounded down, as the figure was always printed.
        let got = s
            .received_weight
            .last()
            .copied()
            .flatten()
            .map(|w| w.floor() as u32);
        summary.push(format!(
            "canary weight asked {}, answers from the new version {}",
            asked.map_or("none".into(), |w| format!("{w}%")),
            got.map_or("none".into(), |w| format!("{w}%"))
        ));
    }
    let summary = format!("Desired against actual. Now: {}.", summary.join("; "));
    html! {
        <figure class="chart versions-chart">
            <svg viewBox={VIEW_BOX} role="img" aria-label={summary.clone()} preserveAspectRatio="none">
                { for s.images.iter().enumerate().take(2).map(|(i, _)| {
                    let class = if i == 0 { "va" } else { "vb" };
                    html! { <g class={class}>
                        <polyline class="desired" points={line(count(i as u16, |p| p.desired), bar, peak)} />
                        <polyline class="actual" points={line(count(i as u16, |p| p.ready), bar, peak)} />
                    </g> }
                }) }
            </svg>
            if canary {
                <svg viewBox={VIEW_BOX} role="img" aria-label="Canary weight: asked (dashed) and received (solid), 0 to 100%" preserveAspectRatio="none">
                    <g class="vb">
                        <polyline class="desired" points={line(s.desired_weight.iter().map(|w| w.map(f64::from)), bar, 100.0)} />
                        <polyline class="actual" points={line(share, bar, 100.0)} />
                    </g>
                </svg>
            }
            <figcaption>
                <strong>{"Desired against actual: "}</strong>
                <span class="key line-desired" aria-hidden="true"></span>{" desired (dashed) "}
                <span class="key line-actual" aria-hidden="true"></span>{" ready or received (solid); first version, then the next "}
                <span class="visually-hidden">{summary}</span>
            </figcaption>
        </figure>
    }
}

/// Latency per second: the median (solid) and the 95th percentile (dashed) of the requests that
/// succeeded in that second. A slow-starting version or a queue shows here before it fails.
pub fn latency_chart(s: &Snapshot) -> Html {
    let bar = W / (s.duration_ms / 1000).max(1) as f64;
    let top = s.seconds.iter().map(|b| b.p95).max().unwrap_or(1).max(1);
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
    html! {
        <figure class="chart versions-chart latency-chart">
            <svg viewBox={VIEW_BOX} role="img" aria-label={summary.clone()} preserveAspectRatio="none">
                <g class="va">
                    <polyline class="actual" points={line(series(|b| b.p50), bar, f64::from(top))} />
                    <polyline class="desired" points={line(series(|b| b.p95), bar, f64::from(top))} />
                </g>
            </svg>
            <div class="axis" aria-hidden="true"><span>{"0 ms"}</span><span>{format!("{top} ms")}</span></div>
            <figcaption>
                <strong>{"Latency: "}</strong>
                <span class="key line-actual" aria-hidden="true"></span>{" median (p50) "}
                <span class="key line-desired" aria-hidden="true"></span>{" 95th percentile (p95, dashed) "}
                <span class="visually-hidden">{summary}</span>
            </figcaption>
        </figure>
    }
}
