//! Scenario files a learner opens from disk (picker or drag-and-drop). A file that reads as a
//! scenario joins the built-in ones for this visit, as `#/lab?scenario=file:<name>`; one that
//! does not is refused with the line and column of the problem.
use rollout_sim::lab::examples::{self, Example};
use rollout_sim::scenario::Scenario;
use std::borrow::Cow;
use std::cell::RefCell;
use std::rc::Rc;

thread_local! {
    /// Opened files, newest last. Each is kept for the rest of the visit (a few kilobytes); a
    /// file opened again under the same name replaces the earlier one.
    static OPENED: RefCell<Vec<Rc<Example>>> = const { RefCell::new(Vec::new()) };
}

/// Checks `text` and keeps it; the name to open it by, or the error with its position.
pub fn open(file_name: &str, text: String) -> Result<String, String> {
    let stem = file_name
        .trim_end_matches(".yaml")
        .trim_end_matches(".yml")
        .to_string();
    let name = format!("file:{stem}");
    keep(&name, format!("Opened file: {file_name}"), text)
        .map_err(|e| format!("{file_name}: {e}"))?;
    Ok(name)
}

/// Keeps `text` under `name` (a share link carrying its file, the Check page's deploy), if it
/// reads as a scenario and the name is not a built-in one's.
pub fn keep(name: &str, title: String, text: String) -> Result<(), String> {
    if examples::find(name).is_some() {
        return Err(format!("“{name}” is a built-in scenario"));
    }
    Scenario::parse(&text).map_err(|e| e.to_string())?;
    let example = Rc::new(Example {
        name: Cow::Owned(name.to_string()),
        title: Cow::Owned(title),
        yaml: Cow::Owned(text),
    });
    OPENED.with(|o| {
        let mut o = o.borrow_mut();
        o.retain(|e| e.name != example.name);
        o.push(example);
    });
    Ok(())
}

/// A built-in scenario (borrowed from the binary, so the copy is a few pointers), or a file
/// opened during this visit.
pub fn find(name: &str) -> Option<Rc<Example>> {
    match examples::find(name) {
        Some(e) => Some(Rc::new(e.clone())),
        None => OPENED.with(|o| o.borrow().iter().rev().find(|e| e.name == name).cloned()),
    }
}

/// The opened files, for the scenario list.
pub fn all() -> Vec<Rc<Example>> {
    OPENED.with(|o| o.borrow().clone())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_valid_file_is_kept_and_a_bad_one_refused_with_its_line() {
        let yaml = examples::find("recreate")
            .map(|e| &*e.yaml)
            .unwrap_or_default();
        let name = open("my-recreate.yaml", yaml.replace("seed: 1", "seed: 2")).unwrap();
        assert_eq!(name, "file:my-recreate");
        assert!(find(&name).is_some_and(|e| e.yaml.contains("seed: 2")));
        assert_eq!(all().len(), 1);
        let err = open(
            "bad.yaml",
            "seed: 1\ntraffic: {requestsPerSecond: 1}\nduration: soon\n".into(),
        )
        .unwrap_err();
        assert!(err.starts_with("bad.yaml: line 3, column 11:"), "{err}");
        assert!(find("file:bad").is_none());
    }
}
