//! The machine room: a progress bar for the long experiments, on the terminal's error stream.

use indicatif::{ProgressBar, ProgressStyle};

/// A progress bar on stderr for `what`, counting `total` steps (epochs of training). When
/// stderr is not a terminal (a log, a test, the book's build) the bar stays hidden.
pub fn progress_bar(what: &str, total: usize) -> ProgressBar {
    let bar = ProgressBar::new(total as u64);
    let style = ProgressStyle::with_template("{prefix} [{bar:30}] {pos}/{len} epochs, {elapsed}")
        .expect("the template is valid")
        .progress_chars("=> ");
    bar.set_style(style);
    bar.set_prefix(what.to_string());
    bar
}
