//! Export for a real cluster: the lab's scenario, with the learner's settings, as one shell script
//! that makes a kind cluster, applies the manifests, sends a request loop through the Service,
//! replays the timeline and counts what failed and why. The scenario's made-up images
//! (`myapp:1`) are played by a small Python server whose start-up, latency, errors and SIGTERM
//! handling come from the scenario's `images:`, so the same deploy fails, or not, the same way.
use crate::kubectl::Command;
use crate::manifest::Object;
use crate::rollouts::commands::ArgoCommand;
use crate::scenario::{Image, Scenario};
use crate::time::Ms;
use serde_json::{json, Value};

/// The image that plays every scenario image, and the one the request loop runs in.
pub const STAND_IN: &str = "python:3.12-alpine";
pub const CURL: &str = "curlimages/curl:8.11.1";
/// The Kubernetes and Argo Rollouts versions whose behaviour the simulation follows.
pub const KUBERNETES: &str = "1.33";
pub const ARGO_ROLLOUTS: &str = "1.8";
const APP: &str = include_str!("myapp.py");
const PORT: u16 = 8080;

/// The script, named for `name` (the scenario's).
pub fn real_cluster(s: &Scenario, name: &str) -> String {
    let argo = s.objects.iter().any(|o| matches!(o, Object::Rollout(_)));
    let service = s
        .traffic
        .service
        .clone()
        .or_else(|| {
            s.objects.iter().find_map(|o| match o {
                Object::Service(svc) => Some(svc.metadata.name.clone()),
                _ => None,
            })
        })
        .unwrap_or_else(|| "myapp".into());
    let mut out = header(s, name, argo);
    out.push_str(&cluster(s, argo));
    out.push_str("\n# The manifests, as the lab ran them, with the stand-in app.\n");
    out.push_str("kubectl apply -f - <<'MANIFESTS'\n");
    out.push_str(&manifests(s));
    out.push_str("MANIFESTS\n");
    out.push_str(&wait_for_workload(s, argo));
    out.push_str(&load_loop(s, &service));
    out.push_str(&timeline(s));
    out.push_str(REPORT);
    out
}

fn header(s: &Scenario, name: &str, argo: bool) -> String {
    let needs = if argo {
        "docker, kind, kubectl and the kubectl argo rollouts plugin"
    } else {
        "docker, kind and kubectl"
    };
    format!(
        "#!/usr/bin/env bash\n\
         # Rollout Lab: the scenario `{name}` with your settings, on a real cluster.\n\
         # Needs {needs}. Run it with `bash {file}`; it takes about {minutes} minutes.\n\
         # It follows Kubernetes {KUBERNETES} (and Argo Rollouts {ARGO_ROLLOUTS}); a real cluster adds its own\n\
         # jitter, so expect the same kind of failures, not the same count.\n\
         # The scenario's images are played by {STAND_IN} running myapp.py (the ConfigMap\n\
         # below): each lab image becomes the environment that makes it behave as the lab says.\n\
         set -euo pipefail\n\
         for tool in docker kind kubectl; do\n  \
           command -v \"$tool\" >/dev/null || {{ echo \"this needs $tool\" >&2; exit 1; }}\n\
         done\n",
        file = file_name(name),
        minutes = s.duration / 60_000 + 3,
    )
}

/// `rollout-lab-recreate.sh`.
pub fn file_name(name: &str) -> String {
    format!("rollout-lab-{name}.sh")
}

fn cluster(s: &Scenario, argo: bool) -> String {
    let workers = "- role: worker\n".repeat(s.nodes.clamp(1, 10) as usize);
    let mut out = format!(
        "\n# A cluster with one control-plane node and {} worker(s), as the scenario has nodes.\n\
         kind create cluster --name rollout-lab --config - <<'KIND'\n\
         kind: Cluster\n\
         apiVersion: kind.x-k8s.io/v1alpha4\n\
         nodes:\n\
         - role: control-plane\n\
         {workers}KIND\n",
        s.nodes.clamp(1, 10)
    );
    if argo {
        out.push_str(
            "\n# Argo Rollouts' controller (https://argoproj.github.io/argo-rollouts/installation/).\n\
             kubectl create namespace argo-rollouts\n\
             kubectl apply -n argo-rollouts -f https://github.com/argoproj/argo-rollouts/releases/download/v1.8.3/install.yaml\n\
             kubectl -n argo-rollouts rollout status deployment/argo-rollouts --timeout=5m\n",
        );
    }
    if s.objects.iter().any(uses_nginx_routing) {
        out.push_str(
            "# This Rollout routes traffic with ingress-nginx: install it as its docs say for kind\n\
             # (https://kind.sigs.k8s.io/docs/user/ingress/) and point the analysis at your metrics.\n",
        );
    }
    out
}

fn uses_nginx_routing(o: &Object) -> bool {
    matches!(o, Object::Rollout(r) if r.spec.strategy.canary.as_ref()
        .and_then(|c| c.traffic_routing.as_ref()).is_some())
}

/// Every object as the API would print it, rewritten for the stand-in, then its ConfigMap.
pub fn manifests(s: &Scenario) -> String {
    let mut docs: Vec<Value> = s
        .objects
        .iter()
        .filter_map(crate::manifest::to_value)
        .collect();
    for doc in &mut docs {
        stand_in(doc, s);
    }
    docs.push(json!({
        "apiVersion": "v1",
        "kind": "ConfigMap",
        "metadata": {"name": "myapp-server"},
        "data": {"myapp.py": APP},
    }));
    let text: Vec<String> = docs.iter().map(crate::yaml::emit::to_yaml).collect();
    text.join("---\n")
}

fn stand_in(doc: &mut Value, s: &Scenario) {
    let kind = doc["kind"].as_str().unwrap_or_default().to_string();
    match kind.as_str() {
        "Deployment" | "Rollout" => {
            let spec = &mut doc["spec"]["template"]["spec"];
            if let Some(containers) = spec["containers"].as_array_mut() {
                for c in containers.iter_mut() {
                    let image = c["image"].as_str().unwrap_or_default().to_string();
                    if s.images.contains_key(&image) {
                        play(c, &image, &s.image(&image));
                    }
                }
            }
            let volume = json!({"name": "myapp-server", "configMap": {"name": "myapp-server"}});
            match spec["volumes"].as_array_mut() {
                Some(volumes) => volumes.push(volume),
                None => spec["volumes"] = json!([volume]),
            }
        }
        // The app listens on 8080 whatever port the Service offers.
        "Service" => {
            let ports = doc.pointer_mut("/spec/ports").and_then(Value::as_array_mut);
            for p in ports.into_iter().flatten() {
                p["targetPort"] = json!(PORT);
            }
        }
        "AnalysisTemplate" | "ClusterAnalysisTemplate" => {
            let metrics = doc
                .pointer_mut("/spec/metrics")
                .and_then(Value::as_array_mut);
            for m in metrics.into_iter().flatten() {
                m["provider"] = prometheus(&m["provider"]["simulation"], s);
            }
        }
        _ => {}
    }
}

/// Container `c`, running lab image `image`: the stand-in with that image's behaviour.
fn play(c: &mut Value, image: &str, i: &Image) {
    c["image"] = json!(STAND_IN);
    c["command"] = json!(["python3", "/app/myapp.py"]);
    c["env"] = env(image, i);
    c["volumeMounts"] = json!([{"name": "myapp-server", "mountPath": "/app"}]);
    let ports = c.get_mut("ports").and_then(Value::as_array_mut);
    for p in ports.into_iter().flatten() {
        p["containerPort"] = json!(PORT);
    }
    for probe in ["readinessProbe", "livenessProbe", "startupProbe"] {
        // `get_mut`: indexing a missing key would write a null probe.
        let Some(p) = c.get_mut(probe) else {
            continue;
        };
        if let Some(tcp) = p.get_mut("tcpSocket") {
            tcp["port"] = json!(PORT);
        }
        if let Some(http) = p.get_mut("httpGet") {
            http["port"] = json!(PORT);
            http["path"] = json!("/healthz");
        }
    }
}

/// The environment that makes the stand-in behave as lab image `image`.
fn env(image: &str, i: &Image) -> Value {
    let secs = |ms: Ms| crate::decimal::short(ms as f64 / 1000.0, 3);
    let mut vars = vec![
        ("VERSION", image.to_string()),
        ("STARTUP_SECONDS", secs(i.startup.0)),
        ("LATENCY_MS", i.latency.0.to_string()),
        ("ERROR_RATE", crate::decimal::short(i.error_rate, 4)),
        ("ON_SIGTERM", i.on_sigterm.name().to_string()),
    ];
    if let Some(after) = i.crash_after {
        vars.push(("CRASH_AFTER_SECONDS", secs(after.0)));
    }
    Value::Array(
        vars.into_iter()
            .map(|(name, value)| json!({"name": name, "value": value}))
            .collect(),
    )
}

/// The simulation's own measurement, as a Prometheus query over ingress-nginx's metrics.
fn prometheus(simulation: &Value, s: &Scenario) -> Value {
    let window = simulation["window"].as_str().unwrap_or("1m");
    let service = measured_service(s, simulation["version"].as_str().unwrap_or("canary"));
    json!({"prometheus": {
        "address": "http://prometheus.monitoring.svc:9090",
        "query": format!("sum(rate(nginx_ingress_controller_requests{{service=\"{service}\",status=~\"5..\"}}[{window}])) / sum(rate(nginx_ingress_controller_requests{{service=\"{service}\"}}[{window}]))"),
    }})
}

/// The Service in front of the version a measurement counts (`canary`, `stable` or `all`): the
/// Rollout's canary or stable Service, or a blue-green's preview or active one.
fn measured_service(s: &Scenario, version: &str) -> String {
    let rollout = s.objects.iter().find_map(|o| match o {
        Object::Rollout(r) => Some(&r.spec.strategy),
        _ => None,
    });
    let named = rollout.and_then(|st| match (&st.canary, &st.blue_green, version) {
        (Some(c), _, "canary") => c.canary_service.clone(),
        (Some(c), _, _) => c.stable_service.clone(),
        (_, Some(bg), "canary") => bg.preview_service.clone(),
        (_, Some(bg), _) => Some(bg.active_service.clone()),
        _ => None,
    });
    named.unwrap_or_else(|| "myapp".into())
}

fn wait_for_workload(s: &Scenario, argo: bool) -> String {
    let name = crate::lab::workload::read(s).map_or("myapp", |(n, _, _)| n);
    if argo {
        format!("kubectl argo rollouts status {name} --timeout 5m\n")
    } else {
        format!("kubectl rollout status deployment/{name} --timeout=5m\n")
    }
}

/// One client in the cluster calling the Service, a new connection per request (as the lab's
/// default clients do), printing every failure with its time and the lab's name for it.
fn load_loop(s: &Scenario, service: &str) -> String {
    // A curl per request keeps up with about 50 a second; more would measure curl, not the app.
    let rps = s.traffic.requests_per_second.clamp(1.0, 50.0);
    let pause = crate::decimal::short(1.0 / rps, 3);
    let timeout = (s.traffic.timeout.0 / 1000).max(1);
    format!(
        "\n# The users: one client at about {rps} requests a second through the Service, each on a new\n\
         # connection, printing each failure as the lab names it.\n\
         kubectl run load --image={CURL} --restart=Never --command -- sh -c '\n\
         while true; do\n  \
           code=$(curl -s -o /dev/null -w \"%{{http_code}}\" --max-time {timeout} http://{service}/); rc=$?\n  \
           case \"$rc:$code\" in\n    \
             0:2*) echo \"$(date +%T) ok\" ;;\n    \
             7:*) echo \"$(date +%T) connection_refused\" ;;\n    \
             28:*) echo \"$(date +%T) timeout\" ;;\n    \
             52:*|56:*) echo \"$(date +%T) connection_reset\" ;;\n    \
             0:*) echo \"$(date +%T) app_error HTTP $code\" ;;\n    \
             *) echo \"$(date +%T) curl_exit_$rc\" ;;\n  \
           esac\n  \
           sleep {pause}\n\
         done'\n\
         kubectl wait --for=condition=Ready pod/load --timeout=2m\n",
        rps = crate::decimal::short(rps, 2),
    )
}

/// The scenario's timeline, at its times: commands as they are, a lab image's deploy as the
/// patch that gives the stand-in that image's behaviour.
fn timeline(s: &Scenario) -> String {
    let mut out = String::from("\n# The timeline, from now (the scenario's t=0).\n");
    let mut now = 0;
    for step in &s.timeline {
        let wait = step.at.0 - now;
        if wait > 0 {
            out.push_str(&format!(
                "sleep {}\n",
                crate::decimal::short(wait as f64 / 1000.0, 3)
            ));
        }
        now = step.at.0;
        out.push_str(&command(s, &step.run));
        out.push('\n');
    }
    let rest = (s.duration - now).max(0);
    out.push_str(&format!(
        "sleep {}\n",
        crate::decimal::short(rest as f64 / 1000.0, 3)
    ));
    out
}

fn command(s: &Scenario, run: &str) -> String {
    let set_image = |kind: &str, name: &str, images: &[(String, String)]| {
        let patches: Vec<String> = images
            .iter()
            .filter_map(|(container, image)| {
                let at = container_index(s, container)?;
                let env = env(image, &s.image(image)).to_string();
                Some(format!(
                    "{{\"op\":\"replace\",\"path\":\"/spec/template/spec/containers/{at}/env\",\"value\":{env}}}"
                ))
            })
            .collect();
        format!(
            "# The lab: {run}\nkubectl patch {kind} {name} --type json -p '[{}]'",
            patches.join(",")
        )
    };
    match crate::kubectl::parse(run) {
        Ok(Command::SetImage { deployment, images }) => set_image("deployment", &deployment, &images),
        Ok(Command::Argo(ArgoCommand::SetImage { name, images })) => {
            set_image("rollout", &name, &images)
        }
        Ok(Command::Migrate(to)) => format!(
            "# The lab: {run}. The database moves to schema {to} here: run your migration at this point."
        ),
        Ok(Command::Flag { name, .. }) => format!(
            "# The lab: {run}. The stand-in has no flag service: turn {name} in yours at this point."
        ),
        // kind has no image streams: moving the tag is setting the image of what follows it.
        Ok(Command::Tag { source, dest }) => {
            let name = crate::lab::workload::read(s).map_or("", |(n, _, _)| n);
            let followers = s.objects.iter().find_map(|o| match o {
                Object::Deployment(d) if d.metadata.name == name => Some(
                    crate::openshift::following(d.metadata.annotations.get(crate::openshift::TRIGGERS), &dest),
                ),
                _ => None,
            });
            let images: Vec<(String, String)> = followers
                .unwrap_or_default()
                .into_iter()
                .map(|c| (c, source.clone()))
                .collect();
            set_image("deployment", name, &images)
        }
        // oc's shared verbs as kubectl's, which kind has.
        Ok(command) if run.trim_start().starts_with("oc ") => command.to_string(),
        _ => run.to_string(),
    }
}

/// The position of container `name` in the workload's pod template.
fn container_index(s: &Scenario, name: &str) -> Option<usize> {
    let (_, _, template) = crate::lab::workload::read(s)?;
    template.spec.containers.iter().position(|c| c.name == name)
}

const REPORT: &str =
    "\n# What the users saw: requests by outcome, then every failure with its time.\n\
kubectl logs load | awk '{print $2}' | sort | uniq -c\n\
kubectl logs load | grep -v ' ok$' || echo 'no request failed'\n\
echo 'Delete the cluster with: kind delete cluster --name rollout-lab'\n";

#[cfg(test)]
mod tests {
    use super::*;

    use crate::lab::examples::parsed as example;

    /// The text between `<<'MANIFESTS'` and `MANIFESTS`.
    fn manifests_in(script: &str) -> &str {
        let start = script.find("<<'MANIFESTS'\n").unwrap() + "<<'MANIFESTS'\n".len();
        let end = start + script[start..].find("\nMANIFESTS\n").unwrap() + 1;
        &script[start..end]
    }

    #[test]
    fn every_example_exports_manifests_that_parse_with_the_stand_in() {
        for e in crate::lab::examples::ALL.iter() {
            let s = Scenario::parse(&e.yaml).unwrap();
            let script = real_cluster(&s, &e.name);
            // Every document is YAML with a kind; all but the analysis (whose Prometheus provider
            // the simulator does not run) are objects the simulator accepts, defaults and all.
            let docs: Vec<&str> = manifests_in(&script).split("---\n").collect();
            assert_eq!(
                docs.len(),
                s.objects.len() + 1,
                "{}: and the ConfigMap",
                e.name
            );
            for doc in docs {
                let (v, _) = crate::yaml::parse(doc, 1)
                    .unwrap_or_else(|err| panic!("{}: {err}\n{doc}", e.name));
                let kind = v["kind"].as_str().unwrap_or_default();
                assert!(
                    v["apiVersion"].is_string() && !kind.is_empty(),
                    "{}: {doc}",
                    e.name
                );
                if !kind.contains("AnalysisTemplate") {
                    crate::manifest::parse_all(doc, crate::yaml::Origin::line(1))
                        .unwrap_or_else(|err| panic!("{}: {err}\n{doc}", e.name));
                }
            }
            assert!(!manifests_in(&script).contains(": null"), "{}", e.name);
            // Every line runs on kind: nothing only the lab (or only OpenShift) knows.
            for line in script.lines() {
                for word in ["flag ", "db ", "oc "] {
                    assert!(!line.starts_with(word), "{}: {line}", e.name);
                }
            }
            assert!(
                !script.contains("image: myapp"),
                "{}: a lab image left",
                e.name
            );
            assert!(
                !script.contains("simulation:"),
                "{}: the simulation's provider left",
                e.name
            );
        }
    }

    #[test]
    fn the_stand_in_behaves_as_the_images_say_and_the_deploy_is_a_patch() {
        let script = real_cluster(&example("recreate"), "recreate");
        assert!(script.starts_with("#!/usr/bin/env bash\n"));
        let m = manifests_in(&script);
        // myapp:1 at t=0, and its start-up, latency and SIGTERM handling.
        assert!(!m.contains("null"), "{m}");
        for line in [
            "containerPort: 8080",
            "image: python:3.12-alpine",
            "value: myapp:1",
            "name: STARTUP_SECONDS",
            "targetPort: 8080",
        ] {
            assert!(m.contains(line), "{line}\n{m}");
        }
        // The deploy gives the container myapp:2's environment, at the timeline's time.
        assert!(script.contains("# The lab: kubectl set image deployment/myapp app=myapp:2\nkubectl patch deployment myapp --type json -p '[{\"op\":\"replace\",\"path\":\"/spec/template/spec/containers/0/env\",\"value\":[{\"name\":\"VERSION\",\"value\":\"myapp:2\"}"), "{script}");
        assert!(script.contains("kind create cluster --name rollout-lab"));
        assert!(script.contains("kubectl run load --image=curlimages/curl"));
        assert!(
            !script.contains("argo-rollouts"),
            "a Deployment needs no Argo"
        );
        let argo = real_cluster(&example("canary-analysis-abort"), "canary-analysis-abort");
        assert!(argo.contains("kubectl apply -n argo-rollouts"));
        assert!(argo.contains("kubectl patch rollout myapp --type json"));
        assert!(argo.contains("prometheus:"));
        // The query counts the Service in front of the version the analysis measured.
        let query = |script: &str| {
            let line = script.lines().find(|l| l.contains("query:"));
            line.unwrap_or_default().to_string()
        };
        assert!(query(&argo).contains("myapp-canary"), "{}", query(&argo));
        let bg = real_cluster(
            &example("blue-green-preview-analysis"),
            "blue-green-preview-analysis",
        );
        assert!(query(&bg).contains("myapp-preview"), "{}", query(&bg));
    }
}
