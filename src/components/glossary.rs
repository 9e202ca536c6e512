//! The glossary (`#/glossary`): the words the lessons use, from `docs/glossary.md`, rendered
//! like a lesson's prose; every lesson page links to it.
use yew::prelude::*;

pub const GLOSSARY: &str = include_str!("../../docs/glossary.md");

#[function_component]
pub fn Glossary() -> Html {
    // The file's own `# Glossary` is the page's heading.
    let body = GLOSSARY.split_once('\n').map_or(GLOSSARY, |(_, rest)| rest);
    html! {
        <article class="glossary" aria-labelledby="glossary-title">
            <h1 id="glossary-title" tabindex="-1">{"Glossary"}</h1>
            { crate::markdown::render(body) }
        </article>
    }
}
