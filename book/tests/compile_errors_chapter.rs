//! The compile-errors chapter lists every rule the ui suite pins: the case, the first line the
//! compiler gives, and the fix its note gives. This test builds that table from the pinned
//! `.stderr` files of `ui-tests/cases/fail/` and fails when the chapter's copy differs, printing
//! the table to paste between the chapter's markers.

use std::fs;
use std::path::{Path, PathBuf};

const BEGIN: &str = "<!-- ui-suite:begin -->";
const END: &str = "<!-- ui-suite:end -->";

/// Paths that say nothing to a reader of the table.
const PREFIXES: [&str; 9] = [
    "philtre_ui_tests::schema::",
    "philtre::types::",
    "philtre::expression::",
    "philtre::query::",
    "philtre::schema::",
    "philtre_sqlite::backend::",
    "philtre_postgres::backend::",
    "philtre_mysql::backend::",
    "philtre::",
];

fn cell(text: &str) -> String {
    let mut text = text.trim().to_owned();
    for prefix in PREFIXES {
        text = text.replace(prefix, "");
    }
    text.replace('|', "\\|")
}

/// The fix: the first note that is not the compiler's chain of requirements.
fn fix(stderr: &str) -> String {
    stderr
        .lines()
        .filter_map(|line| line.trim_start().strip_prefix("= note: "))
        .find(|note| {
            !(note.starts_with("required for")
                || note.starts_with("the full name")
                || note.starts_with("consider using")
                || note.contains("redundant requirement"))
        })
        .map_or_else(|| "—".to_owned(), cell)
}

fn message(stderr: &str) -> String {
    let first = stderr.lines().next().unwrap_or_default();
    let text = match first.split_once("]: ") {
        Some((_, rest)) if first.starts_with("error[") => rest,
        _ => first.strip_prefix("error: ").unwrap_or(first),
    };
    cell(text)
}

fn cases() -> Vec<PathBuf> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../ui-tests/cases/fail");
    let mut files: Vec<PathBuf> = fs::read_dir(&dir)
        .expect("the ui suite's cases")
        .filter_map(Result::ok)
        .map(|entry| entry.path())
        .filter(|path| path.extension().is_some_and(|e| e == "stderr"))
        .collect();
    files.sort();
    files
}

fn table() -> String {
    let mut out = String::from(
        "| Mistake (ui case) | The compiler says | The fix it suggests |\n| --- | --- | --- |\n",
    );
    for path in cases() {
        let stderr = fs::read_to_string(&path).expect("a pinned stderr");
        let name = path
            .file_stem()
            .and_then(|s| s.to_str())
            .unwrap_or_default()
            .replace('_', " ");
        out.push_str(&format!(
            "| {name} | {} | {} |\n",
            message(&stderr),
            fix(&stderr)
        ));
    }
    out
}

#[test]
fn the_chapter_lists_every_rule_of_the_ui_suite() {
    let chapter_path = Path::new(env!("CARGO_MANIFEST_DIR")).join("src/compile-errors.md");
    let chapter = fs::read_to_string(&chapter_path).expect("the chapter");
    let expected = table();
    let listed = chapter
        .split_once(BEGIN)
        .and_then(|(_, rest)| rest.split_once(END))
        .map(|(table, _)| table.trim())
        .unwrap_or_default();
    assert!(
        listed == expected.trim(),
        "the compile-errors chapter's table differs from the ui suite; put this between {BEGIN} and {END}:\n\n{expected}"
    );
}
