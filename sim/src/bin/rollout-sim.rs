//! `rollout-sim`: run scenario files and replay conformance vectors from the command line.
use rollout_sim::cluster::Cluster;
use rollout_sim::conformance::{self, Verdict};
use rollout_sim::scenario::Scenario;
use std::io::Write;
use std::process::ExitCode;

const USAGE: &str = "usage:\n  rollout-sim run FILE [--json]\n  rollout-sim conformance FILE...";

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    match args.first().map(String::as_str) {
        Some("conformance") if args.len() > 1 => conformance_cmd(&args[1..]),
        Some("run") if args.len() > 1 => run_cmd(&args[1], args[2..].iter().any(|a| a == "--json")),
        _ => {
            eprintln!("{USAGE}");
            ExitCode::from(2)
        }
    }
}

fn run_cmd(path: &str, json: bool) -> ExitCode {
    let text = match std::fs::read_to_string(path) {
        Ok(t) => t,
        Err(e) => {
            eprintln!("{path}: cannot read: {e}");
            return ExitCode::from(2);
        }
    };
    let scenario = match Scenario::parse(&text) {
        Ok(s) => s,
        Err(e) => {
            eprintln!("{path}: {e}");
            return ExitCode::from(2);
        }
    };
    let mut cluster = Cluster::new(scenario);
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
