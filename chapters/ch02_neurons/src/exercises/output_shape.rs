//! Exercise: the shape of a layer's output, or why there is none.

// ANCHOR: exercise
// ANCHOR: signature
/// The length of `weights · inputs + biases` for weights of shape `(rows, cols)`, `inputs`
/// inputs and `biases` biases — or, when the shapes do not fit, an error that names them:
/// `"weights 3 × 4 need 4 inputs, got 3"` or `"weights 3 × 4 need 3 biases, got 2"`.
pub fn output_shape(
    weights: (usize, usize),
    inputs: usize,
    biases: usize,
) -> Result<usize, String> {
    // ANCHOR_END: signature
    // ANCHOR: solution
    let (rows, cols) = weights;
    if cols != inputs {
        return Err(format!(
            "weights {rows} × {cols} need {cols} inputs, got {inputs}"
        ));
    }
    if rows != biases {
        return Err(format!(
            "weights {rows} × {cols} need {rows} biases, got {biases}"
        ));
    }
    Ok(rows)
    // ANCHOR_END: solution
}
// ANCHOR_END: exercise

#[cfg(test)]
mod tests {
    use super::output_shape;

    // ANCHOR: tests
    #[test]
    fn the_chapters_layer_has_three_outputs() {
        assert_eq!(output_shape((3, 4), 4, 3), Ok(3));
    }

    #[test]
    fn too_few_biases_is_an_error_naming_both_shapes() {
        assert_eq!(
            output_shape((3, 4), 4, 2),
            Err("weights 3 × 4 need 3 biases, got 2".to_string())
        );
    }
    // ANCHOR_END: tests

    #[test]
    fn one_neuron_has_one_output() {
        assert_eq!(output_shape((1, 5), 5, 1), Ok(1));
    }

    #[test]
    fn too_few_inputs_is_an_error_naming_both_shapes() {
        assert_eq!(
            output_shape((2, 5), 4, 2),
            Err("weights 2 × 5 need 5 inputs, got 4".to_string())
        );
    }
}
