//! The lesson catalogue, built from the lesson files compiled into the site.
use crate::lessons::Lesson;
use crate::route::Route;
use yew::prelude::*;

#[derive(Properties, PartialEq)]
pub struct CatalogueProps {
    pub lessons: &'static [Lesson],
}

#[function_component]
pub fn Catalogue(props: &CatalogueProps) -> Html {
    html! {
        <section class="catalogue" aria-labelledby="catalogue-title">
            <h1 id="catalogue-title" tabindex="-1">{"Lessons"}</h1>
            <p class="lede">
                {"Ship a new version without dropping a single request. Each lesson breaks a deployment on a simulated \
                  Kubernetes cluster, shows you which requests failed and why, then lets you fix it."}
            </p>
            <ol class="lesson-list">
                { for props.lessons.iter().enumerate().map(|(i, lesson)| html! {
                    <li class="lesson-card" key={lesson.id.clone()}>
                        <span class="lesson-number" aria-hidden="true">{i + 1}</span>
                        <div>
                            <h2><a href={Route::Lesson(lesson.id.clone()).href()}>{&lesson.title}</a></h2>
                            <p>{&lesson.summary}</p>
                            <p class="meta">{format!("{} · about {} min", lesson.level.label(), lesson.minutes)}</p>
                        </div>
                    </li>
                }) }
            </ol>
        </section>
    }
}
