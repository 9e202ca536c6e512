//! The learner's settings against the scenario as written: same seed, same traffic, same moment,
//! and the difference said in words.
use super::Snapshot;
use rollout_sim::summary::thousands;
use rollout_sim::time::fmt_secs;
use std::rc::Rc;
use yew::prelude::*;

#[derive(PartialEq)]
pub struct CompareProps {
    pub written: Rc<Result<Snapshot, String>>,
    pub yours: Rc<Result<Snapshot, String>>,
}

/// "Your settings fail 233 fewer requests (0 instead of 233)."
pub fn verdict(written: &Snapshot, yours: &Snapshot) -> String {
    let (a, b) = (written.failed, yours.failed);
    match b.cmp(&a) {
        std::cmp::Ordering::Less => format!(
            "Your settings fail {} fewer requests ({} instead of {}).",
            thousands(a - b),
            thousands(b),
            thousands(a)
        ),
        std::cmp::Ordering::Greater => format!(
            "Your settings fail {} more requests ({} instead of {}).",
            thousands(b - a),
            thousands(b),
            thousands(a)
        ),
        std::cmp::Ordering::Equal => {
            format!("Both fail the same number of requests ({}).", thousands(a))
        }
    }
}

pub fn compare(props: &CompareProps) -> Html {
    let (Ok(w), Ok(y)) = (&*props.written, &*props.yours) else {
        return html! {};
    };
    let done = |s: &Snapshot| {
        s.rollout_completed_at
            .map_or("not yet".to_string(), fmt_secs)
    };
    let rows = [
        ("Succeeded", thousands(w.succeeded), thousands(y.succeeded)),
        ("Failed", thousands(w.failed), thousands(y.failed)),
        ("Rollout complete at", done(w), done(y)),
        (
            "Most pods at once",
            w.max_pods.to_string(),
            y.max_pods.to_string(),
        ),
        (
            "Fewest available",
            w.min_available.to_string(),
            y.min_available.to_string(),
        ),
    ];
    html! {
        <section class="compare" aria-labelledby="compare-title">
            <h2 id="compare-title">{"Compared with the scenario as written"}</h2>
            <p class="verdict">{verdict(w, y)}</p>
            <table>
                <thead><tr><th scope="col">{format!("At {}", fmt_secs(y.now_ms))}</th><th scope="col">{"As written"}</th><th scope="col">{"Your settings"}</th></tr></thead>
                <tbody>
                    { for rows.into_iter().map(|(label, a, b)| html! {
                        <tr><th scope="row">{label}</th><td>{a}</td><td>{b}</td></tr>
                    }) }
                </tbody>
            </table>
        </section>
    }
}
