//! Quiz questions as lesson files write them, and their grading. Five kinds: choice (one or
//! several answers), number (with a tolerance), order, predict-then-run and simulated (parameters
//! drawn per attempt, the answer computed by running the core). Feedback always says why.
use super::measure::{Measure, Run, Settings};
use super::read::{pairs, run_spec, scalar_list, text, RunSpec};
use rollout_sim::yaml::read::{Obj, R};

#[derive(Clone, Debug, PartialEq)]
pub struct Question {
    pub id: String,
    pub ask: String,
    pub kind: Kind,
    /// Why the answer is what it is: shown with the answer.
    pub why: String,
    pub hint: Option<String>,
    /// For a choice or a prediction, by option: the misconception picking that wrong option
    /// shows, told to the learner as soon as they pick it (empty for other kinds).
    pub misconceptions: Vec<Option<String>>,
    /// A manifest the question is about, shown under it as code.
    pub manifest: Option<String>,
    /// The lesson goal it assesses: `readiness-probes#2` is that lesson's second goal.
    pub covers: Option<(String, usize)>,
}

#[derive(Clone, Debug, PartialEq)]
pub enum Kind {
    /// Options and the indices of the right ones; several right ones make it "choose all".
    Choice {
        options: Vec<String>,
        answer: Vec<usize>,
    },
    Number {
        answer: f64,
        tolerance: f64,
    },
    /// Items in their right order (shown shuffled).
    Order {
        items: Vec<String>,
    },
    /// Pick the option whose range will hold the figure, then the core runs and tells.
    Predict {
        run: RunSpec,
        measure: Measure,
        options: Vec<Bucket>,
    },
    /// `ask` names drawn settings as `{replicas}`; the answer is the figure the core measures.
    Simulate {
        run: RunSpec,
        draw: Vec<(String, Vec<String>)>,
        measure: Measure,
        tolerance: i64,
    },
}

/// A predict option: "A few (1–20)" holds 1..=20.
#[derive(Clone, Debug, PartialEq)]
pub struct Bucket {
    pub text: String,
    pub min: Option<i64>,
    pub max: Option<i64>,
}

impl Bucket {
    fn holds(&self, v: i64) -> bool {
        self.min.is_none_or(|m| v >= m) && self.max.is_none_or(|m| v <= m)
    }
}

/// What the learner answered.
#[derive(Clone, Debug, PartialEq)]
pub enum Given {
    /// Option indices (choice, predict).
    Picked(Vec<usize>),
    Number(f64),
    /// Item indices in the order the learner put them.
    Order(Vec<usize>),
}

#[derive(Clone, Debug, PartialEq)]
pub struct Verdict {
    pub correct: bool,
    /// The right answer and, for simulated kinds, what the run measured.
    pub fact: String,
    /// Why, from the lesson file.
    pub why: String,
    /// What the wrong option picked shows, from the lesson file.
    pub misconception: Option<String>,
}

impl Verdict {
    /// The whole verdict: right or not, the answer, and why.
    pub fn revealed(&self) -> String {
        let head = if self.correct {
            "Correct."
        } else {
            "Not quite."
        };
        let told = self.misconception.as_ref().filter(|_| !self.correct);
        let told = told.map(|m| format!(" {m}")).unwrap_or_default();
        format!("{head}{told} {} {}", self.fact, self.why)
    }

    /// A first wrong attempt's feedback: what the pick shows, not the answer, which waits for a
    /// second try or for "Show the answer".
    pub fn withheld(&self) -> String {
        match &self.misconception {
            Some(m) => format!("Not quite. {m} {TRY_AGAIN}"),
            None => format!("Not quite. Think it through. {TRY_AGAIN}"),
        }
    }

    /// The answer and why, asked for rather than earned.
    pub fn shown(&self) -> String {
        format!("{} {}", self.fact, self.why)
    }
}

const TRY_AGAIN: &str = "Try again: your first attempt is what counts, and the answer is shown after a second try or when you ask for it.";

/// One attempt at a simulated question: the settings drawn and the question they make.
#[derive(Clone, Debug, PartialEq)]
pub struct Drawn {
    pub seed: u64,
    pub settings: Settings,
    pub ask: String,
}

const FIELDS: [&str; 13] = [
    "misconceptions",
    "manifest",
    "covers",
    "id",
    "ask",
    "why",
    "hint",
    "options",
    "answer",
    "number",
    "tolerance",
    "order",
    "predict",
];

pub fn question(o: &Obj) -> R<Question> {
    if let Some(k) = o
        .unknown(&[&FIELDS[..], &["simulate"]].concat())
        .into_iter()
        .next()
    {
        return Err((o.at(&k), format!("unknown field `{k}`")));
    }
    let kind = if let Some(options) = o.scalars("options", |v| Some(text(v)), "text")? {
        // `answer` names the right option(s) by their text, so reordering options is safe.
        let answers = match o.get("answer") {
            Some(v) if v.is_array() => o
                .scalars("answer", |v| Some(text(v)), "text")?
                .unwrap_or_default(),
            Some(v) => vec![text(v)],
            None => return Err(o.missing("answer")),
        };
        let mut answer = Vec::new();
        for a in &answers {
            answer.push(options.iter().position(|x| x == a).ok_or_else(|| {
                (
                    o.at("answer"),
                    format!("answer {a:?} is not one of the options"),
                )
            })?);
        }
        if options.len() < 2 || answer.is_empty() {
            return Err((
                o.at("options"),
                "a choice needs two options or more and an answer".into(),
            ));
        }
        Kind::Choice { options, answer }
    } else if let Some(answer) = o.f64("number")? {
        Kind::Number {
            answer,
            tolerance: o.f64("tolerance")?.unwrap_or(0.0),
        }
    } else if let Some(items) = o.scalars("order", |v| Some(text(v)), "text")? {
        if items.len() < 2 {
            return Err((o.at("order"), "an ordering needs two items or more".into()));
        }
        Kind::Order { items }
    } else if let Some(p) = o.obj("predict")? {
        let options = p.list("options", |b| {
            Ok(Bucket {
                text: b.required_string("text")?,
                min: b.i64("min")?,
                max: b.i64("max")?,
            })
        })?;
        if options.len() < 2 {
            return Err((
                p.at("options"),
                "a prediction needs two options or more".into(),
            ));
        }
        Kind::Predict {
            run: run_spec(&p)?,
            measure: measure(&p)?,
            options,
        }
    } else if let Some(s) = o.obj("simulate")? {
        let run = run_spec(&s)?;
        let mut draw = Vec::new();
        if let Some(d) = s.obj("draw")? {
            draw = scalar_list(&d);
            run.check(pairs(&draw))
                .map_err(|(name, e)| (d.at(name), e))?;
        }
        Kind::Simulate {
            run,
            draw,
            measure: measure(&s)?,
            tolerance: s.i64("tolerance")?.unwrap_or(0),
        }
    } else {
        return Err((
            o.path().to_string(),
            "a question needs one of options, number, order, predict or simulate".into(),
        ));
    };
    let misconceptions = misconceptions(o, &kind)?;
    Ok(Question {
        id: o.required_string("id")?,
        ask: o.required_string("ask")?,
        kind,
        why: o.required_string("why")?,
        hint: o.string("hint")?,
        misconceptions,
        manifest: o.string("manifest")?,
        covers: super::read::covers(o)?,
    })
}

/// `misconceptions: { "option text": "what picking it shows" }`, by option; an answer has none.
fn misconceptions(o: &Obj, kind: &Kind) -> R<Vec<Option<String>>> {
    let (options, answer): (Vec<&str>, &[usize]) = match kind {
        Kind::Choice { options, answer } => (options.iter().map(String::as_str).collect(), answer),
        Kind::Predict { options, .. } => (options.iter().map(|b| b.text.as_str()).collect(), &[]),
        _ if o.get("misconceptions").is_some() => {
            return Err((
                o.at("misconceptions"),
                "only a choice or a prediction has options to explain".into(),
            ))
        }
        _ => return Ok(Vec::new()),
    };
    let mut out = vec![None; options.len()];
    let Some(m) = o.obj("misconceptions")? else {
        return Ok(out);
    };
    for key in m.unknown(&[]) {
        let i = options
            .iter()
            .position(|x| *x == key)
            .ok_or_else(|| (m.at(&key), format!("{key:?} is not one of the options")))?;
        if answer.contains(&i) {
            return Err((
                m.at(&key),
                format!("{key:?} is an answer, not a misconception"),
            ));
        }
        out[i] = Some(m.required_string(&key)?);
    }
    Ok(out)
}

pub fn measure(o: &Obj) -> R<Measure> {
    let name = o.required_string("measure")?;
    Measure::from_name(&name).ok_or_else(|| {
        let names: Vec<&str> = super::measure::MEASURES.iter().map(|(n, _)| *n).collect();
        (
            o.at("measure"),
            format!(
                "unknown measure `{name}`, expected one of {}",
                names.join(", ")
            ),
        )
    })
}

impl Question {
    /// The question as asked on attempt `seed`: simulated questions draw their settings (skipping
    /// draws Kubernetes would refuse, such as maxSurge and maxUnavailable both 0).
    pub fn draw(&self, seed: u64) -> Drawn {
        let Kind::Simulate { run, draw, .. } = &self.kind else {
            return Drawn {
                seed,
                settings: Vec::new(),
                ask: self.ask.clone(),
            };
        };
        let mut attempt = seed;
        loop {
            let mut rng = rollout_sim::rng::Rng::new(attempt);
            let settings: Settings = draw
                .iter()
                .map(|(name, values)| (name.clone(), values[rng.below(values.len())].clone()))
                .collect();
            if run.valid_with(&settings) || attempt >= seed + 50 {
                let ask = settings.iter().fold(self.ask.clone(), |q, (k, v)| {
                    q.replace(&format!("{{{k}}}"), v)
                });
                return Drawn {
                    seed: attempt,
                    settings,
                    ask,
                };
            }
            attempt += 1;
        }
    }

    /// Grades an answer to attempt `drawn`. Predict and simulated questions run the core here.
    pub fn grade(&self, given: &Given, drawn: &Drawn) -> Verdict {
        let (correct, fact) = match (&self.kind, given) {
            (Kind::Choice { options, answer }, Given::Picked(p)) => {
                let mut p = p.clone();
                rollout_sim::order::sort_by(&mut p, |a, b| a.cmp(b));
                let right: Vec<&str> = answer.iter().map(|&i| options[i].as_str()).collect();
                (p == *answer, format!("The answer: {}.", right.join("; ")))
            }
            (Kind::Number { answer, tolerance }, Given::Number(n)) => (
                (n - answer).abs() <= *tolerance + 1e-9,
                format!("The answer: {}.", rollout_sim::decimal::short(*answer, 3)),
            ),
            (Kind::Order { items }, Given::Order(o)) => (
                o.iter().copied().eq(0..items.len()),
                format!("The order: {}.", items.join(" → ")),
            ),
            (
                Kind::Predict {
                    run,
                    measure,
                    options,
                },
                Given::Picked(p),
            ) => match Run::new(&run.scenario, None, &run.settings) {
                Ok(r) => {
                    let v = r.value(*measure).unwrap_or(-1);
                    let right = options.iter().position(|b| b.holds(v));
                    let said = right.map_or("none of the options", |i| options[i].text.as_str());
                    (
                        right.is_some() && p.first() == right.as_ref(),
                        format!(
                            "The simulation ran it: {} — “{said}”.",
                            r.describe(*measure)
                        ),
                    )
                }
                Err(e) => (false, e),
            },
            (
                Kind::Simulate {
                    run,
                    measure,
                    tolerance,
                    ..
                },
                Given::Number(n),
            ) => {
                let settings = [&run.settings[..], &drawn.settings[..]].concat();
                match Run::new(&run.scenario, None, &settings) {
                    Ok(r) => {
                        let v = r.value(*measure);
                        let ok = v.is_some_and(|v| (*n - v as f64).abs() <= *tolerance as f64);
                        let how = r
                            .resolved
                            .as_ref()
                            .map(|x| format!(" ({x})"))
                            .unwrap_or_default();
                        (
                            ok,
                            format!("The simulation ran it: {}{how}.", r.describe(*measure)),
                        )
                    }
                    Err(e) => (false, e),
                }
            }
            _ => (false, "That answer does not fit this question.".into()),
        };
        // The first wrong option picked says what it shows.
        let picked = match given {
            Given::Picked(p) => p.as_slice(),
            _ => &[],
        };
        let misconception = picked
            .iter()
            .find_map(|&i| self.misconceptions.get(i).cloned().flatten())
            .filter(|_| !correct);
        Verdict {
            correct,
            fact,
            why: self.why.clone(),
            misconception,
        }
    }
}
