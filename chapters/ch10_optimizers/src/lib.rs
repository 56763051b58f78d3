//! # Optimizers
//!
//! Backpropagation gives the gradient of the loss with respect to every weight; an optimizer
//! decides what to do with it. This chapter writes the five classic update rules behind one
//! trait — SGD, Momentum, AdaGrad, RMSProp and Adam — adds learning-rate decay and weight decay
//! as wrappers that work with any of them, and races them: on a bowl-shaped function, on the
//! spiral data and on MNIST. It also shows why the starting weights matter (0.01·randn against
//! Xavier and He initialisation) by looking at the activations of a deep network.
//!
//! Run the chapter: `cargo run -p ch10_optimizers` (paths, training curves, histograms, and
//! their figures in `target/figures/ch10_optimizers/`).

pub mod exercises;
pub mod plots;

use ch03_layers::{float, Float};
use ch05_loss::accuracy;
use ch09_backprop::{gather_batch, Affine, Layer, Relu, Sequential, Sigmoid, SoftmaxWithLoss};
use ndarray::{Array2, ArrayD, ArrayViewD, ArrayViewMutD, Zip};
use seeded_rng::Rng;

// ANCHOR: optimizer
/// An optimizer: a rule that moves every parameter of a network a little, given its gradient.
///
/// A network hands over its parameters as a list of `(parameter, gradient)` pairs: mutable
/// views of its weight and bias arrays, each beside a view of its gradient. Optimizers that
/// remember something between steps (a velocity, a running average) keep one state array per
/// position in the list, so the list must come in the same order on every call.
pub trait Optimizer<F: Float> {
    /// Updates every parameter in place from its gradient. The list comes in the same order
    /// on every call, so stateful optimizers keep their state per position.
    fn update(&mut self, params_and_grads: Vec<(ArrayViewMutD<'_, F>, ArrayViewD<'_, F>)>);

    /// The learning rate η the next update will use.
    fn learning_rate(&self) -> F;

    /// Sets the learning rate η of the updates to come.
    fn set_learning_rate(&mut self, lr: F);
}
// ANCHOR_END: optimizer

// ANCHOR: state
/// Checks that parameter `i` and its gradient have the same shape.
///
/// # Panics
/// If they do not.
fn check_gradient_shape<F>(i: usize, param: &ArrayViewMutD<'_, F>, grad: &ArrayViewD<'_, F>) {
    assert_eq!(
        param.shape(),
        grad.shape(),
        "parameter {i} has shape {:?} but its gradient has shape {:?}",
        param.shape(),
        grad.shape()
    );
}

/// Makes `state` hold one array per parameter, of the parameter's shape: zeros on the first
/// call, the arrays of earlier calls after that (so nothing is allocated once training runs).
/// Every stateful optimizer starts its `update` with it.
///
/// ```
/// use ch10_optimizers::state_for;
/// use ndarray::{arr1, ArrayD};
/// let mut w = arr1(&[1.0, 2.0]).into_dyn();
/// let dw = arr1(&[0.5, 0.5]).into_dyn();
/// let mut velocity: Vec<ArrayD<f64>> = Vec::new();
/// state_for(&mut velocity, &[(w.view_mut(), dw.view())]);
/// assert_eq!(velocity, [arr1(&[0.0, 0.0]).into_dyn()]);
/// ```
///
/// # Panics
/// If a parameter and its gradient differ in shape, or if the parameters are not the ones of
/// the first call (another count, another shape at some position).
pub fn state_for<F: Float>(
    state: &mut Vec<ArrayD<F>>,
    params_and_grads: &[(ArrayViewMutD<'_, F>, ArrayViewD<'_, F>)],
) {
    if state.is_empty() {
        state.extend(
            params_and_grads
                .iter()
                .map(|(p, _)| ArrayD::zeros(p.raw_dim())),
        );
    }
    assert_eq!(
        state.len(),
        params_and_grads.len(),
        "the optimizer keeps state for {} parameters but was given {}: \
         pass the same parameters, in the same order, on every call",
        state.len(),
        params_and_grads.len()
    );
    for (i, ((p, g), s)) in params_and_grads.iter().zip(state.iter()).enumerate() {
        check_gradient_shape(i, p, g);
        assert_eq!(
            p.shape(),
            s.shape(),
            "parameter {i} has shape {:?} but the optimizer's state for it has shape {:?}: \
             pass the same parameters, in the same order, on every call",
            p.shape(),
            s.shape()
        );
    }
}
// ANCHOR_END: state

/// The momentum α of [`Momentum::new`], as both books set it.
pub const MOMENTUM: f64 = 0.9;
/// The decay ρ of RMSProp's running average in [`RmsProp::new`] (nnfs; *Deep Learning from
/// Scratch* uses 0.99).
pub const RHO: f64 = 0.9;
/// Adam's decay β₁ of the running mean of the gradient.
pub const BETA1: f64 = 0.9;
/// Adam's decay β₂ of the running mean of the squared gradient.
pub const BETA2: f64 = 0.999;
/// The ε that keeps AdaGrad, RMSProp and Adam from dividing by zero: 10⁻⁷, as in both books.
pub const EPSILON: f64 = 1e-7;

// ANCHOR: sgd
/// Stochastic gradient descent: a step down the gradient, the same size for every parameter.
///
/// ```text
/// W ← W − η ∂L/∂W
/// ```
///
/// NumPy (DLFS): `params[key] -= self.lr * grads[key]`.
///
/// ```
/// use ch10_optimizers::{Optimizer, Sgd};
/// use ndarray::{arr1, ArrayD};
/// let mut w = arr1(&[1.0, -2.0]).into_dyn();
/// let dw = arr1(&[0.5, -1.0]).into_dyn();
/// Sgd::new(0.1).update(vec![(w.view_mut(), dw.view())]);
/// assert_eq!(w, arr1(&[0.95, -1.9]).into_dyn()); // 1 − 0.1·0.5, −2 − 0.1·(−1)
/// ```
///
/// # Panics
/// If a parameter and its gradient differ in shape.
#[derive(Debug, Clone, PartialEq)]
pub struct Sgd<F> {
    /// The learning rate η.
    pub lr: F,
}

impl<F: Float> Sgd<F> {
    /// SGD with learning rate `lr`.
    pub fn new(lr: F) -> Self {
        Sgd { lr }
    }
}

impl<F: Float> Optimizer<F> for Sgd<F> {
    fn update(&mut self, params_and_grads: Vec<(ArrayViewMutD<'_, F>, ArrayViewD<'_, F>)>) {
        let lr = self.lr;
        for (i, (mut w, dw)) in params_and_grads.into_iter().enumerate() {
            check_gradient_shape(i, &w, &dw);
            Zip::from(&mut w)
                .and(&dw)
                .for_each(|w, &dw| *w = *w - lr * dw);
        }
    }

    fn learning_rate(&self) -> F {
        self.lr
    }

    fn set_learning_rate(&mut self, lr: F) {
        self.lr = lr;
    }
}
// ANCHOR_END: sgd

// ANCHOR: momentum
/// Momentum: the parameter is a ball rolling downhill. Its velocity `v` keeps a fraction α of
/// itself each step (friction) and gains the negative gradient (the slope's pull), and the
/// parameter moves by the velocity.
///
/// ```text
/// v ← α v − η ∂L/∂W
/// W ← W + v
/// ```
///
/// NumPy (DLFS): `self.v[key] = self.momentum*self.v[key] - self.lr*grads[key]`;
/// `params[key] += self.v[key]`.
///
/// ```
/// use ch10_optimizers::{Momentum, Optimizer};
/// use ndarray::{arr1, ArrayD};
/// let mut w = arr1(&[1.0_f64]).into_dyn();
/// let dw = arr1(&[2.0]).into_dyn();
/// let mut momentum = Momentum::new(0.1); // α = 0.9
/// momentum.update(vec![(w.view_mut(), dw.view())]); // v = −0.2, w = 0.8
/// momentum.update(vec![(w.view_mut(), dw.view())]); // v = 0.9·(−0.2) − 0.2 = −0.38
/// assert!((w[0] - 0.42).abs() < 1e-12);
/// ```
///
/// # Panics
/// If a parameter and its gradient differ in shape, or the parameters change between calls.
#[derive(Debug, Clone, PartialEq)]
pub struct Momentum<F> {
    /// The learning rate η.
    pub lr: F,
    /// The momentum α: how much of its velocity a parameter keeps from one step to the next.
    pub momentum: F,
    /// One velocity per parameter.
    v: Vec<ArrayD<F>>,
}

impl<F: Float> Momentum<F> {
    /// Momentum with learning rate `lr` and α = [`MOMENTUM`] (0.9).
    pub fn new(lr: F) -> Self {
        Self::with_momentum(lr, float(MOMENTUM))
    }

    /// Momentum with learning rate `lr` and momentum α = `momentum`.
    pub fn with_momentum(lr: F, momentum: F) -> Self {
        Momentum {
            lr,
            momentum,
            v: Vec::new(),
        }
    }
}

impl<F: Float> Optimizer<F> for Momentum<F> {
    fn update(&mut self, params_and_grads: Vec<(ArrayViewMutD<'_, F>, ArrayViewD<'_, F>)>) {
        state_for(&mut self.v, &params_and_grads);
        let (lr, momentum) = (self.lr, self.momentum);
        for ((mut w, dw), v) in params_and_grads.into_iter().zip(&mut self.v) {
            Zip::from(&mut w).and(&dw).and(v).for_each(|w, &dw, v| {
                *v = momentum * *v - lr * dw;
                *w = *w + *v;
            });
        }
    }

    fn learning_rate(&self) -> F {
        self.lr
    }

    fn set_learning_rate(&mut self, lr: F) {
        self.lr = lr;
    }
}
// ANCHOR_END: momentum

// ANCHOR: adagrad
/// AdaGrad: a learning rate of its own for every parameter, shrinking as the parameter's
/// squared gradients add up. Parameters that have moved a lot slow down; rarely-moved ones keep
/// taking big steps.
///
/// ```text
/// h ← h + ∂L/∂W ⊙ ∂L/∂W
/// W ← W − η ∂L/∂W / (√h + ε)
/// ```
///
/// (`⊙` multiplies element by element.) The first step has `√h = |∂L/∂W|`, so every parameter
/// moves by η against the sign of its gradient, whatever the gradient's size.
///
/// NumPy (DLFS): `self.h[key] += grads[key] * grads[key]`;
/// `params[key] -= self.lr * grads[key] / (np.sqrt(self.h[key]) + 1e-7)`.
///
/// ```
/// use ch10_optimizers::{AdaGrad, Optimizer};
/// use ndarray::{arr1, ArrayD};
/// let mut w = arr1(&[1.0_f64, 1.0]).into_dyn();
/// let dw = arr1(&[100.0, -0.01]).into_dyn();
/// AdaGrad::new(0.5).update(vec![(w.view_mut(), dw.view())]);
/// // h = [10⁴, 10⁻⁴]: both steps are 0.5, against the sign of the gradient
/// assert!((w[0] - 0.5).abs() < 1e-8 && (w[1] - 1.5).abs() < 1e-4);
/// ```
///
/// # Panics
/// If a parameter and its gradient differ in shape, or the parameters change between calls.
#[derive(Debug, Clone, PartialEq)]
pub struct AdaGrad<F> {
    /// The learning rate η.
    pub lr: F,
    /// ε: keeps the division finite when `h` is zero.
    pub eps: F,
    /// The sum of squared gradients, one array per parameter.
    h: Vec<ArrayD<F>>,
}

impl<F: Float> AdaGrad<F> {
    /// AdaGrad with learning rate `lr` and ε = [`EPSILON`].
    pub fn new(lr: F) -> Self {
        AdaGrad {
            lr,
            eps: float(EPSILON),
            h: Vec::new(),
        }
    }
}

impl<F: Float> Optimizer<F> for AdaGrad<F> {
    fn update(&mut self, params_and_grads: Vec<(ArrayViewMutD<'_, F>, ArrayViewD<'_, F>)>) {
        state_for(&mut self.h, &params_and_grads);
        let (lr, eps) = (self.lr, self.eps);
        for ((mut w, dw), h) in params_and_grads.into_iter().zip(&mut self.h) {
            Zip::from(&mut w).and(&dw).and(h).for_each(|w, &dw, h| {
                *h = *h + dw * dw;
                *w = *w - lr * dw / (h.sqrt() + eps);
            });
        }
    }

    fn learning_rate(&self) -> F {
        self.lr
    }

    fn set_learning_rate(&mut self, lr: F) {
        self.lr = lr;
    }
}
// ANCHOR_END: adagrad

// ANCHOR: rmsprop
/// RMSProp: AdaGrad with a memory that fades. `h` is a running average of the squared
/// gradient, each step keeping a fraction ρ of the old average, so the step size follows the
/// recent gradients instead of shrinking for ever.
///
/// ```text
/// h ← ρ h + (1 − ρ) ∂L/∂W ⊙ ∂L/∂W
/// W ← W − η ∂L/∂W / (√h + ε)
/// ```
///
/// `h` starts at zero, so the first average is only `(1 − ρ)` of the squared gradient and the
/// first step is `η/√(1 − ρ)`: about 3.2η for ρ = 0.9. Adam corrects this start; RMSProp does
/// not.
///
/// NumPy (DLFS): `self.h[key] *= self.decay_rate`;
/// `self.h[key] += (1 - self.decay_rate) * grads[key] * grads[key]`;
/// `params[key] -= self.lr * grads[key] / (np.sqrt(self.h[key]) + 1e-7)`.
///
/// ```
/// use ch10_optimizers::{Optimizer, RmsProp};
/// use ndarray::{arr1, ArrayD};
/// let mut w = arr1(&[0.0_f64]).into_dyn();
/// let dw = arr1(&[4.0]).into_dyn();
/// RmsProp::with_rho(0.01, 0.99).update(vec![(w.view_mut(), dw.view())]);
/// // h = 0.01·16 = 0.16, step = 0.01·4 / 0.4 = 0.1 = η/√(1 − ρ)
/// assert!((w[0] + 0.1).abs() < 1e-6);
/// ```
///
/// # Panics
/// If a parameter and its gradient differ in shape, or the parameters change between calls.
#[derive(Debug, Clone, PartialEq)]
pub struct RmsProp<F> {
    /// The learning rate η.
    pub lr: F,
    /// ρ: the fraction of the running average kept each step (DLFS calls it `decay_rate`).
    pub rho: F,
    /// ε: keeps the division finite when `h` is zero.
    pub eps: F,
    /// The running average of squared gradients, one array per parameter.
    h: Vec<ArrayD<F>>,
}

impl<F: Float> RmsProp<F> {
    /// RMSProp with learning rate `lr`, ρ = [`RHO`] (0.9) and ε = [`EPSILON`].
    pub fn new(lr: F) -> Self {
        Self::with_rho(lr, float(RHO))
    }

    /// RMSProp with learning rate `lr` and decay ρ = `rho`.
    pub fn with_rho(lr: F, rho: F) -> Self {
        RmsProp {
            lr,
            rho,
            eps: float(EPSILON),
            h: Vec::new(),
        }
    }
}

impl<F: Float> Optimizer<F> for RmsProp<F> {
    fn update(&mut self, params_and_grads: Vec<(ArrayViewMutD<'_, F>, ArrayViewD<'_, F>)>) {
        state_for(&mut self.h, &params_and_grads);
        let (lr, rho, eps) = (self.lr, self.rho, self.eps);
        for ((mut w, dw), h) in params_and_grads.into_iter().zip(&mut self.h) {
            Zip::from(&mut w).and(&dw).and(h).for_each(|w, &dw, h| {
                *h = rho * *h + (F::one() - rho) * dw * dw;
                *w = *w - lr * dw / (h.sqrt() + eps);
            });
        }
    }

    fn learning_rate(&self) -> F {
        self.lr
    }

    fn set_learning_rate(&mut self, lr: F) {
        self.lr = lr;
    }
}
// ANCHOR_END: rmsprop

// ANCHOR: adam
/// Adam: Momentum and RMSProp together. `m` is a running mean of the gradient (the velocity),
/// `v` a running mean of its square (the scale). Both start at zero, which biases them towards
/// zero in the first steps; dividing by `1 − βᵗ` removes that bias.
///
/// ```text
/// t ← t + 1
/// m ← β₁ m + (1 − β₁) ∂L/∂W
/// v ← β₂ v + (1 − β₂) ∂L/∂W ⊙ ∂L/∂W
/// m̂ = m / (1 − β₁ᵗ)      v̂ = v / (1 − β₂ᵗ)
/// W ← W − η m̂ / (√v̂ + ε)
/// ```
///
/// At t = 1 the correction gives `m̂ = ∂L/∂W` and `v̂ = (∂L/∂W)²` exactly, so the first step is
/// η against the sign of each gradient.
///
/// NumPy (nnfs): `weight_momentums_corrected = layer.weight_momentums / (1 - self.beta_1 **
/// (self.iterations + 1))`, the same for the cache with β₂, then
/// `layer.weights += -self.current_learning_rate * weight_momentums_corrected /
/// (np.sqrt(weight_cache_corrected) + self.epsilon)`.
///
/// ```
/// use ch10_optimizers::{Adam, Optimizer};
/// use ndarray::{arr1, ArrayD};
/// let mut w = arr1(&[1.0_f64, 1.0]).into_dyn();
/// let dw = arr1(&[3.0, -0.002]).into_dyn();
/// Adam::new(0.1).update(vec![(w.view_mut(), dw.view())]);
/// // m̂ = dw and v̂ = dw² at t = 1: each weight moves by 0.1 against its gradient's sign
/// assert!((w[0] - 0.9).abs() < 1e-7 && (w[1] - 1.1).abs() < 1e-5);
/// ```
///
/// # Panics
/// If a parameter and its gradient differ in shape, or the parameters change between calls.
#[derive(Debug, Clone, PartialEq)]
pub struct Adam<F> {
    /// The learning rate η.
    pub lr: F,
    /// β₁: how much of the running mean of the gradient is kept each step.
    pub beta1: F,
    /// β₂: how much of the running mean of the squared gradient is kept each step.
    pub beta2: F,
    /// ε: keeps the division finite when `v̂` is zero.
    pub eps: F,
    /// The number of updates so far.
    t: usize,
    /// The running means of the gradient and of its square, one array per parameter.
    m: Vec<ArrayD<F>>,
    v: Vec<ArrayD<F>>,
}

impl<F: Float> Adam<F> {
    /// Adam with learning rate `lr`, β₁ = [`BETA1`] (0.9), β₂ = [`BETA2`] (0.999) and
    /// ε = [`EPSILON`].
    pub fn new(lr: F) -> Self {
        Self::with_betas(lr, float(BETA1), float(BETA2))
    }

    /// Adam with learning rate `lr` and decays `beta1`, `beta2`.
    pub fn with_betas(lr: F, beta1: F, beta2: F) -> Self {
        Adam {
            lr,
            beta1,
            beta2,
            eps: float(EPSILON),
            t: 0,
            m: Vec::new(),
            v: Vec::new(),
        }
    }

    /// How many updates Adam has made.
    pub fn steps(&self) -> usize {
        self.t
    }
}

impl<F: Float> Optimizer<F> for Adam<F> {
    fn update(&mut self, params_and_grads: Vec<(ArrayViewMutD<'_, F>, ArrayViewD<'_, F>)>) {
        state_for(&mut self.m, &params_and_grads);
        state_for(&mut self.v, &params_and_grads);
        self.t += 1;
        let (lr, beta1, beta2, eps) = (self.lr, self.beta1, self.beta2, self.eps);
        let t = i32::try_from(self.t).unwrap_or(i32::MAX);
        let m_correction = F::one() / (F::one() - beta1.powi(t)); // 1 / (1 − β₁ᵗ)
        let v_correction = F::one() / (F::one() - beta2.powi(t)); // 1 / (1 − β₂ᵗ)
        let moments = self.m.iter_mut().zip(&mut self.v);
        for ((mut w, dw), (m, v)) in params_and_grads.into_iter().zip(moments) {
            // first the running means, then the step: two passes of three arrays each run
            // several times faster than one pass over four
            Zip::from(&mut *m)
                .and(&mut *v)
                .and(&dw)
                .for_each(|m, v, &dw| {
                    *m = beta1 * *m + (F::one() - beta1) * dw;
                    *v = beta2 * *v + (F::one() - beta2) * dw * dw;
                });
            Zip::from(&mut w).and(&*m).and(&*v).for_each(|w, &m, &v| {
                let m_hat = m * m_correction;
                let v_hat = v * v_correction;
                *w = *w - lr * m_hat / (v_hat.sqrt() + eps);
            });
        }
    }

    fn learning_rate(&self) -> F {
        self.lr
    }

    fn set_learning_rate(&mut self, lr: F) {
        self.lr = lr;
    }
}
// ANCHOR_END: adam

// ANCHOR: lr_decay
/// The learning rate after `t` steps of decay, as nnfs decays it: it starts at `lr` and
/// falls like `1/t` once `decay·t` is large.
///
/// ```text
/// ηₜ = η / (1 + decay · t)
/// ```
///
/// NumPy (nnfs): `self.current_learning_rate = self.learning_rate * (1. / (1. + self.decay *
/// self.iterations))`.
///
/// ```
/// use ch10_optimizers::decayed_learning_rate;
/// assert_eq!(decayed_learning_rate(1.0, 0.1, 0), 1.0);
/// assert_eq!(decayed_learning_rate(1.0, 0.1, 10), 0.5); // 1 / (1 + 0.1·10)
/// ```
pub fn decayed_learning_rate<F: Float>(lr: F, decay: F, t: usize) -> F {
    lr / (F::one() + decay * float(t as f64))
}

/// Any optimizer with a decaying learning rate: before update `t` (counting from 0) it sets
/// the inner optimizer's rate to [`decayed_learning_rate`]`(initial_lr, decay, t)`.
///
/// ```
/// use ch10_optimizers::{LrDecay, Optimizer, Sgd};
/// use ndarray::{arr1, ArrayD};
/// let mut sgd = LrDecay::new(Sgd::new(1.0), 0.5);
/// let mut w = arr1(&[0.0_f64]).into_dyn();
/// let dw = arr1(&[1.0]).into_dyn();
/// sgd.update(vec![(w.view_mut(), dw.view())]); // η₀ = 1
/// sgd.update(vec![(w.view_mut(), dw.view())]); // η₁ = 1 / (1 + 0.5)
/// assert!((w[0] + 1.0 + 2.0 / 3.0).abs() < 1e-12);
/// assert_eq!(sgd.learning_rate(), 0.5); // η₂ = 1 / (1 + 0.5·2)
/// ```
#[derive(Debug, Clone, PartialEq)]
pub struct LrDecay<F, O> {
    /// The optimizer whose learning rate decays.
    pub optimizer: O,
    /// η: the learning rate of the first update.
    pub initial_lr: F,
    /// How fast the rate decays.
    pub decay: F,
    /// The number of updates so far.
    pub iterations: usize,
}

impl<F: Float, O: Optimizer<F>> LrDecay<F, O> {
    /// Wraps `optimizer`, starting from its learning rate.
    pub fn new(optimizer: O, decay: F) -> Self {
        LrDecay {
            initial_lr: optimizer.learning_rate(),
            optimizer,
            decay,
            iterations: 0,
        }
    }
}

impl<F: Float, O: Optimizer<F>> Optimizer<F> for LrDecay<F, O> {
    fn update(&mut self, params_and_grads: Vec<(ArrayViewMutD<'_, F>, ArrayViewD<'_, F>)>) {
        let lr = decayed_learning_rate(self.initial_lr, self.decay, self.iterations);
        self.optimizer.set_learning_rate(lr);
        self.optimizer.update(params_and_grads);
        self.iterations += 1;
    }

    fn learning_rate(&self) -> F {
        decayed_learning_rate(self.initial_lr, self.decay, self.iterations)
    }

    /// Sets the rate the decay starts from.
    fn set_learning_rate(&mut self, lr: F) {
        self.initial_lr = lr;
    }
}
// ANCHOR_END: lr_decay

// ANCHOR: weight_decay
/// Weight decay as an L2 penalty, for any optimizer: the loss gains `½λ‖W‖²` for every weight
/// matrix, so each weight's gradient gains `λW`, a steady pull towards zero.
///
/// ```text
/// L′ = L + ½ λ Σ ‖W‖²       ∂L′/∂W = ∂L/∂W + λ W
/// ```
///
/// Only parameters with two or more axes (weight matrices) are decayed; biases (vectors) are
/// passed through untouched, as *Deep Learning from Scratch* does. The decayed gradients are
/// written into buffers kept between calls, so training allocates no arrays.
///
/// NumPy (DLFS): `grads['W' + str(idx)] = self.layers['Affine' + str(idx)].dW +
/// self.weight_decay_lambda * self.layers['Affine' + str(idx)].W`.
///
/// ```
/// use ch10_optimizers::{Optimizer, Sgd, WeightDecay};
/// use ndarray::{arr1, arr2, ArrayD};
/// let mut sgd = WeightDecay::new(Sgd::new(0.5), 0.1);
/// let mut w = arr2(&[[2.0, -4.0]]).into_dyn();
/// let mut b = arr1(&[2.0]).into_dyn();
/// let zero_w = ArrayD::zeros(w.raw_dim());
/// let zero_b = ArrayD::zeros(b.raw_dim());
/// sgd.update(vec![(w.view_mut(), zero_w.view()), (b.view_mut(), zero_b.view())]);
/// // with no gradient, each weight shrinks by η·λ = 5%; the bias stays
/// assert_eq!(w, arr2(&[[1.9, -3.8]]).into_dyn());
/// assert_eq!(b, arr1(&[2.0]).into_dyn());
/// ```
///
/// # Panics
/// If a parameter and its gradient differ in shape, or the parameters change between calls.
#[derive(Debug, Clone, PartialEq)]
pub struct WeightDecay<F, O> {
    /// The optimizer that takes the decayed gradients.
    pub optimizer: O,
    /// λ: the strength of the pull towards zero.
    pub lambda: F,
    /// One buffer per parameter for `∂L/∂W + λW`.
    grads: Vec<ArrayD<F>>,
}

impl<F: Float, O: Optimizer<F>> WeightDecay<F, O> {
    /// Wraps `optimizer`, adding `lambda · W` to the gradient of every weight matrix `W`.
    pub fn new(optimizer: O, lambda: F) -> Self {
        WeightDecay {
            optimizer,
            lambda,
            grads: Vec::new(),
        }
    }
}

/// Whether weight decay applies to a parameter: to weight matrices, not to bias vectors.
pub fn is_decayed<F>(param: &ArrayViewMutD<'_, F>) -> bool {
    param.ndim() >= 2
}

impl<F: Float, O: Optimizer<F>> Optimizer<F> for WeightDecay<F, O> {
    fn update(&mut self, params_and_grads: Vec<(ArrayViewMutD<'_, F>, ArrayViewD<'_, F>)>) {
        state_for(&mut self.grads, &params_and_grads);
        let lambda = self.lambda;
        let decayed = params_and_grads
            .into_iter()
            .zip(&mut self.grads)
            .map(|((w, dw), buffer)| {
                if !is_decayed(&w) {
                    return (w, dw);
                }
                Zip::from(&mut *buffer)
                    .and(&w)
                    .and(&dw)
                    .for_each(|g, &w, &dw| *g = dw + lambda * w);
                (w, buffer.view())
            })
            .collect();
        self.optimizer.update(decayed);
    }

    fn learning_rate(&self) -> F {
        self.optimizer.learning_rate()
    }

    fn set_learning_rate(&mut self, lr: F) {
        self.optimizer.set_learning_rate(lr);
    }
}
// ANCHOR_END: weight_decay

// ANCHOR: bowl
/// The test function of *Deep Learning from Scratch* §6.1: a bowl twenty times longer in `x`
/// than in `y`, lowest at the origin.
///
/// ```text
/// f(x, y) = x²/20 + y²
/// ```
///
/// ```
/// use ch10_optimizers::bowl;
/// assert_eq!(bowl(-7.0, 2.0), 6.45); // 49/20 + 4
/// ```
pub fn bowl(x: f64, y: f64) -> f64 {
    x * x / 20.0 + y * y
}

/// The gradient of [`bowl`]: gentle along `x`, steep along `y`.
///
/// ```text
/// ∇f(x, y) = (x/10, 2y)
/// ```
pub fn bowl_gradient(x: f64, y: f64) -> (f64, f64) {
    (x / 10.0, 2.0 * y)
}

/// The points an optimizer visits on [`bowl`] from `start`: the start, then the point after
/// each of `steps` updates. The position `(x, y)` is one parameter array of two elements, and
/// its gradient another, just as a network's weights would be.
///
/// ```
/// use ch10_optimizers::{descent_path, Sgd};
/// let path = descent_path(&mut Sgd::new(0.5), (-7.0, 2.0), 1);
/// // ∇f(−7, 2) = (−0.7, 4): x moves 0.35 to the right, y to 2 − 0.5·4 = 0
/// assert_eq!(path, [(-7.0, 2.0), (-6.65, 0.0)]);
/// ```
pub fn descent_path(
    optimizer: &mut (impl Optimizer<f64> + ?Sized),
    start: (f64, f64),
    steps: usize,
) -> Vec<(f64, f64)> {
    let mut position = ArrayD::from_shape_vec(vec![2], vec![start.0, start.1])
        .expect("two numbers fill a shape of [2]");
    let mut gradient = ArrayD::zeros(position.raw_dim());
    let mut path = vec![start];
    for _ in 0..steps {
        let (dx, dy) = bowl_gradient(position[0], position[1]);
        gradient[0] = dx;
        gradient[1] = dy;
        optimizer.update(vec![(position.view_mut(), gradient.view())]);
        path.push((position[0], position[1]));
    }
    path
}
// ANCHOR_END: bowl

// ANCHOR: init
/// How a layer's first weights are drawn: standard normal samples times a standard deviation.
///
/// ```text
/// W = σ · randn(n_in, n_out)      σ = 0.01 (fixed),  √(1/n_in) (Xavier),  √(2/n_in) (He)
/// ```
///
/// Xavier (Glorot and Bengio, 2010) keeps the spread of a layer's outputs equal to that of its
/// inputs when the activation is symmetric around zero (sigmoid near 0, tanh); He (He et al.,
/// 2015) doubles the variance because ReLU zeroes half of its inputs.
///
/// ```
/// use ch10_optimizers::Init;
/// assert_eq!(Init::Std(0.01).std(100), 0.01);
/// assert_eq!(Init::Xavier.std(100), 0.1); // √(1/100)
/// assert_eq!(Init::He.std(50), 0.2); // √(2/50)
/// ```
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Init {
    /// The same standard deviation for every layer, such as 0.01.
    Std(f64),
    /// `σ = √(1/n_in)`: for sigmoid and tanh.
    Xavier,
    /// `σ = √(2/n_in)`: for ReLU.
    He,
}

impl Init {
    /// The standard deviation of the weights of a layer with `n_inputs` inputs.
    pub fn std(&self, n_inputs: usize) -> f64 {
        match self {
            Init::Std(std) => *std,
            Init::Xavier => (1.0 / n_inputs as f64).sqrt(),
            Init::He => (2.0 / n_inputs as f64).sqrt(),
        }
    }
}

impl std::fmt::Display for Init {
    /// `0.01·randn`, `Xavier` or `He`.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Init::Std(std) => write!(f, "{std}·randn"),
            Init::Xavier => write!(f, "Xavier"),
            Init::He => write!(f, "He"),
        }
    }
}

/// The activations of each layer of a deep stack of square layers without biases, for the
/// batch `x`: the experiment of *Deep Learning from Scratch* §6.2.2. Layer `l` draws its
/// weights with `init`, computes `a = z·W` from the previous activations `z` (the batch, for
/// the first layer) and applies `activation`.
///
/// NumPy (DLFS): `w = np.random.randn(node_num, node_num) * std; a = np.dot(x, w); z = sigmoid(a)`.
///
/// ```
/// use ch10_optimizers::{layer_activations, Init};
/// use ch04_activations::relu;
/// let mut rng = seeded_rng::rng(0);
/// let x = seeded_rng::randn::<f64>(&mut rng, (1000, 100));
/// let he = layer_activations(&x, 5, Init::He, relu, &mut rng);
/// let tiny = layer_activations(&x, 5, Init::Std(0.01), relu, &mut rng);
/// assert_eq!(he.len(), 5);
/// assert!(he[4].std(0.0) > 0.3); // He keeps the spread
/// assert!(tiny[4].std(0.0) < 1e-5); // 0.01·randn shrinks it ~14× per layer
/// ```
pub fn layer_activations(
    x: &Array2<f64>,
    layers: usize,
    init: Init,
    activation: fn(f64) -> f64,
    rng: &mut impl Rng,
) -> Vec<Array2<f64>> {
    let width = x.ncols();
    let std = init.std(width);
    let mut activations: Vec<Array2<f64>> = Vec::with_capacity(layers);
    for _ in 0..layers {
        let w = seeded_rng::randn::<f64>(rng, (width, width)) * std; // (width, width)
        let z = activations.last().unwrap_or(x); // (batch, width)
        let a = z.dot(&w); // (batch, width)
        activations.push(a.mapv(activation));
    }
    activations
}

/// Counts how many of `values` fall in each of `bins` equal bins spanning `range`. Values
/// outside the range are not counted; the last bin includes the range's end, as NumPy's does.
///
/// NumPy: `np.histogram(values, bins, range=(start, end))[0]`.
///
/// ```
/// use ch10_optimizers::histogram;
/// let counts = histogram([0.05, 0.1, 0.5, 0.95, 1.0, 1.5], 0.0..1.0, 4);
/// assert_eq!(counts, [2, 0, 1, 2]); // 1.5 is outside; 1.0 goes in the last bin
/// ```
///
/// # Panics
/// If `bins` is zero or the range is empty.
pub fn histogram(
    values: impl IntoIterator<Item = f64>,
    range: std::ops::Range<f64>,
    bins: usize,
) -> Vec<usize> {
    assert!(
        bins > 0 && range.end > range.start,
        "a histogram needs at least one bin and a non-empty range, got {bins} bins over {range:?}"
    );
    let width = (range.end - range.start) / bins as f64;
    let mut counts = vec![0; bins];
    for v in values {
        if v < range.start || v > range.end {
            continue;
        }
        let bin = (((v - range.start) / width) as usize).min(bins - 1);
        counts[bin] += 1;
    }
    counts
}
// ANCHOR_END: init

// ANCHOR: network
/// The activation between the layers of a [`multi_layer_net`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Activation {
    Relu,
    Sigmoid,
}

/// *Deep Learning from Scratch*'s `MultiLayerNet`: Affine layers of the given `sizes`
/// (inputs, hidden…, outputs) with `activation` between them and Softmax-with-loss at the end.
/// Each Affine layer draws its weights with `init`, from its own number of inputs; biases start
/// at zero.
///
/// NumPy (DLFS): `MultiLayerNet(input_size=784, hidden_size_list=[100, 100, 100, 100],
/// output_size=10, activation='relu', weight_init_std='he')`.
///
/// ```
/// use ch10_optimizers::{multi_layer_net, Activation, Init};
/// let mut net = multi_layer_net::<f32>(&[784, 100, 100, 10], Activation::Relu, Init::He, &mut seeded_rng::rng(0));
/// assert_eq!(net.layers.len(), 5); // Affine, ReLU, Affine, ReLU, Affine
/// assert_eq!(net.parameter_count(), 784 * 100 + 100 + 100 * 100 + 100 + 100 * 10 + 10);
/// ```
///
/// # Panics
/// If `sizes` has fewer than two entries.
pub fn multi_layer_net<F: Float>(
    sizes: &[usize],
    activation: Activation,
    init: Init,
    rng: &mut impl Rng,
) -> Sequential<F> {
    assert!(
        sizes.len() >= 2,
        "a network needs an input and an output size, got sizes {sizes:?}"
    );
    let mut layers: Vec<Box<dyn Layer<F>>> = Vec::new();
    for (i, pair) in sizes.windows(2).enumerate() {
        if i > 0 {
            match activation {
                Activation::Relu => layers.push(Box::new(Relu::default())),
                Activation::Sigmoid => layers.push(Box::new(Sigmoid::default())),
            }
        }
        let (n_in, n_out) = (pair[0], pair[1]);
        layers.push(Box::new(Affine::new(n_in, n_out, init.std(n_in), rng)));
    }
    Sequential::new(layers, SoftmaxWithLoss::default())
}
// ANCHOR_END: network

// ANCHOR: training
/// Loss and accuracy measured while training, at the recorded steps.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Curve {
    /// The epoch or iteration of each record.
    pub steps: Vec<usize>,
    pub loss: Vec<f64>,
    pub accuracy: Vec<f64>,
    /// The learning rate the update of that step used.
    pub learning_rate: Vec<f64>,
}

impl Curve {
    /// The last record: `(step, loss, accuracy, learning rate)`.
    ///
    /// # Panics
    /// If nothing was recorded.
    pub fn last(&self) -> (usize, f64, f64, f64) {
        let i = self.steps.len().checked_sub(1).expect("the curve is empty");
        (
            self.steps[i],
            self.loss[i],
            self.accuracy[i],
            self.learning_rate[i],
        )
    }
}

/// Full-batch training as nnfs does it: every epoch is one forward and backward pass over all
/// of `x` and one update. Epochs `0..=epochs` run; every `every` epochs (and at the last) the
/// loss and accuracy of that epoch's forward pass are recorded, before its update.
///
/// NumPy (nnfs): `for epoch in range(10001): … loss = loss_activation.forward(dense2.output, y)
/// … optimizer.pre_update_params(); optimizer.update_params(dense1); …`.
///
/// ```
/// use ch10_optimizers::{multi_layer_net, train_full_batch, Activation, Adam, Init};
/// let mut rng = seeded_rng::rng(0);
/// let (x, y) = toy_datasets::vertical_data::<f32>(&mut rng, 50, 3);
/// let mut net = multi_layer_net(&[2, 16, 3], Activation::Relu, Init::Std(0.01), &mut rng);
/// let curve = train_full_batch(&mut net, &x, y.as_slice().unwrap(), &mut Adam::new(0.05), 200, 100);
/// assert_eq!(curve.steps, [0, 100, 200]);
/// assert!(curve.accuracy[2] > 0.9 && curve.loss[2] < curve.loss[0]);
/// ```
///
/// # Panics
/// If `every` is zero, or `x` and `t` do not fit the network and each other.
pub fn train_full_batch<F: Float>(
    net: &mut Sequential<F>,
    x: &Array2<F>,
    t: &[usize],
    optimizer: &mut (impl Optimizer<F> + ?Sized),
    epochs: usize,
    every: usize,
) -> Curve {
    assert!(every > 0, "recording every 0 epochs is not possible");
    let mut curve = Curve::default();
    for epoch in 0..=epochs {
        let loss = net.gradient(x, t);
        if epoch % every == 0 || epoch == epochs {
            curve.steps.push(epoch);
            curve.loss.push(loss.to_f64().unwrap_or(f64::NAN));
            curve.accuracy.push(accuracy(net.last.probabilities(), t));
            let lr = optimizer.learning_rate();
            curve.learning_rate.push(lr.to_f64().unwrap_or(f64::NAN));
        }
        optimizer.update(net.params_and_grads());
    }
    curve
}

/// Mini-batch training as *Deep Learning from Scratch* does it: each iteration draws
/// `batch_size` rows of `x` at random (with replacement), backpropagates and updates. Returns
/// the loss of every iteration's batch, as its own forward pass computed it (before the update).
/// `after_update(iteration, net)` is called after each update, to measure what the caller
/// wants.
///
/// NumPy (DLFS): `batch_mask = np.random.choice(train_size, batch_size)`;
/// `grads = network.gradient(x_batch, t_batch)`; `optimizer.update(network.params, grads)`.
///
/// ```
/// use ch10_optimizers::{multi_layer_net, train_mini_batches, Activation, Init, Sgd};
/// let mut rng = seeded_rng::rng(0);
/// let (x, y) = toy_datasets::vertical_data::<f32>(&mut rng, 100, 3);
/// let mut net = multi_layer_net(&[2, 16, 3], Activation::Relu, Init::He, &mut rng);
/// let t = y.as_slice().unwrap();
/// let losses = train_mini_batches(&mut net, &x, t, &mut Sgd::new(0.5), 30, 300, &mut rng, |_, _| {});
/// assert_eq!(losses.len(), 300);
/// assert!(net.accuracy(&x, t) > 0.9);
/// ```
///
/// # Panics
/// If `batch_size` is zero or `x` is empty, or `x` and `t` do not fit the network and each
/// other.
#[allow(clippy::too_many_arguments)]
pub fn train_mini_batches<F: Float>(
    net: &mut Sequential<F>,
    x: &Array2<F>,
    t: &[usize],
    optimizer: &mut (impl Optimizer<F> + ?Sized),
    batch_size: usize,
    iterations: usize,
    rng: &mut impl Rng,
    mut after_update: impl FnMut(usize, &mut Sequential<F>),
) -> Vec<f64> {
    assert!(
        batch_size > 0 && x.nrows() > 0,
        "mini-batches of {batch_size} rows cannot be drawn from data of shape {:?}",
        x.dim()
    );
    let mut rows = vec![0; batch_size];
    let mut x_batch = Array2::zeros((batch_size, x.ncols())); // (batch, features)
    let mut t_batch = Vec::with_capacity(batch_size);
    let mut losses = Vec::with_capacity(iterations);
    for iteration in 0..iterations {
        rows.iter_mut()
            .for_each(|r| *r = rng.random_range(0..x.nrows()));
        gather_batch(x, t, &rows, &mut x_batch, &mut t_batch);
        let loss = net.gradient(&x_batch, &t_batch);
        optimizer.update(net.params_and_grads());
        losses.push(loss.to_f64().unwrap_or(f64::NAN));
        after_update(iteration, net);
    }
    losses
}

/// The means of consecutive blocks of `window` values (the last block may be shorter), with
/// the index of each block's last value: a noisy loss curve made readable.
///
/// ```
/// use ch10_optimizers::block_means;
/// assert_eq!(block_means(&[1.0, 3.0, 5.0, 7.0, 9.0], 2), [(1, 2.0), (3, 6.0), (4, 9.0)]);
/// ```
///
/// # Panics
/// If `window` is zero.
pub fn block_means(values: &[f64], window: usize) -> Vec<(usize, f64)> {
    assert!(window > 0, "blocks of 0 values have no mean");
    values
        .chunks(window)
        .enumerate()
        .map(|(i, block)| {
            let last = i * window + block.len() - 1;
            (last, block.iter().sum::<f64>() / block.len() as f64)
        })
        .collect()
}

/// The root mean square of the entries of the network's weight matrices (biases left out): a
/// measure of how large the weights are.
///
/// ```text
/// rms = √(Σ w² / #w)   over every weight matrix W
/// ```
pub fn weight_rms<F: Float>(net: &mut Sequential<F>) -> f64 {
    let (mut sum, mut count) = (0.0, 0);
    for (w, _) in net.params_and_grads() {
        if is_decayed(&w) {
            sum += w
                .iter()
                .map(|v| v.to_f64().unwrap_or(f64::NAN).powi(2))
                .sum::<f64>();
            count += w.len();
        }
    }
    (sum / count.max(1) as f64).sqrt()
}
// ANCHOR_END: training

#[cfg(test)]
mod tests {
    use super::*;
    use ndarray::{arr1, arr2};

    /// One update of `optimizer` on one parameter, returning the parameter after it.
    fn step(optimizer: &mut impl Optimizer<f64>, w: &mut ArrayD<f64>, dw: &[f64]) {
        let dw = arr1(dw).into_dyn();
        optimizer.update(vec![(w.view_mut(), dw.view())]);
    }

    fn assert_close(a: f64, b: f64, tolerance: f64) {
        assert!(
            (a - b).abs() < tolerance,
            "{a} is not within {tolerance} of {b}"
        );
    }

    #[test]
    fn sgd_steps_down_the_gradient() {
        let mut w = arr1(&[3.0, 3.0]).into_dyn();
        step(&mut Sgd::new(0.1), &mut w, &[1.0, -2.0]);
        assert_eq!(w, arr1(&[2.9, 3.2]).into_dyn());
    }

    #[test]
    fn momentum_first_step_is_sgd_then_it_accelerates() {
        let mut sgd_w = arr1(&[0.0]).into_dyn();
        let mut momentum_w = arr1(&[0.0]).into_dyn();
        let mut sgd = Sgd::new(0.1);
        let mut momentum = Momentum::new(0.1);
        step(&mut sgd, &mut sgd_w, &[1.0]);
        step(&mut momentum, &mut momentum_w, &[1.0]);
        assert_eq!(sgd_w, momentum_w); // v = −η g: the same first step
        step(&mut momentum, &mut momentum_w, &[1.0]);
        // v = 0.9·(−0.1) − 0.1 = −0.19, w = −0.1 − 0.19
        assert_close(momentum_w[0], -0.29, 1e-12);
        // under a constant gradient the velocity tends to −η g / (1 − α) = −1
        for _ in 0..300 {
            step(&mut momentum, &mut momentum_w, &[1.0]);
        }
        let before = momentum_w[0];
        step(&mut momentum, &mut momentum_w, &[1.0]);
        assert_close(momentum_w[0] - before, -1.0, 1e-9);
    }

    #[test]
    fn adagrad_steps_shrink_like_one_over_root_t() {
        let mut w = arr1(&[0.0]).into_dyn();
        let mut adagrad = AdaGrad::new(1.0);
        let mut previous = 0.0;
        for t in 1..=4 {
            step(&mut adagrad, &mut w, &[2.0]);
            // h = 4t, step = 2/√(4t) = 1/√t
            assert_close(previous - w[0], 1.0 / (t as f64).sqrt(), 1e-6);
            previous = w[0];
        }
    }

    #[test]
    fn rmsprop_first_step_and_steady_state() {
        let mut w = arr1(&[0.0]).into_dyn();
        let mut rmsprop = RmsProp::new(0.01); // ρ = 0.9
        step(&mut rmsprop, &mut w, &[3.0]);
        // h = 0.1·9 = 0.9, step = 0.01·3/√0.9 = 0.01/√0.1
        assert_close(w[0], -0.01 / 0.1f64.sqrt(), 1e-8);
        // under a constant gradient h tends to g², and the step to η
        for _ in 0..500 {
            step(&mut rmsprop, &mut w, &[3.0]);
        }
        let before = w[0];
        step(&mut rmsprop, &mut w, &[3.0]);
        assert_close(before - w[0], 0.01, 1e-8);
    }

    #[test]
    fn adam_bias_correction_at_t_1() {
        let mut adam = Adam::new(0.001);
        let mut w = arr1(&[0.0, 0.0, 0.0]).into_dyn();
        step(&mut adam, &mut w, &[1e3, -1e-3, 0.5]);
        assert_eq!(adam.steps(), 1);
        // m = 0.1 g and v = 0.001 g²: without the correction the step would be
        // η·0.1/√0.001 ≈ 3.16η; with it, m̂ = g, v̂ = g², the step is η·g/(|g| + ε)
        assert_close(w[0], -0.001, 1e-12);
        assert_close(w[1], 0.001 * 1e-3 / (1e-3 + EPSILON), 1e-12);
        assert_close(w[2], -0.001 * 0.5 / (0.5 + EPSILON), 1e-12);
        // the uncorrected moments are what is stored
        assert_close(adam.m[0][0], 0.1 * 1e3, 1e-9);
        assert_close(adam.v[0][0], 0.001 * 1e6, 1e-6);
    }

    #[test]
    fn adam_second_step_by_hand() {
        let mut adam = Adam::new(0.1);
        let mut w = arr1(&[0.0]).into_dyn();
        step(&mut adam, &mut w, &[1.0]);
        step(&mut adam, &mut w, &[3.0]);
        let m: f64 = 0.9 * 0.1 + 0.1 * 3.0; // 0.39
        let v: f64 = 0.999 * 0.001 + 0.001 * 9.0; // 0.009999
        let m_hat = m / (1.0 - 0.9f64.powi(2));
        let v_hat = v / (1.0 - 0.999f64.powi(2));
        let first = -0.1 * 1.0 / (1.0 + EPSILON);
        assert_close(w[0], first - 0.1 * m_hat / (v_hat.sqrt() + EPSILON), 1e-12);
    }

    #[test]
    fn optimizers_work_in_f32() {
        let mut w = arr1(&[1.0f32]).into_dyn();
        let dw = arr1(&[2.0f32]).into_dyn();
        Adam::new(0.5f32).update(vec![(w.view_mut(), dw.view())]);
        assert!((w[0] - 0.5).abs() < 1e-6);
    }

    #[test]
    fn each_parameter_keeps_its_own_state() {
        let mut a = arr2(&[[0.0, 0.0]]).into_dyn();
        let mut b = arr1(&[0.0]).into_dyn();
        let da = arr2(&[[1.0, 1.0]]).into_dyn();
        let db = arr1(&[-1.0]).into_dyn();
        let mut momentum = Momentum::new(1.0);
        for _ in 0..2 {
            momentum.update(vec![(a.view_mut(), da.view()), (b.view_mut(), db.view())]);
        }
        // v = −1 then −1.9: a goes to −2.9, b to +2.9
        assert_close(a[[0, 1]], -2.9, 1e-12);
        assert_close(b[0], 2.9, 1e-12);
    }

    #[test]
    #[should_panic(expected = "parameter 0 has shape [2] but its gradient has shape [3]")]
    fn a_gradient_of_another_shape_panics() {
        let mut w = arr1(&[0.0, 0.0]).into_dyn();
        let dw = arr1(&[1.0, 1.0, 1.0]).into_dyn();
        Sgd::new(0.1).update(vec![(w.view_mut(), dw.view())]);
    }

    #[test]
    #[should_panic(expected = "keeps state for 1 parameters but was given 2")]
    fn changing_the_parameter_list_panics() {
        let mut w = arr1(&[0.0]).into_dyn();
        let mut b = arr1(&[0.0]).into_dyn();
        let g = arr1(&[1.0]).into_dyn();
        let mut adam = Adam::new(0.1);
        adam.update(vec![(w.view_mut(), g.view())]);
        adam.update(vec![(w.view_mut(), g.view()), (b.view_mut(), g.view())]);
    }

    #[test]
    #[should_panic(
        expected = "parameter 0 has shape [2] but the optimizer's state for it has shape [1]"
    )]
    fn reordering_the_parameters_panics() {
        let mut w = arr1(&[0.0]).into_dyn();
        let mut b = arr1(&[0.0, 0.0]).into_dyn();
        let gw = arr1(&[1.0]).into_dyn();
        let gb = arr1(&[1.0, 1.0]).into_dyn();
        let mut rmsprop = RmsProp::new(0.1);
        rmsprop.update(vec![(w.view_mut(), gw.view()), (b.view_mut(), gb.view())]);
        rmsprop.update(vec![(b.view_mut(), gb.view()), (w.view_mut(), gw.view())]);
    }

    #[test]
    fn lr_decay_follows_the_formula_and_wraps_any_optimizer() {
        let mut adam = LrDecay::new(Adam::new(0.05), 0.01);
        let mut w = arr1(&[0.0]).into_dyn();
        for t in 0..5 {
            assert_close(adam.learning_rate(), 0.05 / (1.0 + 0.01 * t as f64), 1e-15);
            step(&mut adam, &mut w, &[1.0]);
        }
        assert_close(adam.optimizer.lr, 0.05 / 1.04, 1e-15); // the rate of the last update
        assert_eq!(adam.optimizer.steps(), 5);
    }

    #[test]
    fn weight_decay_adds_lambda_w_to_matrix_gradients_only() {
        // With SGD: W ← W − η(dW + λW)
        let mut sgd = WeightDecay::new(Sgd::new(0.1), 0.5);
        let mut w = arr2(&[[1.0], [-2.0]]).into_dyn();
        let mut b = arr1(&[1.0]).into_dyn();
        let dw = arr2(&[[1.0], [1.0]]).into_dyn();
        let db = arr1(&[1.0]).into_dyn();
        sgd.update(vec![(w.view_mut(), dw.view()), (b.view_mut(), db.view())]);
        assert_close(w[[0, 0]], 1.0 - 0.1 * (1.0 + 0.5), 1e-12);
        assert_close(w[[1, 0]], -2.0 - 0.1 * (1.0 - 1.0), 1e-12);
        assert_close(b[0], 0.9, 1e-12);
    }

    #[test]
    fn weight_decay_with_zero_lambda_changes_nothing() {
        let mut plain = Adam::new(0.1);
        let mut decayed = WeightDecay::new(Adam::new(0.1), 0.0);
        let mut w1 = arr2(&[[1.0, 2.0]]).into_dyn();
        let mut w2 = w1.clone();
        for g in [[0.3, -0.1], [0.2, 0.5]] {
            let dw = arr2(&[g]).into_dyn();
            plain.update(vec![(w1.view_mut(), dw.view())]);
            decayed.update(vec![(w2.view_mut(), dw.view())]);
        }
        assert_eq!(w1, w2);
    }

    #[test]
    fn sgd_on_the_bowl_matches_the_formula() {
        // x and y shrink by constant factors: x by (1 − η/10), y by (1 − 2η)
        let path = descent_path(&mut Sgd::new(0.95), (-7.0, 2.0), 30);
        assert_eq!(path.len(), 31);
        let (x, y) = path[30];
        assert_close(x, -7.0 * 0.905f64.powi(30), 1e-12);
        assert_close(y, 2.0 * (-0.9f64).powi(30), 1e-12);
    }

    #[test]
    fn every_optimizer_gets_closer_on_the_bowl() {
        let mut optimizers: Vec<Box<dyn Optimizer<f64>>> = vec![
            Box::new(Sgd::new(0.95)),
            Box::new(Momentum::new(0.1)),
            Box::new(AdaGrad::new(1.5)),
            Box::new(RmsProp::new(0.3)),
            Box::new(Adam::new(0.3)),
        ];
        for optimizer in &mut optimizers {
            let path = descent_path(optimizer.as_mut(), (-7.0, 2.0), 30);
            let (x, y) = path[30];
            assert!(bowl(x, y) < bowl(-7.0, 2.0) / 2.0, "ended at ({x}, {y})");
        }
    }
}
