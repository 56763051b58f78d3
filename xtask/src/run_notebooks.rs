//! The chapters' Jupyter notebooks: written from the chapters' sources, and run headlessly.
//!
//! - `cargo xtask notebooks [CHAPTER…]` writes `notebooks/<chapter>.ipynb` (the logic is in
//!   [`xtask::notebooks`], so the workspace test that fails on a stale notebook makes
//!   the same notebook);
//! - `cargo xtask notebooks --execute [CHAPTER…]` runs each notebook in Jupyter with the evcxr
//!   kernel, into `target/notebooks/`, and fails on a compile error, a panic, a missing figure or
//!   output that differs from the book's. It installs what it lacks: evcxr_jupyter (pinned, with
//!   `cargo install`, once per machine) and a minimal headless Jupyter (a venv under
//!   `target/tools/`). The kernel builds in a persistent folder outside the workspace
//!   (`$EVCXR_TMPDIR`, by default `~/.cache/nn-from-scratch/evcxr`), so a second run reuses the
//!   compiled crates.

use std::fs;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::Instant;

use anyhow::{Context, Result, bail};
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
        let result = execute_one(root, chapter, &jupyter, &build_dir, &out_dir);
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
    notebooks::check_executed(&json, &expected, &figures)
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
