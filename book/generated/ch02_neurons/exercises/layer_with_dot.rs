//! Exercise: a layer of any size, one dot product per neuron.

use crate::dot;

// ANCHOR: exercise
// ANCHOR: signature
/// A layer of neurons on slices of any length: `weights` holds one row per neuron, and each
/// neuron's output is the dot product of its row with the inputs plus its bias. Use the
/// chapter's `dot`.
pub fn layer_with_dot(inputs: &[f64], weights: &[Vec<f64>], biases: &[f64]) -> Vec<f64> {
    // ANCHOR_END: signature
    // ANCHOR: solution
    todo!("exercise layer_with_dot")
    // ANCHOR_END: solution
}
// ANCHOR_END: exercise

#[cfg(test)]
mod tests {
    use super::layer_with_dot;
    use crate::{INPUTS, LAYER_BIASES, LAYER_WEIGHTS, layer};

    // ANCHOR: tests
    #[test]
    fn two_inputs_and_two_neurons_work_too() {
        // neuron 1: 3·1 + 4·2 + 0.5 = 11.5; neuron 2: 3·(−1) + 4·0 + 1 = −2
        let outputs = layer_with_dot(&[3.0, 4.0], &[vec![1.0, 2.0], vec![-1.0, 0.0]], &[0.5, 1.0]);
        assert_eq!(outputs, vec![11.5, -2.0]);
    }

    #[test]
    #[should_panic(expected = "dot: a has")]
    fn a_short_row_of_weights_is_refused_by_dot() {
        layer_with_dot(&INPUTS, &[vec![1.0, 2.0, 3.0]], &[0.0]);
    }
    // ANCHOR_END: tests

    #[test]
    fn it_gives_the_chapters_layer_outputs() {
        let weights: Vec<Vec<f64>> = LAYER_WEIGHTS.iter().map(|row| row.to_vec()).collect();
        let outputs = layer_with_dot(&INPUTS, &weights, &LAYER_BIASES);
        let expected = layer(&INPUTS, &LAYER_WEIGHTS, &LAYER_BIASES);
        assert_eq!(outputs.len(), 3);
        for (y, e) in outputs.iter().zip(&expected) {
            assert!(
                (y - e).abs() < 1e-12,
                "got {outputs:?}, expected {expected:?}"
            );
        }
    }
}
