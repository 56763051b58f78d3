//! A network of layers, trained by backprop: *Deep Learning from Scratch*'s `TwoLayerNet` of
//! chapter 5 (`ch05/two_layer_net.py`), for any list of layers.

use ch03_layers::Float;
use ch05_loss::argmax_rows;
use ndarray::{Array2, ArrayViewD, ArrayViewMutD, Axis};
use seeded_rng::Rng;

use crate::{Affine, Layer, LossLayer, Relu, Sigmoid, SoftmaxWithLoss};

/// A network: layers applied one after the other, then a loss layer.
///
/// `gradient` is backpropagation: a forward pass through every layer and the loss layer, the
/// loss layer's backward, then every layer's backward in reverse order, each passing `dx` to
/// the layer before it.
///
/// NumPy (DLFS): `class TwoLayerNet` of chapter 5, with its `OrderedDict` of layers and
/// `lastLayer`.
///
/// ```
/// use ch09_backprop::{two_layer_net, sgd_step};
/// use ndarray::array;
/// let mut net = two_layer_net::<f64>(2, 3, 2, 0.5, &mut seeded_rng::rng(0));
/// let (x, t) = (array![[1.0, 0.0], [0.0, 1.0]], [0, 1]);
/// let before = net.gradient(&x, &t); // the loss, and every gradient stored in the layers
/// sgd_step(net.params_and_grads(), 0.5);
/// assert!(net.loss(&x, &t) < before);
/// ```
// ANCHOR: sequential
pub struct Sequential<F, L = SoftmaxWithLoss<F>> {
    pub layers: Vec<Box<dyn Layer<F>>>,
    pub last: L,
}

impl<F: Float, L: LossLayer<F>> Sequential<F, L> {
    // ANCHOR_END: sequential
    /// A network of `layers`, in order, ending in `last`.
    pub fn new(layers: Vec<Box<dyn Layer<F>>>, last: L) -> Self {
        Sequential { layers, last }
    }

    /// The network's output for a batch, before the loss layer (the scores of a classifier,
    /// the values of a regression).
    // ANCHOR: predict
    pub fn predict(&mut self, x: &Array2<F>) -> Array2<F> {
        let mut out = x.clone();
        for layer in &mut self.layers {
            out = layer.forward(&out);
        }
        out
    }

    pub fn loss(&mut self, x: &Array2<F>, t: &L::Target) -> F {
        let y = self.predict(x);
        self.last.forward(&y, t)
    }
    // ANCHOR_END: predict

    /// Backpropagation: every parameter's gradient of the loss on `x` against `t`, stored in
    /// the layers (read them with [`Sequential::params_and_grads`]). Returns the loss.
    // ANCHOR: gradient
    pub fn gradient(&mut self, x: &Array2<F>, t: &L::Target) -> F {
        // forward
        let loss = self.loss(x, t);

        // backward
        let mut dout = self.last.backward();
        for layer in self.layers.iter_mut().rev() {
            dout = layer.backward(&dout);
        }
        loss
    }
    // ANCHOR_END: gradient

    /// Every parameter of every layer with its gradient, first layer first.
    // ANCHOR: params_and_grads
    pub fn params_and_grads(&mut self) -> Vec<(ArrayViewMutD<'_, F>, ArrayViewD<'_, F>)> {
        self.layers
            .iter_mut()
            .flat_map(|layer| layer.params_and_grads())
            .collect()
    }
    // ANCHOR_END: params_and_grads

    /// How many numbers the network learns.
    pub fn parameter_count(&mut self) -> usize {
        self.params_and_grads().iter().map(|(p, _)| p.len()).sum()
    }
}

/// How many rows [`Sequential::accuracy`] runs through the network at a time.
pub const ACCURACY_ROWS: usize = 1000;

impl<F: Float> Sequential<F> {
    /// The fraction of `x` whose highest-scoring class is the target, measured on
    /// [`ACCURACY_ROWS`] rows at a time: every layer keeps a copy of its input, and a copy of
    /// a whole training set would be large (DLFS's `SimpleConvNet.accuracy` also goes in
    /// batches).
    ///
    /// ```
    /// use ch09_backprop::{Affine, Sequential, SoftmaxWithLoss};
    /// use ndarray::array;
    /// let identity = Affine::from_parts(array![[1.0, 0.0], [0.0, 1.0]], array![0.0, 0.0]);
    /// let mut net = Sequential::new(vec![Box::new(identity)], SoftmaxWithLoss::default());
    /// let x = array![[2.0, 1.0], [0.0, 3.0], [5.0, 4.0]]; // classes 0, 1, 0
    /// assert_eq!(net.accuracy(&x, &[0, 1, 1]), 2.0 / 3.0);
    /// ```
    ///
    /// # Panics
    /// If `t` does not have one class index per row of `x`, or `x` has no rows.
    pub fn accuracy(&mut self, x: &Array2<F>, t: &[usize]) -> f64 {
        assert!(
            x.nrows() == t.len() && !t.is_empty(),
            "{} class indices cannot be the targets of {} rows",
            t.len(),
            x.nrows()
        );
        let mut correct = 0;
        let batches = x.axis_chunks_iter(Axis(0), ACCURACY_ROWS);
        for (x, t) in batches.zip(t.chunks(ACCURACY_ROWS)) {
            let y = argmax_rows(&self.predict(&x.to_owned()));
            correct += y.iter().zip(t).filter(|(y, t)| y == t).count();
        }
        correct as f64 / t.len() as f64
    }
}

/// *Deep Learning from Scratch*'s `TwoLayerNet` of chapter 5: Affine → ReLU → Affine →
/// Softmax-with-loss, weights drawn from `weight_init_std · N(0, 1)`, biases zero.
///
/// ```
/// let mut net = ch09_backprop::two_layer_net::<f32>(784, 50, 10, 0.01, &mut seeded_rng::rng(0));
/// assert_eq!(net.parameter_count(), 39_760); // 784·50 + 50 + 50·10 + 10
/// ```
// ANCHOR: two_layer_net
pub fn two_layer_net<F: Float>(
    inputs: usize,
    hidden: usize,
    outputs: usize,
    weight_init_std: f64,
    rng: &mut impl Rng,
) -> Sequential<F> {
    Sequential::new(
        vec![
            Box::new(Affine::new(inputs, hidden, weight_init_std, rng)),
            Box::new(Relu::default()),
            Box::new(Affine::new(hidden, outputs, weight_init_std, rng)),
        ],
        SoftmaxWithLoss::default(),
    )
}
// ANCHOR_END: two_layer_net

/// The network of the gradients chapter, `ch08_gradients::TwoLayerNet` (Affine → Sigmoid →
/// Affine → Softmax-with-loss), built from its weights, so that backprop and the numerical
/// gradient can be compared on one and the same network.
pub fn from_numerical_net<F: Float>(net: &ch08_gradients::TwoLayerNet<F>) -> Sequential<F> {
    Sequential::new(
        vec![
            Box::new(Affine::from_parts(net.w1.clone(), net.b1.clone())),
            Box::new(Sigmoid::default()),
            Box::new(Affine::from_parts(net.w2.clone(), net.b2.clone())),
        ],
        SoftmaxWithLoss::default(),
    )
}

/// One step of stochastic gradient descent on every parameter: `θ ← θ − η·∂L/∂θ`.
///
/// NumPy (DLFS): `for key in ('W1', 'b1', 'W2', 'b2'): network.params[key] -= learning_rate * grad[key]`.
// ANCHOR: sgd_step
pub fn sgd_step<F: Float>(params: Vec<(ArrayViewMutD<'_, F>, ArrayViewD<'_, F>)>, lr: F) {
    for (mut param, grad) in params {
        param.scaled_add(-lr, &grad); // param -= lr * grad
    }
}
// ANCHOR_END: sgd_step

#[cfg(test)]
mod tests {
    use super::*;
    use seeded_rng::randn;

    #[test]
    fn predict_equals_forward() {
        let mut rng = seeded_rng::rng(6);
        let mut net = two_layer_net::<f64>(4, 3, 2, 1.0, &mut rng);
        let x = randn::<f64>(&mut rng, (5, 4));
        let predicted = net.predict(&x);
        let mut out = x.clone();
        for layer in &mut net.layers {
            out = layer.forward(&out);
        }
        assert_eq!(predicted, out);
    }

    #[test]
    fn sgd_moves_against_the_gradient() {
        let mut rng = seeded_rng::rng(7);
        let mut net = two_layer_net::<f64>(4, 3, 2, 1.0, &mut rng);
        let x = randn::<f64>(&mut rng, (6, 4));
        let t = [0, 1, 1, 0, 1, 0];
        let before = net.gradient(&x, &t);
        sgd_step(net.params_and_grads(), 0.01);
        assert!(net.loss(&x, &t) < before);
    }

    #[test]
    fn accuracy_in_batches_is_the_accuracy_of_the_whole() {
        let mut rng = seeded_rng::rng(8);
        let mut net = two_layer_net::<f64>(3, 4, 3, 1.0, &mut rng);
        let x = randn::<f64>(&mut rng, (2 * ACCURACY_ROWS + 7, 3));
        let t: Vec<usize> = (0..x.nrows()).map(|i| i % 3).collect();
        let whole = ch05_loss::accuracy(&net.predict(&x), &t);
        assert_eq!(net.accuracy(&x, &t), whole);
    }
}
