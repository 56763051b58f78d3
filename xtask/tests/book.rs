//! The book's pages: every include resolves, every chapter has a page in the table of contents.

use xtask::exercises::{exercise_name, page_listing};
use xtask::{chapters, check_includes, exercise_files, solutions_page, workspace_root};

#[test]
fn every_include_resolves_to_non_empty_text() {
    let count = check_includes(&workspace_root().join("book")).unwrap();
    assert!(count > 0, "the book includes no code or output at all");
}

#[test]
fn every_chapter_has_a_page_in_the_summary() {
    let root = workspace_root();
    let summary = std::fs::read_to_string(root.join("book").join("SUMMARY.md")).unwrap();
    for chapter in chapters(&root).unwrap() {
        let page = format!("{chapter}.md");
        assert!(
            root.join("book").join(&page).is_file(),
            "book/{page} is missing"
        );
        assert!(
            summary.contains(&format!("({page})")),
            "SUMMARY.md does not list {page}"
        );
    }
}

#[test]
fn every_exercise_is_on_its_chapter_page() {
    let root = workspace_root();
    for chapter in chapters(&root).unwrap() {
        let page =
            std::fs::read_to_string(root.join("book").join(format!("{chapter}.md"))).unwrap();
        let exercises = exercise_files(&root, &chapter).unwrap();
        let count = exercises.len();
        assert!(
            (2..=4).contains(&count),
            "{chapter} has {count} exercises; a chapter ends with 2–4"
        );
        for file in exercises {
            let name = exercise_name(&file);
            let source = std::fs::read_to_string(&file).unwrap();
            let listing = page_listing(&chapter, &name, &source).unwrap();
            let blank = format!("```rust,noplayground\n{listing}\n```\n");
            let tests =
                format!("{{{{#include ../chapters/{chapter}/src/exercises/{name}.rs:tests}}}}");
            assert!(
                page.contains(&blank),
                "{chapter}.md does not show exercise {name} as the reader starts it, \
                 its signature and the rest blank:\n{blank}"
            );
            assert!(
                page.contains(&tests),
                "{chapter}.md does not show the tests of {name}: {tests}"
            );
        }
    }
}

#[test]
fn the_solutions_appendix_is_current() {
    let root = workspace_root();
    let committed =
        std::fs::read_to_string(root.join("book/generated/solutions.md")).unwrap_or_default();
    assert!(
        committed == solutions_page(&root).unwrap(),
        "book/generated/solutions.md is out of date: run `cargo xtask outputs`"
    );
}
