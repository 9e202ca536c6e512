//! One lesson: its goals and its prose.
use crate::lessons::Lesson;
use crate::route::Route;
use yew::prelude::*;

#[derive(Properties, PartialEq)]
pub struct LessonPageProps {
    pub lesson: &'static Lesson,
}

#[function_component]
pub fn LessonPage(props: &LessonPageProps) -> Html {
    let lesson = props.lesson;
    html! {
        <article class="lesson">
            <p class="breadcrumb"><a href={Route::Catalogue.href()}>{"← All lessons"}</a></p>
            <h1 tabindex="-1">{&lesson.title}</h1>
            <p class="meta">{format!("{} · about {} min", lesson.level.label(), lesson.minutes)}</p>
            if !lesson.goals.is_empty() {
                <section class="goals" aria-labelledby="goals-title">
                    <h2 id="goals-title">{"You will be able to"}</h2>
                    <ul>{ for lesson.goals.iter().map(|g| html! { <li>{g}</li> }) }</ul>
                </section>
            }
            { crate::markdown::render(&lesson.body) }
        </article>
    }
}
