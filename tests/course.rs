//! The course is graded by the simulation: every lab a lesson opens runs, every question's answer
//! is what the core computes, every challenge starts failing and a reference solution passes, and
//! every kubectl command quoted in the prose is one the console accepts.
#![allow(clippy::unwrap_used, clippy::expect_used)] // a test may stop at the first surprise

use rollout_lab::course::{self, measure::Run, quiz::Given, quiz::Kind};
use rollout_sim::lab::knobs::Knobs;

#[test]
fn every_lesson_has_a_quiz_with_a_simulated_question_and_the_assessment_asks_about_canaries() {
    for lesson in course::catalogue() {
        let simulated = lesson
            .quiz
            .iter()
            .filter(|q| matches!(q.kind, Kind::Simulate { .. }))
            .count();
        assert!(
            lesson.quiz.len() >= 4,
            "{}: {} questions",
            lesson.id,
            lesson.quiz.len()
        );
        assert!(
            simulated >= 1,
            "{}: no simulation-graded question",
            lesson.id
        );
    }
    let last = course::catalogue().last().unwrap();
    assert_eq!(last.id, "final-assessment");
    let canary = last
        .quiz
        .iter()
        .find(|q| q.ask == "What is a canary deployment?")
        .expect("the canary question");
    let Kind::Choice { options, answer } = &canary.kind else {
        panic!("a choice")
    };
    assert_eq!(options.len(), 4);
    assert_eq!(
        options[answer[0]],
        "Deploying a new version alongside the old and directing a subset of traffic to it"
    );
}

#[test]
fn every_lab_a_step_opens_runs() {
    for lesson in course::catalogue() {
        for step in &lesson.steps {
            if let Some(lab) = &step.lab {
                let run = Run::new(&lab.scenario, None, &lab.settings);
                assert!(
                    run.is_ok(),
                    "{} / {}: {:?}",
                    lesson.id,
                    step.title,
                    run.err()
                );
            }
        }
    }
}

#[test]
fn every_question_is_graded_by_its_answer_and_only_by_it() {
    for lesson in course::catalogue() {
        for q in &lesson.quiz {
            let what = format!("{} / {}", lesson.id, q.id);
            for seed in 1..=4 {
                let drawn = q.draw(seed);
                assert!(!drawn.ask.contains('{'), "{what}: unfilled {}", drawn.ask);
                let (right, wrong) = match &q.kind {
                    Kind::Choice { options, answer } => {
                        let wrong = (0..options.len()).find(|i| !answer.contains(i)).unwrap();
                        (Given::Picked(answer.clone()), Given::Picked(vec![wrong]))
                    }
                    Kind::Number { answer, tolerance } => (
                        Given::Number(*answer),
                        Given::Number(answer + tolerance + 1.0),
                    ),
                    Kind::Order { items } => (
                        Given::Order((0..items.len()).collect()),
                        Given::Order((0..items.len()).rev().collect()),
                    ),
                    Kind::Predict {
                        run,
                        measure,
                        options,
                    } => {
                        let value = Run::new(&run.scenario, None, &run.settings)
                            .unwrap()
                            .value(*measure)
                            .unwrap_or(-1);
                        let held: Vec<usize> = (0..options.len())
                            .filter(|&i| {
                                options[i].min.is_none_or(|m| value >= m)
                                    && options[i].max.is_none_or(|m| value <= m)
                            })
                            .collect();
                        assert_eq!(
                            held.len(),
                            1,
                            "{what}: {value} must fall in exactly one option"
                        );
                        (
                            Given::Picked(held.clone()),
                            Given::Picked(vec![(held[0] + 1) % options.len()]),
                        )
                    }
                    Kind::Simulate {
                        run,
                        measure,
                        tolerance,
                        ..
                    } => {
                        let settings = [&run.settings[..], &drawn.settings[..]].concat();
                        let r = Run::new(&run.scenario, None, &settings)
                            .unwrap_or_else(|e| panic!("{what}: {e}"));
                        let value = r.value(*measure).unwrap_or_else(|| {
                            panic!("{what}: {measure:?} never happened with {settings:?}")
                        });
                        (
                            Given::Number(value as f64),
                            Given::Number((value + tolerance + 1) as f64),
                        )
                    }
                };
                let ok = q.grade(&right, &drawn);
                assert!(ok.correct, "{what} (seed {seed}): {}", ok.revealed());
                assert!(ok.revealed().contains(&q.why));
                let not = q.grade(&wrong, &drawn);
                assert!(
                    !not.correct,
                    "{what} (seed {seed}): a wrong answer passed: {}",
                    not.revealed()
                );
            }
        }
    }
}

/// The challenge's reference solution, from its lesson file.
fn solution(c: &course::challenge::Challenge) -> Vec<(&str, &str)> {
    assert!(
        !c.solution.is_empty(),
        "{}: no solution in its lesson file",
        c.id
    );
    assert!(
        c.explain.is_some(),
        "{}: the solution is not explained",
        c.id
    );
    c.solution
        .iter()
        .map(|(n, v)| (n.as_str(), v.as_str()))
        .collect()
}

/// Every question and challenge names the lesson goal it assesses, and every goal of every
/// lesson is assessed by something in it.
#[test]
fn every_item_assesses_a_goal_and_every_goal_is_assessed() {
    for lesson in course::catalogue() {
        let mut covered = vec![false; lesson.goals.len()];
        let items = lesson.quiz.iter().map(|q| (&q.id, &q.covers));
        for (id, covers) in items.chain(lesson.challenges.iter().map(|c| (&c.id, &c.covers))) {
            let (of, goal) = covers
                .clone()
                .unwrap_or_else(|| panic!("{} / {id}: no `covers`", lesson.id));
            if of == lesson.id {
                covered[goal - 1] = true;
            }
        }
        if lesson.id != "final-assessment" {
            for (k, c) in covered.iter().enumerate() {
                assert!(
                    c,
                    "{}: goal {} is assessed by nothing: {}",
                    lesson.id,
                    k + 1,
                    lesson.goals[k]
                );
            }
        }
    }
}

/// The learner's settings for challenge `c` with `changes` made on top of its start.
fn knobs_for(c: &course::challenge::Challenge, changes: &[(&str, &str)]) -> Knobs {
    let mut k = c.start.clone();
    for (name, value) in changes {
        k.set(name, value)
            .unwrap_or_else(|e| panic!("{}: {name} {value}: {e}", c.id));
    }
    k
}

#[test]
fn every_challenge_starts_failing_and_its_reference_solution_passes() {
    for lesson in course::catalogue() {
        for c in &lesson.challenges {
            let start = c.check(None).unwrap();
            assert!(
                !start.passed(),
                "{}: the starting configuration already passes",
                c.id
            );
            let solved = c.check(Some(&knobs_for(c, &solution(c)))).unwrap();
            assert!(
                solved.passed(),
                "{}: the reference solution fails:\n{}",
                c.id,
                solved.sentences().join("\n")
            );
        }
    }
}

/// A reference solution is one a senior engineer would defend: it never weakens the graceful
/// shutdown (lesson 5) or the readiness probe (lesson 4) the challenge starts with, and never
/// changes the world.
#[test]
fn every_reference_solution_keeps_the_safeguards_it_started_with() {
    for lesson in course::catalogue() {
        for c in &lesson.challenges {
            let (start, end) = (c.start.clone(), knobs_for(c, &solution(c)));
            let what = &c.id;
            assert!(
                end.pre_stop_seconds >= start.pre_stop_seconds,
                "{what}: removes preStop"
            );
            let graceful = |k: &Knobs| k.on_sigterm != rollout_sim::scenario::OnSigterm::Exit;
            assert!(
                graceful(&end) || !graceful(&start),
                "{what}: turns graceful shutdown off"
            );
            assert!(
                end.readiness_probe || !start.readiness_probe,
                "{what}: turns the readiness probe off"
            );
            for (name, _) in end.changed_from(&start) {
                assert!(
                    !rollout_sim::lab::knobs::is_environment(name),
                    "{what}: changes the world ({name})"
                );
            }
        }
    }
}

/// Values a learner might try for each setting: the useful ones and the extremes.
fn tries(name: &str) -> &'static [&'static str] {
    match name {
        "strategy" => &["Recreate", "RollingUpdate", "BlueGreen", "Canary"],
        "replicas" => &["1", "2", "3", "6", "10"],
        "surge" | "unavailable" => &["0", "1", "2", "3", "6", "25%", "50%", "100%"],
        "readiness" | "liveness" => &["on", "off"],
        "ready-delay" => &["0", "5", "10", "20", "30"],
        "ready-period" => &["1", "2", "5", "10"],
        "ready-success" => &["1", "2", "3"],
        "ready-failure" => &["1", "3", "5"],
        "prestop" => &["0", "1", "2", "5", "10", "30"],
        "grace" => &["0", "1", "5", "30", "60", "120"],
        "sigterm" => &["exit", "drain", "ignore"],
        "propagation" | "ingress-lag" => &["0", "100", "1000", "5000"],
        "rps" => &["0", "1", "5", "20", "100"],
        "startup" => &["0", "2", "10", "30"],
        "health" => &["healthy", "crash-loop", "errors"],
        "lb" => &["random", "round-robin"],
        "connections" => &["per-request", "keep-alive", "http2"],
        "idle-timeout" => &["5", "90"],
        "max-age" => &["0", "10", "30"],
        "via" => &["service", "ingress"],
        "retries" => &["0", "1", "3"],
        "canary-weight" => &["0", "1", "5", "10", "20", "50"],
        "analysis-interval" => &["1", "2", "5", "10", "30"],
        "failure-limit" => &["0", "1", "2"],
        "migration" => &["with-deploy", "on-start"],
        other => panic!("no values to try for `{other}`"),
    }
}

/// The single changes that meet each challenge on their own: the fixes its lesson teaches. Any
/// other single change that passes is a bypass.
const INTENDED: &[(&str, &[(&str, &str)])] = &[
    ("capstone", &[]),
    ("keep-alive-quiet", &[("sigterm", "drain")]),
    ("zero-failures", &[]),
    ("fast-rollout", &[("surge", "*"), ("unavailable", "*")]),
    ("ready-before-traffic", &[]),
    (
        "graceful",
        &[("prestop", "2"), ("prestop", "5"), ("prestop", "10")],
    ),
    ("contain-bad-release", &[]),
    ("no-app-errors", &[]),
    (
        "bad-canary",
        &[
            ("canary-weight", "1"),
            ("canary-weight", "5"),
            ("canary-weight", "10"),
            ("analysis-interval", "2"),
            ("analysis-interval", "5"),
            ("failure-limit", "0"),
        ],
    ),
    ("four-nines-deploy", &[]),
];

/// Every challenge is tried with each single change of each control and of the world: only the
/// fixes its lesson teaches pass, and no change to the world passes (the guards refuse it).
#[test]
fn no_single_change_bypasses_a_challenge() {
    for lesson in course::catalogue() {
        for c in &lesson.challenges {
            let intended = INTENDED
                .iter()
                .find(|(id, _)| *id == c.id)
                .unwrap_or_else(|| panic!("challenge `{}` has no INTENDED entry", c.id))
                .1;
            let start = c.start.clone();
            let names = c
                .controls
                .iter()
                .map(String::as_str)
                .filter(|n| start.get(n).is_some());
            let world = rollout_sim::lab::knobs::ENVIRONMENT.iter().copied();
            let mut passing = Vec::new();
            for name in names.chain(world) {
                for &value in tries(name) {
                    if start.get(name).as_deref() == Some(value) {
                        continue;
                    }
                    let mut k = start.clone();
                    k.set(name, value).unwrap();
                    // Settings Kubernetes refuses (surge and unavailable both 0) are not runs.
                    if let Ok(o) = c.check(Some(&k)) {
                        if o.passed() {
                            passing.push((name, value));
                        }
                    }
                }
            }
            let meant = |&(name, value): &(&str, &str)| {
                intended
                    .iter()
                    .any(|&(n, v)| n == name && (v == value || v == "*"))
            };
            let unintended: Vec<_> = passing.iter().filter(|p| !meant(p)).collect();
            assert!(
                unintended.is_empty(),
                "{}: bypassed by {unintended:?}",
                c.id
            );
            let missing: Vec<_> = intended
                .iter()
                .filter(|&&(n, v)| {
                    !passing
                        .iter()
                        .any(|&(pn, pv)| pn == n && (pv == v || v == "*"))
                })
                .collect();
            assert!(
                missing.is_empty(),
                "{}: intended fixes that fail: {missing:?}",
                c.id
            );
        }
    }
}

#[test]
fn every_kubectl_command_in_the_prose_is_accepted_by_the_console() {
    let mut checked = 0;
    for lesson in course::catalogue() {
        let body = lesson.body();
        // Inline code spans and the lines of code blocks, but not of the `sh` blocks written for
        // a real cluster's shell (kind, kubectl run, kubectl logs).
        let console = console_text(&body);
        let spans = console
            .split('`')
            .skip(1)
            .step_by(2)
            .map(str::to_string)
            .collect::<Vec<_>>();
        let lines = console
            .lines()
            .map(|l| l.trim().to_string())
            .collect::<Vec<_>>();
        let (spans, lines) = (spans.into_iter(), lines.into_iter());
        for cmd in spans
            .chain(lines)
            .filter(|c| c.starts_with("kubectl ") || c.starts_with("oc "))
        {
            let parsed = rollout_sim::kubectl::parse(&cmd);
            assert!(parsed.is_ok(), "{}: `{cmd}`: {:?}", lesson.id, parsed.err());
            checked += 1;
        }
    }
    assert!(
        checked >= 20,
        "only {checked} kubectl commands quoted in all lessons"
    );
}

/// The prose without its ```sh blocks, which are for a real cluster's shell.
fn console_text(body: &str) -> String {
    let mut out = String::new();
    let mut shell = false;
    for line in body.lines() {
        let fence = line.trim_start().strip_prefix("```");
        match fence {
            Some(info) if !shell && info.trim() == "sh" => shell = true,
            Some(_) if shell => shell = false,
            _ if !shell => {
                out.push_str(line);
                out.push('\n');
            }
            _ => {}
        }
    }
    out
}

/// The code blocks of `body` whose info string is `info`.
fn blocks(body: &str, info: &str) -> Vec<String> {
    let mut out = Vec::new();
    // Inside a fence: the block being kept, if its info string is `info`.
    let mut fence: Option<Option<String>> = None;
    for line in body.lines() {
        match (line.trim_start().strip_prefix("```"), fence.take()) {
            (Some(_), Some(kept)) => out.extend(kept),
            (Some(i), None) => fence = Some((i.trim() == info).then(String::new)),
            (None, Some(mut kept)) => {
                if let Some(block) = kept.as_mut() {
                    block.push_str(line);
                    block.push('\n');
                }
                fence = Some(kept);
            }
            (None, None) => {}
        }
    }
    out
}

/// Every lesson ends on a real cluster: a copyable configuration that the simulator accepts, the
/// kind commands and the curl loop that shows failures, links to the pages it rests on, and the
/// versions it matches.
#[test]
fn every_lesson_ends_with_the_same_thing_on_a_real_cluster() {
    for lesson in course::catalogue()
        .iter()
        .filter(|l| l.id != "final-assessment")
    {
        let what = &lesson.id;
        let step = lesson.steps.last().unwrap();
        assert_eq!(step.title, "On a real cluster", "{what}: the last step");
        let yaml = blocks(&step.body, "yaml");
        assert!(!yaml.is_empty(), "{what}: no manifests to copy");
        for block in &yaml {
            for doc in block.split("---\n") {
                // The simulator reads every object but an analysis that queries Prometheus.
                if doc.contains("kind: AnalysisTemplate") {
                    assert!(rollout_sim::yaml::parse(doc, 1).is_ok(), "{what}: {doc}");
                    continue;
                }
                let objects =
                    rollout_sim::manifest::parse_all(doc, rollout_sim::yaml::Origin::line(1));
                assert!(objects.is_ok(), "{what}: {:?}\n{doc}", objects.err());
            }
        }
        let shell = blocks(&step.body, "sh").concat();
        // A cluster to try it on: kind (or minikube), or OpenShift Local for the OpenShift route.
        let cluster = shell.contains("kind create cluster") || shell.contains("crc start");
        assert!(cluster, "{what}: no cluster to try it on");
        for needed in ["apply -f", "curl ", "kubectl logs load"] {
            assert!(shell.contains(needed), "{what}: no `{needed}`");
        }
        assert!(
            step.body.contains("](https://kubernetes.io/docs/")
                || step
                    .body
                    .contains("](https://argoproj.github.io/argo-rollouts/"),
            "{what}: no link to the documentation"
        );
        assert!(step.body.contains("Kubernetes 1.33"), "{what}: no version");
        assert!(step.body.contains("Export for a real cluster"), "{what}");
    }
    // The versions the export states are the ones the lessons name.
    assert_eq!(rollout_sim::lab::export::KUBERNETES, "1.33");
    assert_eq!(rollout_sim::lab::export::ARGO_ROLLOUTS, "1.8");
}

/// The text of lesson `id`: its prose, its questions and their explanations.
fn lesson_text(id: &str) -> String {
    let l = course::find(id).unwrap_or_else(|| panic!("no lesson {id}"));
    let quiz: Vec<String> = l
        .quiz
        .iter()
        .map(|q| format!("{} {}", q.ask, q.why))
        .collect();
    format!("{}\n{}", l.body(), quiz.join("\n"))
}

/// The scenario an example names, parsed.
fn example(name: &str) -> rollout_sim::scenario::Scenario {
    let e = rollout_sim::lab::examples::find(name).unwrap();
    rollout_sim::scenario::Scenario::parse(&e.yaml).unwrap()
}

/// Numbers the lessons state beside a lab are the ones its scenario and the controllers give, so
/// text and simulation cannot drift apart: each fact is quoted from the lesson, then checked.
#[test]
fn facts_stated_in_the_lessons_hold_in_the_simulation() {
    use rollout_sim::deployment::util::resolve_fenceposts;
    use rollout_sim::intstr::IntOrString;
    let quoted = |lesson: &str, words: &str| {
        let text = lesson_text(lesson);
        assert!(text.contains(words), "{lesson} no longer says {words:?}");
    };
    // Lesson 3: both at 10% of 3 is surge 1, unavailable 0; surge 0 with 10% falls back to 1.
    quoted(
        "max-surge-and-max-unavailable",
        "maxSurge `0` with\nmaxUnavailable `10%` of 3",
    );
    let pct = |s: &str| Some(IntOrString::String(s.into()));
    assert_eq!(
        resolve_fenceposts(pct("10%").as_ref(), pct("10%").as_ref(), 3),
        Ok((1, 0))
    );
    let zero = Some(IntOrString::Int(0));
    assert_eq!(
        resolve_fenceposts(zero.as_ref(), pct("10%").as_ref(), 3),
        Ok((0, 1))
    );
    // Lesson 4: the probe of the scenario its question runs.
    quoted("readiness-probes", "checking every 2 s after a 5 s delay");
    let s = example("rolling-zero-downtime");
    let (_, _, template) = rollout_sim::lab::workload::read(&s).unwrap();
    let probe = template
        .spec
        .app()
        .unwrap()
        .readiness_probe
        .clone()
        .unwrap();
    assert_eq!((probe.period_seconds, probe.initial_delay_seconds), (2, 5));
    // Lesson 10: the surge of the Rollout its question runs.
    quoted("progressive-delivery", "with maxSurge 1.");
    let (surge, _) =
        rollout_sim::lab::workload::fenceposts(&example("canary-rollout-steps")).unwrap();
    assert_eq!(surge, Some(IntOrString::Int(1)));
    // Lesson 2: the events as the Deployment controller words them (`Scaled %s replica set %s
    // to %d from %d`), seen in the rolling update its lab plays.
    quoted(
        "deployments-and-replicasets",
        "*Scaled up replica set myapp-5f7b9c to 1 from 0*, *Scaled down replica set myapp-7d9c5b to 2 from 3*",
    );
    let mut c = rollout_sim::cluster::Cluster::new(example("rolling-zero-downtime"));
    c.run();
    let said = |start: &str, end: &str| {
        c.events
            .iter()
            .any(|e| e.message.starts_with(start) && e.message.ends_with(end))
    };
    assert!(said("Scaled up replica set myapp-", " to 1 from 0"));
    assert!(said("Scaled down replica set myapp-", " to 2 from 3"));
    // Lessons 12 and 1: the Recreate outage's length, and what it fails at 20 requests a second.
    quoted("the-game-of-nines", "lasts about 11 seconds");
    quoted(
        "the-game-of-nines",
        "The 235 this lab's Recreate fails come from its 20 requests a second",
    );
    let mut c = rollout_sim::cluster::Cluster::new(example("recreate"));
    c.run();
    let m = &c.metrics;
    let outage = m.last_failure_at.unwrap() - m.first_failure_at.unwrap();
    assert_eq!((outage + 500) / 1000, 11, "the outage lasts {outage} ms");
    assert_eq!(m.failed, 235);
    assert_eq!(c.scenario.traffic.requests_per_second, 20.0);
    // Two dozen such outages in a 99.99% month (4.32 minutes).
    let budget = 4.32 * 60_000.0;
    assert!(
        (20.0..=28.0).contains(&(budget / outage as f64)),
        "{}",
        budget / outage as f64
    );
}

/// Feedback is per option: every wrong option of every choice and prediction says which
/// misconception it shows, and a first wrong try is told that, never the answer.
#[test]
fn every_wrong_option_says_which_misconception_it_shows() {
    for lesson in course::catalogue() {
        for q in &lesson.quiz {
            let what = format!("{} / {}", lesson.id, q.id);
            let wrong: Vec<usize> = match &q.kind {
                Kind::Choice { options, answer } => {
                    (0..options.len()).filter(|i| !answer.contains(i)).collect()
                }
                Kind::Predict {
                    run,
                    measure,
                    options,
                } => {
                    let v = Run::new(&run.scenario, None, &run.settings)
                        .unwrap()
                        .value(*measure)
                        .unwrap_or(-1);
                    (0..options.len())
                        .filter(|&i| {
                            !(options[i].min.is_none_or(|m| v >= m)
                                && options[i].max.is_none_or(|m| v <= m))
                        })
                        .collect()
                }
                _ => continue,
            };
            let drawn = q.draw(1);
            for i in wrong {
                let note = q.misconceptions[i]
                    .as_ref()
                    .unwrap_or_else(|| panic!("{what}: option {i} has no misconception"));
                let v = q.grade(&Given::Picked(vec![i]), &drawn);
                assert!(!v.correct, "{what}: option {i}");
                let first = v.withheld();
                assert!(first.contains(note.as_str()), "{what}: {first}");
                assert!(
                    !first.contains(&v.fact) && !first.contains(&q.why),
                    "{what}: {first}"
                );
                assert!(v.revealed().contains(note.as_str()), "{what}");
            }
        }
    }
}

/// Predict, then run: every lesson with a lab opens one with a prediction, and every prediction
/// of a lesson's own runs is asked by the step that plays it (the final assessment's are its own
/// items). What is predicted is the step's lab, as the lesson reader checks.
#[test]
fn lessons_ask_for_a_prediction_before_the_run_they_demonstrate() {
    for lesson in course::catalogue() {
        let labs = lesson.steps.iter().filter(|s| s.lab.is_some()).count();
        if labs == 0 {
            continue;
        }
        let asked: Vec<&str> = lesson
            .steps
            .iter()
            .filter_map(|s| s.predict.as_deref())
            .collect();
        assert!(
            !asked.is_empty(),
            "{}: no step asks for a prediction",
            lesson.id
        );
        for q in &lesson.quiz {
            if matches!(q.kind, Kind::Predict { .. }) {
                assert!(
                    asked.contains(&q.id.as_str()),
                    "{} / {}: a prediction asked after its run",
                    lesson.id,
                    q.id
                );
            }
        }
        // Those questions leave the quiz page, and the rest keep their order.
        let page: Vec<&str> = lesson.quiz_page().map(|(_, q)| q.id.as_str()).collect();
        assert!(asked.iter().all(|id| !page.contains(id)), "{}", lesson.id);
        assert_eq!(page.len() + asked.len(), lesson.quiz.len(), "{}", lesson.id);
    }
}

/// The final assessment tests transfer: every item names the lesson goal it assesses, every
/// lesson is assessed, several items run scenarios no lesson opens, and it ends on a challenge.
#[test]
fn the_final_assessment_covers_every_lesson_goal_it_names_and_runs_unseen_scenarios() {
    let all = course::catalogue();
    let last = all.last().unwrap();
    assert_eq!(last.id, "final-assessment");
    let mut covered = Vec::new();
    for q in &last.quiz {
        let (lesson, goal) = q
            .covers
            .clone()
            .unwrap_or_else(|| panic!("{}: no `covers`", q.id));
        let l = course::find(&lesson).unwrap_or_else(|| panic!("{}: no lesson {lesson}", q.id));
        assert!(
            goal <= l.goals.len(),
            "{}: {lesson} has {} goals",
            q.id,
            l.goals.len()
        );
        covered.push(lesson);
    }
    for l in &all[..all.len() - 1] {
        assert!(
            covered.contains(&l.id),
            "the final assesses nothing of {}",
            l.id
        );
    }
    // Scenarios the lessons' steps, questions and challenges never open.
    let mut seen: Vec<&str> = Vec::new();
    for l in &all[..all.len() - 1] {
        seen.extend(
            l.steps
                .iter()
                .filter_map(|s| s.lab.as_ref())
                .map(|lab| lab.scenario.as_str()),
        );
        seen.extend(l.challenges.iter().map(|c| c.scenario.as_str()));
        for q in &l.quiz {
            if let Kind::Predict { run, .. } | Kind::Simulate { run, .. } = &q.kind {
                seen.push(&run.scenario);
            }
        }
    }
    let unseen = last
        .quiz
        .iter()
        .filter(|q| match &q.kind {
            Kind::Predict { run, .. } | Kind::Simulate { run, .. } => {
                !seen.contains(&run.scenario.as_str())
            }
            _ => false,
        })
        .count();
    assert!(unseen >= 2, "only {unseen} items on unseen scenarios");
    assert!(
        last.quiz.iter().any(|q| q.manifest.is_some()),
        "a find-the-problems item"
    );
    assert_eq!(last.challenges.len(), 1, "the capstone");
}

/// Challenges show their goals live: a goal holds until the run breaks it, is missed from the
/// moment it is broken, and is met at the end (the rollout's time the moment it completes within it).
#[test]
fn a_challenges_goals_turn_as_the_run_plays() {
    use course::challenge::Live;
    use rollout_sim::lab::snapshot::{Changes, Runner};
    let c = course::catalogue()
        .iter()
        .flat_map(|l| &l.challenges)
        .find(|c| c.id == "four-nines-deploy")
        .unwrap();
    let example = rollout_sim::lab::examples::find(&c.scenario).unwrap();
    let at = |knobs: &Knobs, t: i64| {
        let changes = Changes {
            knobs: Some(knobs.clone()),
            ..Changes::default()
        };
        let s = Runner::default()
            .snapshot(example, &changes, Some(t))
            .unwrap();
        let states: Vec<(&str, Live)> = c
            .live(&s, knobs.replicas)
            .into_iter()
            .map(|(m, _, _, live)| (m.label(), live))
            .collect();
        states
    };
    let state =
        |all: &[(&str, Live)], label: &str| all.iter().find(|(l, _)| *l == label).unwrap().1;
    // As it starts (Recreate): all hold before the deploy at 60 s; failures break one at once.
    let start = c.start.clone();
    let before = at(&start, 50_000);
    assert!(
        before.iter().all(|(_, l)| *l == Live::Holding),
        "{before:?}"
    );
    let during = at(&start, 75_000);
    assert_eq!(state(&during, "failed requests"), Live::Missed);
    assert_eq!(
        state(&during, "extra pods beyond the replicas"),
        Live::Holding
    );
    // The reference solution: the rollout's time is met as soon as it completes, the rest at the end.
    let fixed = knobs_for(c, &solution(c));
    let soon = at(&fixed, 62_000);
    assert_eq!(state(&soon, "seconds for the rollout"), Live::Holding);
    let later = at(&fixed, 110_000);
    assert_eq!(state(&later, "seconds for the rollout"), Live::Met);
    assert_eq!(state(&later, "failed requests"), Live::Holding);
    let end = at(&fixed, i64::MAX);
    assert!(end.iter().all(|(_, l)| *l == Live::Met), "{end:?}");
}
