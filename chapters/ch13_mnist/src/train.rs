//! Training: every image once per epoch in a new order, Adam with a learning rate that falls to
//! zero, and the loop that runs it, as *Deep Learning from Scratch*'s `common/trainer.py` does.

use std::time::Instant;

use ch03_layers::{Float, float};
use ch05_loss::argmax_rows;
use ch10_optimizers::{Adam, Optimizer};
use ndarray::Axis;
use seeded_rng::Rng;

use crate::data::Datasets;
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
/// batch's own forward pass while the weights were still moving; the accuracy on the validation
/// images after the epoch; and the wall-clock seconds since training began.
// ANCHOR: record
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct EpochRecord {
    pub epoch: usize, // counting from 1
    pub learning_rate: f64,
    pub loss: f64,
    pub train_accuracy: f64,
    pub validation_accuracy: f64,
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
    /// The validation accuracy after the last epoch, or `None` if the training diverged.
    pub fn final_validation_accuracy(&self) -> Option<f64> {
        match self.diverged() {
            true => None,
            false => self.epochs.last().map(|e| e.validation_accuracy),
        }
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
    data: &Datasets<F>,
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

/// Trains `model` on the training images of `data`, measuring its accuracy on the validation
/// images after every epoch.
///
/// Each epoch visits the training images in a new random order, `batch_size` at a time (the
/// images left over after the last full batch wait for the next epoch's order). Before each
/// step, the `schedule` sets the optimizer's learning rate.
///
/// NumPy (DLFS): the loop of `common/trainer.py`, with `batch_mask = np.random.permutation`.
///
/// ```
/// use ch13_mnist::{hold_out, train, Datasets, Mlp, Schedule, Setup};
/// use ch10_optimizers::Adam;
/// let mnist = mnist::load()?;
/// let mut rng = seeded_rng::rng(0);
/// let (rest, validation) = hold_out(&mnist.train, 1000, &mut rng);
/// let data = Datasets::<f32>::new(&rest.first(2000), &validation, &mnist.test);
/// let mut model = Mlp::new(&[784, 32, 10], &mut rng);
/// let setup = Setup { epochs: 2, batch_size: 100, learning_rate: 0.002, schedule: Schedule::Linear };
/// let history = train(&mut model, &data, &mut Adam::new(0.0), &setup, &mut rng, &mut ());
/// assert_eq!((history.epochs.len(), history.batch_losses.len()), (2, 40));
/// assert!(history.epochs[1].validation_accuracy > 0.6); // chance is 0.1
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
    data: &Datasets<F>,
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
            validation_accuracy: model.net.accuracy(&data.x_val, &data.t_val),
            seconds: started.elapsed().as_secs_f64(),
        };
        watcher.epoch_done(&record);
        history.epochs.push(record);
    }
    history
}
// ANCHOR_END: train

/// Short training runs, one per learning rate in `learning_rates`, to choose between them on
/// the validation images: each trains a new network as `setup` says, from the same first
/// weights and on the same batches (the generator seeded with `seed` each time), so that only
/// the learning rate differs. Returns each rate with its run's history.
///
/// ```
/// use ch13_mnist::{best_learning_rate, hold_out, try_learning_rates, Datasets, Schedule, Setup};
/// let mnist = mnist::load()?;
/// let (rest, validation) = hold_out(&mnist.train, 1000, &mut seeded_rng::rng(0));
/// let data = Datasets::<f32>::new(&rest.first(1000), &validation, &mnist.test);
/// let setup = Setup { epochs: 1, batch_size: 50, learning_rate: 0.0, schedule: Schedule::Linear };
/// let trials = try_learning_rates(&data, &[784, 32, 10], &setup, &[1e-7, 0.002], 0, &mut ());
/// assert_eq!(best_learning_rate(&trials), Some(0.002)); // 1e-7 barely moves the weights
/// # Ok::<(), mnist::MnistError>(())
/// ```
// ANCHOR: try_learning_rates
pub fn try_learning_rates<F: Float>(
    data: &Datasets<F>,
    sizes: &[usize],
    setup: &Setup,
    learning_rates: &[f64],
    seed: u64,
    watcher: &mut impl Watcher,
) -> Vec<(f64, History)> {
    let mut trials = Vec::new();
    for &learning_rate in learning_rates {
        let mut rng = seeded_rng::rng(seed); // the same first weights and batches for each
        let mut model = Mlp::<F>::new(sizes, &mut rng);
        let mut optimizer = Adam::new(float(learning_rate));
        let setup = Setup {
            learning_rate,
            ..*setup
        };
        let history = train(&mut model, data, &mut optimizer, &setup, &mut rng, watcher);
        trials.push((learning_rate, history));
    }
    trials
}

/// The learning rate whose trial reached the highest validation accuracy (the first of equals);
/// `None` if every trial diverged.
pub fn best_learning_rate(trials: &[(f64, History)]) -> Option<f64> {
    let mut best: Option<(f64, f64)> = None; // (learning rate, validation accuracy)
    for (learning_rate, history) in trials {
        let Some(accuracy) = history.final_validation_accuracy() else {
            continue; // diverged
        };
        if best.is_none_or(|(_, best_accuracy)| accuracy > best_accuracy) {
            best = Some((*learning_rate, accuracy));
        }
    }
    best.map(|(learning_rate, _)| learning_rate)
}
// ANCHOR_END: try_learning_rates

#[cfg(test)]
mod tests {
    use super::*;
    use ch10_optimizers::Adam;
    use std::collections::HashMap;

    /// The first `n` training images, 1000 validation images held out before, and the test set.
    fn small_data(n: usize) -> Datasets<f32> {
        let mnist = mnist::load().unwrap();
        let (rest, validation) = crate::hold_out(&mnist.train, 1000, &mut seeded_rng::rng(1));
        Datasets::new(&rest.first(n), &validation, &mnist.test)
    }

    #[test]
    fn training_is_reproducible_and_learns() {
        let data = small_data(1000);
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
        assert!(
            first.epochs[1].validation_accuracy > 0.6,
            "{:?}",
            first.epochs[1]
        );
    }

    #[test]
    fn a_learning_rate_far_too_large_diverges_and_stops_the_training() {
        let data = small_data(500);
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
        assert_eq!(history.final_validation_accuracy(), None);
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

    /// A history of one epoch that reached `accuracy` on the validation images, or diverged.
    fn trial(accuracy: f64, diverged: bool) -> History {
        let record = EpochRecord {
            epoch: 1,
            learning_rate: 0.0,
            loss: 0.1,
            train_accuracy: 0.9,
            validation_accuracy: accuracy,
            seconds: 1.0,
        };
        let last_loss = if diverged { f64::NAN } else { 0.1 };
        History {
            batch_losses: vec![0.2, last_loss],
            epochs: vec![record],
        }
    }

    #[test]
    fn the_best_learning_rate_is_the_one_with_the_best_validation_accuracy() {
        let trials = [
            (0.001, trial(0.95, false)),
            (0.002, trial(0.97, false)),
            (0.004, trial(0.99, true)), // diverged after its epoch: not a candidate
            (0.008, trial(0.97, false)),
        ];
        assert_eq!(best_learning_rate(&trials), Some(0.002));
        assert_eq!(best_learning_rate(&trials[2..3]), None);
        assert_eq!(best_learning_rate(&[]), None);
    }

    #[test]
    fn each_trial_starts_from_the_same_weights_and_batches() {
        let data = small_data(200);
        let setup = Setup {
            epochs: 1,
            batch_size: 50,
            learning_rate: 0.0,
            schedule: Schedule::Constant,
        };
        let trials = try_learning_rates(
            &data,
            &[784, 16, 10],
            &setup,
            &[0.001, 0.001, 0.01],
            3,
            &mut (),
        );
        let losses = |i: usize| &trials[i].1.batch_losses;
        assert_eq!(losses(0), losses(1));
        assert_ne!(losses(0), losses(2));
        assert_eq!(losses(0)[0], losses(2)[0]); // measured before the first step
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
