//! Embeds every lesson file in lessons/ into the binary, so the site works offline and from file://,
//! and the rules of docs/semantics.md that the Check page's findings cite (only those: the whole
//! book would cost the download 12 KB).
use std::{env, fs, path::Path};

fn main() {
    let dir = Path::new("lessons");
    println!("cargo:rerun-if-changed=lessons");
    let mut files: Vec<_> = fs::read_dir(dir)
        .map(|entries| {
            entries
                .filter_map(Result::ok)
                .map(|e| e.path())
                .filter(|p| p.extension().is_some_and(|x| x == "md"))
                .collect()
        })
        .unwrap_or_default();
    files.sort();
    let mut out = String::from("/// (file name, contents) of every lesson in lessons/, sorted by file name.\npub static LESSON_FILES: &[(&str, &str)] = &[\n");
    for path in &files {
        println!("cargo:rerun-if-changed={}", path.display());
        let name = path
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default();
        let abs = fs::canonicalize(path).unwrap_or_else(|_| path.to_path_buf());
        out.push_str(&format!(
            "    ({name:?}, include_str!({:?})),\n",
            abs.display().to_string()
        ));
    }
    out.push_str("];\n");
    write("lessons.rs", &out);
    write("rules.rs", &(rules() + &lesson_titles(&files)));
}

fn write(file: &str, text: &str) {
    let target = Path::new(&env::var("OUT_DIR").unwrap_or_else(|_| ".".into())).join(file);
    if let Err(e) = fs::write(&target, text) {
        panic!("cannot write {}: {e}", target.display());
    }
}

/// `(id, title, body)` of each rule the check's findings name, from its `### ID Title` heading
/// to the next heading.
fn rules() -> String {
    let findings = "sim/src/check/findings.rs";
    let book = "docs/semantics.md";
    println!("cargo:rerun-if-changed={findings}");
    println!("cargo:rerun-if-changed={book}");
    let cited = fs::read_to_string(findings).unwrap_or_default();
    let text = fs::read_to_string(book).unwrap_or_default();
    let mut out = String::from("/// (id, title, Markdown body) of the rules the Check page's findings cite.\npub static RULES: &[(&str, &str, &str)] = &[\n");
    let sections = text.split("\n#").filter_map(|s| s.strip_prefix("## "));
    for section in sections {
        let (heading, body) = section.split_once('\n').unwrap_or((section, ""));
        let (id, title) = heading.split_once(' ').unwrap_or((heading, ""));
        if cited.contains(&format!("\"{id}\"")) {
            out.push_str(&format!("    ({id:?}, {title:?}, {:?}),\n", body.trim()));
        }
    }
    out.push_str("];\n");
    out
}

/// `(id, title)` of every lesson, from its front matter: the Check page names the lessons it
/// links to without carrying the course.
fn lesson_titles(files: &[std::path::PathBuf]) -> String {
    let mut out = String::from(
        "/// (id, title) of every lesson.\npub static LESSONS: &[(&str, &str)] = &[\n",
    );
    for path in files {
        let text = fs::read_to_string(path).unwrap_or_default();
        let field = |name: &str| {
            text.lines()
                .find_map(|l| l.strip_prefix(name))
                .map(|v| v.trim().trim_matches('"').to_string())
                .unwrap_or_default()
        };
        out.push_str(&format!(
            "    ({:?}, {:?}),\n",
            field("id:"),
            field("title:")
        ));
    }
    out.push_str("];\n");
    out
}
