//! kubectl command lines, as a scenario's timeline or the lab's console writes them. Parsing is
//! separate from running, so a scenario with a bad command is rejected before it starts.
use crate::api::{equal_ignore_hash, Deployment, ReplicaSet, POD_TEMPLATE_HASH, RESTARTED_AT};
use crate::cluster::Cluster;
use crate::manifest::{self, Object};
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
        let n = all
            .iter()
            .skip(2)
            .map(|w| w.trim_start_matches("--to="))
            .find(|w| !w.starts_with('-'));
        return match (all.get(1).map(String::as_str), n) {
            (Some("migrate"), Some(n)) => n
                .parse()
                .map(Command::Migrate)
                .map_err(|_| format!("db migrate: {n:?} is not a schema version (a whole number)")),
            _ => Err("try `db migrate N` to move the database schema to version N".into()),
        };
    }
    let words: Vec<String> = match all.first().map(String::as_str) {
        Some("kubectl") => all[1..].to_vec(),
        _ => all,
    };
    let positional: Vec<&String> = {
        let mut out = Vec::new();
        let mut skip = false;
        for w in &words {
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
    };
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
        "apply" | "create" => match flag(&words, "f").or_else(|| {
            words
                .iter()
                .position(|w| w == "-f")
                .and_then(|i| words.get(i + 1).cloned())
        }) {
            Some(f) if f == "-" => Ok(Command::Apply),
            Some(f) => Err(format!(
                "{verb} -f {f}: only `-f -` (the manifest on stdin) is available here"
            )),
            None => Err(format!("{verb} needs -f -")),
        },
        "set" => {
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
        "scale" => {
            let (kind, name) = resource(&mut it)?;
            if !matches!(kind, Kind::Deployment | Kind::Rollout) {
                return Err("scale works on a deployment or a rollout, like deployment/web".into());
            }
            let replicas = flag(&words, "replicas").ok_or("scale needs --replicas=N")?;
            let replicas = replicas
                .parse::<i32>()
                .ok()
                .filter(|n| *n >= 0)
                .ok_or(format!(
                    "invalid --replicas {replicas:?}: must be a whole number, 0 or more"
                ))?;
            Ok(Command::Scale {
                kind,
                name,
                replicas,
            })
        }
        "rollout" => {
            let sub = it
                .next()
                .ok_or("rollout needs a subcommand: undo, pause, resume, restart, status, history")?
                .clone();
            let deployment = deployment_arg(&mut it)?;
            match sub.as_str() {
                "undo" => {
                    let to_revision = match flag(&words, "to-revision") {
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
                "status" | "history" => Ok(Command::View(words.clone())),
                other => Err(format!("unknown command \"rollout {other}\"")),
            }
        }
        "patch" => {
            let (kind, name) = resource(&mut it)?;
            let text = flag(&words, "p")
                .or_else(|| flag(&words, "patch"))
                .or_else(|| {
                    words
                        .iter()
                        .position(|w| w == "-p")
                        .and_then(|i| words.get(i + 1).cloned())
                });
            let text = text.ok_or("patch needs -p '<json>'")?;
            // JSON is YAML's flow style, so the scenario reader reads patches too (and kubectl
            // itself accepts a YAML patch).
            let patch = crate::yaml::parse(&text, 1)
                .map_err(|e| format!("the patch is not valid JSON: {}", e.message))?
                .0;
            if kind == Kind::Pod {
                return Err(
                    "patching pods is not simulated; patch the deployment's template instead"
                        .into(),
                );
            }
            Ok(Command::Patch { kind, name, patch })
        }
        "delete" => {
            let (kind, name) = resource(&mut it)?;
            let grace = match flag(&words, "grace-period") {
                Some(g) => Some(
                    g.parse::<i64>()
                        .map_err(|_| format!("invalid --grace-period {g:?}"))?
                        .max(0)
                        * SECOND,
                ),
                None => None,
            };
            Ok(Command::Delete { kind, name, grace })
        }
        "get" | "describe" => Ok(Command::View(words.clone())),
        other => Err(format!("unknown command \"{other}\" for \"kubectl\"")),
    }
}

impl Cluster {
    /// Runs one command line now (`stdin` feeds `apply -f -`); the controllers then react at once.
    pub fn kubectl(&mut self, line: &str, stdin: Option<&str>) -> Result<String, String> {
        let command = parse(line)?;
        let changes = !matches!(command, Command::View(_));
        let out = self.execute(command, stdin);
        if changes && out.is_ok() {
            self.reconcile();
        }
        out
    }

    /// Runs a read-only command (`get`, `describe`, `rollout status|history`).
    pub fn show(&self, line: &str) -> Result<String, String> {
        match parse(line)? {
            Command::View(words) => self.view(&words),
            _ => Err(format!("{line:?} changes the cluster; only get, describe and rollout status|history show it")),
        }
    }

    fn execute(&mut self, command: Command, stdin: Option<&str>) -> Result<String, String> {
        let out = match command {
            Command::Apply => {
                let text = stdin.ok_or("apply -f - needs the manifest on stdin")?;
                let objects = manifest::parse_all(text, 1).map_err(|e| e.to_string())?;
                let mut out = Vec::new();
                for object in objects {
                    let (kind, name) = object.kind_and_name();
                    let exists = match &object {
                        Object::Deployment(d) => self.deployment(&d.metadata.name).is_ok(),
                        Object::Service(s) => self
                            .services
                            .iter()
                            .any(|x| x.metadata.name == s.metadata.name),
                        Object::Rollout(r) => self.rollout(&r.metadata.name).is_ok(),
                        Object::AnalysisTemplate(t) => self
                            .analysis_templates
                            .iter()
                            .any(|x| x.metadata.name == t.metadata.name),
                    };
                    out.push(format!(
                        "{kind}/{name} {}",
                        if exists { "configured" } else { "created" }
                    ));
                    match &object {
                        Object::Deployment(d) => self.focus = Some(d.metadata.name.clone()),
                        Object::Rollout(r) => self.focus = Some(r.metadata.name.clone()),
                        _ => {}
                    }
                    self.apply_object(object);
                }
                out.join("\n")
            }
            Command::SetImage { deployment, images } => {
                self.update(&deployment, |d| {
                    for (container, image) in &images {
                        let c = d
                            .spec
                            .template
                            .spec
                            .containers
                            .iter_mut()
                            .find(|c| &c.name == container || container == "*");
                        c.ok_or(format!("unable to find container named \"{container}\""))?
                            .image = image.clone();
                    }
                    Ok(())
                })?;
                format!("deployment.apps/{deployment} image updated")
            }
            Command::Scale {
                kind: Kind::Rollout,
                name,
                replicas,
            } => {
                let i = self.rollout_index(&name)?;
                self.rollouts[i].spec.replicas = replicas;
                self.focus = Some(name.clone());
                format!("rollout.argoproj.io/{name} scaled")
            }
            Command::Scale { name, replicas, .. } => {
                self.update(&name, |d| {
                    d.spec.replicas = replicas;
                    Ok(())
                })?;
                format!("deployment.apps/{name} scaled")
            }
            Command::Pause(name) => self.set_paused(&name, true)?,
            Command::Resume(name) => self.set_paused(&name, false)?,
            Command::Restart(name) => {
                let at = format!("t={}", fmt_secs(self.now));
                self.update(&name, |d| {
                    d.spec
                        .template
                        .metadata
                        .annotations
                        .insert(RESTARTED_AT.into(), at);
                    Ok(())
                })?;
                format!("deployment.apps/{name} restarted")
            }
            Command::Undo {
                deployment,
                to_revision,
            } => self.undo(&deployment, to_revision)?,
            Command::Patch {
                kind: Kind::Deployment,
                name,
                patch,
            } => {
                self.update(&name, |d| {
                    let mut value = crate::write::deployment(d);
                    merge_patch(&mut value, &patch);
                    let patched = crate::yaml::read_value(&value, crate::read::deployment)
                        .map_err(|e| format!("the patch does not fit a Deployment: {e}"))?;
                    let mut check = patched.clone();
                    check.metadata.name = d.metadata.name.clone();
                    manifest::validate_deployment(&check).map_err(|(_, m)| {
                        format!("Deployment.apps \"{}\" is invalid: {m}", d.metadata.name)
                    })?;
                    d.spec = patched.spec;
                    // Metadata patches too (annotations such as kubernetes.io/change-cause, labels).
                    d.metadata.annotations = patched.metadata.annotations;
                    d.metadata.labels = patched.metadata.labels;
                    Ok(())
                })?;
                format!("deployment.apps/{name} patched")
            }
            Command::Patch {
                kind: Kind::Rollout,
                name,
                patch,
            } => {
                let i = self.rollout_index(&name)?;
                let r = &self.rollouts[i];
                let mut value = crate::rollouts::write::rollout(r);
                merge_patch(&mut value, &patch);
                let mut patched = crate::yaml::read_value(&value, crate::rollouts::read::rollout)
                    .map_err(|e| format!("the patch does not fit a Rollout: {e}"))?;
                patched.metadata.name = name.clone();
                manifest::validate_rollout(&patched)
                    .map_err(|(_, m)| format!("Rollout.argoproj.io \"{name}\" is invalid: {m}"))?;
                let r = &mut self.rollouts[i];
                if r.spec != patched.spec {
                    r.metadata.generation += 1;
                }
                r.spec = patched.spec;
                r.metadata.annotations = patched.metadata.annotations;
                r.metadata.labels = patched.metadata.labels;
                self.focus = Some(name.clone());
                format!("rollout.argoproj.io/{name} patched")
            }
            Command::Patch {
                kind: _,
                name,
                patch,
            } => {
                let s = self
                    .services
                    .iter_mut()
                    .find(|s| s.metadata.name == name)
                    .ok_or(format!("services \"{name}\" not found"))?;
                let mut value = crate::write::service(s);
                merge_patch(&mut value, &patch);
                let patched = crate::yaml::read_value(&value, crate::read::service)
                    .map_err(|e| format!("the patch does not fit a Service: {e}"))?;
                s.spec = patched.spec;
                format!("service/{name} patched")
            }
            Command::Delete {
                kind: kind @ (Kind::Deployment | Kind::Rollout),
                name,
                ..
            } => {
                if kind == Kind::Rollout {
                    self.rollout_index(&name)?;
                    self.rollouts.retain(|r| r.metadata.name != name);
                } else {
                    self.deployment(&name)?;
                    self.deployments.retain(|d| d.metadata.name != name);
                }
                // Cascading delete: the ReplicaSets go, and with them their pods, gracefully.
                let owned: Vec<ReplicaSet> = self
                    .replica_sets
                    .iter()
                    .filter(|rs| rs.owner.as_deref() == Some(&name))
                    .cloned()
                    .collect();
                self.replica_sets
                    .retain(|rs| rs.owner.as_deref() != Some(&name));
                let pods: Vec<u64> = self
                    .pods
                    .iter()
                    .filter(|p| owned.iter().any(|rs| rs.metadata.uid == p.owner))
                    .map(|p| p.uid)
                    .collect();
                for uid in pods {
                    self.delete_pod(uid, None);
                }
                if kind == Kind::Rollout {
                    format!("rollout.argoproj.io \"{name}\" deleted")
                } else {
                    format!("deployment.apps \"{name}\" deleted")
                }
            }
            Command::Delete {
                kind: Kind::Pod,
                name,
                grace,
            } => {
                let uid = self
                    .pods
                    .iter()
                    .find(|p| p.name == name || p.name.starts_with(&format!("{name}-")))
                    .map(|p| p.uid);
                let uid = uid.ok_or(format!("pods \"{name}\" not found"))?;
                self.delete_pod(uid, grace);
                format!("pod \"{name}\" deleted")
            }
            Command::Delete {
                kind: Kind::Service,
                name,
                ..
            } => {
                let i = self
                    .services
                    .iter()
                    .position(|s| s.metadata.name == name)
                    .ok_or(format!("services \"{name}\" not found"))?;
                self.services.remove(i);
                self.endpoints.remove(i);
                format!("service \"{name}\" deleted")
            }
            Command::View(words) => self.view(&words)?,
            Command::Argo(command) => self.argo(command)?,
            Command::Migrate(to) => self.migrate(to)?,
        };
        Ok(out)
    }

    pub fn deployment(&self, name: &str) -> Result<&Deployment, String> {
        self.deployments
            .iter()
            .find(|d| d.metadata.name == name)
            .ok_or(format!("deployments.apps \"{name}\" not found"))
    }

    /// Changes a Deployment's spec as the API server does: validation, then a new generation.
    fn update(
        &mut self,
        name: &str,
        change: impl FnOnce(&mut Deployment) -> Result<(), String>,
    ) -> Result<(), String> {
        let i = self
            .deployments
            .iter()
            .position(|d| d.metadata.name == name)
            .ok_or(format!("deployments.apps \"{name}\" not found"))?;
        let mut d = self.deployments[i].clone();
        change(&mut d)?;
        manifest::validate_deployment(&d)
            .map_err(|(_, m)| format!("Deployment.apps \"{name}\" is invalid: {m}"))?;
        if d.spec != self.deployments[i].spec {
            d.metadata.generation += 1;
        }
        self.deployments[i] = d;
        self.focus = Some(name.to_string());
        Ok(())
    }

    /// `rollout pause` / `rollout resume`: kubectl refuses to do either twice.
    fn set_paused(&mut self, name: &str, paused: bool) -> Result<String, String> {
        if self.deployment(name)?.spec.paused == paused {
            let state = if paused {
                "already paused"
            } else {
                "not paused"
            };
            return Err(format!("deployments \"{name}\" is {state}"));
        }
        self.update(name, |d| {
            d.spec.paused = paused;
            Ok(())
        })?;
        Ok(format!(
            "deployment.apps/{name} {}",
            if paused { "paused" } else { "resumed" }
        ))
    }

    /// RH-3: `kubectl rollout undo` copies an old ReplicaSet's template back into the Deployment.
    fn undo(&mut self, name: &str, to_revision: Option<i64>) -> Result<String, String> {
        let d = self.deployment(name)?;
        if d.spec.paused {
            return Err(format!("you cannot rollback a paused deployment; resume it first with 'kubectl rollout resume deployment/{name}' and try again"));
        }
        let mut owned: Vec<&ReplicaSet> = self
            .replica_sets
            .iter()
            .filter(|rs| rs.owner.as_deref() == Some(name))
            .collect();
        crate::order::sort_by_key(&mut owned, |rs| rs.revision());
        let target = match to_revision {
            Some(r) => owned
                .iter()
                .find(|rs| rs.revision() == r)
                .ok_or(format!("unable to find specified revision {r} in history"))?,
            None => {
                let current = owned.last().map(|rs| rs.revision()).unwrap_or(0);
                owned
                    .iter()
                    .rev()
                    .find(|rs| rs.revision() < current)
                    .ok_or(format!(
                        "no rollout history found for deployment \"{name}\""
                    ))?
            }
        };
        if equal_ignore_hash(&target.template, &d.spec.template) {
            return Ok(format!("deployment.apps/{name} skipped rollback (current template already matches revision {})", target.revision()));
        }
        let mut template = target.template.clone();
        template.metadata.labels.remove(POD_TEMPLATE_HASH);
        let revision = target.revision();
        self.update(name, |d| {
            d.spec.template = template;
            Ok(())
        })?;
        Ok(format!(
            "deployment.apps/{name} rolled back (to revision {revision})"
        ))
    }
}

/// RFC 7386 JSON merge patch (what `kubectl patch --type merge` does; for the fields a learner
/// patches, a strategic merge patch behaves the same).
pub fn merge_patch(target: &mut Value, patch: &Value) {
    match patch {
        Value::Object(fields) => {
            if !target.is_object() {
                *target = Value::Object(Default::default());
            }
            if let Value::Object(obj) = target {
                for (k, v) in fields {
                    if v.is_null() {
                        obj.remove(k);
                    } else {
                        merge_patch(obj.entry(k.clone()).or_insert(Value::Null), v);
                    }
                }
            }
        }
        other => *target = other.clone(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

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
                }),
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

    #[test]
    fn merge_patch_replaces_and_removes() {
        let mut doc = serde_json::json!({"spec": {"selector": {"app": "web", "v": "1"}, "x": 1}});
        merge_patch(
            &mut doc,
            &serde_json::json!({"spec": {"selector": {"v": "2"}, "x": null}}),
        );
        assert_eq!(
            doc,
            serde_json::json!({"spec": {"selector": {"app": "web", "v": "2"}}})
        );
    }
}
