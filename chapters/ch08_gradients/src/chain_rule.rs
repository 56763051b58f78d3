//! The chain rule, written out for two chains, so that the numerical derivative can judge it.

use ch03_layers::sigmoid;

/// `y = (3x + 2)²`: an outer function `u²` of an inner function `u = 3x + 2`.
///
/// ```
/// assert_eq!(ch08_gradients::square_of_linear(1.0), 25.0);
/// ```
// ANCHOR: square_of_linear
pub fn square_of_linear(x: f64) -> f64 {
    (3.0 * x + 2.0).powi(2)
}
// ANCHOR_END: square_of_linear

/// The derivative of [`square_of_linear`] by the chain rule: the outer derivative at the inner
/// value, times the inner derivative.
///
/// ```text
/// dy/dx = dy/du · du/dx = 2u · 3 = 6(3x + 2)
/// ```
///
/// ```
/// assert_eq!(ch08_gradients::square_of_linear_derivative(1.0), 30.0);
/// ```
// ANCHOR: square_of_linear_derivative
pub fn square_of_linear_derivative(x: f64) -> f64 {
    let u = 3.0 * x + 2.0; // the inner function
    2.0 * u * 3.0 // outer derivative 2u, times inner derivative 3
}
// ANCHOR_END: square_of_linear_derivative

/// The squared error of one sigmoid neuron with weight `w` on input `x` and target `t`: a
/// chain of three functions of `w`.
///
/// ```text
/// z = w·x,   y = σ(z),   L = (y − t)²
/// ```
///
/// ```
/// use ch08_gradients::neuron_loss;
/// assert_eq!(neuron_loss(0.0, 2.0, 1.0), 0.25); // σ(0) = 0.5, (0.5 − 1)²
/// ```
// ANCHOR: neuron_loss
pub fn neuron_loss(w: f64, x: f64, t: f64) -> f64 {
    (sigmoid(w * x) - t).powi(2)
}
// ANCHOR_END: neuron_loss

/// The derivative of [`neuron_loss`] with respect to `w`, by the chain rule: one factor per
/// link, multiplied from the outside in.
///
/// ```text
/// dL/dw = dL/dy · dy/dz · dz/dw = 2(y − t) · σ(z)(1 − σ(z)) · x
/// ```
///
/// ```
/// use ch08_gradients::neuron_loss_derivative;
/// assert_eq!(neuron_loss_derivative(0.0, 2.0, 1.0), -0.5); // 2(−0.5) · 0.25 · 2
/// ```
// ANCHOR: neuron_loss_derivative
pub fn neuron_loss_derivative(w: f64, x: f64, t: f64) -> f64 {
    let z = w * x;
    let y = sigmoid(z);
    let dl_dy = 2.0 * (y - t);
    let dy_dz = y * (1.0 - y);
    let dz_dw = x;
    dl_dy * dy_dz * dz_dw
}
// ANCHOR_END: neuron_loss_derivative

#[cfg(test)]
mod tests {
    use super::*;
    use ch07_derivatives::{DEFAULT_H, numerical_diff};

    #[test]
    fn chain_rule_matches_the_numerical_derivative() {
        for x in [-2.0, -0.5, 0.0, 1.5] {
            let numerical = numerical_diff(square_of_linear, x, DEFAULT_H);
            assert!((numerical - square_of_linear_derivative(x)).abs() < 1e-8);
            let numerical = numerical_diff(|w| neuron_loss(w, 1.5, 1.0), x, DEFAULT_H);
            assert!((numerical - neuron_loss_derivative(x, 1.5, 1.0)).abs() < 1e-8);
        }
    }
}
