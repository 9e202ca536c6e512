//! Playback: real time driving simulated time while playing; play, pause, step and restart at
//! 0.25x to 32x; the time bar to show any moment, and the seed; the outcome said at a calm pace.
use super::state::{LabAction, LabState, SPEEDS};
use rollout_sim::time::Ms;
use yew::prelude::*;

/// While playing, real time drives simulated time.
#[hook]
pub fn use_clock(state: &UseReducerHandle<LabState>) {
    let dispatch = state.dispatcher();
    use_effect_with(state.playing, move |playing| {
        let stop = playing
            .then(|| crate::browser::every(100, move || dispatch.dispatch(LabAction::Tick(100))));
        move || stop.into_iter().for_each(|stop| stop())
    });
}

/// What the Outcome live region says: at most every 3 s of real time while playing, at once when
/// paused. The visible line beside it follows every frame.
#[hook]
pub fn use_announced(state: &LabState, now_ms: Ms, outcome: String) -> std::rc::Rc<String> {
    let calm_key = if state.playing {
        (
            true,
            now_ms / ((3000.0 * state.speed) as i64).max(1),
            String::new(),
        )
    } else {
        (false, 0, outcome.clone())
    };
    use_memo(calm_key, move |_| outcome)
}

#[derive(PartialEq)]
pub struct PlaybackProps {
    pub playing: bool,
    pub speed: f64,
    pub dispatch: UseReducerDispatcher<LabState>,
}

pub fn playback(props: &PlaybackProps) -> Html {
    let on = |action: LabAction| {
        let dispatch = props.dispatch.clone();
        Callback::from(move |_: MouseEvent| dispatch.dispatch(action.clone()))
    };
    let play = on(if props.playing {
        LabAction::Pause
    } else {
        LabAction::Play
    });
    let (step, restart) = (on(LabAction::Step), on(LabAction::Restart));
    let speed = {
        let dispatch = props.dispatch.clone();
        Callback::from(move |e: Event| {
            if let Some(v) =
                crate::browser::event_value(&e).and_then(|v| rollout_sim::decimal::parse(&v))
            {
                dispatch.dispatch(LabAction::SetSpeed(v));
            }
        })
    };
    html! {
        <div class="playback" role="group" aria-label="Playback">
            <button type="button" onclick={play} aria-pressed={props.playing.to_string()}>{ if props.playing { "Pause" } else { "Play" } }</button>
            <button type="button" onclick={step}>{"Step 1 s"}</button>
            <button type="button" onclick={restart}>{"Restart"}</button>
            <label for="lab-speed">{"Speed"}</label>
            <select id="lab-speed" onchange={speed}>
                { for SPEEDS.iter().map(|s| html! { <option value={rollout_sim::decimal::short(*s, 2)} selected={*s == props.speed}>{format!("{}x", rollout_sim::decimal::short(*s, 2))}</option> }) }
            </select>
        </div>
    }
}

#[derive(PartialEq)]
pub struct TimeBarProps {
    pub now_ms: Ms,
    pub duration_ms: Ms,
    /// The seed the run uses: the learner's, or the scenario's own.
    pub seed: u64,
    pub dispatch: UseReducerDispatcher<LabState>,
}

/// Time, to drag to any moment (the run is deterministic), and the seed: another one replays the
/// same scenario with other arrivals and random picks.
pub fn time_bar(props: &TimeBarProps) -> Html {
    let on_time = {
        let dispatch = props.dispatch.clone();
        Callback::from(move |e: InputEvent| {
            if let Some(secs) = crate::browser::input_value(&e).and_then(|v| v.parse::<i64>().ok())
            {
                dispatch.dispatch(LabAction::SetTime(secs * 1000));
            }
        })
    };
    let on_seed = {
        let dispatch = props.dispatch.clone();
        Callback::from(move |e: Event| {
            if let Some(seed) = crate::browser::event_value(&e).and_then(|v| v.trim().parse().ok())
            {
                dispatch.dispatch(LabAction::SetSeed(seed));
            }
        })
    };
    let (now, end) = (props.now_ms / 1000, props.duration_ms / 1000);
    html! {
        <div class="lab-controls">
            <label for="lab-time">{"Time"}</label>
            <input id="lab-time" type="range" min="0" max={end.to_string()} step="1"
                value={now.to_string()} oninput={on_time}
                aria-valuetext={format!("{now} seconds")} />
            <output for="lab-time">{rollout_sim::time::fmt_secs(props.now_ms)}</output>
            <label for="lab-seed">{"Seed"}</label>
            <input id="lab-seed" type="number" min="0" step="1" value={props.seed.to_string()} onchange={on_seed} />
        </div>
    }
}

/// The ribbon of the run's moments (the whole run's, so the ones ahead can be chosen too):
/// choosing one seeks to it.
pub fn ribbon(
    moments: &[rollout_sim::lab::ribbon::Moment],
    now_ms: Ms,
    dispatch: &UseReducerDispatcher<LabState>,
) -> Html {
    if moments.is_empty() {
        return html! {};
    }
    html! {
        <nav class="ribbon" aria-label="Moments of the run">
            <ol>
                { for moments.iter().map(|m| {
                    let (at, dispatch) = (m.at, dispatch.clone());
                    let seek = Callback::from(move |_: MouseEvent| dispatch.dispatch(LabAction::SetTime(at)));
                    let class = classes!(m.command.then_some("ribbon-command"), m.warning.then_some("ribbon-warning"), (m.at > now_ms).then_some("ribbon-ahead"));
                    let when = rollout_sim::time::fmt_secs(m.at);
                    html! {
                        <li {class}>
                            <button type="button" onclick={seek} title={format!("Go to {when}: {}", m.text)}>
                                <span class="ribbon-time">{when}</span>{" "}<span class="ribbon-text">{&m.text}</span>
                            </button>
                        </li>
                    }
                }) }
            </ol>
        </nav>
    }
}
