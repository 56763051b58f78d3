//! Training on MNIST with a validation split: *Deep Learning from Scratch*'s
//! `ch07/train_convnet.py` (Adam, batches of 100, every image once per epoch), with the last
//! 10,000 training images held out to choose by.

use ch03_layers::{Float, float};
use ch05_loss::argmax_rows;
use ch09_backprop::{MnistData, Sequential};
use ch10_optimizers::Optimizer;
use ndarray::{Array2, ArrayD, Axis, s};
use seeded_rng::Rng;

/// Images and their labels: one image a row.
#[derive(Debug, Clone, PartialEq)]
pub struct Split<F> {
    pub x: Array2<F>, // (N, 784)
    pub t: Vec<usize>,
}

/// MNIST in three parts: training, validation and test.
#[derive(Debug, Clone, PartialEq)]
pub struct Sets<F> {
    pub train: Split<F>,
    pub validation: Split<F>,
    pub test: Split<F>,
}

/// MNIST's 60,000 training images cut in two: the first ones to train on, the last
/// `validation` to choose with (Nielsen's split: 50,000 and 10,000). The 10,000 test images
/// stay apart, to be used once, at the end.
///
/// ```
/// use ch09_backprop::MnistData;
/// use ndarray::Array2;
/// let data = MnistData { x_train: Array2::<f32>::zeros((5, 2)), t_train: vec![0, 1, 2, 3, 4],
///                        x_test: Array2::zeros((1, 2)), t_test: vec![7] };
/// let sets = ch12_convolution::split_validation(&data, 2);
/// assert_eq!((sets.train.t.clone(), sets.validation.t.clone()), (vec![0, 1, 2], vec![3, 4]));
/// ```
///
/// # Panics
/// If `validation` is not less than the number of training images.
// ANCHOR: split
pub fn split_validation<F: Float>(data: &MnistData<F>, validation: usize) -> Sets<F> {
    let n = data.x_train.nrows();
    assert!(validation < n, "cannot hold out {validation} of {n} images");
    let cut = n - validation;
    Sets {
        train: Split {
            x: data.x_train.slice(s![..cut, ..]).to_owned(),
            t: data.t_train[..cut].to_vec(),
        },
        validation: Split {
            x: data.x_train.slice(s![cut.., ..]).to_owned(),
            t: data.t_train[cut..].to_vec(),
        },
        test: Split {
            x: data.x_test.clone(),
            t: data.t_test.clone(),
        },
    }
}
// ANCHOR_END: split

impl<F: Float> Split<F> {
    /// The first `n` images (all of them if there are fewer).
    pub fn first(&self, n: usize) -> Split<F> {
        let n = n.min(self.t.len());
        Split {
            x: self.x.slice(s![..n, ..]).to_owned(),
            t: self.t[..n].to_vec(),
        }
    }
}

/// What one epoch measured: the mean loss of its batches (each measured by its own forward
/// pass), the accuracy on the validation images after it, and its seconds of training.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Epoch {
    pub loss: f64,
    pub validation_accuracy: f64,
    pub seconds: f64,
}

/// What a training loop tells whoever watches it (a progress bar, or nobody: `()`).
pub trait Watcher {
    fn epoch_started(&mut self, _epoch: usize, _batches: usize) {}
    fn batch_done(&mut self, _loss: f64) {}
    fn epoch_done(&mut self, _epoch: usize, _record: &Epoch) {}
}

impl Watcher for () {}

/// The numbers `0..n` in a random order (Fisher–Yates).
///
/// NumPy: `np.random.permutation(n)`.
pub fn permutation(n: usize, rng: &mut impl Rng) -> Vec<usize> {
    let mut order: Vec<usize> = (0..n).collect();
    for i in (1..n).rev() {
        order.swap(i, rng.random_range(0..=i));
    }
    order
}

/// One epoch: every training image once, in a new random order, `batch_size` at a time (the
/// images left over after the last full batch are skipped this time). Before each step the
/// learning rate is set by `lr_at(step of the epoch, steps in the epoch)`. Returns the loss of
/// every batch.
///
/// NumPy (DLFS): `common/trainer.py`'s `train_step`, with `batch_mask` from a permutation.
///
/// # Panics
/// If `batch_size` is zero or larger than the training set.
// ANCHOR: train_epoch
pub fn train_epoch<F: Float>(
    net: &mut Sequential<F>,
    train: &Split<F>,
    optimizer: &mut dyn Optimizer<F>,
    (batch_size, lr_at): (usize, &dyn Fn(usize, usize) -> f64),
    rng: &mut impl Rng,
    watcher: &mut dyn Watcher,
) -> Vec<f64> {
    let order = permutation(train.t.len(), rng);
    let batches: Vec<&[usize]> = order.chunks_exact(batch_size).collect();
    let mut losses = Vec::new();
    for (step, rows) in batches.iter().enumerate() {
        let x = train.x.select(Axis(0), rows); // (batch, 784)
        let t: Vec<usize> = rows.iter().map(|&i| train.t[i]).collect();
        optimizer.set_learning_rate(float(lr_at(step, batches.len())));
        let loss = net.gradient(&x, &t);
        optimizer.update(net.params_and_grads());
        let loss = loss.to_f64().unwrap_or(f64::NAN);
        losses.push(loss);
        watcher.batch_done(loss);
    }
    losses
}
// ANCHOR_END: train_epoch

/// How a network is trained: epochs, batch size and the peak learning rate of Adam, which
/// falls in a straight line to zero over the run.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Setup {
    pub epochs: usize,
    pub batch_size: usize,
    pub learning_rate: f64,
}

/// A training run: [`train_epoch`] `epochs` times, the validation accuracy measured after
/// each, and in the end the network as it was after its best epoch on validation (early
/// stopping, chosen without looking at the test images). Returns every epoch's record and
/// the best epoch (counting from 1).
///
/// # Panics
/// If `setup.epochs` is zero.
// ANCHOR: train_run
pub fn train_run<F: Float>(
    net: &mut Sequential<F>,
    (train, validation): (&Split<F>, &Split<F>),
    optimizer: &mut dyn Optimizer<F>,
    setup: &Setup,
    rng: &mut impl Rng,
    watcher: &mut dyn Watcher,
) -> (Vec<Epoch>, usize) {
    let batches = train.t.len() / setup.batch_size; // per epoch
    let steps = setup.epochs * batches;
    let mut records = Vec::new();
    let mut best: Option<(f64, usize, Vec<ArrayD<F>>)> = None; // (score, epoch, parameters)
    for epoch in 0..setup.epochs {
        watcher.epoch_started(epoch + 1, batches);
        let started = std::time::Instant::now();
        let lr_at =
            |step: usize, _| linear_decay(setup.learning_rate, epoch * batches + step, steps);
        let losses = train_epoch(
            net,
            train,
            optimizer,
            (setup.batch_size, &lr_at),
            rng,
            watcher,
        );
        let record = Epoch {
            loss: losses.iter().sum::<f64>() / losses.len().max(1) as f64,
            validation_accuracy: accuracy(net, validation),
            seconds: started.elapsed().as_secs_f64(),
        };
        watcher.epoch_done(epoch + 1, &record);
        let score = record.validation_accuracy;
        if best.as_ref().is_none_or(|(top, ..)| score > *top) {
            best = Some((score, epoch + 1, snapshot(net)));
        }
        records.push(record);
    }
    let (_, best, saved) = best.expect("a run of at least one epoch");
    restore(net, &saved);
    (records, best)
}
// ANCHOR_END: train_run

/// The class the network gives each row of `x`, in batches of 50 rows (larger batches are
/// slower: the deeper network's second im2col matrix would outgrow the processor's caches).
pub fn predictions<F: Float>(net: &mut Sequential<F>, x: &Array2<F>) -> Vec<usize> {
    let mut predicted = Vec::new();
    for batch in x.axis_chunks_iter(Axis(0), 50) {
        predicted.extend(argmax_rows(&net.predict(&batch.to_owned())));
    }
    predicted
}

/// The fraction of `split` the network classifies right.
pub fn accuracy<F: Float>(net: &mut Sequential<F>, split: &Split<F>) -> f64 {
    let predicted = predictions(net, &split.x);
    let right = predicted
        .iter()
        .zip(&split.t)
        .filter(|(p, t)| p == t)
        .count();
    right as f64 / split.t.len().max(1) as f64
}

/// A copy of every parameter of the network.
pub fn snapshot<F: Float>(net: &mut Sequential<F>) -> Vec<ArrayD<F>> {
    let params = net.params_and_grads();
    params.into_iter().map(|(p, _)| p.to_owned()).collect()
}

/// Puts back parameters that [`snapshot`] copied.
///
/// # Panics
/// If they are not the same network's.
pub fn restore<F: Float>(net: &mut Sequential<F>, saved: &[ArrayD<F>]) {
    let params = net.params_and_grads();
    assert_eq!(params.len(), saved.len(), "a snapshot of another network");
    for ((mut p, _), s) in params.into_iter().zip(saved) {
        p.assign(s);
    }
}

/// The learning rate at `step` of `steps`: from `peak` down to zero in a straight line.
///
/// ```
/// assert_eq!(ch12_convolution::linear_decay(0.002, 0, 100), 0.002);
/// assert_eq!(ch12_convolution::linear_decay(0.002, 75, 100), 0.0005);
/// ```
pub fn linear_decay(peak: f64, step: usize, steps: usize) -> f64 {
    peak * (1.0 - step as f64 / steps.max(1) as f64)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{Block, conv_net};
    use ch10_optimizers::{Adam, Init};

    #[test]
    fn a_permutation_holds_every_index_once() {
        let mut order = permutation(50, &mut seeded_rng::rng(0));
        order.sort();
        assert_eq!(order, (0..50).collect::<Vec<_>>());
    }

    #[test]
    fn a_small_conv_net_learns_a_toy_task() {
        // Class 1 has a bright vertical bar, class 0 a horizontal one, anywhere in a 6×6 image.
        let mut rng = seeded_rng::rng(1);
        let (n, side) = (200, 6);
        let mut x = Array2::<f32>::zeros((n, side * side));
        let t: Vec<usize> = (0..n).map(|i| i % 2).collect();
        for (i, mut row) in x.rows_mut().into_iter().enumerate() {
            let at = rng.random_range(0..side);
            for k in 0..side {
                let (r, c) = if t[i] == 1 { (k, at) } else { (at, k) };
                row[r * side + c] = 1.0;
            }
        }
        let split = Split { x, t };
        let blocks = [
            Block::Conv {
                filters: 4,
                size: 3,
                pad: 1,
            },
            Block::Relu,
            Block::Pool,
            Block::Affine { outputs: 2 },
        ];
        let mut net = conv_net::<f32>(&blocks, (1, 6, 6), Init::He, &mut rng);
        let mut adam = Adam::new(0.01);
        for _ in 0..10 {
            let lr = |_: usize, _: usize| 0.01;
            train_epoch(&mut net, &split, &mut adam, (20, &lr), &mut rng, &mut ());
        }
        assert!(accuracy(&mut net, &split) > 0.95);
    }

    #[test]
    fn restore_puts_back_the_snapshot() {
        let mut rng = seeded_rng::rng(2);
        let blocks = [Block::Affine { outputs: 3 }];
        let mut net = conv_net::<f64>(&blocks, (1, 2, 2), Init::He, &mut rng);
        let saved = snapshot(&mut net);
        for (mut p, _) in net.params_and_grads() {
            p.fill(7.0);
        }
        restore(&mut net, &saved);
        assert_eq!(snapshot(&mut net), saved);
    }
}
