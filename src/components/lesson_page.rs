//! One lesson, a step at a time: prose with the lab it needs (its settings unlocked step by step),
//! then the quiz, then the challenges. Progress is saved as the learner goes and resumed.
use crate::components::challenge_view::ChallengeView;
use crate::components::question::QuestionView;
use crate::components::Embed;
use crate::components::LabPage;
use crate::course::progress::{self, Progress};
use crate::course::report;
use crate::course::Lesson;
use crate::route::Route;
use std::rc::Rc;
use yew::prelude::*;

#[derive(Properties, PartialEq)]
pub struct LessonPageProps {
    pub lesson: &'static Lesson,
    /// `#/quiz/<id>`: the quiz alone, for a course page that teaches the rest itself.
    #[prop_or_default]
    pub quiz_only: bool,
    /// Inside another site's frame: no way back to the catalogue.
    #[prop_or_default]
    pub embedded: bool,
}

/// The pages of a lesson, in order.
#[derive(Clone, Copy, PartialEq)]
enum Page {
    Prose(usize),
    Quiz,
    Challenge(usize),
}

fn pages(lesson: &Lesson, quiz_only: bool) -> Vec<Page> {
    if quiz_only {
        return vec![Page::Quiz];
    }
    let prose = (0..lesson.steps.len()).map(Page::Prose);
    let quiz = (!lesson.quiz.is_empty()).then_some(Page::Quiz);
    let challenges = (0..lesson.challenges.len()).map(Page::Challenge);
    prose.chain(quiz).chain(challenges).collect()
}

fn title(lesson: &Lesson, page: Page) -> String {
    match page {
        Page::Prose(k) if lesson.steps[k].title.is_empty() => lesson.title.clone(),
        Page::Prose(k) => lesson.steps[k].title.clone(),
        Page::Quiz => "Check your understanding".into(),
        Page::Challenge(k) => format!("Challenge: {}", lesson.challenges[k].title),
    }
}

/// "3 of 5 questions right · 1 of 1 challenge passed", for the lesson and the catalogue.
pub fn score_line(lesson: &Lesson, p: &Progress) -> String {
    let mut parts = Vec::new();
    if !lesson.quiz.is_empty() {
        parts.push(format!(
            "{} of {} questions right",
            p.score(),
            lesson.quiz.len()
        ));
    }
    if !lesson.challenges.is_empty() {
        parts.push(format!(
            "{} of {} challenges passed",
            p.passed(),
            lesson.challenges.len()
        ));
    }
    parts.join(" · ")
}

/// A change to the learner's progress. Each goes through the reducer, so two in one event both
/// count, and each is saved at once and told to the page's host.
enum Change {
    See(usize),
    Answer(String, progress::Answer),
    Checked(String, progress::Checked),
    Reset,
}

#[derive(PartialEq)]
struct LessonState {
    lesson: &'static Lesson,
    scope: report::Scope,
    progress: Progress,
    /// The browser keeps nothing (a sandboxed frame): said once, the lesson still works.
    unsaved: bool,
}

impl Reducible for LessonState {
    type Action = Change;

    fn reduce(self: Rc<Self>, change: Change) -> Rc<Self> {
        let lesson = self.lesson;
        let mut next = self.progress.clone();
        match change {
            Change::See(k) => next.see(k),
            Change::Answer(id, a) => {
                next.record(&id, a);
            }
            Change::Checked(id, r) => {
                next.challenges.insert(id, r);
            }
            Change::Reset => {
                let unsaved = !progress::reset(&lesson.id);
                return Rc::new(LessonState {
                    progress: Progress::default(),
                    unsaved,
                    ..*self
                });
            }
        }
        let unsaved = !progress::save(&lesson.id, &next);
        if let Some(r) = report::after_change(lesson, self.scope, &self.progress, &next) {
            crate::browser::report(&r.to_json());
        }
        Rc::new(LessonState {
            progress: next,
            unsaved,
            ..*self
        })
    }
}

#[function_component]
pub fn LessonPage(props: &LessonPageProps) -> Html {
    let lesson = props.lesson;
    let all = pages(lesson, props.quiz_only);
    let loaded = use_memo(lesson.id.clone(), |id| progress::load(id));
    let scope = match props.quiz_only {
        true => report::Scope::Quiz,
        false => report::Scope::Lesson,
    };
    let state = use_reducer(|| LessonState {
        lesson,
        scope,
        progress: loaded.0.clone(),
        unsaved: false,
    });
    let progress = &state.progress;
    let at = progress.step.min(all.len().saturating_sub(1));
    {
        // The step opened on arrival counts as seen; moving between steps is `go`'s business.
        // The quiz alone is not one of the lesson's steps: it marks none seen.
        let (dispatch, quiz_only) = (state.dispatcher(), props.quiz_only);
        use_effect_with((), move |_| {
            if !quiz_only {
                dispatch.dispatch(Change::See(at))
            }
        });
    }
    let go = |to: usize| {
        let dispatch = state.dispatcher();
        Callback::from(move |_: MouseEvent| {
            dispatch.dispatch(Change::See(to));
            crate::browser::announce_page(true);
        })
    };
    let reset = state
        .dispatcher()
        .to_callback()
        .reform(|_: MouseEvent| Change::Reset);
    let page = all.get(at).copied().unwrap_or(Page::Prose(0));
    html! {
        <article class="lesson">
            if !props.embedded { <p class="breadcrumb"><a href={Route::Catalogue.href()}>{"← All lessons"}</a></p> }
            <h1 tabindex="-1">{&lesson.title}</h1>
            <p class="meta">
                {format!("{} · about {} min · ", lesson.level.label(), lesson.minutes)}
                <a href={Route::Glossary.href()}>{"Glossary"}</a>
            </p>
            if !lesson.requires.is_empty() && !props.quiz_only {
                <p class="requires">{"Builds on: "}
                    { for lesson.requires.iter().filter_map(|id| crate::course::find(id)).enumerate().map(|(i, l)| html! {
                        <>{if i > 0 { ", " } else { "" }}<a href={Route::Lesson(l.id.clone()).href()}>{&l.title}</a></>
                    }) }
                </p>
            }
            if let Some(message) = &loaded.1 { <p class="notice" role="alert">{message}</p> }
            if state.unsaved { <p class="notice">{"This browser does not let the page keep your progress here; it lasts until you leave."}</p> }
            if at == 0 && !lesson.goals.is_empty() && !props.quiz_only {
                <section class="goals" aria-labelledby="goals-title">
                    <h2 id="goals-title">{"You will be able to"}</h2>
                    <ul>{ for lesson.goals.iter().map(|g| html! { <li>{g}</li> }) }</ul>
                </section>
            }
            if all.len() > 1 {
            <nav class="steps" aria-label="Steps">
                <ol>
                    { for all.iter().enumerate().map(|(i, p)| html! {
                        <li class={classes!(progress.seen.contains(&i).then_some("seen"))}>
                            <button type="button" aria-current={(i == at).then_some("step")} onclick={go(i)}>
                                {title(lesson, *p)}
                                if progress.seen.contains(&i) && i != at { <span class="visually-hidden">{" (seen)"}</span> }
                            </button>
                        </li>
                    }) }
                </ol>
            </nav>
            }
            <section class="step" aria-label={format!("Step {} of {}", at + 1, all.len())}>
                { page_content(lesson, page, progress, &state.dispatcher(), props.quiz_only) }
            </section>
            if all.len() > 1 {
            <div class="step-nav">
                if at > 0 { <button type="button" onclick={go(at - 1)}>{"← Previous"}</button> }
                <span>{format!("Step {} of {}", at + 1, all.len())}</span>
                if at + 1 < all.len() { <button type="button" class="primary" onclick={go(at + 1)}>{format!("Next: {} →", title(lesson, all[at + 1]))}</button> }
            </div>
            }
            if !crate::browser::prerendering() {
            <p class="score">
                { score_line(lesson, progress) }
                <button type="button" onclick={reset}>{"Reset this lesson"}</button>
            </p>
            }
            if !props.embedded {
                <Embed pages={vec![("The whole lesson", Route::Lesson(lesson.id.clone())), ("Only its quiz", Route::Quiz(lesson.id.clone()))]}
                    title={lesson.title.clone()} />
            }
        </article>
    }
}

/// One page of the lesson: a step's prose and its lab, the quiz, or a challenge.
fn page_content(
    lesson: &'static Lesson,
    page: Page,
    progress: &Progress,
    dispatch: &UseReducerDispatcher<LessonState>,
    quiz_only: bool,
) -> Html {
    match page {
        Page::Prose(k) => {
            let step = &lesson.steps[k];
            // A step that predicts opens with the prediction; its prose (which may tell the
            // outcome) and its lab follow once the learner has committed.
            let predicted = step
                .predict
                .as_ref()
                .and_then(|id| lesson.quiz.iter().position(|q| &q.id == id));
            let committed =
                predicted.is_none_or(|i| progress.answers.contains_key(&lesson.quiz[i].id));
            html! {
                <>
                    if let Some(i) = predicted {
                        <section class="predict-first" aria-labelledby="predict-first-title">
                            <h2 id="predict-first-title">{format!("Before you run it: {}", step.title)}</h2>
                            { question(lesson, i, 0, progress, dispatch) }
                            if !committed { <p class="notice">{"Lock in a prediction: the explanation and the lab open once you have, and the run then shows what really happens."}</p> }
                        </section>
                    }
                    if committed {
                        if let Some(lab) = &step.lab {
                            // The heading, then the lab and the prose: beside each other on a wide
                            // screen, the stage first on a narrow one.
                            <h2>{&step.title}</h2>
                            <div class="step-with-lab">
                                <div class="step-lab">
                                    if crate::browser::prerendering() {
                                        <p class="hint">{"The lab opens here as soon as the page has loaded."}</p>
                                    } else {
                                    <LabPage key={format!("{}-{k}", lab.scenario)} scenario={Some(lab.scenario.clone())}
                                        embedded={Some(Rc::new(lesson.controls_at(k)))} preset={Some(Rc::new(lab.settings.clone()))} />
                                    }
                                </div>
                                <div class="step-prose">{ crate::markdown::render(step.body_after_heading()) }</div>
                            </div>
                        } else {
                            { crate::markdown::render(&step.body) }
                        }
                    }
                </>
            }
        }
        Page::Quiz => html! {
            <>
                <h2>{"Check your understanding"}</h2>
                // Alone, the quiz asks every question: no step has asked its prediction.
                { for lesson.quiz.iter().enumerate()
                    .filter(|(_, q)| quiz_only || !lesson.asked_by_a_step(q))
                    .enumerate()
                    .map(|(n, (i, _))| question(lesson, i, n + 1, progress, dispatch)) }
            </>
        },
        Page::Challenge(k) => {
            let c = &lesson.challenges[k];
            let id = c.id.clone();
            let on_checked = dispatch
                .to_callback()
                .reform(move |r| Change::Checked(id.clone(), r));
            html! { <ChallengeView key={c.id.clone()} challenge={c} saved={progress.challenges.get(&c.id).cloned()} {on_checked} /> }
        }
    }
}

/// Question `i` of the quiz with its saved answer, numbered `number` (0: a step's prediction).
fn question(
    lesson: &'static Lesson,
    i: usize,
    number: usize,
    progress: &Progress,
    dispatch: &UseReducerDispatcher<LessonState>,
) -> Html {
    let q = &lesson.quiz[i];
    let id = q.id.clone();
    let on_answer = dispatch
        .to_callback()
        .reform(move |a| Change::Answer(id.clone(), a));
    html! { <QuestionView key={q.id.clone()} question={q} {number} saved={progress.answers.get(&q.id).cloned()} {on_answer} /> }
}
