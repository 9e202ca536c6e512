//! The things a learner does to the cluster: each button is the kubectl command it stands for,
//! run at the moment shown, and the run plays on from there so its effect can be watched.
use super::snapshot::Target;
use yew::prelude::*;

#[derive(PartialEq)]
pub struct ActionsProps {
    pub target: Target,
    /// Runs a kubectl command line now.
    pub on_command: Callback<String>,
}

pub fn actions(props: &ActionsProps) -> Html {
    let t = &props.target;
    let button = |label: String, line: String| {
        let on_command = props.on_command.clone();
        let title = line.clone();
        let onclick = Callback::from(move |_: MouseEvent| on_command.emit(line.clone()));
        html! { <button type="button" {onclick} {title}>{label}</button> }
    };
    let deploy = format!("Deploy new version ({})", t.next_image);
    let n = &t.name;
    let kind = if t.rollout { "rollout" } else { "deployment" };
    let scale = |to: i32| {
        button(
            format!("Scale to {to}"),
            format!("kubectl scale {kind}/{n} --replicas={to}"),
        )
    };
    if t.rollout {
        let argo = |verb: &str| format!("kubectl argo rollouts {verb} {n}");
        return html! {
            <div class="actions" role="group" aria-label="Actions">
                { button(deploy, format!("{} {}={}", argo("set image"), t.container, t.next_image)) }
                if t.updating && !t.aborted {
                    { button("Promote".into(), argo("promote")) }
                    { button("Promote fully".into(), format!("{} --full", argo("promote"))) }
                    { button("Abort".into(), argo("abort")) }
                }
                if t.aborted { { button("Retry".into(), format!("kubectl argo rollouts retry rollout {n}")) } }
                { button("Roll back".into(), argo("undo")) }
                if t.paused {
                    { button("Resume rollout".into(), argo("promote")) }
                } else {
                    { button("Pause rollout".into(), argo("pause")) }
                }
                { scale(t.replicas + 1) }
                if t.replicas > 0 { { scale(t.replicas - 1) } }
            </div>
        };
    }
    html! {
        <div class="actions" role="group" aria-label="Actions">
            { button(deploy, format!("kubectl set image deployment/{n} {}={}", t.container, t.next_image)) }
            { button("Roll back".into(), format!("kubectl rollout undo deployment/{n}")) }
            if t.paused {
                { button("Resume rollout".into(), format!("kubectl rollout resume deployment/{n}")) }
            } else {
                { button("Pause rollout".into(), format!("kubectl rollout pause deployment/{n}")) }
            }
            { scale(t.replicas + 1) }
            if t.replicas > 0 { { scale(t.replicas - 1) } }
        </div>
    }
}
