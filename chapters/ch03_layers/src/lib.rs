//! # Layers
//!
//! A batch of inputs is a matrix, one sample per row; a layer of neurons is a matrix product plus
//! a bias row. This chapter builds the dense layer every later chapter uses, chains layers into
//! the three-layer network of *Deep Learning from Scratch* §3.4, and meets the toy data sets the
//! next chapters train on.
//!
//! Run the chapter: `cargo run -p ch03_layers` (the layer outputs of both books, a matrix
//! product by hand, and two figures in `target/figures/ch03_layers/`).

pub mod exercises;
pub mod plots;

use std::fmt::{Debug, Display};

use ndarray::{Array1, Array2, ScalarOperand, array};
use seeded_rng::Rng;

/// The floating-point types our layers compute in: `f32` (fast, for training) and `f64`
/// (precise, for checking gradients). Any type with these abilities qualifies.
///
/// `num_traits::Float` brings the arithmetic and `exp`, `ScalarOperand` lets ndarray multiply
/// an array by a number of this type, `Debug + Display` let us print it, `Send + Sync +
/// 'static` let it cross threads. The blanket `impl` makes every such type a `Float` without
/// further ado: `f32` and `f64` are.
// ANCHOR: float
pub trait Float:
    num_traits::Float + ScalarOperand + Debug + Display + Send + Sync + 'static
{
}

impl<T> Float for T where
    T: num_traits::Float + ScalarOperand + Debug + Display + Send + Sync + 'static
{
}
// ANCHOR_END: float

/// Converts an `f64` constant to the float type `F` (exact for `f64`, rounded for `f32`).
///
/// Generic code cannot write `0.5` for an unknown `F`; it writes `float::<F>(0.5)`.
///
/// ```
/// assert_eq!(ch03_layers::float::<f32>(0.5), 0.5f32);
/// assert_eq!(ch03_layers::float::<f64>(0.1), 0.1f64);
/// ```
// ANCHOR: float_fn
pub fn float<F: Float>(v: f64) -> F {
    F::from(v).expect("an f64 converts to any float type")
}
// ANCHOR_END: float_fn

/// The matrix product, computed the way it is defined: entry `(i, j)` is the dot product of
/// row `i` of `a` with column `j` of `b`.
///
/// ```text
/// (n × m)·(m × p) = (n × p)       cᵢⱼ = Σₖ aᵢₖ bₖⱼ
/// ```
///
/// NumPy: `np.dot(a, b)` (or `a @ b`); ndarray: `a.dot(&b)`, which gives the same numbers much
/// faster.
///
/// ```
/// use ch03_layers::matmul_by_hand;
/// use ndarray::array;
/// let a = array![[1.0, 2.0, 3.0], [4.0, 5.0, 6.0]];
/// let b = array![[7.0, 8.0], [9.0, 10.0], [11.0, 12.0]];
/// // c₀₀ = 1·7 + 2·9 + 3·11 = 58
/// assert_eq!(matmul_by_hand(&a, &b), array![[58.0, 64.0], [139.0, 154.0]]);
/// assert_eq!(matmul_by_hand(&a, &b), a.dot(&b));
/// ```
///
/// # Panics
/// If `a` does not have as many columns as `b` has rows.
// ANCHOR: matmul
pub fn matmul_by_hand<F: Float>(a: &Array2<F>, b: &Array2<F>) -> Array2<F> {
    let ((n, m), (m_b, p)) = (a.dim(), b.dim());
    assert!(
        m == m_b,
        "a matrix of shape {:?} cannot multiply one of shape {:?}",
        a.dim(),
        b.dim()
    );
    let mut c = Array2::zeros((n, p));
    for i in 0..n {
        for j in 0..p {
            let mut sum = F::zero();
            for k in 0..m {
                sum = sum + a[[i, k]] * b[[k, j]];
            }
            c[[i, j]] = sum;
        }
    }
    c
}
// ANCHOR_END: matmul

/// The shape of the product of an `a`-shaped matrix with a `b`-shaped one, or `None` when the
/// inner sizes differ and the product does not exist.
///
/// ```text
/// (a × b)·(b × c) = (a × c)
/// ```
///
/// ```
/// use ch03_layers::product_shape;
/// assert_eq!(product_shape((3, 4), (4, 3)), Some((3, 3)));
/// assert_eq!(product_shape((3, 4), (3, 4)), None); // 4 columns, 3 rows
/// ```
// ANCHOR: product_shape
pub fn product_shape(a: (usize, usize), b: (usize, usize)) -> Option<(usize, usize)> {
    if a.1 == b.0 { Some((a.0, b.1)) } else { None }
}
// ANCHOR_END: product_shape

/// A dense (fully connected) layer: every input feeds every neuron.
///
/// ```text
/// Y = X·W + b      X: (batch, inputs)   W: (inputs, neurons)   b: (neurons)   Y: (batch, neurons)
/// ```
///
/// Column `j` of `W` holds the weights of neuron `j`, one per input, so `X·W` needs no
/// transpose. The bias row `b` is added to every row of `X·W` (broadcasting).
///
/// NumPy (nnfs): `Layer_Dense(n_inputs, n_neurons)`; `output = np.dot(inputs, self.weights) + self.biases`.
// ANCHOR: dense
#[derive(Debug, Clone, PartialEq)]
pub struct Dense<F> {
    pub weights: Array2<F>, // (inputs, neurons)
    pub biases: Array1<F>,  // (neurons)
}

impl<F: Float> Dense<F> {
    // ANCHOR_END: dense
    /// A layer with small random weights, `0.01 · N(0, 1)`, and zero biases, as nnfs starts.
    ///
    /// NumPy (nnfs): `0.01 * np.random.randn(n_inputs, n_neurons)`, `np.zeros((1, n_neurons))`.
    ///
    /// ```
    /// let layer = ch03_layers::Dense::<f32>::new(2, 3, &mut seeded_rng::rng(0));
    /// assert_eq!(layer.weights.dim(), (2, 3));
    /// assert!(layer.weights.iter().all(|w| w.abs() < 0.05));
    /// assert!(layer.biases.iter().all(|&b| b == 0.0));
    /// ```
    // ANCHOR: dense_new
    pub fn new(n_inputs: usize, n_neurons: usize, rng: &mut impl Rng) -> Self {
        let weights =
            seeded_rng::randn::<f64>(rng, (n_inputs, n_neurons)).mapv(|w| float(0.01 * w));
        Dense {
            weights,
            biases: Array1::zeros(n_neurons),
        }
    }
    // ANCHOR_END: dense_new

    /// A layer with the given weights `(inputs, neurons)` and biases `(neurons)`.
    ///
    /// ```
    /// use ch03_layers::Dense;
    /// use ndarray::array;
    /// let layer = Dense::from_parts(array![[0.1, 0.3, 0.5], [0.2, 0.4, 0.6]], array![0.1, 0.2, 0.3]);
    /// assert_eq!(layer.weights.dim(), (2, 3)); // 2 inputs, 3 neurons
    /// ```
    ///
    /// # Panics
    /// If the biases do not number one per neuron.
    pub fn from_parts(weights: Array2<F>, biases: Array1<F>) -> Self {
        assert_eq!(
            weights.ncols(),
            biases.len(),
            "weights of shape {:?} need one bias per neuron ({}), got biases of shape {:?}",
            weights.dim(),
            weights.ncols(),
            biases.dim()
        );
        Dense { weights, biases }
    }

    /// The layer's output for a batch `x`, one sample per row: `x·W + b`.
    ///
    /// ```
    /// use ch03_layers::Dense;
    /// use ndarray::array;
    /// let layer = Dense::from_parts(array![[1.0, 2.0], [3.0, 4.0]], array![0.5, -0.5]);
    /// let y = layer.forward(&array![[1.0, 1.0], [0.0, 2.0]]);
    /// // row 0: [1·1 + 1·3 + 0.5, 1·2 + 1·4 − 0.5]
    /// assert_eq!(y, array![[4.5, 5.5], [6.5, 7.5]]);
    /// ```
    ///
    /// # Panics
    /// If `x` does not have one column per input of the layer.
    // ANCHOR: dense_forward
    pub fn forward(&self, x: &Array2<F>) -> Array2<F> {
        assert_eq!(
            x.ncols(),
            self.weights.nrows(),
            "inputs of shape {:?} do not fit weights of shape {:?}: \
             the inputs need one column per weight row",
            x.dim(),
            self.weights.dim()
        );
        x.dot(&self.weights) + &self.biases
    }
}
// ANCHOR_END: dense_forward

/// The batch of *Neural Networks from Scratch* chapter 3: three samples of four features.
// ANCHOR: nnfs_batch
pub fn nnfs_batch() -> Array2<f64> {
    array![
        [1.0, 2.0, 3.0, 2.5],
        [2.0, 5.0, -1.0, 2.0],
        [-1.5, 2.7, 3.3, -0.8],
    ]
}
// ANCHOR_END: nnfs_batch

/// nnfs's layer of three neurons with four inputs each.
///
/// nnfs writes the weights one row per neuron, `(neurons, inputs)`, and multiplies by their
/// transpose; our [`Dense`] keeps them `(inputs, neurons)`, so we transpose once, here.
///
/// ```
/// use ch03_layers::{nnfs_batch, nnfs_layer1};
/// let output = nnfs_layer1().forward(&nnfs_batch());
/// // sample 0, neuron 0: 1·0.2 + 2·0.8 + 3·(−0.5) + 2.5·1.0 + 2 = 4.8
/// assert!((output[[0, 0]] - 4.8).abs() < 1e-12);
/// ```
// ANCHOR: nnfs_layer1
pub fn nnfs_layer1() -> Dense<f64> {
    let weights = array![
        [0.2, 0.8, -0.5, 1.0],      // neuron 0
        [0.5, -0.91, 0.26, -0.5],   // neuron 1
        [-0.26, -0.27, 0.17, 0.87]  // neuron 2
    ]; // (neurons, inputs), as nnfs writes them
    Dense::from_parts(weights.t().to_owned(), array![2.0, 3.0, 0.5])
}
// ANCHOR_END: nnfs_layer1

/// nnfs's second layer: three neurons that read the three outputs of [`nnfs_layer1`].
// ANCHOR: nnfs_layer2
pub fn nnfs_layer2() -> Dense<f64> {
    // (neurons, inputs), as nnfs writes them
    let weights = array![[0.1, -0.14, 0.5], [-0.5, 0.12, -0.33], [-0.44, 0.73, -0.13]];
    Dense::from_parts(weights.t().to_owned(), array![-1.0, 2.0, -0.5])
}
// ANCHOR_END: nnfs_layer2

/// The sigmoid function squashes any number into (0, 1).
///
/// ```text
/// σ(a) = 1 / (1 + e^(−a))
/// ```
///
/// NumPy: `1 / (1 + np.exp(-a))`.
///
/// ```
/// use ch03_layers::sigmoid;
/// assert_eq!(sigmoid(0.0), 0.5);
/// assert!((sigmoid(1.0f64) - 0.7310585786300049).abs() < 1e-15);
/// ```
// ANCHOR: sigmoid
pub fn sigmoid<F: Float>(a: F) -> F {
    F::one() / (F::one() + (-a).exp())
}
// ANCHOR_END: sigmoid

/// The three-layer network of *Deep Learning from Scratch* §3.4, with the book's fixed weights:
/// 2 inputs → 3 neurons → 2 neurons → 2 outputs.
///
/// ```
/// let [l1, l2, l3] = ch03_layers::dlfs_network();
/// assert_eq!((l1.weights.dim(), l2.weights.dim(), l3.weights.dim()), ((2, 3), (3, 2), (2, 2)));
/// ```
// ANCHOR: dlfs
pub fn dlfs_network() -> [Dense<f64>; 3] {
    let w1 = array![[0.1, 0.3, 0.5], [0.2, 0.4, 0.6]]; // (2, 3)
    let b1 = array![0.1, 0.2, 0.3];
    let w2 = array![[0.1, 0.4], [0.2, 0.5], [0.3, 0.6]]; // (3, 2)
    let b2 = array![0.1, 0.2];
    let w3 = array![[0.1, 0.3], [0.2, 0.4]]; // (2, 2)
    let b3 = array![0.1, 0.2];
    [
        Dense::from_parts(w1, b1),
        Dense::from_parts(w2, b2),
        Dense::from_parts(w3, b3),
    ]
}
// ANCHOR_END: dlfs

/// The forward pass of [`dlfs_network`] on a batch `x` of shape `(batch, 2)`: sigmoid after
/// the first two layers, the identity after the last.
///
/// ```text
/// z₁ = σ(x·W₁ + b₁)    z₂ = σ(z₁·W₂ + b₂)    y = z₂·W₃ + b₃
/// ```
///
/// NumPy (DLFS): `forward(network, np.array([1.0, 0.5]))` prints `[0.31682708 0.69627909]`.
///
/// ```
/// use ndarray::array;
/// let y = ch03_layers::dlfs_forward(&array![[1.0, 0.5]]);
/// assert!((y[[0, 0]] - 0.31682708).abs() < 5e-9);
/// assert!((y[[0, 1]] - 0.69627909).abs() < 5e-9);
/// ```
///
/// # Panics
/// If `x` does not have two columns.
// ANCHOR: dlfs_forward
pub fn dlfs_forward(x: &Array2<f64>) -> Array2<f64> {
    let [layer1, layer2, layer3] = dlfs_network();
    let a1 = layer1.forward(x); //   (batch, 3)
    let z1 = a1.mapv(sigmoid);
    let a2 = layer2.forward(&z1); // (batch, 2)
    let z2 = a2.mapv(sigmoid);
    let a3 = layer3.forward(&z2); // (batch, 2)
    a3 // the identity: the output layer passes its sums through unchanged
}
// ANCHOR_END: dlfs_forward

#[cfg(test)]
mod tests {
    use super::*;
    use ndarray::Array;

    /// Asserts that two matrices agree entry by entry to within `tolerance`.
    fn assert_close(actual: &Array2<f64>, expected: &Array2<f64>, tolerance: f64) {
        assert_eq!(actual.dim(), expected.dim());
        for (a, e) in actual.iter().zip(expected) {
            assert!((a - e).abs() < tolerance, "{actual} is not {expected}");
        }
    }

    #[test]
    fn the_nnfs_batch_gives_the_outputs_nnfs_prints() {
        let output = nnfs_layer1().forward(&nnfs_batch());
        let nnfs = array![[4.8, 1.21, 2.385], [8.9, -1.81, 0.2], [1.41, 1.051, 0.026]];
        assert_close(&output, &nnfs, 1e-12);
    }

    #[test]
    fn two_nnfs_layers_give_the_outputs_nnfs_prints() {
        let output = nnfs_layer2().forward(&nnfs_layer1().forward(&nnfs_batch()));
        let nnfs = array![
            [0.5031, -1.04185, -2.03875],
            [0.2434, -2.7332, -5.7633],
            [-0.99314, 1.41254, -0.35655]
        ];
        assert_close(&output, &nnfs, 1e-12);
    }

    #[test]
    fn the_dlfs_network_prints_the_books_eight_digits() {
        let y = dlfs_forward(&array![[1.0, 0.5]]);
        assert_eq!(
            format!("{:.8} {:.8}", y[[0, 0]], y[[0, 1]]),
            "0.31682708 0.69627909"
        );
    }

    #[test]
    fn the_dlfs_first_layer_matches_the_book() {
        // DLFS prints A1 = [0.3 0.7 1.1] and Z1 = [0.57444252 0.66818777 0.75026011].
        let [layer1, _, _] = dlfs_network();
        let a1 = layer1.forward(&array![[1.0, 0.5]]);
        assert_close(&a1, &array![[0.3, 0.7, 1.1]], 1e-12);
        let z1 = a1.mapv(sigmoid);
        assert_close(&z1, &array![[0.57444252, 0.66818777, 0.75026011]], 5e-9);
    }

    #[test]
    fn a_batch_is_many_single_samples_at_once() {
        let x = array![[1.0, 0.5], [-2.0, 3.0], [0.0, 0.0]];
        let y = dlfs_forward(&x);
        for (i, row) in x.rows().into_iter().enumerate() {
            let one = dlfs_forward(&row.to_owned().insert_axis(ndarray::Axis(0)));
            assert_close(
                &one,
                &y.row(i).to_owned().insert_axis(ndarray::Axis(0)),
                1e-15,
            );
        }
    }

    #[test]
    fn matmul_by_hand_agrees_with_ndarray() {
        let mut rng = seeded_rng::rng(1);
        let a = seeded_rng::randn::<f64>(&mut rng, (5, 7));
        let b = seeded_rng::randn::<f64>(&mut rng, (7, 4));
        assert_close(&matmul_by_hand(&a, &b), &a.dot(&b), 1e-12);
    }

    #[test]
    #[should_panic(expected = "a matrix of shape (3, 4) cannot multiply one of shape (3, 4)")]
    fn matmul_by_hand_refuses_mismatched_shapes() {
        let a = Array::<f64, _>::zeros((3, 4));
        matmul_by_hand(&a, &a);
    }

    #[test]
    fn product_shape_follows_the_inner_sizes() {
        assert_eq!(product_shape((1, 2), (2, 3)), Some((1, 3)));
        assert_eq!(product_shape((300, 2), (2, 3)), Some((300, 3)));
        assert_eq!(product_shape((2, 3), (2, 3)), None);
    }

    // ANCHOR: shape_mismatch
    #[test]
    #[should_panic(expected = "inputs of shape (3, 4) do not fit weights of shape (3, 3)")]
    fn forward_names_both_shapes_when_they_do_not_fit() {
        let layer = nnfs_layer2(); // 3 inputs
        layer.forward(&nnfs_batch()); // 4 features per sample
    }
    // ANCHOR_END: shape_mismatch

    #[test]
    #[should_panic(expected = "weights of shape (2, 3) need one bias per neuron (3)")]
    fn from_parts_needs_one_bias_per_neuron() {
        Dense::from_parts(Array2::<f32>::zeros((2, 3)), Array1::zeros(2));
    }

    #[test]
    fn the_same_seed_gives_the_same_layer_in_f32_and_f64() {
        let a = Dense::<f32>::new(4, 5, &mut seeded_rng::rng(9));
        let b = Dense::<f64>::new(4, 5, &mut seeded_rng::rng(9));
        assert_eq!(a.weights, b.weights.mapv(|w| w as f32));
        assert_eq!(a, Dense::<f32>::new(4, 5, &mut seeded_rng::rng(9)));
    }

    #[test]
    fn a_new_layer_maps_the_origin_to_zero() {
        let layer = Dense::<f32>::new(2, 3, &mut seeded_rng::rng(0));
        let y = layer.forward(&Array2::zeros((1, 2)));
        assert_eq!(y, Array2::zeros((1, 3)));
    }

    #[test]
    fn sigmoid_squashes_into_the_unit_interval() {
        for a in [-30.0f64, -5.0, -1.0, 0.0, 1.0, 5.0, 30.0] {
            let s = sigmoid(a);
            assert!((0.0..=1.0).contains(&s), "σ({a}) = {s}");
            assert!((s + sigmoid(-a) - 1.0).abs() < 1e-15, "σ(a) + σ(−a) = 1");
        }
        assert!(sigmoid(-1000.0f32) == 0.0 && sigmoid(1000.0f32) == 1.0);
    }
}
