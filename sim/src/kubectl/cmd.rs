//! What each kubectl command does to the cluster, one function per command (kubectl's
//! `pkg/cmd/<command>`); read-only views are answered by `show`.
use super::*;
use crate::cluster::Cluster;

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
        match command {
            Command::Apply => self.apply(stdin.ok_or("apply -f - needs the manifest on stdin")?),
            Command::SetImage { deployment, images } => self.set_image(&deployment, &images),
            Command::Scale {
                kind,
                name,
                replicas,
            } => self.scale(kind, &name, replicas),
            Command::Pause(name) => self.set_paused(&name, true),
            Command::Resume(name) => self.set_paused(&name, false),
            Command::Restart(name) => self.restart(&name),
            Command::Undo {
                deployment,
                to_revision,
            } => self.undo(&deployment, to_revision),
            Command::Patch {
                kind,
                name,
                patch,
                type_,
            } => match kind {
                Kind::Deployment => self.patch_deployment(&name, &patch, type_),
                Kind::Rollout => self.patch_rollout(&name, &patch, type_),
                Kind::Service | Kind::Pod => self.patch_service(&name, &patch, type_),
            },
            Command::Delete { kind, name, grace } => match kind {
                Kind::Deployment | Kind::Rollout => self.delete_workload(kind, &name),
                Kind::Pod => self.delete_pod_named(&name, grace),
                Kind::Service => self.delete_service(&name),
            },
            Command::View(words) => self.view(&words),
            Command::Argo(command) => self.argo(command),
            Command::Migrate(to) => self.migrate(to),
            Command::Flag { name, percent } => self.set_flag(&name, percent),
            Command::Tag { source, dest } => self.tag(&source, &dest),
        }
    }

    /// `kubectl apply -f -`: each object created or configured, as kubectl reports it.
    fn apply(&mut self, text: &str) -> Result<String, String> {
        let objects =
            manifest::parse_all(text, crate::yaml::Origin::line(1)).map_err(|e| e.to_string())?;
        let mut out = Vec::new();
        let objects_kept: Vec<Object> = objects
            .iter()
            .filter(|o| matches!(o, Object::Kept(_)))
            .cloned()
            .collect();
        for object in &objects {
            if let Object::Deployment(d) = object {
                if let Ok(old) = self.deployment(&d.metadata.name) {
                    manifest::selector_unchanged(old, d).map_err(|m| {
                        format!("The Deployment \"{}\" is invalid: {m}", d.metadata.name)
                    })?;
                }
            }
        }
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
                Object::Kept(k) => self
                    .kept
                    .iter()
                    .any(|x| x.resource() == k.resource() && x.name == k.name),
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
        if let Some(note) = manifest::kept_note(&objects_kept) {
            out.push(format!("note: {note}"));
        }
        Ok(out.join("\n"))
    }

    /// `kubectl set image deployment/NAME CONTAINER=IMAGE …` (`*` names every container).
    pub(crate) fn set_image(
        &mut self,
        deployment: &str,
        images: &[(String, String)],
    ) -> Result<String, String> {
        self.update(deployment, |d| {
            for (container, image) in images {
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
        Ok(format!("deployment.apps/{deployment} image updated"))
    }

    /// `kubectl scale`: the scale subresource of a Deployment or a Rollout.
    fn scale(&mut self, kind: Kind, name: &str, replicas: i32) -> Result<String, String> {
        if kind == Kind::Rollout {
            let i = self.rollout_index(name)?;
            self.rollouts[i].spec.replicas = replicas;
            self.focus = Some(name.to_string());
            return Ok(format!("rollout.argoproj.io/{name} scaled"));
        }
        self.update(name, |d| {
            d.spec.replicas = replicas;
            Ok(())
        })?;
        Ok(format!("deployment.apps/{name} scaled"))
    }

    /// `kubectl rollout restart`: an annotation on the pod template, so the template changes.
    fn restart(&mut self, name: &str) -> Result<String, String> {
        let at = format!("t={}", fmt_secs(self.now));
        self.update(name, |d| {
            d.spec
                .template
                .metadata
                .annotations
                .insert(RESTARTED_AT.into(), at);
            Ok(())
        })?;
        Ok(format!("deployment.apps/{name} restarted"))
    }

    /// `kubectl patch deployment`: the patched object is read (and so defaulted) and validated
    /// as a new one would be.
    fn patch_deployment(
        &mut self,
        name: &str,
        patch: &Value,
        type_: PatchType,
    ) -> Result<String, String> {
        let mut unchanged = false;
        self.update(name, |d| {
            let before = crate::write::deployment(d);
            let mut value = before.clone();
            crate::patch::apply(&mut value, patch, type_, "Deployment")?;
            unchanged = value == before;
            let patched = crate::yaml::read_value(&value, crate::read::deployment)
                .map_err(|e| format!("the patch does not fit a Deployment: {e}"))?;
            let mut check = patched.clone();
            check.metadata.name = d.metadata.name.clone();
            manifest::validate_deployment(&check)
                .map_err(|m| format!("Deployment.apps \"{}\" is invalid: {m}", d.metadata.name))?;
            d.spec = patched.spec;
            // Metadata patches too (annotations such as kubernetes.io/change-cause, labels).
            d.metadata.annotations = patched.metadata.annotations;
            d.metadata.labels = patched.metadata.labels;
            Ok(())
        })?;
        Ok(patched_line("deployment.apps", name, unchanged))
    }

    /// `kubectl patch rollout`: as for a Deployment, with Argo's reader and validation. A
    /// Rollout is a custom resource, which the API server cannot strategic-merge (it has no Go
    /// types to read merge keys from): `--type merge` or `--type json`.
    fn patch_rollout(
        &mut self,
        name: &str,
        patch: &Value,
        type_: PatchType,
    ) -> Result<String, String> {
        let i = self.rollout_index(name)?;
        if type_ == PatchType::Strategic {
            return Err("Error from server (UnsupportedMediaType): the body of the request was in an unknown format - accepted media types include: application/json-patch+json, application/merge-patch+json, application/apply-patch+yaml".into());
        }
        let before = crate::rollouts::write::rollout(&self.rollouts[i]);
        let mut value = before.clone();
        crate::patch::apply(&mut value, patch, type_, "Rollout")?;
        let unchanged = value == before;
        let mut patched = crate::yaml::read_value(&value, crate::rollouts::read::rollout)
            .map_err(|e| format!("the patch does not fit a Rollout: {e}"))?;
        patched.metadata.name = name.to_string();
        manifest::validate_rollout(&patched)
            .map_err(|m| format!("Rollout.argoproj.io \"{name}\" is invalid: {m}"))?;
        let r = &mut self.rollouts[i];
        if r.spec != patched.spec {
            r.metadata.generation += 1;
        }
        r.spec = patched.spec;
        r.metadata.annotations = patched.metadata.annotations;
        r.metadata.labels = patched.metadata.labels;
        self.focus = Some(name.to_string());
        Ok(patched_line("rollout.argoproj.io", name, unchanged))
    }

    /// `kubectl patch service` (a selector switch, for blue-green by hand).
    fn patch_service(
        &mut self,
        name: &str,
        patch: &Value,
        type_: PatchType,
    ) -> Result<String, String> {
        let s = self
            .services
            .iter_mut()
            .find(|s| s.metadata.name == name)
            .ok_or(format!("services \"{name}\" not found"))?;
        let before = crate::write::service(s);
        let mut value = before.clone();
        crate::patch::apply(&mut value, patch, type_, "Service")?;
        let read = crate::yaml::read_value(&value, crate::read::service)
            .map_err(|e| format!("the patch does not fit a Service: {e}"))?;
        s.spec = read.spec;
        Ok(patched_line("service", name, value == before))
    }

    /// `kubectl delete deployment|rollout`: cascading, so its ReplicaSets go and with them their
    /// pods, gracefully.
    fn delete_workload(&mut self, kind: Kind, name: &str) -> Result<String, String> {
        if kind == Kind::Rollout {
            self.rollout_index(name)?;
            self.rollouts.retain(|r| r.metadata.name != name);
        } else {
            self.deployment(name)?;
            self.deployments.retain(|d| d.metadata.name != name);
        }
        let owned: Vec<ReplicaSet> = self
            .replica_sets
            .iter()
            .filter(|rs| rs.owner.as_deref() == Some(name))
            .cloned()
            .collect();
        self.replica_sets
            .retain(|rs| rs.owner.as_deref() != Some(name));
        let pods: Vec<u64> = self
            .pods
            .iter()
            .filter(|p| owned.iter().any(|rs| rs.metadata.uid == p.owner))
            .map(|p| p.uid)
            .collect();
        for uid in pods {
            self.delete_pod(uid, None);
        }
        Ok(match kind {
            Kind::Rollout => format!("rollout.argoproj.io \"{name}\" deleted"),
            _ => format!("deployment.apps \"{name}\" deleted"),
        })
    }

    /// `kubectl delete pod NAME [--grace-period=N]` (a prefix of the name will do).
    fn delete_pod_named(&mut self, name: &str, grace: Option<Ms>) -> Result<String, String> {
        let uid = self
            .pods
            .iter()
            .find(|p| p.name == name || p.name.starts_with(&format!("{name}-")))
            .map(|p| p.uid)
            .ok_or(format!("pods \"{name}\" not found"))?;
        self.delete_pod(uid, grace);
        Ok(format!("pod \"{name}\" deleted"))
    }

    fn delete_service(&mut self, name: &str) -> Result<String, String> {
        let i = self
            .services
            .iter()
            .position(|s| s.metadata.name == name)
            .ok_or(format!("services \"{name}\" not found"))?;
        self.services.remove(i);
        self.endpoints.remove(i);
        Ok(format!("service \"{name}\" deleted"))
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
            .and_then(|()| manifest::selector_unchanged(&self.deployments[i], &d))
            .map_err(|m| format!("Deployment.apps \"{name}\" is invalid: {m}"))?;
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

/// What `kubectl patch` prints: `(no change)` when the patch left the object as it was.
fn patched_line(kind: &str, name: &str, unchanged: bool) -> String {
    let note = if unchanged { " (no change)" } else { "" };
    format!("{kind}/{name} patched{note}")
}
