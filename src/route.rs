//! Hash routes (`#/`, `#/lesson/<id>`, `#/lab`): deep links work on any static host and sub-path,
//! because the server only ever sees the page's own URL.

#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Route {
    Catalogue,
    Lesson(String),
    Lab,
    NotFound(String),
}

impl Route {
    /// Parses `location.hash` (with or without the leading `#`). Query strings are kept out of the id.
    pub fn from_hash(hash: &str) -> Route {
        let path = hash.trim_start_matches('#');
        let path = path.split('?').next().unwrap_or_default();
        let segments: Vec<&str> = path.split('/').filter(|s| !s.is_empty()).collect();
        match segments.as_slice() {
            [] => Route::Catalogue,
            ["lab"] => Route::Lab,
            ["lesson", id] => Route::Lesson((*id).to_string()),
            _ => Route::NotFound(path.to_string()),
        }
    }

    pub fn href(&self) -> String {
        match self {
            Route::Catalogue => "#/".into(),
            Route::Lesson(id) => format!("#/lesson/{id}"),
            Route::Lab => "#/lab".into(),
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
            ("#/lab", Route::Lab),
            ("#/lab?scenario=recreate", Route::Lab),
            (
                "#/lesson/why-deploys-cause-downtime",
                Route::Lesson("why-deploys-cause-downtime".into()),
            ),
            ("#/lesson/", Route::NotFound("/lesson/".into())),
            ("#/nope/x", Route::NotFound("/nope/x".into())),
        ];
        for (hash, want) in cases {
            assert_eq!(Route::from_hash(hash), want, "hash {hash:?}");
        }
        for route in [Route::Catalogue, Route::Lab, Route::Lesson("a".into())] {
            assert_eq!(Route::from_hash(&route.href()), route);
        }
    }
}
