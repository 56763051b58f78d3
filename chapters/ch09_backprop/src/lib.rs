//! # Backpropagation
//!
//! A computational graph breaks a calculation into nodes; each node knows its local derivative,
//! and the chain rule, applied from the output backwards, multiplies them into the derivative
//! of the output with respect to every input — all of them in one backward sweep. Written for
//! matrices, the same idea gives every layer a `backward` beside its `forward`: ReLU, Sigmoid,
//! Affine and Softmax-with-loss. Stacked, they compute a network's whole gradient for the cost
//! of about two forward passes, where the numerical gradient of the previous chapter needed two
//! forward passes *per parameter*. We check every backward pass against that numerical
//! gradient, fit a curve, and train MNIST to about 97% in seconds.
//!
//! Run the chapter: `cargo run -p ch09_backprop` (the apple-shopping graphs, gradient checks of
//! every layer and of whole networks, a curve fit, the MNIST protocol of *Deep Learning from
//! Scratch*, and five figures in `target/figures/ch09_backprop/`).

pub mod exercises;
pub mod plots;

use std::time::Instant;

use ch03_layers::{float, Dense, Float};
use ch04_activations::{relu, relu_derivative, sigmoid, softmax};
use ch05_loss::{argmax_rows, cross_entropy, mean_squared_error_batch};
use ch08_gradients::numerical_gradient;
use ndarray::{Array1, Array2, ArrayD, ArrayViewD, ArrayViewMutD, Axis};
use seeded_rng::{randn, Rng};

// ANCHOR: mul_layer
/// A multiplication node of a computational graph: `z = x·y`.
///
/// Going forward it remembers its inputs; going backward it hands each input the derivative
/// that arrived from above, times its local derivative — which for a product is the *other*
/// input.
///
/// ```text
/// forward:  z = x·y
/// backward: ∂L/∂x = ∂L/∂z · y,   ∂L/∂y = ∂L/∂z · x
/// ```
///
/// NumPy (DLFS): `class MulLayer` with `forward(x, y)` and `backward(dout)`.
///
/// ```
/// use ch09_backprop::MulLayer;
/// let mut node = MulLayer::default();
/// assert_eq!(node.forward(3.0, 4.0), 12.0);
/// assert_eq!(node.backward(1.0), (4.0, 3.0)); // dz/dx = y, dz/dy = x
/// ```
#[derive(Debug, Clone, Copy, Default, PartialEq)]
pub struct MulLayer {
    x: f64,
    y: f64,
}

impl MulLayer {
    /// `x·y`, remembering `x` and `y` for the backward pass.
    pub fn forward(&mut self, x: f64, y: f64) -> f64 {
        self.x = x;
        self.y = y;
        x * y
    }

    /// `(dout·y, dout·x)`: the derivatives of the loss with respect to `x` and `y`.
    pub fn backward(&self, dout: f64) -> (f64, f64) {
        let dx = dout * self.y; // the inputs swap places
        let dy = dout * self.x;
        (dx, dy)
    }
}
// ANCHOR_END: mul_layer

// ANCHOR: add_layer
/// An addition node: `z = x + y`. Its local derivatives are both 1, so backward passes the
/// derivative from above unchanged to each input, and it needs to remember nothing.
///
/// ```text
/// forward:  z = x + y
/// backward: ∂L/∂x = ∂L/∂z,   ∂L/∂y = ∂L/∂z
/// ```
///
/// NumPy (DLFS): `class AddLayer`.
///
/// ```
/// use ch09_backprop::AddLayer;
/// let mut node = AddLayer;
/// assert_eq!(node.forward(3.0, 4.0), 7.0);
/// assert_eq!(node.backward(1.5), (1.5, 1.5));
/// ```
#[derive(Debug, Clone, Copy, Default, PartialEq)]
pub struct AddLayer;

impl AddLayer {
    /// `x + y`.
    pub fn forward(&mut self, x: f64, y: f64) -> f64 {
        x + y
    }

    /// `(dout, dout)`.
    pub fn backward(&self, dout: f64) -> (f64, f64) {
        (dout, dout)
    }
}
// ANCHOR_END: add_layer

// ANCHOR: buy_apples
/// The price of apples with tax, and its derivative with respect to each input.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct ApplePurchase {
    pub price: f64,
    /// ∂price/∂(apple price)
    pub d_apple: f64,
    /// ∂price/∂(number of apples)
    pub d_apple_num: f64,
    /// ∂price/∂tax
    pub d_tax: f64,
}

/// Buying apples as a graph of two multiplication nodes: `price = (apple · apple_num) · tax`.
/// The forward pass computes the price; the backward pass, started with `dprice = 1`, gives
/// the derivative of the price with respect to every input.
///
/// NumPy (DLFS): `buy_apple.py`.
///
/// ```
/// let purchase = ch09_backprop::buy_apples(100.0, 2.0, 1.1);
/// assert!((purchase.price - 220.0).abs() < 1e-9); // 100 · 2 · 1.1
/// assert!((purchase.d_apple - 2.2).abs() < 1e-12); // apple_num · tax
/// assert!((purchase.d_apple_num - 110.0).abs() < 1e-9); // apple · tax
/// assert!((purchase.d_tax - 200.0).abs() < 1e-12); // apple · apple_num
/// ```
pub fn buy_apples(apple: f64, apple_num: f64, tax: f64) -> ApplePurchase {
    let mut mul_apple_layer = MulLayer::default();
    let mut mul_tax_layer = MulLayer::default();

    // forward: left to right
    let apple_price = mul_apple_layer.forward(apple, apple_num);
    let price = mul_tax_layer.forward(apple_price, tax);

    // backward: right to left, in the opposite order
    let dprice = 1.0;
    let (dapple_price, d_tax) = mul_tax_layer.backward(dprice);
    let (d_apple, d_apple_num) = mul_apple_layer.backward(dapple_price);

    ApplePurchase {
        price,
        d_apple,
        d_apple_num,
        d_tax,
    }
}
// ANCHOR_END: buy_apples

// ANCHOR: buy_fruit
/// The price of apples and oranges with tax, and its derivative with respect to each input.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct FruitPurchase {
    pub price: f64,
    pub d_apple: f64,
    pub d_apple_num: f64,
    pub d_orange: f64,
    pub d_orange_num: f64,
    pub d_tax: f64,
}

/// Apples and oranges: two multiplications feed an addition, and the sum is taxed.
///
/// ```text
/// price = (apple · apple_num + orange · orange_num) · tax
/// ```
///
/// NumPy (DLFS): `buy_apple_orange.py`.
///
/// ```
/// let p = ch09_backprop::buy_fruit(100.0, 2.0, 150.0, 3.0, 1.1);
/// assert!((p.price - 715.0).abs() < 1e-9); // (200 + 450) · 1.1
/// assert!((p.d_orange - 3.3).abs() < 1e-12); // orange_num · tax
/// assert!((p.d_tax - 650.0).abs() < 1e-12); // 200 + 450
/// ```
pub fn buy_fruit(
    apple: f64,
    apple_num: f64,
    orange: f64,
    orange_num: f64,
    tax: f64,
) -> FruitPurchase {
    let mut mul_apple_layer = MulLayer::default();
    let mut mul_orange_layer = MulLayer::default();
    let mut add_apple_orange_layer = AddLayer;
    let mut mul_tax_layer = MulLayer::default();

    // forward
    let apple_price = mul_apple_layer.forward(apple, apple_num);
    let orange_price = mul_orange_layer.forward(orange, orange_num);
    let all_price = add_apple_orange_layer.forward(apple_price, orange_price);
    let price = mul_tax_layer.forward(all_price, tax);

    // backward
    let dprice = 1.0;
    let (dall_price, d_tax) = mul_tax_layer.backward(dprice);
    let (dapple_price, dorange_price) = add_apple_orange_layer.backward(dall_price);
    let (d_orange, d_orange_num) = mul_orange_layer.backward(dorange_price);
    let (d_apple, d_apple_num) = mul_apple_layer.backward(dapple_price);

    FruitPurchase {
        price,
        d_apple,
        d_apple_num,
        d_orange,
        d_orange_num,
        d_tax,
    }
}
// ANCHOR_END: buy_fruit

// ANCHOR: layer
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
pub trait Layer<F: Float> {
    /// Forward pass for a batch (rows = samples); caches what backward needs.
    fn forward(&mut self, x: &Array2<F>) -> Array2<F>;

    /// Backward pass: takes dL/d(output), stores parameter gradients, returns dL/d(input).
    fn backward(&mut self, dout: &Array2<F>) -> Array2<F>;

    /// Each trainable parameter with its gradient from the last backward, in a fixed order
    /// (e.g. W then b). Layers without parameters return an empty Vec.
    fn params_and_grads(&mut self) -> Vec<(ArrayViewMutD<'_, F>, ArrayViewD<'_, F>)> {
        Vec::new()
    }
}
// ANCHOR_END: layer

// ANCHOR: relu
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
/// In `backward`, if `dout` does not have the shape of the last output.
#[derive(Debug, Clone, PartialEq)]
pub struct Relu<F> {
    mask: Array2<F>, // (batch, features): relu′(x), 1 where x > 0, else 0
}

impl<F: Float> Default for Relu<F> {
    fn default() -> Self {
        Relu {
            mask: Array2::zeros((0, 0)),
        }
    }
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

// ANCHOR: sigmoid
/// The sigmoid layer: `y = σ(x)` entry by entry.
///
/// Its derivative can be written with its own output, `σ′(x) = y(1 − y)`, so the forward pass
/// keeps `y` and the backward pass needs no exponential.
///
/// ```text
/// forward:  y = 1 / (1 + e⁻ˣ)
/// backward: dx = dout · y · (1 − y)
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
/// In `backward`, if `dout` does not have the shape of the last output.
#[derive(Debug, Clone, PartialEq)]
pub struct Sigmoid<F> {
    out: Array2<F>, // (batch, features): the output of the last forward pass
}

impl<F: Float> Default for Sigmoid<F> {
    fn default() -> Self {
        Sigmoid {
            out: Array2::zeros((0, 0)),
        }
    }
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

// ANCHOR: affine
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
#[derive(Debug, Clone, PartialEq)]
pub struct Affine<F> {
    pub w: Array2<F>,  // (inputs, outputs)
    pub b: Array1<F>,  // (outputs)
    pub dw: Array2<F>, // (inputs, outputs): ∂L/∂W from the last backward pass
    pub db: Array1<F>, // (outputs): ∂L/∂b from the last backward pass
    x: Array2<F>,      // (N, inputs): the input of the last forward pass
}

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

    fn params_and_grads(&mut self) -> Vec<(ArrayViewMutD<'_, F>, ArrayViewD<'_, F>)> {
        vec![
            (self.w.view_mut().into_dyn(), self.dw.view().into_dyn()),
            (self.b.view_mut().into_dyn(), self.db.view().into_dyn()),
        ]
    }
}
// ANCHOR_END: affine

// ANCHOR: loss_layer
/// The last layer of a network: it turns the network's output and the targets into the loss,
/// and starts the backward pass.
pub trait LossLayer<F: Float> {
    /// What the targets are: class indices (`[usize]`), or a matrix of values.
    type Target: ?Sized;

    /// The mean loss of the batch `x` against the targets `t`; keeps what `backward` needs.
    fn forward(&mut self, x: &Array2<F>, t: &Self::Target) -> F;

    /// `∂L/∂x` for the last batch: the start of the backward pass (`dout = 1`).
    fn backward(&self) -> Array2<F>;
}
// ANCHOR_END: loss_layer

// ANCHOR: softmax_with_loss
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
/// use ch09_backprop::SoftmaxWithLoss;
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
#[derive(Debug, Clone, PartialEq)]
pub struct SoftmaxWithLoss<F> {
    y: Array2<F>,  // (N, classes): the probabilities of the last batch
    t: Vec<usize>, // (N): its class indices
}

impl<F: Float> Default for SoftmaxWithLoss<F> {
    fn default() -> Self {
        SoftmaxWithLoss {
            y: Array2::zeros((0, 0)),
            t: Vec::new(),
        }
    }
}

impl<F: Float> SoftmaxWithLoss<F> {
    /// The mean cross-entropy loss of `softmax(x)` against the class indices `t`.
    pub fn forward(&mut self, x: &Array2<F>, t: &[usize]) -> F {
        self.y = softmax(x);
        self.t = t.to_vec();
        cross_entropy(&self.y, t)
    }

    /// `(y − t)/N`, with `t` one-hot: the derivative of the mean loss with respect to `x`.
    pub fn backward(&self) -> Array2<F> {
        let n = float::<F>(self.t.len() as f64);
        let mut dx = self.y.clone();
        for (mut row, &class) in dx.rows_mut().into_iter().zip(&self.t) {
            row[class] = row[class] - F::one(); // y − t, without building the one-hot t
        }
        dx / n
    }

    /// The class probabilities of the last batch.
    pub fn probabilities(&self) -> &Array2<F> {
        &self.y
    }
}

impl<F: Float> LossLayer<F> for SoftmaxWithLoss<F> {
    type Target = [usize];

    fn forward(&mut self, x: &Array2<F>, t: &[usize]) -> F {
        SoftmaxWithLoss::forward(self, x, t)
    }

    fn backward(&self) -> Array2<F> {
        SoftmaxWithLoss::backward(self)
    }
}
// ANCHOR_END: softmax_with_loss

// ANCHOR: mse_loss
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
/// use ch09_backprop::MseLoss;
/// use ndarray::array;
/// let mut last = MseLoss::default();
/// let loss = last.forward(&array![[1.0], [4.0]], &array![[0.0], [2.0]]);
/// assert_eq!(loss, 1.25); // (½·1 + ½·4) / 2
/// assert_eq!(last.backward(), array![[0.5], [1.0]]); // (y − t)/2
/// ```
///
/// # Panics
/// In `forward`, if `y` and `t` have different shapes or the batch is empty.
#[derive(Debug, Clone, PartialEq)]
pub struct MseLoss<F> {
    y: Array2<F>, // (N, outputs): the network's output for the last batch
    t: Array2<F>, // (N, outputs): its targets
}

impl<F: Float> Default for MseLoss<F> {
    fn default() -> Self {
        MseLoss {
            y: Array2::zeros((0, 0)),
            t: Array2::zeros((0, 0)),
        }
    }
}

impl<F: Float> MseLoss<F> {
    /// The mean over the batch of half the squared error.
    pub fn forward(&mut self, y: &Array2<F>, t: &Array2<F>) -> F {
        let loss = mean_squared_error_batch(y, t);
        self.y = y.clone();
        self.t = t.clone();
        loss
    }

    /// `(y − t)/N`.
    pub fn backward(&self) -> Array2<F> {
        (&self.y - &self.t) / float::<F>(self.y.nrows() as f64)
    }
}

impl<F: Float> LossLayer<F> for MseLoss<F> {
    type Target = Array2<F>;

    fn forward(&mut self, y: &Array2<F>, t: &Array2<F>) -> F {
        MseLoss::forward(self, y, t)
    }

    fn backward(&self) -> Array2<F> {
        MseLoss::backward(self)
    }
}
// ANCHOR_END: mse_loss

// ANCHOR: sequential
/// A network: layers applied one after the other, then a loss layer.
///
/// `gradient` is backpropagation: a forward pass through every layer and the loss layer, the
/// loss layer's backward, then every layer's backward in reverse order, each passing `dx` to
/// the layer before it.
///
/// NumPy (DLFS): `class TwoLayerNet` of chapter 5, with its `OrderedDict` of layers and
/// `last_layer`.
pub struct Sequential<F, L = SoftmaxWithLoss<F>> {
    pub layers: Vec<Box<dyn Layer<F>>>,
    pub last: L,
}

impl<F: Float, L: LossLayer<F>> Sequential<F, L> {
    /// A network of `layers`, in order, ending in `last`.
    pub fn new(layers: Vec<Box<dyn Layer<F>>>, last: L) -> Self {
        Sequential { layers, last }
    }

    /// The network's output for a batch, before the loss layer (the scores of a classifier,
    /// the values of a regression).
    pub fn predict(&mut self, x: &Array2<F>) -> Array2<F> {
        let mut out = x.clone();
        for layer in &mut self.layers {
            out = layer.forward(&out);
        }
        out
    }

    /// The mean loss on `x` against the targets `t`.
    pub fn loss(&mut self, x: &Array2<F>, t: &L::Target) -> F {
        let y = self.predict(x);
        self.last.forward(&y, t)
    }

    /// Backpropagation: every parameter's gradient of the loss on `x` against `t`, stored in
    /// the layers (read them with [`Sequential::params_and_grads`]). Returns the loss.
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

    /// Every parameter of every layer with its gradient, first layer first.
    pub fn params_and_grads(&mut self) -> Vec<(ArrayViewMutD<'_, F>, ArrayViewD<'_, F>)> {
        self.layers
            .iter_mut()
            .flat_map(|layer| layer.params_and_grads())
            .collect()
    }

    /// How many numbers the network learns.
    pub fn parameter_count(&mut self) -> usize {
        self.params_and_grads().iter().map(|(p, _)| p.len()).sum()
    }
}

impl<F: Float> Sequential<F> {
    /// The fraction of `x` whose highest-scoring class is the target, measured on
    /// [`ACCURACY_ROWS`] rows at a time: every layer keeps a copy of its input, and a copy of
    /// a whole training set would be large (DLFS's `SimpleConvNet.accuracy` also goes in
    /// batches).
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
        for (x, t) in x
            .axis_chunks_iter(Axis(0), ACCURACY_ROWS)
            .zip(t.chunks(ACCURACY_ROWS))
        {
            let y = argmax_rows(&self.predict(&x.to_owned()));
            correct += y.iter().zip(t).filter(|(y, t)| y == t).count();
        }
        correct as f64 / t.len() as f64
    }
}
// ANCHOR_END: sequential

/// How many rows [`Sequential::accuracy`] runs through the network at a time.
pub const ACCURACY_ROWS: usize = 1000;

// ANCHOR: two_layer_net
/// *Deep Learning from Scratch*'s `TwoLayerNet` of chapter 5: Affine → ReLU → Affine →
/// Softmax-with-loss, weights drawn from `weight_init_std · N(0, 1)`, biases zero.
///
/// ```
/// let mut net = ch09_backprop::two_layer_net::<f32>(784, 50, 10, 0.01, &mut seeded_rng::rng(0));
/// assert_eq!(net.parameter_count(), 39_760); // 784·50 + 50 + 50·10 + 10
/// ```
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
pub fn sgd_step<F: Float>(params: Vec<(ArrayViewMutD<'_, F>, ArrayViewD<'_, F>)>, lr: F) {
    for (mut param, grad) in params {
        param.scaled_add(-lr, &grad);
    }
}
// ANCHOR_END: two_layer_net

// ANCHOR: compare
/// How far apart two gradients are, entry by entry.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Difference {
    /// The largest `|a − b|`.
    pub max: f64,
    /// The mean `|a − b|`.
    pub mean: f64,
    /// The mean `|b|`, the size of the gradient itself, to judge the other two by.
    pub scale: f64,
}

/// The differences between `a` (say, a numerical gradient) and `b` (say, backprop's).
///
/// NumPy (DLFS): `np.average(np.abs(grad_backprop[key] - grad_numerical[key]))`.
///
/// ```
/// use ch09_backprop::difference;
/// use ndarray::array;
/// let d = difference(&array![1.0, 2.0].into_dyn().view(), &array![1.5, 2.0].into_dyn().view());
/// assert_eq!((d.max, d.mean, d.scale), (0.5, 0.25, 1.75));
/// ```
///
/// # Panics
/// If the shapes differ.
pub fn difference<F: Float>(a: &ArrayViewD<'_, F>, b: &ArrayViewD<'_, F>) -> Difference {
    assert_eq!(
        a.shape(),
        b.shape(),
        "gradients of shapes {:?} and {:?} cannot be compared",
        a.shape(),
        b.shape()
    );
    let abs = |v: F| v.abs().to_f64().unwrap_or(f64::NAN);
    let diff = (a - b).mapv(abs); // |a − b|, entry by entry
    Difference {
        max: diff.fold(0.0, |max, &d| f64::max(max, d)),
        mean: diff.mean().unwrap_or(0.0),
        scale: b.mapv(abs).mean().unwrap_or(0.0),
    }
}
// ANCHOR_END: compare

// ANCHOR: check_layer
/// Writes `value` into parameter number `index` of a layer (in `params_and_grads` order).
fn set_param<F: Float, L: Layer<F> + ?Sized>(layer: &mut L, index: usize, value: &ArrayD<F>) {
    let mut params = layer.params_and_grads();
    params[index].0.assign(value);
}

/// A gradient check of one layer: backprop's gradients against the numerical gradient of the
/// gradients chapter, for the input and for every parameter (in `params_and_grads` order).
///
/// A layer alone has no loss, so we make one: `f = Σ forward(x) ⊙ dout`, the layer's output
/// weighted by a fixed `dout`. Its derivative with respect to the output is exactly `dout`, so
/// backprop's answer is `backward(dout)`; the numerical one nudges each entry of `x` and of each
/// parameter by ±h and watches `f`. Check in `f64`: in `f32` the numerical gradient itself is
/// off by about 10⁻³.
///
/// ```
/// use ch09_backprop::{check_layer, Sigmoid};
/// use ndarray::array;
/// let x = array![[0.5, -1.0], [2.0, 0.1]];
/// let dout = array![[1.0, -2.0], [0.5, 3.0]];
/// let checks = check_layer(&mut Sigmoid::default(), &x, &dout);
/// assert_eq!(checks.len(), 1); // the input; a sigmoid has no parameters
/// assert!(checks[0].max < 1e-9);
/// ```
pub fn check_layer<F: Float, L: Layer<F> + ?Sized>(
    layer: &mut L,
    x: &Array2<F>,
    dout: &Array2<F>,
) -> Vec<Difference> {
    let f = |layer: &mut L, x: &Array2<F>| (layer.forward(x) * dout).sum();

    // backprop
    layer.forward(x);
    let dx = layer.backward(dout);
    let grads: Vec<ArrayD<F>> = layer
        .params_and_grads()
        .into_iter()
        .map(|(_, grad)| grad.to_owned())
        .collect();

    // numerical: the input, then each parameter in turn
    let numerical_dx = numerical_gradient(|x| f(layer, x), &mut x.clone());
    let mut checks = vec![difference(
        &numerical_dx.view().into_dyn(),
        &dx.view().into_dyn(),
    )];
    for (index, grad) in grads.iter().enumerate() {
        let mut param = layer.params_and_grads()[index].0.to_owned();
        let numerical = numerical_gradient(
            |p| {
                set_param(layer, index, p);
                f(layer, x)
            },
            &mut param,
        );
        set_param(layer, index, &param); // as it was
        checks.push(difference(&numerical.view(), &grad.view()));
    }
    checks
}

/// A gradient check of a loss layer: `backward()` against the numerical gradient of
/// `forward(x, t)` with respect to `x`.
///
/// ```
/// use ch09_backprop::{check_loss_layer, SoftmaxWithLoss};
/// use ndarray::array;
/// let x = array![[0.3, -1.2, 2.0], [0.0, 0.5, -0.5]];
/// let check = check_loss_layer(&mut SoftmaxWithLoss::default(), &x, &[2, 0][..]);
/// assert!(check.max < 1e-9);
/// ```
pub fn check_loss_layer<F: Float, L: LossLayer<F>>(
    last: &mut L,
    x: &Array2<F>,
    t: &L::Target,
) -> Difference {
    last.forward(x, t);
    let dx = last.backward();
    let numerical = numerical_gradient(|x| last.forward(x, t), &mut x.clone());
    difference(&numerical.view().into_dyn(), &dx.view().into_dyn())
}
// ANCHOR_END: check_layer

// ANCHOR: check_network
/// A gradient check of a whole network: for each parameter (in `params_and_grads` order),
/// backprop's gradient against the numerical gradient of `loss(x, t)`.
///
/// ```
/// use ch09_backprop::{check_network, two_layer_net};
/// use ndarray::array;
/// let mut net = two_layer_net::<f64>(3, 4, 2, 0.5, &mut seeded_rng::rng(1));
/// let checks = check_network(&mut net, &array![[0.1, 0.9, 0.5], [0.7, 0.2, 0.4]], &[1, 0][..]);
/// assert_eq!(checks.len(), 4); // W1, b1, W2, b2
/// assert!(checks.iter().all(|d| d.max < 1e-9));
/// ```
pub fn check_network<F: Float, L: LossLayer<F>>(
    net: &mut Sequential<F, L>,
    x: &Array2<F>,
    t: &L::Target,
) -> Vec<Difference> {
    net.gradient(x, t);
    let grads: Vec<ArrayD<F>> = net
        .params_and_grads()
        .into_iter()
        .map(|(_, grad)| grad.to_owned())
        .collect();
    let mut checks = Vec::new();
    for (index, grad) in grads.iter().enumerate() {
        let mut param = net.params_and_grads()[index].0.to_owned();
        let set = |net: &mut Sequential<F, L>, value: &ArrayD<F>| {
            net.params_and_grads()[index].0.assign(value);
        };
        let numerical = numerical_gradient(
            |p| {
                set(net, p);
                net.loss(x, t)
            },
            &mut param,
        );
        set(net, &param); // as it was
        checks.push(difference(&numerical.view(), &grad.view()));
    }
    checks
}
// ANCHOR_END: check_network

// ANCHOR: curve
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
pub fn sigmoid_regressor<F: Float>(
    sizes: &[usize],
    std: f64,
    bias_std: f64,
    rng: &mut impl Rng,
) -> Sequential<F, MseLoss<F>> {
    assert!(
        sizes.len() >= 2,
        "a network needs an input and an output size, got sizes {sizes:?}"
    );
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
pub fn fit<F: Float>(
    net: &mut Sequential<F, MseLoss<F>>,
    x: &Array2<F>,
    t: &Array2<F>,
    lr: f64,
    iterations: usize,
) -> Vec<F> {
    let lr = float::<F>(lr);
    (0..iterations)
        .map(|_| {
            let loss = net.gradient(x, t);
            sgd_step(net.params_and_grads(), lr);
            loss
        })
        .collect()
}
// ANCHOR_END: curve

// ANCHOR: mnist_data
/// MNIST as the networks want it: images as rows of pixels in `[0, 1]`, labels as class
/// indices.
#[derive(Debug, Clone)]
pub struct MnistData<F> {
    pub x_train: Array2<F>, // (60000, 784)
    pub t_train: Vec<usize>,
    pub x_test: Array2<F>, //  (10000, 784)
    pub t_test: Vec<usize>,
}

impl<F: Float + From<u8>> MnistData<F> {
    /// Normalises the images of `mnist` and turns its labels into indices.
    pub fn new(mnist: &mnist::Mnist) -> Self {
        let labels = |split: &mnist::Split| split.labels.iter().map(|&l| usize::from(l)).collect();
        MnistData {
            x_train: mnist.train.images_normalised(),
            t_train: labels(&mnist.train),
            x_test: mnist.test.images_normalised(),
            t_test: labels(&mnist.test),
        }
    }
}

/// Copies rows `rows` of `x` into `batch`, in order, and their labels into `t_batch`: a
/// mini-batch gathered into buffers that are reused from step to step.
///
/// NumPy (DLFS): `x_batch = x_train[batch_mask]; t_batch = t_train[batch_mask]`.
///
/// ```
/// use ch09_backprop::gather_batch;
/// use ndarray::{array, Array2};
/// let x = array![[0.0, 1.0], [2.0, 3.0], [4.0, 5.0]];
/// let (mut batch, mut t_batch) = (Array2::zeros((2, 2)), Vec::new());
/// gather_batch(&x, &[7, 8, 9], &[2, 0], &mut batch, &mut t_batch);
/// assert_eq!(batch, array![[4.0, 5.0], [0.0, 1.0]]);
/// assert_eq!(t_batch, [9, 7]);
/// ```
///
/// # Panics
/// If `batch` does not have one row per index and `x`'s number of columns, or an index is out
/// of range.
pub fn gather_batch<F: Float>(
    x: &Array2<F>,
    t: &[usize],
    rows: &[usize],
    batch: &mut Array2<F>,
    t_batch: &mut Vec<usize>,
) {
    assert_eq!(
        batch.dim(),
        (rows.len(), x.ncols()),
        "a batch buffer of shape {:?} cannot hold {} rows of a matrix of shape {:?}",
        batch.dim(),
        rows.len(),
        x.dim()
    );
    for (mut row, &i) in batch.rows_mut().into_iter().zip(rows) {
        row.assign(&x.row(i));
    }
    t_batch.clear();
    t_batch.extend(rows.iter().map(|&i| t[i]));
}
// ANCHOR_END: mnist_data

// ANCHOR: protocol
/// The hyperparameters of a training run on MNIST.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Protocol {
    pub hidden: usize,
    pub weight_init_std: f64,
    pub learning_rate: f64,
    pub batch_size: usize,
    pub iterations: usize,
}

/// *Deep Learning from Scratch*'s `train_neuralnet.py` of chapter 5: 784-50-10 with ReLU,
/// weights `0.01·N(0, 1)`, SGD with learning rate 0.1 on batches of 100 drawn at random, for
/// 10,000 iterations.
pub const DLFS_PROTOCOL: Protocol = Protocol {
    hidden: 50,
    weight_init_std: 0.01,
    learning_rate: 0.1,
    batch_size: 100,
    iterations: 10_000,
};

/// The accuracies measured at the end of one epoch.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct EpochAccuracy {
    /// How many iterations had run.
    pub iteration: usize,
    pub train: f64,
    pub test: f64,
}

/// What a training run recorded.
#[derive(Debug, Clone, PartialEq)]
pub struct TrainingRun {
    /// The loss of every batch, as computed by its own gradient step.
    pub losses: Vec<f64>,
    /// Train and test accuracy every epoch (every `60000 / batch_size` iterations, counting
    /// from the first), and once more after the last iteration.
    pub accuracies: Vec<EpochAccuracy>,
    /// Seconds spent training (drawing batches, backprop, updates), and evaluating.
    pub training_seconds: f64,
    pub evaluation_seconds: f64,
}

/// Trains `net` on MNIST by backprop and SGD, following `protocol`; evaluates train and test
/// accuracy every epoch if `evaluate` (DLFS does), and after the last iteration in any case.
/// `progress` is called after each evaluation.
///
/// NumPy (DLFS): `ch05/train_neuralnet.py`.
pub fn train_mnist<F: Float>(
    net: &mut Sequential<F>,
    data: &MnistData<F>,
    protocol: &Protocol,
    evaluate: bool,
    rng: &mut impl Rng,
    mut progress: impl FnMut(&EpochAccuracy),
) -> TrainingRun {
    let (train_size, batch_size) = (data.x_train.nrows(), protocol.batch_size);
    let iter_per_epoch = (train_size / batch_size).max(1);
    let lr = float::<F>(protocol.learning_rate);
    let mut run = TrainingRun {
        losses: Vec::with_capacity(protocol.iterations),
        accuracies: Vec::new(),
        training_seconds: 0.0,
        evaluation_seconds: 0.0,
    };
    let mut evaluate_now = |net: &mut Sequential<F>, iteration: usize, run: &mut TrainingRun| {
        let started = Instant::now();
        let epoch = EpochAccuracy {
            iteration,
            train: net.accuracy(&data.x_train, &data.t_train),
            test: net.accuracy(&data.x_test, &data.t_test),
        };
        run.evaluation_seconds += started.elapsed().as_secs_f64();
        progress(&epoch);
        run.accuracies.push(epoch);
    };

    let started = Instant::now();
    let mut rows = vec![0; batch_size];
    let mut x_batch = Array2::zeros((batch_size, data.x_train.ncols()));
    let mut t_batch = Vec::with_capacity(batch_size);
    for i in 0..protocol.iterations {
        rows.fill_with(|| rng.random_range(0..train_size)); // np.random.choice(train_size, batch_size)
        gather_batch(
            &data.x_train,
            &data.t_train,
            &rows,
            &mut x_batch,
            &mut t_batch,
        );
        let loss = net.gradient(&x_batch, &t_batch);
        sgd_step(net.params_and_grads(), lr);
        run.losses.push(loss.to_f64().unwrap_or(f64::NAN));
        if evaluate && i % iter_per_epoch == 0 {
            evaluate_now(net, i + 1, &mut run);
        }
    }
    run.training_seconds = started.elapsed().as_secs_f64() - run.evaluation_seconds;
    evaluate_now(net, protocol.iterations, &mut run);
    run
}
// ANCHOR_END: protocol

#[cfg(test)]
mod tests {
    use super::*;
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
    fn the_apple_graph_gives_the_books_numbers() {
        let p = buy_apples(100.0, 2.0, 1.1);
        assert_eq!(
            format!(
                "{:.6} {:.6} {:.6} {:.6}",
                p.price, p.d_apple, p.d_apple_num, p.d_tax
            ),
            "220.000000 2.200000 110.000000 200.000000"
        );
    }

    #[test]
    fn the_fruit_graph_gives_the_books_numbers() {
        let p = buy_fruit(100.0, 2.0, 150.0, 3.0, 1.1);
        let got = [
            p.price,
            p.d_apple,
            p.d_apple_num,
            p.d_orange,
            p.d_orange_num,
            p.d_tax,
        ];
        let want = [715.0, 2.2, 110.0, 3.3, 165.0, 650.0];
        for (g, w) in got.iter().zip(want) {
            assert!((g - w).abs() < 1e-9, "{got:?}");
        }
    }

    #[test]
    fn the_fruit_graph_agrees_with_numerical_derivatives() {
        use ch07_derivatives::{numerical_diff, DEFAULT_H};
        let p = buy_fruit(100.0, 2.0, 150.0, 3.0, 1.1);
        let price = |a: f64, an: f64, o: f64, on: f64, tax: f64| buy_fruit(a, an, o, on, tax).price;
        let h = DEFAULT_H;
        assert!(
            (numerical_diff(|a| price(a, 2.0, 150.0, 3.0, 1.1), 100.0, h) - p.d_apple).abs() < 1e-6
        );
        assert!(
            (numerical_diff(|o| price(100.0, 2.0, o, 3.0, 1.1), 150.0, h) - p.d_orange).abs()
                < 1e-6
        );
        assert!(
            (numerical_diff(|on| price(100.0, 2.0, 150.0, on, 1.1), 3.0, h) - p.d_orange_num).abs()
                < 1e-6
        );
        assert!(
            (numerical_diff(|tax| price(100.0, 2.0, 150.0, 3.0, tax), 1.1, h) - p.d_tax).abs()
                < 1e-6
        );
    }

    #[test]
    fn relu_mask_is_where_the_derivative_is_one() {
        let x = array![[-1.0, 0.0, 2.0]];
        let mut layer = Relu::default();
        Layer::<f64>::forward(&mut layer, &x);
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
    fn a_wrong_backward_fails_the_gradient_check() {
        /// Affine with dW forgetting the transpose's meaning: x·dout is not the gradient.
        #[derive(Clone)]
        struct Wrong(Affine<f64>);
        impl Layer<f64> for Wrong {
            fn forward(&mut self, x: &Array2<f64>) -> Array2<f64> {
                self.0.forward(x)
            }
            fn backward(&mut self, dout: &Array2<f64>) -> Array2<f64> {
                let dx = self.0.backward(dout);
                self.0.db = self.0.db.mapv(|v| v / 2.0); // a mean instead of a sum, for N = 2
                dx
            }
            fn params_and_grads(&mut self) -> Vec<(ArrayViewMutD<'_, f64>, ArrayViewD<'_, f64>)> {
                self.0.params_and_grads()
            }
        }
        let mut rng = seeded_rng::rng(5);
        let mut layer = Wrong(Affine::new(3, 2, 1.0, &mut rng));
        let x = randn::<f64>(&mut rng, (2, 3));
        let dout = randn::<f64>(&mut rng, (2, 2));
        let checks = check_layer(&mut layer, &x, &dout);
        assert!(
            checks[0].max < 1e-9 && checks[1].max < 1e-9,
            "dx and dW are right"
        );
        assert!(checks[2].max > 1e-3, "db is caught: {:?}", checks[2]);
    }

    #[test]
    fn whole_networks_pass_their_gradient_check() {
        let mut rng = seeded_rng::rng(2);
        let mut net = two_layer_net::<f64>(6, 5, 3, 0.5, &mut rng);
        for (mut p, _) in net.params_and_grads() {
            p.mapv_inplace(|v| v + 0.1); // biases not zero either
        }
        let x = randn::<f64>(&mut rng, (8, 6));
        let t = [0, 1, 2, 0, 1, 2, 0, 1];
        for check in check_network(&mut net, &x, &t[..]) {
            assert!(check.max < 1e-7 && check.mean < 1e-9, "{check:?}");
            assert!(check.scale > 1e-3, "a gradient worth checking: {check:?}");
        }
        let mut regressor = sigmoid_regressor::<f64>(&[1, 4, 3, 1], 1.0, 1.0, &mut rng);
        let (x, t) = cosine_data::<f64>(-2.0, 2.0, 5);
        for check in check_network(&mut regressor, &x, &t) {
            assert!(check.max < 1e-7 && check.mean < 1e-9, "{check:?}");
        }
    }

    #[test]
    fn the_dlfs_network_passes_its_gradient_check_on_mnist() {
        // DLFS's gradient_check.py: TwoLayerNet(784, 50, 10) on the first 3 training images.
        let split = mnist::load().unwrap().train.first(3);
        let x = split.images_normalised::<f64>();
        let t: Vec<usize> = split.labels.iter().map(|&l| usize::from(l)).collect();
        let mut rng = seeded_rng::rng(0);
        let mut net = Sequential::new(
            vec![
                Box::new(Affine::new(784, 50, 0.01, &mut rng).with_random_bias(0.1, &mut rng)),
                Box::new(Relu::default()),
                Box::new(Affine::new(50, 10, 0.01, &mut rng).with_random_bias(0.1, &mut rng)),
            ],
            SoftmaxWithLoss::default(),
        );
        for check in check_network(&mut net, &x, &t[..]) {
            // a nudge may cross ReLU's kink: the mean is the robust measure
            assert!(
                check.mean < 1e-9 && check.mean < 1e-5 * check.scale,
                "{check:?}"
            );
        }
    }

    #[test]
    fn gradient_check_leaves_the_parameters_as_they_were() {
        let mut rng = seeded_rng::rng(4);
        let mut net = two_layer_net::<f64>(3, 4, 2, 1.0, &mut rng);
        let before: Vec<ArrayD<f64>> = net
            .params_and_grads()
            .into_iter()
            .map(|(p, _)| p.to_owned())
            .collect();
        check_network(&mut net, &randn::<f64>(&mut rng, (2, 3)), &[0, 1][..]);
        let after: Vec<ArrayD<f64>> = net
            .params_and_grads()
            .into_iter()
            .map(|(p, _)| p.to_owned())
            .collect();
        assert_eq!(before, after);
    }

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
