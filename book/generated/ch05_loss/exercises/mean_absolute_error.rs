//! Exercise: mean absolute error, the Manhattan distance turned into a loss.

use ch03_layers::{Float, float};
use ndarray::ArrayRef2;

use crate::batch_mean;

// ANCHOR: exercise
// ANCHOR: signature
/// Mean absolute error of a batch: each sample's loss is the mean of the absolute differences
/// over its outputs; the batch's loss is the mean over the samples.
///
/// ```text
/// Lₙ = (1/K) Σₖ |yₙₖ − tₙₖ|
/// L  = (1/N) Σₙ Lₙ
/// ```
///
/// # Panics
/// If `y` and `t` have different shapes, or the batch is empty.
pub fn mean_absolute_error<F: Float>(y: &ArrayRef2<F>, t: &ArrayRef2<F>) -> F {
    // ANCHOR_END: signature
    // ANCHOR: solution
    todo!("exercise mean_absolute_error")
    // ANCHOR_END: solution
}
// ANCHOR_END: exercise

#[cfg(test)]
mod tests {
    use super::mean_absolute_error;
    use crate::manhattan_distance;
    use ndarray::array;

    // ANCHOR: tests
    #[test]
    fn mean_absolute_error_averages_outputs_then_samples() {
        let y = array![[1.0, 2.0], [0.0, 0.0]];
        let t = array![[0.0, 4.0], [0.0, 1.0]];
        // row 0: (1 + 2) / 2 = 1.5; row 1: (0 + 1) / 2 = 0.5; mean 1.0
        assert_eq!(mean_absolute_error(&y, &t), 1.0);
    }

    #[test]
    fn a_perfect_prediction_has_zero_loss() {
        let y = array![[0.5f32, -2.0], [3.0, 1.0]];
        assert_eq!(mean_absolute_error(&y, &y), 0.0);
    }
    // ANCHOR_END: tests

    #[test]
    fn one_sample_is_the_manhattan_distance_over_the_outputs() {
        let y: ndarray::Array2<f64> = array![[0.1, 0.05, 0.6, 0.0]];
        let t = array![[0.0, 0.0, 1.0, 0.0]];
        let expected = manhattan_distance(&y.row(0), &t.row(0)) / 4.0;
        assert!((mean_absolute_error(&y, &t) - expected).abs() < 1e-15);
    }
}
