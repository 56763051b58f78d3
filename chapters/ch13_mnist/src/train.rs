//! Training: every image once per epoch in a new order, Adam with a learning rate that falls to
//! zero, and the loop that runs it, as *Deep Learning from Scratch*'s `common/trainer.py` does.

use std::time::Instant;

use ch03_layers::{Float, float};
use ch05_loss::argmax_rows;
use ch09_backprop::MnistData;
use ch10_optimizers::Optimizer;
use ndarray::Axis;
use seeded_rng::Rng;

use crate::model::Mlp;

/// How the learning rate moves during training.
///
/// ```text
/// constant: ηₜ = η
/// linear:   ηₜ = η · (1 − t/T)
/// ```
///
/// A large rate moves fast but cannot settle into a narrow valley of the loss; a small one
/// settles but crawls. The linear schedule starts large and ends at zero, so a run gets both,
/// and its last steps are the small ones that polish the weights.
///
/// ```
/// use ch13_mnist::{learning_rate_at, Schedule};
/// assert_eq!(learning_rate_at(Schedule::Linear, 0.002, 0, 100), 0.002);
/// assert_eq!(learning_rate_at(Schedule::Linear, 0.002, 75, 100), 0.0005);
/// assert_eq!(learning_rate_at(Schedule::Constant, 0.002, 75, 100), 0.002);
/// ```
// ANCHOR: schedule
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Schedule {
    Constant,
    Linear, // from the peak at the first step to zero after the last
}

/// The learning rate of step `step` (counting from 0) of a run of `total_steps` steps.
pub fn learning_rate_at(schedule: Schedule, peak: f64, step: usize, total_steps: usize) -> f64 {
    match schedule {
        Schedule::Constant => peak,
        Schedule::Linear => peak * (1.0 - step as f64 / total_steps.max(1) as f64),
    }
}
// ANCHOR_END: schedule

/// The numbers `0..n` in a random order (Fisher–Yates): every order equally likely, and the
/// same order for the same generator state.
///
/// NumPy: `np.random.permutation(n)`.
///
/// ```
/// let order = ch13_mnist::permutation(5, &mut seeded_rng::rng(0));
/// let mut sorted = order.clone();
/// sorted.sort();
/// assert_eq!(sorted, [0, 1, 2, 3, 4]);
/// assert_eq!(order, ch13_mnist::permutation(5, &mut seeded_rng::rng(0)));
/// ```
// ANCHOR: shuffle
pub fn permutation(n: usize, rng: &mut impl Rng) -> Vec<usize> {
    let mut order: Vec<usize> = (0..n).collect();
    for i in (1..n).rev() {
        let j = rng.random_range(0..=i); // any of the first i + 1, this one included
        order.swap(i, j);
    }
    order
}
// ANCHOR_END: shuffle

/// What a training run does: how many epochs, how many images per step, and the learning
/// rate: its peak η and its schedule.
// ANCHOR: setup
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Setup {
    pub epochs: usize,
    pub batch_size: usize,
    pub learning_rate: f64, // the peak, η
    pub schedule: Schedule,
}
// ANCHOR_END: setup

/// What one epoch of training measured: the learning rate of its last step; the mean loss of
/// its batches and the fraction of its training images they got right, each measured by the
/// batch's own forward pass while the weights were still moving; the accuracy on the 10,000
/// test images after the epoch; and the wall-clock seconds since training began.
// ANCHOR: record
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct EpochRecord {
    pub epoch: usize, // counting from 1
    pub learning_rate: f64,
    pub loss: f64,
    pub train_accuracy: f64,
    pub test_accuracy: f64,
    pub seconds: f64,
}

/// Everything a training run recorded.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct History {
    pub batch_losses: Vec<f64>, // every batch's, in order
    pub epochs: Vec<EpochRecord>,
}
// ANCHOR_END: record

impl History {
    /// The first epoch whose test accuracy reached `target`, if any.
    pub fn first_reaching(&self, target: f64) -> Option<&EpochRecord> {
        self.epochs.iter().find(|e| e.test_accuracy >= target)
    }

    /// True if training stopped early because a batch's loss was not a finite number (NaN or
    /// infinite): the learning rate was so large that the weights left the numbers behind.
    pub fn diverged(&self) -> bool {
        self.batch_losses
            .last()
            .is_some_and(|loss| !loss.is_finite())
    }
}

/// What a training loop tells whoever watches it: a progress bar ([`crate::ProgressBar`]), a
/// log, or nobody (`()`). Every method does nothing unless overridden.
// ANCHOR: watcher
pub trait Watcher {
    fn epoch_started(&mut self, _epoch: usize, _batches: usize) {}
    fn batch_done(&mut self, _loss: f64, _accuracy: f64) {}
    fn epoch_done(&mut self, _record: &EpochRecord) {}
}

impl Watcher for () {} // watches nothing
// ANCHOR_END: watcher

/// One step of training on the training images `rows`: the backprop chapter's `gradient`
/// (forward, loss, backward) and one update of `optimizer`. Returns the batch's loss and how
/// many of its images the forward pass classified right.
///
/// NumPy (DLFS): `x_batch = x_train[batch_mask]`, `grads = network.gradient(x_batch,
/// t_batch)`, `optimizer.update(params, grads)`.
///
/// # Panics
/// If a row is out of range.
// ANCHOR: train_step
pub fn train_step<F: Float>(
    model: &mut Mlp<F>,
    optimizer: &mut impl Optimizer<F>,
    data: &MnistData<F>,
    rows: &[usize],
) -> (f64, usize) {
    let x = data.x_train.select(Axis(0), rows); // (batch, 784)
    let t: Vec<usize> = rows.iter().map(|&i| data.t_train[i]).collect();
    let loss = model.net.gradient(&x, &t);
    optimizer.update(model.net.params_and_grads());
    let predicted = argmax_rows(model.net.last.probabilities());
    let correct = predicted.iter().zip(&t).filter(|(p, t)| p == t).count();
    (loss.to_f64().unwrap_or(f64::NAN), correct)
}
// ANCHOR_END: train_step

/// Trains `model` on the training images of `data`, evaluating the test accuracy after every
/// epoch.
///
/// Each epoch visits the training images in a new random order, `batch_size` at a time (the
/// images left over after the last full batch wait for the next epoch's order). Before each
/// step, the `schedule` sets the optimizer's learning rate.
///
/// NumPy (DLFS): the loop of `common/trainer.py`, with `batch_mask = np.random.permutation`.
///
/// ```
/// use ch13_mnist::{train, Mlp, Schedule, Setup};
/// use ch09_backprop::MnistData;
/// use ch10_optimizers::Adam;
/// let data = MnistData::<f32>::new(&ch13_mnist::with_training_subset(&mnist::load()?, 2000));
/// let mut rng = seeded_rng::rng(0);
/// let mut model = Mlp::new(&[784, 32, 10], &mut rng);
/// let setup = Setup { epochs: 2, batch_size: 100, learning_rate: 0.002, schedule: Schedule::Linear };
/// let history = train(&mut model, &data, &mut Adam::new(0.0), &setup, &mut rng, &mut ());
/// assert_eq!((history.epochs.len(), history.batch_losses.len()), (2, 40));
/// assert!(history.epochs[1].test_accuracy > 0.6); // chance is 0.1
/// # Ok::<(), mnist::MnistError>(())
/// ```
///
/// Training stops at the first batch whose loss is not finite ([`History::diverged`]).
///
/// # Panics
/// If `batch_size` is zero or larger than the training set, or the data does not fit the model.
// ANCHOR: train
pub fn train<F: Float>(
    model: &mut Mlp<F>,
    data: &MnistData<F>,
    optimizer: &mut impl Optimizer<F>,
    setup: &Setup,
    rng: &mut impl Rng,
    watcher: &mut impl Watcher,
) -> History {
    let (n, batch_size) = (data.x_train.nrows(), setup.batch_size);
    assert!(
        0 < batch_size && batch_size <= n,
        "no batch of {batch_size} in {n} images"
    );
    let batches = n / batch_size; // per epoch
    let total_steps = batches * setup.epochs;
    let started = Instant::now();
    let mut history = History::default();
    for epoch in 1..=setup.epochs {
        watcher.epoch_started(epoch, batches);
        let order = permutation(n, rng);
        let (mut lr, mut loss_sum, mut correct) = (0.0, 0.0, 0);
        for (b, rows) in order.chunks_exact(batch_size).enumerate() {
            let step = (epoch - 1) * batches + b;
            lr = learning_rate_at(setup.schedule, setup.learning_rate, step, total_steps);
            optimizer.set_learning_rate(float(lr));
            let (loss, right) = train_step(model, optimizer, data, rows);
            history.batch_losses.push(loss);
            if !loss.is_finite() {
                return history; // diverged: no step can bring the weights back
            }
            loss_sum += loss;
            correct += right;
            watcher.batch_done(loss, right as f64 / batch_size as f64);
        }
        let record = EpochRecord {
            epoch,
            learning_rate: lr,
            loss: loss_sum / batches as f64,
            train_accuracy: correct as f64 / (batches * batch_size) as f64,
            test_accuracy: model.net.accuracy(&data.x_test, &data.t_test),
            seconds: started.elapsed().as_secs_f64(),
        };
        watcher.epoch_done(&record);
        history.epochs.push(record);
    }
    history
}
// ANCHOR_END: train

#[cfg(test)]
mod tests {
    use super::*;
    use ch10_optimizers::Adam;
    use std::collections::HashMap;

    #[test]
    fn training_is_reproducible_and_learns() {
        let mnist = crate::with_training_subset(&mnist::load().unwrap(), 1000);
        let data = MnistData::<f32>::new(&mnist);
        let setup = Setup {
            epochs: 2,
            batch_size: 50,
            learning_rate: 0.002,
            schedule: Schedule::Linear,
        };
        let run = || {
            let mut rng = seeded_rng::rng(7);
            let mut model = Mlp::<f32>::new(&[784, 32, 10], &mut rng);
            let mut adam = Adam::new(0.0);
            let history = train(&mut model, &data, &mut adam, &setup, &mut rng, &mut ());
            (history, model.to_safetensors())
        };
        let (first, weights) = run();
        let (second, weights_again) = run();
        assert_eq!(first.batch_losses, second.batch_losses);
        assert_eq!(weights, weights_again);
        assert!(first.epochs[1].loss < first.epochs[0].loss);
        assert!(first.epochs[1].test_accuracy > 0.6, "{:?}", first.epochs[1]);
    }

    #[test]
    fn a_learning_rate_far_too_large_diverges_and_stops_the_training() {
        let mnist = crate::with_training_subset(&mnist::load().unwrap(), 500);
        let data = MnistData::<f32>::new(&mnist);
        let setup = Setup {
            epochs: 3,
            batch_size: 50,
            learning_rate: 1e30,
            schedule: Schedule::Constant,
        };
        let mut rng = seeded_rng::rng(7);
        let mut model = Mlp::<f32>::new(&[784, 32, 10], &mut rng);
        let mut adam = Adam::new(0.0);
        let history = train(&mut model, &data, &mut adam, &setup, &mut rng, &mut ());
        assert!(history.diverged(), "{:?}", history.batch_losses);
        assert!(
            history.batch_losses.len() < 30,
            "{:?}",
            history.batch_losses
        );
        assert!(
            history.batch_losses[..history.batch_losses.len() - 1]
                .iter()
                .all(|l| l.is_finite())
        );
    }

    #[test]
    fn the_linear_schedule_ends_at_zero() {
        let total = 10;
        let rates: Vec<f64> = (0..=total)
            .map(|t| learning_rate_at(Schedule::Linear, 1.0, t, total))
            .collect();
        assert_eq!(rates[0], 1.0);
        assert_eq!(rates[total], 0.0);
        assert!(rates.windows(2).all(|w| w[1] < w[0]));
    }

    #[test]
    fn every_order_is_possible_and_none_is_favoured() {
        let mut rng = seeded_rng::rng(3);
        let mut counts = HashMap::new();
        for _ in 0..6000 {
            *counts.entry(permutation(3, &mut rng)).or_insert(0) += 1;
        }
        assert_eq!(counts.len(), 6);
        assert!(
            counts.values().all(|&c| (800..1200).contains(&c)),
            "{counts:?}"
        );
    }
}
