//! The teacher's guide (`docs/teaching.md`), written from the lesson files so it cannot drift
//! from them: per lesson its time, prerequisites, goals with the items that assess each, the
//! misconceptions its wrong options name, discussion prompts, and an answer key whose simulated
//! answers the core computes here. `tests/guide.rs` keeps the committed file up to date.
use super::lesson::Lesson;
use super::measure::Run;
use super::quiz::{Kind, Question};
use std::fmt::Write;

pub fn teaching_guide(lessons: &[Lesson]) -> String {
    let minutes: u32 = lessons.iter().map(|l| l.minutes).sum();
    let mut out = String::from(INTRO);
    let _ = writeln!(
        out,
        "\n{} lessons, about {} hours in all.\n\n| # | Lesson | Level | Minutes | Builds on |\n|---|---|---|---|---|",
        lessons.len(),
        (minutes + 30) / 60
    );
    for l in lessons {
        let _ = writeln!(
            out,
            "| {} | {} | {} | {} | {} |",
            l.order,
            l.title,
            l.level.label(),
            l.minutes,
            requires(lessons, l)
        );
    }
    for l in lessons {
        lesson(&mut out, lessons, l);
    }
    out
}

const INTRO: &str = "# Teaching with Rollout Lab

This guide is written from the lesson files by `cargo test` (see `tests/guide.rs`): every answer
below is the one the page grades with, and every simulated figure is what the simulation computes.
Change a lesson and the test tells you to write this file again.

**How grading works.** A learner's first attempt at each question is its score, and that is what
SCORM and xAPI report; a first wrong try is told the misconception its choice shows, not the
answer, which comes after a second try or on *Show the answer* (which scores nothing). Predictions
are locked in before the run that answers them plays. Simulated questions draw new numbers on every
attempt, so an answer cannot be passed around. Challenges are graded by running the scenario with
the learner's settings; they offer only the team's settings, never the world (traffic, network, the
new build's health), and a check fails if anything outside its controls changed or the deploy
stopped serving users. The course summary page (`#/summary`) shows a learner's results to print.
";

fn requires(lessons: &[Lesson], l: &Lesson) -> String {
    let names: Vec<String> = l
        .requires
        .iter()
        .filter_map(|id| lessons.iter().find(|x| &x.id == id))
        .map(|x| format!("{}. {}", x.order, x.title))
        .collect();
    if names.is_empty() {
        "—".into()
    } else {
        names.join("; ")
    }
}

fn lesson(out: &mut String, lessons: &[Lesson], l: &Lesson) {
    let _ = write!(
        out,
        "\n## {}. {}\n\n{} · about {} minutes · builds on: {}. Open it at `#/lesson/{}`.\n\n{}\n\n| Goal | Assessed by |\n|---|---|\n",
        l.order, l.title, l.level.label(), l.minutes, requires(lessons, l), l.id, l.summary
    );
    for (k, goal) in l.goals.iter().enumerate() {
        let mut items: Vec<String> = Vec::new();
        for other in lessons {
            let covers = |c: &Option<(String, usize)>| c.as_ref() == Some(&(l.id.clone(), k + 1));
            let quiz = other
                .quiz
                .iter()
                .filter(|q| covers(&q.covers))
                .map(|q| &q.id);
            let challenges = other
                .challenges
                .iter()
                .filter(|c| covers(&c.covers))
                .map(|c| &c.id);
            for id in quiz.chain(challenges) {
                let place = if other.id == l.id {
                    String::new()
                } else {
                    format!("{}: ", other.title)
                };
                items.push(format!("{place}`{id}`"));
            }
        }
        let _ = writeln!(out, "| {}. {goal} | {} |", k + 1, items.join(", "));
    }
    let misconceptions: Vec<String> = l
        .quiz
        .iter()
        .flat_map(|q| {
            let options = options(q);
            q.misconceptions
                .iter()
                .enumerate()
                .filter_map(move |(i, m)| Some(format!("- *{}* — {}", options[i], m.as_ref()?)))
        })
        .collect();
    if !misconceptions.is_empty() {
        let _ = write!(
            out,
            "\n**Misconceptions the wrong options name**\n\n{}\n",
            misconceptions.join("\n")
        );
    }
    if !l.discuss.is_empty() {
        let prompts: Vec<String> = l.discuss.iter().map(|d| format!("- {d}")).collect();
        let _ = write!(out, "\n**To discuss**\n\n{}\n", prompts.join("\n"));
    }
    out.push_str("\n**Answer key**\n\n");
    for (n, q) in l.quiz.iter().enumerate() {
        let _ = writeln!(
            out,
            "{}. `{}` {} — **{}** {}",
            n + 1,
            q.id,
            q.ask,
            answer(q),
            q.why
        );
    }
    for c in &l.challenges {
        let settings: Vec<String> = c
            .solution
            .iter()
            .map(|(k, v)| format!("`{k}: {v}`"))
            .collect();
        let goals: Vec<String> = c
            .goals
            .iter()
            .map(|(m, limit)| format!("{} {} {limit}", m.label(), m.bound()))
            .collect();
        let _ = write!(
            out,
            "\n*Challenge `{}`: {}.* {} Goals: {}. Reference solution: {}. {}\n",
            c.id,
            c.title,
            c.task,
            goals.join("; "),
            settings.join(", "),
            c.explain.clone().unwrap_or_default()
        );
    }
}

fn options(q: &Question) -> Vec<String> {
    match &q.kind {
        Kind::Choice { options, .. } => options.clone(),
        Kind::Predict { options, .. } => options.iter().map(|b| b.text.clone()).collect(),
        _ => Vec::new(),
    }
}

/// The answer as the page grades it; simulated ones as the core computes them now.
fn answer(q: &Question) -> String {
    match &q.kind {
        Kind::Choice { options, answer } => {
            let right: Vec<&str> = answer.iter().map(|&i| options[i].as_str()).collect();
            right.join("; ")
        }
        Kind::Number { answer, tolerance } if *tolerance > 0.0 => format!(
            "{} (within {})",
            rollout_sim::decimal::short(*answer, 3),
            rollout_sim::decimal::short(*tolerance, 3)
        ),
        Kind::Number { answer, .. } => rollout_sim::decimal::short(*answer, 3),
        Kind::Order { items } => items.join(" → "),
        Kind::Predict {
            run,
            measure,
            options,
        } => match Run::new(&run.scenario, None, &run.settings) {
            Ok(r) => {
                let v = r.value(*measure).unwrap_or(-1);
                let held = options
                    .iter()
                    .find(|b| b.min.is_none_or(|m| v >= m) && b.max.is_none_or(|m| v <= m));
                format!(
                    "{} (the run: {})",
                    held.map_or("none", |b| b.text.as_str()),
                    r.describe(*measure)
                )
            }
            Err(e) => e,
        },
        Kind::Simulate {
            run,
            draw,
            measure,
            tolerance,
        } => {
            // One line per value of the first drawn setting, the rest as first drawn.
            let cases: Vec<String> = draw
                .first()
                .map(|(name, values)| {
                    values
                        .iter()
                        .filter_map(|v| {
                            let mut settings = run.settings.clone();
                            settings.extend(
                                draw.iter()
                                    .skip(1)
                                    .map(|(n, vs)| (n.clone(), vs[0].clone())),
                            );
                            settings.push((name.clone(), v.clone()));
                            let r = Run::new(&run.scenario, None, &settings).ok()?;
                            Some(format!("{name} {v}: {}", r.value(*measure)?))
                        })
                        .collect()
                })
                .unwrap_or_default();
            let within = if *tolerance > 0 {
                format!(", within {tolerance}")
            } else {
                String::new()
            };
            format!("computed per attempt ({}{within})", cases.join("; "))
        }
    }
}
