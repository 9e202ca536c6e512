//! Hash routes (`#/`, `#/lesson/<id>`, `#/quiz/<id>`, `#/lab`, and any of them under `#/embed/`):
//! deep links work on any static host and sub-path, because the server only ever sees the page's
//! own URL.

#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Route {
    Catalogue,
    Lesson(String),
    /// `#/quiz/<id>`: a lesson's quiz alone.
    Quiz(String),
    /// `#/lab?scenario=<name>` opens a built-in scenario.
    Lab {
        scenario: Option<String>,
    },
    /// `#/lab?v=1&…`: a share link, its query kept whole for `share::LabLink::read`.
    SharedLab(String),
    /// `#/check`, or `#/check?v=1&…` with a check's state (`share::CheckLink`).
    Check(Option<String>),
    /// `#/summary`: the learner's results in every lesson, to print.
    Summary,
    /// `#/glossary`: the words the lessons use.
    Glossary,
    /// `#/embed/<route>`: the page inside another site's frame, with compact chrome.
    Embed(Box<Route>),
    NotFound(String),
}

/// The two pages of the site: the course (index.html, or the single file) and the Check page
/// (check.html), each with its own bundle.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Document {
    Course,
    Check,
}

thread_local! {
    static HERE: std::cell::Cell<Document> = const { std::cell::Cell::new(Document::Course) };
}

/// Which page this bundle is (set once by its entry point).
pub fn set_document(d: Document) {
    HERE.with(|h| h.set(d));
}

pub fn document() -> Document {
    HERE.with(|h| h.get())
}

impl Route {
    /// The page that serves this route.
    pub fn document(&self) -> Document {
        match self.page().0 {
            Route::Check(_) => Document::Check,
            _ => Document::Course,
        }
    }

    /// The link to this route from the page it is followed on: its fragment when the same page
    /// serves it, else the other page's file with the fragment.
    pub fn link(&self) -> String {
        match (self.document(), document()) {
            (a, b) if a == b => self.href(),
            (Document::Check, _) => format!("check.html{}", self.href()),
            (Document::Course, _) => format!("index.html{}", self.href()),
        }
    }

    /// Parses `location.hash` (with or without the leading `#`). Query strings are kept out of the id.
    pub fn from_hash(hash: &str) -> Route {
        let hash = hash.trim_start_matches('#');
        let (path, query) = hash.split_once('?').unwrap_or((hash, ""));
        let segments: Vec<&str> = path.split('/').filter(|s| !s.is_empty()).collect();
        let param = |key: &str| {
            query
                .split('&')
                .find_map(|kv| kv.strip_prefix(key).and_then(|v| v.strip_prefix('=')))
                .map(str::to_string)
        };
        match segments.as_slice() {
            [] => Route::Catalogue,
            ["lab"] if param("v").is_some() => Route::SharedLab(query.to_string()),
            ["lab"] => Route::Lab {
                scenario: param("scenario").filter(|s| !s.is_empty()),
            },
            ["check"] => Route::Check(param("v").map(|_| query.to_string())),
            ["lesson", id] => Route::Lesson((*id).to_string()),
            ["quiz", id] => Route::Quiz((*id).to_string()),
            ["summary"] => Route::Summary,
            ["glossary"] => Route::Glossary,
            ["embed", page @ ..] if page.first() != Some(&"embed") => {
                let inner = hash.trim_start_matches('/').strip_prefix("embed");
                Route::Embed(Box::new(Route::from_hash(inner.unwrap_or_default())))
            }
            _ => Route::NotFound(path.to_string()),
        }
    }

    /// The page itself, and whether it is embedded.
    pub fn page(&self) -> (&Route, bool) {
        match self {
            Route::Embed(page) => (page, true),
            page => (page, false),
        }
    }

    /// The same page with compact chrome (an embedded page stays as it is).
    pub fn embedded(self) -> Route {
        match self {
            Route::Embed(_) => self,
            page => Route::Embed(Box::new(page)),
        }
    }

    pub fn href(&self) -> String {
        match self {
            Route::Catalogue => "#/".into(),
            Route::Lesson(id) => format!("#/lesson/{id}"),
            Route::Quiz(id) => format!("#/quiz/{id}"),
            Route::Summary => "#/summary".into(),
            Route::Check(None) => "#/check".into(),
            Route::Check(Some(query)) => format!("#/check?{query}"),
            Route::Glossary => "#/glossary".into(),
            Route::SharedLab(query) => format!("#/lab?{query}"),
            Route::Embed(page) => format!("#/embed{}", page.href().trim_start_matches('#')),
            Route::Lab { scenario: None } => "#/lab".into(),
            Route::Lab {
                scenario: Some(name),
            } => format!("#/lab?scenario={name}"),
            Route::NotFound(path) => format!("#{path}"),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_every_route_and_round_trips() {
        let cases = [
            ("", Route::Catalogue),
            ("#", Route::Catalogue),
            ("#/", Route::Catalogue),
            ("#/lab", Route::Lab { scenario: None }),
            (
                "#/lab?scenario=recreate",
                Route::Lab {
                    scenario: Some("recreate".into()),
                },
            ),
            (
                "#/lab?seed=2&scenario=canary-replica-ratio",
                Route::Lab {
                    scenario: Some("canary-replica-ratio".into()),
                },
            ),
            (
                "#/lesson/why-deploys-cause-downtime",
                Route::Lesson("why-deploys-cause-downtime".into()),
            ),
            ("#/lesson/", Route::NotFound("/lesson/".into())),
            ("#/quiz/canary", Route::Quiz("canary".into())),
            ("#/summary", Route::Summary),
            ("#/check", Route::Check(None)),
            (
                "#/check?v=1&manifests=x&c=0",
                Route::Check(Some("v=1&manifests=x&c=0".into())),
            ),
            ("#/glossary", Route::Glossary),
            (
                "#/lab?v=1&scenario=x&c=0",
                Route::SharedLab("v=1&scenario=x&c=0".into()),
            ),
            (
                "#/embed/lab?scenario=recreate&allow=https%3A%2F%2Fx.org",
                Route::Embed(Box::new(Route::Lab {
                    scenario: Some("recreate".into()),
                })),
            ),
            (
                "#/embed/quiz/canary",
                Route::Embed(Box::new(Route::Quiz("canary".into()))),
            ),
            (
                "#/embed/embed/lab",
                Route::NotFound("/embed/embed/lab".into()),
            ),
            ("#/nope/x", Route::NotFound("/nope/x".into())),
        ];
        for (hash, want) in cases {
            assert_eq!(Route::from_hash(hash), want, "hash {hash:?}");
        }
        for route in [
            Route::Catalogue,
            Route::Lab { scenario: None },
            Route::Lab {
                scenario: Some("recreate".into()),
            },
            Route::Lesson("a".into()),
            Route::Quiz("a".into()),
            Route::SharedLab("v=1&scenario=a&c=0".into()),
            Route::Check(None),
            Route::Check(Some("v=1&c=0".into())),
            Route::Embed(Box::new(Route::Lesson("a".into()))),
        ] {
            assert_eq!(Route::from_hash(&route.href()), route);
        }
    }

    #[test]
    fn a_link_names_the_other_page_only_when_it_must() {
        let check = Route::Check(None);
        assert_eq!(check.link(), "check.html#/check");
        assert_eq!(Route::Glossary.link(), "#/glossary");
        set_document(Document::Check);
        assert_eq!(check.link(), "#/check");
        assert_eq!(Route::Embed(Box::new(check)).link(), "#/embed/check");
        assert_eq!(Route::Glossary.link(), "index.html#/glossary");
        set_document(Document::Course);
    }

    #[test]
    fn a_page_embeds_once() {
        let lab = Route::from_hash("#/lab?scenario=recreate");
        assert_eq!(
            lab.clone().embedded().href(),
            "#/embed/lab?scenario=recreate"
        );
        assert_eq!(lab.clone().embedded().embedded(), lab.embedded());
    }
}
