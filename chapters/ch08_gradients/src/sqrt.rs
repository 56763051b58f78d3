//! A square root by gradient descent: any function whose minimum is the answer will do.

use ch07_derivatives::DEFAULT_H;
use ndarray::{Array1, Ix1};

use crate::{Descent, Diverged, gradient_descent};

/// A loss whose minima are at `±√a`: how far `x²` is from `a`, squared.
///
/// ```text
/// L(x) = (x² − a)²        L′(x) = 4x(x² − a),   zero at x = ±√a (the minima) and x = 0 (a hump)
/// ```
///
/// ```
/// assert_eq!(ch08_gradients::sqrt_loss(3.0, 2.0), 49.0); // (9 − 2)²
/// ```
// ANCHOR: sqrt
pub fn sqrt_loss(x: f64, a: f64) -> f64 {
    (x * x - a).powi(2)
}
// ANCHOR_END: sqrt

/// The square root of `a` by gradient descent on [`sqrt_loss`], from `x = init`, with the
/// numerical gradient: `steps` steps with learning rate `lr`.
///
/// The step `η·L′(x)` shrinks to nothing near `√a` only if `η` is small enough: the distance to
/// `√a` is multiplied by about `1 − η·L″(√a) = 1 − 8aη` each step, so the descent converges for
/// `0 < η < 1/(4a)`, fastest at `η = 1/(8a)`, and overshoots beyond.
///
/// ```
/// use ch08_gradients::sqrt_by_descent;
/// let descent = sqrt_by_descent(2.0, 1.0, 0.05, 50).unwrap();
/// assert!((descent.x()[0] - 2f64.sqrt()).abs() < 1e-8);
/// ```
// ANCHOR: sqrt_by_descent
pub fn sqrt_by_descent(
    a: f64,
    init: f64,
    lr: f64,
    steps: usize,
) -> Result<Descent<f64, Ix1>, Diverged<f64, Ix1>> {
    let init = Array1::from(vec![init]); // a vector of one entry
    gradient_descent(|x| sqrt_loss(x[0], a), &init, lr, steps)
}
// ANCHOR_END: sqrt_by_descent

/// Where gradient descent with the numerical gradient settles: not at `√a` but at `√(a − h²)`,
/// a little below.
///
/// The central difference of a quartic is not exact: for `L = x⁴ − 2ax² + a²` it gives
/// `4x³ + 4xh² − 4ax = 4x(x² − a + h²)`, which is zero at `x² = a − h²`. The descent follows
/// the estimate, so it stops there, `h²/(2√a)` short of the true root.
///
/// ```text
/// x* = √(a − h²) ≈ √a − h²/(2√a)
/// ```
///
/// ```
/// let x = ch08_gradients::numerical_sqrt_fixed_point(2.0);
/// assert!((2f64.sqrt() - x - 1e-8 / (2.0 * 2f64.sqrt())).abs() < 1e-15);
/// ```
// ANCHOR: sqrt_fixed_point
pub fn numerical_sqrt_fixed_point(a: f64) -> f64 {
    (a - DEFAULT_H * DEFAULT_H).sqrt()
}
// ANCHOR_END: sqrt_fixed_point

/// One learning rate's descent towards `√a`, for the table and the figure: the error `|x − √a|`
/// at the start and after each step, up to where the descent ended or was stopped.
#[derive(Debug, Clone, PartialEq)]
pub struct SqrtRun {
    /// The learning rate.
    pub lr: f64,
    /// `|x − √a|` at each point of the path.
    pub errors: Vec<f64>,
    /// The step at which the descent was stopped as diverged, if it was.
    pub diverged_at: Option<usize>,
}

impl SqrtRun {
    /// [`sqrt_by_descent`] of `a` from `init`, `steps` steps at learning rate `lr`.
    ///
    /// ```
    /// let run = ch08_gradients::SqrtRun::new(2.0, 1.0, 0.3, 200);
    /// assert_eq!(run.diverged_at, Some(3));
    /// assert_eq!(run.errors.len(), 4); // the start and three steps
    /// ```
    pub fn new(a: f64, init: f64, lr: f64, steps: usize) -> Self {
        let (path, diverged_at) = match sqrt_by_descent(a, init, lr, steps) {
            Ok(descent) => (descent.path, None),
            Err(diverged) => (diverged.path, Some(diverged.step)),
        };
        let errors = path.iter().map(|x| (x[0] - a.sqrt()).abs()).collect();
        SqrtRun {
            lr,
            errors,
            diverged_at,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sqrt_converges_for_a_good_rate() {
        for lr in [0.02, 0.0625, 0.1] {
            let descent = sqrt_by_descent(2.0, 1.0, lr, 200).unwrap();
            let x = descent.x()[0];
            assert!((x - 2f64.sqrt()).abs() < 1e-8, "lr {lr}: {x}");
            assert!(
                (x - numerical_sqrt_fixed_point(2.0)).abs() < 1e-14,
                "lr {lr}: {x}"
            );
        }
    }

    #[test]
    fn sqrt_diverges_for_a_rate_far_too_large() {
        assert!(sqrt_by_descent(2.0, 1.0, 1.0, 100).is_err());
    }

    #[test]
    fn a_start_at_zero_stays_on_the_hump() {
        // L′(0) = 0: the numerical gradient is 0 there too, and the descent never moves.
        let descent = sqrt_by_descent(2.0, 0.0, 0.05, 10).unwrap();
        assert_eq!(descent.x()[0], 0.0);
    }
}
