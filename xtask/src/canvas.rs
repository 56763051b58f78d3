//! The drawing canvas on the MNIST chapter's page: the chapter's network and preprocessing
//! (`chapters/ch13_mnist/canvas/`) compiled to WebAssembly, with its JavaScript glue written by
//! wasm-bindgen. The two files are committed in [`PKG`], as the chapters' outputs are, so a
//! book build needs neither the WebAssembly target nor wasm-bindgen: `cargo xtask canvas`
//! rebuilds them after a change to the canvas or the chapter's library, and `canvas --check`
//! (run by CI) proves them current, byte for byte.
//!
//! The book build puts the glue and the weights the chapter's program trained in
//! `book/canvas/wasm/` (not committed), which mdBook copies into the built book beside the
//! page's own script (`book/canvas/draw-digit.js`). A page opened from the disk (file://) may
//! not `fetch()` a file, so the module and the weights go into a script, `digit-data.js`, as
//! base64 text: a `<script src>` loads from the disk as well as from a server.

use std::fs;
use std::path::Path;
use std::process::Command;

use anyhow::{Context, Result, ensure};

use crate::tools;

/// The crate compiled to WebAssembly.
pub const CRATE: &str = "ch13_mnist_canvas";
/// The committed build of the canvas: the glue (`<CRATE>.js`) and the module (`<CRATE>_bg.wasm`).
pub const PKG: &str = "chapters/ch13_mnist/canvas/pkg";
/// The model the chapter's program trained and saved beside its figures.
pub const WEIGHTS: &str = "book/generated/ch13_mnist/model.safetensors";
/// Where the book's copies go, in the book's source folder.
pub const OUT: &str = "book/canvas/wasm";
/// The largest the WebAssembly module and the weights may be together.
pub const MAX_BYTES: usize = 2_000_000;

/// The two files of a build, by name.
fn pkg_files() -> [String; 2] {
    [format!("{CRATE}.js"), format!("{CRATE}_bg.wasm")]
}

/// Compiles the canvas into [`PKG`], installing the WebAssembly target and the pinned
/// wasm-bindgen when they are missing.
pub fn build(root: &Path) -> Result<()> {
    compile(root, &root.join(PKG))?;
    eprintln!("drawing canvas built into {PKG}: commit it");
    Ok(())
}

/// Compiles the canvas afresh and fails unless the result is [`PKG`], byte for byte.
pub fn check(root: &Path) -> Result<()> {
    let fresh = root.join("target").join("canvas-check");
    compile(root, &fresh)?;
    for name in pkg_files() {
        let committed = fs::read(root.join(PKG).join(&name)).unwrap_or_default();
        let built = fs::read(fresh.join(&name)).with_context(|| format!("reading {name}"))?;
        ensure!(
            committed == built,
            "{PKG}/{name} is not what the canvas's sources build: run `cargo xtask canvas` \
             and commit it"
        );
    }
    eprintln!("drawing canvas: {PKG} is what its sources build");
    Ok(())
}

/// `cargo build` for WebAssembly, then wasm-bindgen's glue, into `out`.
fn compile(root: &Path, out: &Path) -> Result<()> {
    tools::ensure_wasm_target()?;
    let wasm_bindgen = tools::ensure_wasm_bindgen(root)?;
    let status = Command::new(env!("CARGO"))
        .current_dir(root)
        .args(["build", "--quiet", "--release", "--lib", "--package", CRATE])
        .args(["--target", tools::WASM_TARGET])
        .status()
        .context("starting cargo build")?;
    ensure!(
        status.success(),
        "building the drawing canvas ({CRATE}) for WebAssembly failed"
    );
    let wasm = root
        .join("target")
        .join(tools::WASM_TARGET)
        .join("release")
        .join(format!("{CRATE}.wasm"));
    tools::run(
        Command::new(wasm_bindgen)
            .args(["--target", "no-modules", "--no-typescript", "--out-dir"])
            .arg(out)
            .arg(&wasm),
    )
}

/// Puts the committed canvas and the trained weights beside the page, in [`OUT`]; when
/// nothing changed since the last time, it does nothing.
pub fn copy_into_book(root: &Path) -> Result<()> {
    let [glue_name, module_name] = pkg_files();
    let (glue, module) = (
        root.join(PKG).join(&glue_name),
        root.join(PKG).join(module_name),
    );
    let weights = root.join(WEIGHTS);
    ensure!(
        weights.is_file(),
        "{WEIGHTS} is missing: `cargo xtask outputs ch13_mnist` writes it"
    );
    ensure!(
        glue.is_file() && module.is_file(),
        "{PKG} is missing the drawing canvas: `cargo xtask canvas` builds it"
    );
    let out = root.join(OUT);
    let data = out.join("digit-data.js");
    if out.join(&glue_name).is_file() && newer_than(&data, &[&glue, &module, &weights])? {
        return Ok(());
    }
    let module = fs::read(&module)?;
    let model = fs::read(&weights).with_context(|| format!("reading {WEIGHTS}"))?;
    let total = module.len() + model.len();
    ensure!(
        total <= MAX_BYTES,
        "the canvas's WebAssembly ({} bytes) and weights ({} bytes) exceed {MAX_BYTES} bytes",
        module.len(),
        model.len()
    );
    fs::create_dir_all(&out)?;
    fs::copy(&glue, out.join(&glue_name))?;
    let script = format!(
        "// Written by `cargo xtask book`: the drawing canvas's WebAssembly module and the\n\
         // weights of ch13_mnist's trained network, in base64.\n\
         var DIGIT_CANVAS = {{\n  wasm: \"{}\",\n  weights: \"{}\"\n}};\n",
        base64(&module),
        base64(&model)
    );
    fs::write(&data, &script)?;
    eprintln!(
        "drawing canvas: WebAssembly {} kB and weights {} kB, as {} kB of script in {OUT}",
        module.len() / 1000,
        model.len() / 1000,
        script.len() / 1000
    );
    Ok(())
}

/// Whether `file` exists and was written after every one of `inputs`.
fn newer_than(file: &Path, inputs: &[&Path]) -> Result<bool> {
    let Ok(written) = fs::metadata(file).and_then(|m| m.modified()) else {
        return Ok(false);
    };
    for input in inputs {
        let changed = fs::metadata(input)
            .and_then(|m| m.modified())
            .with_context(|| format!("reading the time of {}", input.display()))?;
        if changed >= written {
            return Ok(false);
        }
    }
    Ok(true)
}

/// Standard base64 (RFC 4648, with `=` padding), as the browser's `atob` reads it.
pub fn base64(bytes: &[u8]) -> String {
    const ALPHABET: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    let mut text = String::with_capacity(bytes.len().div_ceil(3) * 4);
    for chunk in bytes.chunks(3) {
        let b = [
            chunk[0],
            *chunk.get(1).unwrap_or(&0),
            *chunk.get(2).unwrap_or(&0),
        ];
        let n = u32::from(b[0]) << 16 | u32::from(b[1]) << 8 | u32::from(b[2]);
        for i in 0..4 {
            if i <= chunk.len() {
                text.push(ALPHABET[(n >> (18 - 6 * i) & 63) as usize] as char);
            } else {
                text.push('=');
            }
        }
    }
    text
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn base64_is_rfc_4648() {
        // RFC 4648's test vectors
        let cases = [
            ("", ""),
            ("f", "Zg=="),
            ("fo", "Zm8="),
            ("foo", "Zm9v"),
            ("foob", "Zm9vYg=="),
            ("fooba", "Zm9vYmE="),
            ("foobar", "Zm9vYmFy"),
        ];
        for (plain, encoded) in cases {
            assert_eq!(base64(plain.as_bytes()), encoded, "{plain:?}");
        }
        assert_eq!(base64(&[0xff, 0xfe, 0x3f]), "//4/");
    }

    #[test]
    fn the_pinned_wasm_bindgen_cli_matches_the_locked_crate() {
        let lock = fs::read_to_string(xtask::workspace_root().join("Cargo.lock")).unwrap();
        let locked = format!(
            "name = \"wasm-bindgen\"\nversion = \"{}\"",
            tools::WASM_BINDGEN_VERSION
        );
        assert!(
            lock.contains(&locked),
            "Cargo.lock's wasm-bindgen is not {}, the version of the pinned wasm-bindgen-cli \
             (xtask/src/tools.rs): the two must be equal",
            tools::WASM_BINDGEN_VERSION
        );
    }

    #[test]
    fn a_file_is_newer_than_its_inputs_only_when_written_after_them() {
        let dir = tempfile::tempdir().unwrap();
        let (input, output) = (dir.path().join("in"), dir.path().join("out"));
        fs::write(&input, "a").unwrap();
        assert!(!newer_than(&output, &[&input]).unwrap()); // not written yet
        std::thread::sleep(std::time::Duration::from_millis(20));
        fs::write(&output, "b").unwrap();
        assert!(newer_than(&output, &[&input]).unwrap());
        std::thread::sleep(std::time::Duration::from_millis(20));
        fs::write(&input, "c").unwrap();
        assert!(!newer_than(&output, &[&input]).unwrap());
    }
}
