//! Pods per version over time, ready, not ready and terminating, stacked: the shape of the
//! rollout (the surge, the gap, the old pods lingering).
use super::frame::{chart, Axes, Chart, Cursor};
use crate::components::lab::Snapshot;
use rollout_sim::decimal::fixed;
use yew::prelude::*;

/// The first two versions get the palette's two colours; later ones the muted text colour.
pub fn version_class(image: u16) -> &'static str {
    match image {
        0 => "va",
        1 => "vb",
        _ => "vc",
    }
}

pub fn pods_chart(s: &Snapshot, cursor: &Cursor) -> Html {
    let seconds = (s.duration_ms / 1000).max(1) as usize;
    let peak = s
        .pods_per_second
        .iter()
        .map(|sec| {
            sec.iter()
                .map(|p| p.ready + p.not_ready + p.terminating)
                .sum::<u16>()
        })
        .max()
        .unwrap_or(1);
    let axes = Axes::new(seconds, f64::from(peak), "pods", 120.0);
    let image = |i: u16| s.images.get(i as usize).map_or("?", String::as_str);
    let at = |i: usize| -> String {
        let Some(sec) = s.pods_per_second.get(i) else {
            return "not run yet".into();
        };
        sec.iter()
            .map(|p| {
                format!(
                    "{}: {} ready, {} not ready, {} terminating",
                    image(p.image),
                    p.ready,
                    p.not_ready,
                    p.terminating
                )
            })
            .collect::<Vec<_>>()
            .join("; ")
    };
    let now = s.pods_per_second.len().saturating_sub(1);
    let summary = format!(
        "Pods per version over time, at most {peak} at once. Now: {}.",
        at(now)
    );
    let (bar, unit) = (axes.bar(), axes.height / axes.top);
    let shapes = html! { <>{ for s.pods_per_second.iter().enumerate().map(|(i, sec)| {
        let x = axes.x(i as f64);
        let mut y = axes.height;
        html! { <g> { for sec.iter().flat_map(|p| {
            [(p.ready, "ready"), (p.not_ready, "not-ready"), (p.terminating, "terminating")].into_iter().filter(|(n, _)| *n > 0).map(move |(n, state)| (p.image, n, state))
        }).map(|(image, n, state)| {
            let h = f64::from(n) * unit;
            y -= h;
            html! { <rect class={classes!(version_class(image), state)} x={fixed(x, 1)} y={fixed(y, 1)} width={fixed(bar, 1)} height={fixed(h, 1)} /> }
        }) } </g> }
    }) }</> };
    let readout = |i: usize| format!("{i} s: {}", at(i));
    chart(
        Chart {
            id: "pods-chart",
            title: "Pods by version",
            axes,
            now_ms: s.now_ms,
            markers: &[],
            shapes,
            readout: &readout,
            summary,
            key: html! { <>
                { for s.images.iter().enumerate().map(|(i, image)| html! {
                    <span class={classes!("key-group", version_class(i as u16))}>
                        <span class="key ready" aria-hidden="true"></span>{format!(" {image} ready ")}
                        <span class="key not-ready" aria-hidden="true"></span>{" not ready "}
                    </span>
                }) }
                <span class="key terminating" aria-hidden="true"></span>{" terminating"}
            </> },
        },
        cursor,
    )
}
