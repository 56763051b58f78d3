//! The machine room: a progress bar for the training loop, on the terminal's error stream.

use crate::train::{Epoch, Watcher};

/// A progress bar on stderr: the epoch, the batches done, batches per second and the running
/// loss. When stderr is not a terminal (a log, a test) the bar stays hidden; either way each
/// epoch ends with one line on stderr: its seconds and its validation accuracy.
pub struct ProgressBar {
    name: String,
    epochs: usize,
    bar: Option<indicatif::ProgressBar>,
    seen: usize,
    loss_sum: f64,
}

impl ProgressBar {
    /// A bar for a run of `epochs` epochs of the network `name`.
    pub fn new(name: &str, epochs: usize) -> Self {
        ProgressBar {
            name: name.to_string(),
            epochs,
            bar: None,
            seen: 0,
            loss_sum: 0.0,
        }
    }
}

impl Watcher for ProgressBar {
    fn epoch_started(&mut self, epoch: usize, batches: usize) {
        let bar = indicatif::ProgressBar::new(batches as u64);
        let style = indicatif::ProgressStyle::with_template(
            "{prefix} [{bar:30}] {pos}/{len} batches, {per_sec}, {msg}",
        )
        .expect("the template is valid")
        .progress_chars("=> ");
        bar.set_style(style);
        bar.set_prefix(format!("{} epoch {epoch}/{}", self.name, self.epochs));
        self.bar = Some(bar);
        (self.seen, self.loss_sum) = (0, 0.0);
    }

    fn batch_done(&mut self, loss: f64) {
        self.seen += 1;
        self.loss_sum += loss;
        if let Some(bar) = &self.bar {
            bar.inc(1);
            if self.seen % 10 == 1 {
                bar.set_message(format!("loss {:.4}", self.loss_sum / self.seen as f64));
            }
        }
    }

    fn epoch_done(&mut self, epoch: usize, record: &Epoch) {
        if let Some(bar) = self.bar.take() {
            bar.finish_and_clear();
        }
        eprintln!(
            "{} epoch {epoch}/{}: {:.1} s, loss {:.4}, validation accuracy {:.4}",
            self.name, self.epochs, record.seconds, record.loss, record.validation_accuracy
        );
    }
}
