//! Exercise: a NOR gate from one perceptron.

use crate::Perceptron;

// ANCHOR: exercise
// ANCHOR: signature
/// `NOT (x1 OR x2)`: 1 only when both inputs are 0. Choose a perceptron's weights and bias.
pub fn nor(x1: u8, x2: u8) -> u8 {
    // ANCHOR_END: signature
    // ANCHOR: solution
    todo!("exercise nor_gate")
    // ANCHOR_END: solution
}
// ANCHOR_END: exercise

#[cfg(test)]
mod tests {
    use super::nor;
    use crate::truth_table;

    // ANCHOR: tests
    #[test]
    fn nor_is_one_only_when_both_inputs_are_zero() {
        assert_eq!(truth_table(nor), [1, 0, 0, 0]);
    }
    // ANCHOR_END: tests
}
