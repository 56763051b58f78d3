//! Exercise: Newton's method for the square root, against gradient descent.

// ANCHOR: exercise
// ANCHOR: signature
/// The square root of `a` by Newton's method from `x0`, `steps` steps: each step follows the
/// tangent of `g(x) = x² − a` down to where it crosses zero.
pub fn newton_sqrt(a: f64, x0: f64, steps: usize) -> f64 {
    // ANCHOR_END: signature
    // ANCHOR: solution
    todo!("exercise newton_sqrt")
    // ANCHOR_END: solution
}
// ANCHOR_END: exercise

// ANCHOR: tests
#[cfg(test)]
mod tests {
    use super::newton_sqrt;
    use crate::sqrt_by_descent;

    #[test]
    fn newton_finds_square_roots() {
        assert_eq!(newton_sqrt(9.0, 1.0, 10), 3.0);
        assert!((newton_sqrt(2.0, 1.0, 6) - 2f64.sqrt()).abs() < 1e-15);
    }

    #[test]
    fn newton_beats_the_best_gradient_descent() {
        // Gradient descent with its best rate, 1/(8a), stops about 3.5e-9 short of √2.
        let descent = sqrt_by_descent(2.0, 1.0, 1.0 / 16.0, 5).unwrap();
        let descent_error = (descent.x()[0] - 2f64.sqrt()).abs();
        let newton_error = (newton_sqrt(2.0, 1.0, 5) - 2f64.sqrt()).abs();
        assert!(newton_error < 1e-12 && newton_error < descent_error / 1000.0);
    }
}
// ANCHOR_END: tests
