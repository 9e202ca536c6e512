//! The glossary (`#/glossary`): the words the lessons use, from `docs/glossary.md`, rendered
//! like a lesson's prose; every lesson page links to it.
use yew::prelude::*;

pub const GLOSSARY: &str = include_str!("../../docs/glossary.md");

#[function_component]
pub fn Glossary() -> Html {
    html! {
        <article class="glossary" aria-label="Glossary">
            { crate::markdown::render(GLOSSARY) }
        </article>
    }
}
