//! Layers that run forwards and backwards: *Deep Learning from Scratch*'s `common/layers.py`.

use ch03_layers::{Dense, Float, float};
use ch04_activations::{relu, relu_derivative, sigmoid, softmax};
use ch05_loss::{cross_entropy, mean_squared_error_batch};
use ndarray::{Array1, Array2, ArrayViewD, ArrayViewMutD, Axis};
use seeded_rng::{Rng, randn};

/// A layer of a network that can run forwards and backwards.
///
/// `forward` takes a batch, one sample per row, and keeps whatever `backward` will need.
/// `backward` takes `dout`, the derivative of the loss with respect to the layer's output
/// (same shape as that output), stores the derivatives with respect to the layer's own
/// parameters, and returns the derivative with respect to its input (same shape as the input):
///
/// ```text
/// forward:  y = layer(x)
/// backward: dx = ∂L/∂x = dout · ∂y/∂x        (and ∂L/∂θ = dout · ∂y/∂θ for each parameter θ)
/// ```
///
/// NumPy (DLFS): every class in `common/layers.py` has `forward(x)` and `backward(dout)`.
// ANCHOR: layer
pub trait Layer<F: Float> {
    /// The output for a batch `x` (one sample per row); keeps what `backward` needs.
    fn forward(&mut self, x: &Array2<F>) -> Array2<F>;

    /// Takes ∂L/∂(output), stores the parameters' gradients, returns ∂L/∂(input).
    fn backward(&mut self, dout: &Array2<F>) -> Array2<F>;

    /// Each parameter with its gradient (W, then b); none by default.
    fn params_and_grads(&mut self) -> Vec<(ArrayViewMutD<'_, F>, ArrayViewD<'_, F>)> {
        Vec::new()
    }
}
// ANCHOR_END: layer

/// The ReLU layer: `y = max(0, x)` entry by entry.
///
/// Backward, the derivative passes through where the input was positive and stops where it
/// was not: `relu′(x)` is 1 or 0. The forward pass keeps `relu′(x)` as a mask of ones and
/// zeros.
///
/// ```text
/// forward:  y = max(0, x)          mask = relu′(x) = (1 where x > 0, else 0)
/// backward: dx = dout · mask
/// ```
///
/// NumPy (DLFS): `self.mask = (x <= 0); out[self.mask] = 0` and `dout[self.mask] = 0`.
///
/// ```
/// use ch09_backprop::{Layer, Relu};
/// use ndarray::array;
/// let mut relu = Relu::default();
/// let y = relu.forward(&array![[1.0, -0.5], [-2.0, 3.0]]);
/// assert_eq!(y, array![[1.0, 0.0], [0.0, 3.0]]);
/// let dx = relu.backward(&array![[10.0, 20.0], [30.0, 40.0]]);
/// assert_eq!(dx, array![[10.0, 0.0], [0.0, 40.0]]);
/// ```
///
/// # Panics
/// In `backward`, if `dout` does not have the shape of the last output (ndarray says
/// "incompatible shapes").
// ANCHOR: relu
#[derive(Debug, Clone, PartialEq)]
pub struct Relu<F> {
    mask: Array2<F>, // (N, features): relu′(x), 1 where x > 0, else 0
}

impl<F: Float> Layer<F> for Relu<F> {
    fn forward(&mut self, x: &Array2<F>) -> Array2<F> {
        self.mask = x.mapv(relu_derivative);
        x.mapv(relu)
    }

    fn backward(&mut self, dout: &Array2<F>) -> Array2<F> {
        dout * &self.mask
    }
}
// ANCHOR_END: relu

impl<F: Float> Default for Relu<F> {
    fn default() -> Self {
        Relu {
            mask: Array2::zeros((0, 0)),
        }
    }
}

/// The sigmoid layer: `y = σ(x)` entry by entry.
///
/// Its derivative can be written with its own output, `σ′(x) = y(1 − y)`, so the forward pass
/// keeps `y` and the backward pass needs no exponential.
///
/// ```text
/// forward:  y = 1 / (1 + e⁻ˣ)
/// backward: dx = dout · (1 − y) · y
/// ```
///
/// NumPy (DLFS): `out = sigmoid(x); self.out = out` and `dx = dout * (1.0 - self.out) * self.out`.
///
/// ```
/// use ch09_backprop::{Layer, Sigmoid};
/// use ndarray::array;
/// let mut sigmoid = Sigmoid::default();
/// let y = sigmoid.forward(&array![[0.0, 2.0]]);
/// assert_eq!(y[[0, 0]], 0.5);
/// let dx = sigmoid.backward(&array![[1.0, 1.0]]);
/// assert_eq!(dx[[0, 0]], 0.25); // 0.5 · (1 − 0.5)
/// ```
///
/// # Panics
/// In `backward`, if `dout` does not have the shape of the last output (ndarray says
/// "incompatible shapes").
// ANCHOR: sigmoid
#[derive(Debug, Clone, PartialEq)]
pub struct Sigmoid<F> {
    out: Array2<F>, // (N, features): the output of the last forward pass
}

impl<F: Float> Layer<F> for Sigmoid<F> {
    fn forward(&mut self, x: &Array2<F>) -> Array2<F> {
        self.out = x.mapv(sigmoid);
        self.out.clone()
    }

    fn backward(&mut self, dout: &Array2<F>) -> Array2<F> {
        dout * &self.out.mapv(|y| (F::one() - y) * y)
    }
}
// ANCHOR_END: sigmoid

impl<F: Float> Default for Sigmoid<F> {
    fn default() -> Self {
        Sigmoid {
            out: Array2::zeros((0, 0)),
        }
    }
}

/// The affine (fully connected) layer: the dense layer of the layers chapter, `y = x·W + b`,
/// now with a backward pass and room for the gradients.
///
/// ```text
/// forward:  y = x·W + b          x: (N, inputs)  W: (inputs, outputs)  b: (outputs)
/// backward: dx = dout·Wᵀ         (N, inputs)
///           dW = xᵀ·dout         (inputs, outputs)
///           db = Σₙ doutₙ        (outputs): the sum over the batch
/// ```
///
/// Each gradient has the shape of what it is the gradient of, and that alone nearly fixes the
/// formula: `dout` is `(N, outputs)`, so the only product that gives `dx` the shape
/// `(N, inputs)` is `dout·Wᵀ`, and the only one that gives `dW` the shape `(inputs, outputs)`
/// is `xᵀ·dout`. `b` was added to every row, so its gradient collects every row of `dout`.
///
/// NumPy (DLFS): `out = np.dot(x, self.W) + self.b`; `dx = np.dot(dout, self.W.T)`,
/// `self.dW = np.dot(self.x.T, dout)`, `self.db = np.sum(dout, axis=0)`.
///
/// ```
/// use ch09_backprop::{Affine, Layer};
/// use ndarray::array;
/// let mut affine = Affine::from_parts(array![[1.0, 2.0], [3.0, 4.0]], array![0.5, -0.5]);
/// let y = affine.forward(&array![[1.0, 1.0]]);
/// assert_eq!(y, array![[4.5, 5.5]]); // [1 + 3, 2 + 4] + b
/// let dx = affine.backward(&array![[1.0, 0.0]]);
/// assert_eq!(dx, array![[1.0, 3.0]]); // the first column of W
/// assert_eq!(affine.dw, array![[1.0, 0.0], [1.0, 0.0]]);
/// assert_eq!(affine.db, array![1.0, 0.0]);
/// ```
///
/// # Panics
/// In `forward` and `backward`, if the shapes do not chain (ndarray names both).
// ANCHOR: affine
#[derive(Debug, Clone, PartialEq)]
pub struct Affine<F> {
    pub w: Array2<F>,  // (inputs, outputs)
    pub b: Array1<F>,  // (outputs)
    pub dw: Array2<F>, // (inputs, outputs): ∂L/∂W from the last backward pass
    pub db: Array1<F>, // (outputs): ∂L/∂b from the last backward pass
    x: Array2<F>,      // (N, inputs): the input of the last forward pass
}

impl<F: Float> Layer<F> for Affine<F> {
    fn forward(&mut self, x: &Array2<F>) -> Array2<F> {
        self.x = x.clone();
        x.dot(&self.w) + &self.b
    }

    fn backward(&mut self, dout: &Array2<F>) -> Array2<F> {
        let dx = dout.dot(&self.w.t());
        self.dw = self.x.t().dot(dout);
        self.db = dout.sum_axis(Axis(0));
        dx
    }
    // ANCHOR_END: affine

    // ANCHOR: affine_params
    fn params_and_grads(&mut self) -> Vec<(ArrayViewMutD<'_, F>, ArrayViewD<'_, F>)> {
        vec![
            (self.w.view_mut().into_dyn(), self.dw.view().into_dyn()),
            (self.b.view_mut().into_dyn(), self.db.view().into_dyn()),
        ]
    }
}
// ANCHOR_END: affine_params

impl<F: Float> Affine<F> {
    /// A layer with weights drawn from `std · N(0, 1)` and zero biases.
    ///
    /// NumPy (DLFS): `weight_init_std * np.random.randn(input_size, hidden_size)`,
    /// `np.zeros(hidden_size)`.
    ///
    /// ```
    /// let layer = ch09_backprop::Affine::<f32>::new(784, 50, 0.01, &mut seeded_rng::rng(0));
    /// assert_eq!((layer.w.dim(), layer.b.len()), ((784, 50), 50));
    /// ```
    pub fn new(inputs: usize, outputs: usize, std: f64, rng: &mut impl Rng) -> Self {
        let w = randn::<f64>(rng, (inputs, outputs)).mapv(|v| float(std * v));
        Affine::from_parts(w, Array1::zeros(outputs))
    }

    /// The same layer with its biases drawn from `std · N(0, 1)` instead of zeros: for
    /// gradient checks, where zero biases could hide a bug, and for small networks that need
    /// their units spread out from the start.
    pub fn with_random_bias(mut self, std: f64, rng: &mut impl Rng) -> Self {
        let b = randn::<f64>(rng, (1, self.b.len())).mapv(|v| float::<F>(std * v));
        self.b = b.row(0).to_owned();
        self
    }

    /// A layer with the given weights `(inputs, outputs)` and biases `(outputs)`.
    ///
    /// # Panics
    /// If there is not one bias per output.
    pub fn from_parts(w: Array2<F>, b: Array1<F>) -> Self {
        assert_eq!(
            w.ncols(),
            b.len(),
            "weights of shape {:?} need one bias per output ({}), got biases of shape {:?}",
            w.dim(),
            w.ncols(),
            b.dim()
        );
        Affine {
            dw: Array2::zeros(w.raw_dim()),
            db: Array1::zeros(b.raw_dim()),
            x: Array2::zeros((0, w.nrows())),
            w,
            b,
        }
    }
}

impl<F: Float> From<Dense<F>> for Affine<F> {
    /// The dense layer of the layers chapter, ready to learn: same weights, same biases.
    fn from(dense: Dense<F>) -> Self {
        Affine::from_parts(dense.weights, dense.biases)
    }
}

/// The last layer of a network: it turns the network's output and the targets into the loss,
/// and starts the backward pass.
// ANCHOR: loss_layer
pub trait LossLayer<F: Float> {
    /// What the targets are: class indices (`[usize]`), or a matrix of values.
    type Target: ?Sized;

    /// The mean loss of the batch `x` against the targets `t`; keeps what `backward` needs.
    fn forward(&mut self, x: &Array2<F>, t: &Self::Target) -> F;

    /// ∂L/∂x for the last batch: the start of the backward pass (`dout = 1`).
    fn backward(&self) -> Array2<F>;
}
// ANCHOR_END: loss_layer

/// Softmax followed by the cross-entropy loss, as one layer.
///
/// Each of the two alone has a messy derivative; together they have the tidiest one in the
/// book. With `y = softmax(x)` and one-hot targets `t`:
///
/// ```text
/// forward:  y = softmax(x),   L = −(1/N) Σₙ ln yₙ,ₜₙ
/// backward: dx = (y − t) / N
/// ```
///
/// NumPy (DLFS): `class SoftmaxWithLoss`; `dx = (self.y - self.t) / batch_size`.
///
/// ```
/// use ch09_backprop::{LossLayer, SoftmaxWithLoss};
/// use ndarray::array;
/// let mut last = SoftmaxWithLoss::default();
/// let loss = last.forward(&array![[0.0, 0.0], [0.0, 0.0]], &[0, 1]);
/// assert!((loss - 2f64.ln()).abs() < 1e-15); // both samples give their class 1/2
/// assert_eq!(last.backward(), array![[-0.25, 0.25], [0.25, -0.25]]); // (y − t)/2
/// ```
///
/// # Panics
/// In `forward`, as `cross_entropy`: if there is not one class index per row of `x`, or an
/// index is not a column of `x`.
// ANCHOR: softmax_with_loss
#[derive(Debug, Clone, PartialEq)]
pub struct SoftmaxWithLoss<F> {
    y: Array2<F>,  // (N, classes): the probabilities of the last batch
    t: Vec<usize>, // (N): its class indices
}

impl<F: Float> LossLayer<F> for SoftmaxWithLoss<F> {
    type Target = [usize];

    fn forward(&mut self, x: &Array2<F>, t: &[usize]) -> F {
        self.y = softmax(x);
        self.t = t.to_vec();
        cross_entropy(&self.y, t)
    }

    fn backward(&self) -> Array2<F> {
        let mut dx = self.y.clone();
        for (mut row, &class) in dx.rows_mut().into_iter().zip(&self.t) {
            row[class] = row[class] - F::one(); // y − t, t one-hot
        }
        dx / float::<F>(self.t.len() as f64)
    }
}
// ANCHOR_END: softmax_with_loss

impl<F: Float> SoftmaxWithLoss<F> {
    /// The class probabilities of the last batch.
    pub fn probabilities(&self) -> &Array2<F> {
        &self.y
    }
}

impl<F: Float> Default for SoftmaxWithLoss<F> {
    fn default() -> Self {
        SoftmaxWithLoss {
            y: Array2::zeros((0, 0)),
            t: Vec::new(),
        }
    }
}

/// The identity output followed by the mean squared error: the last layer of a network that
/// predicts numbers rather than classes.
///
/// ```text
/// forward:  L = (1/N) Σₙ ½ Σₖ (yₙₖ − tₙₖ)²
/// backward: dy = (y − t) / N
/// ```
///
/// The ½ in the loss is there so that the gradient has the same form as Softmax-with-loss's.
///
/// ```
/// use ch09_backprop::{LossLayer, MseLoss};
/// use ndarray::array;
/// let mut last = MseLoss::default();
/// let loss = last.forward(&array![[1.0], [4.0]], &array![[0.0], [2.0]]);
/// assert_eq!(loss, 1.25); // (½·1 + ½·4) / 2
/// assert_eq!(last.backward(), array![[0.5], [1.0]]); // (y − t)/2
/// ```
///
/// # Panics
/// In `forward`, if `y` and `t` have different shapes or the batch is empty.
// ANCHOR: mse_loss
#[derive(Debug, Clone, PartialEq)]
pub struct MseLoss<F> {
    y: Array2<F>, // (N, outputs): the network's output for the last batch
    t: Array2<F>, // (N, outputs): its targets
}

impl<F: Float> LossLayer<F> for MseLoss<F> {
    type Target = Array2<F>;

    fn forward(&mut self, y: &Array2<F>, t: &Array2<F>) -> F {
        self.y = y.clone();
        self.t = t.clone();
        mean_squared_error_batch(y, t)
    }

    fn backward(&self) -> Array2<F> {
        (&self.y - &self.t) / float::<F>(self.y.nrows() as f64)
    }
}
// ANCHOR_END: mse_loss

impl<F: Float> Default for MseLoss<F> {
    fn default() -> Self {
        MseLoss {
            y: Array2::zeros((0, 0)),
            t: Array2::zeros((0, 0)),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{check_layer, check_loss_layer};
    use ndarray::array;

    /// A random matrix with entries kept at least `margin` away from zero (off ReLU's kink).
    fn off_the_kink(rng: &mut impl Rng, shape: (usize, usize), margin: f64) -> Array2<f64> {
        randn::<f64>(rng, shape).mapv(|v| {
            if v.abs() < margin {
                v.signum() * margin + v
            } else {
                v
            }
        })
    }

    #[test]
    fn relu_mask_is_where_the_derivative_is_one() {
        let x = array![[-1.0, 0.0, 2.0]];
        let mut layer = Relu::default();
        layer.forward(&x);
        let dx: Array2<f64> = layer.backward(&array![[1.0, 1.0, 1.0]]);
        assert_eq!(dx, x.mapv(ch04_activations::relu_derivative));
    }

    #[test]
    fn sigmoid_backward_is_the_derivative_of_the_activations_chapter() {
        let x: Array2<f64> = array![[-3.0, -0.5, 0.0, 1.5, 4.0]];
        let mut layer = Sigmoid::default();
        layer.forward(&x);
        let dx = layer.backward(&Array2::ones((1, 5)));
        let expected = x.mapv(ch04_activations::sigmoid_derivative);
        for (a, b) in dx.iter().zip(&expected) {
            assert!((a - b).abs() < 1e-15);
        }
    }

    #[test]
    fn affine_forward_is_the_dense_forward() {
        let mut rng = seeded_rng::rng(3);
        let dense = Dense::from_parts(randn::<f64>(&mut rng, (4, 3)), array![0.5, -1.0, 2.0]);
        let x = randn::<f64>(&mut rng, (5, 4));
        let mut affine = Affine::from(dense.clone());
        let (ours, theirs) = (affine.forward(&x), dense.forward(&x));
        for (a, b) in ours.iter().zip(&theirs) {
            assert!((a - b).abs() < 1e-14);
        }
    }

    #[test]
    fn affine_backward_matches_the_formulas() {
        let mut layer =
            Affine::from_parts(array![[1.0, 2.0], [3.0, 4.0], [5.0, 6.0]], array![0.0, 0.0]);
        let x = array![[1.0, 0.0, -1.0], [2.0, 1.0, 0.0]];
        layer.forward(&x);
        let dout = array![[1.0, -1.0], [0.5, 2.0]];
        let dx = layer.backward(&dout);
        assert_eq!(dx, dout.dot(&layer.w.t()));
        assert_eq!(layer.dw, x.t().dot(&dout));
        assert_eq!(layer.db, array![1.5, 1.0]);
    }

    #[test]
    fn every_layer_passes_its_gradient_check() {
        let mut rng = seeded_rng::rng(11);
        let x = off_the_kink(&mut rng, (4, 5), 0.01);
        let dout = randn::<f64>(&mut rng, (4, 5));
        for check in check_layer(&mut Relu::default(), &x, &dout) {
            assert!(check.max < 1e-9, "{check:?}");
        }
        for check in check_layer(&mut Sigmoid::default(), &x, &dout) {
            assert!(check.max < 1e-9, "{check:?}");
        }
        let mut affine = Affine::new(5, 3, 1.0, &mut rng);
        affine.b = array![0.3, -0.7, 1.1]; // not zero, so a bias bug cannot hide
        let dout = randn::<f64>(&mut rng, (4, 3));
        let checks = check_layer(&mut affine, &x, &dout);
        assert_eq!(checks.len(), 3);
        for check in checks {
            assert!(check.max < 1e-8 && check.scale > 0.1, "{check:?}");
        }
        let t = [0, 2, 1, 4];
        assert!(check_loss_layer(&mut SoftmaxWithLoss::default(), &x, &t[..]).max < 1e-9);
        let target = randn::<f64>(&mut rng, (4, 5));
        assert!(check_loss_layer(&mut MseLoss::default(), &x, &target).max < 1e-9);
    }

    #[test]
    #[should_panic(expected = "inputs 2 × 3 and 2 × 3 are not compatible")]
    fn affine_backward_names_both_shapes() {
        let mut layer = Affine::<f64>::new(3, 2, 1.0, &mut seeded_rng::rng(0));
        layer.forward(&Array2::zeros((2, 3)));
        layer.backward(&Array2::zeros((2, 3)));
    }

    #[test]
    #[should_panic(expected = "inputs 2 × 4 and 3 × 2 are not compatible")]
    fn affine_forward_names_both_shapes() {
        let mut layer = Affine::<f64>::new(3, 2, 1.0, &mut seeded_rng::rng(0));
        layer.forward(&Array2::zeros((2, 4)));
    }
}
