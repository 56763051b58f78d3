//! Exercise: a dense layer's output for a single sample.

use ndarray::Array1;

use crate::{Dense, Float};

// ANCHOR: exercise
// ANCHOR: signature
/// The output of `layer` for one sample `x` of shape `(inputs)`: a vector of shape `(neurons)`.
/// Reuse [`Dense::forward`], which takes a batch.
pub fn forward_one<F: Float>(layer: &Dense<F>, x: &Array1<F>) -> Array1<F> {
    // ANCHOR_END: signature
    // ANCHOR: solution
    todo!("exercise forward_one")
    // ANCHOR_END: solution
}
// ANCHOR_END: exercise

#[cfg(test)]
mod tests {
    use super::forward_one;
    use crate::{Dense, nnfs_batch, nnfs_layer1};
    use ndarray::array;

    // ANCHOR: tests
    #[test]
    fn one_sample_gives_one_output_per_neuron() {
        let layer = Dense::from_parts(
            array![[1.0, 2.0, 3.0], [4.0, 5.0, 6.0]],
            array![0.0, 0.0, 0.0],
        );
        let y = forward_one(&layer, &array![1.0, 1.0]);
        assert_eq!(y, array![5.0, 7.0, 9.0]);
    }
    // ANCHOR_END: tests

    #[test]
    fn each_sample_alone_gives_its_row_of_the_batch_output() {
        let layer = nnfs_layer1();
        let batch = nnfs_batch();
        let outputs = layer.forward(&batch);
        for (x, row) in batch.rows().into_iter().zip(outputs.rows()) {
            assert_eq!(forward_one(&layer, &x.to_owned()), row);
        }
    }

    #[test]
    fn it_works_in_f32_too() {
        let layer = Dense::from_parts(array![[0.5f32], [0.25]], array![1.0f32]);
        assert_eq!(forward_one(&layer, &array![2.0f32, 4.0]), array![3.0f32]);
    }
}
