//! Requests per second, succeeded and failed, stacked; failures are also told apart by a hatch
//! pattern, and the timeline's kubectl commands are marked where they ran.
use super::frame::{chart, Axes, Chart, Cursor};
use crate::components::lab::Snapshot;
use rollout_sim::decimal::fixed;
use rollout_sim::traffic::Reason;
use yew::prelude::*;

pub fn requests_chart(s: &Snapshot, cursor: &Cursor) -> Html {
    let seconds = (s.duration_ms / 1000).max(1) as usize;
    let failed = |b: &rollout_sim::metrics::Second| b.failed.iter().sum::<u32>();
    let peak = s
        .seconds
        .iter()
        .map(|b| b.succeeded + failed(b))
        .max()
        .unwrap_or(1);
    let axes = Axes::new(seconds, f64::from(peak), "req/s", 160.0);
    let total_failed: u32 = s.seconds.iter().map(failed).sum();
    let worst = s.seconds.iter().enumerate().max_by_key(|(_, b)| failed(b));
    let summary = match worst {
        Some((sec, b)) if total_failed > 0 => {
            format!("Requests per second over {seconds} s. {total_failed} failed in all; the worst second was {sec} s with {} failures.", failed(b))
        }
        _ => format!("Requests per second over {seconds} s. None failed."),
    };
    let bar = axes.bar();
    let h = |n: u32| axes.height - axes.y(f64::from(n));
    let shapes = html! { <>
        <defs>
            <pattern id="hatch" width="4" height="4" patternUnits="userSpaceOnUse" patternTransform="rotate(45)">
                <rect width="4" height="4" class="fail" />
                <line x1="0" y1="0" x2="0" y2="4" class="hatch-line" />
            </pattern>
        </defs>
        { for s.seconds.iter().enumerate().map(|(i, b)| {
            let x = axes.x(i as f64);
            let (ok_h, fail_h) = (h(b.succeeded), h(failed(b)));
            html! {
                <g>
                    <rect class="ok" x={fixed(x, 1)} y={fixed(axes.height - ok_h, 1)} width={fixed(bar, 1)} height={fixed(ok_h, 1)} />
                    if fail_h > 0.0 {
                        <rect fill="url(#hatch)" x={fixed(x, 1)} y={fixed(axes.height - ok_h - fail_h, 1)} width={fixed(bar, 1)} height={fixed(fail_h, 1)} />
                    }
                </g>
            }
        }) }
    </> };
    let readout = |i: usize| match s.seconds.get(i) {
        None => format!("{i} s: not run yet"),
        Some(b) => {
            let why: Vec<String> = Reason::ALL
                .iter()
                .zip(b.failed)
                .filter(|(_, n)| *n > 0)
                .map(|(r, n)| format!("{n} {}", r.label()))
                .collect();
            let why = if why.is_empty() {
                String::new()
            } else {
                format!(" ({})", why.join(", "))
            };
            format!(
                "{i} s: {} succeeded, {} failed{why}",
                b.succeeded,
                failed(b)
            )
        }
    };
    chart(
        Chart {
            id: "requests-chart",
            title: "Requests per second",
            axes,
            now_ms: s.now_ms,
            markers: &s.markers,
            shapes,
            readout: &readout,
            summary,
            key: html! { <>
                <span class="key ok-key" aria-hidden="true"></span>{" succeeded "}
                <span class="key fail-key" aria-hidden="true"></span>{" failed (hatched) "}
                <span class="key marker-key" aria-hidden="true"></span>{" kubectl command "}
            </> },
        },
        cursor,
    )
}
