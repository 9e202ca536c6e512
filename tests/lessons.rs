//! Every lesson shipped in lessons/ is valid and reachable.
#![allow(clippy::unwrap_used, clippy::expect_used)] // a test may stop at the first surprise

use rollout_lab::course;
use std::collections::HashSet;

#[test]
fn every_built_in_lesson_parses() {
    let errors: Vec<String> = course::catalogue_errors()
        .iter()
        .map(|(file, e)| format!("{file}: {e}"))
        .collect();
    assert!(errors.is_empty(), "invalid lessons:\n{}", errors.join("\n"));
    let files = std::fs::read_dir("lessons")
        .unwrap()
        .filter(|e| {
            e.as_ref()
                .unwrap()
                .path()
                .extension()
                .is_some_and(|x| x == "md")
        })
        .count();
    assert_eq!(
        course::catalogue().len(),
        files,
        "every lessons/*.md file is in the catalogue"
    );
}

#[test]
fn lesson_ids_and_orders_are_unique_and_the_first_lesson_is_the_recreate_outage() {
    let all = course::catalogue();
    let ids: HashSet<_> = all.iter().map(|l| &l.id).collect();
    let orders: HashSet<_> = all.iter().map(|l| l.order).collect();
    assert_eq!(ids.len(), all.len(), "duplicate lesson id");
    assert_eq!(orders.len(), all.len(), "duplicate lesson order");
    assert_eq!(all[0].title, "Why deploying causes downtime");
    assert!(all[0].body().contains("Recreate"));
    assert_eq!(
        course::find(&all[0].id).map(|l| &l.title),
        Some(&all[0].title)
    );
    assert!(course::find("no-such-lesson").is_none());
}

#[test]
fn every_in_lesson_link_points_somewhere_real() {
    use rollout_lab::route::Route;
    for lesson in course::catalogue() {
        let body = lesson.body();
        for (i, _) in body.match_indices("](#/") {
            let target = body[i + 2..].split(')').next().unwrap_or_default();
            let route = Route::from_hash(target);
            let ok = match route.page().0 {
                Route::Lesson(id) | Route::Quiz(id) => course::find(id).is_some(),
                Route::Lab {
                    scenario: Some(name),
                } => rollout_sim::lab::examples::find(name).is_some(),
                Route::SharedLab(query) => rollout_lab::share::LabLink::read(query).is_ok(),
                Route::Check(query) => query
                    .as_ref()
                    .is_none_or(|q| rollout_lab::share::CheckLink::read(q).is_ok()),
                Route::NotFound(_) | Route::Embed(_) => false,
                Route::Catalogue
                | Route::Lab { scenario: None }
                | Route::Summary
                | Route::Glossary => true,
            };
            assert!(
                ok,
                "lesson {} links to {target}, which does not exist",
                lesson.id
            );
        }
    }
}

#[test]
fn the_readme_example_is_a_valid_lesson() {
    let readme = std::fs::read_to_string("README.md").unwrap();
    let section = &readme[readme.find("## Authoring a lesson").unwrap()..];
    let start = section.find("```markdown\n").unwrap() + "```markdown\n".len();
    let example = &section[start..start + section[start..].find("\n```\n").unwrap() + 1];
    let lesson = course::parse(example).unwrap_or_else(|e| panic!("README example: {e}"));
    assert_eq!(lesson.quiz.len(), 5);
    assert_eq!(lesson.challenges.len(), 1);
    assert_eq!(
        lesson.steps[0].lab.as_ref().unwrap().controls,
        ["readiness", "ready-delay", "console"]
    );
}
