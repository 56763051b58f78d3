//! Fitting a curve: a sigmoid network that predicts a number, trained on `(cos x + 1)/2`.

use ch03_layers::{Float, float};
use ndarray::Array2;
use seeded_rng::Rng;

use crate::{Affine, Layer, MseLoss, Sequential, Sigmoid, sgd_step};

/// `n` points evenly spaced over `[start, end]` as a column, and the curve `(cos x + 1)/2`
/// at each: the data of the curve-fitting experiment.
///
/// ```
/// let (x, t) = ch09_backprop::cosine_data::<f64>(-7.0, 7.0, 3);
/// assert_eq!(x.column(0).to_vec(), [-7.0, 0.0, 7.0]);
/// assert_eq!(t[[1, 0]], 1.0); // (cos 0 + 1)/2
/// ```
pub fn cosine_data<F: Float>(start: f64, end: f64, n: usize) -> (Array2<F>, Array2<F>) {
    let step = (end - start) / (n.max(2) - 1) as f64;
    let xs: Vec<f64> = (0..n).map(|i| start + step * i as f64).collect();
    let x = Array2::from_shape_fn((n, 1), |(i, _)| float(xs[i]));
    let t = Array2::from_shape_fn((n, 1), |(i, _)| float((xs[i].cos() + 1.0) / 2.0));
    (x, t)
}

/// A regression network: Affine layers of the given `sizes` with a Sigmoid between each two,
/// the identity at the end, and the mean squared error as its loss. Weights are drawn from
/// `std · N(0, 1)`, biases from `bias_std · N(0, 1)`.
///
/// ```
/// let mut net = ch09_backprop::sigmoid_regressor::<f64>(&[1, 8, 5, 3, 1], 1.0, 1.0, &mut seeded_rng::rng(0));
/// assert_eq!(net.layers.len(), 7); // four Affine, three Sigmoid
/// assert_eq!(net.parameter_count(), 16 + 45 + 18 + 4);
/// ```
///
/// # Panics
/// If `sizes` has fewer than two entries.
// ANCHOR: sigmoid_regressor
pub fn sigmoid_regressor<F: Float>(
    sizes: &[usize],
    std: f64,
    bias_std: f64,
    rng: &mut impl Rng,
) -> Sequential<F, MseLoss<F>> {
    assert!(sizes.len() >= 2, "a network needs two sizes, got {sizes:?}");
    let mut layers: Vec<Box<dyn Layer<F>>> = Vec::new();
    for (i, pair) in sizes.windows(2).enumerate() {
        if i > 0 {
            layers.push(Box::new(Sigmoid::default()));
        }
        let affine = Affine::new(pair[0], pair[1], std, rng).with_random_bias(bias_std, rng);
        layers.push(Box::new(affine));
    }
    Sequential::new(layers, MseLoss::default())
}
// ANCHOR_END: sigmoid_regressor

/// Gradient descent on the whole data set at once: `iterations` steps of backprop and SGD with
/// learning rate `lr`. Returns the loss of each step (measured by its own forward pass).
///
/// ```
/// use ch09_backprop::{cosine_data, fit, sigmoid_regressor};
/// let mut net = sigmoid_regressor::<f64>(&[1, 4, 1], 1.0, 1.0, &mut seeded_rng::rng(0));
/// let (x, t) = cosine_data(-1.0, 1.0, 10);
/// let losses = fit(&mut net, &x, &t, 0.5, 200);
/// assert!(losses[199] < losses[0]);
/// ```
// ANCHOR: fit
pub fn fit<F: Float>(
    net: &mut Sequential<F, MseLoss<F>>,
    x: &Array2<F>,
    t: &Array2<F>,
    lr: f64,
    iterations: usize,
) -> Vec<F> {
    let mut losses = Vec::with_capacity(iterations);
    for _ in 0..iterations {
        losses.push(net.gradient(x, t));
        sgd_step(net.params_and_grads(), float(lr));
    }
    losses
}
// ANCHOR_END: fit
