//! The notebooks are made from the chapters' sources by `cargo xtask notebooks`: a committed
//! notebook must be exactly what the generator makes now, and the generator must find, for
//! everything a page quotes from its program, the experiment (a statement of `main`, with the
//! functions only it uses) that prints or draws it.
//! (`cargo xtask notebooks --execute` runs them in Jupyter; that needs the evcxr kernel.)

use xtask::notebooks::{NOTEBOOK_DIR, notebook, notebook_path, quotes_without_a_cell};
use xtask::{chapters, workspace_root};

#[test]
fn every_notebook_is_current() {
    let root = workspace_root();
    let mut stale = Vec::new();
    for chapter in chapters(&root).unwrap() {
        let made = notebook(&root, &chapter)
            .unwrap_or_else(|e| panic!("cannot make the notebook of {chapter}: {e:#}"));
        let committed = std::fs::read_to_string(notebook_path(&root, &chapter)).unwrap_or_default();
        if committed != made {
            stale.push(format!("notebooks/{chapter}.ipynb"));
        }
    }
    assert!(
        stale.is_empty(),
        "out of date or missing: {}: run `cargo xtask notebooks` and commit the result",
        stale.join(", ")
    );
}

#[test]
fn every_quote_on_a_page_comes_from_a_notebook_cell() {
    let root = workspace_root();
    for chapter in chapters(&root).unwrap() {
        let orphans = quotes_without_a_cell(&root, &chapter).unwrap();
        assert!(
            orphans.is_empty(),
            "book/{chapter}.md quotes output that no experiment of its main.rs is found to print \
             or draw (no string literal in it is the section's title or the figure's name): {}",
            orphans.join(", ")
        );
    }
}

#[test]
fn every_notebook_belongs_to_a_chapter() {
    let root = workspace_root();
    let chapters = chapters(&root).unwrap();
    for entry in std::fs::read_dir(root.join(NOTEBOOK_DIR)).unwrap() {
        let name = entry.unwrap().file_name().to_string_lossy().into_owned();
        if let Some(chapter) = name.strip_suffix(".ipynb") {
            assert!(
                chapters.iter().any(|c| c == chapter),
                "notebooks/{name} has no chapter: delete it"
            );
        }
    }
}
