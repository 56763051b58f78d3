//! Exercise: top-k accuracy, the score of ImageNet's "top-5 error".

use ch03_layers::Float;
use ndarray::ArrayRef2;

// ANCHOR: exercise
// ANCHOR: signature
/// Top-k accuracy: the fraction of samples whose target class is among the `k` classes the
/// network gave the highest probabilities. A class counts as among the top `k` when fewer than
/// `k` classes got a strictly higher probability.
///
/// ```text
/// top-k = (1/N) · #{n : #{j : yₙⱼ > yₙ,ₜₙ} < k}
/// ```
///
/// # Panics
/// If there is not one target per row, a target is not a column of `y`, or the batch is empty.
pub fn top_k_accuracy<F: Float>(y: &ArrayRef2<F>, t: &[usize], k: usize) -> f64 {
    // ANCHOR_END: signature
    // ANCHOR: solution
    todo!("exercise top_k_accuracy")
    // ANCHOR_END: solution
}
// ANCHOR_END: exercise

#[cfg(test)]
mod tests {
    use super::top_k_accuracy;
    use crate::accuracy;
    use ndarray::{Array2, array};

    fn batch() -> Array2<f64> {
        array![
            [0.7, 0.2, 0.1],
            [0.5, 0.1, 0.4],
            [0.02, 0.9, 0.08],
            [0.3, 0.3, 0.4]
        ]
    }

    // ANCHOR: tests
    #[test]
    fn top_1_is_accuracy() {
        let t = [0, 1, 1, 2];
        assert_eq!(top_k_accuracy(&batch(), &t, 1), accuracy(&batch(), &t));
    }

    #[test]
    fn top_2_forgives_a_second_place() {
        // targets 1, 2, 0, 1: second place in rows 0, 1 and 3; last place in row 2
        assert_eq!(top_k_accuracy(&batch(), &[1, 2, 0, 1], 2), 0.75);
    }
    // ANCHOR_END: tests

    #[test]
    fn top_k_with_every_class_is_one() {
        assert_eq!(top_k_accuracy(&batch(), &[2, 1, 0, 0], 3), 1.0);
    }
}
