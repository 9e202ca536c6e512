//! The OpenShift route to the same ideas. `oc` runs what it shares with kubectl (get, describe,
//! rollout, set image, scale, apply, patch, delete) exactly as kubectl does. `oc tag SOURCE DEST`
//! moves an image stream tag; every Deployment whose `image.openshift.io/triggers` annotation
//! follows that tag then gets the tagged image in the named container, as OpenShift's trigger
//! controller writes it, and so rolls out. `oc scale dc/NAME` scales the Deployment NAME:
//! DeploymentConfigs are deprecated since OpenShift 4.14, and a Deployment with an image trigger is
//! what replaces one.
use crate::cluster::Cluster;
use serde_json::Value;

/// The annotation a Deployment carries to follow image stream tags.
pub const TRIGGERS: &str = "image.openshift.io/triggers";

impl Cluster {
    /// `oc tag SOURCE DEST`: DEST now names what SOURCE names (another tag, or an image), and
    /// the Deployments that follow DEST are updated to it.
    pub(crate) fn tag(&mut self, source: &str, dest: &str) -> Result<String, String> {
        let image = self
            .image_stream_tags
            .get(source)
            .cloned()
            .unwrap_or_else(|| source.to_string());
        self.image_stream_tags
            .insert(dest.to_string(), image.clone());
        let mut out = vec![format!("Tag {dest} set to {source}.")];
        let followers: Vec<(String, String)> = self
            .deployments
            .iter()
            .flat_map(|d| {
                let name = d.metadata.name.clone();
                following(d.metadata.annotations.get(TRIGGERS), dest)
                    .into_iter()
                    .map(move |container| (name.clone(), container))
            })
            .collect();
        for (deployment, container) in followers {
            // What the trigger controller writes is what `kubectl set image` writes.
            let images = [(container, image.clone())];
            if let Err(e) = self.set_image(&deployment, &images) {
                out.push(format!(
                    "the image trigger of deployment/{deployment} failed: {e}"
                ));
            }
        }
        Ok(out.join("\n"))
    }
}

/// The containers an `image.openshift.io/triggers` annotation sets from image stream tag `tag`:
/// `[{"from":{"kind":"ImageStreamTag","name":"myapp:latest"},
///   "fieldPath":"spec.template.spec.containers[?(@.name==\"app\")].image"}]`. Paused triggers
/// (`"paused": true`) set nothing.
pub fn following(annotation: Option<&String>, tag: &str) -> Vec<String> {
    // JSON is YAML's flow syntax: the YAML reader the simulator has already reads it (a JSON
    // parser of its own would cost the page some 15 KB).
    let Some((triggers, _)) = annotation.and_then(|a| crate::yaml::parse(a, 1).ok()) else {
        return Vec::new();
    };
    let list = triggers.as_array().cloned().unwrap_or_default();
    list.iter()
        .filter(|t| t["from"]["kind"] == "ImageStreamTag" && t["from"]["name"] == tag)
        .filter(|t| t["paused"] != Value::Bool(true))
        .filter_map(|t| container_of(t["fieldPath"].as_str()?))
        .collect()
}

/// `spec.template.spec.containers[?(@.name=="app")].image` names container `app`.
fn container_of(field_path: &str) -> Option<String> {
    let rest = field_path.strip_prefix("spec.template.spec.containers[?(@.name==")?;
    let name = rest.strip_suffix(")].image")?;
    Some(name.trim_matches(['"', '\'']).to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_trigger_annotation_names_the_containers_that_follow_a_tag() {
        let a = r#"[{"from":{"kind":"ImageStreamTag","name":"myapp:latest"},"fieldPath":"spec.template.spec.containers[?(@.name==\"app\")].image"},
                    {"from":{"kind":"ImageStreamTag","name":"sidecar:latest"},"fieldPath":"spec.template.spec.containers[?(@.name==\"proxy\")].image"},
                    {"from":{"kind":"ImageStreamTag","name":"myapp:latest"},"fieldPath":"spec.template.spec.containers[?(@.name==\"old\")].image","paused":true}]"#.to_string();
        assert_eq!(following(Some(&a), "myapp:latest"), ["app"]);
        assert_eq!(following(Some(&a), "sidecar:latest"), ["proxy"]);
        assert!(following(Some(&a), "other:1").is_empty());
        assert!(following(Some(&"not json".to_string()), "myapp:latest").is_empty());
        assert!(following(None, "myapp:latest").is_empty());
    }
}
