//! Results told to whoever hosts the page (a course page around an iframe, an LMS): for every
//! change of a lesson's progress, xAPI-shaped statements (answered, passed or failed, completed,
//! scored), and the course's standing, which a SCORM package reports as its score and status.
//! The page does not know who the learner is, so statements carry no actor: the host adds it.
use super::progress::Progress;
use super::Lesson;
use serde_json::{json, Value};

const VERBS: &str = "http://adlnet.gov/expapi/verbs/";
const ACTIVITIES: &str = "http://adlnet.gov/expapi/activities/";

/// What the page tells its host after a change (`browser::report` sends it).
#[derive(Clone, Debug, PartialEq)]
pub struct Report {
    /// xAPI statements.
    pub statements: Vec<Value>,
    pub course: Standing,
}

/// The whole course: questions right and challenges passed, of all there are; lessons completed.
#[derive(Clone, Copy, Debug, Default, PartialEq)]
pub struct Standing {
    pub raw: usize,
    pub max: usize,
    pub completed: usize,
    pub lessons: usize,
}

impl Report {
    pub fn to_json(&self) -> String {
        let c = self.course;
        let course =
            json!({"raw": c.raw, "max": c.max, "completed": c.completed, "lessons": c.lessons});
        json!({"statements": self.statements, "course": course}).to_string()
    }
}

/// What a page offers the learner, and so what its completion and score count: a lesson has
/// steps, questions and challenges; a quiz embedded alone (`#/embed/quiz/<id>`) only questions.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum Scope {
    Lesson,
    Quiz,
}

/// The report after a lesson's progress changed, with the course's standing read from storage
/// (this lesson's from `after`, which may not have been kept); `None` when there is nothing to
/// tell (a step seen that completes nothing).
pub fn after_change(
    lesson: &Lesson,
    scope: Scope,
    before: &Progress,
    after: &Progress,
) -> Option<Report> {
    let statements = statements(
        lesson,
        scope,
        before,
        after,
        &crate::browser::page_base(),
        &crate::browser::now_iso(),
    );
    if statements.is_empty() {
        return None;
    }
    let course = standing(super::catalogue(), |id| match id == lesson.id {
        true => after.clone(),
        false => super::progress::load(id).0,
    });
    Some(Report { statements, course })
}

/// The report when the page opens: no statements, the standing kept from earlier visits.
pub fn on_open() -> Report {
    Report {
        statements: Vec::new(),
        course: standing(super::catalogue(), |id| super::progress::load(id).0),
    }
}

/// The score: questions right (and, for a lesson, challenges passed), of how many.
pub fn score(lesson: &Lesson, scope: Scope, p: &Progress) -> (usize, usize) {
    match scope {
        Scope::Lesson => (
            p.score() + p.passed(),
            lesson.quiz.len() + lesson.challenges.len(),
        ),
        Scope::Quiz => (p.score(), lesson.quiz.len()),
    }
}

/// Completed: every question answered right and, for a lesson, every step seen and every
/// challenge passed.
pub fn completed(lesson: &Lesson, scope: Scope, p: &Progress) -> bool {
    let (raw, max) = score(lesson, scope, p);
    let seen = scope == Scope::Quiz || (0..lesson.steps.len()).all(|k| p.seen.contains(&k));
    seen && raw == max && max > 0
}

pub fn standing<'a>(
    lessons: impl IntoIterator<Item = &'a Lesson>,
    progress: impl Fn(&str) -> Progress,
) -> Standing {
    let mut s = Standing::default();
    for lesson in lessons {
        let p = progress(&lesson.id);
        let (raw, max) = score(lesson, Scope::Lesson, &p);
        s.raw += raw;
        s.max += max;
        s.completed += completed(lesson, Scope::Lesson, &p) as usize;
        s.lessons += 1;
    }
    s
}

/// The statements for a change from `before` to `after`: activity ids are the pages' URLs
/// (`base` is the page's address without its fragment), `now` an ISO 8601 timestamp.
pub fn statements(
    lesson: &Lesson,
    scope: Scope,
    before: &Progress,
    after: &Progress,
    base: &str,
    now: &str,
) -> Vec<Value> {
    let lesson_id = format!("{base}#/lesson/{}", lesson.id);
    let statement = |verb: &str, id: &str, kind: &str, name: &str, result: Value| {
        json!({
            "verb": {"id": format!("{VERBS}{verb}"), "display": {"en-US": verb}},
            "object": {
                "objectType": "Activity",
                "id": id,
                "definition": {"type": format!("{ACTIVITIES}{kind}"), "name": {"en-US": name}},
            },
            "result": result,
            "context": {"contextActivities": {"parent": [{"objectType": "Activity", "id": lesson_id}]}},
            "timestamp": now,
        })
    };
    let mut out = Vec::new();
    for q in &lesson.quiz {
        match after.answers.get(&q.id) {
            Some(a) if before.answers.get(&q.id) != Some(a) => out.push(statement(
                "answered",
                &format!("{lesson_id}/quiz/{}", q.id),
                "cmi.interaction",
                &q.ask,
                json!({"success": a.correct, "response": a.given}),
            )),
            _ => {}
        }
    }
    for c in &lesson.challenges {
        match after.challenges.get(&c.id) {
            Some(r) if before.challenges.get(&c.id) != Some(r) => out.push(statement(
                if r.passed { "passed" } else { "failed" },
                &format!("{lesson_id}/challenge/{}", c.id),
                "performance",
                &c.title,
                json!({"success": r.passed, "response": r.summary}),
            )),
            _ => {}
        }
    }
    // What completes and scores: the lesson, or its quiz alone.
    let (whole, kind, name) = match scope {
        Scope::Lesson => (lesson_id.clone(), "lesson", lesson.title.clone()),
        Scope::Quiz => (
            format!("{lesson_id}/quiz"),
            "assessment",
            format!("{}: quiz", lesson.title),
        ),
    };
    let (raw, max) = score(lesson, scope, after);
    // xAPI's scaled score, to four decimals.
    let scaled = (raw as f64 / max.max(1) as f64 * 10_000.0).round() / 10_000.0;
    let score_of = json!({"raw": raw, "min": 0, "max": max, "scaled": scaled});
    if completed(lesson, scope, after) && !completed(lesson, scope, before) {
        let result = json!({"completion": true, "success": true, "score": score_of});
        out.push(statement("completed", &whole, kind, &name, result));
    }
    if score(lesson, scope, before).0 != raw || !out.is_empty() {
        out.push(statement(
            "scored",
            &whole,
            kind,
            &name,
            json!({"score": score_of}),
        ));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::course::progress::{Answer, Checked};

    fn lesson() -> &'static Lesson {
        crate::course::catalogue()
            .iter()
            .find(|l| !l.quiz.is_empty() && !l.challenges.is_empty())
            .expect("a lesson with a quiz and a challenge")
    }

    /// The statements as sent, read back by a strict JSON parser.
    fn read(statements: &[Value]) -> Vec<serde_json::Value> {
        statements
            .iter()
            .map(|s| serde_json::from_str(&s.to_string()).expect("JSON"))
            .collect()
    }

    fn text(v: &serde_json::Value, path: &[&str]) -> String {
        let mut v = v;
        for key in path {
            v = v.get(key).unwrap_or_else(|| panic!("{path:?} in {v:?}"));
        }
        v.as_str()
            .map(str::to_string)
            .unwrap_or_else(|| v.to_string())
    }

    #[test]
    fn each_change_is_told_once_with_its_verb_object_and_result() {
        let l = lesson();
        let before = Progress::default();
        let mut after = before.clone();
        after.answers.insert(
            l.quiz[0].id.clone(),
            Answer::attempt(true, "B \"quoted\"".into(), 1),
        );
        let s = read(&statements(
            l,
            Scope::Lesson,
            &before,
            &after,
            "https://x.org/c/",
            "2026-11-22T10:00:00.000Z",
        ));
        assert_eq!(s.len(), 2, "answered, then the lesson's new score");
        assert_eq!(
            text(&s[0], &["verb", "id"]),
            "http://adlnet.gov/expapi/verbs/answered"
        );
        assert_eq!(
            text(&s[0], &["object", "id"]),
            format!("https://x.org/c/#/lesson/{}/quiz/{}", l.id, l.quiz[0].id)
        );
        assert_eq!(
            text(&s[0], &["object", "definition", "name", "en-US"]),
            l.quiz[0].ask
        );
        assert_eq!(text(&s[0], &["result", "response"]), "B \"quoted\"");
        assert_eq!(text(&s[1], &["verb", "display", "en-US"]), "scored");
        assert_eq!(text(&s[1], &["result", "score", "raw"]), "1");
        // Nothing changed, nothing told.
        assert!(statements(l, Scope::Lesson, &after, &after, "", "").is_empty());
        // Embedded alone, the quiz is what scores: of its questions only, under its own id.
        let q = read(&statements(l, Scope::Quiz, &before, &after, "b", "t"));
        assert_eq!(
            text(&q[1], &["object", "id"]),
            format!("b#/lesson/{}/quiz", l.id)
        );
        assert_eq!(
            text(&q[1], &["result", "score", "max"]),
            l.quiz.len().to_string()
        );
    }

    #[test]
    fn a_lesson_completes_once_when_everything_is_seen_right_and_passed() {
        let l = lesson();
        let mut before = Progress::default();
        for k in 0..l.steps.len() {
            before.see(k);
        }
        for q in &l.quiz {
            before
                .answers
                .insert(q.id.clone(), Answer::attempt(true, String::new(), 1));
        }
        let mut after = before.clone();
        let failed = Checked {
            passed: false,
            summary: "failed requests: 3".into(),
        };
        after.challenges.insert(l.challenges[0].id.clone(), failed);
        let s = read(&statements(l, Scope::Lesson, &before, &after, "", "t"));
        assert_eq!(text(&s[0], &["verb", "display", "en-US"]), "failed");
        assert!(!completed(l, Scope::Lesson, &after));
        assert!(completed(l, Scope::Quiz, &after), "every question is right");
        let mut done = after.clone();
        for c in &l.challenges {
            done.challenges.insert(
                c.id.clone(),
                Checked {
                    passed: true,
                    summary: String::new(),
                },
            );
        }
        let verbs: Vec<String> = read(&statements(l, Scope::Lesson, &after, &done, "", "t"))
            .iter()
            .map(|s| text(s, &["verb", "display", "en-US"]))
            .collect();
        let mut want = vec!["passed"; l.challenges.len()];
        want.extend(["completed", "scored"]);
        assert_eq!(verbs, want);
        let (raw, max) = score(l, Scope::Lesson, &done);
        assert_eq!(raw, max);
        let course = standing([l, l], |_| done.clone());
        assert_eq!(
            course,
            Standing {
                raw: 2 * raw,
                max: 2 * max,
                completed: 2,
                lessons: 2
            }
        );
    }
}
