//! Exercise: stop descending when the ground is flat.

use ndarray::Array1;

use crate::{gradient_step, numerical_gradient};

// ANCHOR: exercise
// ANCHOR: signature
/// Gradient descent on `f` from `init` that stops as soon as the gradient is shorter than
/// `tolerance` (its Euclidean length `√(Σ gᵢ²)`), or after `max_steps` steps. Returns where it
/// stopped and how many steps it took.
pub fn descend_until_flat(
    f: impl Fn(&Array1<f64>) -> f64,
    init: &Array1<f64>,
    lr: f64,
    tolerance: f64,
    max_steps: usize,
) -> (Array1<f64>, usize) {
    // ANCHOR_END: signature
    // ANCHOR: solution
    todo!("exercise early_stopping")
    // ANCHOR_END: solution
}
// ANCHOR_END: exercise

// ANCHOR: tests
#[cfg(test)]
mod tests {
    use super::descend_until_flat;
    use crate::function_2;
    use ndarray::array;

    #[test]
    fn stops_at_the_first_flat_enough_point() {
        // |∇f| = 2·|x| = 10·0.8ᵏ after k steps: below 1e-6 first at k = 73.
        let (x, steps) = descend_until_flat(function_2, &array![-3.0, 4.0], 0.1, 1e-6, 1000);
        assert_eq!(steps, 73);
        assert!(x.iter().all(|xi| xi.abs() < 1e-6));
    }

    #[test]
    fn a_flat_start_takes_no_step() {
        let (x, steps) = descend_until_flat(function_2, &array![0.0, 0.0], 0.1, 1e-6, 1000);
        assert_eq!(steps, 0);
        assert_eq!(x, array![0.0, 0.0]);
    }

    #[test]
    fn gives_up_after_max_steps() {
        let (_, steps) = descend_until_flat(function_2, &array![-3.0, 4.0], 1e-3, 1e-6, 50);
        assert_eq!(steps, 50);
    }
}
// ANCHOR_END: tests
