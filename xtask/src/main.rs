//! The book's chores, run as `cargo xtask <command>`:
//!
//! - `book [--open | --serve]`: installs the pinned mdBook, mdbook-katex and mdbook-i18n-helpers
//!   if they are missing, puts the MNIST chapter's committed drawing canvas and trained weights
//!   beside its page, checks every include,
//!   builds the book from the pages and the chapters' committed output (`book/generated/`), its
//!   math pre-rendered and no outside links to styles, scripts or fonts — in English into
//!   `target/book/` and in Chinese into `target/book/zh-CN/` — and says where it is.
//! - `po [--check]`: brings the Chinese translation (`po/zh-CN.po`) up to date with the pages,
//!   marking what changed; `--check` fails if any message is untranslated or fuzzy.
//! - `canvas [--check]`: compiles the drawing canvas to WebAssembly into
//!   `chapters/ch13_mnist/canvas/pkg/` (installing the wasm32 target and the pinned wasm-bindgen
//!   if they are missing); `--check` fails unless the committed build is what the sources build.
//! - `outputs [CHAPTER…]`: reruns the chapter programs into their captured output and figures
//!   (`book/generated/`), for every chapter or the ones named.
//! - `exercises blank|restore|check [CHAPTER…]`: exercise mode for readers, and the proof that
//!   every exercise's tests fail without its solution.
//! - `browser-check`: opens every chapter page of the built book in headless Chromium and checks
//!   that the math is rendered, every figure loads and nothing is requested from outside.
//! - `notebooks [--execute] [CHAPTER…]`: writes each chapter's Jupyter notebook from its sources,
//!   or runs the notebooks headlessly with the evcxr kernel and checks what they print and show.

mod browser_check;
mod canvas;
mod outputs;
mod run_notebooks;
mod tools;
mod translation;

use std::path::{Path, PathBuf};
use std::process::{Command, ExitCode};

use anyhow::{Context, Result, bail};
use xtask::exercises;

const USAGE: &str = "usage: cargo xtask <command>

commands:
  book [--open | --serve]  build the offline book into target/book (installs its tools if missing)
  canvas                   compile the drawing canvas to WebAssembly into chapters/ch13_mnist/canvas/pkg
  canvas --check           fail unless the committed canvas is what its sources build
  outputs [CHAPTER...]     rerun the chapter programs (all, or those named) into book/generated/
  exercises blank [CHAPTER...]    replace the exercises' solutions with todo!() (all chapters, or those named)
  exercises restore [CHAPTER...]  put back the solutions that blank kept
  exercises check [CHAPTER...]    prove each exercise's tests pass when solved and fail when blank
  po                       bring po/zh-CN.po up to date with the pages (new: untranslated, changed: fuzzy)
  po --check               fail if any message of the pages is untranslated or fuzzy in po/zh-CN.po
  browser-check            check the built book's chapter pages, both editions, in headless Chromium
  notebooks [CHAPTER...]   write notebooks/<chapter>.ipynb from the chapters' sources
  notebooks --execute [CHAPTER...]  run the notebooks in Jupyter (evcxr) and check them";

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let args: Vec<&str> = args.iter().map(String::as_str).collect();
    let result = match args.as_slice() {
        ["book"] => book(BookAction::Build),
        ["book", "--open"] => book(BookAction::Open),
        ["book", "--serve"] => book(BookAction::Serve),
        ["canvas"] => canvas::build(&root()),
        ["canvas", "--check"] => canvas::check(&root()),
        ["outputs", chapters @ ..] => outputs::regenerate(&root(), chapters).map(|_| ()),
        ["exercises", action, chapters @ ..] => exercise_mode(action, chapters),
        ["po"] => tools::ensure_book_tools(&root())
            .and_then(|mdbook| translation::update(&root(), &mdbook)),
        ["po", "--check"] => tools::ensure_book_tools(&root())
            .and_then(|mdbook| translation::check(&root(), &mdbook)),
        // mdBook runs these two as preprocessors of the Chinese edition (`translation.rs`).
        ["translation", "prepare" | "restore", "supports", _] => Ok(()),
        ["translation", "prepare"] => translation::preprocess(translation::prepare),
        ["translation", "restore"] => translation::preprocess(translation::restore),
        ["browser-check"] => browser_check::run(&root().join("target").join("book")),
        ["notebooks", "--execute", chapters @ ..] => run_notebooks::execute(&root(), chapters),
        ["notebooks", chapters @ ..] => run_notebooks::write(&root(), chapters),
        ["help" | "--help" | "-h"] => {
            println!("{USAGE}");
            Ok(())
        }
        _ => Err(anyhow::anyhow!(
            "unknown command {:?}\n\n{USAGE}",
            args.join(" ")
        )),
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(error) => {
            eprintln!("error: {error:#}");
            ExitCode::FAILURE
        }
    }
}

/// `cargo xtask exercises blank|restore|check [CHAPTER...]`.
fn exercise_mode(action: &str, named: &[&str]) -> Result<()> {
    let root = root();
    let chapters = outputs::select_chapters(&root, named)?;
    match action {
        "blank" => exercises::blank(&root, &chapters),
        "restore" => exercises::restore(&root, &chapters),
        "check" => exercises::check(&root, &chapters),
        _ => bail!("unknown exercises action {action:?}: use blank, restore or check\n\n{USAGE}"),
    }
}

/// The workspace root.
fn root() -> PathBuf {
    xtask::workspace_root()
}

enum BookAction {
    Build,
    Open,
    Serve,
}

/// Builds the book, both editions: tools, include check, mdBook, build-log check. The
/// chapters' output is the committed one (`cargo xtask outputs` reruns the programs; the tests
/// check it is current).
fn book(action: BookAction) -> Result<()> {
    let root = root();
    let mdbook = tools::ensure_book_tools(&root)?;
    canvas::copy_into_book(&root)?;
    let includes = xtask::check_includes(&root.join("book"))?;
    eprintln!("checked {includes} includes: all resolve to non-empty text");

    if let BookAction::Serve = action {
        let status = Command::new(&mdbook)
            .args(["serve", "--open"])
            .current_dir(&root)
            .env("PATH", tools::path_with_tools(&root)?)
            .status()
            .context("running mdbook serve")?;
        return if status.success() {
            Ok(())
        } else {
            bail!("mdbook serve failed")
        };
    }
    let book_dir = root.join("target").join("book");
    let chinese = book_dir.join(translation::LANGUAGE);
    // The English edition first: mdBook empties its folder, the Chinese edition's with it.
    let open = matches!(action, BookAction::Open);
    build_edition(Command::new(&mdbook), &root, &book_dir, open)?;
    build_edition(
        translation::edition_command(&mdbook)?,
        &root,
        &chinese,
        false,
    )?;
    check_no_outside_resources(&book_dir)?;
    println!(
        "The book is at {}\nThe Chinese edition is at {}",
        book_dir.join("index.html").display(),
        chinese.join("index.html").display()
    );
    Ok(())
}

/// Runs `mdbook build` (the `mdbook` command given, with any settings it carries) into `dest`,
/// and fails on what the build only logs; `open` opens the built book in a browser.
fn build_edition(mut mdbook: Command, root: &Path, dest: &Path, open: bool) -> Result<()> {
    mdbook.arg("build");
    if open {
        mdbook.arg("--open");
    }
    let output = mdbook
        .arg("--dest-dir")
        .arg(dest)
        .current_dir(root)
        .env("PATH", tools::path_with_tools(root)?)
        .output()
        .context("running mdbook build")?;
    let log = String::from_utf8_lossy(&output.stderr).to_string()
        + &String::from_utf8_lossy(&output.stdout);
    eprint!("{log}");
    if !output.status.success() {
        bail!("mdbook build failed");
    }
    check_build_log(&log)
}

/// Fails on what mdBook and mdbook-katex only log: a failed include, a failed formula, a
/// preprocessor built against another mdBook.
fn check_build_log(log: &str) -> Result<()> {
    let bad: Vec<&str> = log
        .lines()
        .filter(|l| {
            l.contains("Rendering failed")
                || l.contains("ERROR")
                || l.contains("unclosed HTML tag")
                || l.contains("was built against mdbook")
        })
        .collect();
    if !bad.is_empty() {
        bail!("the book built with errors:\n  {}", bad.join("\n  "));
    }
    Ok(())
}

/// Fails if any built page or stylesheet loads a style, script, image or font from outside.
fn check_no_outside_resources(book_dir: &Path) -> Result<()> {
    let patterns = [
        "src=\"http",
        "src='http",
        "url(http",
        "url(\"http",
        "url('http",
        "@import \"http",
    ];
    let mut offenders = Vec::new();
    for file in xtask::files_under(book_dir)? {
        let is_page = file.extension().is_some_and(|e| e == "html" || e == "css");
        if !is_page {
            continue;
        }
        let text = std::fs::read_to_string(&file)?;
        let mut found: Vec<&str> = patterns
            .iter()
            .copied()
            .filter(|p| text.contains(p))
            .collect();
        found.extend(
            stylesheet_links(&text)
                .into_iter()
                .filter(|href| href.starts_with("http"))
                .map(|_| "<link href=\"http"),
        );
        if !found.is_empty() {
            offenders.push(format!("{}: {}", file.display(), found.join(", ")));
        }
    }
    if !offenders.is_empty() {
        bail!(
            "the book loads resources from outside the machine:\n  {}",
            offenders.join("\n  ")
        );
    }
    Ok(())
}

/// The `href` of every `<link …>` tag in an HTML page.
fn stylesheet_links(html: &str) -> Vec<&str> {
    html.split("<link ")
        .skip(1)
        .filter_map(|tag| {
            let tag = &tag[..tag.find('>')?];
            let start = tag.find("href=\"")? + 6;
            let end = start + tag[start..].find('"')?;
            Some(&tag[start..end])
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn build_log_with_a_failed_formula_is_an_error() {
        assert!(check_build_log("INFO Book building has started\n").is_ok());
        let error =
            check_build_log("WARN mdbook_katex: Rendering failed for `\\frac{`\n").unwrap_err();
        assert!(error.to_string().contains("Rendering failed"));
        let mismatch = "WARN mdbook_katex: This mdbook-katex was built against mdbook v0.5.3, \
                        but we are being called from mdbook v0.5.4.";
        assert!(check_build_log(mismatch).is_err());
    }

    #[test]
    fn finds_link_hrefs() {
        let html = r#"<link rel="stylesheet" href="css/a.css"><link href="https://cdn.example/k.css" rel="stylesheet">"#;
        assert_eq!(
            stylesheet_links(html),
            ["css/a.css", "https://cdn.example/k.css"]
        );
    }
}
