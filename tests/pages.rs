//! The app renders every route natively (yew's server renderer), with the content a learner expects.
#![allow(clippy::unwrap_used, clippy::expect_used)] // a test may stop at the first surprise

use rollout_lab::{route::Route, App, AppProps};

async fn render(hash: &str) -> String {
    let initial = Route::from_hash(hash);
    yew::LocalServerRenderer::<App>::with_props(AppProps { initial })
        .hydratable(false)
        .render()
        .await
}

#[tokio::test]
async fn catalogue_lists_every_lesson_with_a_link() {
    let html = render("#/").await;
    assert!(html.contains("Rollout Lab"));
    assert!(
        html.contains("<h1 id=\"catalogue-title\" tabindex=\"-1\">Lessons</h1>"),
        "{html}"
    );
    for lesson in rollout_lab::course::catalogue() {
        assert!(
            html.contains(&format!("href=\"#/lesson/{}\"", lesson.id)),
            "no link to {}",
            lesson.id
        );
        assert!(html.contains(&lesson.title));
    }
}

#[tokio::test]
async fn lesson_route_shows_the_lesson() {
    let html = render("#/lesson/why-deploys-cause-downtime").await;
    assert!(
        html.contains("<h1 tabindex=\"-1\">Why deploying causes downtime</h1>"),
        "{html}"
    );
    // One step at a time: the first step's prose, the others as a list of steps to go to.
    assert!(
        html.contains("<h2>A deploy is a replacement</h2>"),
        "{html}"
    );
    assert!(!html.contains("<h2>The Recreate strategy</h2>"));
    assert!(html.contains(">The Recreate strategy<"));
    assert!(html.contains("Step 1 of 8"));
    assert!(html.contains("Next: The Recreate strategy →"));
    assert!(html.contains("0 of 5 questions right · 0 of 1 challenges passed"));
    assert!(html.contains("You will be able to"));
}

#[tokio::test]
async fn unknown_lesson_and_path_get_a_friendly_not_found() {
    for (hash, what) in [
        ("#/lesson/nope", "lesson “nope”"),
        ("#/what/ever", "page “/what/ever”"),
    ] {
        let html = render(hash).await;
        assert!(html.contains("Nothing here"), "{hash}: {html}");
        assert!(html.contains(what), "{hash}: {html}");
        assert!(html.contains("href=\"#/\""), "{hash}: a way back");
    }
}

#[tokio::test]
async fn navigation_marks_the_current_section() {
    let html = render("#/lab").await;
    assert!(
        html.contains("<a href=\"#/lab\" aria-current=\"page\">Lab</a>"),
        "{html}"
    );
    let html = render("#/").await;
    assert!(
        html.contains("<a href=\"#/\" aria-current=\"page\">Lessons</a>"),
        "{html}"
    );
}

#[tokio::test]
async fn the_lab_runs_a_built_in_scenario_and_explains_failures() {
    let html = render("#/lab?scenario=recreate").await;
    assert!(
        html.contains("<h1 id=\"lab-title\" tabindex=\"-1\">Lab</h1>"),
        "{html}"
    );
    assert!(
        html.contains("role=\"status\" aria-label=\"Outcome\""),
        "{html}"
    );
    // The default view is the end of the scenario: the Recreate outage has happened.
    assert!(
        html.contains("3,449 succeeded, 235 failed (235 connection refused)"),
        "the outcome"
    );
    assert!(html.contains("but the app only listens from 71.0s; with no readiness probe the pod counted as ready at 61.0s"), "a failure says why");
    assert!(html.contains("$ kubectl get deploy,rs,pods"));
    assert!(html.contains("deployment \"myapp\" successfully rolled out"));
}

#[tokio::test]
async fn an_unknown_scenario_says_so_and_shows_the_first() {
    let html = render("#/lab?scenario=nope").await;
    assert!(
        html.contains("There is no built-in scenario “nope”"),
        "{html}"
    );
    assert!(
        html.contains("Recreate: the outage of a naive deploy"),
        "{html}"
    );
}

#[tokio::test]
async fn the_lab_shows_pods_per_replica_set() {
    let html = render("#/lab?scenario=rolling-zero-downtime").await;
    assert!(html.contains("Pods at 240.0s"));
    assert!(
        html.contains("revision 2 · myapp:2 · 3/3 ready"),
        "the new ReplicaSet"
    );
    assert_eq!(
        html.matches("<li class=\"pod ready\">").count(),
        3,
        "three ready pods, old ones gone"
    );
    assert!(html.contains("receives traffic"));
}

#[tokio::test]
async fn the_pods_chart_tells_the_rollout_in_words() {
    let html = render("#/lab?scenario=rolling-zero-downtime").await;
    assert!(
        html.contains("Pods per version over time, at most 5 at once. Now: myapp:2: 3 ready, 0 not ready, 0 terminating."),
        "the chart's text alternative: {}",
        html.split("Pods per version").nth(1).unwrap_or_default().chars().take(200).collect::<String>()
    );
}

#[tokio::test]
async fn a_rollout_preset_shows_roles_and_the_plugin_view() {
    let html = render("#/lab?scenario=canary-analysis-abort").await;
    assert!(
        html.contains("<span class=\"rs-role\">stable</span>"),
        "the stable ReplicaSet is labelled"
    );
    assert!(html.contains("kubectl argo rollouts get rollout myapp"));
    assert!(
        html.contains("RolloutAborted"),
        "the abort and its reason are in the text twin"
    );
    assert!(
        html.contains(">Retry</button>"),
        "an aborted rollout offers Retry"
    );
}

#[tokio::test]
async fn desired_against_actual_is_drawn_and_told() {
    let html = render("#/lab?scenario=canary-rollout-steps").await;
    assert!(
        html.contains("Desired against actual. Now: myapp:2: 4 desired, 4 ready"),
        "{}",
        html.split("Desired against")
            .nth(1)
            .unwrap_or_default()
            .chars()
            .take(200)
            .collect::<String>()
    );
    assert!(
        html.contains(">Canary weight</h3>")
            && html.contains("Canary weight, 0 to 100%. Now: weight asked none, answers from the new version 100%"),
        "the canary's weight chart, titled and told: {}",
        html.split("Canary weight, ").nth(1).unwrap_or_default().chars().take(120).collect::<String>()
    );
    // A Deployment's rollout has no weight to draw.
    let plain = render("#/lab?scenario=rolling-zero-downtime").await;
    assert!(plain.contains("Desired against actual"));
    assert!(!plain.contains("Canary weight"));
}

#[tokio::test]
async fn the_summary_lists_every_lesson_and_the_glossary_every_term() {
    let html = render("#/summary").await;
    assert!(html.contains(">Your results</h1>"), "{html}");
    let questions: usize = rollout_lab::course::catalogue()
        .iter()
        .map(|l| l.quiz.len())
        .sum();
    assert!(
        html.contains(&format!(
            "0 of {questions} questions right at the first attempt"
        )),
        "{html}"
    );
    for lesson in rollout_lab::course::catalogue() {
        assert!(
            html.contains(&format!("{}. {}", lesson.order, lesson.title)),
            "{}",
            lesson.id
        );
    }
    assert!(html.contains("Print this summary"));
    let html = render("#/glossary").await;
    for term in rollout_lab::components::GLOSSARY
        .lines()
        .filter_map(|l| l.strip_prefix("## "))
    {
        assert!(html.contains(&format!("<h2>{term}</h2>")), "{term}");
    }
    // Every lesson page links to it, and names what it builds on.
    let html = render("#/lesson/max-surge-and-max-unavailable").await;
    assert!(html.contains("href=\"#/glossary\">Glossary</a>"), "{html}");
    assert!(
        html.contains("Builds on: <a href=\"#/lesson/deployments-and-replicasets\">"),
        "{html}"
    );
}
