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
    /// Question id → the last answer.
    pub answers: BTreeMap<String, Answer>,
    /// Challenge id → the last check.
    pub challenges: BTreeMap<String, Checked>,
}

#[derive(Clone, Debug, PartialEq)]
pub struct Answer {
    pub correct: bool,
    /// What the learner answered, as shown back to them.
    pub given: String,
    /// The attempt (simulated questions draw their numbers from it).
    pub seed: u64,
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

    /// Questions answered correctly.
    pub fn score(&self) -> usize {
        self.answers.values().filter(|a| a.correct).count()
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
            let answer = json!({"correct": a.correct, "given": a.given, "seed": a.seed});
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
                let answer = Answer {
                    correct: e.bool("correct").map_err(bad)?.unwrap_or(false),
                    given: e.string("given").map_err(bad)?.unwrap_or_default(),
                    seed: e.u64("seed").map_err(bad)?.unwrap_or(0),
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
            Answer {
                correct: true,
                given: "Connection \"refused\" \\ 1".into(),
                seed: 7,
            },
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
            let answer = Answer {
                correct: k % 2 == 0,
                given: text.to_string(),
                seed,
            };
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
