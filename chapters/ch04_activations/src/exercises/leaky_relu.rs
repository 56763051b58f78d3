//! Exercise: leaky ReLU, a ReLU that lets a little of its negative inputs through.

use ch03_layers::Float;

// ANCHOR: exercise
// ANCHOR: signature
/// `a` when it is positive, `alpha · a` otherwise (`alpha` is small, such as 0.01).
pub fn leaky_relu<F: Float>(a: F, alpha: F) -> F {
    // ANCHOR_END: signature
    // ANCHOR: solution
    if a > F::zero() { a } else { alpha * a }
    // ANCHOR_END: solution
}
// ANCHOR_END: exercise

#[cfg(test)]
mod tests {
    use super::leaky_relu;
    use crate::relu;

    // ANCHOR: tests
    #[test]
    fn leaky_relu_keeps_positives() {
        assert_eq!(leaky_relu(2.5, 0.01), 2.5);
        assert_eq!(leaky_relu(0.5f32, 0.1), 0.5);
    }

    #[test]
    fn leaky_relu_scales_negatives_by_alpha() {
        assert_eq!(leaky_relu(-2.0, 0.25), -0.5);
        assert_eq!(leaky_relu(-8.0f32, 0.125), -1.0);
        assert_eq!(leaky_relu(0.0, 0.25), 0.0);
    }
    // ANCHOR_END: tests

    #[test]
    fn leaky_relu_with_alpha_zero_is_relu() {
        for a in [-3.0, -0.5, 0.0, 0.5, 3.0] {
            assert_eq!(leaky_relu(a, 0.0), relu(a));
        }
    }
}
