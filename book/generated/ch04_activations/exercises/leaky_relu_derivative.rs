//! Exercise: the derivative of leaky ReLU.

use ch03_layers::Float;

// ANCHOR: exercise
// ANCHOR: signature
/// The slope of leaky ReLU (`a` if `a > 0`, else `alpha · a`): take `alpha` at the kink, as
/// `relu_derivative` takes 0 there.
pub fn leaky_relu_derivative<F: Float>(a: F, alpha: F) -> F {
    // ANCHOR_END: signature
    // ANCHOR: solution
    todo!("exercise leaky_relu_derivative")
    // ANCHOR_END: solution
}
// ANCHOR_END: exercise

#[cfg(test)]
mod tests {
    use super::leaky_relu_derivative;
    use crate::check::{POINTS, central_difference};

    // ANCHOR: tests
    #[test]
    fn slope_is_alpha_for_negative_inputs_and_at_zero() {
        assert_eq!(leaky_relu_derivative(-3.0, 0.01), 0.01);
        assert_eq!(leaky_relu_derivative(0.0f32, 0.2), 0.2);
    }

    #[test]
    fn slope_matches_a_central_difference() {
        let alpha = 0.1;
        let leaky = |a: f64| if a > 0.0 { a } else { alpha * a };
        for a in POINTS {
            let estimate = central_difference(leaky, a);
            assert!(
                (leaky_relu_derivative(a, alpha) - estimate).abs() < 1e-8,
                "a = {a}"
            );
        }
    }
    // ANCHOR_END: tests

    #[test]
    fn slope_is_one_for_positive_inputs() {
        assert_eq!(leaky_relu_derivative(3.0, 0.01), 1.0);
    }
}
