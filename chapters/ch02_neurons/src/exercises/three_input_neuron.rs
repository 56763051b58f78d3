//! Exercise: a neuron with three inputs, written out by hand.

// ANCHOR: exercise
// ANCHOR: signature
/// A neuron with exactly three inputs: each input times its weight, plus the bias. Write the
/// sum out term by term, without a loop and without calling the chapter's functions.
pub fn three_input_neuron(inputs: [f64; 3], weights: [f64; 3], bias: f64) -> f64 {
    // ANCHOR_END: signature
    // ANCHOR: solution
    inputs[0] * weights[0] + inputs[1] * weights[1] + inputs[2] * weights[2] + bias
    // ANCHOR_END: solution
}
// ANCHOR_END: exercise

#[cfg(test)]
mod tests {
    use super::three_input_neuron;
    use crate::neuron;

    // ANCHOR: tests
    #[test]
    fn the_first_three_inputs_of_the_chapter_give_2_3() {
        // 1·0.2 + 2·0.8 + 3·(−0.5) + 2 = 2.3
        let y = three_input_neuron([1.0, 2.0, 3.0], [0.2, 0.8, -0.5], 2.0);
        assert!((y - 2.3).abs() < 1e-12, "got {y}");
    }

    #[test]
    fn zero_weights_leave_the_bias() {
        assert_eq!(three_input_neuron([1.0, 2.0, 3.0], [0.0; 3], -0.5), -0.5);
    }
    // ANCHOR_END: tests

    #[test]
    fn it_agrees_with_the_chapters_neuron() {
        let (inputs, weights, bias) = ([0.5, -1.5, 4.0], [-2.0, 0.25, 0.75], 0.1);
        let expected = neuron(&inputs, &weights, bias);
        assert!((three_input_neuron(inputs, weights, bias) - expected).abs() < 1e-12);
    }
}
