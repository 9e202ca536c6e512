//! The things a learner does to the cluster: each button is the kubectl command it stands for,
//! run at the moment shown, and the run plays on from there so its effect can be watched.
use super::snapshot::Target;
use yew::prelude::*;

#[derive(Properties, PartialEq)]
pub struct ActionsProps {
    pub target: Target,
    /// Runs a kubectl command line now.
    pub on_command: Callback<String>,
}

#[function_component]
pub fn Actions(props: &ActionsProps) -> Html {
    let t = &props.target;
    let d = &t.deployment;
    let button = |label: String, line: String| {
        let on_command = props.on_command.clone();
        let onclick = Callback::from(move |_: MouseEvent| on_command.emit(line.clone()));
        html! { <button type="button" {onclick} title={label.clone()}>{label}</button> }
    };
    html! {
        <div class="actions" role="group" aria-label="Actions">
            { button(format!("Deploy new version ({})", t.next_image), format!("kubectl set image deployment/{d} {}={}", t.container, t.next_image)) }
            { button("Roll back".into(), format!("kubectl rollout undo deployment/{d}")) }
            if t.paused {
                { button("Resume rollout".into(), format!("kubectl rollout resume deployment/{d}")) }
            } else {
                { button("Pause rollout".into(), format!("kubectl rollout pause deployment/{d}")) }
            }
            { button(format!("Scale to {}", t.replicas + 1), format!("kubectl scale deployment/{d} --replicas={}", t.replicas + 1)) }
            if t.replicas > 0 {
                { button(format!("Scale to {}", t.replicas - 1), format!("kubectl scale deployment/{d} --replicas={}", t.replicas - 1)) }
            }
        </div>
    }
}
