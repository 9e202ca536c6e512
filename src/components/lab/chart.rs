//! Requests per second, succeeded and failed, as an SVG chart with a text alternative. Colours
//! are colour-blind safe and failures are also told apart by a hatch pattern.
use super::Snapshot;
use rollout_sim::decimal::fixed;
use yew::prelude::*;

const W: f64 = 600.0;
const H: f64 = 160.0;
const VIEW_BOX: &str = "0 0 600 160";

pub fn requests_chart(s: &Snapshot) -> Html {
    let seconds = (s.duration_ms / 1000).max(1) as usize;
    let peak = s
        .seconds
        .iter()
        .map(|b| b.succeeded + b.failed.iter().sum::<u32>())
        .max()
        .unwrap_or(1)
        .max(1);
    let bar = W / seconds as f64;
    let y = |n: u32| H * f64::from(n) / f64::from(peak);
    let total_failed: u32 = s.seconds.iter().map(|b| b.failed.iter().sum::<u32>()).sum();
    let worst = s
        .seconds
        .iter()
        .enumerate()
        .max_by_key(|(_, b)| b.failed.iter().sum::<u32>());
    let summary = match worst {
        Some((sec, b)) if total_failed > 0 => {
            format!("Requests per second over {seconds} s. {total_failed} failed in all; the worst second was {sec} s with {} failures.", b.failed.iter().sum::<u32>())
        }
        _ => format!("Requests per second over {seconds} s. None failed."),
    };
    html! {
        <figure class="chart">
            <svg viewBox={VIEW_BOX} role="img" aria-label={summary.clone()} preserveAspectRatio="none">
                <defs>
                    <pattern id="hatch" width="4" height="4" patternUnits="userSpaceOnUse" patternTransform="rotate(45)">
                        <rect width="4" height="4" class="fail" />
                        <line x1="0" y1="0" x2="0" y2="4" class="hatch-line" />
                    </pattern>
                </defs>
                { for s.seconds.iter().enumerate().map(|(i, b)| {
                    let failed: u32 = b.failed.iter().sum();
                    let x = i as f64 * bar;
                    let ok_h = y(b.succeeded);
                    let fail_h = y(failed);
                    html! {
                        <g>
                            <rect class="ok" x={fixed(x, 1)} y={fixed(H - ok_h, 1)} width={fixed(bar, 1)} height={fixed(ok_h, 1)} />
                            if failed > 0 {
                                <rect fill="url(#hatch)" x={fixed(x, 1)} y={fixed(H - ok_h - fail_h, 1)} width={fixed(bar, 1)} height={fixed(fail_h, 1)} />
                            }
                        </g>
                    }
                }) }
                { for s.markers.iter().map(|(at, run)| {
                    let x = (*at as f64 / 1000.0) * bar;
                    html! { <line class="marker" x1={fixed(x, 1)} x2={fixed(x, 1)} y1="0" y2="160"><title>{run}</title></line> }
                }) }
                <line class="now" x1={fixed(s.now_ms as f64 / 1000.0 * bar, 1)} x2={fixed(s.now_ms as f64 / 1000.0 * bar, 1)} y1="0" y2="160" />
            </svg>
            <div class="axis" aria-hidden="true"><span>{"0 s"}</span><span>{format!("{seconds} s")}</span></div>
            <figcaption>
                <span class="key ok-key" aria-hidden="true"></span>{" succeeded "}
                <span class="key fail-key" aria-hidden="true"></span>{" failed (hatched) "}
                <span class="key marker-key" aria-hidden="true"></span>{" kubectl command "}
                <span class="visually-hidden">{summary}</span>
            </figcaption>
        </figure>
    }
}
