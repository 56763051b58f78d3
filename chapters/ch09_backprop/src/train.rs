//! MNIST trained by backprop, with the protocol of *Deep Learning from Scratch*'s
//! `ch05/train_neuralnet.py`.

use std::time::Instant;

use ch03_layers::{Float, float};
use ndarray::Array2;
use seeded_rng::Rng;

use crate::{Sequential, sgd_step};

/// MNIST as the networks want it: images as rows of pixels in `[0, 1]`, labels as class
/// indices.
///
/// NumPy (DLFS): `load_mnist(normalize=True)`.
// ANCHOR: mnist_data
#[derive(Debug, Clone)]
pub struct MnistData<F> {
    pub x_train: Array2<F>, // (60000, 784)
    pub t_train: Vec<usize>,
    pub x_test: Array2<F>, //  (10000, 784)
    pub t_test: Vec<usize>,
}

impl<F: Float + From<u8>> MnistData<F> {
    pub fn new(mnist: &mnist::Mnist) -> Self {
        let labels = |split: &mnist::Split| split.labels.iter().map(|&l| usize::from(l)).collect();
        MnistData {
            x_train: mnist.train.images_normalised(),
            t_train: labels(&mnist.train),
            x_test: mnist.test.images_normalised(),
            t_test: labels(&mnist.test),
        }
    }
}
// ANCHOR_END: mnist_data

/// Copies rows `rows` of `x` into `batch`, in order, and their labels into `t_batch`: a
/// mini-batch gathered into buffers that are reused from step to step.
///
/// NumPy (DLFS): `x_batch = x_train[batch_mask]; t_batch = t_train[batch_mask]`.
///
/// ```
/// use ch09_backprop::gather_batch;
/// use ndarray::{array, Array2};
/// let x = array![[0.0, 1.0], [2.0, 3.0], [4.0, 5.0]];
/// let (mut batch, mut t_batch) = (Array2::zeros((2, 2)), Vec::new());
/// gather_batch(&x, &[7, 8, 9], &[2, 0], &mut batch, &mut t_batch);
/// assert_eq!(batch, array![[4.0, 5.0], [0.0, 1.0]]);
/// assert_eq!(t_batch, [9, 7]);
/// ```
///
/// # Panics
/// If `batch` does not have one row per index and `x`'s number of columns, or an index is out
/// of range.
// ANCHOR: gather_batch
pub fn gather_batch<F: Float>(
    x: &Array2<F>,
    t: &[usize],
    rows: &[usize],
    batch: &mut Array2<F>,
    t_batch: &mut Vec<usize>,
) {
    assert_eq!(
        batch.dim(),
        (rows.len(), x.ncols()),
        "a batch buffer's shape"
    );
    for (mut row, &i) in batch.rows_mut().into_iter().zip(rows) {
        row.assign(&x.row(i));
    }
    t_batch.clear();
    t_batch.extend(rows.iter().map(|&i| t[i]));
}
// ANCHOR_END: gather_batch

/// The hyperparameters of a training run on MNIST.
// ANCHOR: protocol
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Protocol {
    pub hidden: usize,
    pub weight_init_std: f64,
    pub learning_rate: f64,
    pub batch_size: usize,
    pub iterations: usize,
}

pub const DLFS_PROTOCOL: Protocol = Protocol {
    hidden: 50,
    weight_init_std: 0.01,
    learning_rate: 0.1,
    batch_size: 100,
    iterations: 10_000,
};
// ANCHOR_END: protocol

/// The accuracies measured at the end of one epoch.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct EpochAccuracy {
    /// How many iterations had run.
    pub iteration: usize,
    pub train: f64,
    pub test: f64,
}

/// What a training run recorded.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct TrainingRun {
    /// The loss of every batch, as computed by its own gradient step.
    pub losses: Vec<f64>,
    /// Train and test accuracy every epoch (every `60000 / batch_size` iterations, counting
    /// from the first), and once more after the last iteration.
    pub accuracies: Vec<EpochAccuracy>,
    /// Seconds spent training (drawing batches, backprop, updates), and evaluating.
    pub training_seconds: f64,
    pub evaluation_seconds: f64,
}

impl TrainingRun {
    /// Measures train and test accuracy after `iteration` iterations, reports them to
    /// `progress` and records them.
    fn evaluate<F: Float>(
        &mut self,
        net: &mut Sequential<F>,
        data: &MnistData<F>,
        iteration: usize,
        progress: &mut impl FnMut(&EpochAccuracy),
    ) {
        let started = Instant::now();
        let accuracy = EpochAccuracy {
            iteration,
            train: net.accuracy(&data.x_train, &data.t_train),
            test: net.accuracy(&data.x_test, &data.t_test),
        };
        self.evaluation_seconds += started.elapsed().as_secs_f64();
        progress(&accuracy);
        self.accuracies.push(accuracy);
    }
}

/// Trains `net` on MNIST by backprop and SGD, following `protocol`; evaluates train and test
/// accuracy every epoch if `evaluate` (DLFS does), and after the last iteration in any case.
/// `progress` is called after each evaluation.
///
/// NumPy (DLFS): `ch05/train_neuralnet.py`.
///
/// ```
/// use ch09_backprop::{train_mnist, two_layer_net, MnistData, Protocol, DLFS_PROTOCOL};
/// use ndarray::array;
/// let x = array![[1.0, 0.0], [0.0, 1.0]]; // two "images" of two pixels, classes 0 and 1
/// let data = MnistData { x_train: x.clone(), t_train: vec![0, 1], x_test: x, t_test: vec![0, 1] };
/// let protocol = Protocol { hidden: 4, weight_init_std: 0.5, learning_rate: 1.0, batch_size: 2, iterations: 100 };
/// let mut rng = seeded_rng::rng(0);
/// let mut net = two_layer_net::<f64>(2, 4, 2, 0.5, &mut rng);
/// let run = train_mnist(&mut net, &data, &protocol, false, &mut rng, |_| {});
/// assert_eq!((run.losses.len(), run.accuracies.len()), (100, 1)); // evaluated at the end only
/// assert_eq!(run.accuracies[0].test, 1.0);
/// ```
// ANCHOR: train_mnist
pub fn train_mnist<F: Float>(
    net: &mut Sequential<F>,
    data: &MnistData<F>,
    protocol: &Protocol,
    evaluate: bool,
    rng: &mut impl Rng,
    mut progress: impl FnMut(&EpochAccuracy),
) -> TrainingRun {
    let (x, t) = (&data.x_train, &data.t_train);
    let (train_size, batch_size) = (x.nrows(), protocol.batch_size);
    let iter_per_epoch = (train_size / batch_size).max(1);
    let lr = float::<F>(protocol.learning_rate);
    let mut run = TrainingRun::default();
    let started = Instant::now();
    let mut rows = vec![0; batch_size];
    let mut x_batch = Array2::zeros((batch_size, x.ncols()));
    let mut t_batch = Vec::with_capacity(batch_size);
    for i in 0..protocol.iterations {
        rows.fill_with(|| rng.random_range(0..train_size)); // np.random.choice
        gather_batch(x, t, &rows, &mut x_batch, &mut t_batch);
        let loss = net.gradient(&x_batch, &t_batch);
        sgd_step(net.params_and_grads(), lr);
        run.losses.push(loss.to_f64().unwrap_or(f64::NAN));
        if evaluate && i % iter_per_epoch == 0 {
            run.evaluate(net, data, i + 1, &mut progress);
        }
    }
    run.training_seconds = started.elapsed().as_secs_f64() - run.evaluation_seconds;
    run.evaluate(net, data, protocol.iterations, &mut progress);
    run
}
// ANCHOR_END: train_mnist
