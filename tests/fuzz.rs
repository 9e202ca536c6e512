//! A structure-aware fuzz campaign over every input path, on stable Rust with a fixed seed:
//! the example scenarios, the realworld manifests, the lessons, share links, saved progress and
//! kubectl lines, each mutated the ways hand edits and damaged copies go wrong (cut, doubled,
//! reordered, a token dropped in, a number made huge, a line repeated deep). Every input must be
//! answered without a panic, and whatever is accepted must be written back and read back as the
//! same value.
//!
//! `cargo test --test fuzz` runs a few thousand inputs per path; `scripts/bench` runs a million
//! per path in a release build with overflow checks on (`FUZZ_INPUTS`). Each run prints, per
//! path, the inputs run, panics, round-trip failures and the inputs that took over a second
//! (reported, not asserted: time is the benchmark's to measure, never a test's).
#![allow(clippy::unwrap_used, clippy::expect_used)]

use rollout_lab::course::{lesson, progress::Progress};
use rollout_lab::share::LabLink;
use rollout_sim::kubectl;
use rollout_sim::rng::Rng;
use rollout_sim::scenario::Scenario;
use std::panic::{catch_unwind, AssertUnwindSafe};
use std::time::{Duration, Instant};

/// Inputs per path: `FUZZ_INPUTS`, or a short run for the test command.
fn inputs() -> usize {
    std::env::var("FUZZ_INPUTS")
        .ok()
        .and_then(|n| n.parse().ok())
        .unwrap_or(2_000)
}

/// What hand edits and damaged copies put into text.
const TOKENS: &[&str] = &[
    "{",
    "}",
    "[",
    "]",
    ": ",
    "- ",
    "-",
    "\t",
    "\u{85}",
    "\u{2028}",
    "\u{a0}",
    "\r\n",
    "\n",
    "'",
    "\"",
    "|",
    ">",
    "#",
    "---\n",
    "...\n",
    "&a ",
    "*a",
    "<<: ",
    "!!str ",
    "? ",
    "%",
    "\u{feff}",
    "9999999999999999999999",
    "-1",
    "1e999",
    "0x7fffffffffffffff",
    "18446744073709551616",
    "-9223372036854775808",
    "NaN",
    ".inf",
    "~",
    "null",
    "yes",
    "\\",
    "\u{0}",
    "é",
    "日本",
    "](",
    "[x](javascript:alert(1))",
    "**",
    "`",
    "```\n",
    "<script>",
    "&",
    "=",
    ":",
];

fn mutate(rng: &mut Rng, seed: &str) -> String {
    let mut s: Vec<char> = seed.chars().collect();
    for _ in 0..1 + rng.below(4) {
        let n = s.len().max(1);
        let at = rng.below(n + 1).min(s.len());
        match rng.below(8) {
            0 => {
                let end = (at + rng.below(64)).min(s.len());
                s.drain(at..end);
            }
            1 => {
                let end = (at + rng.below(64)).min(s.len());
                let copy: Vec<char> = s[at..end].to_vec();
                s.splice(at..at, copy);
            }
            2 | 3 => {
                let t = TOKENS[rng.below(TOKENS.len())];
                s.splice(at..at, t.chars());
            }
            4 => {
                // A number made huge, negative or fractional.
                if let Some(i) = (at..s.len()).find(|&i| s[i].is_ascii_digit()) {
                    let t = [
                        "99999999999999999999",
                        "-5",
                        "0.000001",
                        "4294967296",
                        "1e308",
                    ][rng.below(5)];
                    s.splice(i..i + 1, t.chars());
                }
            }
            5 => {
                // Two lines swapped.
                let text: String = s.iter().collect();
                let mut lines: Vec<&str> = text.split('\n').collect();
                if lines.len() > 1 {
                    let (a, b) = (rng.below(lines.len()), rng.below(lines.len()));
                    lines.swap(a, b);
                }
                s = lines.join("\n").chars().collect();
            }
            6 => {
                // A line repeated, deeper each time (nesting growth).
                let text: String = s.iter().collect();
                let lines: Vec<&str> = text.split('\n').collect();
                let line = lines[rng.below(lines.len())];
                let times = 1 + rng.below(200);
                let deep: String = (0..times)
                    .map(|k| format!("{}{}\n", " ".repeat(k.min(400)), line.trim_start()))
                    .collect();
                s.splice(at..at, deep.chars());
            }
            _ => {
                let c = char::from_u32(rng.below(0x3000) as u32).unwrap_or('?');
                s.insert(at, c);
            }
        }
    }
    s.into_iter().collect()
}

#[derive(Default)]
struct Report {
    inputs: usize,
    panics: Vec<String>,
    round_trips: Vec<String>,
    slow: usize,
    accepted: usize,
}

/// Runs `check` on `n` mutations of the seeds; `check` returns whether the input was accepted,
/// or an error when what was accepted does not read back.
fn campaign(
    name: &str,
    seeds: &[String],
    n: usize,
    check: impl Fn(&str) -> Result<bool, String>,
) -> Report {
    let mut rng = Rng::new(0x5eed ^ name.len() as u64);
    let mut r = Report::default();
    std::panic::set_hook(Box::new(|_| {}));
    for k in 0..n {
        let seed = &seeds[k % seeds.len()];
        let input = if k < seeds.len() {
            seed.clone()
        } else {
            mutate(&mut rng, seed)
        };
        let started = Instant::now();
        match catch_unwind(AssertUnwindSafe(|| check(&input))) {
            Ok(Ok(accepted)) => r.accepted += usize::from(accepted),
            Ok(Err(e)) => r.round_trips.push(format!("{e}\n--- input:\n{input:?}")),
            Err(_) => r.panics.push(format!("{input:?}")),
        }
        if started.elapsed() > Duration::from_secs(1) {
            r.slow += 1;
        }
        r.inputs += 1;
    }
    let _ = std::panic::take_hook();
    println!(
        "fuzz {name:<10} {} inputs ({} accepted): {} panics, {} round-trip failures, {} over 1 s",
        r.inputs,
        r.accepted,
        r.panics.len(),
        r.round_trips.len(),
        r.slow
    );
    r
}

fn assert_clean(r: &Report) {
    let first = |v: &Vec<String>| v.first().cloned().unwrap_or_default();
    assert!(
        r.panics.is_empty(),
        "{} panics; the first:\n{}",
        r.panics.len(),
        first(&r.panics)
    );
    assert!(
        r.round_trips.is_empty(),
        "{} round-trip failures; the first:\n{}",
        r.round_trips.len(),
        first(&r.round_trips)
    );
}

fn files(dir: &str, ext: &str) -> Vec<String> {
    let mut paths: Vec<_> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == ext))
        .collect();
    paths.sort();
    paths
        .iter()
        .map(|p| std::fs::read_to_string(p).unwrap())
        .collect()
}

fn scenarios() -> Vec<String> {
    rollout_sim::lab::examples::ALL
        .iter()
        .map(|e| e.yaml.to_string())
        .collect()
}

#[test]
fn scenario_files() {
    let r = campaign("scenario", &scenarios(), inputs(), |text| {
        let Ok(s) = Scenario::parse(text) else {
            return Ok(false);
        };
        // A scenario saved from the lab reads back as itself.
        let saved = s.to_yaml();
        let back =
            Scenario::parse(&saved).map_err(|e| format!("saved, then refused: {e}\n{saved}"))?;
        if back.to_yaml() != saved {
            return Err(format!(
                "saved, then read back as another scenario:\n{saved}"
            ));
        }
        // A few seconds of it run.
        let mut c = rollout_sim::cluster::Cluster::new(s);
        c.run_until(3_000);
        Ok(true)
    });
    assert_clean(&r);
}

#[test]
fn manifests() {
    let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/sim/tests/realworld");
    let mut seeds = files(dir, "yaml");
    seeds.extend(files(dir, "json"));
    let origin = rollout_sim::yaml::Origin::line(1);
    let r = campaign("manifests", &seeds, inputs(), |text| {
        let Ok(objects) = rollout_sim::manifest::parse_all(text, origin) else {
            return Ok(false);
        };
        let printed = rollout_sim::manifest::to_yaml(&objects);
        let back = rollout_sim::manifest::parse_all(&printed, origin)
            .map_err(|e| format!("printed, then refused: {e}\n{printed}"))?;
        if let Some((a, b)) = objects.iter().zip(&back).find(|(a, b)| a != b) {
            return Err(format!(
                "printed, then read back as another object:\n{a:?}\n{b:?}"
            ));
        }
        if back.len() != objects.len() {
            return Err(format!(
                "printed, then read back as other objects:\n{printed}"
            ));
        }
        Ok(true)
    });
    assert_clean(&r);
}

#[test]
fn yaml_values() {
    let mut seeds = scenarios();
    seeds.extend(files("lessons", "md"));
    let r = campaign("yaml", &seeds, inputs(), |text| {
        let Ok((value, _)) = rollout_sim::yaml::parse(text, 1) else {
            return Ok(false);
        };
        // Only mappings are written as documents (what manifests and scenarios are).
        if !value.is_object() {
            return Ok(true);
        }
        let printed = rollout_sim::yaml::emit::to_yaml(&value);
        let (back, _) = rollout_sim::yaml::parse(&printed, 1)
            .map_err(|e| format!("printed, then refused: {e}\n{printed}"))?;
        if back != value {
            return Err(format!(
                "printed, then read back as another value:\n{printed}"
            ));
        }
        Ok(true)
    });
    assert_clean(&r);
}

#[test]
fn lessons_and_markdown() {
    let seeds = files("lessons", "md");
    let r = campaign("lessons", &seeds, inputs() / 4, |text| {
        let _ = rollout_lab::markdown::render(text);
        Ok(lesson::parse(text).is_ok())
    });
    assert_clean(&r);
}

#[test]
fn share_links() {
    let mut rng = Rng::new(7);
    let seeds: Vec<String> = (0..50)
        .map(|k| {
            let link = LabLink {
                scenario: ["recreate", "canary-rollout-steps", "é x&y=z"][k % 3].into(),
                seed: (k % 2 == 0).then(|| rng.next_u64()),
                time: (k % 3 == 0).then(|| rng.below(600_000) as i64),
                settings: vec![("surge".into(), (k % 5).to_string())],
                manifests: (k % 4 == 0).then(|| scenarios()[k % 10].clone()),
                commands: vec![(1000, "kubectl get pods -o wide".into())],
                file: (k % 7 == 0).then(|| scenarios()[k % 10].clone()),
            };
            link.query()
        })
        .collect();
    let r = campaign("links", &seeds, inputs(), |q| {
        let Ok(link) = LabLink::read(q) else {
            return Ok(false);
        };
        // What the reader accepts, the writer writes so that it reads back the same.
        let again =
            LabLink::read(&link.query()).map_err(|e| format!("rewritten, then refused: {e}"))?;
        if again != link || again.query() != link.query() {
            return Err("rewritten, then read back as another link".into());
        }
        Ok(true)
    });
    assert_clean(&r);
}

#[test]
fn saved_progress() {
    let mut rng = Rng::new(11);
    let seeds: Vec<String> = (0..50)
        .map(|k| {
            let mut p = Progress::default();
            p.see(k % 7);
            p.answers.insert(
                format!("q{k}"),
                rollout_lab::course::progress::Answer {
                    attempts: (k % 5) as u32 + 1,
                    revealed: k % 3 == 0,
                    ..rollout_lab::course::progress::Answer::attempt(
                        k % 2 == 0,
                        ["Revision #2", "a \"quoted\" answer", "日本 #", "3"][k % 4].into(),
                        rng.next_u64(),
                    )
                },
            );
            p.to_json()
        })
        .collect();
    let r = campaign("progress", &seeds, inputs(), |text| {
        let Ok(p) = Progress::from_json(text) else {
            return Ok(false);
        };
        let back =
            Progress::from_json(&p.to_json()).map_err(|e| format!("saved, then refused: {e}"))?;
        if back != p {
            return Err(format!(
                "saved, then read back as other progress: {}",
                p.to_json()
            ));
        }
        Ok(true)
    });
    assert_clean(&r);
}

#[test]
fn kubectl_lines() {
    let seeds: Vec<String> = [
        "kubectl set image deployment/myapp app=myapp:2",
        "kubectl scale deployment myapp --replicas=5",
        "kubectl rollout undo deployment/myapp --to-revision=1",
        "kubectl patch deployment myapp -p '{\"spec\":{\"replicas\":2}}'",
        "kubectl patch rollout myapp --type json -p '[{\"op\":\"replace\",\"path\":\"/spec/replicas\",\"value\":3}]'",
        "kubectl delete pod myapp-abc --grace-period=0",
        "kubectl get pods -o wide -l app=myapp",
        "kubectl argo rollouts promote myapp --full",
        "kubectl argo rollouts set image myapp myapp=myapp:3",
        "db migrate 2",
    ]
    .iter()
    .map(|s| s.to_string())
    .collect();
    let r = campaign("kubectl", &seeds, inputs(), |line| {
        let Ok(command) = kubectl::parse(line) else {
            return Ok(false);
        };
        // A printed command parses back to itself.
        let printed = command.to_string();
        let back = kubectl::parse(&printed)
            .map_err(|e| format!("printed as {printed:?}, then refused: {e}"))?;
        if back != command {
            return Err(format!(
                "printed as {printed:?}, then read as another command"
            ));
        }
        Ok(true)
    });
    assert_clean(&r);
}

/// Peak resident memory of this process so far, from Linux's /proc (0 elsewhere).
fn peak_memory_mb() -> u64 {
    let status = std::fs::read_to_string("/proc/self/status").unwrap_or_default();
    let kb = status
        .lines()
        .find_map(|l| l.strip_prefix("VmHWM:"))
        .and_then(|v| v.trim().trim_end_matches(" kB").trim().parse::<u64>().ok())
        .unwrap_or(0);
    kb / 1024
}

#[test]
fn inputs_at_the_limits_are_read_and_past_them_refused() {
    use rollout_sim::limits;
    // A file at the size limit is read; one byte more is refused, saying so.
    let long = format!("a: {}\n", "x".repeat(limits::FILE_BYTES - 4));
    assert_eq!(long.len(), limits::FILE_BYTES);
    assert!(rollout_sim::yaml::parse(&long, 1).is_ok());
    let err = rollout_sim::yaml::parse(&format!("{long} "), 1).unwrap_err();
    assert!(err.message.contains("1024 KiB"), "{err}");
    // As many values as the limit allows, and one more.
    let values = |n: usize| format!("[{}]", vec!["1"; n].join(","));
    assert!(rollout_sim::yaml::parse(&values(limits::YAML_VALUES - 1), 1).is_ok());
    let err = rollout_sim::yaml::parse(&values(limits::YAML_VALUES + 1), 1).unwrap_err();
    assert!(err.message.contains("the number of values"), "{err}");
    // Nesting to the limit, and past it.
    let nest = |n: usize| format!("{}1{}", "[".repeat(n), "]".repeat(n));
    assert!(rollout_sim::yaml::parse(&nest(limits::NESTING - 1), 1).is_ok());
    assert!(rollout_sim::yaml::parse(&nest(limits::NESTING + 1), 1).is_err());
    // A scenario file past the limit is refused before anything else is read.
    let err =
        Scenario::parse(&format!("seed: 1\n#{}\n", "x".repeat(limits::FILE_BYTES))).unwrap_err();
    assert!(err.message.contains("1024 KiB"), "{err}");
    // Lesson Markdown of a file's size renders (linear: pulldown-cmark), deep or wide.
    let _ = rollout_lab::markdown::render(&"*a ".repeat(limits::FILE_BYTES / 3));
    let _ = rollout_lab::markdown::render(&format!("{} x", ">".repeat(limits::FILE_BYTES / 2)));
    // A command line of a file's size is answered.
    let _ = kubectl::parse(&format!(
        "kubectl get pods {}",
        "x ".repeat(limits::FILE_BYTES / 2)
    ));
    // A share link at the limit is read (and refused for its check), past it for its length.
    let start = "v=1&scenario=recreate&x=";
    let link = format!("{start}{}", "a".repeat(limits::LINK_BYTES - start.len()));
    assert_eq!(link.len(), limits::LINK_BYTES);
    let err = LabLink::read(&link).unwrap_err();
    assert!(!err.contains("length"), "{err}");
    let err = LabLink::read(&format!("{link}a")).unwrap_err();
    assert!(err.contains("its length is above"), "{err}");
    println!("fuzz limits: peak memory {} MB", peak_memory_mb());
}
