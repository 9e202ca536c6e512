//! Lessons are data: one Markdown file per lesson in lessons/, with YAML front matter between
//! `---` lines. They are compiled into the site so it works offline; see README.md for the format.
use rollout_sim::yaml::{self, read, SourceError};
use std::sync::OnceLock;

include!(concat!(env!("OUT_DIR"), "/lessons.rs"));

#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Level {
    Beginner,
    Intermediate,
    Advanced,
}

impl Level {
    pub fn label(&self) -> &'static str {
        match self {
            Level::Beginner => "Beginner",
            Level::Intermediate => "Intermediate",
            Level::Advanced => "Advanced",
        }
    }
}

/// What a course author writes in the front matter.
struct FrontMatter {
    id: String,
    title: String,
    summary: String,
    level: Level,
    minutes: u32,
    order: u32,
    goals: Vec<String>,
}

const FIELDS: [&str; 7] = [
    "id", "title", "summary", "level", "minutes", "order", "goals",
];

fn front_matter(v: &read::Value) -> read::R<FrontMatter> {
    let o = read::Obj::new(v, "")?;
    if let Some(k) = o.unknown(&FIELDS).into_iter().next() {
        return Err((
            o.at(&k),
            format!("unknown field `{k}`, expected one of {}", FIELDS.join(", ")),
        ));
    }
    let number = |key: &str| o.uint(key)?.ok_or_else(|| o.missing(key));
    Ok(FrontMatter {
        id: o.required_string("id")?,
        title: o.required_string("title")?,
        summary: o.required_string("summary")?,
        level: match o.word("level", &["beginner", "intermediate", "advanced"])? {
            Some(0) => Level::Beginner,
            Some(1) => Level::Intermediate,
            Some(_) => Level::Advanced,
            None => return Err(o.missing("level")),
        },
        minutes: number("minutes")?,
        order: number("order")?,
        goals: o
            .scalars("goals", |v| v.as_str().map(str::to_string), "a string")?
            .unwrap_or_default(),
    })
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Lesson {
    pub id: String,
    pub title: String,
    pub summary: String,
    pub level: Level,
    pub minutes: u32,
    /// Position in the catalogue.
    pub order: u32,
    /// What the learner can do afterwards.
    pub goals: Vec<String>,
    /// The Markdown body, rendered without raw HTML.
    pub body: String,
}

/// Parses one lesson file. Errors carry the line and column in the file as the author sees it.
pub fn parse(text: &str) -> Result<Lesson, SourceError> {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let rest = text
        .strip_prefix("---\n")
        .or_else(|| text.strip_prefix("---\r\n"))
        .ok_or_else(|| {
            SourceError::new(
                1,
                1,
                "a lesson starts with a `---` line, then its front matter",
            )
        })?;
    let (front, body) = split_at_closing_fence(rest).ok_or_else(|| {
        SourceError::new(
            1,
            1,
            "the front matter is not closed: add a `---` line after it",
        )
    })?;
    let fm = yaml::read(front, 2, front_matter)?;
    let id_ok = !fm.id.is_empty()
        && fm
            .id
            .chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-');
    if !id_ok {
        return Err(SourceError::new(
            2,
            1,
            format!(
                "id {:?} must be lowercase letters, digits and dashes",
                fm.id
            ),
        ));
    }
    Ok(Lesson {
        id: fm.id,
        title: fm.title,
        summary: fm.summary,
        level: fm.level,
        minutes: fm.minutes,
        order: fm.order,
        goals: fm.goals,
        body: body.trim_start_matches(['\r', '\n']).to_string(),
    })
}

fn split_at_closing_fence(rest: &str) -> Option<(&str, &str)> {
    let mut offset = 0;
    for line in rest.split_inclusive('\n') {
        if line.trim_end() == "---" {
            return Some((&rest[..offset], &rest[offset + line.len()..]));
        }
        offset += line.len();
    }
    None
}

/// The built-in lessons, in catalogue order. A built-in file that fails to parse is reported in
/// `catalogue_errors` (the tests keep that list empty) rather than taking the site down.
pub fn catalogue() -> &'static [Lesson] {
    &built_in().0
}

pub fn catalogue_errors() -> &'static [(String, SourceError)] {
    &built_in().1
}

pub fn find(id: &str) -> Option<&'static Lesson> {
    catalogue().iter().find(|l| l.id == id)
}

type BuiltIn = (Vec<Lesson>, Vec<(String, SourceError)>);

fn built_in() -> &'static BuiltIn {
    static BUILT_IN: OnceLock<BuiltIn> = OnceLock::new();
    BUILT_IN.get_or_init(|| {
        let mut lessons = Vec::new();
        let mut errors = Vec::new();
        for (name, text) in LESSON_FILES {
            match parse(text) {
                Ok(lesson) => lessons.push(lesson),
                Err(e) => errors.push(((*name).to_string(), e)),
            }
        }
        rollout_sim::order::sort_by(&mut lessons, |a, b| {
            a.order.cmp(&b.order).then_with(|| a.id.cmp(&b.id))
        });
        (lessons, errors)
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    const GOOD: &str = "---\nid: demo\ntitle: Demo\nsummary: S\nlevel: beginner\nminutes: 5\norder: 3\n---\n\n# Body\n";

    #[test]
    fn parses_front_matter_and_body() {
        let lesson = parse(GOOD).unwrap();
        assert_eq!(lesson.id, "demo");
        assert_eq!(lesson.level, Level::Beginner);
        assert_eq!((lesson.minutes, lesson.order), (5, 3));
        assert_eq!(lesson.body, "# Body\n");
    }

    #[test]
    fn rejects_bad_files_with_positions() {
        let cases = [
            ("no front matter", "# Hello", 1, "starts with a `---` line"),
            ("unclosed", "---\nid: x\n", 1, "not closed"),
            ("bad level", "---\nid: x\ntitle: T\nsummary: S\nlevel: expert\nminutes: 5\norder: 1\n---\n", 5, "unknown value \"expert\""),
            ("unknown field", "---\nid: x\ntitle: T\nsummary: S\nlevel: beginner\nminutes: 5\norder: 1\ncolour: red\n---\n", 8, "unknown field"),
            ("bad id", "---\nid: Not Ok\ntitle: T\nsummary: S\nlevel: beginner\nminutes: 5\norder: 1\n---\n", 2, "lowercase"),
        ];
        for (name, text, line, message) in cases {
            let err = parse(text).unwrap_err();
            assert_eq!(err.line, line, "{name}: {err}");
            assert!(err.message.contains(message), "{name}: {err}");
        }
    }
}
