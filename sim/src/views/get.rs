//! `kubectl get`: one listing per kind, with the columns of kubectl's table printers
//! (`pkg/printers/internalversion/printers.go`; a Rollout's from Argo's CRD printer columns),
//! then what the flags ask of it: a name, `-l`, `-n`/`-A`, `--show-labels`, and `-o wide|name|
//! yaml|json`. Rows come sorted by name, as the API server lists them.
use super::rows::{self, Row};
use super::selector::Selector;
use super::{labels, table};
use crate::api::Labels;
use crate::cluster::Cluster;
use crate::time::fmt_age;
use serde_json::{json, Value};

/// The objects of one kind.
struct Listing {
    /// `deployment.apps`: how `-o name` and messages name the kind.
    resource: String,
    /// `deployments.apps`: how NotFound names it.
    plural: String,
    header: &'static [&'static str],
    wide: &'static [&'static str],
    rows: Vec<Row>,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Output {
    Table,
    Wide,
    Name,
    Yaml,
    Json,
}

struct Options {
    output: Output,
    selector: Selector,
    show_labels: bool,
    all_namespaces: bool,
    namespace: String,
}

/// Splits `get`'s words into the resource words and the flags.
fn options(words: &[String]) -> Result<(Vec<String>, Options), String> {
    let mut o = Options {
        output: Output::Table,
        selector: Selector::default(),
        show_labels: false,
        all_namespaces: false,
        namespace: "default".into(),
    };
    let mut positional = Vec::new();
    let mut it = words.iter();
    while let Some(w) = it.next() {
        let mut value = |long: &str, short: &str| -> Option<Result<String, String>> {
            let v = w
                .strip_prefix(&format!("--{long}="))
                .or_else(|| w.strip_prefix(&format!("-{short}=")))
                .or_else(|| {
                    w.strip_prefix(&format!("-{short}"))
                        .filter(|v| !v.is_empty())
                });
            match v {
                Some(v) => Some(Ok(v.to_string())),
                None if w == &format!("--{long}") || w == &format!("-{short}") => Some(
                    it.next()
                        .cloned()
                        .ok_or(format!("error: flag needs an argument: {w}")),
                ),
                None => None,
            }
        };
        if let Some(v) = value("output", "o") {
            o.output = match v?.as_str() {
                "wide" => Output::Wide,
                "name" => Output::Name,
                "yaml" => Output::Yaml,
                "json" => Output::Json,
                other => return Err(format!("error: unable to match a printer suitable for the output format \"{other}\", allowed formats are: json,name,wide,yaml")),
            };
        } else if let Some(v) = value("selector", "l") {
            o.selector = Selector::parse(&v?)?;
        } else if let Some(v) = value("namespace", "n") {
            o.namespace = v?;
        } else if w == "-A" || w == "--all-namespaces" {
            o.all_namespaces = true;
        } else if w == "--show-labels" {
            o.show_labels = true;
        } else if w == "-w" || w == "--watch" {
            return Err("--watch is not simulated: the lab's clock plays the cluster; run the command again at another moment".into());
        } else if w.starts_with('-') {
            return Err(format!("error: unknown flag: {w}"));
        } else {
            positional.push(w.clone());
        }
    }
    Ok((positional, o))
}

/// What a 1.33+ API server answers a read of v1 Endpoints with (`kubectl get endpoints`).
pub const ENDPOINTS_DEPRECATED: &str =
    "Warning: v1 Endpoints is deprecated in v1.33+; use discovery.k8s.io/v1 EndpointSlice";

impl Cluster {
    /// `kubectl get KIND[,KIND…] [NAME…]` or `kubectl get KIND/NAME …`, with its flags.
    pub fn get(&self, words: &[String]) -> Result<String, String> {
        let (positional, o) = options(words)?;
        let Some(first) = positional.first() else {
            return Err("You must specify the type of resource to get. Use \"kubectl api-resources\" for a complete list of supported resources.".into());
        };
        if matches!(first.as_str(), "events" | "event" | "ev") {
            return Ok(self.events_table());
        }
        // `get deploy/web svc/web` or `get deploy,svc [web]`.
        let mut asked: Vec<(String, Option<String>)> = Vec::new();
        let slashed = positional.iter().filter(|w| w.contains('/')).count();
        if slashed > 0 && slashed < positional.len() {
            return Err("error: there is no need to specify a resource type as a separate argument when passing arguments in resource/name form (e.g. 'kubectl get resource/<resource_name>' instead of 'kubectl get resource resource/<resource_name>'".into());
        }
        if slashed > 0 {
            for w in &positional {
                let (k, n) = w.split_once('/').unwrap_or((w, ""));
                asked.push((k.to_string(), Some(n.to_string())));
            }
        } else {
            let names = &positional[1..];
            for kind in first.split(',') {
                if names.is_empty() {
                    asked.push((kind.to_string(), None));
                }
                for n in names {
                    asked.push((kind.to_string(), Some(n.clone())));
                }
            }
        }
        let mut parts = Vec::new();
        let mut objects = Vec::new();
        let mut names = Vec::new();
        let several_kinds = first.contains(',') || first.contains('/');
        let mut missing = Vec::new();
        let mut deprecated = false;
        for (kind, name) in &asked {
            let mut listing = self.listing(kind)?;
            deprecated |= listing.resource == "endpoints";
            listing.rows.retain(|r| {
                (o.all_namespaces || r.namespace == o.namespace)
                    && o.selector.matches(&r.labels)
                    && name.as_ref().is_none_or(|n| n == &r.name)
            });
            if let (Some(n), true) = (name, listing.rows.is_empty()) {
                missing.push(format!(
                    "Error from server (NotFound): {} \"{n}\" not found",
                    listing.plural
                ));
                continue;
            }
            crate::order::sort_by(&mut listing.rows, |a, b| {
                (&a.namespace, &a.name).cmp(&(&b.namespace, &b.name))
            });
            match o.output {
                Output::Name => names.extend(
                    listing
                        .rows
                        .iter()
                        .map(|r| format!("{}/{}", listing.resource, r.name)),
                ),
                Output::Yaml | Output::Json => objects.extend(listing.rows.iter().map(|r| {
                    let mut object = r.object.clone();
                    if let Some(meta) = object.get_mut("metadata").and_then(Value::as_object_mut) {
                        meta.entry("creationTimestamp")
                            .or_insert_with(|| crate::time::rfc3339(r.created).into());
                    }
                    object
                })),
                Output::Table | Output::Wide if !listing.rows.is_empty() => {
                    parts.push(self.print_table(&listing, &o, several_kinds));
                }
                Output::Table | Output::Wide => {}
            }
        }
        let single = asked.len() == 1 && asked[0].1.is_some();
        let mut out = match o.output {
            Output::Name => names.join("\n"),
            Output::Yaml | Output::Json => {
                let doc = if single && objects.len() == 1 {
                    objects.remove(0)
                } else {
                    json!({"apiVersion": "v1", "items": objects, "kind": "List", "metadata": {"resourceVersion": ""}})
                };
                if o.output == Output::Yaml {
                    crate::yaml::emit::to_yaml(&doc).trim_end().to_string()
                } else {
                    json_text(&doc)
                }
            }
            Output::Table | Output::Wide => parts.join("\n\n"),
        };
        let nothing = out.is_empty() && missing.is_empty();
        if nothing && matches!(o.output, Output::Table | Output::Wide | Output::Name) {
            out = if o.all_namespaces {
                "No resources found".into()
            } else {
                format!("No resources found in {} namespace.", o.namespace)
            };
        }
        // The API server's deprecation warning, which kubectl prints once on stderr.
        if deprecated && out.is_empty() {
            out = ENDPOINTS_DEPRECATED.into();
        } else if deprecated {
            out.insert_str(0, &format!("{ENDPOINTS_DEPRECATED}\n"));
        }
        if missing.is_empty() {
            Ok(out)
        } else if out.is_empty() {
            Err(missing.join("\n"))
        } else {
            Err(format!("{out}\n{}", missing.join("\n")))
        }
    }

    /// `kubectl get events`: oldest first, without NAME or AGE columns.
    fn events_table(&self) -> String {
        let rows = self
            .events
            .iter()
            .map(|e| {
                vec![
                    fmt_age(self.now - e.at),
                    e.kind.as_str().into(),
                    e.reason.into(),
                    e.object.clone(),
                    e.message.clone(),
                ]
            })
            .collect();
        table(&["LAST SEEN", "TYPE", "REASON", "OBJECT", "MESSAGE"], rows)
    }

    fn print_table(&self, l: &Listing, o: &Options, prefix_kind: bool) -> String {
        let mut header: Vec<&str> = Vec::new();
        if o.all_namespaces {
            header.push("NAMESPACE");
        }
        header.push("NAME");
        header.extend(l.header);
        header.push("AGE");
        if o.output == Output::Wide {
            header.extend(l.wide);
        }
        if o.show_labels {
            header.push("LABELS");
        }
        let rows = l
            .rows
            .iter()
            .map(|r| {
                let mut row = Vec::new();
                if o.all_namespaces {
                    row.push(r.namespace.clone());
                }
                row.push(if prefix_kind {
                    format!("{}/{}", l.resource, r.name)
                } else {
                    r.name.clone()
                });
                row.extend(r.cells.iter().cloned());
                row.push(fmt_age(self.now - r.created));
                if o.output == Output::Wide {
                    row.extend(r.wide.iter().cloned());
                }
                if o.show_labels {
                    row.push(labels(&r.labels));
                }
                row
            })
            .collect();
        table(&header, rows)
    }

    /// Every object of the kind `word` names, as rows.
    fn listing(&self, word: &str) -> Result<Listing, String> {
        let listing = |resource: &str, plural: &str, header, wide, rows| Listing {
            resource: resource.into(),
            plural: plural.into(),
            header,
            wide,
            rows,
        };
        Ok(match word.to_lowercase().as_str() {
            "deploy" | "deployment" | "deployments" | "deployment.apps" | "deployments.apps" => {
                listing(
                    "deployment.apps",
                    "deployments.apps",
                    &["READY", "UP-TO-DATE", "AVAILABLE"],
                    &["CONTAINERS", "IMAGES", "SELECTOR"],
                    self.deployments
                        .iter()
                        .map(|d| self.deployment_row(d))
                        .collect(),
                )
            }
            "rs" | "replicaset" | "replicasets" | "replicaset.apps" | "replicasets.apps" => {
                listing(
                    "replicaset.apps",
                    "replicasets.apps",
                    &["DESIRED", "CURRENT", "READY"],
                    &["CONTAINERS", "IMAGES", "SELECTOR"],
                    self.replica_sets
                        .iter()
                        .map(|rs| self.replica_set_row(rs))
                        .collect(),
                )
            }
            "po" | "pod" | "pods" => listing(
                "pod",
                "pods",
                &["READY", "STATUS", "RESTARTS"],
                &["IP", "NODE", "NOMINATED NODE", "READINESS GATES"],
                self.pods.iter().map(|p| self.pod_row(p)).collect(),
            ),
            "svc" | "service" | "services" => listing(
                "service",
                "services",
                &["TYPE", "CLUSTER-IP", "EXTERNAL-IP", "PORT(S)"],
                &["SELECTOR"],
                self.services.iter().map(|s| self.service_row(s)).collect(),
            ),
            "ep" | "endpoints" => listing(
                "endpoints",
                "endpoints",
                &["ENDPOINTS"],
                &[],
                self.services
                    .iter()
                    .enumerate()
                    .map(|(i, s)| self.endpoints_row(i, s))
                    .collect(),
            ),
            "endpointslice"
            | "endpointslices"
            | "endpointslice.discovery.k8s.io"
            | "endpointslices.discovery.k8s.io" => listing(
                "endpointslice.discovery.k8s.io",
                "endpointslices.discovery.k8s.io",
                &["ADDRESSTYPE", "PORTS", "ENDPOINTS"],
                &[],
                self.services
                    .iter()
                    .enumerate()
                    .map(|(i, s)| self.endpoint_slice_row(i, s))
                    .collect(),
            ),
            "ro" | "rollout" | "rollouts" | "rollout.argoproj.io" | "rollouts.argoproj.io" => {
                listing(
                    "rollout.argoproj.io",
                    "rollouts.argoproj.io",
                    &["DESIRED", "CURRENT", "UP-TO-DATE", "AVAILABLE"],
                    &[],
                    self.rollouts.iter().map(|r| self.rollout_row(r)).collect(),
                )
            }
            "ar"
            | "analysisrun"
            | "analysisruns"
            | "analysisrun.argoproj.io"
            | "analysisruns.argoproj.io" => listing(
                "analysisrun.argoproj.io",
                "analysisruns.argoproj.io",
                &["STATUS"],
                &["MESSAGE"],
                self.analysis_runs
                    .iter()
                    .map(rows::analysis_run_row)
                    .collect(),
            ),
            "at"
            | "analysistemplate"
            | "analysistemplates"
            | "analysistemplate.argoproj.io"
            | "analysistemplates.argoproj.io" => listing(
                "analysistemplate.argoproj.io",
                "analysistemplates.argoproj.io",
                &[],
                &[],
                self.analysis_templates_rows(false),
            ),
            "cat"
            | "clusteranalysistemplate"
            | "clusteranalysistemplates"
            | "clusteranalysistemplate.argoproj.io"
            | "clusteranalysistemplates.argoproj.io" => listing(
                "clusteranalysistemplate.argoproj.io",
                "clusteranalysistemplates.argoproj.io",
                &[],
                &[],
                self.analysis_templates_rows(true),
            ),
            other => self.kept_listing(other)?,
        })
    }

    fn analysis_templates_rows(&self, cluster: bool) -> Vec<Row> {
        let templates = self.analysis_templates.iter();
        let of_scope = templates.filter(|t| t.cluster_scoped == cluster);
        of_scope.map(rows::analysis_template_row).collect()
    }

    fn kept_listing(&self, word: &str) -> Result<Listing, String> {
        let Some(sample) = self.kept.iter().find(|k| k.is_named_by(word)) else {
            // A kind the cluster serves, of which there is none: an empty list.
            return match crate::kept::served_kind(word) {
                Some((resource, plural)) => Ok(Listing {
                    resource,
                    plural,
                    header: &[],
                    wide: &[],
                    rows: Vec::new(),
                }),
                None => Err(format!(
                    "error: the server doesn't have a resource type \"{word}\""
                )),
            };
        };
        let columns = crate::kept::columns(&sample.kind);
        let rows = self
            .kept
            .iter()
            .filter(|k| k.kind == sample.kind && k.api_version == sample.api_version)
            .map(|k| {
                let metadata = k.value.get("metadata");
                let mut cells = crate::kept::row(k);
                let name = cells.remove(0);
                Row {
                    namespace: metadata
                        .and_then(|m| m.get("namespace"))
                        .and_then(Value::as_str)
                        .unwrap_or("default")
                        .to_string(),
                    name,
                    labels: string_map(metadata.and_then(|m| m.get("labels"))),
                    created: k.created_at,
                    cells,
                    wide: Vec::new(),
                    object: k.value.clone(),
                }
            })
            .collect();
        Ok(Listing {
            resource: sample.resource(),
            plural: sample.plural_resource(),
            header: &columns[1..columns.len() - 1],
            wide: &[],
            rows,
        })
    }
}

fn string_map(v: Option<&Value>) -> Labels {
    let mut out = Labels::new();
    for (k, v) in v.and_then(Value::as_object).into_iter().flatten() {
        if let Some(v) = v.as_str() {
            out.insert(k.clone(), v.to_string());
        }
    }
    out
}

/// `kubectl get -o json`: four spaces of indentation, as kubectl prints.
fn json_text(v: &Value) -> String {
    let mut out = String::new();
    pretty(v, 0, &mut out);
    out
}

fn pretty(v: &Value, depth: usize, out: &mut String) {
    let pad = |d: usize| "    ".repeat(d);
    match v {
        Value::Object(m) if !m.is_empty() => {
            out.push_str("{\n");
            for (i, (k, v)) in m.iter().enumerate() {
                out.push_str(&format!("{}{}: ", pad(depth + 1), Value::String(k.clone())));
                pretty(v, depth + 1, out);
                out.push_str(if i + 1 < m.len() { ",\n" } else { "\n" });
            }
            out.push_str(&format!("{}}}", pad(depth)));
        }
        Value::Array(a) if !a.is_empty() => {
            out.push_str("[\n");
            for (i, v) in a.iter().enumerate() {
                out.push_str(&pad(depth + 1));
                pretty(v, depth + 1, out);
                out.push_str(if i + 1 < a.len() { ",\n" } else { "\n" });
            }
            out.push_str(&format!("{}]", pad(depth)));
        }
        other => out.push_str(&other.to_string()),
    }
}
