//! The two losses of the classic books: mean squared error and cross-entropy (with class indices
//! or one-hot rows as targets), clipping, and the mean over a batch — what *Deep Learning from
//! Scratch* keeps in `common/functions.py` and *Neural Networks from Scratch* in its `Loss`
//! classes.

use ch03_layers::{Float, float};
use ndarray::{Array1, Array2, ArrayRef1, ArrayRef2, Axis};

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
/// If `y` and `t` have different lengths (the message names both shapes).
// ANCHOR: mean_squared_error
pub fn mean_squared_error<F: Float>(y: &ArrayRef1<F>, t: &ArrayRef1<F>) -> F {
    assert_eq!(y.shape(), t.shape(), "y and t differ in shape");
    let d = y - t;
    float::<F>(0.5) * (&d * &d).sum()
}
// ANCHOR_END: mean_squared_error

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
// ANCHOR: mean_squared_error_batch
pub fn mean_squared_error_batch<F: Float>(y: &ArrayRef2<F>, t: &ArrayRef2<F>) -> F {
    assert_eq!(y.shape(), t.shape(), "y and t differ in shape");
    let losses: Array1<F> = y
        .rows()
        .into_iter()
        .zip(t.rows())
        .map(|(y_n, t_n)| mean_squared_error(&y_n, &t_n))
        .collect();
    batch_mean(&losses)
}
// ANCHOR_END: mean_squared_error_batch

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
// ANCHOR: batch_mean
pub fn batch_mean<F: Float>(losses: &ArrayRef1<F>) -> F {
    assert!(!losses.is_empty(), "an empty batch has no mean loss");
    losses.sum() / float(losses.len() as f64)
}
// ANCHOR_END: batch_mean

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
// ANCHOR: clip
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
/// If there is not one target per row, or a target is not a column of `y` (the messages name
/// the shapes).
// ANCHOR: cross_entropy_losses
pub fn cross_entropy_losses<F: Float>(y: &ArrayRef2<F>, t: &[usize]) -> Array1<F> {
    check_targets(y, t);
    let p: Array1<F> = t.iter().enumerate().map(|(n, &k)| y[[n, k]]).collect(); // y[range(N), t]
    p.mapv(|p| -clip_probability(p).ln())
}
// ANCHOR_END: cross_entropy_losses

/// Panics unless `t` holds one class index per row of `y`, each a column of `y`.
fn check_targets<F>(y: &ArrayRef2<F>, t: &[usize]) {
    assert_eq!(
        y.nrows(),
        t.len(),
        "predictions of shape {:?} need one class index per row, got targets of shape {:?}",
        y.shape(),
        [t.len()]
    );
    if let Some((n, class)) = t.iter().enumerate().find(|&(_, &k)| k >= y.ncols()) {
        panic!(
            "class index {class} of sample {n} is not a column of predictions of shape {:?}",
            y.shape()
        );
    }
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
/// If `y` and `t` have different shapes (the message names both).
// ANCHOR: cross_entropy_losses_one_hot
pub fn cross_entropy_losses_one_hot<F: Float>(y: &ArrayRef2<F>, t: &ArrayRef2<F>) -> Array1<F> {
    assert_eq!(y.shape(), t.shape(), "y and t differ in shape");
    let log_y = y.mapv(|p| clip_probability(p).ln());
    -(t * log_y).sum_axis(Axis(1))
}
// ANCHOR_END: cross_entropy_losses_one_hot

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
// ANCHOR: cross_entropy
pub fn cross_entropy<F: Float>(y: &ArrayRef2<F>, t: &[usize]) -> F {
    batch_mean(&cross_entropy_losses(y, t))
}
// ANCHOR_END: cross_entropy

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
// ANCHOR: cross_entropy_one_hot
pub fn cross_entropy_one_hot<F: Float>(y: &ArrayRef2<F>, t: &ArrayRef2<F>) -> F {
    batch_mean(&cross_entropy_losses_one_hot(y, t))
}
// ANCHOR_END: cross_entropy_one_hot

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
// ANCHOR: one_hot
pub fn one_hot<F: Float>(t: &[usize], classes: usize) -> Array2<F> {
    let mut rows = Array2::zeros((t.len(), classes));
    for (n, &k) in t.iter().enumerate() {
        assert!(k < classes, "class index {k} is not below {classes}");
        rows[[n, k]] = float(1.0);
    }
    rows
}
// ANCHOR_END: one_hot

#[cfg(test)]
// The tests quote the classic books' values, such as 2.3026 = ln 10, to the books' digits.
#[allow(clippy::approx_constant)]
mod tests {
    use super::*;
    use crate::euclidean_distance;
    use ndarray::array;

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
    fn mean_squared_error_is_half_the_squared_euclidean_distance() {
        let y = dlfs_prediction();
        let t = one_hot::<f64>(&[7], 10).row(0).to_owned();
        let d = euclidean_distance(&y, &t);
        assert!(close(mean_squared_error(&y, &t), 0.5 * d * d, 1e-15));
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
    #[should_panic(expected = "y and t differ in shape")]
    fn one_hot_cross_entropy_refuses_other_shapes() {
        cross_entropy_one_hot(&Array2::<f64>::zeros((2, 3)), &Array2::zeros((2, 2)));
    }

    #[test]
    fn a_shape_mismatch_names_both_shapes() {
        let panic = std::panic::catch_unwind(|| {
            mean_squared_error(&array![1.0, 2.0, 3.0], &array![1.0, 2.0]);
        });
        let message = *panic.unwrap_err().downcast::<String>().unwrap();
        assert!(message.contains("y and t differ in shape"));
        assert!(
            message.contains("left: [3]") && message.contains("right: [2]"),
            "{message}"
        );
    }

    #[test]
    #[should_panic(expected = "an empty batch")]
    fn an_empty_batch_has_no_mean_loss() {
        cross_entropy(&Array2::<f64>::zeros((0, 3)), &[]);
    }

    #[test]
    #[should_panic(expected = "class index 3 is not below 3")]
    fn one_hot_refuses_an_index_outside_the_classes() {
        one_hot::<f64>(&[3], 3);
    }
}
