//! What every chart of the run shares: a title, a y scale with ticks and its unit, a time axis in
//! seconds, the moment shown, and a time cursor shared by all the charts — moved by pointer or by
//! the arrow keys on its readout, which says its values; a click or Enter seeks there.
//! Shapes are drawn in an SVG stretched to the plot; the labels are HTML, so they stay readable
//! at any width.
use rollout_sim::decimal::fixed;
use rollout_sim::time::Ms;
use yew::prelude::*;

/// The SVG's own units: the shapes are drawn in this box and stretched to the plot.
pub const W: f64 = 600.0;

/// The cursor all charts share (a second of the run), and what choosing a moment does.
#[derive(Clone, PartialEq)]
pub struct Cursor {
    pub second: Option<usize>,
    pub on_move: Callback<Option<usize>>,
    pub on_seek: Callback<Ms>,
}

/// A chart's scale: the run's seconds across, `0..top` of `unit` up.
pub struct Axes {
    pub seconds: usize,
    pub top: f64,
    pub unit: &'static str,
    /// The SVG box's height, in its own units.
    pub height: f64,
}

impl Axes {
    /// A scale whose top is a round number at or above `peak`, with its ticks.
    pub fn new(seconds: usize, peak: f64, unit: &'static str, height: f64) -> Axes {
        let step = nice_step(peak.max(1.0) / 4.0);
        Axes {
            seconds: seconds.max(1),
            top: (peak.max(1.0) / step).ceil() * step,
            unit,
            height,
        }
    }

    /// Across: the left edge of second `i`.
    pub fn x(&self, i: f64) -> f64 {
        W * i / self.seconds as f64
    }

    /// Up: the height of `v` in the SVG box (0 at the bottom).
    pub fn y(&self, v: f64) -> f64 {
        self.height - self.height * v / self.top
    }

    pub fn bar(&self) -> f64 {
        W / self.seconds as f64
    }

    fn y_ticks(&self) -> Vec<f64> {
        let step = nice_step(self.top / 4.0);
        (0..=((self.top / step).round() as usize))
            .map(|k| k as f64 * step)
            .collect()
    }

    fn x_ticks(&self) -> Vec<usize> {
        let step = [5, 10, 15, 30, 60, 120, 300, 600, 1800, 3600]
            .into_iter()
            .find(|s| self.seconds / s <= 8)
            .unwrap_or(3600);
        (0..=self.seconds / step).map(|k| k * step).collect()
    }
}

/// 1, 2 or 5 times a power of ten, at or above `raw`.
fn nice_step(raw: f64) -> f64 {
    let mut p = 1.0;
    while p * 10.0 <= raw {
        p *= 10.0;
    }
    while p > raw && p >= 2.0 {
        p /= 10.0;
    }
    [1.0, 2.0, 5.0, 10.0]
        .into_iter()
        .map(|m| m * p)
        .find(|s| *s >= raw)
        .unwrap_or(10.0 * p)
        .max(1.0)
}

/// One chart: its heading, scale and cursor around `shapes`; `readout` says the values at a
/// second; `summary` is its text alternative and `key` its legend.
pub struct Chart<'a> {
    pub id: &'static str,
    pub title: &'a str,
    pub axes: Axes,
    pub now_ms: Ms,
    pub markers: &'a [(Ms, String)],
    pub shapes: Html,
    pub readout: &'a dyn Fn(usize) -> String,
    pub summary: String,
    pub key: Html,
}

pub fn chart(c: Chart, cursor: &Cursor) -> Html {
    let a = &c.axes;
    let last = a.seconds.saturating_sub(1);
    let now_s = ((c.now_ms / 1000).max(0) as usize).min(last);
    let at = cursor.second.map(|s| s.min(last));
    let pct = |v: f64| format!("{}%", fixed(v, 2));
    let seconds = a.seconds;
    let x_of = move |e: &MouseEvent| -> Option<usize> {
        let across = crate::browser::pointer_across(e, ".plot-area")?;
        Some(((across * seconds as f64) as usize).min(last))
    };
    let on_move = {
        let (tell, x_of) = (cursor.on_move.clone(), x_of);
        Callback::from(move |e: MouseEvent| tell.emit(x_of(&e)))
    };
    let on_leave = cursor.on_move.reform(|_: MouseEvent| None);
    let on_click = {
        let seek = cursor.on_seek.clone();
        Callback::from(move |e: MouseEvent| {
            if let Some(s) = x_of(&e) {
                seek.emit(s as Ms * 1000);
            }
        })
    };
    let on_key = {
        let (tell, seek) = (cursor.on_move.clone(), cursor.on_seek.clone());
        let from = at.unwrap_or(now_s);
        Callback::from(move |e: KeyboardEvent| {
            let to = match e.key().as_str() {
                "ArrowLeft" | "ArrowDown" => from.saturating_sub(1),
                "ArrowRight" | "ArrowUp" => (from + 1).min(last),
                "PageDown" => from.saturating_sub(10),
                "PageUp" => (from + 10).min(last),
                "Home" => 0,
                "End" => last,
                "Enter" | " " => {
                    e.prevent_default();
                    seek.emit(from as Ms * 1000);
                    return;
                }
                _ => return,
            };
            e.prevent_default();
            tell.emit(Some(to));
        })
    };
    let on_focus = {
        let tell = cursor.on_move.clone();
        Callback::from(move |_: FocusEvent| tell.emit(Some(at.unwrap_or(now_s))))
    };
    let shown = at.unwrap_or(now_s);
    let readout = (c.readout)(shown);
    let vb = format!("0 0 {} {}", W, fixed(a.height, 0));
    let title_id = format!("{}-title", c.id);
    html! {
        <figure class={classes!("chart", c.id)} aria-labelledby={title_id.clone()}>
            <h3 id={title_id}>{c.title}</h3>
            <div class="plot">
                // Labels in SVGs of their own, placed in percent of the plot: never stretched, and
                // no inline style (the page's CSP allows none).
                <svg class="y-ticks" aria-hidden="true">
                    // The unit once, on the top tick.
                    { for a.y_ticks().into_iter().map(|v| {
                        let label = if v == a.top { format!("{} {}", fixed(v, 0), a.unit) } else { fixed(v, 0) };
                        html! { <text x="95%" y={pct(100.0 * (1.0 - v / a.top))} text-anchor="end" dominant-baseline="middle">{label}</text> }
                    }) }
                </svg>
                <div class="plot-area" onmousemove={on_move} onmouseleave={on_leave} onclick={on_click}>
                    <svg viewBox={vb} preserveAspectRatio="none" role="img" aria-label={c.summary.clone()}>
                        { for a.y_ticks().into_iter().map(|v| html! {
                            <line class="grid" x1="0" x2={fixed(W, 0)} y1={fixed(a.y(v), 1)} y2={fixed(a.y(v), 1)} />
                        }) }
                        { c.shapes }
                        { for c.markers.iter().map(|(t, run)| {
                            let x = a.x(*t as f64 / 1000.0);
                            html! { <line class="marker" x1={fixed(x, 1)} x2={fixed(x, 1)} y1="0" y2={fixed(a.height, 0)}><title>{run}</title></line> }
                        }) }
                        <line class="now" x1={fixed(a.x(c.now_ms as f64 / 1000.0), 1)} x2={fixed(a.x(c.now_ms as f64 / 1000.0), 1)} y1="0" y2={fixed(a.height, 0)} />
                        if let Some(s) = at {
                            <line class="cursor" x1={fixed(a.x(s as f64 + 0.5), 1)} x2={fixed(a.x(s as f64 + 0.5), 1)} y1="0" y2={fixed(a.height, 0)} />
                        }
                    </svg>
                </div>
                <svg class="x-ticks" aria-hidden="true">
                    { for a.x_ticks().into_iter().map(|s| {
                        let anchor = if s == 0 { "start" } else if s == a.seconds { "end" } else { "middle" };
                        html! { <text x={pct(100.0 * s as f64 / a.seconds as f64)} y="12" text-anchor={anchor}>{format!("{s} s")}</text> }
                    }) }
                </svg>
            </div>
            // The cursor's keyboard handle is its readout: arrows move it, Enter goes there.
            <p class="readout" tabindex="0" role="slider" aria-label={format!("{} at a second", c.title)}
                aria-valuemin="0" aria-valuemax={last.to_string()} aria-valuenow={shown.to_string()}
                aria-valuetext={readout.clone()} onkeydown={on_key} onfocus={on_focus}>{readout}</p>
            <figcaption>{ c.key }<span class="visually-hidden">{c.summary}</span></figcaption>
        </figure>
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn scales_end_on_round_numbers_with_ticks_to_match() {
        let a = Axes::new(240, 37.0, "/s", 160.0);
        assert_eq!(a.top, 40.0);
        assert_eq!(a.y_ticks(), vec![0.0, 10.0, 20.0, 30.0, 40.0]);
        assert_eq!(a.x_ticks(), vec![0, 30, 60, 90, 120, 150, 180, 210, 240]);
        assert_eq!(
            Axes::new(180, 3.0, "pods", 120.0).y_ticks(),
            vec![0.0, 1.0, 2.0, 3.0]
        );
        let ms = Axes::new(600, 1234.0, "ms", 100.0);
        assert_eq!((ms.top, ms.y_ticks().len()), (1500.0, 4));
        assert_eq!(ms.x_ticks().last(), Some(&600));
        assert_eq!((a.y(0.0), a.y(40.0), a.x(120.0)), (160.0, 0.0, 300.0));
    }
}
