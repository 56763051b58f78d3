//! Every chapter program runs, and prints and draws exactly what the book shows.
//!
//! The book's `book/generated/<chapter>/` holds each program's captured output and figures,
//! written by `cargo xtask outputs`. Running the programs again here must give the same bytes:
//! if this test fails after a change to a chapter, run `cargo xtask outputs` and review the diff.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};
use std::sync::{Mutex, OnceLock};

use xtask::{
    build_programs, captured_output, chapters, generated_dir, section_files, svg_files,
    workspace_root,
};

/// The folder of the chapter programs, built once for all the tests here: this test's own
/// `<target>/<profile>/` (it runs from `<target>/<profile>/deps/`).
fn programs() -> &'static Path {
    static BUILT: OnceLock<PathBuf> = OnceLock::new();
    BUILT.get_or_init(|| {
        let test = std::env::current_exe().expect("the test's own path");
        let programs = test
            .parent()
            .and_then(Path::parent)
            .expect("a test binary in <target>/<profile>/deps/")
            .to_path_buf();
        build_programs(&workspace_root(), &programs, None).unwrap();
        programs
    })
}

/// Runs the program of `chapter` with `args`, from the workspace root.
fn run_chapter(chapter: &str, args: &[&str]) -> Output {
    let program = programs().join(format!("{chapter}{}", std::env::consts::EXE_SUFFIX));
    Command::new(&program)
        .current_dir(workspace_root())
        .args(args)
        .output()
        .unwrap_or_else(|e| panic!("starting {}: {e}", program.display()))
}

#[test]
fn every_chapter_prints_and_draws_what_the_book_shows() {
    let root = workspace_root();
    programs();
    // The programs run side by side, one per core; the last chapters run longest, so they
    // start first.
    let waiting = Mutex::new(chapters(&root).unwrap());
    let cores = std::thread::available_parallelism().map_or(1, |n| n.get());
    std::thread::scope(|s| {
        for _ in 0..cores {
            s.spawn(|| {
                loop {
                    let next = waiting.lock().unwrap().pop();
                    let Some(chapter) = next else { break };
                    prints_and_draws_what_the_book_shows(&root, &chapter);
                }
            });
        }
    });
}

/// Runs the program of `chapter` and compares what it prints and draws with the book's copy.
fn prints_and_draws_what_the_book_shows(root: &Path, chapter: &str) {
    let out = tempfile::tempdir().unwrap();
    let run = run_chapter(chapter, &["--out", out.path().to_str().unwrap()]);
    let stderr = String::from_utf8_lossy(&run.stderr);
    assert!(run.status.success(), "{chapter} failed:\n{stderr}");

    let book = generated_dir(root, chapter);
    let shown = std::fs::read_to_string(book.join("output.txt")).unwrap_or_default();
    let printed = captured_output(chapter, &String::from_utf8_lossy(&run.stdout));
    assert!(
        printed == shown,
        "{chapter} prints other output than book/generated/{chapter}/output.txt: \
         run `cargo xtask outputs` and review the change"
    );
    for (name, text) in section_files(&String::from_utf8_lossy(&run.stdout)) {
        let quoted = std::fs::read_to_string(book.join(&name)).unwrap_or_default();
        assert!(
            quoted == text,
            "book/generated/{chapter}/{name} is not what {chapter} prints: \
             run `cargo xtask outputs`"
        );
    }

    let drawn = svg_files(out.path()).unwrap();
    assert!(!drawn.is_empty(), "{chapter} drew no figure");
    assert_eq!(
        drawn,
        svg_files(&book).unwrap(),
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
