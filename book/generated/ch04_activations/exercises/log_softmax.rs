//! Exercise: the logarithm of softmax, computed without overflow or underflow.

use ch03_layers::Float;
use ndarray::Array2;

// ANCHOR: exercise
// ANCHOR: signature
/// `ln(softmax(x))` for each row of `x`, finite even when an input is huge or a probability is
/// too small for `F` (where `softmax(x).mapv(F::ln)` gives `-inf`).
pub fn log_softmax<F: Float>(x: &Array2<F>) -> Array2<F> {
    // ANCHOR_END: signature
    // ANCHOR: solution
    todo!("exercise log_softmax")
    // ANCHOR_END: solution
}
// ANCHOR_END: exercise

#[cfg(test)]
mod tests {
    use super::log_softmax;
    use crate::check::assert_close;
    use crate::softmax;
    use ndarray::array;

    // ANCHOR: tests
    #[test]
    fn exponentials_of_log_softmax_are_softmax() {
        let x = array![[4.8, 1.21, 2.385], [-1.0, 0.0, 1.0]];
        assert_close(&log_softmax(&x).mapv(f64::exp), &softmax(&x), 1e-15);
    }

    #[test]
    fn log_softmax_of_huge_inputs_is_finite() {
        let y = log_softmax(&array![[1000.0, 1001.0, 1002.0]]);
        assert_close(&y, &log_softmax(&array![[0.0, 1.0, 2.0]]), 1e-12);
    }
    // ANCHOR_END: tests

    #[test]
    fn log_softmax_keeps_probabilities_too_small_for_softmax() {
        let x = array![[0.0f32, -1000.0]];
        assert_eq!(softmax(&x).mapv(f32::ln)[[0, 1]], f32::NEG_INFINITY);
        assert_close(&log_softmax(&x), &array![[0.0f32, -1000.0]], 1e-3);
    }
}
