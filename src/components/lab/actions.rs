//! The lab's action buttons: each is a command the core offers for the target (`Target::actions`),
//! run at the moment shown, and the run plays on from there so its effect can be watched.
use rollout_sim::lab::snapshot::Target;
use yew::prelude::*;

#[derive(PartialEq)]
pub struct ActionsProps {
    pub target: Target,
    /// Runs a kubectl command line now.
    pub on_command: Callback<String>,
}

pub fn actions(props: &ActionsProps) -> Html {
    let buttons = props.target.actions().into_iter().map(|a| {
        let line = a.command.to_string();
        let on_command = props.on_command.clone();
        let title = line.clone();
        let onclick = Callback::from(move |_: MouseEvent| on_command.emit(line.clone()));
        html! { <button type="button" {onclick} {title}>{a.label}</button> }
    });
    html! {
        <div class="actions" role="group" aria-label="Actions">
            { for buttons }
        </div>
    }
}
