//! Gradient descent with the numerical gradient, watched for divergence (*Deep Learning from
//! Scratch*'s `gradient_method.py`).

use std::fmt;

use ch03_layers::Float;
use ndarray::{Array, Dimension};

use crate::numerical_gradient;

/// How many steps in a row the value may rise, above where it started, before
/// [`gradient_descent`] calls the descent diverged.
pub const DIVERGENCE_PATIENCE: usize = 3;

/// The points a descent visited and the value of the function at each.
// ANCHOR: descent
#[derive(Debug, Clone, PartialEq)]
pub struct Descent<F, D: Dimension> {
    pub path: Vec<Array<F, D>>, // the start, then the point after each step
    pub values: Vec<F>,         // f at each point of the path
}
// ANCHOR_END: descent

impl<F: Float, D: Dimension> Descent<F, D> {
    /// Where the descent ended.
    pub fn x(&self) -> &Array<F, D> {
        self.path.last().expect("a descent has at least its start")
    }

    /// The value of `f` where the descent ended.
    pub fn value(&self) -> F {
        *self
            .values
            .last()
            .expect("a descent has at least its start")
    }
}

/// A descent that ran away: the value became infinite or NaN, or rose above where it started
/// and kept rising for [`DIVERGENCE_PATIENCE`] steps. `step` is the step at which the descent
/// was stopped (1 is the first step), `value` the value of `f` there, and `path` the points
/// visited up to and including that step.
// ANCHOR: diverged
#[derive(Debug, Clone, PartialEq)]
pub struct Diverged<F, D: Dimension> {
    pub step: usize,
    pub value: F,
    pub path: Vec<Array<F, D>>,
}

impl<F: Float, D: Dimension> fmt::Display for Diverged<F, D> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let value = self.value.to_f64().unwrap_or(f64::NAN);
        write!(f, "diverged at step {}: f = {value:.3e}", self.step)
    }
}

impl<F: Float, D: Dimension> std::error::Error for Diverged<F, D> {}
// ANCHOR_END: diverged

/// One step of gradient descent: move `x` against the numerical gradient, by `lr` times it.
///
/// ```text
/// x ← x − η·∇f(x)
/// ```
///
/// NumPy (DLFS): `grad = numerical_gradient(f, x); x -= lr * grad`.
///
/// ```
/// use ch08_gradients::{function_2, gradient_step};
/// use ndarray::array;
/// let mut x = array![-3.0, 4.0];
/// gradient_step(function_2, &mut x, 0.1); // x − 0.1·2x = 0.8x
/// assert!((x[0] + 2.4).abs() < 1e-9 && (x[1] - 3.2).abs() < 1e-9);
/// ```
// ANCHOR: gradient_step
pub fn gradient_step<F: Float, D: Dimension>(
    f: impl FnMut(&Array<F, D>) -> F,
    x: &mut Array<F, D>,
    lr: F,
) {
    let grad = numerical_gradient(f, x);
    x.zip_mut_with(&grad, |xi, &g| *xi = *xi - lr * g);
}
// ANCHOR_END: gradient_step

/// Gradient descent: `steps` steps of [`gradient_step`] from `init` with learning rate `lr`,
/// watching the value of `f` after each. A value that becomes infinite or NaN, or that rises
/// above the starting value and keeps rising for [`DIVERGENCE_PATIENCE`] steps in a row, ends
/// the descent with [`Diverged`]: no step size makes a descent climb on and on.
///
/// ```text
/// x₀ = init,   xₖ₊₁ = xₖ − η·∇f(xₖ)
/// ```
///
/// NumPy (DLFS): `gradient_descent(f, init_x, lr=0.01, step_num=100)`, which returns the last
/// point (and, in the plotting script, the history) and checks nothing.
///
/// ```
/// use ch08_gradients::{function_2, gradient_descent};
/// use ndarray::array;
/// let descent = gradient_descent(function_2, &array![-3.0, 4.0], 0.1, 100).unwrap();
/// assert!(descent.x().iter().all(|xi| xi.abs() < 1e-9)); // the bottom of the bowl
/// assert_eq!(descent.path.len(), 101); // the start and 100 steps
///
/// let runaway = gradient_descent(function_2, &array![-3.0, 4.0], 10.0, 100).unwrap_err();
/// assert_eq!(runaway.step, 3); // 25 → 9025 → 3.3e6 → 1.2e9: rising three steps in a row
/// ```
// ANCHOR: gradient_descent
pub fn gradient_descent<F: Float, D: Dimension>(
    mut f: impl FnMut(&Array<F, D>) -> F,
    init: &Array<F, D>,
    lr: F,
    steps: usize,
) -> Result<Descent<F, D>, Diverged<F, D>> {
    let mut x = init.clone();
    let mut path = vec![x.clone()];
    let mut values = vec![f(&x)];
    let mut rising = 0; // steps in a row on which the value went up
    for step in 1..=steps {
        gradient_step(&mut f, &mut x, lr);
        let value = f(&x);
        rising = if value > values[step - 1] {
            rising + 1
        } else {
            0
        };
        path.push(x.clone());
        values.push(value);
        if !value.is_finite() || (value > values[0] && rising >= DIVERGENCE_PATIENCE) {
            return Err(Diverged { step, value, path });
        }
    }
    Ok(Descent { path, values })
}
// ANCHOR_END: gradient_descent

#[cfg(test)]
mod tests {
    use super::*;
    use crate::function_2;
    use ndarray::{Array1, array};

    #[test]
    fn descent_reaches_the_bottom_of_the_bowl_as_dlfs_does() {
        let descent = gradient_descent(function_2, &array![-3.0_f64, 4.0], 0.1, 100).unwrap();
        let x = descent.x();
        assert!((x[0] + 6.11110793e-10).abs() < 1e-17, "{}", x[0]);
        assert!((x[1] - 8.14814391e-10).abs() < 1e-17, "{}", x[1]);
        assert!(descent.values.windows(2).all(|v| v[1] < v[0]));
        assert_eq!(descent.value(), *descent.values.last().unwrap());
    }

    #[test]
    fn a_too_large_learning_rate_is_detected_as_divergence() {
        let err = gradient_descent(function_2, &array![-3.0, 4.0], 10.0, 100).unwrap_err();
        assert_eq!(err.step, DIVERGENCE_PATIENCE);
        assert_eq!(err.path.len(), DIVERGENCE_PATIENCE + 1);
        assert!(err.value > 1e8);
        assert!(err.to_string().starts_with("diverged at step 3"));
    }

    #[test]
    fn an_infinite_value_is_divergence_at_once() {
        let f = |x: &Array1<f64>| if x[0] > 1.0 { f64::INFINITY } else { -x[0] };
        let err = gradient_descent(f, &array![0.5], 1.0, 10).unwrap_err();
        assert_eq!(err.step, 1);
        assert!(err.value.is_infinite());
    }

    #[test]
    fn a_tiny_learning_rate_barely_moves() {
        let descent = gradient_descent(function_2, &array![-3.0, 4.0], 1e-10, 100).unwrap();
        let moved = (descent.x() - &array![-3.0, 4.0]).mapv(f64::abs);
        assert!(moved.iter().all(|&m| m > 0.0 && m < 1e-7), "{moved}");
    }
}
