//! `docs/teaching.md` is the teacher's guide written from the lesson files; this keeps the
//! committed file equal to what they say now. After changing a lesson, write it again with
//! `UPDATE_GUIDE=1 cargo test --test guide`.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use rollout_lab::course::{self, guide};

#[test]
fn the_teachers_guide_is_written_from_the_lessons_as_they_are() {
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/docs/teaching.md");
    let now = guide::teaching_guide(course::catalogue());
    if std::env::var_os("UPDATE_GUIDE").is_some() {
        std::fs::write(path, &now).unwrap();
    }
    let committed = std::fs::read_to_string(path).unwrap_or_default();
    assert!(
        committed == now,
        "docs/teaching.md is out of date with the lessons: run `UPDATE_GUIDE=1 cargo test --test guide`"
    );
    // What a teacher looks for is there for every lesson.
    for l in course::catalogue() {
        assert!(
            now.contains(&format!("## {}. {}", l.order, l.title)),
            "{}",
            l.id
        );
        for q in &l.quiz {
            assert!(now.contains(&format!("`{}` ", q.id)), "{} / {}", l.id, q.id);
        }
    }
    assert!(now.contains("Reference solution: "));
    assert!(now.contains("**To discuss**"));
}

/// Prerequisites name lessons that come earlier in the course.
#[test]
fn prerequisites_are_earlier_lessons() {
    for l in course::catalogue() {
        for id in &l.requires {
            let before = course::find(id)
                .unwrap_or_else(|| panic!("{}: requires {id}, no such lesson", l.id));
            assert!(
                before.order < l.order,
                "{}: requires {id}, which comes later",
                l.id
            );
        }
    }
}
