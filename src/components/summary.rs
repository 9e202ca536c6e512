//! The course summary (`#/summary`): every lesson's results as the learner's progress keeps them,
//! question by question (first attempt, tries, answers shown) and challenge by challenge, on one
//! page that prints as one sheet for a teacher.
use crate::components::score_line;
use crate::course::progress::{self, Answer, Progress};
use crate::course::Lesson;
use crate::route::Route;
use yew::prelude::*;

#[derive(Properties, PartialEq)]
pub struct SummaryProps {
    pub lessons: &'static [Lesson],
}

#[function_component]
pub fn Summary(props: &SummaryProps) -> Html {
    let all: Vec<(&Lesson, Progress)> = props
        .lessons
        .iter()
        .map(|l| (l, progress::load(&l.id).0))
        .collect();
    let questions: usize = props.lessons.iter().map(|l| l.quiz.len()).sum();
    let challenges: usize = props.lessons.iter().map(|l| l.challenges.len()).sum();
    let right: usize = all.iter().map(|(_, p)| p.score()).sum();
    let passed: usize = all.iter().map(|(_, p)| p.passed()).sum();
    let print = Callback::from(|_: MouseEvent| crate::browser::print());
    html! {
        <section class="summary" aria-labelledby="summary-title">
            <h1 id="summary-title" tabindex="-1">{"Your results"}</h1>
            <p class="lede">{format!(
                "{right} of {questions} questions right at the first attempt · {passed} of {challenges} challenges passed. \
                 The first attempt is the score; later tries and shown answers are listed but never change it."
            )}</p>
            <p class="no-print"><button type="button" onclick={print}>{"Print this summary"}</button></p>
            { for all.iter().map(|(l, p)| lesson(l, p)) }
        </section>
    }
}

fn lesson(l: &'static Lesson, p: &Progress) -> Html {
    let score = score_line(l, p);
    html! {
        <section class="summary-lesson" aria-labelledby={format!("sum-{}", l.id)}>
            <h2 id={format!("sum-{}", l.id)}><a href={Route::Lesson(l.id.clone()).href()}>{format!("{}. {}", l.order, l.title)}</a></h2>
            if p.is_empty() {
                <p>{"Not started."}</p>
            } else {
                <p>{score}</p>
                <table>
                    <thead><tr><th scope="col">{"Question"}</th><th scope="col">{"First attempt"}</th><th scope="col">{"Since"}</th></tr></thead>
                    <tbody>
                        { for l.quiz.iter().map(|q| {
                            let a = p.answers.get(&q.id);
                            // Asked as it was drawn for the learner's attempt.
                            let ask = a.map_or_else(|| q.ask.clone(), |a| q.draw(a.seed).ask);
                            html! { <tr><td>{ask}</td><td>{first(a)}</td><td>{since(a)}</td></tr> }
                        }) }
                    </tbody>
                </table>
                { for l.challenges.iter().map(|c| html! {
                    <p>{format!("Challenge “{}”: {}", c.title, match p.challenges.get(&c.id) {
                        Some(r) if r.passed => "passed".to_string(),
                        Some(r) => format!("not yet ({})", r.summary.replace('\n', "; ")),
                        None => "not tried".to_string(),
                    })}</p>
                }) }
            }
        </section>
    }
}

fn first(a: Option<&Answer>) -> &'static str {
    match a {
        None => "not answered",
        Some(a) if a.first => "right",
        Some(_) => "wrong",
    }
}

fn since(a: Option<&Answer>) -> String {
    match a {
        None => String::new(),
        Some(a) if a.revealed => format!("{} tries; the answer was shown", a.attempts),
        Some(a) if a.attempts > 1 => format!(
            "{} tries; last “{}”: {}",
            a.attempts,
            a.given,
            if a.correct { "right" } else { "wrong" }
        ),
        Some(_) => String::new(),
    }
}
