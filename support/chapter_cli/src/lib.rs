//! What every chapter program shares.
//!
//! - [`Common`]: the flags every chapter accepts, `--out DIR` (where figures go) and
//!   `--seed N` (the random seed), to `#[command(flatten)]` into the chapter's own arguments;
//! - [`section`]: a heading on stdout, so the book can quote one part of a program's output;
//! - [`run`]: runs the chapter and turns an error into a clear message and a non-zero exit;
//! - [`timed`]: runs a step of the program and says on stderr how long it took;
//! - `testing` (with the feature of that name, for the chapters' tests): runs a chapter program
//!   and checks how it ended.
//!
//! Numbers the book quotes go to stdout; progress and timings go to stderr.

use std::path::PathBuf;
use std::process::ExitCode;
use std::time::Instant;

use anyhow::Context;

#[cfg(any(test, feature = "testing"))]
pub mod testing;

/// The flags every chapter program accepts.
#[derive(clap::Args, Debug, Clone)]
pub struct Common {
    /// Folder to write the figures (SVG) to [default: target/figures/<chapter>]
    #[arg(long, value_name = "DIR", global = true)]
    pub out: Option<PathBuf>,

    /// Seed of the random number generator: the same seed prints the same numbers
    #[arg(
        long,
        value_name = "N",
        default_value_t = seeded_rng::DEFAULT_SEED,
        global = true,
        allow_negative_numbers = true
    )]
    pub seed: u64,
}

impl Common {
    /// The folder for `chapter`'s figures, created if it does not exist.
    pub fn out_dir(&self, chapter: &str) -> anyhow::Result<PathBuf> {
        let dir = match &self.out {
            Some(dir) => dir.clone(),
            None => workspace_root()
                .join("target")
                .join("figures")
                .join(chapter),
        };
        std::fs::create_dir_all(&dir)
            .with_context(|| format!("creating the figure folder {}", dir.display()))?;
        Ok(dir)
    }
}

/// The folder that holds the workspace's `Cargo.toml`.
pub fn workspace_root() -> PathBuf {
    let here = PathBuf::from(env!("CARGO_MANIFEST_DIR")); // support/chapter_cli
    here.ancestors()
        .nth(2)
        .expect("support/chapter_cli sits two levels below the root")
        .into()
}

/// The line that opens a section of a program's output: `== title ==`.
///
/// ```
/// assert_eq!(chapter_cli::section_heading("Truth tables"), "== Truth tables ==");
/// ```
pub fn section_heading(title: &str) -> String {
    format!("== {title} ==")
}

/// Prints a section heading on stdout, after a blank line.
pub fn section(title: &str) {
    println!("\n{}", section_heading(title));
}

/// Runs a chapter program: an error is printed with its causes and exits with status 1.
pub fn run(program: impl FnOnce() -> anyhow::Result<()>) -> ExitCode {
    match program() {
        Ok(()) => ExitCode::SUCCESS,
        Err(error) => {
            eprintln!("error: {}", error_message(&error));
            ExitCode::FAILURE
        }
    }
}

/// An error and its causes on one line, `what we did: what went wrong` (anyhow's `{:#}`).
///
/// ```
/// let io = std::io::Error::from(std::io::ErrorKind::NotFound);
/// let error = anyhow::Error::new(io).context("reading data.txt");
/// assert_eq!(chapter_cli::error_message(&error), "reading data.txt: entity not found");
/// ```
pub fn error_message(error: &anyhow::Error) -> String {
    format!("{error:#}")
}

/// Runs `f`, printing its wall-clock time to stderr as `what: 1.23 s` (timings depend on the
/// machine, so they stay out of the output the book quotes).
///
/// ```
/// let images = chapter_cli::timed("loading", || vec![0u8; 784]);
/// assert_eq!(images.len(), 784);
/// ```
pub fn timed<T>(what: &str, f: impl FnOnce() -> T) -> T {
    let started = Instant::now();
    let result = f();
    eprintln!("{what}: {:.2} s", started.elapsed().as_secs_f64());
    result
}
