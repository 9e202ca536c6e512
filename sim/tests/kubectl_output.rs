//! kubectl's output, as golden text: the columns of kubectl's table printers
//! (`pkg/printers/internalversion/printers.go`: `deploymentColumnDefinitions`,
//! `serviceColumnDefinitions`, `endpointsColumnDefinitions`, `endpointSliceColumnDefinitions`,
//! `podColumnDefinitions`), its messages for a missing name or an empty list, and the flags
//! people type (`-o wide|name|yaml|json`, `-l`, `--show-labels`, `-A`, `-n`).
#![allow(clippy::unwrap_used, clippy::expect_used)]

use rollout_sim::cluster::Cluster;
use rollout_sim::scenario::Scenario;

/// A Deployment behind three Services (ClusterIP with a named target port, headless, NodePort),
/// and the objects a chart ships beside them.
const SCENARIO: &str = r#"seed: 7
duration: 90s
traffic: {requestsPerSecond: 5, service: web}
images:
  web:1: {startup: 1s}
manifests: |
  apiVersion: apps/v1
  kind: Deployment
  metadata:
    name: web
    labels: {app.kubernetes.io/name: web}
  spec:
    replicas: 2
    selector: {matchLabels: {app: web}}
    template:
      metadata: {labels: {app: web, tier: front}}
      spec:
        containers:
        - name: web
          image: web:1
          ports: [{name: http, containerPort: 8080}]
  ---
  apiVersion: v1
  kind: Service
  metadata: {name: web}
  spec:
    selector: {app: web}
    ports: [{port: 80, targetPort: http}]
  ---
  apiVersion: v1
  kind: Service
  metadata: {name: web-headless}
  spec:
    clusterIP: None
    selector: {app: web}
    ports: [{port: 8080}]
  ---
  apiVersion: v1
  kind: Service
  metadata: {name: web-node}
  spec:
    type: NodePort
    selector: {app: web}
    ports: [{port: 80, targetPort: 8080, nodePort: 30080}]
  ---
  apiVersion: v1
  kind: ConfigMap
  metadata: {name: web-config}
  data: {LOG_LEVEL: info, MODE: fast}
  ---
  apiVersion: v1
  kind: ServiceAccount
  metadata: {name: web}
  ---
  apiVersion: networking.k8s.io/v1
  kind: Ingress
  metadata: {name: web}
  spec:
    ingressClassName: nginx
    rules:
    - host: web.example.test
      http:
        paths:
        - {path: /, pathType: Prefix, backend: {service: {name: web, port: {number: 80}}}}
"#;

fn cluster() -> Cluster {
    let mut c = Cluster::new(Scenario::parse(SCENARIO).unwrap());
    c.run_until(30_000);
    c
}

fn show(c: &Cluster, line: &str) -> String {
    c.show(line).unwrap_or_else(|e| format!("error: {e}"))
}

#[test]
fn get_prints_kubectls_columns() {
    let c = cluster();
    let pods: Vec<String> = c.pods.iter().map(|p| p.name.clone()).collect();
    let mut sorted = pods.clone();
    sorted.sort();
    let cases: Vec<(&str, String)> = vec![
        ("kubectl get deployments", "NAME   READY   UP-TO-DATE   AVAILABLE   AGE\nweb    2/2     2            2           30s".into()),
        ("kubectl get deploy -o wide", "NAME   READY   UP-TO-DATE   AVAILABLE   AGE   CONTAINERS   IMAGES   SELECTOR\nweb    2/2     2            2           30s   web          web:1    app=web".into()),
        ("kubectl get svc", "NAME           TYPE        CLUSTER-IP   EXTERNAL-IP   PORT(S)        AGE\nweb            ClusterIP   10.96.0.3    <none>        80/TCP         30s\nweb-headless   ClusterIP   None         <none>        8080/TCP       30s\nweb-node       NodePort    10.96.0.5    <none>        80:30080/TCP   30s".into()),
        ("kubectl get deploy --show-labels", "NAME   READY   UP-TO-DATE   AVAILABLE   AGE   LABELS\nweb    2/2     2            2           30s   app.kubernetes.io/name=web".into()),
        ("kubectl get deploy web svc/web", "error: error: there is no need to specify a resource type as a separate argument when passing arguments in resource/name form (e.g. 'kubectl get resource/<resource_name>' instead of 'kubectl get resource resource/<resource_name>'".into()),
        ("kubectl get deploy/web svc/web -o name", "deployment.apps/web\nservice/web".into()),
        ("kubectl get deploy nothere", "error: Error from server (NotFound): deployments.apps \"nothere\" not found".into()),
        ("kubectl get pods -l tier=back", "No resources found in default namespace.".into()),
        ("kubectl get deploy -n kube-system", "No resources found in kube-system namespace.".into()),
        ("kubectl get pods -o name", sorted.iter().map(|p| format!("pod/{p}")).collect::<Vec<_>>().join("\n")),
        ("kubectl get configmaps", "NAME         DATA   AGE\nweb-config   2      30s".into()),
        ("kubectl get sa", "NAME   SECRETS   AGE\nweb    0         30s".into()),
        ("kubectl get ing", "NAME   CLASS   HOSTS              ADDRESS   PORTS   AGE\nweb    nginx   web.example.test             80      30s".into()),
        ("kubectl get secrets", "No resources found in default namespace.".into()),
        ("kubectl get frobs", "error: error: the server doesn't have a resource type \"frobs\"".into()),
    ];
    for (line, want) in cases {
        assert_eq!(show(&c, line), want, "{line}");
    }
}

#[test]
fn endpoints_name_the_target_port() {
    let c = cluster();
    let eps = show(&c, "kubectl get endpoints web");
    // A 1.33 API server warns that v1 Endpoints are deprecated, once, before the table.
    assert!(eps.starts_with("Warning: v1 Endpoints is deprecated in v1.33+; use discovery.k8s.io/v1 EndpointSlice\nNAME "), "{eps}");
    assert_eq!(eps.matches("Warning:").count(), 1);
    let ips: Vec<String> = {
        let mut ready: Vec<_> = c.pods.iter().filter(|p| p.ready).map(|p| p.ip()).collect();
        ready.sort_by_key(|ip| c.pods.iter().position(|p| &p.ip() == ip));
        ready
    };
    assert_eq!(ips.len(), 2);
    // The named port `http` resolves to the container's 8080.
    for ip in &ips {
        assert!(eps.contains(&format!("{ip}:8080")), "{eps}");
    }
    let slices = show(
        &c,
        "kubectl get endpointslices -l kubernetes.io/service-name=web",
    );
    let header = slices.lines().next().unwrap();
    assert_eq!(
        header.split_whitespace().collect::<Vec<_>>(),
        ["NAME", "ADDRESSTYPE", "PORTS", "ENDPOINTS", "AGE"]
    );
    let row = slices.lines().nth(1).unwrap();
    assert!(row.starts_with("web-"), "{slices}");
    assert!(row.contains("IPv4") && row.contains(" 8080 "), "{slices}");
}

#[test]
fn yaml_and_json_print_the_stored_object() {
    let c = cluster();
    let yaml = show(&c, "kubectl get deploy web -o yaml");
    for want in [
        "apiVersion: apps/v1\nkind: Deployment\nmetadata:\n",
        "  namespace: default\n",
        "  strategy:\n    rollingUpdate:\n      maxSurge: 25%\n      maxUnavailable: 25%\n    type: RollingUpdate\n",
        "        ports:\n        - containerPort: 8080\n          name: http\n          protocol: TCP\n",
        "      terminationGracePeriodSeconds: 30\n",
        "status:\n  availableReplicas: 2\n",
    ] {
        assert!(yaml.contains(want), "missing {want:?} in\n{yaml}");
    }
    // What -o yaml prints reads back as the same Deployment.
    let back = rollout_sim::manifest::parse_all(&yaml, rollout_sim::yaml::Origin::line(1)).unwrap();
    assert_eq!(back.len(), 1);
    let json = show(&c, "kubectl get svc web-node -o json");
    assert!(
        json.starts_with("{\n    \"apiVersion\": \"v1\",\n    \"kind\": \"Service\",\n"),
        "{json}"
    );
    assert!(json.contains("\"nodePort\": 30080"), "{json}");
    // Several objects print as a List.
    let list = show(&c, "kubectl get svc -o yaml");
    assert!(
        list.starts_with("apiVersion: v1\nitems:\n- apiVersion: v1\n"),
        "{list}"
    );
    assert!(
        list.ends_with("kind: List\nmetadata:\n  resourceVersion: \"\""),
        "{list}"
    );
    let all = show(&c, "kubectl get pods -A");
    assert!(all.starts_with("NAMESPACE   NAME"), "{all}");
}

#[test]
fn objects_not_simulated_are_kept_and_named_once() {
    let c = cluster();
    assert_eq!(
        c.scenario.warnings,
        ["kept, not simulated: configmap/web-config, serviceaccount/web, ingress.networking.k8s.io/web (a cluster stores them; they change nothing in the simulation)"]
    );
    let mut c = cluster();
    let out = c
        .kubectl(
            "kubectl apply -f -",
            Some("apiVersion: policy/v1\nkind: PodDisruptionBudget\nmetadata: {name: web}\nspec: {minAvailable: 1, selector: {matchLabels: {app: web}}}\n"),
        )
        .unwrap();
    assert_eq!(out, "poddisruptionbudget.policy/web created\nnote: kept, not simulated: poddisruptionbudget.policy/web (a cluster stores them; they change nothing in the simulation)");
    assert_eq!(
        show(&c, "kubectl get pdb"),
        "NAME   MIN AVAILABLE   MAX UNAVAILABLE   ALLOWED DISRUPTIONS   AGE\nweb    1               N/A               0                     0s"
    );
}

#[test]
fn a_deployments_selector_cannot_change() {
    let mut c = cluster();
    let err = c
        .kubectl(r#"kubectl patch deployment web -p '{"spec":{"selector":{"matchLabels":{"app":"web2"}},"template":{"metadata":{"labels":{"app":"web2"}}}}}'"#, None)
        .unwrap_err();
    assert!(err.ends_with("spec.selector: Invalid value: v1.LabelSelector{MatchLabels:map[string]string{\"app\":\"web2\"}, MatchExpressions:[]v1.LabelSelectorRequirement(nil)}: field is immutable"), "{err}");
    let manifest = "apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: web}\nspec:\n  selector: {matchLabels: {app: other}}\n  template:\n    metadata: {labels: {app: other}}\n    spec: {containers: [{name: web, image: 'web:2'}]}\n";
    let err = c.kubectl("kubectl apply -f -", Some(manifest)).unwrap_err();
    assert!(
        err.starts_with("The Deployment \"web\" is invalid: spec.selector"),
        "{err}"
    );
    assert_eq!(
        c.deployments[0].spec.template.spec.containers[0].image,
        "web:1"
    );
}

#[test]
fn describe_prints_what_kubectl_describe_prints() {
    let c = cluster();
    let described = show(&c, "kubectl describe deployment web");
    let head: Vec<&str> = described
        .lines()
        .take_while(|l| !l.starts_with("Conditions:"))
        .collect();
    let want = [
        "Name:                   web",
        "Namespace:              default",
        "CreationTimestamp:      Mon, 02 Nov 2026 09:00:00 +0000",
        "Labels:                 app.kubernetes.io/name=web",
        "Annotations:            deployment.kubernetes.io/revision: 1",
        "Selector:               app=web",
        "Replicas:               2 desired | 2 updated | 2 total | 2 available | 0 unavailable",
        "StrategyType:           RollingUpdate",
        "MinReadySeconds:        0",
        "RollingUpdateStrategy:  25% max unavailable, 25% max surge",
        "Pod Template:",
        "  Labels:  app=web",
        "           tier=front",
        "  Containers:",
        "   web:",
        "    Image:        web:1",
        "    Port:         8080/TCP",
        "    Host Port:    0/TCP",
        "    Environment:  <none>",
        "    Mounts:       <none>",
        "  Volumes:         <none>",
        "  Node-Selectors:  <none>",
        "  Tolerations:     <none>",
    ];
    assert_eq!(head, want, "\n{described}");
}

/// A pod of an app, a log shipper with a long preStop, an init container and a native sidecar.
const SIDECARS: &str = r#"seed: 5
duration: 120s
traffic: {requestsPerSecond: 5}
images:
  app:1: {startup: 1s}
  app:2: {startup: 1s}
  proxy:1: {startup: 3s}
  migrate:1: {startup: 4s}
  shipper:1: {startup: 8s}
manifests: |
  apiVersion: apps/v1
  kind: Deployment
  metadata: {name: web}
  spec:
    replicas: 1
    strategy: {rollingUpdate: {maxSurge: 1, maxUnavailable: 0}}
    selector: {matchLabels: {app: web}}
    template:
      metadata: {labels: {app: web}}
      spec:
        initContainers:
        - {name: proxy, image: "proxy:1", restartPolicy: Always}
        - {name: migrate, image: "migrate:1"}
        containers:
        - name: app
          image: app:1
          readinessProbe: {tcpSocket: {port: 8080}, periodSeconds: 1}
        - name: shipper
          image: shipper:1
          lifecycle: {preStop: {sleep: {seconds: 20}}}
  ---
  apiVersion: v1
  kind: Service
  metadata: {name: web}
  spec: {selector: {app: web}, ports: [{port: 80, targetPort: 8080}]}
"#;

#[test]
fn every_container_of_a_pod_counts() {
    let mut c = Cluster::new(Scenario::parse(SIDECARS).unwrap());
    c.run_until(10_000);
    c.kubectl("kubectl set image deployment/web app=app:2", None)
        .unwrap();
    let new_pod = |c: &Cluster| c.pods.iter().find(|p| p.image == "app:2").cloned().unwrap();
    // The native sidecar starts first (pull 1 s + 3 s), then the init container runs (1 s +
    // 4 s): the app and the shipper start at 19 s; the shipper is ready at 28 s.
    c.run_until(12_000);
    let status = |c: &Cluster| {
        let p = new_pod(c);
        let pods = show(c, "kubectl get pods");
        let row = pods
            .lines()
            .find(|l| l.starts_with(&p.name))
            .unwrap()
            .to_string();
        row.split_whitespace().nth(2).unwrap().to_string()
    };
    assert_eq!(status(&c), "Init:0/2", "the native sidecar is being pulled");
    c.run_until(16_000);
    assert_eq!(
        status(&c),
        "Init:1/2",
        "the sidecar runs, the migration does"
    );
    c.run_until(19_500);
    assert_eq!(
        status(&c),
        "PodInitializing",
        "init done, the app is being pulled"
    );
    let p = new_pod(&c);
    assert_eq!(
        p.ready_containers(c.now),
        (1, 3),
        "only the native sidecar is up"
    );
    c.run_until(25_000);
    let p = new_pod(&c);
    assert_eq!(
        p.ready_containers(c.now),
        (2, 3),
        "the app is ready, the shipper is not"
    );
    assert!(!p.ready, "a pod is ready only when every container is");
    c.run_until(30_000);
    let p = new_pod(&c);
    assert!(p.ready, "ready once the shipper is");
    let row = show(&c, "kubectl get pods")
        .lines()
        .find(|l| l.contains(&p.name))
        .unwrap()
        .to_string();
    assert!(row.contains(" 3/3 "), "{row}");
    let described = show(&c, &format!("kubectl describe pod {}", p.name));
    for want in [
        "Init Containers:\n  proxy:",
        "  migrate:\n    Image:          migrate:1\n    State:          Terminated",
        "  shipper:\n    Image:          shipper:1",
        "  ContainersReady  True",
    ] {
        assert!(described.contains(want), "missing {want:?} in\n{described}");
    }
    // The old pod goes when its last container stops: the shipper's 20 s preStop, not the app.
    let old = c
        .pods
        .iter()
        .find(|p| p.image == "app:1")
        .map(|p| p.name.clone());
    let deleted_at = c
        .pods
        .iter()
        .find(|p| p.image == "app:1")
        .and_then(|p| p.deletion.as_ref())
        .map(|d| d.deleted_at);
    let (old, deleted_at) = (
        old.unwrap(),
        deleted_at.expect("the old pod is being deleted"),
    );
    c.run_until(deleted_at + 15_000);
    assert!(
        c.pods.iter().any(|p| p.name == old),
        "still terminating while the shipper's preStop runs"
    );
    c.run_until(deleted_at + 21_000);
    assert!(!c.pods.iter().any(|p| p.name == old), "gone once it ends");
    // Events name the real container.
    let events = show(&c, "kubectl get events");
    assert!(events.contains("Started container app"), "{events}");
    assert!(events.contains("Started container shipper"), "{events}");
    assert!(events.contains("Started container proxy"), "{events}");
    assert!(
        events.contains("Stopping container app (grace period 30s)"),
        "{events}"
    );
}

#[test]
fn the_argo_plugin_prints_its_tree_and_list() {
    let text = std::fs::read_to_string(format!(
        "{}/scenarios/canary-rollout-steps.yaml",
        env!("CARGO_MANIFEST_DIR")
    ))
    .unwrap();
    let mut c = Cluster::new(Scenario::parse(&text).unwrap());
    c.run_until(70_000);
    let tree = show(&c, "kubectl argo rollouts get rollout myapp");
    // `PrintRollout`: the summary, with the step as index/count and nothing else on its line.
    assert!(tree.contains("Strategy:        Canary\n  Step:          3/4\n  SetWeight:     50\n  ActualWeight:  50\n"), "{tree}");
    // `PrintRolloutTree`: getPrefixes' branches, two spaces between columns.
    let shape: Vec<String> = tree
        .lines()
        .skip_while(|l| !l.starts_with("NAME"))
        .map(|l| {
            l.chars()
                .take_while(|c| !c.is_alphanumeric())
                .collect::<String>()
        })
        .collect();
    let want = [
        "",
        "⟳ ",
        "├──# ",
        "│  └──⧉ ",
        "│     ├──□ ",
        "│     └──□ ",
        "└──# ",
        "   └──⧉ ",
        "      ├──□ ",
        "      └──□ ",
    ];
    assert_eq!(shape, want, "\n{tree}");
    let header = tree.lines().find(|l| l.starts_with("NAME")).unwrap();
    assert!(
        header.starts_with("NAME") && header.contains("  KIND        STATUS     AGE    INFO"),
        "{header}"
    );
    assert!(
        tree.contains("ReplicaSet  ✔ Healthy")
            && tree.contains("canary\n")
            && tree.contains("stable\n"),
        "{tree}"
    );
    assert!(
        tree.contains("Pod         ✔ Running") && tree.contains("ready:1/1"),
        "{tree}"
    );
    // `list rollouts`: the plugin's padded cells.
    assert_eq!(
        show(&c, "kubectl argo rollouts list rollouts"),
        "NAME        STRATEGY   STATUS        STEP  SET-WEIGHT  READY  DESIRED  UP-TO-DATE  AVAILABLE\nmyapp       Canary     Paused        3/4   50          4/4    4        2           4"
    );
}
