//! A friendly dead end: says what was not found and offers the way back.
use crate::route::Route;
use yew::prelude::*;

#[derive(PartialEq)]
pub struct NotFoundProps {
    /// What the learner asked for, e.g. `lesson “canary-101”`.
    pub what: AttrValue,
}

pub fn not_found(props: &NotFoundProps) -> Html {
    html! {
        <section class="not-found">
            <h1 tabindex="-1">{"Nothing here"}</h1>
            <p>{format!("There is no {} in Rollout Lab. The link may be old, or a lesson may have been renamed.", props.what)}</p>
            <p><a href={Route::Catalogue.href()}>{"See all lessons"}</a>{" or "}<a href={Route::Lab { scenario: None }.href()}>{"open the lab"}</a>{"."}</p>
        </section>
    }
}
