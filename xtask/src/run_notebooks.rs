//! The chapters' Jupyter notebooks: written from the chapters' sources, and run headlessly.
//!
//! - `cargo xtask notebooks [CHAPTER…]` writes `notebooks/<chapter>.ipynb` (the logic is in
//!   [`xtask::notebooks`], so the workspace test that fails on a stale notebook makes
//!   the same notebook);
//! - `cargo xtask notebooks --execute [CHAPTER…]` runs each notebook in Jupyter with the evcxr
//!   kernel, into `target/notebooks/`, and fails on a compile error, a panic, a missing figure or
//!   output that differs from the book's. It installs what it lacks: evcxr_jupyter (pinned, with
//!   `cargo install`, once per machine) and a minimal headless Jupyter (a venv under
//!   `target/tools/`). [`check_executed`] then reads what the notebook did: no compile error, no
//!   panic, every figure of the book shown inline, and, cell after cell, exactly the output the
//!   book shows. The kernel builds in a persistent folder outside the workspace
//!   (`$EVCXR_TMPDIR`, by default `~/.cache/nn-from-scratch/evcxr`), so a second run reuses the
//!   compiled crates.

use std::fs;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::Instant;

use anyhow::{Context, Result, bail};
use serde_json::Value;
use xtask::notebooks;

/// The evcxr Jupyter kernel, pinned.
pub const EVCXR_JUPYTER_VERSION: &str = "0.22.0";
/// The headless Jupyter that runs the notebooks, from PyPI (no ipykernel, no notebook server).
const JUPYTER_PACKAGES: [&str; 3] = [
    "nbconvert==7.17.2",
    "nbclient==0.11.0",
    "jupyter_client==8.10.0",
];
/// How long one notebook may run before it counts as hung, in seconds.
const TIMEOUT_SECONDS: u32 = 3600;

/// Writes the notebooks of the chapters named in `only` (every chapter if it is empty). A
/// chapter whose notebook cannot be made is reported, and the others are still written.
pub fn write(root: &Path, only: &[&str]) -> Result<()> {
    let chapters = crate::outputs::select_chapters(root, only)?;
    fs::create_dir_all(root.join(notebooks::NOTEBOOK_DIR))?;
    let mut failed = Vec::new();
    for chapter in &chapters {
        let path = notebooks::notebook_path(root, chapter);
        match notebooks::notebook(root, chapter) {
            Ok(json) => {
                let same = fs::read_to_string(&path).is_ok_and(|old| old == json);
                if !same {
                    fs::write(&path, json)
                        .with_context(|| format!("writing {}", path.display()))?;
                }
                let state = if same { "unchanged" } else { "written" };
                eprintln!("{chapter}: {} {state}", relative(root, &path));
            }
            Err(error) => failed.push(format!("{chapter}: {error:#}")),
        }
    }
    if !failed.is_empty() {
        bail!(
            "no notebook for {} chapter(s):\n  {}\n(name the chapters to write: cargo xtask notebooks CHAPTER…)",
            failed.len(),
            failed.join("\n  ")
        );
    }
    Ok(())
}

/// Runs the notebooks of the chapters named in `only` (every chapter if it is empty) and
/// checks each one; prints how long each took.
pub fn execute(root: &Path, only: &[&str]) -> Result<()> {
    let chapters = crate::outputs::select_chapters(root, only)?;
    for chapter in &chapters {
        let committed =
            fs::read_to_string(notebooks::notebook_path(root, chapter)).unwrap_or_default();
        if committed != notebooks::notebook(root, chapter)? {
            bail!(
                "notebooks/{chapter}.ipynb is out of date: run `cargo xtask notebooks {chapter}`"
            );
        }
    }
    ensure_evcxr_jupyter()?;
    let jupyter = ensure_jupyter(root)?;
    ensure_kernel(&jupyter)?;
    let build_dir = evcxr_build_dir(root)?;
    // The kernel's build folder gets the workspace's lock file, so the crates the chapters
    // use resolve to the versions the book was made with.
    fs::copy(root.join("Cargo.lock"), build_dir.join("Cargo.lock"))
        .context("copying Cargo.lock into the evcxr build folder")?;
    let out_dir = root.join("target").join("notebooks");
    fs::create_dir_all(&out_dir)?;
    eprintln!(
        "running {} notebook(s) with evcxr {EVCXR_JUPYTER_VERSION}, building in {}",
        chapters.len(),
        build_dir.display()
    );

    let mut times = Vec::new();
    let mut failed = Vec::new();
    for chapter in &chapters {
        let started = Instant::now();
        let mut result = execute_one(root, chapter, &jupyter, &build_dir, &out_dir);
        if let Err(error) = &result {
            // On a busy machine the kernel has been seen to drop a line of a cell's output
            // once; a notebook that is really wrong fails the second time too.
            eprintln!("{chapter}: failed, running it once more\n{error:#}");
            result = execute_one(root, chapter, &jupyter, &build_dir, &out_dir);
        }
        let seconds = started.elapsed().as_secs_f64();
        match &result {
            Ok(()) => eprintln!("{chapter}: ok ({seconds:.1} s)"),
            Err(error) => {
                eprintln!("{chapter}: FAILED ({seconds:.1} s)\n{error:#}");
                failed.push(chapter.clone());
            }
        }
        times.push((chapter.clone(), seconds, result.is_ok()));
    }
    println!("notebook                  wall time");
    for (chapter, seconds, ok) in &times {
        let mark = if *ok { "" } else { "  FAILED" };
        println!("{chapter:<25} {seconds:>7.1} s{mark}");
    }
    println!("executed notebooks are in {}", relative(root, &out_dir));
    if !failed.is_empty() {
        bail!("{} notebook(s) failed: {}", failed.len(), failed.join(", "));
    }
    Ok(())
}

/// Runs one notebook with nbconvert into `out_dir` and checks what it did.
fn execute_one(
    root: &Path,
    chapter: &str,
    jupyter: &Path,
    build_dir: &Path,
    out_dir: &Path,
) -> Result<()> {
    let notebook = notebooks::notebook_path(root, chapter);
    let executed = out_dir.join(format!("{chapter}.ipynb"));
    let _ = fs::remove_file(&executed);
    let output = Command::new(jupyter)
        .args([
            "nbconvert",
            "--to",
            "notebook",
            "--execute",
            "--allow-errors",
        ])
        .arg(format!("--ExecutePreprocessor.timeout={TIMEOUT_SECONDS}"))
        .arg("--ExecutePreprocessor.startup_timeout=120")
        .arg("--output-dir")
        .arg(out_dir)
        .arg(&notebook)
        .current_dir(root)
        .env("EVCXR_TMPDIR", build_dir)
        .env(
            "EVCXR_CONFIG_DIR",
            root.join(notebooks::NOTEBOOK_DIR).join("evcxr"),
        )
        .env("LD_LIBRARY_PATH", library_path()?)
        .env("PATH", crate::tools::path_with_cargo_bin()?)
        .output()
        .context("running jupyter nbconvert")?;
    if !output.status.success() {
        bail!(
            "jupyter nbconvert failed ({}):\n{}",
            output.status,
            String::from_utf8_lossy(&output.stderr)
        );
    }
    let json = fs::read_to_string(&executed)
        .with_context(|| format!("reading the executed notebook {}", executed.display()))?;
    let expected = notebooks::book_stdout(root, chapter)?;
    let dir = xtask::generated_dir(root, chapter);
    let mut figures = Vec::new();
    for name in notebooks::book_figures(root, chapter)? {
        let svg = fs::read_to_string(dir.join(&name))?;
        figures.push((name, svg));
    }
    check_executed(&json, &expected, &figures)
        .with_context(|| format!("{} (executed: {})", chapter, relative(root, &executed)))
}

/// The persistent folder the kernel builds in: `$EVCXR_TMPDIR` if set, else
/// `$XDG_CACHE_HOME/nn-from-scratch/evcxr` or `~/.cache/nn-from-scratch/evcxr`. It must lie
/// outside the workspace, or Cargo takes the kernel's crate for a member of this workspace.
fn evcxr_build_dir(root: &Path) -> Result<PathBuf> {
    let dir = match std::env::var_os("EVCXR_TMPDIR") {
        Some(dir) => PathBuf::from(dir),
        None => {
            let cache = match std::env::var_os("XDG_CACHE_HOME") {
                Some(cache) => PathBuf::from(cache),
                None => PathBuf::from(std::env::var_os("HOME").context("HOME is not set")?)
                    .join(".cache"),
            };
            cache.join("nn-from-scratch").join("evcxr")
        }
    };
    fs::create_dir_all(&dir).with_context(|| format!("creating {}", dir.display()))?;
    let dir = dir.canonicalize()?;
    if dir.starts_with(root.canonicalize()?) {
        bail!(
            "the evcxr build folder {} is inside the workspace: set EVCXR_TMPDIR to a folder outside it",
            dir.display()
        );
    }
    Ok(dir)
}

/// `LD_LIBRARY_PATH` with the Rust standard library's folder first: the kernel loads each
/// cell as a shared library that links to it.
fn library_path() -> Result<std::ffi::OsString> {
    let output = Command::new("rustc")
        .args(["--print", "target-libdir"])
        .output()
        .context("running rustc --print target-libdir")?;
    let libdir = PathBuf::from(String::from_utf8(output.stdout)?.trim());
    let mut paths = vec![libdir];
    paths.extend(std::env::split_paths(
        &std::env::var_os("LD_LIBRARY_PATH").unwrap_or_default(),
    ));
    Ok(std::env::join_paths(paths)?)
}

/// The pinned evcxr_jupyter in `$CARGO_HOME/bin`, installed by `cargo install --locked` if
/// missing (about ten minutes, once per machine; optimisation level 1 builds it faster and the
/// kernel works the same).
pub fn ensure_evcxr_jupyter() -> Result<()> {
    let installed = Command::new("cargo").args(["install", "--list"]).output()?;
    let wanted = format!("evcxr_jupyter v{EVCXR_JUPYTER_VERSION}:");
    if String::from_utf8_lossy(&installed.stdout)
        .lines()
        .any(|l| l.trim() == wanted)
    {
        return Ok(());
    }
    eprintln!(
        "installing evcxr_jupyter {EVCXR_JUPYTER_VERSION} with cargo install (about ten minutes, once)"
    );
    crate::tools::run(
        Command::new("cargo")
            .args(["install", "--locked", "evcxr_jupyter", "--version"])
            .arg(EVCXR_JUPYTER_VERSION)
            .env("CARGO_PROFILE_RELEASE_OPT_LEVEL", "1"),
    )
}

/// The `jupyter` of a venv under `target/tools/` that has nbconvert, nbclient and
/// jupyter_client, made on first use.
fn ensure_jupyter(root: &Path) -> Result<PathBuf> {
    let venv = root.join("target").join("tools").join("jupyter");
    let jupyter = venv.join("bin").join("jupyter");
    let python = venv.join("bin").join("python");
    let ready = |python: &Path| {
        Command::new(python)
            .args(["-c", "import nbconvert, nbclient, jupyter_client"])
            .output()
            .is_ok_and(|o| o.status.success())
    };
    if jupyter.is_file() && ready(&python) {
        return Ok(jupyter);
    }
    eprintln!(
        "installing {} into {}",
        JUPYTER_PACKAGES.join(" "),
        relative(root, &venv)
    );
    crate::tools::run(Command::new("python3").args(["-m", "venv"]).arg(&venv))?;
    crate::tools::run(
        Command::new(venv.join("bin").join("pip"))
            .args(["install", "--quiet"])
            .args(JUPYTER_PACKAGES),
    )?;
    if !ready(&python) {
        bail!("the venv {} cannot import nbconvert", venv.display());
    }
    Ok(jupyter)
}

/// Registers the evcxr kernel with Jupyter (`evcxr_jupyter --install`) unless it is.
fn ensure_kernel(jupyter: &Path) -> Result<()> {
    let list = Command::new(jupyter)
        .args(["kernelspec", "list"])
        .output()
        .context("running jupyter kernelspec list")?;
    let registered = String::from_utf8_lossy(&list.stdout)
        .lines()
        .any(|l| l.split_whitespace().next() == Some("rust"));
    if registered {
        return Ok(());
    }
    eprintln!("registering the evcxr kernel with Jupyter");
    // `cargo install` put it in `$CARGO_HOME/bin`, which need not be on PATH.
    crate::tools::run(
        Command::new("evcxr_jupyter")
            .arg("--install")
            .env("PATH", crate::tools::path_with_cargo_bin()?),
    )
}

/// `path` relative to the workspace root, for messages.
fn relative(root: &Path, path: &Path) -> String {
    path.strip_prefix(root)
        .unwrap_or(path)
        .display()
        .to_string()
}

/// Checks a notebook that Jupyter executed (its JSON text): no cell has an error output (a
/// compile error) or printed a panic, it showed inline exactly the figures of the book
/// (`figures`: each figure's name and SVG text), and what its cells printed on stdout, in
/// order, is `expected_stdout` (compared trimmed). The error lists every problem found.
fn check_executed(
    executed: &str,
    expected_stdout: &str,
    figures: &[(String, String)],
) -> Result<()> {
    let notebook: Value =
        serde_json::from_str(executed).context("reading the executed notebook")?;
    let mut problems = Vec::new();
    let mut stdout = String::new();
    let mut shown: Vec<String> = Vec::new();
    let no_cells = Vec::new();
    for (index, cell) in notebook["cells"]
        .as_array()
        .unwrap_or(&no_cells)
        .iter()
        .enumerate()
    {
        let source = text(&cell["source"]);
        let first_line = source.lines().next().unwrap_or("");
        let place = format!("cell {} (`{first_line}`)", index + 1);
        for output in cell["outputs"].as_array().unwrap_or(&no_cells) {
            match output["output_type"].as_str().unwrap_or("") {
                "error" => {
                    let traceback = output["traceback"].as_array().unwrap_or(&no_cells);
                    let lines: Vec<String> =
                        traceback.iter().map(|l| strip_ansi(&text(l))).collect();
                    problems.push(format!(
                        "{place}: {}: {}\n{}",
                        text(&output["ename"]),
                        text(&output["evalue"]),
                        lines.join("\n")
                    ));
                }
                "stream" => {
                    let printed = text(&output["text"]);
                    if printed.contains("panicked at") {
                        problems.push(format!("{place} panicked:\n{}", printed.trim_end()));
                    }
                    if output["name"] == "stdout" {
                        stdout.push_str(&printed);
                    }
                }
                "display_data" | "execute_result" => {
                    let data = &output["data"];
                    let html = data.get("text/html").or(data.get("image/svg+xml"));
                    let html = html.map(text).unwrap_or_default();
                    for piece in html.split("<svg").skip(1) {
                        let end = piece.find("</svg>").map_or(piece.len(), |e| e + 6);
                        shown.push(format!("<svg{}", &piece[..end]));
                    }
                }
                _ => {}
            }
        }
    }
    if shown.len() != figures.len() {
        problems.push(format!(
            "the notebook showed {} figures inline; the book has {}",
            shown.len(),
            figures.len()
        ));
    }
    for (name, svg) in figures {
        if !shown.iter().any(|s| s.trim() == svg.trim()) {
            problems.push(format!(
                "the notebook did not show the book's {name} (no figure it showed is the same SVG)"
            ));
        }
    }
    let printed = stdout.trim();
    if printed != expected_stdout.trim() {
        problems.push(first_difference(printed, expected_stdout.trim()));
    }
    if problems.is_empty() {
        Ok(())
    } else {
        bail!("{}", problems.join("\n\n"))
    }
}

/// Where the notebook's output first differs from the book's.
fn first_difference(notebook: &str, book: &str) -> String {
    let (a, b): (Vec<&str>, Vec<&str>) = (notebook.lines().collect(), book.lines().collect());
    let line = (0..a.len().max(b.len()))
        .find(|&i| a.get(i) != b.get(i))
        .unwrap_or(0);
    format!(
        "the notebook prints other output than the book (book/generated/…/output.txt), \
         from line {}:\n  notebook: {:?}\n  book:     {:?}",
        line + 1,
        a.get(line).copied().unwrap_or("(nothing)"),
        b.get(line).copied().unwrap_or("(nothing)")
    )
}

/// Text without terminal colour codes.
fn strip_ansi(text: &str) -> String {
    let mut out = String::new();
    let mut chars = text.chars();
    while let Some(c) = chars.next() {
        if c == '\u{1b}' {
            for c in chars.by_ref() {
                if c.is_ascii_alphabetic() {
                    break;
                }
            }
        } else {
            out.push(c);
        }
    }
    out
}

/// A notebook's text field: a string, or a list of strings to join.
fn text(value: &Value) -> String {
    match value {
        Value::String(s) => s.clone(),
        Value::Array(lines) => lines.iter().filter_map(Value::as_str).collect(),
        _ => String::new(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn executed_notebooks_fail_on_errors_panics_and_other_output() {
        let cell = |outputs: &str| {
            format!(r#"{{"cell_type": "code", "source": ["f();"], "outputs": [{outputs}]}}"#)
        };
        let notebook = |cells: &[String]| format!(r#"{{"cells": [{}]}}"#, cells.join(","));
        let stdout =
            |t: &str| format!(r#"{{"output_type": "stream", "name": "stdout", "text": [{t:?}]}}"#);
        let figure = r#"{"output_type": "execute_result", "data": {"text/html": "<div><svg>a</svg></div>\n<div><svg>b</svg></div>"}}"#;
        let book = |names: &[&str]| -> Vec<(String, String)> {
            names
                .iter()
                .map(|n| (format!("{n}.svg"), format!("<svg>{n}</svg>\n")))
                .collect()
        };
        let good = notebook(&[cell(&stdout("\n== A ==\n1\n")), cell(figure)]);
        check_executed(&good, "== A ==\n1", &book(&["a", "b"])).unwrap();

        let error = check_executed(&good, "== A ==\n2", &book(&["a", "b"]))
            .unwrap_err()
            .to_string();
        assert!(error.contains("from line 2"), "{error}");
        let error = check_executed(&good, "== A ==\n1", &book(&["a", "c"]))
            .unwrap_err()
            .to_string();
        assert!(error.contains("did not show the book's c.svg"), "{error}");
        assert!(!error.contains("showed 2 figures"), "{error}");
        let error = check_executed(&good, "== A ==\n1", &book(&["a"]))
            .unwrap_err()
            .to_string();
        assert!(
            error.contains("showed 2 figures inline; the book has 1"),
            "{error}"
        );

        let panic = r#"{"output_type": "stream", "name": "stderr", "text": "thread panicked at src/lib.rs:1:2:\nboom\n"}"#;
        let compile = r#"{"output_type": "error", "ename": "Error", "evalue": "mismatched types", "traceback": ["\u001b[31m[E0308] Error:\u001b[0m mismatched types"]}"#;
        let bad = notebook(&[cell(panic), cell(compile), cell(figure)]);
        let error = check_executed(&bad, "", &book(&["a"]))
            .unwrap_err()
            .to_string();
        assert!(error.contains("cell 1 (`f();`) panicked"), "{error}");
        assert!(
            error.contains(
                "cell 2 (`f();`): Error: mismatched types\n[E0308] Error: mismatched types"
            ),
            "{error}"
        );
    }
}
