//! # Loss
//!
//! A loss is one number that says how wrong a network is: it shrinks as the network gets better,
//! and it changes smoothly when a weight changes, so later chapters can follow its slope. This
//! chapter writes the two losses of the classic books, mean squared error and cross-entropy
//! (with class indices or one-hot rows as targets, clipping, and the mean over a batch), then
//! accuracy and two distances, and shows why accuracy, the number we care about, cannot be the
//! loss.
//!
//! Run the chapter: `cargo run -p ch05_loss` (the classic worked values, clipping, distances,
//! a weight sweep, and two figures in `target/figures/ch05_loss/`).

pub mod exercises;
pub mod plots;

use ch03_layers::{float, Dense, Float};
use ndarray::{array, Array1, Array2, ArrayRef1, ArrayRef2};

// ANCHOR: mean_squared_error
/// Mean squared error of one prediction `y` against its target `t`, as *Deep Learning from
/// Scratch* defines it: half the sum of the squared differences.
///
/// ```text
/// E = ½ Σₖ (yₖ − tₖ)²
/// ```
///
/// NumPy (DLFS): `0.5 * np.sum((y - t)**2)`.
///
/// ```
/// use ch05_loss::mean_squared_error;
/// use ndarray::array;
/// let y = array![0.1_f64, 0.05, 0.6, 0.0, 0.05, 0.1, 0.0, 0.1, 0.0, 0.0];
/// let t = array![0.0, 0.0, 1.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0]; // the answer is class 2
/// // ½ (0.1² + 0.05² + 0.4² + 0.05² + 0.1² + 0.1²) = ½ · 0.195
/// assert!((mean_squared_error(&y, &t) - 0.0975).abs() < 1e-12);
/// ```
///
/// # Panics
/// If `y` and `t` have different lengths.
pub fn mean_squared_error<F: Float>(y: &ArrayRef1<F>, t: &ArrayRef1<F>) -> F {
    assert_eq!(
        y.len(),
        t.len(),
        "a prediction of shape {:?} and a target of shape {:?} must have the same length",
        y.shape(),
        t.shape()
    );
    let d = y - t;
    float::<F>(0.5) * (&d * &d).sum()
}

/// Mean squared error of a batch, one sample per row: the mean over the rows of
/// [`mean_squared_error`].
///
/// ```text
/// L = (1/N) Σₙ ½ Σₖ (yₙₖ − tₙₖ)²
/// ```
///
/// ```
/// use ch05_loss::mean_squared_error_batch;
/// use ndarray::array;
/// let y = array![[0.5, 0.5], [1.0, 0.0]];
/// let t = array![[1.0, 0.0], [1.0, 0.0]];
/// // row 0: ½ (0.25 + 0.25) = 0.25; row 1: 0; mean 0.125
/// assert_eq!(mean_squared_error_batch(&y, &t), 0.125);
/// ```
///
/// # Panics
/// If `y` and `t` have different shapes, or the batch is empty.
pub fn mean_squared_error_batch<F: Float>(y: &ArrayRef2<F>, t: &ArrayRef2<F>) -> F {
    assert_eq!(
        y.shape(),
        t.shape(),
        "predictions of shape {:?} and targets of shape {:?} must have the same shape",
        y.shape(),
        t.shape()
    );
    let losses: Array1<F> = y
        .rows()
        .into_iter()
        .zip(t.rows())
        .map(|(y_n, t_n)| mean_squared_error(&y_n, &t_n))
        .collect();
    batch_mean(&losses)
}
// ANCHOR_END: mean_squared_error

// ANCHOR: batch_mean
/// The mean of the per-sample losses of a batch: the one number the network is judged by.
///
/// ```text
/// L = (1/N) Σₙ Lₙ
/// ```
///
/// NumPy: `np.mean(losses)`.
///
/// ```
/// use ndarray::array;
/// assert_eq!(ch05_loss::batch_mean(&array![1.0, 2.0, 6.0]), 3.0);
/// ```
///
/// # Panics
/// If there are no losses: an empty batch has no mean.
pub fn batch_mean<F: Float>(losses: &ArrayRef1<F>) -> F {
    assert!(
        !losses.is_empty(),
        "an empty batch (shape [0]) has no mean loss"
    );
    losses.sum() / float(losses.len() as f64)
}
// ANCHOR_END: batch_mean

// ANCHOR: clip
/// How close to 0 and to 1 a predicted probability may come before we take its logarithm.
pub const CLIP: f64 = 1e-7;

/// A predicted probability clipped to `[1e−7, 1 − 1e−7]`.
///
/// The low end keeps `−ln p` finite: `−ln 0 = ∞`, and one infinite sample makes the whole
/// batch's mean infinite. The high end is there for symmetry: a confident right answer is not
/// rewarded past `1 − 1e−7`, just as a confident wrong one is not punished past `1e−7`, so
/// clipping does not pull the mean loss one way. A NaN stays NaN, so a network that has
/// diverged is not hidden behind a finite loss.
///
/// ```text
/// clip(p) = min(max(p, 1e−7), 1 − 1e−7)
/// ```
///
/// NumPy (nnfs): `np.clip(p, 1e-7, 1 - 1e-7)`.
///
/// ```
/// use ch05_loss::clip_probability;
/// assert_eq!(clip_probability(0.0), 1e-7);
/// assert_eq!(clip_probability(1.0), 1.0 - 1e-7);
/// assert_eq!(clip_probability(0.25), 0.25);
/// assert!(clip_probability(f64::NAN).is_nan());
/// ```
pub fn clip_probability<F: Float>(p: F) -> F {
    let (low, high) = (float(CLIP), float(1.0 - CLIP));
    if p < low {
        low
    } else if p > high {
        high
    } else {
        p
    }
}
// ANCHOR_END: clip

// ANCHOR: cross_entropy
/// The cross-entropy loss of each sample of a batch, targets given as class indices: minus the
/// logarithm of the (clipped) probability the network gave the right class.
///
/// ```text
/// Lₙ = −ln clip(yₙ,ₜₙ)
/// ```
///
/// NumPy (nnfs): `-np.log(np.clip(y, 1e-7, 1 - 1e-7)[range(len(y)), t])`.
///
/// ```
/// use ch05_loss::cross_entropy_losses;
/// use ndarray::array;
/// let y = array![[0.7_f64, 0.1, 0.2], [0.1, 0.5, 0.4], [0.02, 0.9, 0.08]];
/// let losses = cross_entropy_losses(&y, &[0, 1, 1]); // −ln 0.7, −ln 0.5, −ln 0.9
/// assert!((losses[0] - 0.35667494).abs() < 1e-8);
/// assert!((losses[1] - 0.69314718).abs() < 1e-8);
/// assert!((losses[2] - 0.10536052).abs() < 1e-8);
/// ```
///
/// # Panics
/// If there is not one target per row, or a target is not a column of `y`.
pub fn cross_entropy_losses<F: Float>(y: &ArrayRef2<F>, t: &[usize]) -> Array1<F> {
    assert_eq!(
        y.nrows(),
        t.len(),
        "predictions of shape {:?} need one class index per row, got targets of shape {:?}",
        y.shape(),
        [t.len()]
    );
    y.rows()
        .into_iter()
        .zip(t)
        .enumerate()
        .map(|(n, (y_n, &class))| {
            assert!(
                class < y.ncols(),
                "class index {class} of sample {n} is not a column of predictions of shape {:?}",
                y.shape()
            );
            -clip_probability(y_n[class]).ln()
        })
        .collect()
}

/// The cross-entropy loss of each sample of a batch, targets given as one-hot rows (or any
/// probability distribution per row): the target-weighted sum of minus the logarithms.
///
/// ```text
/// Lₙ = −Σₖ tₙₖ ln clip(yₙₖ)
/// ```
///
/// With a one-hot row every term but one is zero, and what is left is the same number as
/// [`cross_entropy_losses`] gives for the class index.
///
/// NumPy (DLFS): `-np.sum(t * np.log(y + 1e-7))`, one sample at a time.
///
/// ```
/// use ch05_loss::{cross_entropy_losses_one_hot, one_hot};
/// use ndarray::array;
/// let y = array![[0.7_f64, 0.1, 0.2], [0.1, 0.5, 0.4]];
/// let losses = cross_entropy_losses_one_hot(&y, &one_hot(&[0, 1], 3));
/// assert!((losses[0] - 0.35667494).abs() < 1e-8);
/// assert!((losses[1] - 0.69314718).abs() < 1e-8);
/// ```
///
/// # Panics
/// If `y` and `t` have different shapes.
pub fn cross_entropy_losses_one_hot<F: Float>(y: &ArrayRef2<F>, t: &ArrayRef2<F>) -> Array1<F> {
    assert_eq!(
        y.shape(),
        t.shape(),
        "predictions of shape {:?} and one-hot targets of shape {:?} must have the same shape",
        y.shape(),
        t.shape()
    );
    let log_y = y.mapv(|p| clip_probability(p).ln());
    -(t * log_y).sum_axis(ndarray::Axis(1))
}

/// The mean cross-entropy loss of a batch, targets given as class indices.
///
/// ```text
/// L = (1/N) Σₙ −ln clip(yₙ,ₜₙ)
/// ```
///
/// ```
/// use ch05_loss::cross_entropy;
/// use ndarray::array;
/// let y = array![[0.7_f64, 0.1, 0.2], [0.1, 0.5, 0.4], [0.02, 0.9, 0.08]];
/// assert!((cross_entropy(&y, &[0, 1, 1]) - 0.38506088).abs() < 1e-8);
/// ```
///
/// # Panics
/// As [`cross_entropy_losses`], and if the batch is empty.
pub fn cross_entropy<F: Float>(y: &ArrayRef2<F>, t: &[usize]) -> F {
    batch_mean(&cross_entropy_losses(y, t))
}

/// The mean cross-entropy loss of a batch, targets given as one-hot rows; the same number as
/// [`cross_entropy`] gives for the matching class indices.
///
/// ```text
/// L = (1/N) Σₙ −Σₖ tₙₖ ln clip(yₙₖ)
/// ```
///
/// ```
/// use ch05_loss::{cross_entropy, cross_entropy_one_hot, one_hot};
/// use ndarray::array;
/// let y = array![[0.7, 0.1, 0.2], [0.1, 0.5, 0.4], [0.02, 0.9, 0.08]];
/// let t = [0, 1, 1];
/// assert_eq!(cross_entropy_one_hot(&y, &one_hot(&t, 3)), cross_entropy(&y, &t));
/// ```
///
/// # Panics
/// As [`cross_entropy_losses_one_hot`], and if the batch is empty.
pub fn cross_entropy_one_hot<F: Float>(y: &ArrayRef2<F>, t: &ArrayRef2<F>) -> F {
    batch_mean(&cross_entropy_losses_one_hot(y, t))
}
// ANCHOR_END: cross_entropy

// ANCHOR: one_hot
/// Class indices as one-hot rows: row `n` is all zeros except a 1 in column `t[n]`.
///
/// ```text
/// tₙₖ = 1 if k = tₙ, else 0
/// ```
///
/// NumPy: `np.eye(classes)[t]`.
///
/// ```
/// use ndarray::array;
/// let t = ch05_loss::one_hot::<f64>(&[0, 2], 3);
/// assert_eq!(t, array![[1.0, 0.0, 0.0], [0.0, 0.0, 1.0]]);
/// ```
///
/// # Panics
/// If an index is not below `classes`.
pub fn one_hot<F: Float>(t: &[usize], classes: usize) -> Array2<F> {
    let mut rows = Array2::zeros((t.len(), classes));
    for (n, &class) in t.iter().enumerate() {
        assert!(
            class < classes,
            "class index {class} of sample {n} does not fit one-hot rows of shape {:?}",
            [t.len(), classes]
        );
        rows[[n, class]] = F::one();
    }
    rows
}
// ANCHOR_END: one_hot

// ANCHOR: accuracy
/// The index of the largest value in each row: the class the network predicts for each sample.
/// A tie goes to the first of the largest, as in NumPy.
///
/// ndarray has no `argmax` in its core (the `ndarray-stats` crate has one), so this is a loop.
///
/// NumPy: `np.argmax(y, axis=1)`.
///
/// ```
/// use ch05_loss::argmax_rows;
/// use ndarray::array;
/// let y = array![[0.7, 0.2, 0.1], [0.5, 0.1, 0.4], [0.02, 0.9, 0.08], [0.4, 0.4, 0.2]];
/// assert_eq!(argmax_rows(&y), [0, 0, 1, 0]);
/// ```
///
/// # Panics
/// If the rows are empty (zero columns).
pub fn argmax_rows<F: Float>(y: &ArrayRef2<F>) -> Vec<usize> {
    assert!(
        y.ncols() > 0,
        "rows of predictions of shape {:?} have no largest value",
        y.shape()
    );
    y.rows()
        .into_iter()
        .map(|row| {
            let mut best = 0;
            for (k, &value) in row.iter().enumerate() {
                if value > row[best] {
                    best = k;
                }
            }
            best
        })
        .collect()
}

/// The fraction of samples whose predicted class, the argmax of their row, is the target.
///
/// ```text
/// accuracy = (1/N) · #{n : argmaxₖ yₙₖ = tₙ}
/// ```
///
/// NumPy (nnfs): `np.mean(np.argmax(y, axis=1) == t)`. With one-hot targets, pass
/// `argmax_rows(&t)` as the class indices.
///
/// ```
/// use ch05_loss::accuracy;
/// use ndarray::array;
/// let y = array![[0.7, 0.2, 0.1], [0.5, 0.1, 0.4], [0.02, 0.9, 0.08]];
/// assert_eq!(accuracy(&y, &[0, 1, 1]), 2.0 / 3.0); // predictions [0, 0, 1]
/// ```
///
/// # Panics
/// If there is not one target per row, or the batch is empty.
pub fn accuracy<F: Float>(y: &ArrayRef2<F>, t: &[usize]) -> f64 {
    assert_eq!(
        y.nrows(),
        t.len(),
        "predictions of shape {:?} need one class index per row, got targets of shape {:?}",
        y.shape(),
        [t.len()]
    );
    assert!(
        !t.is_empty(),
        "an empty batch (shape {:?}) has no accuracy",
        y.shape()
    );
    let correct = argmax_rows(y)
        .iter()
        .zip(t)
        .filter(|(predicted, target)| predicted == target)
        .count();
    correct as f64 / t.len() as f64
}
// ANCHOR_END: accuracy

// ANCHOR: distances
/// The Euclidean distance between two vectors: the length of the straight line from one to
/// the other. Half its square is [`mean_squared_error`].
///
/// ```text
/// d₂(a, b) = √(Σₖ (aₖ − bₖ)²)
/// ```
///
/// NumPy: `np.linalg.norm(a - b)`.
///
/// ```
/// use ch05_loss::euclidean_distance;
/// use ndarray::array;
/// assert_eq!(euclidean_distance(&array![0.0, 0.0], &array![3.0, 4.0]), 5.0);
/// ```
///
/// # Panics
/// If `a` and `b` have different lengths.
pub fn euclidean_distance<F: Float>(a: &ArrayRef1<F>, b: &ArrayRef1<F>) -> F {
    assert_same_length(a, b);
    let d = a - b;
    (&d * &d).sum().sqrt()
}

/// The Manhattan distance between two vectors: the sum of the absolute differences, the way a
/// taxi drives through a grid of streets.
///
/// ```text
/// d₁(a, b) = Σₖ |aₖ − bₖ|
/// ```
///
/// NumPy: `np.sum(np.abs(a - b))`.
///
/// ```
/// use ch05_loss::manhattan_distance;
/// use ndarray::array;
/// assert_eq!(manhattan_distance(&array![0.0, 0.0], &array![3.0, -4.0]), 7.0);
/// ```
///
/// # Panics
/// If `a` and `b` have different lengths.
pub fn manhattan_distance<F: Float>(a: &ArrayRef1<F>, b: &ArrayRef1<F>) -> F {
    assert_same_length(a, b);
    (a - b).mapv(F::abs).sum()
}

fn assert_same_length<F>(a: &ArrayRef1<F>, b: &ArrayRef1<F>) {
    assert_eq!(
        a.len(),
        b.len(),
        "vectors of shapes {:?} and {:?} must have the same length",
        a.shape(),
        b.shape()
    );
}
// ANCHOR_END: distances

// ANCHOR: network
/// The network of the activations chapter, `Dense → ReLU → Dense → softmax`, used here to
/// classify: one row of class probabilities per sample of `x`.
pub use ch04_activations::forward_pass as classify;

/// A 2-1-3 network with weights chosen by hand to sort vertical data (three clouds centred at
/// x₀ = 0, ⅓ and ⅔) by their first coordinate.
///
/// Its one hidden neuron passes on `h = relu(x₀)`; the three class scores are
///
/// ```text
/// z₀ = 0,   z₁ = 6h − 1,   z₂ = w·h − 4,   w = 12
/// ```
///
/// Class 1 beats class 0 from `x₀ = 1/6` on, and class 2 beats class 1 from `x₀ = 1/2` on
/// (where `12h − 4 = 6h − 1`): both boundaries fall halfway between the clouds.
///
/// ```
/// use ch05_loss::{argmax_rows, classify, vertical_sorter};
/// use ndarray::array;
/// let (dense1, dense2) = vertical_sorter::<f32>();
/// let y = classify(&array![[0.0, 0.5], [0.33, 0.5], [0.67, 0.5]], &dense1, &dense2);
/// assert_eq!(argmax_rows(&y), [0, 1, 2]);
/// ```
pub fn vertical_sorter<F: Float>() -> (Dense<F>, Dense<F>) {
    let dense1 = Dense::from_parts(
        array![[1.0], [0.0]].mapv(float), // (inputs 2, hidden 1): h = relu(x₀)
        array![0.0].mapv(float),
    );
    let dense2 = Dense::from_parts(
        array![[0.0, 6.0, SORTER_W]].mapv(float), // (hidden 1, classes 3)
        array![0.0, -1.0, -4.0].mapv(float),
    );
    (dense1, dense2)
}

/// The weight `w` from the hidden neuron to class 2 in [`vertical_sorter`].
pub const SORTER_W: f64 = 12.0;
/// Where `w` sits in `dense2.weights`: (hidden neuron, class).
pub const SORTER_W_INDEX: (usize, usize) = (0, 2);
// ANCHOR_END: network

// ANCHOR: sweep
/// The loss and the accuracy of a network at one value of a weight.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct SweepPoint {
    pub weight: f64,
    pub loss: f64,
    pub accuracy: f64,
}

/// Sets the weight `dense2.weights[index]` to each of `values` in turn, and measures the
/// cross-entropy loss and the accuracy of [`classify`] on the batch `x` with targets `t`.
///
/// # Panics
/// If `index` is not in `dense2.weights`, or as [`classify`] and [`cross_entropy`].
pub fn sweep_weight<F: Float>(
    x: &Array2<F>,
    t: &[usize],
    dense1: &Dense<F>,
    dense2: &Dense<F>,
    index: (usize, usize),
    values: &[f64],
) -> Vec<SweepPoint> {
    let mut dense2 = dense2.clone();
    values
        .iter()
        .map(|&weight| {
            dense2.weights[index] = float(weight);
            let y = classify(x, dense1, &dense2);
            SweepPoint {
                weight,
                loss: cross_entropy(&y, t)
                    .to_f64()
                    .expect("a float converts to f64"),
                accuracy: accuracy(&y, t),
            }
        })
        .collect()
}
// ANCHOR_END: sweep

#[cfg(test)]
// The tests quote the classic books' values, such as 2.3026 = ln 10, to the books' digits.
#[allow(clippy::approx_constant)]
mod tests {
    use super::*;
    use ndarray::{array, Axis};

    /// The prediction of *Deep Learning from Scratch* 4.2: "2" is the most likely digit.
    fn dlfs_prediction() -> Array1<f64> {
        array![0.1, 0.05, 0.6, 0.0, 0.05, 0.1, 0.0, 0.1, 0.0, 0.0]
    }

    fn close(a: f64, b: f64, tolerance: f64) -> bool {
        (a - b).abs() < tolerance
    }

    #[test]
    fn mean_squared_error_matches_the_classic_values() {
        let y = dlfs_prediction();
        let t2 = one_hot::<f64>(&[2], 10).row(0).to_owned();
        let t7 = one_hot::<f64>(&[7], 10).row(0).to_owned();
        assert!(close(mean_squared_error(&y, &t2), 0.0975, 1e-12));
        assert!(close(mean_squared_error(&y, &t7), 0.5975, 1e-12));
    }

    #[test]
    fn cross_entropy_matches_the_classic_values() {
        let y = dlfs_prediction().insert_axis(Axis(0));
        assert!(close(cross_entropy(&y, &[2]), 0.5108, 1e-4));
        assert!(close(cross_entropy(&y, &[7]), 2.3026, 1e-4));
        assert!(close(cross_entropy(&y, &[2]), -(0.6f64).ln(), 1e-15));
    }

    #[test]
    fn cross_entropy_matches_the_nnfs_batch() {
        let y = array![[0.7, 0.1, 0.2], [0.1, 0.5, 0.4], [0.02, 0.9, 0.08]];
        let losses = cross_entropy_losses(&y, &[0, 1, 1]);
        for (loss, expected) in losses.iter().zip([0.35667494, 0.69314718, 0.10536052]) {
            assert!(close(*loss, expected, 1e-8), "{loss} vs {expected}");
        }
        assert!(close(cross_entropy(&y, &[0, 1, 1]), 0.38506088, 1e-8));
    }

    #[test]
    fn index_and_one_hot_targets_give_the_same_loss() {
        let y = array![
            [0.7f32, 0.1, 0.2],
            [0.1, 0.5, 0.4],
            [0.02, 0.9, 0.08],
            [0.0, 1.0, 0.0]
        ];
        let t = [0, 1, 1, 0];
        assert_eq!(
            cross_entropy_losses(&y, &t),
            cross_entropy_losses_one_hot(&y, &one_hot(&t, 3))
        );
    }

    #[test]
    fn clipping_keeps_the_loss_finite_and_bounded() {
        let y = array![[0.0, 1.0], [1.0, 0.0]];
        let losses = cross_entropy_losses(&y, &[0, 0]);
        assert!(close(losses[0], -(1e-7f64).ln(), 1e-12)); // ≈ 16.118
        assert!(close(losses[1], -(1.0 - 1e-7f64).ln(), 1e-15)); // ≈ 1e-7, not 0
        assert!(losses[1] > 0.0);
        let one_hot_losses = cross_entropy_losses_one_hot(&y, &one_hot(&[0, 0], 2));
        assert!(one_hot_losses.iter().all(|l| l.is_finite()));
    }

    #[test]
    fn a_nan_prediction_gives_a_nan_loss() {
        let y = array![[f64::NAN, 0.5]];
        assert!(cross_entropy(&y, &[0]).is_nan());
    }

    #[test]
    fn accuracy_matches_nnfs() {
        let y = array![[0.7, 0.2, 0.1], [0.5, 0.1, 0.4], [0.02, 0.9, 0.08]];
        assert_eq!(argmax_rows(&y), [0, 0, 1]);
        assert!(close(accuracy(&y, &[0, 1, 1]), 0.6666666666666666, 1e-15));
    }

    #[test]
    fn argmax_takes_the_first_of_equal_values() {
        assert_eq!(
            argmax_rows(&array![[1.0, 3.0, 3.0], [2.0, 2.0, 2.0]]),
            [1, 0]
        );
    }

    #[test]
    fn argmax_of_one_hot_rows_gives_back_the_indices() {
        let t = [2, 0, 1, 1];
        assert_eq!(argmax_rows(&one_hot::<f32>(&t, 3)), t);
    }

    #[test]
    fn mean_squared_error_is_half_the_squared_euclidean_distance() {
        let y = dlfs_prediction();
        let t = one_hot::<f64>(&[7], 10).row(0).to_owned();
        let d = euclidean_distance(&y, &t);
        assert!(close(mean_squared_error(&y, &t), 0.5 * d * d, 1e-15));
    }

    #[test]
    fn distances_work_on_views_and_owned_arrays() {
        let x = array![[1.0, 2.0], [4.0, 6.0]];
        assert_eq!(euclidean_distance(&x.row(0), &x.row(1)), 5.0);
        assert_eq!(manhattan_distance(&x.row(1).to_owned(), &x.row(0)), 7.0);
    }

    #[test]
    fn batch_mean_squared_error_averages_the_rows() {
        let y = array![[0.1, 0.9], [0.8, 0.2]];
        let t = array![[0.0, 1.0], [1.0, 0.0]];
        let by_hand = (mean_squared_error(&y.row(0), &t.row(0))
            + mean_squared_error(&y.row(1), &t.row(1)))
            / 2.0;
        assert_eq!(mean_squared_error_batch(&y, &t), by_hand);
    }

    #[test]
    fn the_sorter_sorts_vertical_data() {
        let (x, t) = toy_datasets::vertical_data::<f32>(&mut seeded_rng::rng(0), 100, 3);
        let (dense1, dense2) = vertical_sorter::<f32>();
        let y = classify(&x, &dense1, &dense2);
        assert!(accuracy(&y, t.as_slice().unwrap()) > 0.9);
    }

    #[test]
    fn accuracy_is_flat_where_the_loss_is_not() {
        let (x, t) = toy_datasets::vertical_data::<f32>(&mut seeded_rng::rng(1), 20, 3);
        let (dense1, dense2) = vertical_sorter::<f32>();
        let values: Vec<f64> = (0..=400).map(|i| f64::from(i) * 0.1).collect();
        let sweep = sweep_weight(
            &x,
            t.as_slice().unwrap(),
            &dense1,
            &dense2,
            SORTER_W_INDEX,
            &values,
        );
        let steps = sweep.len() - 1;
        let loss_moves = sweep.windows(2).filter(|p| p[0].loss != p[1].loss).count();
        let accuracy_moves = sweep
            .windows(2)
            .filter(|p| p[0].accuracy != p[1].accuracy)
            .count();
        assert_eq!(loss_moves, steps);
        assert!(
            accuracy_moves < steps / 4,
            "accuracy moved on {accuracy_moves} of {steps} steps"
        );
    }

    #[test]
    fn the_sweep_puts_the_weight_back_at_each_value() {
        let x = array![[0.6f64, 0.5]];
        let (dense1, dense2) = vertical_sorter::<f64>();
        let at_sorter = sweep_weight(&x, &[2], &dense1, &dense2, SORTER_W_INDEX, &[SORTER_W]);
        let y = classify(&x, &dense1, &dense2);
        assert_eq!(at_sorter[0].loss, cross_entropy(&y, &[2]));
        assert_eq!(at_sorter[0].accuracy, 1.0);
    }

    #[test]
    #[should_panic(
        expected = "predictions of shape [2, 3] need one class index per row, got targets of shape [3]"
    )]
    fn cross_entropy_names_both_shapes() {
        cross_entropy(&Array2::<f64>::zeros((2, 3)), &[0, 1, 2]);
    }

    #[test]
    #[should_panic(
        expected = "class index 3 of sample 1 is not a column of predictions of shape [2, 3]"
    )]
    fn a_target_outside_the_classes_is_refused() {
        cross_entropy(&Array2::<f64>::zeros((2, 3)), &[0, 3]);
    }

    #[test]
    #[should_panic(expected = "predictions of shape [2, 3] and one-hot targets of shape [2, 2]")]
    fn one_hot_cross_entropy_names_both_shapes() {
        cross_entropy_one_hot(&Array2::<f64>::zeros((2, 3)), &Array2::zeros((2, 2)));
    }

    #[test]
    #[should_panic(expected = "a prediction of shape [3] and a target of shape [2]")]
    fn mean_squared_error_names_both_shapes() {
        mean_squared_error(&array![1.0, 2.0, 3.0], &array![1.0, 2.0]);
    }

    #[test]
    #[should_panic(expected = "vectors of shapes [1] and [2]")]
    fn distances_name_both_shapes() {
        manhattan_distance(&array![1.0], &array![1.0, 2.0]);
    }

    #[test]
    #[should_panic(expected = "an empty batch")]
    fn an_empty_batch_has_no_mean_loss() {
        cross_entropy(&Array2::<f64>::zeros((0, 3)), &[]);
    }
}
