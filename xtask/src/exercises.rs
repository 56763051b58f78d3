//! Exercise mode: blank the solutions of a chapter's exercises so a reader can write their own,
//! put the book's solutions back, and prove that every exercise's tests can fail.
//!
//! Each exercise is one file `chapters/<chapter>/src/exercises/<name>.rs` with three anchors:
//! `exercise` (the whole piece the reader writes, as the appendix of solutions shows it),
//! `signature` (its start, up to the body: what the chapter's page includes) and `solution` (the
//! body). Blanking replaces what is between `// ANCHOR: solution` and `// ANCHOR_END: solution`
//! with `todo!("exercise <name>")`; the anchors stay, so the book's includes still resolve and
//! blanking twice changes nothing. The page writes out the rest of the blank exercise after the
//! signature it includes ([`page_listing`] says what, and the book's tests hold every page to it).
//!
//! `blank` keeps each solved file in `target/exercises/<chapter>/` before blanking it, and
//! `restore` puts it back from there, keeping the reader's own version beside it in
//! `target/exercises/<chapter>/yours/`: no version control is needed, and no work is lost.

use std::fs;
use std::path::{Path, PathBuf};

use std::process::Command;

use anyhow::{Context, Result, bail};

const SOLUTION_START: &str = "// ANCHOR: solution";
const SOLUTION_END: &str = "// ANCHOR_END: solution";
const SIGNATURE_END: &str = "// ANCHOR_END: signature";
const EXERCISE_END: &str = "// ANCHOR_END: exercise";

/// The exercise's name: its file name without `.rs`.
pub fn exercise_name(file: &Path) -> String {
    file.file_stem()
        .unwrap_or_default()
        .to_string_lossy()
        .into_owned()
}

/// `source` with every solution region replaced by `todo!("exercise <name>")`, indented like
/// its anchor.
pub fn blank_source(source: &str, name: &str) -> Result<String> {
    let mut out = Vec::new();
    let mut inside = false;
    let mut regions = 0;
    for line in source.lines() {
        let trimmed = line.trim();
        if trimmed == SOLUTION_START {
            if inside {
                bail!("exercise {name}: a solution region opens inside another");
            }
            inside = true;
            regions += 1;
            let indent = &line[..line.len() - line.trim_start().len()];
            out.push(line.to_string());
            out.push(format!("{indent}todo!(\"exercise {name}\")"));
        } else if trimmed == SOLUTION_END {
            if !inside {
                bail!("exercise {name}: a solution region closes without opening");
            }
            inside = false;
            out.push(line.to_string());
        } else if !inside {
            out.push(line.to_string());
        }
    }
    if inside {
        bail!("exercise {name}: a solution region is never closed ({SOLUTION_END})");
    }
    if regions == 0 {
        bail!("exercise {name} has no solution region ({SOLUTION_START} … {SOLUTION_END})");
    }
    Ok(out.join("\n") + "\n")
}

/// What a chapter's page shows of exercise `name` of `chapter`, whose solved source is
/// `source`: the include of its signature, then the rest of the exercise as blanking leaves it
/// (the `todo!()` and the closing braces), so the reader sees exactly what they will fill in.
///
/// ```
/// let source = "// ANCHOR: exercise\n// ANCHOR: signature\nfn two() -> u8 {\n    \
///               // ANCHOR_END: signature\n    // ANCHOR: solution\n    2\n    \
///               // ANCHOR_END: solution\n}\n// ANCHOR_END: exercise\n";
/// let listing = xtask::exercises::page_listing("ch01_perceptron", "two", source).unwrap();
/// assert_eq!(
///     listing,
///     "{{#include ../chapters/ch01_perceptron/src/exercises/two.rs:signature}}\n    \
///      todo!(\"exercise two\")\n}"
/// );
/// ```
pub fn page_listing(chapter: &str, name: &str, source: &str) -> Result<String> {
    let blanked = blank_source(source, name)?;
    let lines: Vec<&str> = blanked.lines().collect();
    let after_signature = lines
        .iter()
        .position(|l| l.trim() == SIGNATURE_END)
        .with_context(|| format!("exercise {name} has no `{SIGNATURE_END}`"))?
        + 1;
    let end = after_signature
        + lines[after_signature..]
            .iter()
            .position(|l| l.trim() == EXERCISE_END)
            .with_context(|| {
                format!("exercise {name} has no `{EXERCISE_END}` after its signature")
            })?;
    let mut listing = vec![format!(
        "{{{{#include ../chapters/{chapter}/src/exercises/{name}.rs:signature}}}}"
    )];
    listing.extend(
        lines[after_signature..end]
            .iter()
            .filter(|l| !l.contains("ANCHOR:") && !l.contains("ANCHOR_END:"))
            .map(|l| l.to_string()),
    );
    Ok(listing.join("\n"))
}

/// Where `blank` keeps the solved exercises of `chapter`.
pub fn kept_dir(root: &Path, chapter: &str) -> PathBuf {
    root.join("target").join("exercises").join(chapter)
}

/// Whether `source` is an exercise as blanking leaves it.
fn is_blank(source: &str, name: &str) -> Result<bool> {
    Ok(blank_source(source, name)? == source)
}

/// Blanks the exercises of `chapters` in place, keeping each solved file first. Changes nothing
/// if any file holds a solution other than the one already kept for it (the reader's own,
/// which blanking would lose).
pub fn blank(root: &Path, chapters: &[String]) -> Result<()> {
    let mut to_blank = Vec::new();
    let mut refused = Vec::new();
    for chapter in chapters {
        for file in crate::exercise_files(root, chapter)? {
            let name = exercise_name(&file);
            let source = fs::read_to_string(&file)?;
            if is_blank(&source, &name)? {
                eprintln!("already blank: {}", file.display());
                continue;
            }
            let kept = kept_dir(root, chapter).join(format!("{name}.rs"));
            match fs::read_to_string(&kept) {
                Ok(solution) if solution != source => refused.push(format!(
                    "{} holds a solution other than the book's kept in {}; blanking it would \
                     lose it. `cargo xtask exercises restore {chapter}` puts the book's back and \
                     keeps yours in {}",
                    file.display(),
                    kept.display(),
                    kept_dir(root, chapter).join("yours").display()
                )),
                _ => to_blank.push((file, name, source, kept)),
            }
        }
    }
    if !refused.is_empty() {
        bail!("nothing blanked:\n  {}", refused.join("\n  "));
    }
    for (file, name, source, kept) in to_blank {
        fs::create_dir_all(kept.parent().unwrap_or(root))?;
        fs::write(&kept, &source).with_context(|| format!("keeping {}", kept.display()))?;
        fs::write(&file, blank_source(&source, &name)?)?;
        eprintln!(
            "blanked {} (solution kept in {})",
            file.display(),
            kept.display()
        );
    }
    println!(
        "Exercise mode: write your solutions in place of each todo!(), then run cargo test -p <chapter> exercises"
    );
    Ok(())
}

/// A file name in `dir` for `name.rs` that is not taken yet: `name.rs`, `name-2.rs`, …
fn free_name(dir: &Path, name: &str) -> PathBuf {
    let mut candidate = dir.join(format!("{name}.rs"));
    let mut n = 2;
    while candidate.exists() {
        candidate = dir.join(format!("{name}-{n}.rs"));
        n += 1;
    }
    candidate
}

/// Puts back the solutions `blank` kept for `chapters`. A file the reader has written in is
/// kept first in `target/exercises/<chapter>/yours/`. It is an error if no exercise was kept,
/// or if an exercise is blank and no solution was kept for it.
pub fn restore(root: &Path, chapters: &[String]) -> Result<()> {
    let mut restored = 0;
    let mut problems = Vec::new();
    for chapter in chapters {
        for file in crate::exercise_files(root, chapter)? {
            let name = exercise_name(&file);
            let current = fs::read_to_string(&file)?;
            let kept = kept_dir(root, chapter).join(format!("{name}.rs"));
            let Ok(solution) = fs::read_to_string(&kept) else {
                if is_blank(&current, &name)? {
                    problems.push(format!(
                        "{} is blank and no solution of it is kept in {}: the book's is in its \
                         appendix of solutions (or `git checkout -- {}`)",
                        file.display(),
                        kept_dir(root, chapter).display(),
                        file.strip_prefix(root).unwrap_or(&file).display()
                    ));
                }
                continue;
            };
            if current != solution && current != blank_source(&solution, &name)? {
                let yours_dir = kept_dir(root, chapter).join("yours");
                fs::create_dir_all(&yours_dir)?;
                let yours = free_name(&yours_dir, &name);
                fs::write(&yours, &current)
                    .with_context(|| format!("keeping your version in {}", yours.display()))?;
                eprintln!(
                    "your version of {} is kept in {}",
                    file.display(),
                    yours.display()
                );
            }
            fs::write(&file, &solution)?;
            fs::remove_file(&kept)?;
            eprintln!("restored {}", file.display());
            restored += 1;
        }
    }
    if !problems.is_empty() {
        bail!(
            "{restored} exercise(s) restored, but:\n  {}",
            problems.join("\n  ")
        );
    }
    if restored == 0 {
        bail!(
            "nothing to restore: no exercise of {} was blanked by `cargo xtask exercises blank` \
             in this copy (it keeps the solutions in target/exercises/)",
            chapters.join(", ")
        );
    }
    Ok(())
}

/// The result of each test that ran: `(name, passed)`, from `cargo test` output.
fn test_results(output: &str) -> Vec<(String, bool)> {
    output
        .lines()
        .filter_map(|line| {
            let rest = line.strip_prefix("test ")?;
            let (name, result) = rest.rsplit_once(" ... ")?;
            match result.trim() {
                "ok" => Some((name.to_string(), true)),
                "FAILED" => Some((name.to_string(), false)),
                _ => None,
            }
        })
        .collect()
}

/// Runs the exercise tests of `chapter`; returns each test's result.
fn run_exercise_tests(root: &Path, chapter: &str) -> Result<Vec<(String, bool)>> {
    let output = Command::new("cargo")
        .current_dir(root)
        .args([
            "test",
            "--quiet",
            "-p",
            chapter,
            "--lib",
            "--",
            "exercises::",
            "--format",
            "pretty",
        ])
        .output()
        .with_context(|| format!("running the exercise tests of {chapter}"))?;
    let stdout = String::from_utf8_lossy(&output.stdout);
    let results = test_results(&stdout);
    if results.is_empty() {
        let stderr = String::from_utf8_lossy(&output.stderr);
        bail!("no exercise test of {chapter} ran (did it compile?):\n{stderr}");
    }
    Ok(results)
}

/// Puts files back as they were when it is dropped, even if the check fails halfway.
struct Originals(Vec<(PathBuf, String)>);

impl Drop for Originals {
    fn drop(&mut self) {
        for (file, source) in &self.0 {
            if let Err(e) = fs::write(file, source) {
                eprintln!("error: could not restore {}: {e}", file.display());
            }
        }
    }
}

/// Proves, for every exercise of `chapters`, that its tests pass with the solution and fail
/// with the solution blanked (so no check is vacuous).
pub fn check(root: &Path, chapters: &[String]) -> Result<()> {
    let mut problems = Vec::new();
    let mut checked = 0;
    for chapter in chapters {
        let files = crate::exercise_files(root, chapter)?;
        if files.is_empty() {
            problems.push(format!("{chapter} has no exercises"));
            continue;
        }
        for file in &files {
            if is_blank(&fs::read_to_string(file)?, &exercise_name(file))? {
                bail!(
                    "{} is blank: run `cargo xtask exercises restore {chapter}` before the check",
                    file.display()
                );
            }
        }
        let solved = run_exercise_tests(root, chapter)?;
        let originals = Originals(
            files
                .iter()
                .map(|f| Ok((f.clone(), fs::read_to_string(f)?)))
                .collect::<Result<_>>()?,
        );
        for (file, source) in &originals.0 {
            fs::write(file, blank_source(source, &exercise_name(file))?)?;
        }
        let blanked = run_exercise_tests(root, chapter);
        drop(originals);
        let blanked = blanked?;

        for file in &files {
            let name = exercise_name(file);
            let prefix = format!("exercises::{name}::");
            let with_solution: Vec<_> = solved
                .iter()
                .filter(|(t, _)| t.starts_with(&prefix))
                .collect();
            let without: Vec<_> = blanked
                .iter()
                .filter(|(t, _)| t.starts_with(&prefix))
                .collect();
            if with_solution.is_empty() {
                problems.push(format!("{chapter}: exercise {name} has no tests"));
            }
            for (test, passed) in &with_solution {
                if !passed {
                    problems.push(format!("{chapter}: {test} fails with the book's solution"));
                }
            }
            for (test, passed) in &without {
                if *passed {
                    problems.push(format!(
                        "{chapter}: {test} passes with the solution blanked"
                    ));
                }
            }
            println!(
                "{chapter}: exercise {name}: {} tests pass with the solution, {} of {} fail without it",
                with_solution.iter().filter(|(_, p)| *p).count(),
                without.iter().filter(|(_, p)| !*p).count(),
                without.len()
            );
            checked += 1;
        }
    }
    if !problems.is_empty() {
        bail!("exercise check failed:\n  {}", problems.join("\n  "));
    }
    println!("exercise check: all {checked} exercises pass when solved and fail when blank");
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    const SOURCE: &str = "use x;\n\npub fn nor(a: u8) -> u8 {\n    // ANCHOR: solution\n    let b = a;\n    b\n    // ANCHOR_END: solution\n}\n";

    #[test]
    fn blanking_replaces_the_solution_with_todo() {
        let blanked = blank_source(SOURCE, "nor_gate").unwrap();
        assert_eq!(
            blanked,
            "use x;\n\npub fn nor(a: u8) -> u8 {\n    // ANCHOR: solution\n    todo!(\"exercise nor_gate\")\n    // ANCHOR_END: solution\n}\n"
        );
        assert_eq!(
            blank_source(&blanked, "nor_gate").unwrap(),
            blanked,
            "blanking twice changes nothing"
        );
    }

    #[test]
    fn a_file_without_a_solution_region_is_an_error() {
        let error = blank_source("fn f() {}\n", "f").unwrap_err().to_string();
        assert!(error.contains("has no solution region"), "{error}");
        let error = blank_source("// ANCHOR: solution\nx\n", "f")
            .unwrap_err()
            .to_string();
        assert!(error.contains("never closed"), "{error}");
    }

    /// A workspace in a temporary folder with one chapter and its exercise `nor_gate`.
    fn workspace() -> (tempfile::TempDir, PathBuf) {
        let root = tempfile::tempdir().unwrap();
        let dir = root.path().join("chapters/ch01_gates/src/exercises");
        fs::create_dir_all(&dir).unwrap();
        fs::write(dir.join("mod.rs"), "pub mod nor_gate;\n").unwrap();
        let file = dir.join("nor_gate.rs");
        fs::write(&file, SOURCE).unwrap();
        (root, file)
    }

    fn chapter() -> Vec<String> {
        vec!["ch01_gates".to_string()]
    }

    #[test]
    fn restore_puts_back_what_blank_kept() {
        let (root, file) = workspace();
        blank(root.path(), &chapter()).unwrap();
        let blanked = fs::read_to_string(&file).unwrap();
        assert!(
            blanked.contains("todo!(\"exercise nor_gate\")"),
            "{blanked}"
        );
        blank(root.path(), &chapter()).unwrap();
        assert_eq!(
            fs::read_to_string(&file).unwrap(),
            blanked,
            "blanking twice"
        );
        restore(root.path(), &chapter()).unwrap();
        assert_eq!(fs::read_to_string(&file).unwrap(), SOURCE);
        assert!(!kept_dir(root.path(), "ch01_gates").join("yours").exists());
    }

    #[test]
    fn restore_with_nothing_kept_is_an_error() {
        let (root, file) = workspace();
        let error = restore(root.path(), &chapter()).unwrap_err().to_string();
        assert!(error.starts_with("nothing to restore"), "{error}");
        fs::write(&file, blank_source(SOURCE, "nor_gate").unwrap()).unwrap();
        let error = restore(root.path(), &chapter()).unwrap_err().to_string();
        assert!(
            error.contains("is blank and no solution of it is kept"),
            "{error}"
        );
    }

    #[test]
    fn the_readers_own_solution_is_never_lost() {
        let (root, file) = workspace();
        blank(root.path(), &chapter()).unwrap();
        let mine = SOURCE.replace("let b = a;", "let b = a + 0;");
        fs::write(&file, &mine).unwrap();
        let error = blank(root.path(), &chapter()).unwrap_err().to_string();
        assert!(
            error.contains("holds a solution other than the book's"),
            "{error}"
        );
        assert_eq!(fs::read_to_string(&file).unwrap(), mine, "blank refused");

        restore(root.path(), &chapter()).unwrap();
        assert_eq!(fs::read_to_string(&file).unwrap(), SOURCE);
        let yours = kept_dir(root.path(), "ch01_gates").join("yours/nor_gate.rs");
        assert_eq!(fs::read_to_string(yours).unwrap(), mine);
    }

    #[test]
    fn the_page_shows_the_signature_and_the_blank_body() {
        let source = "// ANCHOR: exercise\n// ANCHOR: signature\nimpl A {\n    fn f(&self) {\n        \
                      // ANCHOR_END: signature\n        // ANCHOR: solution\n        g()\n        \
                      // ANCHOR_END: solution\n    }\n}\n// ANCHOR_END: exercise\n";
        assert_eq!(
            page_listing("ch09_x", "f", source).unwrap(),
            "{{#include ../chapters/ch09_x/src/exercises/f.rs:signature}}\n        \
             todo!(\"exercise f\")\n    }\n}"
        );
        let error = page_listing("ch09_x", "f", SOURCE).unwrap_err().to_string();
        assert!(error.contains("ANCHOR_END: signature"), "{error}");
    }

    #[test]
    fn test_results_are_read_from_cargo_output() {
        let output = "running 2 tests\ntest exercises::a::tests::one ... ok\ntest exercises::b::tests::two ... FAILED\n\ntest result: FAILED.";
        assert_eq!(
            test_results(output),
            [
                ("exercises::a::tests::one".to_string(), true),
                ("exercises::b::tests::two".to_string(), false)
            ]
        );
    }
}
