//! Play, pause, step and restart the run, at 0.25x to 32x.
use super::state::SPEEDS;
use yew::prelude::*;

#[derive(PartialEq)]
pub struct PlaybackProps {
    pub playing: bool,
    pub speed: f64,
    pub on_play: Callback<bool>,
    pub on_step: Callback<()>,
    pub on_restart: Callback<()>,
    pub on_speed: Callback<f64>,
}

pub fn playback(props: &PlaybackProps) -> Html {
    let play = {
        let (on_play, playing) = (props.on_play.clone(), props.playing);
        Callback::from(move |_: MouseEvent| on_play.emit(!playing))
    };
    let step = props.on_step.reform(|_: MouseEvent| ());
    let restart = props.on_restart.reform(|_: MouseEvent| ());
    let speed = {
        let on_speed = props.on_speed.clone();
        Callback::from(move |e: Event| {
            if let Some(v) =
                crate::browser::event_value(&e).and_then(|v| rollout_sim::decimal::parse(&v))
            {
                on_speed.emit(v);
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
