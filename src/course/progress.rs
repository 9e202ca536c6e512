//! A learner's progress, kept in the browser (localStorage), one entry per lesson so a damaged
//! entry never costs another lesson's progress. Entries are versioned JSON; an entry this version
//! cannot read is reset with a message saying so, never a crash.
use rollout_sim::yaml::read::Obj;
use serde_json::json;
use std::collections::BTreeMap;

/// The schema written now. Version 0 was the same without `"v"` (never shipped; read all the same).
const VERSION: i64 = 1;
const PREFIX: &str = "rollout-lab.progress.";

#[derive(Clone, Debug, Default, PartialEq)]
pub struct Progress {
    /// The step the learner was on, and every step seen.
    pub step: usize,
    pub seen: Vec<usize>,
    /// Question id → its attempts: the first one's result is the score, the last one is shown.
    pub answers: BTreeMap<String, Answer>,
    /// Challenge id → the last check.
    pub challenges: BTreeMap<String, Checked>,
}

#[derive(Clone, Debug, PartialEq)]
pub struct Answer {
    /// Whether the last attempt was right.
    pub correct: bool,
    /// What the learner answered last, as shown back to them.
    pub given: String,
    /// The attempt (simulated questions draw their numbers from it).
    pub seed: u64,
    /// Whether the first attempt was right: the score, which later attempts never change.
    pub first: bool,
    /// Attempts so far (a shown answer counts as one).
    pub attempts: u32,
    /// The learner asked to see the answer.
    pub revealed: bool,
}

impl Answer {
    /// One attempt, as the question graded it.
    pub fn attempt(correct: bool, given: String, seed: u64) -> Answer {
        Answer {
            correct,
            given,
            seed,
            first: correct,
            attempts: 1,
            revealed: false,
        }
    }
}

#[derive(Clone, Debug, PartialEq)]
pub struct Checked {
    pub passed: bool,
    /// Every goal with its number, one per line.
    pub summary: String,
}

impl Progress {
    pub fn see(&mut self, step: usize) {
        self.step = step;
        if !self.seen.contains(&step) {
            self.seen.push(step);
        }
    }

    /// Questions answered correctly at the first attempt.
    pub fn score(&self) -> usize {
        self.answers.values().filter(|a| a.first).count()
    }

    /// Records an attempt at question `id`: it becomes what is shown, but the first attempt's
    /// result stays the score, and once the answer was shown it stays shown.
    pub fn record(&mut self, id: &str, attempt: Answer) {
        let merged = match self.answers.get(id) {
            None => attempt,
            Some(before) => Answer {
                first: before.first,
                attempts: before.attempts.saturating_add(1),
                revealed: before.revealed || attempt.revealed,
                ..attempt
            },
        };
        self.answers.insert(id.to_string(), merged);
    }

    pub fn passed(&self) -> usize {
        self.challenges.values().filter(|c| c.passed).count()
    }

    pub fn is_empty(&self) -> bool {
        *self == Progress::default()
    }

    /// Written by hand: a JSON serializer costs more wasm than this whole module.
    pub fn to_json(&self) -> String {
        // Maps filled by insertion: collecting into one would sort (and link a sort per type).
        let mut answers = serde_json::Map::new();
        for (k, a) in &self.answers {
            let answer = json!({"correct": a.correct, "given": a.given, "seed": a.seed,
                "first": a.first, "attempts": a.attempts, "revealed": a.revealed});
            answers.insert(k.clone(), answer);
        }
        let mut challenges = serde_json::Map::new();
        for (k, c) in &self.challenges {
            challenges.insert(k.clone(), json!({"passed": c.passed, "summary": c.summary}));
        }
        json!({
            "v": VERSION,
            "step": self.step,
            "seen": self.seen,
            "answers": answers,
            "challenges": challenges,
        })
        .to_string()
    }

    /// Reads an entry; the error says why it cannot be used.
    pub fn from_json(text: &str) -> Result<Progress, String> {
        let (v, _) = rollout_sim::yaml::parse(text, 1).map_err(|e| e.message)?;
        let bad = |(_, why): (String, String)| why;
        let o = Obj::new(&v, "").map_err(bad)?;
        match o.i64("v").map_err(bad)?.unwrap_or(0) {
            0 | VERSION => {}
            n => {
                return Err(format!(
                    "it was saved by another version of Rollout Lab (format {n})"
                ))
            }
        }
        let mut p = Progress {
            step: o.uint("step").map_err(bad)?.unwrap_or(0) as usize,
            seen: o
                .scalars("seen", |v| v.as_u64().map(|n| n as usize), "a step number")
                .map_err(bad)?
                .unwrap_or_default(),
            ..Progress::default()
        };
        if let Some(a) = o.obj("answers").map_err(bad)? {
            for id in a.unknown(&[]) {
                let e = a.required_obj(&id).map_err(bad)?;
                let correct = e.bool("correct").map_err(bad)?.unwrap_or(false);
                let answer = Answer {
                    correct,
                    given: e.string("given").map_err(bad)?.unwrap_or_default(),
                    seed: e.u64("seed").map_err(bad)?.unwrap_or(0),
                    // Saved before attempts were kept: the one attempt known is the first.
                    first: e.bool("first").map_err(bad)?.unwrap_or(correct),
                    attempts: e.uint("attempts").map_err(bad)?.unwrap_or(1),
                    revealed: e.bool("revealed").map_err(bad)?.unwrap_or(false),
                };
                p.answers.insert(id, answer);
            }
        }
        if let Some(c) = o.obj("challenges").map_err(bad)? {
            for id in c.unknown(&[]) {
                let e = c.required_obj(&id).map_err(bad)?;
                let checked = Checked {
                    passed: e.bool("passed").map_err(bad)?.unwrap_or(false),
                    summary: e.string("summary").map_err(bad)?.unwrap_or_default(),
                };
                p.challenges.insert(id, checked);
            }
        }
        Ok(p)
    }
}

/// This lesson's progress, and a message when what was saved could not be used.
pub fn load(lesson: &str) -> (Progress, Option<String>) {
    match crate::browser::storage_get(&format!("{PREFIX}{lesson}")) {
        None => (Progress::default(), None),
        Some(text) => match Progress::from_json(&text) {
            Ok(p) => (p, None),
            Err(why) => (
                Progress::default(),
                Some(format!("Your saved progress for this lesson could not be read ({why}), so it starts afresh. Other lessons keep theirs.")),
            ),
        },
    }
}

/// Saves; false when the browser keeps nothing (storage blocked, as in some embedded frames).
pub fn save(lesson: &str, p: &Progress) -> bool {
    let key = format!("{PREFIX}{lesson}");
    if p.is_empty() {
        crate::browser::storage_remove(&key)
    } else {
        crate::browser::storage_set(&key, &p.to_json())
    }
}

pub fn reset(lesson: &str) -> bool {
    save(lesson, &Progress::default())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn round_trips_and_survives_damage() {
        let mut p = Progress::default();
        p.see(2);
        p.answers.insert(
            "q1".into(),
            Answer::attempt(true, "Connection \"refused\" \\ 1".into(), 7),
        );
        p.challenges.insert(
            "c1".into(),
            Checked {
                passed: false,
                summary: "failed requests: 3\nextra pods: 1".into(),
            },
        );
        assert_eq!(Progress::from_json(&p.to_json()), Ok(p.clone()));
        assert_eq!((p.score(), p.passed()), (1, 0));
        // Unversioned entries (format 0) still read; other versions and junk are refused with a reason.
        assert_eq!(
            Progress::from_json(r#"{"step": 1, "seen": [0, 1]}"#)
                .unwrap()
                .seen,
            [0, 1]
        );
        assert!(Progress::from_json(r#"{"v": 9}"#)
            .unwrap_err()
            .contains("format 9"));
        assert!(Progress::from_json("{not json").is_err());
        assert!(Progress::from_json(r#"{"step": "two"}"#).is_err());
    }

    #[test]
    fn the_first_attempt_is_the_score_and_later_ones_never_raise_it() {
        let mut p = Progress::default();
        p.record("q", Answer::attempt(false, "a".into(), 1));
        p.record("q", Answer::attempt(true, "b".into(), 1));
        p.record("q", Answer::attempt(true, "b".into(), 2));
        let a = &p.answers["q"];
        assert_eq!((a.correct, a.first, a.attempts), (true, false, 3));
        assert_eq!(
            p.score(),
            0,
            "a second click cannot raise a first attempt's score"
        );
        p.record("r", Answer::attempt(true, "c".into(), 1));
        p.record("r", Answer::attempt(false, "d".into(), 1));
        assert_eq!(p.score(), 1, "nor a later wrong one lower it");
        let shown = Answer {
            revealed: true,
            ..Answer::attempt(false, String::new(), 1)
        };
        p.record("s", shown);
        p.record("s", Answer::attempt(true, "e".into(), 1));
        assert!(p.answers["s"].revealed && !p.answers["s"].first);
        assert_eq!(p.score(), 1, "an answer asked for is no point");
        assert_eq!(Progress::from_json(&p.to_json()), Ok(p.clone()));
        // An entry saved before attempts were kept reads its one answer as the first.
        let old = r#"{"v": 1, "answers": {"q": {"correct": true, "given": "x", "seed": 3}}}"#;
        let a = &Progress::from_json(old).unwrap().answers["q"];
        assert_eq!((a.first, a.attempts), (true, 1));
    }

    #[test]
    fn any_answer_text_and_any_seed_read_back() {
        let texts = [
            "Revision #2",
            "#1",
            "a # b",
            "x\t#y",
            "it's \"#\"",
            "key: value # c",
            "é # 日本",
        ];
        for (k, text) in texts.iter().enumerate() {
            let mut p = Progress::default();
            let seed = [0, 1 << 53, (1 << 53) + 1, u64::MAX][k % 4];
            let mut answer = Answer::attempt(k % 2 == 0, text.to_string(), seed);
            (answer.attempts, answer.revealed) = (k as u32 + 1, k % 3 == 0);
            p.answers.insert(format!("q #{k}"), answer);
            let summary = format!("{text}\n{text}");
            p.challenges.insert(
                "c".into(),
                Checked {
                    passed: true,
                    summary,
                },
            );
            assert_eq!(Progress::from_json(&p.to_json()), Ok(p.clone()), "{text:?}");
        }
    }

    #[test]
    fn a_damaged_lesson_entry_is_reset_with_a_message_and_others_are_kept() {
        assert!(save(
            "a",
            &Progress {
                step: 3,
                seen: vec![3],
                ..Progress::default()
            }
        ));
        crate::browser::storage_set("rollout-lab.progress.b", "{\"v\": 1, \"step\": [");
        let (b, message) = load("b");
        assert_eq!(b, Progress::default());
        assert!(message.unwrap().contains("starts afresh"));
        assert_eq!(load("a").0.step, 3);
        assert!(reset("a"));
        assert_eq!(load("a"), (Progress::default(), None));
    }
}
