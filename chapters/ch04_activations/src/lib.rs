//! # Activation functions
//!
//! A dense layer computes `x·W + b`, a linear function of its input. Between two layers goes an
//! activation function `h`, applied to every number on its own: the step function, the sigmoid,
//! tanh, ReLU, or the identity. Without a non-linear `h`, two layers are no better than one. On
//! the last layer of a classifier, softmax turns a row of scores into probabilities; written
//! naively it overflows, and subtracting each row's maximum fixes it without changing the answer.
//!
//! Run the chapter: `cargo run -p ch04_activations` (values of each function and its
//! derivative, two linear layers collapsing into one, softmax and its overflow, a forward pass
//! on spiral data, and seven figures in `target/figures/ch04_activations/`).

pub mod exercises;
pub mod plots;

use ch03_layers::{Dense, Float};
use ndarray::{Array2, Axis};
use seeded_rng::{Rng, randn};

/// The step function: 1 when `a` is positive, 0 otherwise.
///
/// ```text
/// h(a) = 1 if a > 0
///        0 if a ≤ 0
/// ```
///
/// NumPy: `np.array(a > 0, dtype=int)`.
///
/// ```
/// use ch04_activations::step_function;
/// assert_eq!(step_function(0.3), 1.0);
/// assert_eq!(step_function(0.0), 0.0);
/// assert_eq!(step_function(-2.0f32), 0.0);
/// ```
// ANCHOR: step_function
pub fn step_function<F: Float>(a: F) -> F {
    if a > F::zero() { F::one() } else { F::zero() }
}
// ANCHOR_END: step_function

/// The slope of the step function: 0 wherever it is defined (everywhere but `a = 0`, where the
/// step jumps and has no slope; we return 0 there too).
///
/// ```text
/// h′(a) = 0   (a ≠ 0)
/// ```
///
/// ```
/// use ch04_activations::step_derivative;
/// assert_eq!(step_derivative(-1.0), 0.0);
/// assert_eq!(step_derivative(1.0), 0.0);
/// ```
// ANCHOR: step_derivative
pub fn step_derivative<F: Float>(_a: F) -> F {
    F::zero()
}
// ANCHOR_END: step_derivative

// ANCHOR: sigmoid
pub use ch03_layers::sigmoid;
// ANCHOR_END: sigmoid

/// The slope of the sigmoid, written with the sigmoid itself.
///
/// ```text
/// σ′(a) = σ(a) (1 − σ(a))
/// ```
///
/// NumPy: `(1 - sigmoid(a)) * sigmoid(a)`.
///
/// ```
/// use ch04_activations::sigmoid_derivative;
/// assert_eq!(sigmoid_derivative(0.0), 0.25); // σ(0) = 0.5, and 0.5 · 0.5 = 0.25
/// assert!((sigmoid_derivative(2.0f64) - 0.10499358540350652).abs() < 1e-15);
/// ```
// ANCHOR: sigmoid_derivative
pub fn sigmoid_derivative<F: Float>(a: F) -> F {
    let s = sigmoid(a);
    s * (F::one() - s)
}
// ANCHOR_END: sigmoid_derivative

/// The hyperbolic tangent: an S-curve like the sigmoid, but from −1 to 1 and through 0.
///
/// ```text
/// tanh(a) = (eᵃ − e⁻ᵃ) / (eᵃ + e⁻ᵃ) = 2σ(2a) − 1
/// ```
///
/// NumPy: `np.tanh(a)`.
///
/// ```
/// use ch04_activations::tanh;
/// assert_eq!(tanh(0.0), 0.0);
/// assert!((tanh(1.0f64) - 0.7615941559557649).abs() < 1e-15);
/// ```
// ANCHOR: tanh
pub fn tanh<F: Float>(a: F) -> F {
    a.tanh()
}
// ANCHOR_END: tanh

/// The slope of tanh, written with tanh itself.
///
/// ```text
/// tanh′(a) = 1 − tanh²(a)
/// ```
///
/// NumPy: `1 - np.tanh(a) ** 2`.
///
/// ```
/// use ch04_activations::tanh_derivative;
/// assert_eq!(tanh_derivative(0.0), 1.0);
/// assert!((tanh_derivative(1.0f64) - 0.41997434161402614).abs() < 1e-15);
/// ```
// ANCHOR: tanh_derivative
pub fn tanh_derivative<F: Float>(a: F) -> F {
    let t = a.tanh();
    F::one() - t * t
}
// ANCHOR_END: tanh_derivative

/// The rectified linear unit: `a` when it is positive, 0 otherwise.
///
/// ```text
/// relu(a) = max(0, a)
/// ```
///
/// NumPy: `np.maximum(0, a)`.
///
/// ```
/// use ch04_activations::relu;
/// assert_eq!(relu(-2.0), 0.0);
/// assert_eq!(relu(3.5), 3.5);
/// ```
// ANCHOR: relu
pub fn relu<F: Float>(a: F) -> F {
    a.max(F::zero())
}
// ANCHOR_END: relu

/// The slope of ReLU: 1 where it passes its input on, 0 where it blocks it. At `a = 0` the
/// kink has no slope; we take 0, as the Python books do.
///
/// ```text
/// relu′(a) = 1 if a > 0
///            0 if a ≤ 0
/// ```
///
/// NumPy: `(a > 0).astype(float)`.
///
/// ```
/// use ch04_activations::relu_derivative;
/// assert_eq!(relu_derivative(3.5), 1.0);
/// assert_eq!(relu_derivative(0.0), 0.0);
/// assert_eq!(relu_derivative(-2.0), 0.0);
/// ```
// ANCHOR: relu_derivative
pub fn relu_derivative<F: Float>(a: F) -> F {
    step_function(a)
}
// ANCHOR_END: relu_derivative

/// The identity: passes its input through unchanged (the output of a regression network).
///
/// ```text
/// identity(a) = a
/// ```
///
/// ```
/// assert_eq!(ch04_activations::identity(-1.5), -1.5);
/// ```
// ANCHOR: identity
pub fn identity<F: Float>(a: F) -> F {
    a
}
// ANCHOR_END: identity

/// The slope of the identity: 1 everywhere.
///
/// ```text
/// identity′(a) = 1
/// ```
///
/// ```
/// assert_eq!(ch04_activations::identity_derivative(-1.5), 1.0);
/// ```
// ANCHOR: identity_derivative
pub fn identity_derivative<F: Float>(_a: F) -> F {
    F::one()
}
// ANCHOR_END: identity_derivative

/// Two dense layers with the activation `h` applied, element by element, between them.
///
/// ```text
/// y = h(x·W₁ + b₁)·W₂ + b₂
/// ```
///
/// NumPy: `h(x @ W1 + b1) @ W2 + b2`.
///
/// ```
/// use ch03_layers::Dense;
/// use ch04_activations::{identity, relu, two_layers};
/// use ndarray::array;
/// let dense1 = Dense::from_parts(array![[1.0, -1.0]], array![0.0, 0.0]); // 1 → 2
/// let dense2 = Dense::from_parts(array![[1.0], [1.0]], array![0.0]); // 2 → 1
/// let x = array![[3.0]];
/// assert_eq!(two_layers(&x, &dense1, identity, &dense2), array![[0.0]]); // 3 − 3
/// assert_eq!(two_layers(&x, &dense1, relu, &dense2), array![[3.0]]); // 3 + 0
/// ```
///
/// # Panics
/// If `x` does not fit `dense1`, or `dense1`'s outputs do not fit `dense2`.
// ANCHOR: two_layers
pub fn two_layers<F: Float>(
    x: &Array2<F>,
    dense1: &Dense<F>,
    h: impl Fn(F) -> F,
    dense2: &Dense<F>,
) -> Array2<F> {
    let z1 = dense1.forward(x); // (batch, hidden)
    let a1 = z1.mapv(h); // (batch, hidden)
    dense2.forward(&a1) // (batch, outputs)
}
// ANCHOR_END: two_layers

/// A dense layer whose weights and biases are all drawn from N(0, 1): a layer of no particular
/// training, large enough that its activations bend visibly (unlike [`Dense::new`]'s 0.01·randn).
///
/// NumPy: `W = np.random.randn(n_inputs, n_neurons); b = np.random.randn(n_neurons)`.
///
/// ```
/// let layer = ch04_activations::randn_dense(2, 4, &mut seeded_rng::rng(0));
/// assert_eq!((layer.weights.dim(), layer.biases.dim()), ((2, 4), 4));
/// ```
pub fn randn_dense(n_inputs: usize, n_neurons: usize, rng: &mut impl Rng) -> Dense<f64> {
    let weights = randn(rng, (n_inputs, n_neurons)); // (inputs, neurons)
    let biases = randn(rng, (1, n_neurons)).remove_axis(Axis(0)); // (neurons)
    Dense::from_parts(weights, biases)
}

/// The one dense layer that computes the same as `dense1` then `dense2` with nothing (the
/// identity) between them.
///
/// ```text
/// (x·W₁ + b₁)·W₂ + b₂ = x·(W₁·W₂) + (b₁·W₂ + b₂)
/// W = W₁·W₂     b = b₁·W₂ + b₂
/// ```
///
/// NumPy: `W = W1 @ W2; b = b1 @ W2 + b2`.
///
/// ```
/// use ch03_layers::Dense;
/// use ch04_activations::collapse_linear;
/// use ndarray::array;
/// let dense1 = Dense::from_parts(array![[1.0, 2.0], [3.0, 4.0]], array![1.0, -1.0]);
/// let dense2 = Dense::from_parts(array![[1.0], [1.0]], array![0.5]);
/// let one = collapse_linear(&dense1, &dense2);
/// assert_eq!(one.weights, array![[3.0], [7.0]]); // the rows of W₁, summed
/// assert_eq!(one.biases, array![0.5]); // 1 − 1 + 0.5
/// let x = array![[1.0, 1.0]];
/// assert_eq!(one.forward(&x), dense2.forward(&dense1.forward(&x))); // both 10.5
/// ```
///
/// # Panics
/// If `dense1`'s outputs do not fit `dense2`'s inputs.
// ANCHOR: collapse
pub fn collapse_linear<F: Float>(dense1: &Dense<F>, dense2: &Dense<F>) -> Dense<F> {
    assert!(
        dense1.weights.ncols() == dense2.weights.nrows(),
        "layers with weights of shapes {:?} and {:?} do not chain",
        dense1.weights.dim(),
        dense2.weights.dim()
    );
    let weights = dense1.weights.dot(&dense2.weights); // (inputs, outputs)
    let biases = dense1.biases.dot(&dense2.weights) + &dense2.biases; // (outputs)
    Dense::from_parts(weights, biases)
}
// ANCHOR_END: collapse

/// Softmax of each row, straight from the definition: exponentiate, then divide by the row's
/// sum. Overflows to NaN when an input is large (above about 88 in `f32`, 709 in `f64`): use
/// [`softmax`].
///
/// ```text
/// softmax(x)ᵢ = eˣⁱ / Σⱼ eˣʲ
/// ```
///
/// NumPy: `exp = np.exp(x); exp / np.sum(exp, axis=1, keepdims=True)`.
///
/// ```
/// use ch04_activations::softmax_naive;
/// use ndarray::array;
/// let y = softmax_naive(&array![[0.0, 2f64.ln(), 3f64.ln()]]); // e^x = 1, 2, 3
/// assert!((y[[0, 2]] - 0.5).abs() < 1e-15); // 3 / (1 + 2 + 3)
/// assert!(softmax_naive(&array![[1000.0f64, 1001.0]])[[0, 0]].is_nan()); // ∞ / ∞
/// ```
// ANCHOR: softmax_naive
pub fn softmax_naive<F: Float>(x: &Array2<F>) -> Array2<F> {
    let exp = x.mapv(F::exp); // (batch, classes)
    let sum = exp.sum_axis(Axis(1)).insert_axis(Axis(1)); // (batch, 1)
    exp / &sum
}
// ANCHOR_END: softmax_naive

/// Softmax of each row, made safe by subtracting the row's maximum first: the largest
/// exponential is then `e⁰ = 1`, so nothing overflows, and the result is the same.
///
/// ```text
/// softmax(x)ᵢ = eˣⁱ⁻ᵐ / Σⱼ eˣʲ⁻ᵐ,   m = maxⱼ xⱼ
/// ```
///
/// Each row of the result is positive and sums to 1. `x` holds one sample per row.
///
/// NumPy (nnfs): `exp = np.exp(x - np.max(x, axis=1, keepdims=True));`
/// `exp / np.sum(exp, axis=1, keepdims=True)`.
///
/// ```
/// use ch04_activations::softmax;
/// use ndarray::array;
/// let y = softmax(&array![[0.0, 2f64.ln(), 3f64.ln()], [1000.0, 1000.0, 1000.0]]);
/// assert!((y[[0, 0]] - 1.0 / 6.0).abs() < 1e-15); // 1 / (1 + 2 + 3)
/// assert_eq!(y.row(1).to_vec(), vec![1.0 / 3.0; 3]); // no overflow
/// ```
// ANCHOR: softmax
pub fn softmax<F: Float>(x: &Array2<F>) -> Array2<F> {
    let max = x
        .map_axis(Axis(1), |row| row.fold(F::neg_infinity(), |m, &v| m.max(v)))
        .insert_axis(Axis(1)); // (batch, 1): each row's largest entry
    let shifted = x - &max; // (batch, classes): each row's largest entry is now 0
    softmax_naive(&shifted)
}
// ANCHOR_END: softmax

/// The forward pass of a small classifier: `Dense → ReLU → Dense → softmax`, one row of class
/// probabilities per sample.
///
/// NumPy (nnfs): `dense1.forward(X); activation1.forward(dense1.output);`
/// `dense2.forward(activation1.output); activation2.forward(dense2.output)`.
///
/// ```
/// use ch03_layers::Dense;
/// use ch04_activations::forward_pass;
/// use ndarray::{array, Array1, Array2};
/// // With zero weights every class gets the same score, so each probability is 1/3.
/// let dense1 = Dense::<f64>::from_parts(Array2::zeros((2, 3)), Array1::zeros(3));
/// let dense2 = Dense::<f64>::from_parts(Array2::zeros((3, 3)), Array1::zeros(3));
/// let y = forward_pass(&array![[0.5, -0.5]], &dense1, &dense2);
/// assert_eq!(y, array![[1.0 / 3.0, 1.0 / 3.0, 1.0 / 3.0]]);
/// ```
///
/// # Panics
/// If `x` does not fit `dense1`, or `dense1`'s outputs do not fit `dense2`.
// ANCHOR: forward_pass
pub fn forward_pass<F: Float>(x: &Array2<F>, dense1: &Dense<F>, dense2: &Dense<F>) -> Array2<F> {
    let z1 = dense1.forward(x); // (batch, hidden)
    let a1 = z1.mapv(relu); // (batch, hidden)
    let z2 = dense2.forward(&a1); // (batch, classes)
    softmax(&z2) // (batch, classes)
}
// ANCHOR_END: forward_pass

/// The largest input whose exponential is still a finite `F`: `ln(F::MAX)`.
///
/// ```
/// let limit = ch04_activations::exp_limit::<f64>(); // 709.78…
/// assert!(limit.exp().is_finite() && (limit + 1e-9).exp().is_infinite());
/// ```
pub fn exp_limit<F: Float>() -> F {
    F::max_value().ln()
}

/// Checks shared by the chapter's tests and the exercises' tests.
#[cfg(test)]
pub(crate) mod check {
    use super::*;
    use ch03_layers::float;

    // ANCHOR: central_difference
    /// The slope of `f` at `a`, estimated from the secant through `a − h` and `a + h`.
    pub fn central_difference(f: impl Fn(f64) -> f64, a: f64) -> f64 {
        let h = 1e-5;
        (f(a + h) - f(a - h)) / (2.0 * h)
    }

    /// Points to check derivatives at, away from the kinks at 0.
    pub const POINTS: [f64; 8] = [-4.0, -2.5, -1.0, -0.3, 0.2, 0.9, 1.7, 3.0];

    /// Asserts that `derivative` matches the central difference of `f` at every point.
    pub fn assert_derivative(f: fn(f64) -> f64, derivative: fn(f64) -> f64) {
        for a in POINTS {
            let (exact, estimate) = (derivative(a), central_difference(f, a));
            assert!(
                (exact - estimate).abs() < 1e-8,
                "at a = {a}: derivative {exact}, central difference {estimate}"
            );
        }
    }
    // ANCHOR_END: central_difference

    /// Asserts that two arrays agree to within `tolerance` everywhere.
    pub fn assert_close<F: Float>(a: &Array2<F>, b: &Array2<F>, tolerance: f64) {
        assert_eq!(a.dim(), b.dim());
        for (x, y) in a.iter().zip(b) {
            assert!((*x - *y).abs() < float(tolerance), "{a} vs {b}");
        }
    }
}

#[cfg(test)]
mod tests {
    use super::check::{POINTS, assert_close, assert_derivative};
    use super::*;
    use ndarray::array;
    use seeded_rng::{randn, rng};

    #[test]
    fn step_is_one_only_for_positive_inputs() {
        assert_eq!(
            [-1.0, -1e-9, 0.0, 1e-9, 1.0].map(step_function::<f64>),
            [0.0, 0.0, 0.0, 1.0, 1.0]
        );
    }

    #[test]
    fn sigmoid_is_one_over_one_plus_exp_minus_a() {
        for a in POINTS {
            assert!((sigmoid(a) - 1.0 / (1.0 + (-a).exp())).abs() < 1e-15);
        }
        assert_eq!(sigmoid(0.0), 0.5);
    }

    #[test]
    fn tanh_matches_its_two_formulas() {
        for a in POINTS {
            let by_exp = (a.exp() - (-a).exp()) / (a.exp() + (-a).exp());
            assert!((tanh(a) - by_exp).abs() < 1e-15, "a = {a}");
            assert!(
                (tanh(a) - (2.0 * sigmoid(2.0 * a) - 1.0)).abs() < 1e-15,
                "a = {a}"
            );
        }
    }

    #[test]
    fn relu_zeroes_negatives_and_keeps_positives() {
        assert_eq!(
            [-3.0, -0.5, 0.0, 0.5, 3.0].map(relu::<f64>),
            [0.0, 0.0, 0.0, 0.5, 3.0]
        );
    }

    #[test]
    fn identity_returns_its_input() {
        for a in POINTS {
            assert_eq!(identity(a), a);
        }
    }

    // ANCHOR: derivative_tests
    #[test]
    fn derivatives_match_central_differences() {
        assert_derivative(step_function, step_derivative);
        assert_derivative(sigmoid, sigmoid_derivative);
        assert_derivative(tanh, tanh_derivative);
        assert_derivative(relu, relu_derivative);
        assert_derivative(identity, identity_derivative);
    }
    // ANCHOR_END: derivative_tests

    #[test]
    fn derivatives_at_the_kinks_follow_the_convention() {
        assert_eq!(step_derivative(0.0), 0.0);
        assert_eq!(relu_derivative(0.0), 0.0);
        assert_eq!(sigmoid_derivative(0.0), 0.25);
        assert_eq!(tanh_derivative(0.0), 1.0);
    }

    #[test]
    fn two_identity_layers_collapse_to_one() {
        let mut rng = rng(1);
        let dense1 = randn_dense(2, 5, &mut rng);
        let dense2 = randn_dense(5, 3, &mut rng);
        let x = randn::<f64>(&mut rng, (50, 2));
        let one = collapse_linear(&dense1, &dense2);
        assert_eq!(one.weights.dim(), (2, 3));
        assert_close(
            &two_layers(&x, &dense1, identity, &dense2),
            &one.forward(&x),
            1e-12,
        );
    }

    #[test]
    #[should_panic(expected = "do not chain")]
    fn layers_that_do_not_chain_cannot_collapse() {
        let dense1 = Dense::<f64>::from_parts(Array2::zeros((2, 4)), ndarray::Array1::zeros(4));
        let dense2 = Dense::<f64>::from_parts(Array2::zeros((3, 1)), ndarray::Array1::zeros(1));
        collapse_linear(&dense1, &dense2);
    }

    #[test]
    fn softmax_matches_the_classic_example() {
        let y = softmax(&array![[4.8, 1.21, 2.385]]);
        assert_close(&y, &array![[0.89528266, 0.02470831, 0.08000903]], 5e-9);
    }

    #[test]
    fn softmax_rows_are_positive_and_sum_to_one() {
        let x = randn::<f64>(&mut rng(2), (20, 5)).mapv(|v| 10.0 * v);
        let y = softmax(&x);
        assert!(y.iter().all(|&p| p > 0.0));
        for sum in y.sum_axis(Axis(1)) {
            assert!((sum - 1.0).abs() < 1e-12, "row sum {sum}");
        }
    }

    #[test]
    fn softmax_ignores_a_constant_added_to_a_row() {
        let x = randn::<f64>(&mut rng(3), (4, 3));
        let c = array![[5.0], [-20.0], [300.0], [0.5]]; // one constant per row
        assert_close(&softmax(&(&x + &c)), &softmax(&x), 1e-14);
    }

    #[test]
    fn softmax_equals_the_naive_formula_on_small_inputs() {
        let x = randn::<f64>(&mut rng(4), (6, 4));
        assert_close(&softmax(&x), &softmax_naive(&x), 1e-15);
    }

    #[test]
    fn softmax_of_large_inputs_is_finite() {
        let y = softmax(&array![[1000.0f64, 1001.0, 1002.0]]);
        assert!(y.iter().all(|p| p.is_finite()));
        assert_close(&y, &softmax(&array![[0.0, 1.0, 2.0]]), 1e-15);
        let y32 = softmax(&array![[100.0f32, 101.0, 102.0]]);
        assert!(y32.iter().all(|p| p.is_finite()));
    }

    #[test]
    fn naive_softmax_of_large_inputs_is_nan() {
        assert!(
            softmax_naive(&array![[1000.0f64, 1001.0, 1002.0]])
                .iter()
                .all(|p| p.is_nan())
        );
        assert!(
            softmax_naive(&array![[100.0f32, 101.0, 102.0]])
                .iter()
                .all(|p| p.is_nan())
        );
    }

    #[test]
    fn exp_overflows_just_past_the_limit() {
        let limit = exp_limit::<f64>();
        assert!(limit.exp().is_finite());
        assert!((limit + 1e-12).exp().is_infinite());
        assert!((exp_limit::<f32>() - 88.72284).abs() < 1e-4);
    }

    #[test]
    fn forward_pass_on_spiral_data_is_near_uniform() {
        let mut rng = rng(0);
        let (x, _) = toy_datasets::spiral_data::<f32>(&mut rng, 100, 3);
        let dense1 = Dense::new(2, 3, &mut rng);
        let dense2 = Dense::new(3, 3, &mut rng);
        let y = forward_pass(&x, &dense1, &dense2);
        assert_eq!(y.dim(), (300, 3));
        for row in y.rows() {
            assert!((row.sum() - 1.0).abs() < 1e-6);
            assert!(row.iter().all(|p| (p - 1.0 / 3.0).abs() < 1e-3), "{row}");
        }
    }
}
