//! Exercise: how many numbers a network learns.

use crate::Dense;

// ANCHOR: exercise
// ANCHOR: signature
/// The number of parameters of a network: every weight and every bias of every layer.
pub fn parameter_count<F>(layers: &[Dense<F>]) -> usize {
    // ANCHOR_END: signature
    // ANCHOR: solution
    todo!("exercise parameter_count")
    // ANCHOR_END: solution
}
// ANCHOR_END: exercise

#[cfg(test)]
mod tests {
    use super::parameter_count;
    use crate::{Dense, dlfs_network};

    // ANCHOR: tests
    #[test]
    fn the_dlfs_network_has_23_parameters() {
        // (2·3 + 3) + (3·2 + 2) + (2·2 + 2)
        assert_eq!(parameter_count(&dlfs_network()), 23);
    }

    #[test]
    fn no_layers_have_no_parameters() {
        assert_eq!(parameter_count::<f64>(&[]), 0);
    }
    // ANCHOR_END: tests

    #[test]
    fn an_mnist_network_has_tens_of_thousands() {
        let mut rng = seeded_rng::rng(0);
        let layers = [
            Dense::<f32>::new(784, 50, &mut rng),
            Dense::new(50, 10, &mut rng),
        ];
        assert_eq!(parameter_count(&layers), 784 * 50 + 50 + 50 * 10 + 10);
    }
}
