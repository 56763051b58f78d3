//! Exercise: binary cross-entropy, for outputs that each answer a yes/no question.

use ch03_layers::{Float, float};
use ndarray::ArrayRef2;

use crate::{batch_mean, clip_probability};

// ANCHOR: exercise
// ANCHOR: signature
/// Binary cross-entropy of a batch: every output `yₙₖ` is the probability of "yes" for its own
/// question, and `tₙₖ` is 1 (yes) or 0 (no). Each sample's loss is the mean over its outputs;
/// the batch's loss is the mean over the samples. Clip the predictions as cross-entropy does.
///
/// ```text
/// Lₙ = −(1/K) Σₖ [tₙₖ ln clip(yₙₖ) + (1 − tₙₖ) ln(1 − clip(yₙₖ))]
/// L  = (1/N) Σₙ Lₙ
/// ```
///
/// # Panics
/// If `y` and `t` have different shapes, or the batch is empty.
pub fn binary_cross_entropy<F: Float>(y: &ArrayRef2<F>, t: &ArrayRef2<F>) -> F {
    // ANCHOR_END: signature
    // ANCHOR: solution
    todo!("exercise binary_cross_entropy")
    // ANCHOR_END: solution
}
// ANCHOR_END: exercise

#[cfg(test)]
mod tests {
    use super::binary_cross_entropy;
    use crate::cross_entropy;
    use ndarray::array;

    // ANCHOR: tests
    #[test]
    fn binary_cross_entropy_averages_over_the_outputs() {
        // −½ (ln 0.9 + ln (1 − 0.2)) = ½ (0.1053605 + 0.2231436)
        let loss: f64 = binary_cross_entropy(&array![[0.9, 0.2]], &array![[1.0, 0.0]]);
        assert!((loss - 0.1642520).abs() < 1e-6, "{loss}");
    }

    #[test]
    fn certain_predictions_give_a_finite_loss() {
        let loss: f64 = binary_cross_entropy(&array![[0.0, 1.0]], &array![[1.0, 0.0]]);
        assert!((loss - 16.1180957).abs() < 1e-6, "{loss}"); // −ln 1e−7
    }
    // ANCHOR_END: tests

    #[test]
    fn one_output_is_two_class_cross_entropy() {
        let p = [0.9, 0.3, 0.6];
        let y: ndarray::Array2<f64> = array![[p[0]], [p[1]], [p[2]]];
        let t = array![[1.0], [0.0], [0.0]];
        let two_classes = array![[1.0 - p[0], p[0]], [1.0 - p[1], p[1]], [1.0 - p[2], p[2]]];
        let expected = cross_entropy(&two_classes, &[1, 0, 0]);
        assert!((binary_cross_entropy(&y, &t) - expected).abs() < 1e-12);
    }
}
