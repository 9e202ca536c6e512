//! Keyboard shortcuts for playback, and the panel that lists them. They act only when the focus
//! is not in a field, so typing in the console or a setting never triggers one.
use super::state::{LabAction, LabState, SPEEDS};
use yew::prelude::*;

/// (keys, what they do), as the help panel lists them.
pub const SHORTCUTS: [(&str, &str); 6] = [
    ("Space or K", "play or pause"),
    (".", "one second forward"),
    (",", "one second back"),
    ("R", "restart from 0 s"),
    ("[ and ]", "slower, faster"),
    ("?", "show or hide this list"),
];

/// The action a key stands for, if any (`?` is handled by the panel itself).
pub fn action(key: &str, state: &LabState) -> Option<LabAction> {
    let now = state.time.unwrap_or(state.duration);
    let speed = SPEEDS.iter().position(|s| *s == state.speed).unwrap_or(2);
    Some(match key {
        " " | "k" | "K" if state.playing => LabAction::Pause,
        " " | "k" | "K" => LabAction::Play,
        "." => LabAction::Step,
        "," => LabAction::SetTime((now - 1000).max(0)),
        "r" | "R" => LabAction::Restart,
        "[" => LabAction::SetSpeed(SPEEDS[speed.saturating_sub(1)]),
        "]" => LabAction::SetSpeed(SPEEDS[(speed + 1).min(SPEEDS.len() - 1)]),
        _ => return None,
    })
}

#[derive(PartialEq)]
pub struct ShortcutsHelpProps {
    pub open: bool,
    pub on_toggle: Callback<bool>,
}

/// The list of shortcuts, in a disclosure the `?` key opens too.
pub fn shortcuts_help(props: &ShortcutsHelpProps) -> Html {
    let ontoggle = {
        let on_toggle = props.on_toggle.clone();
        Callback::from(move |e: Event| {
            if let Some(open) = crate::browser::details_open(&e) {
                on_toggle.emit(open);
            }
        })
    };
    html! {
        <details class="shortcuts" open={props.open} {ontoggle}>
            <summary>{"Keyboard shortcuts"}</summary>
            <dl>
                { for SHORTCUTS.iter().map(|(keys, what)| html! {
                    <><dt><kbd>{*keys}</kbd></dt><dd>{*what}</dd></>
                }) }
            </dl>
            <p>{"They work whenever the focus is not in a field. Every control can also be reached with Tab."}</p>
        </details>
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keys_map_to_playback() {
        let s = LabState {
            time: Some(30_000),
            duration: 150_000,
            ..LabState::default()
        };
        assert_eq!(action(" ", &s), Some(LabAction::Play));
        let playing = LabState {
            playing: true,
            ..s.clone()
        };
        assert_eq!(action("k", &playing), Some(LabAction::Pause));
        assert_eq!(action(",", &s), Some(LabAction::SetTime(29_000)));
        assert_eq!(action("]", &s), Some(LabAction::SetSpeed(2.0)));
        assert_eq!(action("[", &s), Some(LabAction::SetSpeed(0.5)));
        assert_eq!(action("x", &s), None);
    }
}
