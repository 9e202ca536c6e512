//! The lesson catalogue, built from the lesson files compiled into the site, with the learner's
//! progress on each; course authors can open a lesson file of their own to try it.
use crate::components::score_line;
use crate::course::{progress, Lesson};
use crate::route::Route;
use yew::prelude::*;

#[derive(Properties, PartialEq)]
pub struct CatalogueProps {
    pub lessons: &'static [Lesson],
}

#[function_component]
pub fn Catalogue(props: &CatalogueProps) -> Html {
    // Bumped by "Reset all progress", so the cards read storage again.
    let generation = use_state(|| 0u32);
    let open_error = use_state(|| None::<String>);
    let reset_all = {
        let (generation, lessons) = (generation.clone(), props.lessons);
        Callback::from(move |_: MouseEvent| {
            for l in lessons {
                progress::reset(&l.id);
            }
            generation.set(*generation + 1);
        })
    };
    let on_pick = {
        let open_error = open_error.clone();
        Callback::from(move |e: Event| {
            let open_error = open_error.clone();
            crate::browser::read_chosen_file(&e, move |name, text| {
                match text.and_then(|t| crate::course::open(&name, &t)) {
                    Ok(id) => crate::browser::navigate(&Route::Lesson(id)),
                    Err(why) => open_error.set(Some(why)),
                }
            })
        })
    };
    let mut started = false;
    let cards: Vec<Html> = props
        .lessons
        .iter()
        .enumerate()
        .map(|(i, lesson)| {
            let (p, _) = progress::load(&lesson.id);
            started |= !p.is_empty();
            let status = if p.is_empty() {
                "Not started".to_string()
            } else {
                let steps = lesson.steps.len() + usize::from(!lesson.quiz.is_empty()) + lesson.challenges.len();
                let score = score_line(lesson, &p);
                format!("{} of {steps} steps seen{}{score}", p.seen.len(), if score.is_empty() { "" } else { " · " })
            };
            html! {
                <li class="lesson-card" key={lesson.id.clone()}>
                    <span class="lesson-number" aria-hidden="true">{i + 1}</span>
                    <div>
                        <h2><a href={Route::Lesson(lesson.id.clone()).href()}>{&lesson.title}</a></h2>
                        <p>{&lesson.summary}</p>
                        <p class="meta">{format!("{} · about {} min", lesson.level.label(), lesson.minutes)}</p>
                        // Progress is the learner's, in their browser: a prerendered page has none.
                        if !crate::browser::prerendering() { <p class="progress">{status}</p> }
                    </div>
                </li>
            }
        })
        .collect();
    html! {
        <section class="catalogue" aria-labelledby="catalogue-title">
            <h1 id="catalogue-title" tabindex="-1">{"Lessons"}</h1>
            <p class="lede">
                {"Ship a new version without dropping a single request. Each lesson breaks a deployment on a simulated \
                  Kubernetes cluster, shows you which requests failed and why, then lets you fix it."}
            </p>
            <ol class="lesson-list">{ for cards }</ol>
            <div class="files">
                if started { <button type="button" onclick={reset_all}>{"Reset all progress"}</button> }
                <label class="open-file" for="lesson-open">{"Open a lesson file"}</label>
                <input id="lesson-open" type="file" accept=".md,text/markdown" onchange={on_pick} />
                <span class="hint">{"For course authors: try a lesson file of your own (see the README for the format)."}</span>
            </div>
            if let Some(why) = (*open_error).clone() {
                <p class="notice" role="alert">{format!("This lesson file cannot be opened: {why}")}</p>
            }
        </section>
    }
}
