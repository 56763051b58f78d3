//! The chapter's network as one value: two dense layers that a search can copy, change and put
//! back, their 21 parameters, and the random nudge both searches use.

use ch03_layers::{Dense, Float, float};
use ch04_activations::forward_pass;
use ch05_loss::{accuracy, argmax_rows, cross_entropy};
use ndarray::{Array1, Array2};
use seeded_rng::{Rng, randn_scalar};

/// The chapter's network: 2 inputs, 3 hidden neurons, 3 classes (a "2-3-3" network).
pub const SIZES: [usize; 3] = [2, 3, 3];

/// How far the searches move: random search draws every parameter from `0.05 · N(0, 1)`, and
/// hill-climbing adds `0.05 · N(0, 1)` to every parameter, as nnfs does.
pub const SCALE: f64 = 0.05;

/// A small classifier, `Dense → ReLU → Dense → softmax`, kept as one value so that a search can
/// copy it, change it and put it back.
///
/// ```text
/// y = softmax(relu(x·W₁ + b₁)·W₂ + b₂)
/// W₁: (inputs, hidden)   b₁: (hidden)   W₂: (hidden, classes)   b₂: (classes)
/// ```
///
/// NumPy (nnfs): `dense1 = Layer_Dense(2, 3)`, `dense2 = Layer_Dense(3, 3)` and the four
/// `forward` calls.
// ANCHOR: network
#[derive(Debug, Clone, PartialEq)]
pub struct Network<F> {
    pub dense1: Dense<F>,
    pub dense2: Dense<F>,
}
// ANCHOR_END: network

impl<F: Float> Network<F> {
    /// A network as nnfs starts one: weights `0.01 · N(0, 1)`, biases zero (`Dense::new` of
    /// the layers chapter).
    ///
    /// `sizes` is `[inputs, hidden, classes]`.
    ///
    /// ```
    /// use ch06_optimization::{Network, SIZES};
    /// let network = Network::<f32>::new(SIZES, &mut seeded_rng::rng(0));
    /// assert_eq!(network.dense1.weights.dim(), (2, 3));
    /// assert_eq!(network.dense2.weights.dim(), (3, 3));
    /// ```
    // ANCHOR: new
    pub fn new(sizes: [usize; 3], rng: &mut impl Rng) -> Self {
        let [inputs, hidden, classes] = sizes;
        Network {
            dense1: Dense::new(inputs, hidden, rng),
            dense2: Dense::new(hidden, classes, rng),
        }
    }
    // ANCHOR_END: new

    /// A network whose every weight and bias is zero. It gives every class the same score, so
    /// softmax gives each of `C` classes the probability `1/C`, and the loss is `ln C`.
    ///
    /// ```
    /// use ch06_optimization::{Network, SIZES};
    /// use ndarray::array;
    /// let network = Network::<f64>::zeros(SIZES);
    /// let x = array![[0.1, 0.2], [0.3, -0.4]];
    /// assert!((network.loss(&x, &[0, 2]) - 3f64.ln()).abs() < 1e-12); // ln 3 = 1.0986…
    /// ```
    // ANCHOR: zeros
    pub fn zeros(sizes: [usize; 3]) -> Self {
        let [inputs, hidden, classes] = sizes;
        let dense1 = Dense::from_parts(Array2::zeros((inputs, hidden)), Array1::zeros(hidden));
        let dense2 = Dense::from_parts(Array2::zeros((hidden, classes)), Array1::zeros(classes));
        Network { dense1, dense2 }
    }
    // ANCHOR_END: zeros

    /// The class probabilities for a batch `x`, one row per sample: [`forward_pass`] of
    /// the activations chapter.
    ///
    /// # Panics
    /// If `x` does not have one column per input of the network.
    // ANCHOR: forward
    pub fn forward(&self, x: &Array2<F>) -> Array2<F> {
        forward_pass(x, &self.dense1, &self.dense2) // (batch, classes)
    }
    // ANCHOR_END: forward

    /// The mean cross-entropy loss of the network on the batch `x` with targets `t`.
    ///
    /// ```text
    /// L = (1/N) Σₙ −ln yₙ,ₜₙ
    /// ```
    ///
    /// # Panics
    /// As [`Network::forward`], and if there is not one target per row of `x`.
    // ANCHOR: loss
    pub fn loss(&self, x: &Array2<F>, t: &[usize]) -> F {
        cross_entropy(&self.forward(x), t)
    }
    // ANCHOR_END: loss

    /// The fraction of the samples of `x` whose most probable class is their target.
    ///
    /// # Panics
    /// As [`Network::loss`].
    // ANCHOR: accuracy
    pub fn accuracy(&self, x: &Array2<F>, t: &[usize]) -> f64 {
        accuracy(&self.forward(x), t)
    }
    // ANCHOR_END: accuracy

    /// The class the network predicts for each sample of `x`: the argmax of its row.
    ///
    /// # Panics
    /// As [`Network::forward`].
    pub fn predict(&self, x: &Array2<F>) -> Vec<usize> {
        argmax_rows(&self.forward(x))
    }

    /// Every weight and bias, in a fixed order: `W₁` row by row, `b₁`, `W₂` row by row, `b₂`.
    ///
    /// ```
    /// use ch06_optimization::{Network, SIZES};
    /// // 2·3 + 3 + 3·3 + 3 = 21 numbers decide everything the network does.
    /// assert_eq!(Network::<f32>::zeros(SIZES).parameters().count(), 21);
    /// ```
    // ANCHOR: parameters
    pub fn parameters(&self) -> impl Iterator<Item = &F> {
        self.dense1
            .weights
            .iter()
            .chain(&self.dense1.biases)
            .chain(&self.dense2.weights)
            .chain(&self.dense2.biases)
    }
    // ANCHOR_END: parameters

    /// Every weight and bias, to change in place, in the order of [`Network::parameters`].
    // ANCHOR: parameters_mut
    pub fn parameters_mut(&mut self) -> impl Iterator<Item = &mut F> {
        self.dense1
            .weights
            .iter_mut()
            .chain(&mut self.dense1.biases)
            .chain(&mut self.dense2.weights)
            .chain(&mut self.dense2.biases)
    }
    // ANCHOR_END: parameters_mut

    /// Adds an independent random step `scale · N(0, 1)` to every weight and bias.
    ///
    /// ```text
    /// θᵢ ← θᵢ + scale · εᵢ,   εᵢ ~ N(0, 1),   for each of the 21 parameters θᵢ
    /// ```
    ///
    /// NumPy (nnfs): `dense1.weights += 0.05 * np.random.randn(2, 3)`, and the same for
    /// `dense1.biases`, `dense2.weights` and `dense2.biases`.
    ///
    /// ```
    /// use ch06_optimization::{Network, SIZES};
    /// let mut network = Network::<f64>::zeros(SIZES);
    /// network.nudge(0.05, &mut seeded_rng::rng(0));
    /// assert!(network.parameters().all(|&p| p != 0.0 && p.abs() < 0.05 * 6.0));
    /// ```
    // ANCHOR: nudge
    pub fn nudge(&mut self, scale: f64, rng: &mut impl Rng) {
        for p in self.parameters_mut() {
            *p = *p + float(scale * randn_scalar::<f64>(rng));
        }
    }
    // ANCHOR_END: nudge

    /// A network whose every weight and bias is drawn from `scale · N(0, 1)`: a nudge of the
    /// all-zero network. One guess of random search.
    ///
    /// NumPy (nnfs): `dense1.weights = 0.05 * np.random.randn(2, 3)`, and the same for the
    /// other three.
    // ANCHOR: random
    pub fn random(sizes: [usize; 3], scale: f64, rng: &mut impl Rng) -> Self {
        let mut network = Network::zeros(sizes);
        network.nudge(scale, rng);
        network
    }
    // ANCHOR_END: random
}

#[cfg(test)]
mod tests {
    use super::*;
    use ndarray::array;

    #[test]
    fn the_network_has_21_parameters() {
        let mut network = Network::<f32>::zeros(SIZES);
        assert_eq!(network.parameters().count(), 21);
        assert_eq!(network.parameters_mut().count(), 21);
    }

    #[test]
    fn parameters_come_in_layer_order() {
        let mut network = Network::<f64>::zeros(SIZES);
        for (i, p) in network.parameters_mut().enumerate() {
            *p = i as f64;
        }
        assert_eq!(
            network.dense1.weights,
            array![[0.0, 1.0, 2.0], [3.0, 4.0, 5.0]]
        );
        assert_eq!(network.dense1.biases, array![6.0, 7.0, 8.0]);
        assert_eq!(network.dense2.weights[[0, 0]], 9.0);
        assert_eq!(network.dense2.biases, array![18.0, 19.0, 20.0]);
    }

    #[test]
    fn a_zero_network_guesses_evenly() {
        let (x, t) = toy_datasets::vertical_data::<f32>(&mut seeded_rng::rng(0), 100, 3);
        let t = t.to_vec();
        let network = Network::<f32>::zeros(SIZES);
        assert!((network.loss(&x, &t) - 3f32.ln()).abs() < 1e-6);
        // every row is a tie, which argmax gives to class 0: a third of the samples
        assert!((network.accuracy(&x, &t) - 1.0 / 3.0).abs() < 1e-12);
        assert!(network.predict(&x).iter().all(|&k| k == 0));
    }

    #[test]
    fn a_nudge_has_the_scale_it_asks_for() {
        let mut network = Network::<f64>::zeros([20, 50, 20]);
        network.nudge(SCALE, &mut seeded_rng::rng(3));
        let n = network.parameters().count() as f64;
        let rms = (network.parameters().map(|p| p * p).sum::<f64>() / n).sqrt();
        assert!((rms - SCALE).abs() < 0.1 * SCALE, "rms {rms}");
    }
}
