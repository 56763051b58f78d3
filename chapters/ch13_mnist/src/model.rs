//! The network: a multi-layer perceptron built from the earlier chapters' parts, and what one
//! image costs it in floating-point operations.

use anyhow::{Result, anyhow, ensure};
use ch03_layers::Float;
use ch04_activations::softmax;
use ch05_loss::argmax_rows;
use ch09_backprop::Sequential;
use ch10_optimizers::{Activation, Init, multi_layer_net};
use ndarray::Array2;
use seeded_rng::Rng;

/// A multi-layer perceptron for MNIST: the backprop chapter's `Sequential` network of `Affine`
/// and `Relu` layers with `SoftmaxWithLoss` at the end, built by the optimizers chapter's
/// `multi_layer_net` with He initialisation (`σ = √(2/n_in)`, right for ReLU), biases zero;
/// and the layer sizes it was built with, which a saved model needs to be rebuilt.
///
/// ```text
/// 784 → Affine → ReLU → … → Affine → 10 scores → softmax
/// ```
///
/// ```
/// let mut model = ch13_mnist::Mlp::<f32>::new(&[784, 256, 128, 10], &mut seeded_rng::rng(0));
/// assert_eq!(model.parameter_count(), 784 * 256 + 256 + 256 * 128 + 128 + 128 * 10 + 10);
/// assert_eq!(model.architecture(), "784-256-128-10");
/// assert_eq!(format!("{model:?}"), "Mlp(784-256-128-10)");
///
/// let x = ndarray::Array2::<f32>::zeros((3, 784)); // three blank images
/// let p = model.probabilities(&x);
/// assert_eq!(p.dim(), (3, 10));
/// assert!((p.row(0).sum() - 1.0).abs() < 1e-6);
/// assert_eq!(model.classify(&x).len(), 3);
/// ```
///
/// # Panics
/// [`Mlp::new`] panics if `sizes` has fewer than two entries or a size is zero;
/// [`Mlp::probabilities`] and [`Mlp::classify`] if `x` does not have one column per input.
// ANCHOR: mlp
pub struct Mlp<F: Float> {
    pub sizes: Vec<usize>, // [784, 256, 128, 10]: inputs, hidden widths, outputs
    pub net: Sequential<F>,
}

impl<F: Float> Mlp<F> {
    pub fn new(sizes: &[usize], rng: &mut impl Rng) -> Self {
        assert!(
            sizes.len() >= 2 && sizes.iter().all(|&s| s > 0),
            "a network needs an input and an output size, none of them zero, got {sizes:?}"
        );
        let net = multi_layer_net(sizes, Activation::Relu, Init::He, rng);
        Mlp {
            sizes: sizes.to_vec(),
            net,
        }
    }
    // ANCHOR_END: mlp

    // ANCHOR: classify
    /// The probability the network gives each class, one row per image: `softmax(scores)`.
    pub fn probabilities(&mut self, x: &Array2<F>) -> Array2<F> {
        softmax(&self.net.predict(x))
    }

    /// The class with the highest score, for each row of `x`.
    /// NumPy: `np.argmax(network.predict(x), axis=1)`.
    pub fn classify(&mut self, x: &Array2<F>) -> Vec<usize> {
        argmax_rows(&self.net.predict(x))
    }
    // ANCHOR_END: classify

    /// The sizes joined by dashes, as the text writes a network: `784-256-128-10`.
    pub fn architecture(&self) -> String {
        architecture(&self.sizes)
    }

    /// How many numbers the network learns.
    pub fn parameter_count(&mut self) -> usize {
        self.net.parameter_count()
    }
}

impl<F: Float> std::fmt::Debug for Mlp<F> {
    /// The architecture, not the 235,146 weights: `Mlp(784-256-128-10)`.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "Mlp({})", self.architecture())
    }
}

/// Layer sizes joined by dashes: `[784, 256, 10]` → `"784-256-10"`.
///
/// ```
/// assert_eq!(ch13_mnist::architecture(&[784, 256, 10]), "784-256-10");
/// ```
pub fn architecture(sizes: &[usize]) -> String {
    let sizes: Vec<String> = sizes.iter().map(usize::to_string).collect();
    sizes.join("-")
}

/// The most layers a network may have: far more than MNIST needs, few enough that no flag
/// and no file can make a network too large to build.
pub const MAX_LAYERS: usize = 100;
/// The most numbers a network may learn: 10 million, 40 MB in `f32` (the story's network
/// learns 235,146).
pub const MAX_PARAMETERS: u128 = 10_000_000;

/// Layer sizes from their dashed form: `"784-256-10"` → `[784, 256, 10]`; at most
/// [`MAX_LAYERS`] layers and [`MAX_PARAMETERS`] parameters.
///
/// ```
/// assert_eq!(ch13_mnist::parse_sizes("784-256-10").unwrap(), [784, 256, 10]);
/// assert!(ch13_mnist::parse_sizes("784-ten").is_err());
/// assert!(ch13_mnist::parse_sizes("784").is_err());
/// assert!(ch13_mnist::parse_sizes("784-100000000-10").is_err()); // 79.5 billion parameters
/// ```
pub fn parse_sizes(text: &str) -> Result<Vec<usize>> {
    let layers = text.split('-').count() - 1;
    ensure!(
        layers <= MAX_LAYERS,
        "{} gives {layers} layers, more than the {MAX_LAYERS} a network here may have",
        shorten(text)
    );
    let sizes = text
        .split('-')
        .map(|s| match s.trim().parse::<usize>() {
            Ok(size) if size > 0 => Ok(size),
            _ => Err(anyhow!("{} is not a positive layer size", shorten(s))),
        })
        .collect::<Result<Vec<usize>>>()?;
    ensure!(
        sizes.len() >= 2,
        "a network needs at least an input and an output size, got {}",
        shorten(text)
    );
    let parameters = parameter_count(&sizes);
    ensure!(
        parameters <= MAX_PARAMETERS,
        "a {} network has {parameters} parameters, more than the {MAX_PARAMETERS} a network \
         here may have",
        shorten(text)
    );
    Ok(sizes)
}

/// How many numbers a network of layers `sizes` learns: each layer's weights and biases.
///
/// ```text
/// Σₗ (nₗ·nₗ₊₁ + nₗ₊₁)
/// ```
///
/// ```
/// assert_eq!(ch13_mnist::model::parameter_count(&[784, 256, 128, 10]), 235_146);
/// ```
pub fn parameter_count(sizes: &[usize]) -> u128 {
    let layer = |pair: &[usize]| pair[0] as u128 * pair[1] as u128 + pair[1] as u128;
    sizes.windows(2).map(layer).fold(0, u128::saturating_add) // each term below 2^128
}

/// `text` quoted, its middle left out if it is long, so that a message stays one short line.
///
/// ```
/// use ch13_mnist::model::shorten;
/// assert_eq!(shorten("784-ten"), "\"784-ten\"");
/// let long = "1-".repeat(100);
/// assert_eq!(shorten(&long), "\"1-1-1-1-1-1-1-1-1-1-…1-1-1-1-1-\" (200 characters)");
/// ```
pub fn shorten(text: &str) -> String {
    const HEAD: usize = 20;
    const TAIL: usize = 10;
    let chars = text.chars().count();
    if chars <= 2 * (HEAD + TAIL) {
        return format!("{text:?}");
    }
    let head: String = text.chars().take(HEAD).collect();
    let tail: String = text.chars().skip(chars - TAIL).collect();
    format!("{:?} ({chars} characters)", format!("{head}…{tail}"))
}

/// The floating-point operations one image costs a network with layers of `sizes`, forward
/// and backward, as the backprop chapter's layers compute them.
///
/// Forward, every weight is one multiply and one add. Backward, each layer computes its weight
/// gradient `dW = xᵀ · dout`, a product of the same size, and the gradient it passes back,
/// `dx = dout · Wᵀ`, another — the first layer too, as *Deep Learning from Scratch*'s layers
/// do, although its `dx`, the gradient of the images themselves, is never used. (The biases
/// and the activations cost a few operations per unit, too few to count.)
///
/// ```text
/// forward  = Σₗ 2·nₗ·nₗ₊₁
/// backward = 2 · forward
/// ```
///
/// ```
/// // 784-50-10: 2·(784·50 + 50·10) forward, twice that backward
/// assert_eq!(ch13_mnist::flops_per_image(&[784, 50, 10]), (79_400, 158_800));
/// ```
// ANCHOR: cost
pub fn flops_per_image(sizes: &[usize]) -> (usize, usize) {
    let forward: usize = sizes.windows(2).map(|p| 2 * p[0] * p[1]).sum();
    let backward = 2 * forward; // dW and dx: two products as large as the forward one
    (forward, backward)
}
// ANCHOR_END: cost
