//! One quiz question: the learner answers, the question grades it (running the core for predict
//! and simulated kinds) and says why. Every input has a visible label and works by keyboard.
use crate::course::progress::Answer;
use crate::course::quiz::{Given, Kind, Question};
use yew::prelude::*;

#[derive(Properties, PartialEq)]
pub struct QuestionProps {
    pub question: &'static Question,
    /// Position in the quiz, from 1; 0 for a step's prediction, asked outside the quiz.
    pub number: usize,
    pub saved: Option<Answer>,
    pub on_answer: Callback<Answer>,
}

#[function_component]
pub fn QuestionView(props: &QuestionProps) -> Html {
    let q = props.question;
    // A saved attempt keeps its numbers after a reload; a new one draws afresh.
    let seed = use_state(|| {
        props
            .saved
            .as_ref()
            .map_or_else(crate::browser::random_seed, |a| a.seed)
    });
    let drawn = use_memo(*seed, |s| q.draw(*s));
    let picked = use_state(Vec::<usize>::new);
    let text = use_state(String::new);
    // Items as the learner has arranged them, starting from a shuffle drawn from the attempt.
    let arranged = use_state(|| match &q.kind {
        Kind::Order { items } => shuffled(items.len(), *seed),
        _ => Vec::new(),
    });
    // What the feedback line says now, and whether it says the answer was right.
    let verdict = use_state(|| None::<(bool, String)>);
    let hint = use_state(|| false);
    let id = format!("q-{}", q.id);
    let check = {
        let (picked, text, arranged, verdict, drawn) = (
            picked.clone(),
            text.clone(),
            arranged.clone(),
            verdict.clone(),
            drawn.clone(),
        );
        let on_answer = props.on_answer.clone();
        let saved = props.saved.clone();
        Callback::from(move |_: MouseEvent| {
            let (given, shown) = match given(q, &picked, &arranged, &text) {
                Ok(g) => g,
                Err(why) => {
                    verdict.set(Some((false, why.into())));
                    return;
                }
            };
            let v = q.grade(&given, &drawn);
            // A first wrong attempt is told it is wrong, not the answer; a prediction is locked
            // in, so its run is shown whatever was predicted.
            let tried = saved.as_ref().is_some_and(|a| a.attempts > 0 || a.revealed);
            let predicted = matches!(q.kind, Kind::Predict { .. });
            let feedback = if v.correct || tried || predicted {
                v.revealed()
            } else {
                v.withheld()
            };
            on_answer.emit(Answer::attempt(v.correct, shown, drawn.seed));
            verdict.set(Some((v.correct, feedback)));
        })
    };
    let show = show_answer(q, verdict.clone(), drawn.clone(), props.on_answer.clone());
    let body = match &q.kind {
        Kind::Choice { options, answer } => {
            let options: Vec<&str> = options.iter().map(String::as_str).collect();
            choices(&id, &options, answer.len() > 1, &picked)
        }
        Kind::Predict { options, .. } => {
            let options: Vec<&str> = options.iter().map(|b| b.text.as_str()).collect();
            choices(&id, &options, false, &picked)
        }
        Kind::Order { items } => ordering(items, &arranged),
        Kind::Number { .. } | Kind::Simulate { .. } => number_field(&id, &text),
    };
    let again = {
        let (seed, verdict, text) = (seed.clone(), verdict.clone(), text.clone());
        Callback::from(move |_: MouseEvent| {
            seed.set(*seed + 1);
            verdict.set(None);
            text.set(String::new());
        })
    };
    let answered_right = verdict.as_ref().is_some_and(|(ok, _)| *ok)
        || props.saved.as_ref().is_some_and(|a| a.correct);
    let (check_label, simulated) = match q.kind {
        Kind::Predict { .. } => ("Lock in my prediction and run it", false),
        Kind::Simulate { .. } => ("Check against the simulation", true),
        _ => ("Check", false),
    };
    html! {
        <section class="question" aria-labelledby={format!("{id}-ask")}>
            <h3 id={format!("{id}-ask")}>{ match props.number { 0 => drawn.ask.clone(), n => format!("{n}. {}", drawn.ask) } }</h3>
            if let Some(m) = &q.manifest {
                <pre class="manifest" tabindex="0" aria-label="The manifest this question is about"><code>{m}</code></pre>
            }
            { body }
            <div class="question-actions">
                <button type="button" class="primary" onclick={check}>{check_label}</button>
                if simulated { <button type="button" onclick={again}>{"New numbers"}</button> }
                if !answered_right {
                    <button type="button" onclick={show} title="Shows the answer; the question then scores no point">{"Show the answer"}</button>
                }
                if let Some(h) = &q.hint {
                    if *hint { <p class="hint">{format!("Hint: {h}")}</p> }
                    else { <button type="button" onclick={let hint = hint.clone(); move |_| hint.set(true)}>{"Show a hint"}</button> }
                }
            </div>
            <p class={classes!("feedback", verdict.as_ref().map(|(ok, _)| if *ok { "ok" } else { "wrong" }))} role="status">
                { match (&*verdict, &props.saved) {
                    (Some((_, text)), _) => text.clone(),
                    (None, Some(a)) if a.revealed && !a.correct => "You asked for the answer; this question scores no point.".to_string(),
                    (None, Some(a)) => format!("You answered “{}”: {}", a.given, if a.correct { "correct." } else { "not quite — try again." }),
                    _ => String::new(),
                } }
            </p>
            if let Some(a) = props.saved.as_ref().filter(|a| a.attempts > 1 || a.revealed) {
                <p class="attempts">{ format!("Scored on your first attempt: {}.", if a.first { "right" } else { "no point" }) }</p>
            }
        </section>
    }
}

/// "Show the answer": the verdict's answer and why, recorded as an attempt that scores nothing.
fn show_answer(
    q: &'static Question,
    verdict: UseStateHandle<Option<(bool, String)>>,
    drawn: std::rc::Rc<crate::course::quiz::Drawn>,
    on_answer: Callback<Answer>,
) -> Callback<MouseEvent> {
    Callback::from(move |_: MouseEvent| {
        // Graded against nothing, the verdict still carries the answer and why.
        let nothing = match q.kind {
            Kind::Choice { .. } | Kind::Predict { .. } => Given::Picked(Vec::new()),
            Kind::Order { .. } => Given::Order(Vec::new()),
            Kind::Number { .. } | Kind::Simulate { .. } => Given::Number(f64::NAN),
        };
        let v = q.grade(&nothing, &drawn);
        on_answer.emit(Answer {
            revealed: true,
            ..Answer::attempt(false, "(answer shown)".into(), drawn.seed)
        });
        verdict.set(Some((false, v.shown())));
    })
}

/// What the learner gave, and how it reads back to them; or why it cannot be graded yet.
fn given(
    q: &Question,
    picked: &[usize],
    arranged: &[usize],
    text: &str,
) -> Result<(Given, String), &'static str> {
    let given = match &q.kind {
        Kind::Choice { options, .. } => (
            Given::Picked(picked.to_vec()),
            picked
                .iter()
                .map(|&i| options[i].as_str())
                .collect::<Vec<_>>()
                .join("; "),
        ),
        Kind::Predict { options, .. } => (
            Given::Picked(picked.to_vec()),
            picked
                .first()
                .map(|&i| options[i].text.clone())
                .unwrap_or_default(),
        ),
        Kind::Order { items } => (
            Given::Order(arranged.to_vec()),
            arranged
                .iter()
                .map(|&i| items[i].as_str())
                .collect::<Vec<_>>()
                .join(" → "),
        ),
        Kind::Number { .. } | Kind::Simulate { .. } => {
            match rollout_sim::decimal::parse(text.trim()) {
                Some(n) => (Given::Number(n), text.trim().to_string()),
                None => return Err("Write a number, such as 4 or 2.5."),
            }
        }
    };
    if matches!(given.0, Given::Picked(ref p) if p.is_empty()) {
        return Err("Choose an answer first.");
    }
    Ok(given)
}

/// Radio buttons for one answer, checkboxes for "choose all".
fn choices(id: &str, options: &[&str], several: bool, picked: &UseStateHandle<Vec<usize>>) -> Html {
    let choose = |i: usize| {
        let picked = picked.clone();
        Callback::from(move |_: Event| {
            let mut p = if several {
                (*picked).clone()
            } else {
                Vec::new()
            };
            match p.iter().position(|&x| x == i) {
                Some(k) if several => {
                    p.remove(k);
                }
                _ => p.push(i),
            }
            picked.set(p);
        })
    };
    html! {
        <fieldset>
            <legend>{if several { "Choose every right answer" } else { "Choose one" }}</legend>
            { for options.iter().enumerate().map(|(i, o)| {
                let input_id = format!("{id}-{i}");
                html! {
                    <div class="option">
                        <input type={if several { "checkbox" } else { "radio" }} id={input_id.clone()} name={id.to_string()}
                            checked={picked.contains(&i)} onchange={choose(i)} />
                        <label for={input_id}>{*o}</label>
                    </div>
                }
            }) }
        </fieldset>
    }
}

/// The items in the learner's order, each with buttons to move it up or down.
fn ordering(items: &[String], arranged: &UseStateHandle<Vec<usize>>) -> Html {
    html! {
        <ol class="ordering">
            { for arranged.iter().enumerate().map(|(pos, &item)| {
                let mover = |to: isize| {
                    let arranged = arranged.clone();
                    Callback::from(move |_: MouseEvent| {
                        let mut a = (*arranged).clone();
                        let other = pos as isize + to;
                        if other >= 0 && (other as usize) < a.len() {
                            a.swap(pos, other as usize);
                            arranged.set(a);
                        }
                    })
                };
                let name = &items[item];
                html! {
                    <li>
                        <span>{name}</span>
                        <button type="button" aria-label={format!("Move “{name}” up")} disabled={pos == 0} onclick={mover(-1)}>{"↑"}</button>
                        <button type="button" aria-label={format!("Move “{name}” down")} disabled={pos + 1 == items.len()} onclick={mover(1)}>{"↓"}</button>
                    </li>
                }
            }) }
        </ol>
    }
}

fn number_field(id: &str, text: &UseStateHandle<String>) -> Html {
    let text = text.clone();
    html! {
        <div class="knob">
            <label for={format!("{id}-answer")}>{"Your answer"}</label>
            <input id={format!("{id}-answer")} type="text" inputmode="decimal" size="8" value={(*text).clone()}
                oninput={Callback::from(move |e: InputEvent| text.set(crate::browser::input_value(&e).unwrap_or_default()))} />
        </div>
    }
}

/// A shuffle of 0..n that is never the right order (for n ≥ 2).
fn shuffled(n: usize, seed: u64) -> Vec<usize> {
    let mut rng = rollout_sim::rng::Rng::new(seed ^ 0x5eed);
    let mut v: Vec<usize> = (0..n).collect();
    for i in (1..n).rev() {
        v.swap(i, rng.below(i + 1));
    }
    if n > 1 && v.iter().copied().eq(0..n) {
        v.swap(0, 1);
    }
    v
}
