//! Runs every chapter program and keeps what it printed and drew, for the book to include.
//!
//! For a chapter `chNN_name`, `book/generated/chNN_name/` receives
//! - `output.txt`: the command and everything the program printed on stdout;
//! - one `<section>.txt` per section of that output (a section opens with `== Title ==`),
//!   named after its title (`== Truth tables ==` → `truth-tables.txt`), so a page can quote
//!   the part it discusses;
//! - the program's figures (`--out` points there);
//!
//! and `book/generated/solutions.md`, the appendix of solutions, is made anew from the pages.

use std::fs;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

use anyhow::{Context, Result, bail};
use xtask::notebooks::section_slug;

/// The chapters named in `only`, or every chapter if it is empty; an unknown name is an error.
pub fn select_chapters(root: &Path, only: &[&str]) -> Result<Vec<String>> {
    let mut chapters = xtask::chapters(root)?;
    if let Some(unknown) = only
        .iter()
        .find(|name| !chapters.iter().any(|c| c == *name))
    {
        bail!(
            "no chapter named {unknown:?}; the chapters are {}",
            chapters.join(", ")
        );
    }
    if !only.is_empty() {
        chapters.retain(|c| only.contains(&c.as_str()));
    }
    Ok(chapters)
}

/// Reruns the chapter programs named in `only` (every chapter if it is empty) into
/// `book/generated/`; returns the chapters it ran.
pub fn regenerate(root: &Path, only: &[&str]) -> Result<Vec<String>> {
    let chapters = select_chapters(root, only)?;
    let programs = build_programs(root, only.is_empty(), &chapters)?;
    for chapter in &chapters {
        let started = std::time::Instant::now();
        let dir = xtask::generated_dir(root, chapter);
        if dir.exists() {
            fs::remove_dir_all(&dir).with_context(|| format!("clearing {}", dir.display()))?;
        }
        fs::create_dir_all(&dir)?;
        let stdout = run_chapter(root, &programs, chapter, &dir)?;
        write_output(&dir, chapter, &stdout)?;
        eprintln!(
            "{chapter}: output and figures in {} ({:.1} s)",
            dir.display(),
            started.elapsed().as_secs_f64()
        );
    }
    let solutions = root.join("book").join("generated").join("solutions.md");
    fs::write(&solutions, xtask::solutions_page(root)?)?;
    Ok(chapters)
}

/// Builds the programs of `chapters` and returns their folder: the one this program runs from,
/// `<target>/<profile>/`, in the same profile. Every chapter (`all`) is built as a root
/// `cargo test` builds it (every package, its tests too, so with the same features: after
/// `cargo test` nothing is built again); fewer are built alone.
fn build_programs(root: &Path, all: bool, chapters: &[String]) -> Result<PathBuf> {
    let xtask = std::env::current_exe().context("finding the path of cargo xtask")?;
    let programs = xtask
        .parent()
        .context("cargo xtask runs from no folder")?
        .to_path_buf();
    let mut build = Command::new("cargo");
    build.current_dir(root).args(["build", "--quiet"]);
    match programs.file_name().and_then(|n| n.to_str()) {
        Some("debug") | None => {}
        Some("release") => {
            build.arg("--release");
        }
        Some(profile) => {
            build.args(["--profile", profile]);
        }
    }
    if all {
        build.args(["--workspace", "--tests"]);
    } else {
        build.arg("--bins");
        for chapter in chapters {
            build.args(["-p", chapter]);
        }
    }
    crate::tools::run(&mut build)?;
    Ok(programs)
}

/// Runs the program of `chapter` (in `programs`) from `root`, with its figures going to `dir`;
/// returns its stdout.
fn run_chapter(root: &Path, programs: &Path, chapter: &str, dir: &Path) -> Result<String> {
    let program = programs.join(format!("{chapter}{}", std::env::consts::EXE_SUFFIX));
    let output = Command::new(&program)
        .current_dir(root)
        .arg("--out")
        .arg(dir)
        .stderr(Stdio::inherit())
        .output()
        .with_context(|| format!("running {}", program.display()))?;
    if !output.status.success() {
        bail!("{chapter} failed ({})", output.status);
    }
    String::from_utf8(output.stdout).with_context(|| format!("{chapter} printed invalid UTF-8"))
}

/// Writes `output.txt` and one file per section.
fn write_output(dir: &Path, chapter: &str, stdout: &str) -> Result<()> {
    fs::write(
        dir.join("output.txt"),
        xtask::captured_output(chapter, stdout),
    )?;
    for (title, text) in sections(stdout) {
        let file = dir.join(format!("{}.txt", section_slug(&title)));
        if file.exists() {
            bail!("{chapter} prints two sections named {title:?}");
        }
        fs::write(file, format!("{}\n", text.trim_matches('\n')))?;
    }
    Ok(())
}

/// The sections of a program's output: each `== Title ==` line and the lines up to the next.
fn sections(stdout: &str) -> Vec<(String, String)> {
    let mut sections: Vec<(String, String)> = Vec::new();
    for line in stdout.lines() {
        let title = line.strip_prefix("== ").and_then(|l| l.strip_suffix(" =="));
        match (title, sections.last_mut()) {
            (Some(title), _) => sections.push((title.to_string(), String::new())),
            (None, Some((_, text))) => {
                text.push_str(line);
                text.push('\n');
            }
            (None, None) => {} // text before the first section is only in output.txt
        }
    }
    sections
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn output_splits_into_sections_by_heading() {
        let stdout =
            "intro\n\n== Truth tables ==\nAND 0 0 0 1\n\n== The learning rule (AND) ==\nepoch 1\n";
        let found = sections(stdout);
        assert_eq!(found.len(), 2);
        assert_eq!(
            found[0],
            ("Truth tables".to_string(), "AND 0 0 0 1\n\n".to_string())
        );
        assert_eq!(section_slug(&found[1].0), "the-learning-rule-and");
    }
}
