//! kubectl command lines, as a scenario's timeline or the lab's console writes them. Parsing is
//! separate from running, so a scenario with a bad command is rejected before it starts.
use crate::api::{equal_ignore_hash, Deployment, ReplicaSet, POD_TEMPLATE_HASH, RESTARTED_AT};
mod cmd;
pub mod line;

use crate::manifest::{self, Object};
use crate::patch::PatchType;
use crate::time::{fmt_secs, Ms, SECOND};
use serde_json::Value;

#[derive(Clone, Debug, PartialEq)]
pub enum Command {
    Apply,
    SetImage {
        deployment: String,
        images: Vec<(String, String)>,
    },
    /// `scale deployment/NAME` or `scale rollout/NAME` (the scale subresource).
    Scale {
        kind: Kind,
        name: String,
        replicas: i32,
    },
    Undo {
        deployment: String,
        to_revision: Option<i64>,
    },
    Pause(String),
    Resume(String),
    Restart(String),
    Patch {
        kind: Kind,
        name: String,
        patch: Value,
        /// `--type`: strategic (the default), merge or json.
        type_: PatchType,
    },
    Delete {
        kind: Kind,
        name: String,
        grace: Option<Ms>,
    },
    /// Read-only views (`get`, `describe`, `rollout status|history`): nothing changes.
    View(Vec<String>),
    /// `kubectl argo rollouts ...` (the Argo Rollouts plugin).
    Argo(crate::rollouts::commands::ArgoCommand),
    /// `db migrate N`: the database schema moves to version N (not kubectl: the migration job a
    /// release runs).
    Migrate(u32),
    /// `flag NAME on|off|N%`: a feature flag turned on for a share of users (not kubectl: the
    /// flag service a release uses).
    Flag {
        name: String,
        percent: u8,
    },
    /// `oc tag SOURCE DEST`: an OpenShift image stream tag moved (see `openshift`).
    Tag {
        source: String,
        dest: String,
    },
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Kind {
    Deployment,
    Rollout,
    Service,
    Pod,
}

/// Splits a command line as a POSIX shell would (quotes, backslashes), without running anything.
pub fn tokenize(line: &str) -> Result<Vec<String>, String> {
    let mut words = Vec::new();
    let mut word = String::new();
    let mut in_word = false;
    let mut chars = line.chars();
    while let Some(c) = chars.next() {
        match c {
            '\'' => {
                in_word = true;
                loop {
                    match chars.next() {
                        Some('\'') => break,
                        Some(c) => word.push(c),
                        None => return Err("unterminated ' quote".into()),
                    }
                }
            }
            '"' => {
                in_word = true;
                loop {
                    match chars.next() {
                        Some('"') => break,
                        Some('\\') => word.push(chars.next().ok_or("unterminated \" quote")?),
                        Some(c) => word.push(c),
                        None => return Err("unterminated \" quote".into()),
                    }
                }
            }
            '\\' => {
                in_word = true;
                word.extend(chars.next());
            }
            c if c.is_whitespace() => {
                if in_word {
                    words.push(std::mem::take(&mut word));
                    in_word = false;
                }
            }
            c => {
                in_word = true;
                word.push(c);
            }
        }
    }
    if in_word {
        words.push(word);
    }
    Ok(words)
}

/// `deployment/web`, `deploy/web`, `deployments/web` or the two words `deployment web`.
fn resource<'a>(words: &mut impl Iterator<Item = &'a String>) -> Result<(Kind, String), String> {
    let first = words
        .next()
        .ok_or("expected a resource, like deployment/web")?;
    let (kind, name) = match first.split_once('/') {
        Some((k, n)) => (k.to_string(), n.to_string()),
        None => (
            first.clone(),
            words
                .next()
                .ok_or_else(|| format!("expected a name after {first:?}"))?
                .clone(),
        ),
    };
    let kind = match kind.as_str() {
        "deployment" | "deployments" | "deploy" | "deployment.apps" => Kind::Deployment,
        "service" | "services" | "svc" => Kind::Service,
        "rollout" | "rollouts" | "ro" | "rollout.argoproj.io" | "rollouts.argoproj.io" => {
            Kind::Rollout
        }
        "pod" | "pods" | "po" => Kind::Pod,
        other => {
            return Err(format!(
                "the server doesn't have a resource type \"{other}\""
            ))
        }
    };
    if name.is_empty() {
        return Err("a resource name is required".into());
    }
    // No object can have another name, so no command can name one (and a printed command
    // must read back as itself).
    if !crate::api::is_dns_subdomain(&name) {
        return Err(format!("error: name {}", crate::api::invalid_name(&name)));
    }
    Ok((kind, name))
}

fn deployment_arg<'a>(words: &mut impl Iterator<Item = &'a String>) -> Result<String, String> {
    match resource(words)? {
        (Kind::Deployment, name) => Ok(name),
        _ => Err("this command works on a deployment, like deployment/web".into()),
    }
}

fn flag(words: &[String], name: &str) -> Option<String> {
    let prefix = format!("--{name}=");
    words.iter().enumerate().find_map(|(i, w)| {
        w.strip_prefix(&prefix).map(str::to_string).or_else(|| {
            (w == &format!("--{name}"))
                .then(|| words.get(i + 1).cloned())
                .flatten()
        })
    })
}

pub fn parse(line: &str) -> Result<Command, String> {
    let all = tokenize(line)?;
    if all.first().map(String::as_str) == Some("db") {
        return migrate(&all);
    }
    if all.first().map(String::as_str) == Some("flag") {
        return feature_flag(&all);
    }
    // `oc` is kubectl for what the two share; its own verbs are OpenShift's.
    if all.first().map(String::as_str) == Some("oc") {
        if let Some(command) = oc(&all[1..])? {
            return Ok(command);
        }
    }
    let words: Vec<String> = match all.first().map(String::as_str) {
        Some("kubectl" | "oc") => all[1..].to_vec(),
        _ => all,
    };
    let positional = positional(&words);
    if positional.first().map(|w| w.as_str()) == Some("argo") {
        if positional.get(1).map(|w| w.as_str()) != Some("rollouts") {
            return Err("unknown command \"argo\": try kubectl argo rollouts ...".into());
        }
        let rest: Vec<&str> = positional[2..].iter().map(|w| w.as_str()).collect();
        return match rest.first() {
            Some(&"get" | &"status" | &"list") => Ok(Command::View(words.clone())),
            _ => crate::rollouts::commands::parse(&rest, &words).map(Command::Argo),
        };
    }
    let mut it = positional.iter().copied();
    let verb = it.next().ok_or("empty command")?;
    match verb.as_str() {
        "apply" | "create" => apply(verb, &words),
        "set" => set_image(it),
        "scale" => scale(&words, it),
        "rollout" => rollout(&words, it),
        "patch" => patch(&words, it),
        "delete" => delete(&words, it),
        "get" | "describe" => Ok(Command::View(words.clone())),
        other => Err(match not_simulated(other) {
            Some(why) => format!("error: kubectl {other} is not simulated: {why}"),
            None => format!("unknown command \"{other}\" for \"kubectl\""),
        }),
    }
}

/// Real kubectl commands the simulator does not run, and what to use instead.
fn not_simulated(verb: &str) -> Option<&'static str> {
    Some(match verb {
        "logs" | "attach" => "the simulated containers write no logs; `kubectl get events` and `kubectl describe` say what happened, and the lab's requests say why each failed",
        "exec" | "cp" | "debug" | "port-forward" | "proxy" => "there is no process or network to reach inside the simulation; the lab's traffic is the client",
        "top" => "the simulation measures requests, not CPU or memory",
        "edit" | "replace" | "label" | "annotate" => "change objects with `kubectl apply -f -`, `kubectl patch` or `kubectl set image`",
        "run" | "expose" | "autoscale" | "wait" | "explain" | "api-resources" | "drain" | "cordon" | "uncordon" | "taint" => "the simulator runs apply, create, set image, scale, rollout, patch, delete, get and describe",
        _ => return None,
    })
}

/// `db migrate N` (or `--to=N`): not kubectl, the migration job a release runs.
fn migrate(all: &[String]) -> Result<Command, String> {
    let n = all
        .iter()
        .skip(2)
        .map(|w| w.trim_start_matches("--to="))
        .find(|w| !w.starts_with('-'));
    match (all.get(1).map(String::as_str), n) {
        (Some("migrate"), Some(n)) => n
            .parse()
            .map(Command::Migrate)
            .map_err(|_| format!("db migrate: {n:?} is not a schema version (a whole number)")),
        _ => Err("try `db migrate N` to move the database schema to version N".into()),
    }
}

/// The `oc` verbs that are not kubectl's: `tag`, `scale dc/NAME`; `None` for a shared verb.
fn oc(words: &[String]) -> Result<Option<Command>, String> {
    let said = positional(words);
    let verb = said.first().map(|w| w.as_str());
    match verb {
        Some("tag") => match (said.get(1), said.get(2), said.get(3)) {
            (Some(source), Some(dest), None) => Ok(Some(Command::Tag {
                source: (*source).clone(),
                dest: (*dest).clone(),
            })),
            _ => Err("error: oc tag takes a SOURCE and a DEST, as in oc tag myapp:2 myapp:latest".into()),
        },
        // A DeploymentConfig: the Deployment of the same name (see `openshift`).
        Some("scale") => {
            let renamed: Vec<String> = words
                .iter()
                .map(|w| match w.split_once('/') {
                    Some(("dc" | "deploymentconfig" | "deploymentconfigs", name)) => {
                        format!("deployment/{name}")
                    }
                    _ => w.clone(),
                })
                .collect();
            let rest = positional(&renamed);
            scale(&renamed, rest.into_iter().skip(1)).map(Some)
        }
        Some(other @ ("new-app" | "start-build" | "new-build" | "expose" | "login" | "project" | "process" | "import-image" | "set" | "adm"))
            if !(other == "set" && said.get(1).map(|w| w.as_str()) == Some("image")) =>
        {
            Err(format!("error: oc {other} is not simulated: the simulator runs oc tag, oc scale and the commands oc shares with kubectl"))
        }
        _ => Ok(None),
    }
}

/// `flag NAME on`, `flag NAME off` or `flag NAME 25%`.
fn feature_flag(all: &[String]) -> Result<Command, String> {
    let usage = "try `flag NAME on`, `flag NAME off` or `flag NAME 25%`";
    let (Some(name), Some(state), None) = (all.get(1), all.get(2), all.get(3)) else {
        return Err(usage.into());
    };
    let percent = match state.as_str() {
        "on" => 100,
        "off" => 0,
        p => p
            .strip_suffix('%')
            .and_then(|n| n.parse::<u8>().ok())
            .filter(|n| *n <= 100)
            .ok_or_else(|| {
                format!("flag {name}: {state:?} is not on, off or a percentage from 0% to 100%")
            })?,
    };
    Ok(Command::Flag {
        name: name.clone(),
        percent,
    })
}

/// The words that are not flags, nor the values of flags that take one.
fn positional(words: &[String]) -> Vec<&String> {
    let mut out = Vec::new();
    let mut skip = false;
    for w in words {
        if skip {
            skip = false;
        } else if w.starts_with('-') {
            skip = !w.contains('=')
                && matches!(
                    w.as_str(),
                    "-p" | "--patch"
                        | "-f"
                        | "--replicas"
                        | "--to-revision"
                        | "--grace-period"
                        | "--type"
                        | "-n"
                        | "--namespace"
                );
        } else {
            out.push(w);
        }
    }
    out
}

/// A flag's value given as `--long=V`, `--long V`, `-s V` or `-s=V`.
fn flag_or_short(words: &[String], long: &str, short: &str) -> Option<String> {
    let joined = format!("{short}=");
    flag(words, long).or_else(|| {
        words
            .iter()
            .enumerate()
            .find_map(|(i, w)| match w.strip_prefix(&joined) {
                Some(v) => Some(v.to_string()),
                None if w == short => words.get(i + 1).cloned(),
                None => None,
            })
    })
}

/// `apply -f -` or `create -f -`: the manifest comes on stdin.
fn apply(verb: &str, words: &[String]) -> Result<Command, String> {
    match flag_or_short(words, "f", "-f") {
        Some(f) if f == "-" => Ok(Command::Apply),
        Some(f) => Err(format!(
            "{verb} -f {f}: only `-f -` (the manifest on stdin) is available here"
        )),
        None => Err(format!("{verb} needs -f -")),
    }
}

/// `set image deployment/NAME CONTAINER=IMAGE …`.
fn set_image<'a>(mut it: impl Iterator<Item = &'a String>) -> Result<Command, String> {
    match it.next().map(String::as_str) {
        Some("image") => {}
        other => {
            return Err(format!(
                "unknown command \"set {}\": try set image",
                other.unwrap_or("")
            ))
        }
    }
    let deployment = deployment_arg(&mut it)?;
    let images: Vec<(String, String)> = it
        .map(|pair| {
            pair.split_once('=')
                .map(|(c, i)| (c.to_string(), i.to_string()))
                .ok_or(format!("expected CONTAINER=IMAGE, got {pair:?}"))
        })
        .collect::<Result<_, _>>()?;
    if images.is_empty() {
        return Err("set image needs at least one CONTAINER=IMAGE".into());
    }
    Ok(Command::SetImage { deployment, images })
}

/// `scale deployment/NAME --replicas=N` (or a rollout).
fn scale<'a>(
    words: &[String],
    mut it: impl Iterator<Item = &'a String>,
) -> Result<Command, String> {
    let (kind, name) = resource(&mut it)?;
    if !matches!(kind, Kind::Deployment | Kind::Rollout) {
        return Err("scale works on a deployment or a rollout, like deployment/web".into());
    }
    let replicas = flag(words, "replicas").ok_or("scale needs --replicas=N")?;
    let replicas = replicas
        .parse::<i32>()
        .ok()
        .filter(|n| *n >= 0)
        .ok_or(format!(
            "invalid --replicas {replicas:?}: must be a whole number, 0 or more"
        ))?;
    if replicas > crate::limits::REPLICAS {
        return Err(crate::limits::exceeded(
            "--replicas",
            crate::limits::REPLICAS,
        ));
    }
    Ok(Command::Scale {
        kind,
        name,
        replicas,
    })
}

/// `rollout undo|pause|resume|restart|status|history deployment/NAME`.
fn rollout<'a>(
    words: &[String],
    mut it: impl Iterator<Item = &'a String>,
) -> Result<Command, String> {
    let sub = it
        .next()
        .ok_or("rollout needs a subcommand: undo, pause, resume, restart, status, history")?
        .clone();
    let deployment = deployment_arg(&mut it)?;
    match sub.as_str() {
        "undo" => {
            let to_revision = match flag(words, "to-revision") {
                Some(r) => Some(
                    r.parse::<i64>()
                        .map_err(|_| format!("invalid --to-revision {r:?}"))?,
                ),
                None => None,
            };
            Ok(Command::Undo {
                deployment,
                to_revision: to_revision.filter(|r| *r != 0),
            })
        }
        "pause" => Ok(Command::Pause(deployment)),
        "resume" => Ok(Command::Resume(deployment)),
        "restart" => Ok(Command::Restart(deployment)),
        "status" | "history" => Ok(Command::View(words.to_vec())),
        other => Err(format!("unknown command \"rollout {other}\"")),
    }
}

/// `patch deployment|rollout|service NAME [--type strategic|merge|json] -p '<json>'`.
fn patch<'a>(
    words: &[String],
    mut it: impl Iterator<Item = &'a String>,
) -> Result<Command, String> {
    let (kind, name) = resource(&mut it)?;
    let text = flag_or_short(words, "patch", "-p");
    let text = text.ok_or(
        "error: must specify --patch or --patch-file containing the contents of the patch",
    )?;
    let type_ = flag(words, "type").map_or(Ok(PatchType::Strategic), |t| PatchType::parse(&t))?;
    // JSON is YAML's flow style, so the scenario reader reads patches too (and kubectl
    // itself accepts a YAML patch).
    let patch = crate::yaml::parse(&text, 1)
        .map_err(|e| format!("the patch is not valid JSON: {}", e.message))?
        .0;
    if kind == Kind::Pod {
        return Err(
            "patching pods is not simulated; patch the deployment's template instead".into(),
        );
    }
    Ok(Command::Patch {
        kind,
        name,
        patch,
        type_,
    })
}

/// `delete deployment|rollout|pod|service NAME [--grace-period=N]`.
fn delete<'a>(
    words: &[String],
    mut it: impl Iterator<Item = &'a String>,
) -> Result<Command, String> {
    let (kind, name) = resource(&mut it)?;
    let grace = match flag(words, "grace-period") {
        Some(g) => {
            let seconds = g
                .parse::<i64>()
                .map_err(|_| format!("invalid --grace-period {g:?}"))?;
            if seconds > crate::limits::DURATION / SECOND {
                return Err(crate::limits::too_long("--grace-period"));
            }
            // kubectl ignores a negative grace period: the pod's own applies.
            (seconds >= 0).then(|| seconds * SECOND)
        }
        None => None,
    };
    Ok(Command::Delete { kind, name, grace })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn grace_periods_as_kubectl_reads_them() {
        let grace = |line: &str| match parse(line) {
            Ok(Command::Delete { grace, .. }) => Ok(grace),
            other => Err(format!("{other:?}")),
        };
        assert_eq!(
            grace("kubectl delete pod web-a --grace-period=5"),
            Ok(Some(5000))
        );
        // Negative: ignored, the pod's own grace period applies; however negative, it is
        // never multiplied into an overflow.
        assert_eq!(
            grace("kubectl delete pod web-a --grace-period=-1"),
            Ok(None)
        );
        let far = grace("kubectl delete pod web-a --grace-period=-5294967296294967296");
        assert_eq!(far, Ok(None));
        // A quoted name with spaces is no name the API server takes, in the plugin too.
        let quoted =
            parse("kubectl argo rollouts promote myap\"p --fullrollouts promote myap\"p --full");
        assert!(quoted.unwrap_err().contains("RFC 1123 subdomain"));
        let long = grace("kubectl delete pod web-a --grace-period=4294967296294967296");
        assert!(long.unwrap_err().contains("above the simulator's limit"));
    }

    #[test]
    fn parses_the_timeline_commands() {
        let cases: Vec<(&str, Result<Command, &str>)> = vec![
            (
                "kubectl set image deployment/myapp app=myapp:2",
                Ok(Command::SetImage {
                    deployment: "myapp".into(),
                    images: vec![("app".into(), "myapp:2".into())],
                }),
            ),
            (
                "kubectl scale deploy web --replicas=5",
                Ok(Command::Scale {
                    kind: Kind::Deployment,
                    name: "web".into(),
                    replicas: 5,
                }),
            ),
            (
                "kubectl scale rollout/web --replicas 2",
                Ok(Command::Scale {
                    kind: Kind::Rollout,
                    name: "web".into(),
                    replicas: 2,
                }),
            ),
            (
                "kubectl rollout undo deployment/web --to-revision=2",
                Ok(Command::Undo {
                    deployment: "web".into(),
                    to_revision: Some(2),
                }),
            ),
            (
                "kubectl rollout undo deployment/web",
                Ok(Command::Undo {
                    deployment: "web".into(),
                    to_revision: None,
                }),
            ),
            (
                "kubectl rollout pause deployment/web",
                Ok(Command::Pause("web".into())),
            ),
            ("kubectl apply -f -", Ok(Command::Apply)),
            (
                "kubectl delete pod web-abc --grace-period=0",
                Ok(Command::Delete {
                    kind: Kind::Pod,
                    name: "web-abc".into(),
                    grace: Some(0),
                }),
            ),
            (
                "kubectl patch service web -p '{\"spec\":{\"selector\":{\"v\":\"2\"}}}'",
                Ok(Command::Patch {
                    kind: Kind::Service,
                    name: "web".into(),
                    patch: serde_json::json!({"spec":{"selector":{"v":"2"}}}),
                    type_: PatchType::Strategic,
                }),
            ),
            (
                "kubectl patch deploy web --type=json -p='[{\"op\":\"remove\",\"path\":\"/spec/paused\"}]'",
                Ok(Command::Patch {
                    kind: Kind::Deployment,
                    name: "web".into(),
                    patch: serde_json::json!([{"op": "remove", "path": "/spec/paused"}]),
                    type_: PatchType::Json,
                }),
            ),
            (
                "kubectl patch rollout web --type merge --patch '{\"spec\":{\"paused\":true}}'",
                Ok(Command::Patch {
                    kind: Kind::Rollout,
                    name: "web".into(),
                    patch: serde_json::json!({"spec": {"paused": true}}),
                    type_: PatchType::Merge,
                }),
            ),
            (
                "kubectl patch deploy web --type apply -p '{}'",
                Err("--type must be one of [json merge strategic]"),
            ),
            (
                "kubectl frobnicate deployment/web",
                Err("unknown command \"frobnicate\" for \"kubectl\""),
            ),
            (
                "kubectl rollout explode deployment/web",
                Err("unknown command \"rollout explode\""),
            ),
            (
                "kubectl scale deployment/web",
                Err("scale needs --replicas=N"),
            ),
            (
                "kubectl set image deployment/web",
                Err("set image needs at least one CONTAINER=IMAGE"),
            ),
            (
                "kubectl apply -f app.yaml",
                Err("apply -f app.yaml: only `-f -` (the manifest on stdin) is available here"),
            ),
            (
                "kubectl get statefulset/x",
                Ok(Command::View(vec!["get".into(), "statefulset/x".into()])),
            ),
            (
                "kubectl patch svc web -p '{bad'",
                Err("the patch is not valid JSON"),
            ),
            (
                "kubectl set image 'deployment/web",
                Err("unterminated ' quote"),
            ),
        ];
        for (line, want) in cases {
            match (parse(line), want) {
                (Ok(got), Ok(want)) => assert_eq!(got, want, "{line}"),
                (Err(got), Err(want)) => assert!(got.starts_with(want), "{line}: {got}"),
                (got, want) => panic!("{line}: got {got:?}, want {want:?}"),
            }
        }
    }
}
