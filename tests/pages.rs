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
    for lesson in rollout_lab::lessons::catalogue() {
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
    assert!(html.contains("<h2>The Recreate strategy</h2>"));
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
