//! Exercise: gradient ascent, to climb to a maximum.

use ndarray::Array1;

use crate::gradient_step;

// ANCHOR: exercise
// ANCHOR: signature
/// Gradient *ascent*: `steps` steps from `init` in the direction of the gradient of `f`, by
/// `lr` times it, towards a maximum of `f`. Returns where it ends.
pub fn gradient_ascent(
    f: impl Fn(&Array1<f64>) -> f64,
    init: &Array1<f64>,
    lr: f64,
    steps: usize,
) -> Array1<f64> {
    // ANCHOR_END: signature
    // ANCHOR: solution
    todo!("exercise gradient_ascent")
    // ANCHOR_END: solution
}
// ANCHOR_END: exercise

// ANCHOR: tests
#[cfg(test)]
mod tests {
    use super::gradient_ascent;
    use ndarray::{Array1, array};

    /// A hill with its top at (1, −2), 3 high.
    fn hill(x: &Array1<f64>) -> f64 {
        3.0 - (x[0] - 1.0).powi(2) - (x[1] + 2.0).powi(2)
    }

    #[test]
    fn ascent_reaches_the_top_of_a_hill() {
        let top = gradient_ascent(hill, &array![4.0, 4.0], 0.1, 200);
        assert!(
            (top[0] - 1.0).abs() < 1e-6 && (top[1] + 2.0).abs() < 1e-6,
            "{top}"
        );
    }

    #[test]
    fn each_step_climbs() {
        let mut x = array![-3.0, 0.0];
        for _ in 0..10 {
            let next = gradient_ascent(hill, &x, 0.1, 1);
            assert!(hill(&next) > hill(&x));
            x = next;
        }
    }
}
// ANCHOR_END: tests
