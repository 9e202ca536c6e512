//! The `kubectl argo rollouts` plugin's commands that change a Rollout (`pkg/kubectl-argo-rollouts/cmd`):
//! promote, abort, retry, undo, pause and set image. Each writes what the plugin writes (spec or
//! status fields) and the controller does the rest.

#[derive(Clone, Debug, PartialEq, Eq)]
pub enum ArgoCommand {
    /// Skip the current pause or step; `--full` skips every remaining step and analysis.
    Promote {
        name: String,
        full: bool,
    },
    Abort(String),
    Retry(String),
    Undo {
        name: String,
        to_revision: Option<i64>,
    },
    Pause(String),
    SetImage {
        name: String,
        images: Vec<(String, String)>,
    },
}

/// Parses the words after `kubectl argo rollouts`.
pub fn parse(words: &[&str], flags: &[String]) -> Result<ArgoCommand, String> {
    let has = |f: &str| flags.iter().any(|w| w == f);
    let value = |f: &str| {
        flags
            .iter()
            .find_map(|w| w.strip_prefix(&format!("{f}=")).map(str::to_string))
    };
    let name = |w: Option<&&str>| -> Result<String, String> {
        let name = w
            .map(|n| n.trim_start_matches("rollout/").to_string())
            .ok_or("a rollout name is required")?;
        // The API server would refuse any other name; refusing it here keeps a command line
        // one command, however it is quoted.
        if !crate::api::is_dns_subdomain(&name) {
            return Err(format!("error: name {}", crate::api::invalid_name(&name)));
        }
        Ok(name)
    };
    match words {
        ["promote", rest @ ..] => Ok(ArgoCommand::Promote {
            name: name(rest.first())?,
            full: has("--full"),
        }),
        ["abort", rest @ ..] => Ok(ArgoCommand::Abort(name(rest.first())?)),
        ["retry", "rollout", rest @ ..] | ["retry", rest @ ..] => {
            Ok(ArgoCommand::Retry(name(rest.first())?))
        }
        ["undo", rest @ ..] => {
            let to_revision = match value("--to-revision") {
                Some(r) => Some(r.parse::<i64>().map_err(|_| format!("invalid --to-revision {r:?}"))?),
                None => None,
            };
            Ok(ArgoCommand::Undo {
                name: name(rest.first())?,
                to_revision: to_revision.filter(|r| *r != 0),
            })
        }
        ["pause", rest @ ..] => Ok(ArgoCommand::Pause(name(rest.first())?)),
        ["set", "image", rollout, pairs @ ..] => {
            let images = pairs
                .iter()
                .map(|p| {
                    p.split_once('=')
                        .map(|(c, i)| (c.to_string(), i.to_string()))
                        .ok_or(format!("expected CONTAINER=IMAGE, got {p:?}"))
                })
                .collect::<Result<Vec<_>, _>>()?;
            if images.is_empty() {
                return Err("set image needs at least one CONTAINER=IMAGE".into());
            }
            Ok(ArgoCommand::SetImage {
                name: name(Some(rollout))?,
                images,
            })
        }
        [other, ..] => Err(format!(
            "unknown command \"{other}\" for \"kubectl-argo-rollouts\": try promote, abort, retry, undo, pause, set image, get rollout, status"
        )),
        [] => Err("kubectl argo rollouts needs a command".into()),
    }
}
