//! Exercise: try each weight both ways, one at a time.

use ch03_layers::{Float, float};
use ndarray::Array2;

use crate::Network;

// ANCHOR: exercise
// ANCHOR: signature
/// One sweep over the parameters of `network`, in the order of [`Network::parameters`]: for
/// each one, try it `h` higher; if that does not lower the loss on `(x, t)`, try it `h` lower;
/// if neither lowers the loss, put it back as it was. Returns the loss after the sweep.
pub fn one_at_a_time<F: Float>(network: &mut Network<F>, x: &Array2<F>, t: &[usize], h: f64) -> F {
    // ANCHOR_END: signature
    // ANCHOR: solution
    todo!("exercise one_at_a_time")
    // ANCHOR_END: solution
}
// ANCHOR_END: exercise

#[cfg(test)]
mod tests {
    use super::one_at_a_time;
    use crate::{Network, SIZES};

    fn vertical() -> (ndarray::Array2<f64>, Vec<usize>) {
        let (x, t) = toy_datasets::vertical_data(&mut seeded_rng::rng(0), 100, 3);
        (x, t.to_vec())
    }

    // ANCHOR: tests
    #[test]
    fn a_sweep_lowers_the_loss_of_a_new_network() {
        let (x, t) = vertical();
        let mut network = Network::new(SIZES, &mut seeded_rng::rng(2));
        let before = network.loss(&x, &t);
        assert!(one_at_a_time(&mut network, &x, &t, 0.05) < before);
    }

    #[test]
    fn a_network_that_no_step_improves_is_left_as_it_was() {
        let (x, t) = vertical(); // zero weights: the hidden layer outputs 0, whatever moves
        let mut network = Network::zeros(SIZES);
        one_at_a_time(&mut network, &x, &t, 0.05);
        assert_eq!(network, Network::zeros(SIZES));
    }
    // ANCHOR_END: tests

    #[test]
    fn a_sweep_returns_the_networks_new_loss() {
        let (x, t) = vertical();
        let mut network = Network::new(SIZES, &mut seeded_rng::rng(1));
        let loss = one_at_a_time(&mut network, &x, &t, 0.05);
        assert_eq!(loss, network.loss(&x, &t));
    }

    #[test]
    fn each_parameter_moves_by_h_or_not_at_all() {
        let (x, t) = vertical();
        let mut network = Network::new(SIZES, &mut seeded_rng::rng(3));
        let before = network.clone();
        one_at_a_time(&mut network, &x, &t, 0.05);
        let moves: Vec<f64> = network
            .parameters()
            .zip(before.parameters())
            .map(|(after, before)| (after - before).abs())
            .collect();
        assert!(moves.iter().all(|&d| d == 0.0 || (d - 0.05).abs() < 1e-12));
        assert!(moves.iter().any(|&d| d != 0.0));
    }
}
