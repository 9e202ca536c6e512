//! Reading YAML written by people: every error names its line and column, never panics.
use serde::de::DeserializeOwned;
use std::fmt;

/// A problem in a file a person wrote, placed where they can find it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SourceError {
    /// 1-based line in the whole file (0 when the position is unknown).
    pub line: u64,
    /// 1-based column (0 when unknown).
    pub column: u64,
    pub message: String,
}

impl SourceError {
    pub fn new(line: u64, column: u64, message: impl Into<String>) -> Self {
        SourceError {
            line,
            column,
            message: message.into(),
        }
    }
}

impl fmt::Display for SourceError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.line == 0 {
            write!(f, "{}", self.message)
        } else {
            write!(
                f,
                "line {}, column {}: {}",
                self.line, self.column, self.message
            )
        }
    }
}

impl std::error::Error for SourceError {}

/// Deserializes `text`, which starts at line `first_line` of its file (1 for a whole file).
pub fn from_str<T: DeserializeOwned>(text: &str, first_line: u64) -> Result<T, SourceError> {
    serde_saphyr::from_str(text).map_err(|e| {
        let (line, column) = e
            .location()
            .map(|l| (l.line(), l.column()))
            .unwrap_or((0, 0));
        let line = if line == 0 { 0 } else { line + first_line - 1 };
        SourceError::new(line, column, bare_message(&e.to_string()))
    })
}

/// serde-saphyr renders "error: line L column C: message" followed by a snippet; keep the message.
fn bare_message(rendered: &str) -> String {
    let first = rendered.lines().next().unwrap_or_default();
    let first = first.strip_prefix("error: ").unwrap_or(first);
    let without_position = first
        .strip_prefix("line ")
        .and_then(|rest| rest.split_once(": "))
        .map(|(_, msg)| msg)
        .unwrap_or(first);
    without_position.to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[derive(serde::Deserialize, Debug)]
    #[serde(deny_unknown_fields)]
    #[allow(dead_code)]
    struct Doc {
        id: String,
        minutes: u32,
    }

    #[test]
    fn errors_carry_line_column_and_a_plain_message() {
        let cases = [
            ("id: a\nminutes: x\n", 1, 2, 10, "invalid u32"),
            ("id: a\nfoo: 1\nminutes: 2", 1, 2, 1, "unknown field `foo`"),
            ("minutes: 3\n", 5, 5, 1, "missing field `id`"),
        ];
        for (text, first_line, line, column, message) in cases {
            let err = from_str::<Doc>(text, first_line).unwrap_err();
            assert_eq!((err.line, err.column), (line, column), "{text:?}");
            assert!(
                err.message.starts_with(message),
                "{text:?}: {}",
                err.message
            );
            assert!(!err.message.contains('\n'));
        }
    }
}
