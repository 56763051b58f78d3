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
use std::path::Path;
use std::process::{Command, Stdio};

use anyhow::{Context, Result, bail};

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
    // `cargo xtask` runs from `<target>/<profile>/`, where the programs are built too.
    let xtask = std::env::current_exe().context("finding the path of cargo xtask")?;
    let programs = xtask.parent().context("cargo xtask runs from no folder")?;
    xtask::build_programs(root, programs, (!only.is_empty()).then_some(&chapters[..]))?;
    for chapter in &chapters {
        let started = std::time::Instant::now();
        let dir = xtask::generated_dir(root, chapter);
        if dir.exists() {
            fs::remove_dir_all(&dir).with_context(|| format!("clearing {}", dir.display()))?;
        }
        fs::create_dir_all(&dir)?;
        let stdout = run_chapter(root, programs, chapter, &dir)?;
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
    for (name, text) in xtask::section_files(stdout) {
        let file = dir.join(&name);
        if file.exists() {
            bail!("{chapter} prints two sections named like {name}");
        }
        fs::write(file, text)?;
    }
    Ok(())
}
