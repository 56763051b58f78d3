//! The backprop chapter's network as one concrete type: two affine layers with ReLU between,
//! softmax with cross-entropy at the end, its parameters in plain fields.

use ch04_activations::{relu, relu_derivative, softmax};
use ch05_loss::{accuracy, cross_entropy};
use ch09_backprop::Sequential;
use ndarray::{Array1, Array2, Axis, Zip};

use crate::kernels::{mat_mul_into, slice};

/// The parameters of the two-layer network — or their gradients, which have the same shapes.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Params {
    pub w1: Array2<f32>, // (inputs, hidden)
    pub b1: Array1<f32>, // (hidden)
    pub w2: Array2<f32>, // (hidden, classes)
    pub b2: Array1<f32>, // (classes)
}

impl Params {
    /// The parameters of a network of the backprop chapter made by `two_layer_net` (Affine,
    /// Relu, Affine), copied in the order `params_and_grads` gives them: W1, b1, W2, b2.
    ///
    /// # Panics
    /// If the network does not have exactly those four parameters.
    pub fn from_network(net: &mut Sequential<f32>) -> Params {
        let params: Vec<_> = net
            .params_and_grads()
            .into_iter()
            .map(|(p, _)| p.to_owned())
            .collect();
        let matrix = |i: usize| params[i].clone().into_dimensionality().expect("a matrix");
        let vector = |i: usize| params[i].clone().into_dimensionality().expect("a vector");
        assert_eq!(params.len(), 4, "a two-layer network has W1, b1, W2, b2");
        Params {
            w1: matrix(0),
            b1: vector(1),
            w2: matrix(2),
            b2: vector(3),
        }
    }

    /// Zeros of the same shapes: room for the gradients.
    pub fn zeros_like(&self) -> Params {
        Params {
            w1: Array2::zeros(self.w1.raw_dim()),
            b1: Array1::zeros(self.b1.raw_dim()),
            w2: Array2::zeros(self.w2.raw_dim()),
            b2: Array1::zeros(self.b2.raw_dim()),
        }
    }

    /// Copies `other` into `self`, whose arrays must already have its shapes.
    pub fn assign(&mut self, other: &Params) {
        self.w1.assign(&other.w1);
        self.b1.assign(&other.b1);
        self.w2.assign(&other.w2);
        self.b2.assign(&other.b2);
    }

    /// The largest `|a − b|` over every entry.
    pub fn max_abs_diff(&self, other: &Params) -> f32 {
        let largest = |a: &[f32], b: &[f32]| {
            a.iter()
                .zip(b)
                .fold(0.0f32, |m, (x, y)| m.max((x - y).abs()))
        };
        [
            largest(slice(&self.w1), slice(&other.w1)),
            largest(self.b1.as_slice().unwrap(), other.b1.as_slice().unwrap()),
            largest(slice(&self.w2), slice(&other.w2)),
            largest(self.b2.as_slice().unwrap(), other.b2.as_slice().unwrap()),
        ]
        .into_iter()
        .fold(0.0, f32::max)
    }
}

/// The two-layer network: its parameters, and their gradients from the last backward pass.
///
/// `Clone` lets us copy a whole network in one line (the data-parallel version needs a copy
/// per core); every field is an array of `f32`, so it is also `Send`: a copy can be handed to
/// another thread.
#[derive(Debug, Clone, PartialEq)]
pub struct TwoLayer {
    pub params: Params,
    pub grads: Params,
}

impl TwoLayer {
    /// A network with these parameters and zero gradients.
    pub fn new(params: Params) -> TwoLayer {
        TwoLayer {
            grads: params.zeros_like(),
            params,
        }
    }

    /// Backprop on a batch, allocating every intermediate matrix as the backprop chapter's
    /// layers do, but without the first layer's `dx`: the gradient with respect to the data,
    /// which nothing needs. Stores the gradients; returns the loss.
    ///
    /// ```
    /// use ch14_speed::{Params, TwoLayer};
    /// use ndarray::{array, Array1, Array2};
    /// let params = Params {
    ///     w1: array![[1.0], [-1.0]], b1: Array1::zeros(1),
    ///     w2: array![[1.0, -1.0]], b2: Array1::zeros(2),
    /// };
    /// let mut net = TwoLayer::new(params);
    /// let loss = net.gradient(&array![[2.0, 0.0]], &[0]); // h = 2, scores (2, −2)
    /// assert!((loss - (1.0 + (-4f32).exp()).ln()).abs() < 1e-6);
    /// assert!(net.grads.w1[[1, 0]] == 0.0); // the second pixel was 0
    /// ```
    // ANCHOR: lean_gradient
    pub fn gradient(&mut self, x: &Array2<f32>, t: &[usize]) -> f32 {
        let Params { w1, b1, w2, b2 } = &self.params;
        // forward
        let a1 = x.dot(w1) + b1; // (N, hidden)
        let h = a1.mapv(relu);
        let y = softmax(&(h.dot(w2) + b2)); // (N, classes)
        let loss = cross_entropy(&y, t);
        // backward
        let dy = (y - one_hot(t, b2.len())) / t.len() as f32;
        self.grads.w2 = h.t().dot(&dy);
        self.grads.b2 = dy.sum_axis(Axis(0));
        let dh = dy.dot(&w2.t()) * a1.mapv(relu_derivative);
        self.grads.w1 = x.t().dot(&dh);
        self.grads.b1 = dh.sum_axis(Axis(0));
        loss // no dx = dh·W1ᵀ: nothing needs the gradient of the data
    }
    // ANCHOR_END: lean_gradient

    /// One step of stochastic gradient descent: `θ ← θ − η·∂L/∂θ`, parameter by parameter, as
    /// the backprop chapter's `sgd_step` does.
    pub fn sgd_step(&mut self, lr: f32) {
        let (p, g) = (&mut self.params, &self.grads);
        p.w1.scaled_add(-lr, &g.w1);
        p.b1.scaled_add(-lr, &g.b1);
        p.w2.scaled_add(-lr, &g.w2);
        p.b2.scaled_add(-lr, &g.b2);
    }

    /// The class scores of a batch, on one core.
    pub fn predict(&self, x: &Array2<f32>) -> Array2<f32> {
        let Params { w1, b1, w2, b2 } = &self.params;
        let h = (x.dot(w1) + b1).mapv_into(relu);
        h.dot(w2) + b2
    }

    /// The fraction of `x` whose highest score is the target, on one core.
    pub fn accuracy(&self, x: &Array2<f32>, t: &[usize]) -> f64 {
        accuracy(&self.predict(x), t)
    }

    /// The class scores of a batch, each product split over the cores when it is big
    /// ([`mat_mul_into`]): the same numbers as [`TwoLayer::predict`], bit for bit.
    // ANCHOR: par_predict
    pub fn par_predict(&self, x: &Array2<f32>) -> Array2<f32> {
        let Params { w1, b1, w2, b2 } = &self.params;
        let mut h = Array2::zeros((x.nrows(), w1.ncols()));
        mat_mul_into(1.0, x, w1, 0.0, &mut h); // h = x·W1, on every core
        h += b1;
        h.mapv_inplace(relu);
        let mut y = Array2::zeros((x.nrows(), w2.ncols()));
        mat_mul_into(1.0, &h, w2, 0.0, &mut y);
        y + b2
    }
    // ANCHOR_END: par_predict

    /// [`TwoLayer::accuracy`] with [`TwoLayer::par_predict`].
    pub fn par_accuracy(&self, x: &Array2<f32>, t: &[usize]) -> f64 {
        accuracy(&self.par_predict(x), t)
    }
}

/// One-hot rows for the class indices `t`.
fn one_hot(t: &[usize], classes: usize) -> Array2<f32> {
    let mut rows = Array2::zeros((t.len(), classes));
    for (mut row, &class) in rows.rows_mut().into_iter().zip(t) {
        row[class] = 1.0;
    }
    rows
}

/// The gradient of the ReLU layer, in place: `dh` where the ReLU's output `h` was positive, 0
/// elsewhere (as `dout · relu′`).
pub(crate) fn relu_backward_in_place(dh: &mut Array2<f32>, h: &Array2<f32>) {
    Zip::from(dh)
        .and(h)
        .for_each(|d, &h| *d *= relu_derivative(h));
}
