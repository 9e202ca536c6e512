//! `rollout-sim`: run scenario files and replay conformance vectors from the command line.
use rollout_sim::check;
use rollout_sim::cluster::Cluster;
use rollout_sim::conformance::{self, Verdict};
use rollout_sim::scenario::Scenario;
use std::io::Write;
use std::process::ExitCode;

const USAGE: &str = "usage:\n  rollout-sim run FILE [--json]\n  rollout-sim check FILE... [--rps N] [--image [CONTAINER=]IMAGE] [--NAME VALUE] [--json] [--suggest]\n      what the next deploy of these manifests does to requests; exits 0 when none fails, 1 when some do, 2 on unreadable input\n      (assumptions: --rps --startup --latency --sigterm --connections --via --proxy-lag --ingress-lag --extra-pods)\n  rollout-sim show FILE TIME 'kubectl get ...'  (a view at TIME, e.g. 45s)\n  rollout-sim conformance FILE...";

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    match args.first().map(String::as_str) {
        Some("conformance") if args.len() > 1 => conformance_cmd(&args[1..]),
        Some("check") if args.len() > 1 => check_cmd(&args[1..]),
        Some("run") if args.len() > 1 => run_cmd(&args[1], args[2..].iter().any(|a| a == "--json")),
        Some("show") if args.len() == 4 => show_cmd(&args[1], &args[2], &args[3]),
        _ => {
            eprintln!("{USAGE}");
            ExitCode::from(2)
        }
    }
}

fn load(path: &str) -> Result<Cluster, ExitCode> {
    let text = std::fs::read_to_string(path).map_err(|e| {
        eprintln!("{path}: cannot read: {e}");
        ExitCode::from(2)
    })?;
    let scenario = Scenario::parse(&text).map_err(|e| {
        eprintln!("{path}: {e}");
        ExitCode::from(2)
    })?;
    Ok(Cluster::new(scenario))
}

/// What a read-only kubectl command prints at a moment of the scenario.
fn show_cmd(path: &str, at: &str, command: &str) -> ExitCode {
    let mut cluster = match load(path) {
        Ok(c) => c,
        Err(code) => return code,
    };
    let Ok(at) = rollout_sim::time::parse_duration(at) else {
        eprintln!("{at:?} is not a time such as 45s or 2m");
        return ExitCode::from(2);
    };
    cluster.run_until(at);
    match cluster.show(command) {
        Ok(text) => {
            let _ = writeln!(std::io::stdout(), "{text}");
            ExitCode::SUCCESS
        }
        Err(e) => {
            eprintln!("{e}");
            ExitCode::FAILURE
        }
    }
}

fn run_cmd(path: &str, json: bool) -> ExitCode {
    let mut cluster = match load(path) {
        Ok(c) => c,
        Err(code) => return code,
    };
    cluster.run();
    let text = if json {
        cluster.summary_json().to_string()
    } else {
        cluster.summary_text()
    };
    // A closed pipe (`| head`) is not an error worth a panic.
    let _ = writeln!(std::io::stdout(), "{text}");
    ExitCode::SUCCESS
}

/// `check`: reads the files (`-` is stdin) as one paste, runs the check, prints the report
/// (`--json`) or the fix as a patch for `kubectl patch -p` (`--suggest`, the edits on stderr).
fn check_cmd(args: &[String]) -> ExitCode {
    let mut input = check::Input::default();
    let (mut json, mut suggest, mut files) = (false, false, Vec::new());
    let mut i = 0;
    while i < args.len() {
        let a = args[i].as_str();
        match a {
            "--json" => json = true,
            "--suggest" => suggest = true,
            flag if flag.starts_with("--") => {
                let (name, inline) = match flag[2..].split_once('=') {
                    Some((n, v)) => (n, Some(v.to_string())),
                    None => (&flag[2..], None),
                };
                let value = match inline.or_else(|| {
                    i += 1;
                    args.get(i).cloned()
                }) {
                    Some(v) => v,
                    None => return usage(&format!("--{name} needs a value")),
                };
                let set = match name {
                    "image" => {
                        match value.split_once('=') {
                            Some((c, img)) => {
                                input.container = Some(c.to_string());
                                input.image = Some(img.to_string());
                            }
                            None => input.image = Some(value),
                        }
                        Ok(())
                    }
                    _ => input.world.set(name, &value),
                };
                if let Err(e) = set {
                    return usage(&e);
                }
            }
            file => files.push(file.to_string()),
        }
        i += 1;
    }
    if files.is_empty() {
        return usage("name at least one file of manifests (or - for stdin)");
    }
    for path in &files {
        let text = if path == "-" {
            let mut t = String::new();
            std::io::Read::read_to_string(&mut std::io::stdin(), &mut t).map(|_| t)
        } else {
            std::fs::read_to_string(path)
        };
        match text {
            Ok(t) => {
                // Each file is refused on its own, so the line and column are the file's.
                if let Err(e) = check::read(&t) {
                    eprintln!("{path}: {e}");
                    return ExitCode::from(2);
                }
                // Files are documents of one paste: each starts a document of its own.
                if !input.manifests.is_empty() {
                    input.manifests.push_str("\n---\n");
                }
                input.manifests.push_str(&t);
            }
            Err(e) => {
                eprintln!("{path}: cannot read: {e}");
                return ExitCode::from(2);
            }
        }
    }
    let report = match check::check(&input) {
        Ok(r) => r,
        Err(e) => {
            eprintln!("{}: {e}", files.join(", "));
            return ExitCode::from(2);
        }
    };
    let mut out = std::io::stdout();
    let _ = if suggest {
        match &report.suggestion {
            check::Suggestion::Fix(fix) => {
                for e in &fix.edits {
                    eprintln!("{}", e.describe());
                }
                eprintln!("{}", fix.command);
                writeln!(out, "{}", fix.patch)
            }
            check::Suggestion::NoneNeeded => {
                eprintln!("no request fails: nothing to fix");
                Ok(())
            }
            check::Suggestion::App(advice) => {
                eprintln!(
                    "no setting fixes it; with every one at its safest, the deploy still fails:"
                );
                for a in advice {
                    eprintln!("- {a}");
                }
                Ok(())
            }
        }
    } else if json {
        writeln!(out, "{}", check::text::json(&report, &input.world))
    } else {
        write!(out, "{}", check::text::text(&report, &input.world))
    };
    if report.passed() {
        ExitCode::SUCCESS
    } else {
        ExitCode::FAILURE
    }
}

fn usage(why: &str) -> ExitCode {
    eprintln!("{why}\n{USAGE}");
    ExitCode::from(2)
}

fn conformance_cmd(files: &[String]) -> ExitCode {
    let (mut passed, mut failed) = (0, 0);
    for path in files {
        let text = match std::fs::read_to_string(path) {
            Ok(t) => t,
            Err(e) => {
                println!("{path}: cannot read: {e}");
                failed += 1;
                continue;
            }
        };
        match conformance::run_file(&text) {
            Err(e) => {
                println!("{path}: {e}");
                failed += 1;
            }
            Ok((_, results)) => {
                for r in results {
                    match r.verdict {
                        Verdict::Pass => passed += 1,
                        Verdict::Fail(why) => {
                            failed += 1;
                            println!("FAIL {path} :: {} :: {why}", r.name);
                        }
                        Verdict::Unsupported(why) => {
                            failed += 1;
                            println!("UNSUPPORTED {path} :: {} :: {why}", r.name);
                        }
                    }
                }
            }
        }
    }
    println!("{passed} passed, {failed} failed");
    if failed > 0 {
        ExitCode::FAILURE
    } else {
        ExitCode::SUCCESS
    }
}
