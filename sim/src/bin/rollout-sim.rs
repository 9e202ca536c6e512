//! `rollout-sim`: run scenario files and replay conformance vectors from the command line.
use rollout_sim::cluster::Cluster;
use rollout_sim::conformance::{self, Verdict};
use rollout_sim::scenario::Scenario;
use std::io::Write;
use std::process::ExitCode;

const USAGE: &str = "usage:\n  rollout-sim run FILE [--json]\n  rollout-sim show FILE TIME 'kubectl get ...'  (a view at TIME, e.g. 45s)\n  rollout-sim conformance FILE...";

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    match args.first().map(String::as_str) {
        Some("conformance") if args.len() > 1 => conformance_cmd(&args[1..]),
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
