//! # Neurons
//!
//! A neuron multiplies each of its inputs by a weight, adds the products up and adds a bias. A
//! layer is several neurons that read the same inputs. Written with the dot product, a whole
//! layer is one line, `weights · inputs + biases`, as long as the shapes agree: ndarray checks
//! them while the program runs, nalgebra's fixed-size matrices while it compiles.
//!
//! Run the chapter: `cargo run -p ch02_neurons` (one neuron and a layer computed by hand, with
//! ndarray and with nalgebra, the shape errors ndarray reports, and two figures in
//! `target/figures/ch02_neurons/`).

pub mod exercises;
pub mod plots;

use std::panic::{self, UnwindSafe};

use nalgebra::{SMatrix, SVector};
use ndarray::{Array1, Array2};

// ANCHOR: neuron_numbers
/// The four inputs of the chapter's examples (the numbers of *Neural Networks from Scratch*).
pub const INPUTS: [f64; 4] = [1.0, 2.0, 3.0, 2.5];
/// The weights of one neuron: one weight per input.
pub const WEIGHTS: [f64; 4] = [0.2, 0.8, -0.5, 1.0];
/// The bias of that neuron.
pub const BIAS: f64 = 2.0;
// ANCHOR_END: neuron_numbers

/// One neuron: each input times its weight, all added up, plus the bias.
///
/// ```text
/// y = x₁w₁ + x₂w₂ + … + xₙwₙ + b
/// ```
///
/// NumPy: `np.dot(weights, inputs) + bias`
///
/// ```
/// use ch02_neurons::{neuron, BIAS, INPUTS, WEIGHTS};
/// // 1·0.2 + 2·0.8 + 3·(−0.5) + 2.5·1 + 2 = 0.2 + 1.6 − 1.5 + 2.5 + 2 = 4.8
/// assert!((neuron(&INPUTS, &WEIGHTS, BIAS) - 4.8).abs() < 1e-12);
/// ```
///
/// # Panics
///
/// If `inputs` and `weights` have different lengths.
// ANCHOR: neuron
pub fn neuron(inputs: &[f64], weights: &[f64], bias: f64) -> f64 {
    assert!(
        inputs.len() == weights.len(),
        "neuron: {} inputs but {} weights",
        inputs.len(),
        weights.len()
    );
    let mut output = 0.0;
    for (x, w) in inputs.iter().zip(weights) {
        output += x * w;
    }
    output + bias
}
// ANCHOR_END: neuron

// ANCHOR: layer_numbers
/// The weights of a layer of three neurons, one row per neuron, each row one weight per input.
pub const LAYER_WEIGHTS: [[f64; 4]; 3] = [
    [0.2, 0.8, -0.5, 1.0],
    [0.5, -0.91, 0.26, -0.5],
    [-0.26, -0.27, 0.17, 0.87],
];
/// The biases of that layer: one per neuron.
pub const LAYER_BIASES: [f64; 3] = [2.0, 3.0, 0.5];
// ANCHOR_END: layer_numbers

/// A layer of neurons: every neuron reads the same inputs with its own weights and bias.
///
/// ```text
/// yⱼ = xᵀwⱼ + bⱼ = x₁wⱼ₁ + x₂wⱼ₂ + … + xₙwⱼₙ + bⱼ      for each neuron j
/// ```
///
/// The row of weights of each neuron has `N` entries, as many as there are inputs: the compiler
/// checks that. It cannot check that there is one bias per row, so that is checked when the
/// function runs.
///
/// NumPy: `[np.dot(w, inputs) + b for w, b in zip(weights, biases)]`
///
/// ```
/// use ch02_neurons::{layer, INPUTS, LAYER_BIASES, LAYER_WEIGHTS};
/// let outputs = layer(&INPUTS, &LAYER_WEIGHTS, &LAYER_BIASES);
/// for (y, expected) in outputs.iter().zip([4.8, 1.21, 2.385]) {
///     assert!((y - expected).abs() < 1e-12);
/// }
/// ```
///
/// # Panics
///
/// If there are not as many biases as rows of weights.
// ANCHOR: layer
pub fn layer<const N: usize>(inputs: &[f64; N], weights: &[[f64; N]], biases: &[f64]) -> Vec<f64> {
    assert!(
        weights.len() == biases.len(),
        "layer: {} rows of weights but {} biases",
        weights.len(),
        biases.len()
    );
    let mut outputs = Vec::new();
    for (neuron_weights, &bias) in weights.iter().zip(biases) {
        outputs.push(neuron(inputs, neuron_weights, bias));
    }
    outputs
}
// ANCHOR_END: layer

/// The dot product of two vectors of the same length: multiply them element by element and
/// add up the products.
///
/// ```text
/// a · b = a₁b₁ + a₂b₂ + … + aₙbₙ
/// ```
///
/// A neuron is the dot product of its weights with the inputs, plus its bias.
///
/// NumPy: `np.dot(a, b)`
///
/// ```
/// use ch02_neurons::{dot, neuron, BIAS, INPUTS, WEIGHTS};
/// assert_eq!(dot(&[1.0, 2.0, 3.0], &[4.0, 5.0, 6.0]), 32.0); // 4 + 10 + 18
/// assert_eq!(dot(&WEIGHTS, &INPUTS) + BIAS, neuron(&INPUTS, &WEIGHTS, BIAS));
/// ```
///
/// # Panics
///
/// If the lengths differ; the message names both.
///
/// ```should_panic
/// // panics with "dot: a has 4 elements but b has 3"
/// ch02_neurons::dot(&[1.0, 2.0, 3.0, 2.5], &[0.2, 0.8, -0.5]);
/// ```
// ANCHOR: dot
pub fn dot(a: &[f64], b: &[f64]) -> f64 {
    assert!(
        a.len() == b.len(),
        "dot: a has {} elements but b has {}",
        a.len(),
        b.len()
    );
    let mut sum = 0.0;
    for (x, y) in a.iter().zip(b) {
        sum += x * y;
    }
    sum
}
// ANCHOR_END: dot

/// A layer with ndarray: the weights are a matrix with one row per neuron, and one
/// matrix-vector product computes every neuron's dot product at once.
///
/// ```text
/// y = W x + b      W: (neurons, inputs),  x: (inputs,),  b: (neurons,),  y: (neurons,)
/// ```
///
/// NumPy: `np.dot(weights, inputs) + biases`
///
/// ```
/// use ch02_neurons::{layer_ndarray, INPUTS, LAYER_BIASES, LAYER_WEIGHTS};
/// use ndarray::{arr1, arr2};
/// let weights = arr2(&LAYER_WEIGHTS); // 3 × 4
/// let outputs = layer_ndarray(&weights, &arr1(&INPUTS), &arr1(&LAYER_BIASES));
/// assert_eq!(outputs.shape(), [3]);
/// let expected = arr1(&[4.8, 1.21, 2.385]);
/// assert!((&outputs - &expected).iter().all(|d| d.abs() < 1e-12));
/// ```
///
/// # Panics
///
/// If `weights` does not have one column per input (ndarray's product panics, naming both
/// shapes), or `biases` does not have one entry per row of `weights` (checked here first:
/// ndarray's own message for that names neither shape).
// ANCHOR: layer_ndarray
pub fn layer_ndarray(
    weights: &Array2<f64>,
    inputs: &Array1<f64>,
    biases: &Array1<f64>,
) -> Array1<f64> {
    assert!(
        biases.len() == weights.nrows(),
        "layer_ndarray: weights of shape {:?} need {} biases, got shape {:?}",
        weights.shape(),
        weights.nrows(),
        biases.shape()
    );
    weights.dot(inputs) + biases
}
// ANCHOR_END: layer_ndarray

/// A layer with nalgebra's fixed-size matrices: the same `W x + b`, but the shapes are part of
/// the types, so the compiler checks them.
///
/// ```text
/// y = W x + b      W: R × C,  x: C,  b: R,  y: R
/// ```
///
/// ```
/// use ch02_neurons::{layer_nalgebra, INPUTS, LAYER_BIASES, LAYER_WEIGHTS};
/// use nalgebra::{SMatrix, SVector};
/// let weights = SMatrix::<f64, 3, 4>::from_row_slice(LAYER_WEIGHTS.as_flattened());
/// let inputs = SVector::<f64, 4>::from(INPUTS);
/// let biases = SVector::<f64, 3>::from(LAYER_BIASES);
/// let outputs: SVector<f64, 3> = layer_nalgebra(&weights, &inputs, &biases);
/// let expected = SVector::<f64, 3>::new(4.8, 1.21, 2.385);
/// assert!((outputs - expected).amax() < 1e-12);
/// ```
///
/// Give the same 3 × 4 weights three inputs instead of four and the program does not compile:
/// there is no product of a matrix with 4 columns and a vector of 3 entries.
///
/// ```compile_fail,E0277
/// use nalgebra::{SMatrix, SVector};
/// let weights = SMatrix::<f64, 3, 4>::zeros();
/// let inputs = SVector::<f64, 3>::zeros(); // one input short
/// let outputs = weights * inputs;
/// ```
// ANCHOR: layer_nalgebra
pub fn layer_nalgebra<const R: usize, const C: usize>(
    weights: &SMatrix<f64, R, C>,
    inputs: &SVector<f64, C>,
    biases: &SVector<f64, R>,
) -> SVector<f64, R> {
    weights * inputs + biases
}
// ANCHOR_END: layer_nalgebra

/// Runs `f` and returns the message it panicked with, or `None` if it returned normally.
///
/// A program can use it to show a panic's message instead of stopping. The usual report on
/// stderr (`thread 'main' panicked at …`) is silenced while `f` runs.
///
/// ```
/// use ch02_neurons::{dot, panic_message};
/// let message = panic_message(|| dot(&[1.0, 2.0], &[3.0]));
/// assert_eq!(message.as_deref(), Some("dot: a has 2 elements but b has 1"));
/// assert_eq!(panic_message(|| dot(&[1.0], &[3.0])), None);
/// ```
pub fn panic_message<R>(f: impl FnOnce() -> R + UnwindSafe) -> Option<String> {
    let report = panic::take_hook();
    panic::set_hook(Box::new(|_| {}));
    let result = panic::catch_unwind(f);
    panic::set_hook(report);
    let payload = result.err()?;
    let message = if let Some(text) = payload.downcast_ref::<String>() {
        text.clone()
    } else if let Some(text) = payload.downcast_ref::<&str>() {
        text.to_string()
    } else {
        "a panic without a message".to_string()
    };
    Some(message)
}

#[cfg(test)]
mod tests {
    use super::*;
    use ndarray::{arr1, arr2};

    /// The layer's outputs in *Neural Networks from Scratch*.
    const NNFS_OUTPUTS: [f64; 3] = [4.8, 1.21, 2.385];

    fn close(a: &[f64], b: &[f64]) -> bool {
        a.len() == b.len() && a.iter().zip(b).all(|(x, y)| (x - y).abs() < 1e-12)
    }

    #[test]
    fn neuron_gives_the_books_output() {
        assert!((neuron(&INPUTS, &WEIGHTS, BIAS) - 4.8).abs() < 1e-12);
    }

    #[test]
    fn a_neuron_with_zero_weights_outputs_its_bias() {
        assert_eq!(neuron(&INPUTS, &[0.0; 4], -1.5), -1.5);
    }

    #[test]
    #[should_panic(expected = "neuron: 4 inputs but 3 weights")]
    fn a_neuron_needs_one_weight_per_input() {
        neuron(&INPUTS, &[1.0, 2.0, 3.0], 0.0);
    }

    #[test]
    fn layer_gives_the_books_outputs() {
        assert!(close(
            &layer(&INPUTS, &LAYER_WEIGHTS, &LAYER_BIASES),
            &NNFS_OUTPUTS
        ));
    }

    #[test]
    fn the_first_neuron_of_the_layer_is_the_single_neuron() {
        assert_eq!(LAYER_WEIGHTS[0], WEIGHTS);
        assert_eq!(LAYER_BIASES[0], BIAS);
    }

    #[test]
    #[should_panic(expected = "layer: 3 rows of weights but 2 biases")]
    fn a_layer_needs_one_bias_per_neuron() {
        layer(&INPUTS, &LAYER_WEIGHTS, &[1.0, 2.0]);
    }

    #[test]
    fn dot_is_symmetric() {
        assert_eq!(dot(&INPUTS, &WEIGHTS), dot(&WEIGHTS, &INPUTS));
    }

    #[test]
    fn dot_of_empty_vectors_is_zero() {
        assert_eq!(dot(&[], &[]), 0.0);
    }

    #[test]
    #[should_panic(expected = "dot: a has 4 elements but b has 3")]
    fn dot_names_both_lengths_when_they_differ() {
        dot(&INPUTS, &WEIGHTS[..3]);
    }

    #[test]
    fn every_way_of_computing_the_layer_agrees() {
        let by_hand = layer(&INPUTS, &LAYER_WEIGHTS, &LAYER_BIASES);
        let with_ndarray =
            layer_ndarray(&arr2(&LAYER_WEIGHTS), &arr1(&INPUTS), &arr1(&LAYER_BIASES));
        let with_nalgebra = layer_nalgebra(
            &SMatrix::<f64, 3, 4>::from_row_slice(LAYER_WEIGHTS.as_flattened()),
            &SVector::from(INPUTS),
            &SVector::from(LAYER_BIASES),
        );
        assert!(close(&by_hand, &NNFS_OUTPUTS));
        assert!(close(with_ndarray.as_slice().unwrap(), &by_hand));
        assert!(close(with_nalgebra.as_slice(), &by_hand));
    }

    #[test]
    fn the_compile_fail_example_compiles_with_four_inputs() {
        // The `compile_fail` example of `layer_nalgebra`, with the input it was missing.
        let weights = SMatrix::<f64, 3, 4>::zeros();
        let inputs = SVector::<f64, 4>::zeros();
        let outputs: SVector<f64, 3> = weights * inputs;
        assert_eq!(outputs, SVector::<f64, 3>::zeros());
    }

    #[test]
    #[should_panic(
        expected = "ndarray: inputs 3 × 4 and 3 × 1 are not compatible for matrix multiplication"
    )]
    fn ndarray_refuses_a_product_of_mismatched_shapes() {
        layer_ndarray(
            &arr2(&LAYER_WEIGHTS),
            &arr1(&INPUTS[..3]),
            &arr1(&LAYER_BIASES),
        );
    }

    #[test]
    #[should_panic(
        expected = "layer_ndarray: weights of shape [3, 4] need 3 biases, got shape [2]"
    )]
    fn ndarray_refuses_biases_of_the_wrong_length() {
        layer_ndarray(&arr2(&LAYER_WEIGHTS), &arr1(&INPUTS), &arr1(&[1.0, 2.0]));
    }

    #[test]
    fn panic_message_reads_static_and_formatted_messages() {
        assert_eq!(
            panic_message(|| panic!("a static message")).as_deref(),
            Some("a static message")
        );
        let n = 3;
        assert_eq!(
            panic_message(|| panic!("{n} formatted")).as_deref(),
            Some("3 formatted")
        );
    }
}
