//! # Gradients
//!
//! A function of many inputs has a slope along each of them: its partial derivatives. Put
//! together they form the gradient, the direction in which the function climbs fastest, and
//! stepping against it is gradient descent. This chapter computes gradients by numbers, the
//! way *Deep Learning from Scratch* does (nudge one input by ±h, measure, put it back), for
//! arrays of any shape; descends with them, finds a square root with them, checks the chain
//! rule with them, and trains a small network on MNIST with them. That last step is slow —
//! measured, it would take most of a day — so the chapter makes it parallel and thread-safe,
//! and then faster still by recomputing only what one nudge changes.
//!
//! Run the chapter: `cargo run -p ch08_gradients` (partial derivatives, gradients, descent,
//! the square root, the chain rule, simpleNet, a few MNIST steps, and three figures in
//! `target/figures/ch08_gradients/`). `cargo run --release -p ch08_gradients -- --bench`
//! times one full numerical gradient of the MNIST network, serial and parallel.

pub mod exercises;
pub mod plots;

use std::fmt;

use ch03_layers::{float, sigmoid, Dense, Float};
use ch04_activations::softmax;
use ch05_loss::{accuracy, batch_mean, cross_entropy, cross_entropy_losses};
use ch07_derivatives::DEFAULT_H;
use ndarray::{indices_of, Array, Array1, Array2, ArrayViewMut1, Axis, Dimension, IntoDimension};
use rayon::prelude::*;
use seeded_rng::Rng;

// ANCHOR: function_2
/// *Deep Learning from Scratch*'s function of two (or more) variables: the sum of the squares
/// of the entries of `x`, a bowl whose bottom is at the origin.
///
/// ```text
/// f(x₀, x₁) = x₀² + x₁²        (any shape: f(x) = Σᵢ xᵢ²)
/// ```
///
/// NumPy (DLFS): `np.sum(x**2)`.
///
/// ```
/// use ch08_gradients::function_2;
/// use ndarray::array;
/// assert_eq!(function_2(&array![3.0, 4.0]), 25.0);
/// assert_eq!(function_2(&array![[1.0, 2.0], [3.0, 4.0]]), 30.0); // a matrix works too
/// ```
pub fn function_2<D: Dimension>(x: &Array<f64, D>) -> f64 {
    x.iter().fold(0.0, |sum, &xi| sum + xi * xi)
}

/// `function_2` with `x₁` held at 4: a function of `x₀` alone, whose derivative is the partial
/// derivative ∂f/∂x₀ on the line `x₁ = 4`.
///
/// ```text
/// f(x₀) = x₀² + 4²
/// ```
///
/// Python (DLFS): `x0*x0 + 4.0**2.0`.
pub fn function_tmp1(x0: f64) -> f64 {
    x0 * x0 + 4.0 * 4.0
}

/// `function_2` with `x₀` held at 3: a function of `x₁` alone, for ∂f/∂x₁ on the line `x₀ = 3`.
///
/// ```text
/// f(x₁) = 3² + x₁²
/// ```
///
/// Python (DLFS): `3.0**2.0 + x1*x1`.
pub fn function_tmp2(x1: f64) -> f64 {
    3.0 * 3.0 + x1 * x1
}
// ANCHOR_END: function_2

// ANCHOR: numerical_gradient
/// The central-difference estimate of the partial derivative of `f` along entry `index` of
/// `x`: nudge that one entry by `+h` and by `−h`, evaluate `f` each time, and put the entry
/// back exactly as it was.
///
/// ```text
/// ∂f/∂xᵢ ≈ (f(x + h·eᵢ) − f(x − h·eᵢ)) / 2h
/// ```
///
/// `x` is borrowed mutably because it *is* changed while `f` runs; when this returns, it holds
/// its old values again, bit for bit.
pub fn partial_derivative<F: Float, D: Dimension>(
    f: &mut impl FnMut(&Array<F, D>) -> F,
    x: &mut Array<F, D>,
    index: D,
) -> F {
    let h = float::<F>(DEFAULT_H);
    let original = x[index.clone()];
    x[index.clone()] = original + h;
    let f_plus = f(x); // f(x + h·eᵢ)
    x[index.clone()] = original - h;
    let f_minus = f(x); // f(x − h·eᵢ)
    x[index] = original; // put it back
    (f_plus - f_minus) / (float::<F>(2.0) * h)
}

/// The numerical gradient of `f` at `x`: one partial derivative per entry of `x`, in an array
/// of the same shape. `x` may have any shape — a vector, a matrix, a stack of matrices.
///
/// ```text
/// ∇f(x) = (∂f/∂x₀, ∂f/∂x₁, …)        ∂f/∂xᵢ ≈ (f(x + h·eᵢ) − f(x − h·eᵢ)) / 2h,   h = 10⁻⁴
/// ```
///
/// This is *Deep Learning from Scratch*'s in-place method: it nudges the entries of `x` itself,
/// one at a time, so it needs `&mut x` — nothing else may read `x` meanwhile — and it hands the
/// nudged array to `f`. It runs on one thread; see [`par_numerical_gradient`] for many.
///
/// NumPy (DLFS): `numerical_gradient(f, x)`, which walks `x` with `np.nditer(x,
/// flags=['multi_index'], op_flags=['readwrite'])`.
///
/// ```
/// use ch08_gradients::{function_2, numerical_gradient};
/// use ndarray::array;
/// let mut x = array![3.0, 4.0];
/// let grad = numerical_gradient(function_2, &mut x);
/// assert!((grad[0] - 6.0).abs() < 1e-9 && (grad[1] - 8.0).abs() < 1e-9); // (2x₀, 2x₁)
/// assert_eq!(x, array![3.0, 4.0]); // x is as it was
/// ```
pub fn numerical_gradient<F: Float, D: Dimension>(
    mut f: impl FnMut(&Array<F, D>) -> F,
    x: &mut Array<F, D>,
) -> Array<F, D> {
    let mut grad = Array::zeros(x.raw_dim());
    for index in indices_of(x) {
        let index = index.into_dimension();
        let partial = partial_derivative(&mut f, x, index.clone());
        grad[index] = partial;
    }
    grad
}
// ANCHOR_END: numerical_gradient

// ANCHOR: gradient_descent
/// How many steps in a row the value may rise, above where it started, before
/// [`gradient_descent`] calls the descent diverged.
pub const DIVERGENCE_PATIENCE: usize = 3;

/// The points a descent visited and the value of the function at each.
#[derive(Debug, Clone, PartialEq)]
pub struct Descent<F, D: Dimension> {
    /// The start, then the point after each step.
    pub path: Vec<Array<F, D>>,
    /// `f` at each point of `path`.
    pub values: Vec<F>,
}

impl<F: Float, D: Dimension> Descent<F, D> {
    /// Where the descent ended.
    pub fn x(&self) -> &Array<F, D> {
        self.path.last().expect("a descent has at least its start")
    }

    /// The value of `f` where the descent ended.
    pub fn value(&self) -> F {
        *self
            .values
            .last()
            .expect("a descent has at least its start")
    }
}

/// A descent that ran away: the value became infinite or NaN, or rose above where it started
/// and kept rising for [`DIVERGENCE_PATIENCE`] steps.
#[derive(Debug, Clone, PartialEq)]
pub struct Diverged<F, D: Dimension> {
    /// The step at which the descent was stopped (1 is the first step).
    pub step: usize,
    /// The value of `f` there.
    pub value: F,
    /// The points visited up to and including that step.
    pub path: Vec<Array<F, D>>,
}

impl<F: Float, D: Dimension> fmt::Display for Diverged<F, D> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let value = self.value.to_f64().unwrap_or(f64::NAN);
        write!(f, "diverged at step {}: f = {value:.3e}", self.step)
    }
}

impl<F: Float, D: Dimension> std::error::Error for Diverged<F, D> {}

/// One step of gradient descent: move `x` against the numerical gradient, by `lr` times it.
///
/// ```text
/// x ← x − η·∇f(x)
/// ```
///
/// NumPy (DLFS): `grad = numerical_gradient(f, x); x -= lr * grad`.
///
/// ```
/// use ch08_gradients::{function_2, gradient_step};
/// use ndarray::array;
/// let mut x = array![-3.0, 4.0];
/// gradient_step(function_2, &mut x, 0.1); // x − 0.1·2x = 0.8x
/// assert!((x[0] + 2.4).abs() < 1e-9 && (x[1] - 3.2).abs() < 1e-9);
/// ```
pub fn gradient_step<F: Float, D: Dimension>(
    f: impl FnMut(&Array<F, D>) -> F,
    x: &mut Array<F, D>,
    lr: F,
) {
    let grad = numerical_gradient(f, x);
    x.zip_mut_with(&grad, |xi, &g| *xi = *xi - lr * g);
}

/// Gradient descent: `steps` steps of [`gradient_step`] from `init` with learning rate `lr`,
/// watching the value of `f` after each. A value that becomes infinite or NaN, or that rises
/// above the starting value and keeps rising for [`DIVERGENCE_PATIENCE`] steps in a row, ends
/// the descent with [`Diverged`]: no step size makes a descent climb on and on.
///
/// ```text
/// x₀ = init,   xₖ₊₁ = xₖ − η·∇f(xₖ)
/// ```
///
/// NumPy (DLFS): `gradient_descent(f, init_x, lr=0.01, step_num=100)`, which returns the last
/// point (and, in the plotting script, the history) and checks nothing.
///
/// ```
/// use ch08_gradients::{function_2, gradient_descent};
/// use ndarray::array;
/// let descent = gradient_descent(function_2, &array![-3.0, 4.0], 0.1, 100).unwrap();
/// assert!(descent.x().iter().all(|xi| xi.abs() < 1e-9)); // the bottom of the bowl
/// assert_eq!(descent.path.len(), 101); // the start and 100 steps
///
/// let runaway = gradient_descent(function_2, &array![-3.0, 4.0], 10.0, 100).unwrap_err();
/// assert_eq!(runaway.step, 3); // 25 → 9025 → 3.3e6 → 1.2e9: rising three steps in a row
/// ```
pub fn gradient_descent<F: Float, D: Dimension>(
    mut f: impl FnMut(&Array<F, D>) -> F,
    init: &Array<F, D>,
    lr: F,
    steps: usize,
) -> Result<Descent<F, D>, Diverged<F, D>> {
    let mut x = init.clone();
    let mut path = vec![x.clone()];
    let mut values = vec![f(&x)];
    let mut rising = 0; // steps in a row on which the value went up
    for step in 1..=steps {
        gradient_step(&mut f, &mut x, lr);
        let value = f(&x);
        let previous = values[step - 1];
        rising = if value > previous { rising + 1 } else { 0 };
        path.push(x.clone());
        values.push(value);
        if !value.is_finite() || (value > values[0] && rising >= DIVERGENCE_PATIENCE) {
            return Err(Diverged { step, value, path });
        }
    }
    Ok(Descent { path, values })
}
// ANCHOR_END: gradient_descent

// ANCHOR: sqrt
/// A loss whose minimum is at `√a`: how far `x²` is from `a`, squared.
///
/// ```text
/// L(x) = (x² − a)²        L′(x) = 4x(x² − a),   zero at x = ±√a
/// ```
///
/// ```
/// assert_eq!(ch08_gradients::sqrt_loss(3.0, 2.0), 49.0); // (9 − 2)²
/// ```
pub fn sqrt_loss(x: f64, a: f64) -> f64 {
    (x * x - a).powi(2)
}

/// The square root of `a` by gradient descent on [`sqrt_loss`], from `x = init`, with the
/// numerical gradient: `steps` steps with learning rate `lr`.
///
/// The step `η·L′(x)` shrinks to nothing near `√a` only if `η` is small enough: the distance to
/// `√a` is multiplied by about `1 − η·L″(√a) = 1 − 8aη` each step, so the descent converges for
/// `0 < η < 1/(4a)`, fastest at `η = 1/(8a)`, and overshoots beyond.
///
/// ```
/// use ch08_gradients::sqrt_by_descent;
/// let descent = sqrt_by_descent(2.0, 1.0, 0.05, 50).unwrap();
/// assert!((descent.x()[0] - 2f64.sqrt()).abs() < 1e-8);
/// ```
pub fn sqrt_by_descent(
    a: f64,
    init: f64,
    lr: f64,
    steps: usize,
) -> Result<Descent<f64, ndarray::Ix1>, Diverged<f64, ndarray::Ix1>> {
    gradient_descent(|x| sqrt_loss(x[0], a), &Array1::from(vec![init]), lr, steps)
}

/// Where gradient descent with the numerical gradient settles: not at `√a` but at `√(a − h²)`,
/// a little below.
///
/// The central difference of a quartic is not exact: for `L = x⁴ − 2ax² + a²` it gives
/// `4x³ + 4xh² − 4ax = 4x(x² − a + h²)`, which is zero at `x² = a − h²`. The descent follows
/// the estimate, so it stops there, `h²/(2√a)` short of the true root.
///
/// ```text
/// x* = √(a − h²) ≈ √a − h²/(2√a)
/// ```
///
/// ```
/// let x = ch08_gradients::numerical_sqrt_fixed_point(2.0);
/// assert!((2f64.sqrt() - x - 1e-8 / (2.0 * 2f64.sqrt())).abs() < 1e-15);
/// ```
pub fn numerical_sqrt_fixed_point(a: f64) -> f64 {
    (a - DEFAULT_H * DEFAULT_H).sqrt()
}
// ANCHOR_END: sqrt

// ANCHOR: chain_rule
/// `y = (3x + 2)²`: an outer function `u²` of an inner function `u = 3x + 2`.
///
/// ```
/// assert_eq!(ch08_gradients::square_of_linear(1.0), 25.0);
/// ```
pub fn square_of_linear(x: f64) -> f64 {
    (3.0 * x + 2.0).powi(2)
}

/// The derivative of [`square_of_linear`] by the chain rule: the outer derivative at the inner
/// value, times the inner derivative.
///
/// ```text
/// dy/dx = dy/du · du/dx = 2u · 3 = 6(3x + 2)
/// ```
///
/// ```
/// assert_eq!(ch08_gradients::square_of_linear_derivative(1.0), 30.0);
/// ```
pub fn square_of_linear_derivative(x: f64) -> f64 {
    let u = 3.0 * x + 2.0; // the inner function
    2.0 * u * 3.0 // outer derivative 2u, times inner derivative 3
}

/// The squared error of one sigmoid neuron with weight `w` on input `x` and target `t`: a
/// chain of three functions of `w`.
///
/// ```text
/// z = w·x,   y = σ(z),   L = (y − t)²
/// ```
///
/// ```
/// use ch08_gradients::neuron_loss;
/// assert_eq!(neuron_loss(0.0, 2.0, 1.0), 0.25); // σ(0) = 0.5, (0.5 − 1)²
/// ```
pub fn neuron_loss(w: f64, x: f64, t: f64) -> f64 {
    (sigmoid(w * x) - t).powi(2)
}

/// The derivative of [`neuron_loss`] with respect to `w`, by the chain rule: one factor per
/// link, multiplied from the outside in.
///
/// ```text
/// dL/dw = dL/dy · dy/dz · dz/dw = 2(y − t) · σ(z)(1 − σ(z)) · x
/// ```
///
/// ```
/// use ch08_gradients::neuron_loss_derivative;
/// assert_eq!(neuron_loss_derivative(0.0, 2.0, 1.0), -0.5); // 2(−0.5) · 0.25 · 2
/// ```
pub fn neuron_loss_derivative(w: f64, x: f64, t: f64) -> f64 {
    let z = w * x;
    let y = sigmoid(z);
    let dl_dy = 2.0 * (y - t);
    let dy_dz = y * (1.0 - y);
    let dz_dw = x;
    dl_dy * dy_dz * dz_dw
}
// ANCHOR_END: chain_rule

// ANCHOR: simple_net
/// *Deep Learning from Scratch*'s `simpleNet`: one layer of weights `W` (2 inputs, 3 classes),
/// no bias, softmax, cross-entropy.
///
/// ```text
/// z = x·W,   y = softmax(z),   L = −ln y_t
/// ```
#[derive(Debug, Clone, PartialEq)]
pub struct SimpleNet<F> {
    pub w: Array2<F>, // (2, 3)
}

/// The loss of [`SimpleNet`] with weights `w` on the batch `x` with targets `t`: the function
/// whose gradient we want, written as a function of `w`.
///
/// NumPy (DLFS): `z = np.dot(x, self.W); y = softmax(z); loss = cross_entropy_error(y, t)`.
///
/// # Panics
/// If `x` does not have one column per row of `w`, or `t` is not one class per row of `x`.
pub fn simple_net_loss<F: Float>(w: &Array2<F>, x: &Array2<F>, t: &[usize]) -> F {
    let z = x.dot(w); // (batch, 3)
    let y = softmax(&z);
    cross_entropy(&y, t)
}

impl SimpleNet<f64> {
    /// The weights *Deep Learning from Scratch* drew at random and printed, so that our numbers
    /// can be checked against the book's.
    pub fn dlfs() -> Self {
        SimpleNet {
            w: ndarray::array![
                [0.47355232, 0.9977393, 0.84668094],
                [0.85557411, 0.03563661, 0.69422093]
            ],
        }
    }
}

impl<F: Float> SimpleNet<F> {
    /// The class scores `x·W`, one row per sample.
    ///
    /// ```
    /// use ch08_gradients::SimpleNet;
    /// use ndarray::array;
    /// let z = SimpleNet::dlfs().predict(&array![[0.6, 0.9]]);
    /// assert!((z[[0, 0]] - 1.05414809).abs() < 1e-8); // 0.6·0.47355232 + 0.9·0.85557411
    /// ```
    pub fn predict(&self, x: &Array2<F>) -> Array2<F> {
        x.dot(&self.w)
    }

    /// The cross-entropy loss on `x` with class indices `t`.
    pub fn loss(&self, x: &Array2<F>, t: &[usize]) -> F {
        simple_net_loss(&self.w, x, t)
    }

    /// `dL/dW`, the numerical gradient of the loss with respect to the weights, same shape as `W`.
    ///
    /// NumPy (DLFS): `f = lambda w: net.loss(x, t); dW = numerical_gradient(f, net.W)`.
    ///
    /// ```
    /// use ch08_gradients::SimpleNet;
    /// use ndarray::array;
    /// let dw = SimpleNet::dlfs().numerical_gradient(&array![[0.6, 0.9]], &[2]);
    /// assert!((dw[[0, 0]] - 0.21924763).abs() < 1e-6);
    /// assert!((dw[[1, 2]] + 0.54421514).abs() < 1e-6);
    /// ```
    pub fn numerical_gradient(&mut self, x: &Array2<F>, t: &[usize]) -> Array2<F> {
        numerical_gradient(|w| simple_net_loss(w, x, t), &mut self.w)
    }
}
// ANCHOR_END: simple_net

// ANCHOR: two_layer_net
/// *Deep Learning from Scratch*'s `TwoLayerNet`: a dense layer, sigmoid, a dense layer,
/// softmax, and the cross-entropy loss.
///
/// ```text
/// a₁ = σ(x·W₁ + b₁),   y = softmax(a₁·W₂ + b₂),   L = −(1/N) Σₙ ln yₙ,ₜₙ
/// ```
#[derive(Debug, Clone, PartialEq)]
pub struct TwoLayerNet<F> {
    pub w1: Array2<F>, // (inputs, hidden)
    pub b1: Array1<F>, // (hidden)
    pub w2: Array2<F>, // (hidden, classes)
    pub b2: Array1<F>, // (classes)
}

/// The class probabilities of a two-layer network with parameters `w1, b1, w2, b2`, one row
/// per sample of `x`.
///
/// NumPy (DLFS): `z1 = sigmoid(np.dot(x, W1) + b1); y = softmax(np.dot(z1, W2) + b2)`.
///
/// # Panics
/// If the shapes do not chain: `x` (batch, inputs), `w1` (inputs, hidden), `b1` (hidden),
/// `w2` (hidden, classes), `b2` (classes).
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

/// The mean cross-entropy loss of a two-layer network on `x` with class indices `t`.
///
/// # Panics
/// As [`two_layer_predict`], and if `t` is not one class per row of `x`.
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

/// One array per parameter of a [`TwoLayerNet`], each the same shape as the parameter.
#[derive(Debug, Clone, PartialEq)]
pub struct Gradients<F> {
    pub w1: Array2<F>,
    pub b1: Array1<F>,
    pub w2: Array2<F>,
    pub b2: Array1<F>,
}

impl<F: Float> TwoLayerNet<F> {
    /// A network with `0.01·N(0, 1)` weights and zero biases, as DLFS starts
    /// (`weight_init_std=0.01`): the dense layers of the layers chapter.
    ///
    /// ```
    /// let net = ch08_gradients::TwoLayerNet::<f64>::new(784, 50, 10, &mut seeded_rng::rng(0));
    /// assert_eq!(net.parameter_count(), 39_760); // 784·50 + 50 + 50·10 + 10
    /// ```
    pub fn new(inputs: usize, hidden: usize, classes: usize, rng: &mut impl Rng) -> Self {
        let Dense {
            weights: w1,
            biases: b1,
        } = Dense::new(inputs, hidden, rng);
        let Dense {
            weights: w2,
            biases: b2,
        } = Dense::new(hidden, classes, rng);
        TwoLayerNet { w1, b1, w2, b2 }
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
    pub fn numerical_gradient(&mut self, x: &Array2<F>, t: &[usize]) -> Gradients<F> {
        let TwoLayerNet { w1, b1, w2, b2 } = self;
        Gradients {
            w1: numerical_gradient(|w1| two_layer_loss(x, t, w1, b1, w2, b2), w1),
            b1: numerical_gradient(|b1| two_layer_loss(x, t, w1, b1, w2, b2), b1),
            w2: numerical_gradient(|w2| two_layer_loss(x, t, w1, b1, w2, b2), w2),
            b2: numerical_gradient(|b2| two_layer_loss(x, t, w1, b1, w2, b2), b2),
        }
    }

    /// One step of gradient descent on every parameter: `θ ← θ − η·∂L/∂θ`.
    ///
    /// NumPy (DLFS): `for key in ('W1', 'b1', 'W2', 'b2'): network.params[key] -= learning_rate * grad[key]`.
    ///
    /// # Panics
    /// If the gradients do not have the parameters' shapes.
    pub fn apply(&mut self, grads: &Gradients<F>, lr: F) {
        self.w1.scaled_add(-lr, &grads.w1);
        self.b1.scaled_add(-lr, &grads.b1);
        self.w2.scaled_add(-lr, &grads.w2);
        self.b2.scaled_add(-lr, &grads.b2);
    }
}
// ANCHOR_END: two_layer_net

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

// ANCHOR: sample_batch
/// A mini-batch of `size` images drawn at random, with replacement, from `split`: the images
/// as rows of pixels in `[0, 1]` and their labels as class indices.
///
/// NumPy (DLFS): `batch_mask = np.random.choice(train_size, batch_size)`;
/// `x_batch = x_train[batch_mask]`.
///
/// ```
/// let split = mnist::Split { images: vec![0, 255, 51, 0], labels: vec![7, 3], rows: 1, cols: 2 };
/// let (x, t) = ch08_gradients::sample_batch(&split, 5, &mut seeded_rng::rng(0));
/// assert_eq!(x.dim(), (5, 2));
/// assert!(t.iter().all(|&label| label == 7 || label == 3));
/// ```
///
/// # Panics
/// If `split` is empty.
pub fn sample_batch(
    split: &mnist::Split,
    size: usize,
    rng: &mut impl Rng,
) -> (Array2<f64>, Vec<usize>) {
    assert!(!split.is_empty(), "cannot draw a batch from an empty split");
    let chosen: Vec<usize> = (0..size)
        .map(|_| rng.random_range(0..split.len()))
        .collect();
    let batch = mnist::Split {
        images: chosen
            .iter()
            .flat_map(|&i| split.image(i))
            .copied()
            .collect(),
        labels: chosen.iter().map(|&i| split.labels[i]).collect(),
        rows: split.rows,
        cols: split.cols,
    };
    let t = batch
        .labels
        .iter()
        .map(|&label| usize::from(label))
        .collect();
    (batch.images_normalised::<f64>(), t)
}
// ANCHOR_END: sample_batch

// ANCHOR: par_numerical_gradient
/// The numerical gradient of `f` at `x`, computed on all threads at once.
///
/// The in-place method cannot simply be shared: it changes `x` while `f` reads it, so two
/// threads nudging the same array would each see the other's nudges. Instead the indices are
/// split into chunks and every chunk gets *its own copy* of `x` to nudge. Nothing is shared but
/// `f` (which must be `Sync`: callable from many threads at once) and the read-only `x`.
///
/// Each entry is computed exactly as [`numerical_gradient`] computes it, on an array with the
/// same values, so the result is the same, bit for bit.
///
/// ```
/// use ch08_gradients::{function_2, numerical_gradient, par_numerical_gradient};
/// use ndarray::Array;
/// let x = Array::linspace(-1.0, 1.0, 24).into_shape_with_order((2, 3, 4)).unwrap();
/// let parallel = par_numerical_gradient(function_2, &x);
/// assert_eq!(parallel, numerical_gradient(function_2, &mut x.clone()));
/// ```
pub fn par_numerical_gradient<F: Float, D: Dimension>(
    f: impl Fn(&Array<F, D>) -> F + Sync,
    x: &Array<F, D>,
) -> Array<F, D> {
    let indices: Vec<D> = indices_of(x)
        .into_iter()
        .map(IntoDimension::into_dimension)
        .collect(); // in the order of the entries, row by row
    let chunks = 4 * rayon::current_num_threads(); // a few per thread, to balance the load
    let chunk_len = indices.len().div_ceil(chunks).max(1);
    let partials: Vec<Vec<F>> = indices
        .par_chunks(chunk_len)
        .map(|chunk| {
            let mut own_x = x.clone(); // this chunk's private copy, nudged in place
            chunk
                .iter()
                .map(|index| partial_derivative(&mut &f, &mut own_x, index.clone()))
                .collect()
        })
        .collect(); // chunk by chunk, in order
    let partials: Vec<F> = partials.into_iter().flatten().collect();
    Array::from_shape_vec(x.raw_dim(), partials).expect("one partial derivative per entry")
}

impl<F: Float> TwoLayerNet<F> {
    /// The numerical gradient of the loss with respect to every parameter, on all threads:
    /// [`par_numerical_gradient`] for each parameter, the network itself only read. The same
    /// numbers as [`TwoLayerNet::numerical_gradient`], bit for bit.
    pub fn par_numerical_gradient(&self, x: &Array2<F>, t: &[usize]) -> Gradients<F> {
        let TwoLayerNet { w1, b1, w2, b2 } = self;
        Gradients {
            w1: par_numerical_gradient(|w1| two_layer_loss(x, t, w1, b1, w2, b2), w1),
            b1: par_numerical_gradient(|b1| two_layer_loss(x, t, w1, b1, w2, b2), b1),
            w2: par_numerical_gradient(|w2| two_layer_loss(x, t, w1, b1, w2, b2), w2),
            b2: par_numerical_gradient(|b2| two_layer_loss(x, t, w1, b1, w2, b2), b2),
        }
    }
}
// ANCHOR_END: par_numerical_gradient

// ANCHOR: incremental
/// The intermediate results of one forward pass of a [`TwoLayerNet`] on a batch, kept so that
/// the loss after nudging one parameter can be found by redoing only what that nudge changes.
///
/// ```text
/// z₁ = x·W₁ + b₁  (batch, hidden)    a₁ = σ(z₁)    z₂ = a₁·W₂ + b₂  (batch, classes)
/// Lₙ = −ln softmax(z₂)ₙ,ₜₙ  (batch)   L = (1/N) Σₙ Lₙ
/// ```
///
/// Nudging `W₁[i, j]` by `δ` changes `z₁[n, j]` by `δ·x[n, i]` and nothing else of `z₁`; that
/// changes `a₁[n, j]`, and so row `n` of `z₂` by `Δa₁[n, j]·W₂[j, :]`. A sample whose pixel
/// `i` is 0 does not feel the nudge at all: its loss `Lₙ` is the cached one. Nudging `b₁[j]` is
/// the same with `δ` for every sample; nudging `W₂[j, k]` or `b₂[k]` changes only column `k` of
/// `z₂`. The loss is still `f` evaluated at `θ ± h`: only the arithmetic that would give the
/// same numbers again is skipped.
#[derive(Debug, Clone)]
pub struct ForwardCache<F> {
    pub z1: Array2<F>,     // (batch, hidden)
    pub a1: Array2<F>,     // (batch, hidden)
    pub z2: Array2<F>,     // (batch, classes)
    pub losses: Array1<F>, // (batch): each sample's loss
    pub loss: F,           // their mean
}

impl<F: Float> ForwardCache<F> {
    /// The forward pass of `net` on `x` with targets `t`, every intermediate kept.
    pub fn new(net: &TwoLayerNet<F>, x: &Array2<F>, t: &[usize]) -> Self {
        let z1 = x.dot(&net.w1) + &net.b1;
        let a1 = z1.mapv(sigmoid);
        let z2 = a1.dot(&net.w2) + &net.b2;
        let losses = cross_entropy_losses(&softmax(&z2), t);
        let loss = batch_mean(&losses);
        ForwardCache {
            z1,
            a1,
            z2,
            losses,
            loss,
        }
    }

    /// The mean loss when the samples `rows` have new scores: `change(n, z₂[n, :])` edits the
    /// scores of sample `n`, and every other sample keeps its cached loss. `losses` is a
    /// scratch buffer of one loss per sample.
    fn loss_with_changed_rows(
        &self,
        t: &[usize],
        rows: &[usize],
        change: impl Fn(usize, ArrayViewMut1<F>),
        losses: &mut Array1<F>,
    ) -> F {
        if rows.is_empty() {
            return self.loss; // no sample feels the change
        }
        let mut z2 = self.z2.select(Axis(0), rows); // (changed samples, classes)
        for (&n, row) in rows.iter().zip(z2.rows_mut()) {
            change(n, row);
        }
        let targets: Vec<usize> = rows.iter().map(|&n| t[n]).collect();
        let changed = cross_entropy_losses(&softmax(&z2), &targets);
        losses.assign(&self.losses);
        for (&n, &loss) in rows.iter().zip(&changed) {
            losses[n] = loss;
        }
        batch_mean(losses)
    }

    /// The loss when the input of hidden unit `j` changes by `dz1(n)` for sample `n`.
    fn loss_with_hidden_change(
        &self,
        w2: &Array2<F>,
        t: &[usize],
        j: usize,
        dz1: impl Fn(usize) -> F,
        losses: &mut Array1<F>,
    ) -> F {
        let rows: Vec<usize> = (0..t.len()).filter(|&n| dz1(n) != F::zero()).collect();
        let change = |n: usize, mut z2_n: ArrayViewMut1<F>| {
            let da1 = sigmoid(self.z1[[n, j]] + dz1(n)) - self.a1[[n, j]];
            z2_n.scaled_add(da1, &w2.row(j)); // z₂[n, :] += Δa₁[n, j] · W₂[j, :]
        };
        self.loss_with_changed_rows(t, &rows, change, losses)
    }

    /// The loss when the input of output unit `k` changes by `dz2(n)` for sample `n`.
    fn loss_with_output_change(
        &self,
        t: &[usize],
        k: usize,
        dz2: impl Fn(usize) -> F,
        losses: &mut Array1<F>,
    ) -> F {
        let rows: Vec<usize> = (0..t.len()).filter(|&n| dz2(n) != F::zero()).collect();
        let change = |n: usize, mut z2_n: ArrayViewMut1<F>| z2_n[k] = z2_n[k] + dz2(n);
        self.loss_with_changed_rows(t, &rows, change, losses)
    }
}

// ANCHOR_END: incremental

/// Which parameter of a [`TwoLayerNet`] an entry belongs to, and where.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Entry {
    W1(usize, usize),
    B1(usize),
    W2(usize, usize),
    B2(usize),
}

impl<F: Float> TwoLayerNet<F> {
    /// Every parameter entry, in the order W₁, b₁, W₂, b₂, each row by row.
    fn entries(&self) -> Vec<Entry> {
        let (inputs, hidden) = self.w1.dim();
        let classes = self.b2.len();
        let mut entries = Vec::with_capacity(self.parameter_count());
        entries.extend((0..inputs).flat_map(|i| (0..hidden).map(move |j| Entry::W1(i, j))));
        entries.extend((0..hidden).map(Entry::B1));
        entries.extend((0..hidden).flat_map(|j| (0..classes).map(move |k| Entry::W2(j, k))));
        entries.extend((0..classes).map(Entry::B2));
        entries
    }

    // ANCHOR: incremental_partial
    /// The central-difference partial derivative along one entry, from the cache.
    fn incremental_partial(
        &self,
        cache: &ForwardCache<F>,
        x: &Array2<F>,
        t: &[usize],
        entry: Entry,
        losses: &mut Array1<F>,
    ) -> F {
        let h = float::<F>(DEFAULT_H);
        let w2 = &self.w2;
        let mut loss_at = |delta: F| match entry {
            Entry::W1(i, j) => {
                cache.loss_with_hidden_change(w2, t, j, |n| delta * x[[n, i]], losses)
            }
            Entry::B1(j) => cache.loss_with_hidden_change(w2, t, j, |_| delta, losses),
            Entry::W2(j, k) => {
                cache.loss_with_output_change(t, k, |n| delta * cache.a1[[n, j]], losses)
            }
            Entry::B2(k) => cache.loss_with_output_change(t, k, |_| delta, losses),
        };
        let f_plus = loss_at(h); // f(θ + h·eᵢ)
        let f_minus = loss_at(-h); // f(θ − h·eᵢ)
        (f_plus - f_minus) / (float::<F>(2.0) * h)
    }
    // ANCHOR_END: incremental_partial

    /// Puts one partial derivative per entry (in the order of `entries`) into arrays shaped
    /// like the parameters.
    fn gradients_from(&self, partials: Vec<F>) -> Gradients<F> {
        let mut rest = partials.into_iter();
        let mut take = |n: usize| -> Vec<F> { rest.by_ref().take(n).collect() };
        let w1 = Array2::from_shape_vec(self.w1.raw_dim(), take(self.w1.len()));
        let b1 = Array1::from(take(self.b1.len()));
        let w2 = Array2::from_shape_vec(self.w2.raw_dim(), take(self.w2.len()));
        let b2 = Array1::from(take(self.b2.len()));
        Gradients {
            w1: w1.expect("one partial derivative per entry of W1"),
            b1,
            w2: w2.expect("one partial derivative per entry of W2"),
            b2,
        }
    }

    // ANCHOR: incremental_gradient
    /// The numerical gradient of the loss, each `f(θ ± h)` found from one cached forward pass
    /// by redoing only the part a nudge changes (see [`ForwardCache`]); one thread.
    ///
    /// ```
    /// use ch08_gradients::TwoLayerNet;
    /// use ndarray::array;
    /// let mut net = TwoLayerNet::<f64>::new(3, 4, 2, &mut seeded_rng::rng(1));
    /// let x = array![[0.1, 0.9, 0.5], [0.7, 0.2, 0.0]];
    /// let fast = net.incremental_numerical_gradient(&x, &[1, 0]);
    /// let plain = net.numerical_gradient(&x, &[1, 0]);
    /// assert!(fast.max_abs_diff(&plain) < 1e-10);
    /// ```
    pub fn incremental_numerical_gradient(&self, x: &Array2<F>, t: &[usize]) -> Gradients<F> {
        let cache = ForwardCache::new(self, x, t);
        let mut losses = cache.losses.clone();
        let partials = self
            .entries()
            .into_iter()
            .map(|entry| self.incremental_partial(&cache, x, t, entry, &mut losses))
            .collect();
        self.gradients_from(partials)
    }

    /// [`TwoLayerNet::incremental_numerical_gradient`] on all threads: the cache is only read,
    /// so the threads share it; each chunk of entries gets its own scratch buffer.
    pub fn par_incremental_numerical_gradient(&self, x: &Array2<F>, t: &[usize]) -> Gradients<F> {
        let cache = ForwardCache::new(self, x, t);
        let entries = self.entries();
        let chunk_len = entries
            .len()
            .div_ceil(4 * rayon::current_num_threads())
            .max(1);
        let partials: Vec<Vec<F>> = entries
            .par_chunks(chunk_len)
            .map(|chunk| {
                let mut losses = cache.losses.clone(); // this chunk's own scratch buffer
                chunk
                    .iter()
                    .map(|&entry| self.incremental_partial(&cache, x, t, entry, &mut losses))
                    .collect()
            })
            .collect();
        self.gradients_from(partials.into_iter().flatten().collect())
    }
    // ANCHOR_END: incremental_gradient
}

// ANCHOR: cost
/// What one numerical gradient of a two-layer network costs, counted.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct GradientCost {
    /// Parameters: one partial derivative each.
    pub parameters: usize,
    /// Loss evaluations: two per parameter, `f(θ + h)` and `f(θ − h)`.
    pub evaluations: usize,
    /// Multiply-adds of one plain forward pass: `N·(inputs·hidden + hidden·classes)`.
    pub multiply_adds_per_evaluation: usize,
}

impl GradientCost {
    /// The cost for a network of the given sizes on a batch of `batch` samples.
    ///
    /// ```
    /// let cost = ch08_gradients::GradientCost::new(784, 50, 10, 100);
    /// assert_eq!(cost.parameters, 39_760);
    /// assert_eq!(cost.evaluations, 79_520);
    /// assert_eq!(cost.multiply_adds_per_evaluation, 3_970_000); // 100·(39,200 + 500)
    /// ```
    pub fn new(inputs: usize, hidden: usize, classes: usize, batch: usize) -> Self {
        let parameters = inputs * hidden + hidden + hidden * classes + classes;
        GradientCost {
            parameters,
            evaluations: 2 * parameters,
            multiply_adds_per_evaluation: batch * (inputs * hidden + hidden * classes),
        }
    }

    /// Multiply-adds of one whole numerical gradient.
    pub fn multiply_adds(&self) -> usize {
        self.evaluations * self.multiply_adds_per_evaluation
    }
}
// ANCHOR_END: cost

#[cfg(test)]
mod tests {
    use super::*;
    use ndarray::{array, Array3, ArrayD, IxDyn};

    #[test]
    fn gradient_of_a_quadratic_is_two_x() {
        let mut x = array![3.0_f64, 4.0];
        let grad = numerical_gradient(function_2, &mut x);
        assert!((grad[0] - 6.0).abs() < 1e-9 && (grad[1] - 8.0).abs() < 1e-9);
        let grad = numerical_gradient(function_2, &mut array![0.0_f64, 2.0]);
        assert!(grad[0].abs() < 1e-9 && (grad[1] - 4.0).abs() < 1e-9);
    }

    #[test]
    fn gradient_of_a_sum_of_squares_over_a_3d_array_is_two_x() {
        let x = Array3::from_shape_fn((2, 3, 4), |(i, j, k)| {
            i as f64 - 0.5 * j as f64 + 0.1 * k as f64
        });
        let grad = numerical_gradient(function_2, &mut x.clone());
        assert_eq!(grad.dim(), (2, 3, 4));
        for (g, xi) in grad.iter().zip(&x) {
            assert!((g - 2.0 * xi).abs() < 1e-9, "{g} vs 2·{xi}");
        }
    }

    #[test]
    fn gradient_works_on_a_dynamic_shape_and_leaves_x_unchanged() {
        let x = ArrayD::from_shape_fn(IxDyn(&[3, 1, 2]), |i| (i[0] + i[2]) as f64 * 0.7);
        let mut nudged = x.clone();
        let f = |x: &ArrayD<f64>| x.iter().map(|v| v.powi(3)).sum::<f64>(); // ∂/∂xᵢ = 3xᵢ²
        let grad = numerical_gradient(f, &mut nudged);
        assert_eq!(nudged, x);
        for (g, xi) in grad.iter().zip(&x) {
            assert!((g - 3.0 * xi * xi).abs() < 1e-7);
        }
    }

    #[test]
    fn gradient_of_a_linear_function_of_a_matrix_is_its_coefficients() {
        let a = array![[1.0_f64, -2.0, 0.5], [3.0, 0.0, -1.5]];
        let grad = numerical_gradient(|w| (&a * w).sum(), &mut Array2::zeros((2, 3)));
        for (g, ai) in grad.iter().zip(&a) {
            assert!((g - ai).abs() < 1e-10);
        }
    }

    #[test]
    fn parallel_gradient_equals_serial_bit_for_bit() {
        let x = Array3::from_shape_fn((3, 5, 7), |(i, j, k)| ((i * 35 + j * 7 + k) as f64).sin());
        let f = |x: &Array3<f64>| x.iter().map(|v| (v * 1.3).exp() - v * v).sum::<f64>();
        let serial = numerical_gradient(f, &mut x.clone());
        let parallel = par_numerical_gradient(f, &x);
        let bits = |a: &Array3<f64>| a.iter().map(|v| v.to_bits()).collect::<Vec<_>>();
        assert_eq!(bits(&serial), bits(&parallel));
    }

    #[test]
    fn parallel_network_gradient_equals_serial_bit_for_bit() {
        let mut rng = seeded_rng::rng(3);
        let mut net = TwoLayerNet::<f64>::new(6, 5, 4, &mut rng);
        let x = seeded_rng::randn::<f64>(&mut rng, (7, 6));
        let t = [0, 1, 2, 3, 0, 1, 2];
        let parallel = net.par_numerical_gradient(&x, &t);
        let serial = net.numerical_gradient(&x, &t);
        assert_eq!(serial, parallel);
        assert_eq!(serial.max_abs_diff(&parallel), 0.0);
    }

    #[test]
    fn incremental_gradient_matches_the_plain_one() {
        let mut rng = seeded_rng::rng(4);
        let mut net = TwoLayerNet::<f64>::new(8, 6, 3, &mut rng);
        net.w1.mapv_inplace(|w| w * 50.0); // weights large enough that the sigmoid bends
        let x = seeded_rng::randn::<f64>(&mut rng, (5, 8));
        let t = [2, 0, 1, 1, 2];
        let plain = net.numerical_gradient(&x, &t);
        let fast = net.incremental_numerical_gradient(&x, &t);
        let par_fast = net.par_incremental_numerical_gradient(&x, &t);
        assert!(
            plain.max_abs_diff(&fast) < 1e-9,
            "{}",
            plain.max_abs_diff(&fast)
        );
        assert_eq!(fast, par_fast);
    }

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
    fn descent_reaches_the_bottom_of_the_bowl_as_dlfs_does() {
        let descent = gradient_descent(function_2, &array![-3.0_f64, 4.0], 0.1, 100).unwrap();
        let x = descent.x();
        assert!((x[0] + 6.11110793e-10).abs() < 1e-17, "{}", x[0]);
        assert!((x[1] - 8.14814391e-10).abs() < 1e-17, "{}", x[1]);
        assert!(descent.values.windows(2).all(|v| v[1] < v[0]));
    }

    #[test]
    fn a_too_large_learning_rate_is_detected_as_divergence() {
        let err = gradient_descent(function_2, &array![-3.0, 4.0], 10.0, 100).unwrap_err();
        assert_eq!(err.step, DIVERGENCE_PATIENCE);
        assert_eq!(err.path.len(), DIVERGENCE_PATIENCE + 1);
        assert!(err.value > 1e8);
        assert!(err.to_string().starts_with("diverged at step 3"));
    }

    #[test]
    fn an_infinite_value_is_divergence_at_once() {
        let f = |x: &Array1<f64>| if x[0] > 1.0 { f64::INFINITY } else { -x[0] };
        let err = gradient_descent(f, &array![0.5], 1.0, 10).unwrap_err();
        assert_eq!(err.step, 1);
        assert!(err.value.is_infinite());
    }

    #[test]
    fn a_tiny_learning_rate_barely_moves() {
        let descent = gradient_descent(function_2, &array![-3.0, 4.0], 1e-10, 100).unwrap();
        let moved = (descent.x() - &array![-3.0, 4.0]).mapv(f64::abs);
        assert!(moved.iter().all(|&m| m > 0.0 && m < 1e-7), "{moved}");
    }

    #[test]
    fn sqrt_converges_for_a_good_rate() {
        for lr in [0.02, 0.0625, 0.1] {
            let descent = sqrt_by_descent(2.0, 1.0, lr, 200).unwrap();
            let x = descent.x()[0];
            assert!((x - 2f64.sqrt()).abs() < 1e-8, "lr {lr}: {x}");
            assert!(
                (x - numerical_sqrt_fixed_point(2.0)).abs() < 1e-14,
                "lr {lr}: {x}"
            );
        }
    }

    #[test]
    fn sqrt_diverges_for_a_rate_far_too_large() {
        assert!(sqrt_by_descent(2.0, 1.0, 1.0, 100).is_err());
    }

    #[test]
    fn chain_rule_matches_the_numerical_derivative() {
        use ch07_derivatives::numerical_diff;
        for x in [-2.0, -0.5, 0.0, 1.5] {
            let numerical = numerical_diff(square_of_linear, x, DEFAULT_H);
            assert!((numerical - square_of_linear_derivative(x)).abs() < 1e-8);
            let numerical = numerical_diff(|w| neuron_loss(w, 1.5, 1.0), x, DEFAULT_H);
            assert!((numerical - neuron_loss_derivative(x, 1.5, 1.0)).abs() < 1e-8);
        }
    }

    #[test]
    fn simple_net_matches_dlfs() {
        let mut net = SimpleNet::dlfs();
        let x = array![[0.6, 0.9]];
        let z = net.predict(&x);
        for (ours, dlfs) in z.iter().zip([1.05414809, 0.63071653, 1.1328074]) {
            assert!((ours - dlfs).abs() < 1e-8);
        }
        assert_eq!(ch05_loss::argmax_rows(&z), [2]);
        // DLFS printed W rounded to 8 decimals, which moves the loss by up to about 9e-9.
        assert!((net.loss(&x, &[2]) - 0.928_068_536_634_113_3).abs() < 1e-8);
        let dw = net.numerical_gradient(&x, &[2]);
        let dlfs = array![
            [0.21924763, 0.14356247, -0.36281009],
            [0.32887144, 0.2153437, -0.54421514]
        ];
        for (ours, theirs) in dw.iter().zip(&dlfs) {
            assert!((ours - theirs).abs() < 1e-6, "{ours} vs {theirs}");
        }
    }

    #[test]
    fn gradient_cost_counts_two_evaluations_per_parameter() {
        let cost = GradientCost::new(2, 3, 4, 5);
        assert_eq!(cost.parameters, 2 * 3 + 3 + 3 * 4 + 4);
        assert_eq!(cost.evaluations, 2 * cost.parameters);
        let net = TwoLayerNet::<f64>::new(2, 3, 4, &mut seeded_rng::rng(0));
        assert_eq!(net.parameter_count(), cost.parameters);
    }
}
