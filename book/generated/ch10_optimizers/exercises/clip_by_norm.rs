//! Exercise: clipping the gradients by their global norm.

use ndarray::ArrayD;

// ANCHOR: exercise
// ANCHOR: signature
/// Clips gradients by their global norm: if the length of all of them together, seen as one
/// long vector, is above `max_norm`, scales every gradient by the same factor so that the
/// length becomes `max_norm`; otherwise leaves them alone. Returns the length before clipping.
///
/// ```text
/// ‖g‖ = √(Σ over every gradient, every entry, g²)
/// g ← g · max_norm / ‖g‖     if ‖g‖ > max_norm
/// ```
pub fn clip_by_norm(grads: &mut [ArrayD<f64>], max_norm: f64) -> f64 {
    // ANCHOR_END: signature
    // ANCHOR: solution
    todo!("exercise clip_by_norm")
    // ANCHOR_END: solution
}
// ANCHOR_END: exercise

// ANCHOR: tests
#[cfg(test)]
mod tests {
    use super::clip_by_norm;
    use ndarray::{arr1, arr2};

    #[test]
    fn a_long_gradient_is_scaled_to_the_maximum() {
        let mut grads = [arr1(&[3.0, 4.0]).into_dyn()];
        assert_eq!(clip_by_norm(&mut grads, 1.0), 5.0);
        assert!((grads[0][0] - 0.6).abs() < 1e-12 && (grads[0][1] - 0.8).abs() < 1e-12);
    }

    #[test]
    fn a_short_gradient_is_left_alone() {
        let mut grads = [arr1(&[0.3, -0.4]).into_dyn()];
        assert!((clip_by_norm(&mut grads, 1.0) - 0.5).abs() < 1e-12);
        assert_eq!(grads[0], arr1(&[0.3, -0.4]).into_dyn());
    }

    #[test]
    fn the_norm_covers_every_gradient_and_keeps_the_direction() {
        let mut grads = [arr2(&[[1.0, 2.0]]).into_dyn(), arr1(&[-2.0]).into_dyn()];
        // the norm is √(1 + 4 + 4) = 3, so every entry is halved: the same factor for all
        assert_eq!(clip_by_norm(&mut grads, 1.5), 3.0);
        assert_eq!(grads[0], arr2(&[[0.5, 1.0]]).into_dyn());
        assert_eq!(grads[1], arr1(&[-1.0]).into_dyn());
    }
}
// ANCHOR_END: tests
