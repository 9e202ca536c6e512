//! Lessons are data: one Markdown file per lesson in lessons/, with YAML front matter between
//! `---` lines. Each `## ` section of the prose is a step; the front matter adds what a step's lab
//! shows, the quiz and the challenges. They are compiled into the site so it works offline, and an
//! author can open a file of their own; see README.md for the format.
use super::challenge::{challenge, Challenge};
use super::quiz::{question, Question};
use rollout_sim::yaml::{self, read, SourceError};
use std::sync::OnceLock;

include!(concat!(env!("OUT_DIR"), "/lessons.rs"));

#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Level {
    Beginner,
    Intermediate,
    Advanced,
}

impl Level {
    pub fn label(&self) -> &'static str {
        match self {
            Level::Beginner => "Beginner",
            Level::Intermediate => "Intermediate",
            Level::Advanced => "Advanced",
        }
    }
}

/// What a course author writes in the front matter.
struct FrontMatter {
    id: String,
    title: String,
    summary: String,
    level: Level,
    minutes: u32,
    order: u32,
    goals: Vec<String>,
    requires: Vec<String>,
    discuss: Vec<String>,
    labs: Vec<(String, Lab, Option<String>)>,
    quiz: Vec<Question>,
    challenges: Vec<Challenge>,
}

const FIELDS: [&str; 12] = [
    "requires",
    "discuss",
    "id",
    "title",
    "summary",
    "level",
    "minutes",
    "order",
    "goals",
    "steps",
    "quiz",
    "challenges",
];

/// The lab inside a step: a built-in scenario and what of it the learner sees.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Lab {
    pub scenario: String,
    /// Settings changed from the scenario's as the step opens.
    pub settings: Vec<(String, String)>,
    /// Settings (names as in `Knobs::set`) and panels shown.
    pub controls: Vec<String>,
}

fn front_matter(v: &read::Value) -> read::R<FrontMatter> {
    let o = read::Obj::new(v, "")?;
    if let Some(k) = o.unknown(&FIELDS).into_iter().next() {
        return Err((
            o.at(&k),
            format!("unknown field `{k}`, expected one of {}", FIELDS.join(", ")),
        ));
    }
    let number = |key: &str| o.uint(key)?.ok_or_else(|| o.missing(key));
    Ok(FrontMatter {
        id: o.required_string("id")?,
        title: o.required_string("title")?,
        summary: o.required_string("summary")?,
        level: match o.word("level", &["beginner", "intermediate", "advanced"])? {
            Some(0) => Level::Beginner,
            Some(1) => Level::Intermediate,
            Some(_) => Level::Advanced,
            None => return Err(o.missing("level")),
        },
        minutes: number("minutes")?,
        order: number("order")?,
        goals: o
            .scalars("goals", |v| v.as_str().map(str::to_string), "a string")?
            .unwrap_or_default(),
        requires: o
            .scalars(
                "requires",
                |v| v.as_str().map(str::to_string),
                "a lesson id",
            )?
            .unwrap_or_default(),
        discuss: o
            .scalars("discuss", |v| v.as_str().map(str::to_string), "a string")?
            .unwrap_or_default(),
        labs: o.list("steps", |s| {
            let spec = super::read::run_spec(s)?;
            Ok((
                s.required_string("title")?,
                Lab {
                    scenario: spec.scenario,
                    settings: spec.settings,
                    controls: super::read::controls(s)?,
                },
                s.string("predict")?,
            ))
        })?,
        quiz: o.list("quiz", question)?,
        challenges: o.list("challenges", challenge)?,
    })
}

#[derive(Clone, Debug, PartialEq)]
pub struct Lesson {
    pub id: String,
    pub title: String,
    pub summary: String,
    pub level: Level,
    pub minutes: u32,
    /// Position in the catalogue.
    pub order: u32,
    /// What the learner can do afterwards.
    pub goals: Vec<String>,
    /// Lessons to take first, by id.
    pub requires: Vec<String>,
    /// Questions for a class to discuss after the lesson (in the teacher's guide).
    pub discuss: Vec<String>,
    /// The prose, one step per `## ` section (text before the first goes with the first).
    pub steps: Vec<Step>,
    pub quiz: Vec<Question>,
    pub challenges: Vec<Challenge>,
}

#[derive(Clone, Debug, PartialEq)]
pub struct Step {
    pub title: String,
    /// Markdown, rendered without raw HTML.
    pub body: String,
    pub lab: Option<Lab>,
    /// The id of the prediction (a `predict` question of the quiz, on this lab's run) the
    /// learner commits to before the step's prose and lab open.
    pub predict: Option<String>,
}

impl Step {
    /// The prose after its `## ` heading, for a page that shows the heading apart (above the
    /// step's lab).
    pub fn body_after_heading(&self) -> &str {
        match self.body.strip_prefix("## ") {
            Some(rest) => rest.split_once('\n').map_or("", |(_, after)| after),
            None => &self.body,
        }
    }
}

impl Lesson {
    /// The whole prose, as the file has it.
    pub fn body(&self) -> String {
        self.steps.iter().map(|s| s.body.as_str()).collect()
    }

    /// Settings and panels shown at step `k`: everything earlier steps showed, and its own.
    pub fn controls_at(&self, k: usize) -> Vec<String> {
        let mut out: Vec<String> = Vec::new();
        for step in self.steps.iter().take(k + 1) {
            for c in step.lab.iter().flat_map(|l| &l.controls) {
                if !out.contains(c) {
                    out.push(c.clone());
                }
            }
        }
        out
    }
}

/// Splits the prose at `## ` headings outside code blocks.
fn sections(body: &str) -> Vec<(String, String)> {
    let mut out: Vec<(String, String)> = Vec::new();
    let mut fenced = false;
    for line in body.split_inclusive('\n') {
        fenced ^= line.trim_start().starts_with("```");
        match line.strip_prefix("## ").filter(|_| !fenced) {
            Some(title) => out.push((title.trim().to_string(), line.to_string())),
            None => match out.last_mut() {
                Some((_, b)) => b.push_str(line),
                None => out.push((String::new(), line.to_string())),
            },
        }
    }
    // Text before the first heading belongs to the first step.
    if out.len() > 1 && out[0].0.is_empty() {
        let (_, intro) = out.remove(0);
        out[0].1.insert_str(0, &intro);
    }
    out
}

/// Parses one lesson file. Errors carry the line and column in the file as the author sees it.
pub fn parse(text: &str) -> Result<Lesson, SourceError> {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let rest = text
        .strip_prefix("---\n")
        .or_else(|| text.strip_prefix("---\r\n"))
        .ok_or_else(|| {
            SourceError::new(
                1,
                1,
                "a lesson starts with a `---` line, then its front matter",
            )
        })?;
    let (front, body) = split_at_closing_fence(rest).ok_or_else(|| {
        SourceError::new(
            1,
            1,
            "the front matter is not closed: add a `---` line after it",
        )
    })?;
    let mut fm = yaml::read(front, 2, front_matter)?;
    // `covers: 2` is the lesson's own second goal.
    let goals = fm.goals.len();
    let own = fm.id.clone();
    let covers = fm.quiz.iter_mut().map(|q| (&q.id, &mut q.covers));
    let covers = covers.chain(fm.challenges.iter_mut().map(|c| (&c.id, &mut c.covers)));
    for (id, c) in covers {
        if let Some((lesson, goal)) = c.as_mut().filter(|(l, _)| l.is_empty() || *l == own) {
            if *goal > goals {
                let line = front.lines().position(|l| l.contains(&format!("id: {id}")));
                let line = line.unwrap_or(0) as u64 + 2;
                return Err(SourceError::new(
                    line,
                    1,
                    format!("`{id}` covers goal {goal}, but the lesson has {goals} goals"),
                ));
            }
            lesson.clone_from(&own);
        }
    }
    let id_ok = !fm.id.is_empty()
        && fm
            .id
            .chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-');
    if !id_ok {
        return Err(SourceError::new(
            2,
            1,
            format!(
                "id {:?} must be lowercase letters, digits and dashes",
                fm.id
            ),
        ));
    }
    if let Some((at, why)) = crate::markdown::unsupported(body) {
        let line = text[..text.len() - body.len() + at].matches('\n').count() + 1;
        return Err(SourceError::new(line as u64, 1, why));
    }
    let mut steps: Vec<Step> = sections(body.trim_start_matches(['\r', '\n']))
        .into_iter()
        .map(|(title, body)| Step {
            title,
            body,
            lab: None,
            predict: None,
        })
        .collect();
    for (title, lab, predict) in fm.labs {
        // Point at the step's title in the front matter.
        let at = || {
            let line = front.lines().position(|l| l.contains(title.as_str()));
            line.unwrap_or(0) as u64 + 2
        };
        let step = steps.iter_mut().find(|s| s.title == title).ok_or_else(|| {
            SourceError::new(
                at(),
                1,
                format!("no `## {title}` section in the lesson for this step"),
            )
        })?;
        if let Some(id) = &predict {
            prediction_fits(&fm.quiz, id, &lab).map_err(|m| SourceError::new(at(), 1, m))?;
        }
        step.lab = Some(lab);
        step.predict = predict;
    }
    Ok(Lesson {
        id: fm.id,
        title: fm.title,
        summary: fm.summary,
        level: fm.level,
        minutes: fm.minutes,
        order: fm.order,
        goals: fm.goals,
        requires: fm.requires,
        discuss: fm.discuss,
        steps,
        quiz: fm.quiz,
        challenges: fm.challenges,
    })
}

/// A step's prediction is a `predict` question of the quiz that runs the step's own lab, so what
/// the learner predicts is what the lab then plays.
fn prediction_fits(quiz: &[Question], id: &str, lab: &Lab) -> Result<(), String> {
    let q = quiz
        .iter()
        .find(|q| q.id == id)
        .ok_or_else(|| format!("the step predicts `{id}`, which is not a question of the quiz"))?;
    match &q.kind {
        super::quiz::Kind::Predict { run, .. }
            if run.scenario == lab.scenario && run.settings == lab.settings =>
        {
            Ok(())
        }
        super::quiz::Kind::Predict { .. } => Err(format!(
            "the step predicts `{id}`, whose run is not this step's lab (scenario `{}` with its settings)",
            lab.scenario
        )),
        _ => Err(format!("the step predicts `{id}`, which is not a `predict` question")),
    }
}

impl Lesson {
    /// Whether a step asks question `q` before its lab.
    pub fn asked_by_a_step(&self, q: &Question) -> bool {
        self.steps.iter().any(|s| s.predict.as_ref() == Some(&q.id))
    }

    /// The questions the quiz page asks: all but those a step asks before its lab.
    pub fn quiz_page(&self) -> impl Iterator<Item = (usize, &Question)> {
        self.quiz
            .iter()
            .enumerate()
            .filter(move |(_, q)| !self.asked_by_a_step(q))
    }
}

fn split_at_closing_fence(rest: &str) -> Option<(&str, &str)> {
    let mut offset = 0;
    for line in rest.split_inclusive('\n') {
        if line.trim_end() == "---" {
            return Some((&rest[..offset], &rest[offset + line.len()..]));
        }
        offset += line.len();
    }
    None
}

/// The built-in lessons, in catalogue order. A built-in file that fails to parse is reported in
/// `catalogue_errors` (the tests keep that list empty) rather than taking the site down.
pub fn catalogue() -> &'static [Lesson] {
    &built_in().0
}

pub fn catalogue_errors() -> &'static [(String, SourceError)] {
    &built_in().1
}

pub fn find(id: &str) -> Option<&'static Lesson> {
    catalogue()
        .iter()
        .find(|l| l.id == id)
        .or_else(|| OPENED.with(|o| o.borrow().iter().rev().find(|l| l.id == id).copied()))
}

thread_local! {
    /// Lesson files an author opened during this visit, as `#/lesson/file:<id>`.
    static OPENED: std::cell::RefCell<Vec<&'static Lesson>> = const { std::cell::RefCell::new(Vec::new()) };
}

/// Checks an author's lesson file and keeps it for this visit; the id to open it by, or the
/// error with its line and column.
pub fn open(file_name: &str, text: &str) -> Result<String, String> {
    let mut lesson = parse(text).map_err(|e| format!("{file_name}: {e}"))?;
    lesson.id = format!("file:{}", lesson.id);
    let id = lesson.id.clone();
    let lesson: &'static Lesson = Box::leak(Box::new(lesson));
    OPENED.with(|o| o.borrow_mut().push(lesson));
    Ok(id)
}

type BuiltIn = (Vec<Lesson>, Vec<(String, SourceError)>);

static BUILT_IN: OnceLock<BuiltIn> = OnceLock::new();

thread_local! {
    /// How many built-in scenarios `prepare_next` has read.
    static SCENARIOS_READ: std::cell::Cell<usize> = const { std::cell::Cell::new(0) };
    /// Built-in lesson files parsed ahead of the catalogue by `prepare_next`, in file order.
    static PREPARED: std::cell::RefCell<Vec<Result<Lesson, SourceError>>> =
        const { std::cell::RefCell::new(Vec::new()) };
}

/// Reads the next built-in scenario, then the next built-in lesson file, ahead of the
/// catalogue's first use; false once all are (or the catalogue is built). The app calls it once
/// per task as it starts, so no single task of the page's start parses the whole course (a long
/// task blocks the learner's input). The lessons' labs and challenges name the scenarios, which
/// are read once and kept (`examples::read`).
pub fn prepare_next() -> bool {
    if BUILT_IN.get().is_some() {
        return false;
    }
    let scenario = SCENARIOS_READ.with(|n| {
        let k = n.get();
        n.set(k + 1);
        rollout_sim::lab::examples::ALL.get(k)
    });
    if let Some(example) = scenario {
        let _ = rollout_sim::lab::examples::read(&example.name);
        return true;
    }
    PREPARED.with(|prepared| {
        let mut prepared = prepared.borrow_mut();
        let n = prepared.len();
        match LESSON_FILES.get(n) {
            Some((_, text)) => {
                prepared.push(parse(text));
                n + 1 < LESSON_FILES.len()
            }
            None => false,
        }
    })
}

fn built_in() -> &'static BuiltIn {
    BUILT_IN.get_or_init(|| {
        let mut prepared = PREPARED
            .with(|p| std::mem::take(&mut *p.borrow_mut()))
            .into_iter();
        let mut lessons = Vec::new();
        let mut errors = Vec::new();
        for (name, text) in LESSON_FILES {
            match prepared.next().unwrap_or_else(|| parse(text)) {
                Ok(lesson) => lessons.push(lesson),
                Err(e) => errors.push(((*name).to_string(), e)),
            }
        }
        rollout_sim::order::sort_by(&mut lessons, |a, b| {
            a.order.cmp(&b.order).then_with(|| a.id.cmp(&b.id))
        });
        (lessons, errors)
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    const GOOD: &str = "---\nid: demo\ntitle: Demo\nsummary: S\nlevel: beginner\nminutes: 5\norder: 3\n---\n\n# Body\n";

    #[test]
    fn parses_front_matter_and_body() {
        let lesson = parse(GOOD).unwrap();
        assert_eq!(lesson.id, "demo");
        assert_eq!(lesson.level, Level::Beginner);
        assert_eq!((lesson.minutes, lesson.order), (5, 3));
        assert_eq!(lesson.body(), "# Body\n");
    }

    #[test]
    fn rejects_bad_files_with_positions() {
        let cases = [
            ("no front matter", "# Hello", 1, "starts with a `---` line"),
            ("unclosed", "---\nid: x\n", 1, "not closed"),
            ("bad level", "---\nid: x\ntitle: T\nsummary: S\nlevel: expert\nminutes: 5\norder: 1\n---\n", 5, "unknown value \"expert\""),
            ("unknown field", "---\nid: x\ntitle: T\nsummary: S\nlevel: beginner\nminutes: 5\norder: 1\ncolour: red\n---\n", 8, "unknown field"),
            ("bad id", "---\nid: Not Ok\ntitle: T\nsummary: S\nlevel: beginner\nminutes: 5\norder: 1\n---\n", 2, "lowercase"),
            ("bad setting", "---\nid: x\ntitle: T\nsummary: S\nlevel: beginner\nminutes: 5\norder: 1\nquiz:\n  - id: q\n    ask: A\n    why: W\n    simulate:\n      scenario: recreate\n      settings: { surge: 1, sigterm: sleep }\n      measure: max-pods\n---\n", 14, "sigterm: \"sleep\" is not a valid value"),
            ("bad draw", "---\nid: x\ntitle: T\nsummary: S\nlevel: beginner\nminutes: 5\norder: 1\nquiz:\n  - id: q\n    ask: A\n    why: W\n    simulate:\n      scenario: recreate\n      measure: max-pods\n      draw:\n        replicas: [3, three]\n---\n", 16, "replicas: \"three\" is not a valid value"),
            ("misconception of no option", "---\nid: x\ntitle: T\nsummary: S\nlevel: beginner\nminutes: 5\norder: 1\nquiz:\n  - id: q\n    ask: A\n    options: [Up, Down]\n    answer: Up\n    misconceptions:\n      Maybe: M\n    why: W\n---\n", 14, "\"Maybe\" is not one of the options"),
            ("misconception of the answer", "---\nid: x\ntitle: T\nsummary: S\nlevel: beginner\nminutes: 5\norder: 1\nquiz:\n  - id: q\n    ask: A\n    options: [Up, Down]\n    answer: Up\n    misconceptions:\n      Up: M\n    why: W\n---\n", 14, "is an answer, not a misconception"),
            ("world as a control", "---\nid: x\ntitle: T\nsummary: S\nlevel: beginner\nminutes: 5\norder: 1\nchallenges:\n  - id: c\n    title: C\n    task: T\n    scenario: recreate\n    controls: [strategy, rps]\n    goals: { failed: 0 }\n---\n", 13, "`rps` is the world the challenge runs in"),
            ("control the scenario lacks", "---\nid: x\ntitle: T\nsummary: S\nlevel: beginner\nminutes: 5\norder: 1\nchallenges:\n  - id: c\n    title: C\n    task: T\n    scenario: recreate\n    controls: [canary-weight]\n    goals: { failed: 0 }\n---\n", 13, "`canary-weight` does not exist in scenario `recreate`"),
            ("prediction that is not one", "---\nid: x\ntitle: T\nsummary: S\nlevel: beginner\nminutes: 5\norder: 1\nsteps:\n  - title: Run\n    scenario: recreate\n    predict: q\nquiz:\n  - id: q\n    ask: A\n    number: 3\n    why: W\n---\n\n## Run\n", 9, "which is not a `predict` question"),
            ("prediction of another run", "---\nid: x\ntitle: T\nsummary: S\nlevel: beginner\nminutes: 5\norder: 1\nsteps:\n  - title: Run\n    scenario: recreate\n    settings: { replicas: 5 }\n    predict: q\nquiz:\n  - id: q\n    ask: A\n    predict: { scenario: recreate, measure: failed, options: [{ text: a, max: 0 }, { text: b, min: 1 }] }\n    why: W\n---\n\n## Run\n", 9, "whose run is not this step's lab"),
            ("raw HTML", "---\nid: x\ntitle: T\nsummary: S\nlevel: beginner\nminutes: 5\norder: 1\n---\n\n## A\n\nText.\n\n<div>boxed</div>\n", 14, "raw HTML is shown as text"),
            ("an image", "---\nid: x\ntitle: T\nsummary: S\nlevel: beginner\nminutes: 5\norder: 1\n---\n\n## A\n\nSee ![the chart](chart.png).\n", 12, "images are not shown"),
            ("a script link", "---\nid: x\ntitle: T\nsummary: S\nlevel: beginner\nminutes: 5\norder: 1\n---\n\n## A\n\n[go](javascript:alert(1))\n", 12, "is dropped"),
        ];
        for (name, text, line, message) in cases {
            let err = parse(text).unwrap_err();
            assert_eq!(err.line, line, "{name}: {err}");
            assert!(err.message.contains(message), "{name}: {err}");
        }
    }
}
