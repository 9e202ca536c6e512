//! A command written back as the line kubectl takes, so the lab's buttons and completions are
//! `Command` values and the console shows what they stand for. `parse(&c.to_string()) == Ok(c)`.
use super::{Command, Kind};
use crate::rollouts::commands::ArgoCommand;
use crate::time::SECOND;
use std::fmt;

impl fmt::Display for Kind {
    fn fmt(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str(match self {
            Kind::Deployment => "deployment",
            Kind::Rollout => "rollout",
            Kind::Service => "service",
            Kind::Pod => "pod",
        })
    }
}

/// A word as a shell reads it back: quoted when it holds a space or a quote.
fn word(w: &str) -> String {
    let plain = !w.is_empty() && !w.contains(|c: char| c.is_whitespace() || "'\"\\".contains(c));
    match plain {
        true => w.to_string(),
        false if !w.contains('\'') => format!("'{w}'"),
        false => format!("\"{}\"", w.replace('\\', "\\\\").replace('"', "\\\"")),
    }
}

fn images(pairs: &[(String, String)]) -> String {
    pairs
        .iter()
        .map(|(c, i)| word(&format!("{c}={i}")))
        .collect::<Vec<_>>()
        .join(" ")
}

impl fmt::Display for Command {
    fn fmt(&self, f: &mut fmt::Formatter) -> fmt::Result {
        match self {
            Command::Apply => write!(f, "kubectl apply -f -"),
            Command::SetImage {
                deployment,
                images: i,
            } => {
                write!(f, "kubectl set image deployment/{deployment} {}", images(i))
            }
            Command::Scale {
                kind,
                name,
                replicas,
            } => {
                write!(f, "kubectl scale {kind}/{name} --replicas={replicas}")
            }
            Command::Undo {
                deployment,
                to_revision,
            } => {
                write!(f, "kubectl rollout undo deployment/{deployment}")?;
                to_revision.map_or(Ok(()), |r| write!(f, " --to-revision={r}"))
            }
            Command::Pause(d) => write!(f, "kubectl rollout pause deployment/{d}"),
            Command::Resume(d) => write!(f, "kubectl rollout resume deployment/{d}"),
            Command::Restart(d) => write!(f, "kubectl rollout restart deployment/{d}"),
            Command::Patch {
                kind,
                name,
                patch,
                type_,
            } => {
                write!(f, "kubectl patch {kind} {name}")?;
                if *type_ != crate::patch::PatchType::Strategic {
                    write!(f, " --type {}", type_.name())?;
                }
                write!(f, " -p {}", word(&patch.to_string()))
            }
            Command::Delete { kind, name, grace } => {
                write!(f, "kubectl delete {kind} {name}")?;
                grace.map_or(Ok(()), |g| write!(f, " --grace-period={}", g / SECOND))
            }
            Command::View(words) => {
                let words: Vec<String> = words.iter().map(|w| word(w)).collect();
                write!(f, "kubectl {}", words.join(" "))
            }
            Command::Argo(a) => write!(f, "kubectl argo rollouts {a}"),
            Command::Migrate(n) => write!(f, "db migrate {n}"),
            Command::Tag { source, dest } => write!(f, "oc tag {source} {dest}"),
            Command::Flag { name, percent } => match percent {
                0 => write!(f, "flag {name} off"),
                100 => write!(f, "flag {name} on"),
                p => write!(f, "flag {name} {p}%"),
            },
        }
    }
}

impl fmt::Display for ArgoCommand {
    fn fmt(&self, f: &mut fmt::Formatter) -> fmt::Result {
        match self {
            ArgoCommand::Promote { name, full } => {
                write!(f, "promote {name}{}", if *full { " --full" } else { "" })
            }
            ArgoCommand::Abort(name) => write!(f, "abort {name}"),
            ArgoCommand::Retry(name) => write!(f, "retry rollout {name}"),
            ArgoCommand::Undo { name, to_revision } => {
                write!(f, "undo {name}")?;
                to_revision.map_or(Ok(()), |r| write!(f, " --to-revision={r}"))
            }
            ArgoCommand::Pause(name) => write!(f, "pause {name}"),
            ArgoCommand::SetImage { name, images: i } => {
                write!(f, "set image {name} {}", images(i))
            }
        }
    }
}

/// A read-only view, as the words after `kubectl`.
pub fn view(line: &str) -> Command {
    Command::View(line.split_whitespace().map(str::to_string).collect())
}

#[cfg(test)]
mod tests {
    use super::super::parse;

    #[test]
    fn every_command_reads_back_from_its_line() {
        for line in [
            "kubectl apply -f -",
            "kubectl set image deployment/myapp app=myapp:2 sidecar=envoy:1.30",
            "kubectl scale rollout/myapp --replicas=4",
            "kubectl rollout undo deployment/myapp --to-revision=2",
            "kubectl rollout pause deployment/myapp",
            "kubectl rollout resume deployment/myapp",
            "kubectl rollout restart deployment/myapp",
            r#"kubectl patch service myapp -p '{"spec":{"selector":{"version":"v2"}}}'"#,
            "kubectl delete pod myapp-7d9c-x2 --grace-period=5",
            "kubectl get deploy,rs,pods",
            "kubectl argo rollouts get rollout myapp",
            "kubectl argo rollouts promote myapp --full",
            "kubectl argo rollouts abort myapp",
            "kubectl argo rollouts retry rollout myapp",
            "kubectl argo rollouts undo myapp --to-revision=1",
            "kubectl argo rollouts pause myapp",
            "kubectl argo rollouts set image myapp app=myapp:2",
            "db migrate 2",
        ] {
            let command = parse(line).unwrap_or_else(|e| panic!("{line}: {e}"));
            assert_eq!(command.to_string(), line, "printed as written");
            assert_eq!(parse(&command.to_string()), Ok(command), "{line}");
        }
    }

    #[test]
    fn words_with_spaces_or_quotes_are_quoted() {
        assert_eq!(super::word("a b"), "'a b'");
        assert_eq!(super::word("it's"), "\"it's\"");
        assert_eq!(super::word(""), "''");
    }
}
