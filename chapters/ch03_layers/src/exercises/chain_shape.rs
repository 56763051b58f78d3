//! Exercise: the output shape of a chain of layers.

// ANCHOR: exercise
// ANCHOR: signature
/// The shape of what comes out of a chain of dense layers, given the shape of the batch that
/// goes in, `(batch, features)`, and the shape of each layer's weights, `(inputs, neurons)`, in
/// order. `None` if some layer does not fit what it is given.
pub fn chain_output_shape(
    input: (usize, usize),
    weight_shapes: &[(usize, usize)],
) -> Option<(usize, usize)> {
    // ANCHOR_END: signature
    // ANCHOR: solution
    // Each layer is a matrix product (the bias row does not change the shape): the batch size
    // passes through, the feature count becomes the layer's neuron count.
    let mut shape = input;
    for &weights in weight_shapes {
        shape = crate::product_shape(shape, weights)?;
    }
    Some(shape)
    // ANCHOR_END: solution
}
// ANCHOR_END: exercise

#[cfg(test)]
mod tests {
    use super::chain_output_shape;

    // ANCHOR: tests
    #[test]
    fn the_dlfs_network_maps_one_sample_to_two_outputs() {
        assert_eq!(
            chain_output_shape((1, 2), &[(2, 3), (3, 2), (2, 2)]),
            Some((1, 2))
        );
    }

    #[test]
    fn a_layer_that_does_not_fit_gives_none() {
        assert_eq!(chain_output_shape((3, 4), &[(4, 3), (4, 3)]), None);
        assert_eq!(chain_output_shape((3, 4), &[(3, 4)]), None);
    }
    // ANCHOR_END: tests

    #[test]
    fn the_batch_size_passes_through() {
        assert_eq!(
            chain_output_shape((300, 2), &[(2, 64), (64, 3)]),
            Some((300, 3))
        );
    }

    #[test]
    fn no_layers_leave_the_shape_alone() {
        assert_eq!(chain_output_shape((5, 4), &[]), Some((5, 4)));
    }
}
