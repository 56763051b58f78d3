//! *Deep Learning from Scratch*'s `TwoLayerNet` (`ch04/two_layer_net.py`), whose gradient is
//! computed by numbers: every parameter nudged in turn.

use ch03_layers::{Dense, Float, sigmoid};
use ch04_activations::softmax;
use ch05_loss::{accuracy, cross_entropy};
use ndarray::{Array, Array1, Array2, Dimension};
use seeded_rng::Rng;

use crate::numerical_gradient;

/// *Deep Learning from Scratch*'s `TwoLayerNet`: a dense layer, sigmoid, a dense layer,
/// softmax, and the cross-entropy loss.
///
/// ```text
/// a₁ = σ(x·W₁ + b₁),   y = softmax(a₁·W₂ + b₂),   L = −(1/N) Σₙ ln yₙ,ₜₙ
/// ```
// ANCHOR: two_layer_net
#[derive(Debug, Clone, PartialEq)]
pub struct TwoLayerNet<F> {
    pub w1: Array2<F>, // (inputs, hidden)
    pub b1: Array1<F>, // (hidden)
    pub w2: Array2<F>, // (hidden, classes)
    pub b2: Array1<F>, // (classes)
}
// ANCHOR_END: two_layer_net

/// The class probabilities of a two-layer network with parameters `w1, b1, w2, b2`, one row
/// per sample of `x`.
///
/// NumPy (DLFS): `z1 = sigmoid(np.dot(x, W1) + b1); y = softmax(np.dot(z1, W2) + b2)`.
///
/// # Panics
/// If the shapes do not chain: `x` (batch, inputs), `w1` (inputs, hidden), `b1` (hidden),
/// `w2` (hidden, classes), `b2` (classes).
// ANCHOR: two_layer_predict
pub fn two_layer_predict<F: Float>(
    x: &Array2<F>,
    w1: &Array2<F>,
    b1: &Array1<F>,
    w2: &Array2<F>,
    b2: &Array1<F>,
) -> Array2<F> {
    let a1 = (x.dot(w1) + b1).mapv_into(sigmoid); // (batch, hidden)
    softmax(&(a1.dot(w2) + b2)) // (batch, classes)
}
// ANCHOR_END: two_layer_predict

/// The mean cross-entropy loss of a two-layer network on `x` with class indices `t`.
///
/// # Panics
/// As [`two_layer_predict`], and if `t` is not one class per row of `x`.
// ANCHOR: two_layer_loss
pub fn two_layer_loss<F: Float>(
    x: &Array2<F>,
    t: &[usize],
    w1: &Array2<F>,
    b1: &Array1<F>,
    w2: &Array2<F>,
    b2: &Array1<F>,
) -> F {
    cross_entropy(&two_layer_predict(x, w1, b1, w2, b2), t)
}
// ANCHOR_END: two_layer_loss

/// One array per parameter of a [`TwoLayerNet`], each the same shape as the parameter.
// ANCHOR: gradients
#[derive(Debug, Clone, PartialEq)]
pub struct Gradients<F> {
    pub w1: Array2<F>,
    pub b1: Array1<F>,
    pub w2: Array2<F>,
    pub b2: Array1<F>,
}
// ANCHOR_END: gradients

impl<F: Float> TwoLayerNet<F> {
    /// A network with `0.01·N(0, 1)` weights and zero biases, as DLFS starts
    /// (`weight_init_std=0.01`): the dense layers of the layers chapter.
    ///
    /// ```
    /// let net = ch08_gradients::TwoLayerNet::<f64>::new(784, 50, 10, &mut seeded_rng::rng(0));
    /// assert_eq!(net.parameter_count(), 39_760); // 784·50 + 50 + 50·10 + 10
    /// ```
    pub fn new(inputs: usize, hidden: usize, classes: usize, rng: &mut impl Rng) -> Self {
        let first = Dense::new(inputs, hidden, rng);
        let second = Dense::new(hidden, classes, rng);
        TwoLayerNet {
            w1: first.weights,
            b1: first.biases,
            w2: second.weights,
            b2: second.biases,
        }
    }

    /// How many numbers the network learns.
    pub fn parameter_count(&self) -> usize {
        self.w1.len() + self.b1.len() + self.w2.len() + self.b2.len()
    }

    /// The class probabilities for a batch `x`, one row per sample.
    pub fn predict(&self, x: &Array2<F>) -> Array2<F> {
        two_layer_predict(x, &self.w1, &self.b1, &self.w2, &self.b2)
    }

    /// The mean cross-entropy loss on `x` with class indices `t`.
    pub fn loss(&self, x: &Array2<F>, t: &[usize]) -> F {
        two_layer_loss(x, t, &self.w1, &self.b1, &self.w2, &self.b2)
    }

    /// The fraction of `x` whose most probable class is the target.
    pub fn accuracy(&self, x: &Array2<F>, t: &[usize]) -> f64 {
        accuracy(&self.predict(x), t)
    }

    /// The numerical gradient of the loss with respect to every parameter, by
    /// [`numerical_gradient`]: DLFS's method, one thread, each parameter nudged in place.
    ///
    /// NumPy (DLFS): `loss_W = lambda W: self.loss(x, t)`, then
    /// `grads['W1'] = numerical_gradient(loss_W, self.params['W1'])` and so on.
    ///
    /// ```
    /// use ch08_gradients::TwoLayerNet;
    /// use ndarray::array;
    /// let mut net = TwoLayerNet::<f64>::new(3, 4, 2, &mut seeded_rng::rng(1));
    /// let x = array![[0.1, 0.9, 0.5], [0.7, 0.2, 0.0]];
    /// let grads = net.numerical_gradient(&x, &[1, 0]);
    /// assert_eq!(grads.w1.dim(), (3, 4)); // one partial derivative per weight
    /// assert_eq!(grads.b2.len(), 2);
    /// ```
    // ANCHOR: two_layer_gradient
    pub fn numerical_gradient(&mut self, x: &Array2<F>, t: &[usize]) -> Gradients<F> {
        let TwoLayerNet { w1, b1, w2, b2 } = self;
        Gradients {
            w1: numerical_gradient(|w1| two_layer_loss(x, t, w1, b1, w2, b2), w1),
            b1: numerical_gradient(|b1| two_layer_loss(x, t, w1, b1, w2, b2), b1),
            w2: numerical_gradient(|w2| two_layer_loss(x, t, w1, b1, w2, b2), w2),
            b2: numerical_gradient(|b2| two_layer_loss(x, t, w1, b1, w2, b2), b2),
        }
    }
    // ANCHOR_END: two_layer_gradient

    /// One step of gradient descent on every parameter: `θ ← θ − η·∂L/∂θ`.
    ///
    /// NumPy (DLFS): `for key in ('W1', 'b1', 'W2', 'b2'): network.params[key] -= learning_rate * grad[key]`.
    ///
    /// # Panics
    /// If the gradients do not have the parameters' shapes.
    // ANCHOR: apply
    pub fn apply(&mut self, grads: &Gradients<F>, lr: F) {
        self.w1.scaled_add(-lr, &grads.w1);
        self.b1.scaled_add(-lr, &grads.b1);
        self.w2.scaled_add(-lr, &grads.w2);
        self.b2.scaled_add(-lr, &grads.b2);
    }
    // ANCHOR_END: apply
}

impl<F: Float> Gradients<F> {
    /// The largest difference between two gradients, entry by entry.
    ///
    /// # Panics
    /// If the shapes differ.
    pub fn max_abs_diff(&self, other: &Gradients<F>) -> F {
        fn largest<F: Float, D: Dimension>(name: &str, a: &Array<F, D>, b: &Array<F, D>) -> F {
            assert_eq!(
                a.shape(),
                b.shape(),
                "gradients of {name} of shapes {:?} and {:?} cannot be compared",
                a.shape(),
                b.shape()
            );
            a.iter()
                .zip(b)
                .fold(F::zero(), |m, (&x, &y)| m.max((x - y).abs()))
        }
        [
            largest("W1", &self.w1, &other.w1),
            largest("b1", &self.b1, &other.b1),
            largest("W2", &self.w2, &other.w2),
            largest("b2", &self.b2, &other.b2),
        ]
        .into_iter()
        .fold(F::zero(), F::max)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use ndarray::array;

    #[test]
    fn numerical_gradient_points_downhill_for_the_network() {
        let mut rng = seeded_rng::rng(5);
        let mut net = TwoLayerNet::<f64>::new(4, 3, 3, &mut rng);
        let x = seeded_rng::randn::<f64>(&mut rng, (6, 4));
        let t = [0, 1, 2, 0, 1, 2];
        let before = net.loss(&x, &t);
        let grads = net.numerical_gradient(&x, &t);
        net.apply(&grads, 0.5);
        assert!(net.loss(&x, &t) < before);
    }

    #[test]
    fn the_network_gradient_is_the_gradient_of_each_parameter_alone() {
        let mut rng = seeded_rng::rng(3);
        let mut net = TwoLayerNet::<f64>::new(6, 5, 4, &mut rng);
        let x = seeded_rng::randn::<f64>(&mut rng, (7, 6));
        let t = [0, 1, 2, 3, 0, 1, 2];
        let grads = net.numerical_gradient(&x, &t);
        let TwoLayerNet { w1, b1, w2, .. } = net.clone();
        let mut b2 = net.b2.clone();
        let db2 = numerical_gradient(|b2| two_layer_loss(&x, &t, &w1, &b1, &w2, b2), &mut b2);
        assert_eq!(grads.b2, db2);
        assert_eq!(grads.max_abs_diff(&grads.clone()), 0.0);
    }

    #[test]
    fn predict_gives_one_distribution_per_sample() {
        let net = TwoLayerNet::<f64>::new(3, 4, 5, &mut seeded_rng::rng(0));
        let y = net.predict(&array![[0.1, 0.2, 0.3], [1.0, 0.0, -1.0]]);
        assert_eq!(y.dim(), (2, 5));
        for row in y.rows() {
            assert!((row.sum() - 1.0).abs() < 1e-12);
        }
    }
}
