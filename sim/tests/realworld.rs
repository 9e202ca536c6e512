//! Manifests as people paste them (`sim/tests/realworld/`, see its README): every one the API
//! server accepts runs, as it is and wrapped into a scenario; every refusal says why; what runs
//! is printed back and reads back as the same objects.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use rollout_sim::manifest::{parse_all, to_yaml};
use rollout_sim::scenario::Scenario;
use rollout_sim::yaml::Origin;

enum Expect {
    Runs,
    Refused(String),
}

fn corpus() -> Vec<(String, String, Expect)> {
    let dir = format!("{}/tests/realworld", env!("CARGO_MANIFEST_DIR"));
    let mut files: Vec<_> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| {
            matches!(
                p.extension().and_then(|e| e.to_str()),
                Some("yaml" | "json")
            )
        })
        .collect();
    files.sort();
    files
        .into_iter()
        .map(|path| {
            let text = std::fs::read_to_string(&path).unwrap();
            let first = text
                .trim_start_matches('\u{feff}')
                .lines()
                .next()
                .unwrap_or("");
            let expect = match first.trim_end().strip_prefix("# expect: ") {
                Some("runs") | None => Expect::Runs,
                Some(other) => Expect::Refused(
                    other
                        .strip_prefix("refused: ")
                        .expect("runs or refused: TEXT")
                        .into(),
                ),
            };
            let name = path.file_name().unwrap().to_string_lossy().into_owned();
            (name, text, expect)
        })
        .collect()
}

/// The file inside a scenario's `manifests: |`, each line indented, nothing else changed (a
/// byte-order mark marks the file, not its text, and is left behind).
fn wrapped(text: &str) -> String {
    let mut out =
        String::from("seed: 3\nduration: 90s\ntraffic: {requestsPerSecond: 20}\nmanifests: |\n");
    for line in text.trim_start_matches('\u{feff}').split_inclusive('\n') {
        out.push_str("  ");
        out.push_str(line);
    }
    out
}

#[test]
fn the_corpus_holds_every_kind_of_paste() {
    let corpus = corpus();
    assert!(corpus.len() >= 20, "{} files", corpus.len());
    let refused = corpus
        .iter()
        .filter(|(_, _, e)| matches!(e, Expect::Refused(_)))
        .count();
    assert!(
        refused >= 3 && refused < corpus.len() / 3,
        "{refused} refused"
    );
}

/// One file's verdict: `Err` says what went wrong.
fn check(text: &str, expect: &Expect) -> Result<(), String> {
    let direct = parse_all(text, Origin::line(1));
    let scenario = Scenario::parse(&wrapped(text));
    match expect {
        Expect::Runs => {
            let objects = direct.map_err(|e| format!("refused: {e}"))?;
            let scenario = scenario.map_err(|e| format!("refused in a scenario: {e}"))?;
            if scenario.objects != objects {
                return Err("other objects when wrapped into a scenario".into());
            }
            // Printed back, the objects read back as themselves.
            let printed = to_yaml(&objects);
            let back = parse_all(&printed, Origin::line(1))
                .map_err(|e| format!("printed back, refused: {e}\n{printed}"))?;
            if back != objects {
                return Err(format!("printed back as other objects:\n{printed}"));
            }
            let run = std::panic::catch_unwind(|| common::run_text(&wrapped(text)));
            run.map(|_| ())
                .map_err(|_| "the run failed its checks".to_string())
        }
        Expect::Refused(why) => {
            let err = match direct {
                Ok(_) => return Err(format!("accepted, but should be refused with {why:?}")),
                Err(e) => e,
            };
            if !err.message.contains(why.as_str()) {
                return Err(format!("refused with {err}, not {why:?}"));
            }
            match scenario {
                Err(e) if e.message.contains(why.as_str()) && e.line > 4 => Ok(()),
                other => Err(format!("in a scenario: {other:?}")),
            }
        }
    }
}

#[test]
fn what_the_api_server_accepts_runs() {
    let failures: Vec<String> = corpus()
        .iter()
        .filter_map(|(name, text, expect)| {
            check(text, expect).err().map(|e| format!("{name}: {e}"))
        })
        .collect();
    assert!(failures.is_empty(), "\n{}", failures.join("\n"));
}

fn run_file(name: &str) -> rollout_sim::cluster::Cluster {
    let (_, text, _) = corpus()
        .into_iter()
        .find(|(n, _, _)| n == name)
        .expect(name);
    common::run_text(&wrapped(&text))
}

#[test]
fn pasted_objects_behave_as_on_a_cluster() {
    // A Rollout whose Services are missing is InvalidSpec, and nothing is reconciled.
    let c = run_file("argo-missing-service.yaml");
    assert!(c.pods.is_empty());
    let shown = c.show("kubectl argo rollouts get rollout lonely").unwrap();
    assert!(shown.contains("InvalidSpec: The Rollout \"lonely\" is invalid: spec.strategy.blueGreen.activeService: Invalid value: \"lonely-active\": service \"lonely-active\" not found"), "{shown}");
    // workloadRef: the Rollout runs the Deployment's template; the Deployment runs none.
    let c = run_file("argo-workload-ref.yaml");
    let images: Vec<&str> = c.pods.iter().map(|p| p.image.as_str()).collect();
    assert_eq!(images, ["inventory:12"; 3], "{images:?}");
    // A half-specified rollingUpdate: maxSurge 2, maxUnavailable the default 25% of 8.
    let c = run_file("half-specified-strategy.yaml");
    let d = &c.deployments[0];
    assert_eq!(rollout_sim::deployment::util::max_unavailable(d), 2);
    // Objects from `kubectl get -o json` keep their namespace, and their pods are in it.
    let c = run_file("kubectl-get-json.json");
    assert_eq!(
        c.show("kubectl get deploy").unwrap(),
        "No resources found in default namespace."
    );
    let pods = c.show("kubectl get pods -n shop -o name").unwrap();
    assert_eq!(pods.lines().count(), 4, "{pods}");
    // A chart's ServiceAccount, ConfigMap, HPA, Ingress and PDB are kept and listed.
    let c = run_file("helm-rendered.yaml");
    assert_eq!(c.kept.len(), 5);
    let hpa = c.show("kubectl get hpa").unwrap();
    assert!(
        hpa.contains("Deployment/shop-storefront") && hpa.contains(" 2 ") && hpa.contains(" 6 "),
        "{hpa}"
    );
    // A ClusterAnalysisTemplate is an analysis template for every namespace; a reference to one
    // that does not exist makes the Rollout InvalidSpec.
    let (_, text, _) = corpus()
        .into_iter()
        .find(|(n, _, _)| n == "argo-cluster-analysis-template.yaml")
        .unwrap();
    let c = common::run_text(&wrapped(&text));
    assert!(
        !c.rollouts[0].status.message.contains("InvalidSpec"),
        "{}",
        c.rollouts[0].status.message
    );
    assert_eq!(
        c.show("kubectl get clusteranalysistemplates -o name")
            .unwrap(),
        "clusteranalysistemplate.argoproj.io/error-rate"
    );
    let c = common::run_text(&wrapped(
        &text.replace("templateName: smoke", "templateName: smoke-test"),
    ));
    assert!(c.rollouts[0].status.message.contains("InvalidSpec: The Rollout \"billing\" is invalid: spec.strategy.canary.steps[1].analysis.templates: Invalid value: \"templateNames: [smoke-test]\": analysistemplate.argoproj.io \"smoke-test\" not found"), "{}", c.rollouts[0].status.message);
    // Istio subsets need no canary and stable Services, and the canary still steps.
    let c = run_file("argo-canary-istio-subset.yaml");
    assert!(
        c.rollouts[0].status.message.is_empty()
            || !c.rollouts[0].status.message.contains("InvalidSpec")
    );
}
