//! The machine room: a progress bar for the training loop, on the terminal's error stream.

use crate::train::{EpochRecord, Watcher};

/// A progress bar on stderr for [`crate::train()`]: the epoch, the batches done, batches per
/// second, and the running loss and accuracy of the epoch. When stderr is not a terminal (a
/// log, a test) the bar stays hidden; either way each epoch ends with one line on stderr: its
/// speed, its validation accuracy and the time since training began.
pub struct ProgressBar {
    epochs: usize,
    bar: Option<indicatif::ProgressBar>,
    /// The epoch's batches so far, and the sums of their losses and accuracies.
    seen: usize,
    loss_sum: f64,
    accuracy_sum: f64,
}

impl ProgressBar {
    /// A bar for a run of `epochs` epochs.
    pub fn new(epochs: usize) -> Self {
        ProgressBar {
            epochs,
            bar: None,
            seen: 0,
            loss_sum: 0.0,
            accuracy_sum: 0.0,
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
        bar.set_prefix(format!("epoch {epoch}/{}", self.epochs));
        self.bar = Some(bar);
        (self.seen, self.loss_sum, self.accuracy_sum) = (0, 0.0, 0.0);
    }

    fn batch_done(&mut self, loss: f64, accuracy: f64) {
        self.seen += 1;
        self.loss_sum += loss;
        self.accuracy_sum += accuracy;
        if let Some(bar) = &self.bar {
            bar.inc(1);
            if self.seen % 10 == 1 {
                let n = self.seen as f64;
                bar.set_message(format!(
                    "loss {:.4}, accuracy {:.4}",
                    self.loss_sum / n,
                    self.accuracy_sum / n
                ));
            }
        }
    }

    fn epoch_done(&mut self, record: &EpochRecord) {
        if let Some(bar) = self.bar.take() {
            let per_second = bar.position() as f64 / bar.elapsed().as_secs_f64().max(1e-9);
            bar.finish_and_clear();
            eprintln!(
                "epoch {}/{}: {:.0} batches/s, validation accuracy {:.4}, {:.2} s since training began",
                record.epoch, self.epochs, per_second, record.validation_accuracy, record.seconds
            );
        }
    }
}
