//! Early stopping: watch the loss on the validation set after every epoch, keep the weights
//! of the best epoch, and stop once it has not improved for `patience` epochs.

use ch03_layers::Float;
use ch05_loss::accuracy;
use ch09_backprop::{ACCURACY_ROWS, Sequential};
use ch10_optimizers::{Optimizer, train_mini_batches};
use ndarray::{Array2, ArrayD, Axis};
use seeded_rng::Rng;

use crate::Split;

/// What [`EarlyStopping::check`] says after an epoch.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Verdict {
    /// The best validation loss so far: keep these weights.
    Improved,
    /// No better than the best, for fewer than `patience` epochs in a row: go on.
    Wait,
    /// No better than the best for `patience` epochs in a row: stop.
    Stop,
}

/// The rule of early stopping: remember the lowest validation loss and its epoch, and count
/// the epochs since.
///
/// ```
/// use ch11_generalization::early_stopping::{EarlyStopping, Verdict};
/// let mut stopper = EarlyStopping::new(2);
/// assert_eq!(stopper.check(1, 0.9), Verdict::Improved);
/// assert_eq!(stopper.check(2, 0.7), Verdict::Improved);
/// assert_eq!(stopper.check(3, 0.8), Verdict::Wait); // one epoch without improvement
/// assert_eq!(stopper.check(4, 0.75), Verdict::Stop); // two
/// assert_eq!(stopper.best(), Some((2, 0.7)));
/// ```
// ANCHOR: early_stopping
#[derive(Debug, Clone, PartialEq)]
pub struct EarlyStopping {
    pub patience: usize,
    best: Option<(usize, f64)>, // (epoch, validation loss) of the best epoch so far
    waited: usize,              // epochs since then
}

impl EarlyStopping {
    pub fn new(patience: usize) -> Self {
        EarlyStopping {
            patience,
            best: None,
            waited: 0,
        }
    }

    /// Takes the validation loss after `epoch` and says what to do.
    pub fn check(&mut self, epoch: usize, loss: f64) -> Verdict {
        match self.best {
            Some((_, best)) if loss >= best => {
                self.waited += 1;
                if self.waited >= self.patience {
                    Verdict::Stop
                } else {
                    Verdict::Wait
                }
            }
            _ => {
                self.best = Some((epoch, loss));
                self.waited = 0;
                Verdict::Improved
            }
        }
    }
    // ANCHOR_END: early_stopping

    /// The best epoch so far and its validation loss.
    pub fn best(&self) -> Option<(usize, f64)> {
        self.best
    }
}

/// A copy of every parameter of `net`, in the order of `params_and_grads`.
///
/// NumPy: `{key: val.copy() for key, val in network.params.items()}`.
// ANCHOR: snapshot
pub fn snapshot<F: Float>(net: &mut Sequential<F>) -> Vec<ArrayD<F>> {
    let params = net.params_and_grads();
    params.iter().map(|(p, _)| p.to_owned()).collect()
}

/// Puts the parameters of a [`snapshot`] back into `net`.
///
/// # Panics
/// If the snapshot was not taken from a network of the same shapes.
pub fn restore<F: Float>(net: &mut Sequential<F>, saved: &[ArrayD<F>]) {
    let params = net.params_and_grads();
    assert_eq!(params.len(), saved.len(), "a snapshot of another network");
    for ((mut p, _), s) in params.into_iter().zip(saved) {
        p.assign(s);
    }
}
// ANCHOR_END: snapshot

/// The mean loss and the accuracy of `net` on `(x, t)`, from one forward pass measured
/// [`ACCURACY_ROWS`] rows at a time (as `accuracy` is), without touching the gradients.
///
/// ```
/// use ch11_generalization::early_stopping::loss_and_accuracy;
/// let mut net = ch09_backprop::two_layer_net::<f64>(3, 4, 2, 0.0, &mut seeded_rng::rng(0));
/// let x = ndarray::Array2::ones((2500, 3));
/// let t = vec![0; 2500];
/// let (loss, accuracy) = loss_and_accuracy(&mut net, &x, &t);
/// assert!((loss - 2f64.ln()).abs() < 1e-12); // zero weights: ½ for each class
/// assert_eq!(accuracy, 1.0); // a tie goes to the first class
/// ```
///
/// # Panics
/// If `t` does not have one class per row of `x`, or `x` has no rows.
pub fn loss_and_accuracy<F: Float>(
    net: &mut Sequential<F>,
    x: &Array2<F>,
    t: &[usize],
) -> (f64, f64) {
    assert!(
        x.nrows() == t.len() && !t.is_empty(),
        "{} class indices cannot be the targets of {} rows",
        t.len(),
        x.nrows()
    );
    let (mut loss_sum, mut correct) = (0.0, 0.0);
    for (x, t) in x
        .axis_chunks_iter(Axis(0), ACCURACY_ROWS)
        .zip(t.chunks(ACCURACY_ROWS))
    {
        let loss = net.loss(&x.to_owned(), t).to_f64().unwrap_or(f64::NAN);
        loss_sum += loss * t.len() as f64;
        correct += accuracy(net.last.probabilities(), t) * t.len() as f64;
    }
    (loss_sum / t.len() as f64, correct / t.len() as f64)
}

/// The numbers recorded after one epoch of a [`watch_validation`] run.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct EpochRecord {
    pub epoch: usize,
    pub train_loss: f64,
    pub validation_loss: f64,
    pub validation_accuracy: f64,
}

/// What a [`watch_validation`] run saw.
#[derive(Debug, Clone)]
pub struct WatchedRun<F> {
    /// Epoch 0 (before training) and every epoch after it.
    pub history: Vec<EpochRecord>,
    /// The epoch at which early stopping said stop, if it did.
    pub stopped_at: Option<usize>,
    /// The best epoch up to then, and its weights.
    pub best_epoch: usize,
    pub best_weights: Vec<ArrayD<F>>,
}

/// Trains `net` for `epochs` epochs of mini-batches (each as many batches of `batch_size` as
/// fit in the training set), measuring the loss on both sets after every epoch, and applies
/// [`EarlyStopping`] with `patience` to the validation loss: it keeps a snapshot of the best
/// epoch's weights and notes the epoch at which it would stop. A real run would stop there;
/// this one goes on to `epochs`, to show what stopping saved. `tick` is called after every
/// epoch (for a progress bar).
///
/// # Panics
/// If `batch_size` is zero or the sets do not fit the network.
// ANCHOR: watch_validation
pub fn watch_validation<F: Float>(
    net: &mut Sequential<F>,
    (train, validation): (&Split<F>, &Split<F>),
    optimizer: &mut dyn Optimizer<F>,
    (batch_size, epochs, patience): (usize, usize, usize),
    rng: &mut impl Rng,
    tick: &mut dyn FnMut(),
) -> WatchedRun<F> {
    assert!(batch_size > 0, "batches of 0 rows");
    let mut stopper = EarlyStopping::new(patience);
    let mut run = WatchedRun {
        history: Vec::new(),
        stopped_at: None,
        best_epoch: 0,
        best_weights: snapshot(net),
    };
    // ANCHOR: watch_loop
    for epoch in 0..=epochs {
        if epoch > 0 {
            let batches = (train.len() / batch_size).max(1);
            train_mini_batches(net, &train.x, &train.t, optimizer, batch_size, batches, rng);
            tick();
        }
        let (validation_loss, validation_accuracy) =
            loss_and_accuracy(net, &validation.x, &validation.t);
        run.history.push(EpochRecord {
            epoch,
            train_loss: loss_and_accuracy(net, &train.x, &train.t).0,
            validation_loss,
            validation_accuracy,
        });
        if run.stopped_at.is_none() {
            match stopper.check(epoch, validation_loss) {
                Verdict::Improved => (run.best_epoch, run.best_weights) = (epoch, snapshot(net)),
                Verdict::Wait => {}
                Verdict::Stop => run.stopped_at = Some(epoch), // a real run would `break` here
            }
        }
    }
    // ANCHOR_END: watch_loop
    run
}
// ANCHOR_END: watch_validation

#[cfg(test)]
mod tests {
    use super::*;
    use ch10_optimizers::{Activation, Init, Sgd, multi_layer_net};
    use seeded_rng::randn;

    #[test]
    fn patience_counts_epochs_since_the_best() {
        let mut stopper = EarlyStopping::new(3);
        let losses = [1.0, 0.8, 0.9, 0.85, 0.7, 0.71, 0.72, 0.7, 0.69];
        let verdicts: Vec<Verdict> = (1..)
            .zip(losses)
            .map(|(epoch, loss)| stopper.check(epoch, loss))
            .collect();
        use Verdict::*;
        assert_eq!(
            verdicts,
            [
                Improved, Improved, Wait, Wait, Improved, Wait, Wait, Stop, Improved
            ]
        );
    }

    #[test]
    fn an_equal_loss_is_no_improvement() {
        let mut stopper = EarlyStopping::new(1);
        stopper.check(1, 0.5);
        assert_eq!(stopper.check(2, 0.5), Verdict::Stop);
        assert_eq!(stopper.best(), Some((1, 0.5)));
    }

    #[test]
    fn restore_puts_the_snapshot_back() {
        let mut rng = seeded_rng::rng(4);
        let mut net = multi_layer_net::<f64>(&[3, 4, 2], Activation::Relu, Init::He, &mut rng);
        let x = randn::<f64>(&mut rng, (6, 3));
        let t = [0, 1, 0, 1, 1, 0];
        let saved = snapshot(&mut net);
        let before = net.loss(&x, &t);
        net.gradient(&x, &t);
        ch09_backprop::sgd_step(net.params_and_grads(), 0.5);
        assert_ne!(net.loss(&x, &t), before);
        restore(&mut net, &saved);
        assert_eq!(net.loss(&x, &t), before);
    }

    #[test]
    fn loss_and_accuracy_in_chunks_are_those_of_the_whole() {
        let mut rng = seeded_rng::rng(5);
        let mut net = multi_layer_net::<f64>(&[3, 4, 2], Activation::Relu, Init::He, &mut rng);
        let x = randn::<f64>(&mut rng, (2 * ACCURACY_ROWS + 3, 3));
        let t: Vec<usize> = (0..x.nrows()).map(|i| i % 2).collect();
        let (loss, accuracy) = loss_and_accuracy(&mut net, &x, &t);
        assert!((loss - net.loss(&x, &t)).abs() < 1e-12);
        assert_eq!(accuracy, net.accuracy(&x, &t));
    }

    #[test]
    fn the_kept_weights_are_those_of_the_best_epoch() {
        let mut rng = seeded_rng::rng(6);
        let mut net = multi_layer_net::<f64>(&[3, 8, 2], Activation::Relu, Init::He, &mut rng);
        let x = randn::<f64>(&mut rng, (40, 3));
        let t: Vec<usize> = x
            .rows()
            .into_iter()
            .map(|r| usize::from(r[0] > 0.0))
            .collect();
        let train = Split { x, t };
        let x = randn::<f64>(&mut rng, (30, 3));
        let t: Vec<usize> = (0..30).map(|i| i % 2).collect(); // noise: nothing to learn
        let validation = Split { x, t };
        let mut sgd = Sgd::new(0.3);
        let data = (&train, &validation);
        let run = watch_validation(&mut net, data, &mut sgd, (10, 30, 3), &mut rng, &mut || {});
        assert_eq!(run.history.len(), 31);
        let stopped = run.stopped_at.expect("the noise set stops it");
        let best = &run.history[run.best_epoch];
        let until_stop = &run.history[..=stopped];
        assert!(
            until_stop
                .iter()
                .all(|r| r.validation_loss >= best.validation_loss)
        );
        restore(&mut net, &run.best_weights);
        let (loss, _) = loss_and_accuracy(&mut net, &validation.x, &validation.t);
        assert!((loss - best.validation_loss).abs() < 1e-12);
    }
}
