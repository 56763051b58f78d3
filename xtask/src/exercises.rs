//! Exercise mode: blank the solutions of a chapter's exercises so a reader can write their own,
//! put the book's solutions back, and prove that every exercise's tests can fail.
//!
//! Each exercise is one file `chapters/<chapter>/src/exercises/<name>.rs` whose solution sits
//! between `// ANCHOR: solution` and `// ANCHOR_END: solution`. Blanking replaces what is
//! between the two lines with `todo!("exercise <name>")`; the anchors stay, so the book's
//! includes still resolve and blanking twice changes nothing.

use std::fs;
use std::path::{Path, PathBuf};

use std::process::Command;

use anyhow::{Context, Result, bail};

const SOLUTION_START: &str = "// ANCHOR: solution";
const SOLUTION_END: &str = "// ANCHOR_END: solution";

/// The exercise's name: its file name without `.rs`.
fn exercise_name(file: &Path) -> String {
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

/// Blanks the exercises of `chapters` in place.
pub fn blank(root: &Path, chapters: &[String]) -> Result<()> {
    for chapter in chapters {
        for file in xtask::exercise_files(root, chapter)? {
            let source = fs::read_to_string(&file)?;
            fs::write(&file, blank_source(&source, &exercise_name(&file))?)?;
            eprintln!("blanked {}", file.display());
        }
    }
    println!(
        "Exercise mode: write your solutions in place of each todo!(), then run cargo test -p <chapter> exercises"
    );
    Ok(())
}

/// Puts the book's solutions back for `chapters` (from git).
pub fn restore(root: &Path, chapters: &[String]) -> Result<()> {
    for chapter in chapters {
        let dir = format!("chapters/{chapter}/src/exercises");
        if root.join(&dir).is_dir() {
            crate::tools::run(
                Command::new("git")
                    .current_dir(root)
                    .args(["checkout", "--", &dir]),
            )?;
            eprintln!("restored {dir}");
        }
    }
    Ok(())
}

/// Writes the blanked form of each of `chapter`'s exercises into `dir/exercises/`, for the book.
pub fn write_blanked(root: &Path, chapter: &str, dir: &Path) -> Result<()> {
    let files = xtask::exercise_files(root, chapter)?;
    if files.is_empty() {
        return Ok(());
    }
    let out = dir.join("exercises");
    fs::create_dir_all(&out)?;
    for file in files {
        let name = exercise_name(&file);
        let blanked = blank_source(&fs::read_to_string(&file)?, &name)?;
        fs::write(out.join(format!("{name}.rs")), blanked)?;
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
        let files = xtask::exercise_files(root, chapter)?;
        if files.is_empty() {
            problems.push(format!("{chapter} has no exercises"));
            continue;
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
