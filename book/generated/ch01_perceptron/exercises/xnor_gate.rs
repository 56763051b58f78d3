//! Exercise: XNOR from the gates of the chapter, in two layers.

use crate::{nand, or};

// ANCHOR: exercise
// ANCHOR: signature
/// `NOT (x1 XOR x2)`: 1 when the inputs are equal. Build it from `and`, `nand` and `or`;
/// no single perceptron can do it.
pub fn xnor(x1: u8, x2: u8) -> u8 {
    // ANCHOR_END: signature
    // ANCHOR: solution
    todo!("exercise xnor_gate")
    // ANCHOR_END: solution
}
// ANCHOR_END: exercise

#[cfg(test)]
mod tests {
    use super::xnor;
    use crate::{INPUTS, truth_table, xor};

    // ANCHOR: tests
    #[test]
    fn xnor_is_one_when_the_inputs_are_equal() {
        assert_eq!(truth_table(xnor), [1, 0, 0, 1]);
    }

    #[test]
    fn xnor_is_the_opposite_of_xor() {
        for [x1, x2] in INPUTS {
            assert_ne!(xnor(x1, x2), xor(x1, x2), "inputs {x1} {x2}");
        }
    }
    // ANCHOR_END: tests
}
