//! Exercise: a central difference whose step grows with x.

use crate::numerical_diff;

// ANCHOR: exercise
// ANCHOR: signature
/// The central difference with a step suited to where it is taken: `h = ∛ε · max(|x|, 1)`,
/// so that `x ± h` stays well apart from `x` however large `x` is.
pub fn numerical_diff_scaled(f: impl Fn(f64) -> f64, x: f64) -> f64 {
    // ANCHOR_END: signature
    // ANCHOR: solution
    todo!("exercise scaled_step")
    // ANCHOR_END: solution
}
// ANCHOR_END: exercise

#[cfg(test)]
mod tests {
    use super::numerical_diff_scaled;
    use crate::{DEFAULT_H, numerical_diff};

    // ANCHOR: tests
    #[test]
    fn accurate_near_zero() {
        let error = (numerical_diff_scaled(f64::exp, 0.0) - 1.0).abs();
        assert!(error < 1e-9, "{error}");
    }

    #[test]
    fn beats_a_fixed_step_far_from_zero() {
        let (square, x) = (|x: f64| x * x, 1e6);
        let scaled = (numerical_diff_scaled(square, x) - 2.0 * x).abs();
        let fixed = (numerical_diff(square, x, DEFAULT_H) - 2.0 * x).abs();
        assert!(scaled < fixed / 100.0, "scaled {scaled:e}, fixed {fixed:e}");
    }
    // ANCHOR_END: tests

    #[test]
    fn accurate_far_from_zero() {
        let x = 1e6;
        let relative = (numerical_diff_scaled(|x| x * x, x) / (2.0 * x) - 1.0).abs();
        assert!(relative < 1e-9, "relative error {relative:e}");
    }
}
