//! Pods per version over time, ready, not ready and terminating, as an SVG chart with a text
//! alternative: the shape of the rollout (the surge, the gap, the old pods lingering).
use super::Snapshot;
use rollout_sim::decimal::fixed;
use yew::prelude::*;

const W: f64 = 600.0;
const H: f64 = 120.0;
const VIEW_BOX: &str = "0 0 600 120";

/// The first two versions get the palette's two colours; later ones the muted text colour.
fn version_class(image: u16) -> &'static str {
    match image {
        0 => "va",
        1 => "vb",
        _ => "vc",
    }
}

pub fn pods_chart(s: &Snapshot) -> Html {
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
        .unwrap_or(1)
        .max(1);
    let bar = W / seconds as f64;
    let unit = H / f64::from(peak);
    let last = s.pods_per_second.last().cloned().unwrap_or_default();
    let summary = last
        .iter()
        .map(|p| {
            let image = s.images.get(p.image as usize).map_or("?", String::as_str);
            format!(
                "{image}: {} ready, {} not ready, {} terminating",
                p.ready, p.not_ready, p.terminating
            )
        })
        .collect::<Vec<_>>()
        .join("; ");
    let summary = format!("Pods per version over time, at most {peak} at once. Now: {summary}.");
    html! {
        <figure class="chart pods-chart">
            <svg viewBox={VIEW_BOX} role="img" aria-label={summary.clone()} preserveAspectRatio="none">
                { for s.pods_per_second.iter().enumerate().map(|(i, sec)| {
                    let x = i as f64 * bar;
                    let mut y = H;
                    html! { <g> { for sec.iter().flat_map(|p| {
                        [(p.ready, "ready"), (p.not_ready, "not-ready"), (p.terminating, "terminating")].into_iter().filter(|(n, _)| *n > 0).map(move |(n, state)| (p.image, n, state))
                    }).map(|(image, n, state)| {
                        let h = f64::from(n) * unit;
                        y -= h;
                        html! { <rect class={classes!(version_class(image), state)} x={fixed(x, 1)} y={fixed(y, 1)} width={fixed(bar, 1)} height={fixed(h, 1)} /> }
                    }) } </g> }
                }) }
            </svg>
            <figcaption>
                { for s.images.iter().enumerate().map(|(i, image)| html! {
                    <span class={classes!("key-group", version_class(i as u16))}>
                        <span class="key ready" aria-hidden="true"></span>{format!(" {image} ready ")}
                        <span class="key not-ready" aria-hidden="true"></span>{" not ready "}
                    </span>
                }) }
                <span class="key terminating" aria-hidden="true"></span>{" terminating"}
                <span class="visually-hidden">{summary}</span>
            </figcaption>
        </figure>
    }
}
