//! What the kubectl argo rollouts plugin's commands do to a Rollout: promote, abort, retry, undo,
//! pause, set image (`pkg/kubectl-argo-rollouts/cmd/…`). Parsing lives in `commands`.
use super::api::{Rollout, ROLLOUT_HASH, ROLLOUT_REVISION};
use super::commands::ArgoCommand;
use crate::cluster::Cluster;

impl Cluster {
    pub(crate) fn argo(&mut self, command: ArgoCommand) -> Result<String, String> {
        let name = match &command {
            ArgoCommand::Promote { name, .. }
            | ArgoCommand::Abort(name)
            | ArgoCommand::Retry(name)
            | ArgoCommand::Undo { name, .. }
            | ArgoCommand::Pause(name)
            | ArgoCommand::SetImage { name, .. } => name.clone(),
        };
        let i = self.rollout_index(&name)?;
        self.focus = Some(name.clone());
        let out = match command {
            ArgoCommand::Promote { full, .. } => {
                let r = &mut self.rollouts[i];
                if r.status.stable_rs == r.status.current_pod_hash && !r.spec.paused {
                    return Err(format!(
                        "rollout '{name}' is not paused and has nothing to promote"
                    ));
                }
                let was_paused = std::mem::replace(&mut r.spec.paused, false);
                // An inconclusive analysis waits for this: the step is skipped, and a background
                // analysis starts again.
                if std::mem::take(&mut r.status.inconclusive) {
                    let background = r.status.background_run.take();
                    let step = r.status.current_step_index;
                    self.terminate_analysis(background);
                    let r = &mut self.rollouts[i];
                    if r.status.step_run.is_some() {
                        r.status.step_run = None;
                        r.status.current_step_index = step.map(|k| k + 1);
                    } else if r.spec.strategy.blue_green.is_some() {
                        // Blue-green's pre-promotion analysis: go ahead with the switch.
                        r.status.promoted = true;
                    }
                    return Ok(format!("rollout '{name}' promoted"));
                }
                if full {
                    r.status.promote_full = true;
                    r.status.pause_start = None;
                    format!("rollout '{name}' fully promoted")
                } else if was_paused {
                    // A manual pause ends; the step it interrupted carries on.
                    format!("rollout '{name}' promoted")
                } else {
                    self.promote_step(i);
                    format!("rollout '{name}' promoted")
                }
            }
            ArgoCommand::Abort(_) => {
                if self.rollouts[i].status.stable_rs == self.rollouts[i].status.current_pod_hash {
                    return Err(format!(
                        "rollout '{name}' has no update in progress to abort"
                    ));
                }
                self.abort_rollout(i, "aborted by kubectl argo rollouts abort");
                format!("rollout '{name}' aborted")
            }
            ArgoCommand::Retry(_) => {
                let r = &mut self.rollouts[i];
                if !r.status.abort {
                    return Err(format!("rollout '{name}' is not aborted"));
                }
                // The plugin clears `status.abort`; the steps start again from the first.
                r.status.current_pod_hash.clear();
                format!("rollout '{name}' retried")
            }
            ArgoCommand::Undo { to_revision, .. } => self.undo_rollout(i, to_revision)?,
            ArgoCommand::Pause(_) => {
                self.rollouts[i].spec.paused = true;
                format!("rollout '{name}' paused")
            }
            ArgoCommand::SetImage { images, .. } => {
                let r = &mut self.rollouts[i];
                for (container, image) in &images {
                    let c = r
                        .spec
                        .template
                        .spec
                        .containers
                        .iter_mut()
                        .find(|c| &c.name == container || container == "*")
                        .ok_or(format!("unable to find container named \"{container}\""))?;
                    c.image = image.clone();
                }
                r.metadata.generation += 1;
                format!("rollout \"{name}\" image updated")
            }
        };
        Ok(out)
    }

    /// `promote` without `--full`: a pause ends; any other step is skipped.
    fn promote_step(&mut self, i: usize) {
        let steps = self.rollouts[i]
            .spec
            .strategy
            .canary
            .as_ref()
            .map(|c| c.steps.clone());
        let s = &mut self.rollouts[i].status;
        match (steps, s.current_step_index) {
            (Some(steps), Some(k)) if (k as usize) < steps.len() => {
                if steps[k as usize].pause.is_some() {
                    s.promoted = true;
                } else {
                    s.current_step_index = Some(k + 1);
                    s.pause_start = None;
                }
            }
            _ => s.promoted = true,
        }
    }

    /// `undo`: the template of an earlier revision becomes the spec again.
    fn undo_rollout(&mut self, i: usize, to_revision: Option<i64>) -> Result<String, String> {
        let name = self.rollouts[i].metadata.name.clone();
        let mut owned = self.rollout_rss(i);
        crate::order::sort_by_key(&mut owned, |o| o.revision);
        let current = owned.last().map_or(0, |o| o.revision);
        let target = match to_revision {
            Some(r) => owned
                .iter()
                .find(|o| o.revision == r)
                .ok_or(format!("unable to find specified revision {r} in history"))?,
            None => owned
                .iter()
                .rev()
                .find(|o| o.revision < current)
                .ok_or(format!("no rollout history found for rollout \"{name}\""))?,
        };
        let rs = self
            .replica_sets
            .iter()
            .find(|rs| rs.metadata.uid == target.uid)
            .ok_or("the revision's ReplicaSet is gone")?;
        let mut template = rs.template.clone();
        template.metadata.labels.remove(ROLLOUT_HASH);
        let revision = rs.annotation(ROLLOUT_REVISION).unwrap_or("?").to_string();
        let r: &mut Rollout = &mut self.rollouts[i];
        r.spec.template = template;
        r.metadata.generation += 1;
        Ok(format!("rollout '{name}' undo (to revision {revision})"))
    }
}
