//! Exercise: the numerical gradient of a function of a matrix.

use ndarray::{Array1, Array2};

use crate::numerical_gradient;

// ANCHOR: exercise
// ANCHOR: signature
/// The numerical gradient, with respect to the matrix `w`, of the sum of the scores of one
/// sample: `f(W) = Σⱼ (x·W)ⱼ`. The result has the shape of `w`.
pub fn gradient_of_score_sum(x: &Array1<f64>, w: &Array2<f64>) -> Array2<f64> {
    // ANCHOR_END: signature
    // ANCHOR: solution
    todo!("exercise matrix_gradient")
    // ANCHOR_END: solution
}
// ANCHOR_END: exercise

// ANCHOR: tests
#[cfg(test)]
mod tests {
    use super::gradient_of_score_sum;
    use ndarray::{Array2, array};

    #[test]
    fn the_gradient_has_the_shape_of_the_matrix() {
        let grad = gradient_of_score_sum(&array![1.0, 2.0], &Array2::zeros((2, 5)));
        assert_eq!(grad.dim(), (2, 5));
    }

    #[test]
    fn every_entry_of_row_i_is_input_i() {
        // f(W) = Σⱼ Σᵢ xᵢ wᵢⱼ, so ∂f/∂wᵢⱼ = xᵢ, whatever W is.
        let x = array![0.5, -2.0, 3.0];
        let w = array![[0.1, 0.2], [0.3, -0.4], [5.0, 6.0]];
        let grad = gradient_of_score_sum(&x, &w);
        for ((i, _), g) in grad.indexed_iter() {
            assert!((g - x[i]).abs() < 1e-9, "row {i}: {g}");
        }
    }
}
// ANCHOR_END: tests
