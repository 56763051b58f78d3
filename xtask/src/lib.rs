//! The book's chores, as a library for `cargo xtask` and for the workspace checks in `tests/`.
//!
//! Checks on the book's sources that mdBook itself does not make.
//!
//! mdBook renders an include whose anchor is missing as an empty code block, and only logs an
//! error (then exits 0) when the included file is missing. [`check_includes`] finds every
//! `{{#include …}}` and `{{#rustdoc_include …}}` in the book's pages and reports each one that
//! does not resolve to non-empty text.

pub mod exercises;
pub mod notebooks;

use std::fmt;
use std::fs;
use std::path::{Path, PathBuf};

use anyhow::{Context, Result};

/// The folder that holds the workspace (the parent of this package's `xtask/`).
pub fn workspace_root() -> PathBuf {
    let xtask = Path::new(env!("CARGO_MANIFEST_DIR"));
    xtask.parent().unwrap_or(xtask).to_path_buf()
}

/// The chapter crates, in reading order: every folder of `chapters/` with a `Cargo.toml`.
pub fn chapters(root: &Path) -> Result<Vec<String>> {
    let mut names = Vec::new();
    for entry in fs::read_dir(root.join("chapters")).context("reading chapters/")? {
        let path = entry?.path();
        if path.join("Cargo.toml").is_file() {
            names.push(
                path.file_name()
                    .unwrap_or_default()
                    .to_string_lossy()
                    .into_owned(),
            );
        }
    }
    names.sort();
    Ok(names)
}

/// The exercise files of `chapter`, sorted: every `.rs` in its `src/exercises/` but `mod.rs`.
pub fn exercise_files(root: &Path, chapter: &str) -> Result<Vec<PathBuf>> {
    let dir = root
        .join("chapters")
        .join(chapter)
        .join("src")
        .join("exercises");
    if !dir.is_dir() {
        return Ok(Vec::new());
    }
    let mut files = files_under(&dir)?;
    files.retain(|path| {
        path.extension().is_some_and(|e| e == "rs")
            && path.file_name().is_some_and(|n| n != "mod.rs")
    });
    Ok(files)
}

/// The folder of the book that receives a chapter's captured output and figures.
pub fn generated_dir(root: &Path, chapter: &str) -> PathBuf {
    root.join("book").join("generated").join(chapter)
}

/// Builds the chapter programs into `programs`, the `<target>/<profile>/` folder of the program
/// or test that asks, in that same profile: the chapters in `only`, or every package of the
/// workspace with its tests, as a root `cargo test` builds them (with the same features, so after
/// `cargo test` nothing is built again, where `cargo run -p <chapter>` would build each program
/// anew with the features of that chapter alone).
pub fn build_programs(root: &Path, programs: &Path, only: Option<&[String]>) -> Result<()> {
    let mut build = std::process::Command::new(env!("CARGO"));
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
    match only {
        None => {
            build.args(["--workspace", "--tests"]);
        }
        Some(chapters) => {
            build.arg("--bins");
            for chapter in chapters {
                build.args(["-p", chapter]);
            }
        }
    }
    let status = build.status().context("starting cargo build")?;
    anyhow::ensure!(status.success(), "building the chapter programs failed");
    Ok(())
}

/// The files a program's output is cut into, so a page can quote the part it discusses: one per
/// section (a `== Title ==` line and the lines up to the next), named after its title.
///
/// ```
/// let files = xtask::section_files("intro\n== Truth tables ==\nAND 0 0 0 1\n\n");
/// assert_eq!(files, [("truth-tables.txt".to_string(), "AND 0 0 0 1\n".to_string())]);
/// ```
pub fn section_files(stdout: &str) -> Vec<(String, String)> {
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
        .into_iter()
        .map(|(title, text)| {
            let name = format!("{}.txt", notebooks::section_slug(&title));
            (name, format!("{}\n", text.trim_matches('\n')))
        })
        .collect()
}

/// The SVG files in `dir`, sorted by name (not those in a subfolder: the speed chapter's
/// `timed/` figures hold timings, which differ from run to run).
pub fn svg_files(dir: &Path) -> Result<Vec<String>> {
    let mut names: Vec<String> = fs::read_dir(dir)
        .with_context(|| format!("reading {}", dir.display()))?
        .filter_map(|e| e.ok())
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .filter(|name| name.ends_with(".svg"))
        .collect();
    names.sort();
    Ok(names)
}

/// A chapter's captured output as the book shows it: the command, then what it printed.
///
/// ```
/// let text = xtask::captured_output("ch01_perceptron", "\n== A ==\n1\n");
/// assert_eq!(text, "$ cargo run -p ch01_perceptron\n== A ==\n1\n");
/// ```
pub fn captured_output(chapter: &str, stdout: &str) -> String {
    format!("$ cargo run -p {chapter}\n{}\n", stdout.trim())
}

/// The appendix of solutions, made from the chapter pages: for each chapter (titled by its
/// page's first heading), each exercise whose signature the page shows (titled by the `###`
/// heading above it), with the solution included from the exercise's source.
pub fn solutions_page(root: &Path) -> Result<String> {
    let mut page = String::from(
        "# Solutions to the exercises\n\n\
         Each solution is the code that ships in its chapter's `src/exercises/` folder, where its\n\
         tests check it. Try the exercise first: `cargo xtask exercises blank <chapter>` hides\n\
         these in your copy of the code.\n",
    );
    for chapter in chapters(root)? {
        let source = root.join("book").join(format!("{chapter}.md"));
        let text = fs::read_to_string(&source)
            .with_context(|| format!("reading the page of {chapter}, {}", source.display()))?;
        let title = text
            .lines()
            .find_map(|l| l.strip_prefix("# "))
            .with_context(|| {
                format!(
                    "{} has no title (a line starting with `# `)",
                    source.display()
                )
            })?;
        page.push_str(&format!("\n## {title}\n"));
        let mut heading = None;
        for line in text.lines() {
            if let Some(h) = line.strip_prefix("### ") {
                heading = Some(h);
            }
            let marker = format!("chapters/{chapter}/src/exercises/");
            let Some(start) = line.find(&marker) else {
                continue;
            };
            let rest = &line[start + marker.len()..];
            let Some(name) = rest.strip_suffix(".rs:signature}}") else {
                continue;
            };
            let heading = heading.with_context(|| {
                format!(
                    "{}: exercise {name} has no `###` heading above it",
                    source.display()
                )
            })?;
            page.push_str(&format!(
                "\n### {heading}\n\n```rust,noplayground\n\
                 {{{{#include ../../chapters/{chapter}/src/exercises/{name}.rs:exercise}}}}\n```\n"
            ));
        }
    }
    Ok(page)
}

/// One `{{#include path:selector}}` found in a page.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Include {
    /// The page that holds the include, and the line it is on (counting from 1).
    pub page: PathBuf,
    pub line: usize,
    /// The included file, as written (relative to the page).
    pub target: String,
    /// What follows the path: an anchor name, a line range, or nothing.
    pub selector: Option<String>,
}

impl fmt::Display for Include {
    fn fmt(&self, f: &mut fmt::Formatter) -> fmt::Result {
        write!(f, "{}:{}: {}", self.page.display(), self.line, self.target)?;
        if let Some(selector) = &self.selector {
            write!(f, ":{selector}")?;
        }
        Ok(())
    }
}

/// Every include directive in `text`, the Markdown of `page`.
pub fn find_includes(page: &Path, text: &str) -> Vec<Include> {
    let mut found = Vec::new();
    for (index, line) in text.lines().enumerate() {
        let mut rest = line;
        while let Some(start) = rest.find("{{#") {
            let after = &rest[start + 3..];
            let Some(end) = after.find("}}") else { break };
            let directive = after[..end].trim();
            let argument = directive
                .strip_prefix("include ")
                .or_else(|| directive.strip_prefix("rustdoc_include "));
            if let Some(argument) = argument {
                let argument = argument.trim();
                let (target, selector) = match argument.split_once(':') {
                    Some((target, selector)) => (target, Some(selector.to_string())),
                    None => (argument, None),
                };
                found.push(Include {
                    page: page.to_path_buf(),
                    line: index + 1,
                    target: target.to_string(),
                    selector,
                });
            }
            rest = &after[end + 2..];
        }
    }
    found
}

/// The text an include with `selector` takes from `source`, as mdBook would take it.
///
/// A selector is an anchor name (the lines between `ANCHOR: name` and `ANCHOR_END: name`,
/// without any anchor lines), a line range (`3`, `3:7`, `3:`, `:7`), or nothing (everything).
///
/// ```
/// use xtask::included_text;
///
/// let source = "a\n// ANCHOR: two\nb\nc\n// ANCHOR_END: two\nd\n";
/// assert_eq!(included_text(source, Some("two")), Some("b\nc".to_string()));
/// assert_eq!(included_text(source, Some("missing")), None);
/// assert_eq!(included_text(source, Some("1:1")), Some("a".to_string()));
/// ```
pub fn included_text(source: &str, selector: Option<&str>) -> Option<String> {
    let lines: Vec<&str> = source.lines().collect();
    let Some(selector) = selector else {
        return Some(source.to_string());
    };
    let is_range = selector.chars().all(|c| c.is_ascii_digit() || c == ':');
    let taken: Vec<&str> = if is_range {
        let (start, end) = match selector.split_once(':') {
            Some((start, end)) => (start, end),
            None => (selector, selector),
        };
        let start = if start.is_empty() {
            1
        } else {
            start.parse().ok()?
        };
        let end = if end.is_empty() {
            lines.len()
        } else {
            end.parse().ok()?
        };
        if start == 0 || start > end || end > lines.len() {
            return None;
        }
        lines[start - 1..end].to_vec()
    } else {
        let begin = lines
            .iter()
            .position(|l| anchor_of(l, "ANCHOR:") == Some(selector))?;
        let end = begin
            + lines[begin..]
                .iter()
                .position(|l| anchor_of(l, "ANCHOR_END:") == Some(selector))?;
        lines[begin + 1..end]
            .iter()
            .filter(|l| !l.contains("ANCHOR:") && !l.contains("ANCHOR_END:"))
            .copied()
            .collect()
    };
    Some(taken.join("\n"))
}

/// The anchor name on `line` after `marker` (`ANCHOR:` or `ANCHOR_END:`), if any.
fn anchor_of<'a>(line: &'a str, marker: &str) -> Option<&'a str> {
    let (_, name) = line.split_once(marker)?;
    name.split_whitespace().next()
}

/// Every file below `dir`, in its folders too, sorted.
pub fn files_under(dir: &Path) -> Result<Vec<PathBuf>> {
    let mut files = Vec::new();
    let mut folders = vec![dir.to_path_buf()];
    while let Some(folder) = folders.pop() {
        let entries =
            fs::read_dir(&folder).with_context(|| format!("reading {}", folder.display()))?;
        for entry in entries {
            let path = entry?.path();
            if path.is_dir() {
                folders.push(path);
            } else {
                files.push(path);
            }
        }
    }
    files.sort();
    Ok(files)
}

/// Every Markdown page under `book_dir`, sorted.
pub fn book_pages(book_dir: &Path) -> Result<Vec<PathBuf>> {
    let mut pages = files_under(book_dir)?;
    pages.retain(|path| path.extension().is_some_and(|e| e == "md"));
    Ok(pages)
}

/// Checks every include of every page under `book_dir`; returns how many resolved, or an error
/// that lists each include that is missing, has a missing anchor or takes only blank text.
pub fn check_includes(book_dir: &Path) -> Result<usize> {
    let mut problems = Vec::new();
    let mut count = 0;
    for page in book_pages(book_dir)? {
        let text =
            fs::read_to_string(&page).with_context(|| format!("reading {}", page.display()))?;
        for include in find_includes(&page, &text) {
            count += 1;
            let file = page.parent().unwrap_or(book_dir).join(&include.target);
            let Ok(source) = fs::read_to_string(&file) else {
                problems.push(format!("{include}: file {} not found", file.display()));
                continue;
            };
            match included_text(&source, include.selector.as_deref()) {
                None => problems.push(format!("{include}: anchor or line range not found")),
                Some(text) if text.trim().is_empty() => {
                    problems.push(format!("{include}: includes only blank text"))
                }
                Some(_) => {}
            }
        }
    }
    if problems.is_empty() {
        Ok(count)
    } else {
        anyhow::bail!(
            "{} broken include(s):\n  {}",
            problems.len(),
            problems.join("\n  ")
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_includes_with_and_without_selectors() {
        let text = "x\n```rust\n{{#include ../a.rs:gate}}\n```\n{{#include out.txt}} and {{#rustdoc_include b.rs:2:3}}\n";
        let found = find_includes(Path::new("p.md"), text);
        let summary: Vec<_> = found
            .iter()
            .map(|i| (i.line, i.target.as_str(), i.selector.as_deref()))
            .collect();
        assert_eq!(
            summary,
            [
                (3, "../a.rs", Some("gate")),
                (5, "out.txt", None),
                (5, "b.rs", Some("2:3"))
            ]
        );
    }

    #[test]
    fn nested_anchor_lines_are_left_out() {
        let source = "// ANCHOR: all\nfn a() {}\n// ANCHOR: inner\nfn b() {}\n// ANCHOR_END: inner\n// ANCHOR_END: all\n";
        assert_eq!(
            included_text(source, Some("all")).unwrap(),
            "fn a() {}\nfn b() {}"
        );
    }

    #[test]
    fn anchor_names_must_match_exactly() {
        let source = "// ANCHOR: gate_and\nx\n// ANCHOR_END: gate_and\n";
        assert_eq!(included_text(source, Some("gate")), None);
    }

    #[test]
    fn bad_line_ranges_are_rejected() {
        let source = "a\nb\n";
        assert_eq!(included_text(source, Some("0:1")), None);
        assert_eq!(included_text(source, Some("2:5")), None);
        assert_eq!(included_text(source, Some("2:")), Some("b".into()));
    }

    #[test]
    fn check_includes_reports_each_broken_include() {
        let dir = tempfile::tempdir().unwrap();
        fs::write(
            dir.path().join("code.rs"),
            "// ANCHOR: a\n\n// ANCHOR_END: a\n// ANCHOR: b\nb\n// ANCHOR_END: b\n",
        )
        .unwrap();
        fs::write(
            dir.path().join("page.md"),
            "{{#include code.rs:a}}\n{{#include code.rs:b}}\n{{#include code.rs:c}}\n{{#include gone.rs}}\n",
        )
        .unwrap();
        let error = check_includes(dir.path()).unwrap_err().to_string();
        assert!(error.starts_with("3 broken include(s)"), "{error}");
        assert!(
            error.contains("code.rs:a: includes only blank text"),
            "{error}"
        );
        assert!(
            error.contains("code.rs:c: anchor or line range not found"),
            "{error}"
        );
        assert!(error.contains("gone.rs: file"), "{error}");
    }
}
