//! Every chapter program runs, and prints and draws exactly what the book shows.
//!
//! The book's `book/generated/<chapter>/` holds each program's captured output and figures,
//! written by `cargo xtask outputs`. Running the programs again here must give the same bytes:
//! if this test fails after a change to a chapter, run `cargo xtask outputs` and review the diff.

use std::path::Path;
use std::process::{Command, Output};

use xtask::{captured_output, chapters, generated_dir, workspace_root};

/// Runs `cargo run -p chapter -- args…` from the workspace root.
fn run_chapter(chapter: &str, args: &[&str]) -> Output {
    Command::new(env!("CARGO"))
        .current_dir(workspace_root())
        .args(["run", "--quiet", "-p", chapter, "--"])
        .args(args)
        .output()
        .unwrap_or_else(|e| panic!("starting cargo run -p {chapter}: {e}"))
}

/// The SVG files in `dir`, sorted by name (not those in a subfolder: the speed chapter's
/// `timed/` figures hold timings, which differ from run to run and are not compared).
fn figures_in(dir: &Path) -> Vec<String> {
    let mut names: Vec<String> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|name| name.ends_with(".svg"))
        .collect();
    names.sort();
    names
}

#[test]
fn every_chapter_prints_and_draws_what_the_book_shows() {
    let root = workspace_root();
    for chapter in chapters(&root).unwrap() {
        let out = tempfile::tempdir().unwrap();
        let run = run_chapter(&chapter, &["--out", out.path().to_str().unwrap()]);
        let stderr = String::from_utf8_lossy(&run.stderr);
        assert!(run.status.success(), "{chapter} failed:\n{stderr}");

        let book = generated_dir(&root, &chapter);
        let shown = std::fs::read_to_string(book.join("output.txt")).unwrap_or_default();
        let printed = captured_output(&chapter, &String::from_utf8_lossy(&run.stdout));
        assert!(
            printed == shown,
            "{chapter} prints other output than book/generated/{chapter}/output.txt: \
             run `cargo xtask outputs` and review the change"
        );

        let drawn = figures_in(out.path());
        assert!(!drawn.is_empty(), "{chapter} drew no figure");
        assert_eq!(
            drawn,
            figures_in(&book),
            "{chapter} draws other figures than the book has"
        );
        for name in drawn {
            let now = std::fs::read(out.path().join(&name)).unwrap();
            let committed = std::fs::read(book.join(&name)).unwrap();
            assert!(
                now == committed,
                "{chapter}'s {name} differs from the book's: run `cargo xtask outputs`"
            );
        }
    }
}

#[test]
fn an_unknown_flag_is_a_clear_error() {
    for chapter in chapters(&workspace_root()).unwrap() {
        let run = run_chapter(&chapter, &["--no-such-flag"]);
        let stderr = String::from_utf8_lossy(&run.stderr);
        assert_eq!(run.status.code(), Some(2), "{chapter}: {stderr}");
        assert!(
            stderr.contains("unexpected argument '--no-such-flag'"),
            "{chapter}: {stderr}"
        );
        assert!(!stderr.contains("panicked"), "{chapter}: {stderr}");
    }
}

#[test]
fn a_bad_seed_is_a_clear_error() {
    for chapter in chapters(&workspace_root()).unwrap() {
        let run = run_chapter(&chapter, &["--seed", "minus-one"]);
        let stderr = String::from_utf8_lossy(&run.stderr);
        assert_eq!(run.status.code(), Some(2), "{chapter}: {stderr}");
        assert!(
            stderr.contains("invalid value 'minus-one' for '--seed <N>'"),
            "{chapter}: {stderr}"
        );
    }
}
