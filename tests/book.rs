//! The book's pages: every include resolves, every chapter has a page in the table of contents.

use nn_from_scratch::{chapters, check_includes, workspace_root};

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
