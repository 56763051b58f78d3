//! Three sets: the examples a network trains on, the examples its settings are chosen on, and
//! the examples it is judged on once, at the end. *Deep Learning from Scratch* §6.5.1
//! (`shuffle_dataset`, then the first rows as validation data) and nnfs chapter 11 (a fresh
//! draw of spiral points to test on).

use ch03_layers::Float;
use ch09_backprop::MnistData;
use ndarray::{Array2, Axis};
use seeded_rng::Rng;

/// Some examples and their labels: `x` has one example per row, `t[i]` is the class of row `i`.
#[derive(Debug, Clone, PartialEq)]
pub struct Split<F> {
    pub x: Array2<F>, // (examples, features)
    pub t: Vec<usize>,
}

impl<F: Float> Split<F> {
    /// The rows `rows` of `x`, in that order, with their labels.
    ///
    /// NumPy: `x[rows], t[rows]`.
    ///
    /// ```
    /// use ch11_generalization::Split;
    /// use ndarray::array;
    /// let picked = Split::pick(&array![[0.0], [1.0], [2.0]], &[7, 8, 9], &[2, 0]);
    /// assert_eq!((picked.x, picked.t), (array![[2.0], [0.0]], vec![9, 7]));
    /// ```
    ///
    /// # Panics
    /// If a row is out of range of `x` or `t`.
    pub fn pick(x: &Array2<F>, t: &[usize], rows: &[usize]) -> Self {
        Split {
            x: x.select(Axis(0), rows),
            t: rows.iter().map(|&i| t[i]).collect(),
        }
    }

    /// How many examples the split holds.
    pub fn len(&self) -> usize {
        self.t.len()
    }

    /// Whether the split holds no example.
    pub fn is_empty(&self) -> bool {
        self.t.is_empty()
    }
}

/// Training, validation and test data.
///
/// The network learns its weights from `train`; every other choice (a learning rate, a
/// penalty's strength, when to stop) is made by comparing results on `validation`; `test` is
/// looked at once, for the final report.
#[derive(Debug, Clone, PartialEq)]
pub struct ThreeSets<F> {
    pub train: Split<F>,
    pub validation: Split<F>,
    pub test: Split<F>,
}

/// The numbers `0..n` in a random order, every order equally likely (the Fisher–Yates
/// shuffle).
///
/// NumPy: `np.random.permutation(n)`.
///
/// ```
/// let order = ch11_generalization::permutation(5, &mut seeded_rng::rng(0));
/// let mut sorted = order.clone();
/// sorted.sort();
/// assert_eq!(sorted, [0, 1, 2, 3, 4]);
/// ```
pub fn permutation(n: usize, rng: &mut impl Rng) -> Vec<usize> {
    let mut order: Vec<usize> = (0..n).collect();
    for i in (1..n).rev() {
        let j = rng.random_range(0..=i); // any of the first i + 1, this one included
        order.swap(i, j);
    }
    order
}

/// Three sets from MNIST: `train` and `validation` images drawn at random, without overlap,
/// from the 60,000 training images, and the first `test` of the 10,000 test images (all of
/// them unless the run is a quick one). The test images stay the ones MNIST set apart: they
/// were written by other people than the training images.
///
/// NumPy (DLFS §6.5.1): `x_train, t_train = shuffle_dataset(x_train, t_train)`, then
/// `x_val = x_train[:validation_num]`, `x_train = x_train[validation_num:]`.
///
/// ```
/// use ch09_backprop::MnistData;
/// use ndarray::Array2;
/// let data = MnistData {
///     x_train: Array2::<f32>::from_shape_fn((10, 2), |(i, _)| i as f32),
///     t_train: (0..10).collect(),
///     x_test: Array2::zeros((4, 2)),
///     t_test: vec![0; 4],
/// };
/// let sets = ch11_generalization::mnist_sets(&data, (3, 5, 4), &mut seeded_rng::rng(0));
/// assert_eq!((sets.train.len(), sets.validation.len(), sets.test.len()), (3, 5, 4));
/// // no training image is also a validation image: row i holds the number i, as its label
/// assert!(sets.train.t.iter().all(|t| !sets.validation.t.contains(t)));
/// assert_eq!(sets.train.x[[0, 0]] as usize, sets.train.t[0]);
/// ```
///
/// # Panics
/// If `train + validation` is more than the training images, or `test` more than the test
/// images.
// ANCHOR: mnist_sets
pub fn mnist_sets<F: Float>(
    data: &MnistData<F>,
    (train, validation, test): (usize, usize, usize),
    rng: &mut impl Rng,
) -> ThreeSets<F> {
    let available = data.t_train.len();
    assert!(
        train + validation <= available,
        "{train} training and {validation} validation images cannot come from {available}"
    );
    assert!(
        test <= data.t_test.len(),
        "{test} test images cannot come from {}",
        data.t_test.len()
    );
    let order = permutation(available, rng);
    let (train_rows, rest) = order.split_at(train);
    let test_rows: Vec<usize> = (0..test).collect();
    ThreeSets {
        train: Split::pick(&data.x_train, &data.t_train, train_rows),
        validation: Split::pick(&data.x_train, &data.t_train, &rest[..validation]),
        test: Split::pick(&data.x_test, &data.t_test, &test_rows),
    }
}
// ANCHOR_END: mnist_sets

/// Three sets of spiral points: three separate draws of nnfs's spiral data, `samples` points
/// per class each. Every draw has the same arms; the noise on each point's angle differs.
///
/// NumPy (nnfs chapter 11): `X, y = spiral_data(samples=100, classes=3)` to train, and again
/// `X_test, y_test = spiral_data(samples=100, classes=3)` to test.
///
/// ```
/// let sets = ch11_generalization::spiral_sets::<f64>(100, 3, &mut seeded_rng::rng(0));
/// assert_eq!(sets.validation.len(), 300);
/// assert_eq!(sets.train.t, sets.test.t); // the same classes, in the same order
/// assert_ne!(sets.train.x, sets.test.x); // but other points
/// ```
// ANCHOR: spiral_sets
pub fn spiral_sets<F: Float>(samples: usize, classes: usize, rng: &mut impl Rng) -> ThreeSets<F> {
    let mut draw = || {
        let (x, y) = toy_datasets::spiral_data(rng, samples, classes);
        Split { x, t: y.to_vec() }
    };
    ThreeSets {
        train: draw(),
        validation: draw(),
        test: draw(),
    }
}
// ANCHOR_END: spiral_sets
