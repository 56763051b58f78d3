//! The update rules, as in *Deep Learning from Scratch*'s `common/optimizer.py` and nnfs's
//! optimizer classes: SGD, Momentum, AdaGrad, RMSProp and Adam behind one trait, and
//! learning-rate decay as a wrapper around any of them.

use ch03_layers::{Float, float};
use ndarray::{ArrayD, ArrayViewD, ArrayViewMutD, Zip};

/// An optimizer: a rule that moves every parameter of a network a little, given its gradient.
///
/// A network hands over its parameters as a list of `(parameter, gradient)` pairs: mutable
/// views of its weight and bias arrays, each beside a view of its gradient (the list of
/// `Sequential::params_and_grads`). Optimizers that remember something between steps (a
/// velocity, a running average) keep one state array per position in the list, so the list
/// must come in the same order on every call.
///
/// NumPy (DLFS): `optimizer.update(params, grads)`, with `params` and `grads` two dictionaries.
// ANCHOR: optimizer
pub trait Optimizer<F: Float> {
    /// Moves every parameter one step, using its gradient.
    fn update(&mut self, params: Vec<(ArrayViewMutD<'_, F>, ArrayViewD<'_, F>)>);

    /// The learning rate η the next update will use.
    fn learning_rate(&self) -> F;

    /// Sets the learning rate η of the updates to come.
    fn set_learning_rate(&mut self, lr: F);
}
// ANCHOR_END: optimizer

/// The state of a stateful optimizer, ready for an update: on the first call, `state` becomes
/// one array of zeros per parameter, of that parameter's shape; on every call, the parameters
/// are checked against it. Every stateful optimizer starts its `update` with it.
///
/// NumPy (DLFS): `if self.v is None: … self.v[key] = np.zeros_like(val)`.
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
// ANCHOR: state
pub fn state_for<F: Float>(
    state: &mut Vec<ArrayD<F>>,
    params: &[(ArrayViewMutD<'_, F>, ArrayViewD<'_, F>)],
) {
    if state.is_empty() {
        *state = params
            .iter()
            .map(|(w, _)| ArrayD::zeros(w.raw_dim()))
            .collect();
    }
    check_shapes(state, params);
}
// ANCHOR_END: state

/// Panics, naming the shapes, unless `params` fit `state`: as many parameters as state arrays,
/// each gradient of its parameter's shape, each parameter of its state's shape.
fn check_shapes<F>(state: &[ArrayD<F>], params: &[(ArrayViewMutD<'_, F>, ArrayViewD<'_, F>)]) {
    assert_eq!(
        state.len(),
        params.len(),
        "the optimizer keeps state for {} parameters but was given {}: \
         pass the same parameters, in the same order, on every call",
        state.len(),
        params.len()
    );
    for (i, ((w, dw), s)) in params.iter().zip(state).enumerate() {
        assert_eq!(
            w.shape(),
            dw.shape(),
            "parameter {i} has shape {:?} but its gradient has shape {:?}",
            w.shape(),
            dw.shape()
        );
        assert_eq!(
            w.shape(),
            s.shape(),
            "parameter {i} has shape {:?} but the optimizer's state for it has shape {:?}: \
             pass the same parameters, in the same order, on every call",
            w.shape(),
            s.shape()
        );
    }
}

/// The momentum α of [`Momentum::new`], as both books set it.
pub const MOMENTUM: f64 = 0.9;
/// The decay ρ of RMSProp's running average in [`RmsProp::new`]: nnfs's default (*Deep
/// Learning from Scratch*'s `RMSprop` defaults to 0.99).
pub const RHO: f64 = 0.9;
/// Adam's decay β₁ of the running mean of the gradient.
pub const BETA1: f64 = 0.9;
/// Adam's decay β₂ of the running mean of the squared gradient.
pub const BETA2: f64 = 0.999;
/// The ε that keeps AdaGrad, RMSProp and Adam from dividing by zero: 10⁻⁷, as in both books.
pub const EPSILON: f64 = 1e-7;

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
/// use ndarray::arr1;
/// let mut w = arr1(&[1.0, -2.0]).into_dyn();
/// let dw = arr1(&[0.5, -1.0]).into_dyn();
/// Sgd::new(0.1).update(vec![(w.view_mut(), dw.view())]);
/// assert_eq!(w, arr1(&[0.95, -1.9]).into_dyn()); // 1 − 0.1·0.5, −2 − 0.1·(−1)
/// ```
///
/// # Panics
/// If a parameter and its gradient differ in shape.
#[derive(Debug, Clone, PartialEq)]
// ANCHOR: sgd
pub struct Sgd<F> {
    pub lr: F,
}

impl<F: Float> Optimizer<F> for Sgd<F> {
    fn update(&mut self, params: Vec<(ArrayViewMutD<'_, F>, ArrayViewD<'_, F>)>) {
        for (mut w, dw) in params {
            Zip::from(&mut w).and(&dw).for_each(|w, &dw| {
                *w = *w - self.lr * dw;
            });
        }
    }
    // ANCHOR_END: sgd

    fn learning_rate(&self) -> F {
        self.lr
    }

    fn set_learning_rate(&mut self, lr: F) {
        self.lr = lr;
    }
}

impl<F: Float> Sgd<F> {
    /// SGD with learning rate `lr`.
    pub fn new(lr: F) -> Self {
        Sgd { lr }
    }
}

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
/// use ndarray::arr1;
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
// ANCHOR: momentum
pub struct Momentum<F> {
    pub lr: F,
    pub momentum: F,
    v: Vec<ArrayD<F>>, // one velocity per parameter
}

impl<F: Float> Optimizer<F> for Momentum<F> {
    fn update(&mut self, params: Vec<(ArrayViewMutD<'_, F>, ArrayViewD<'_, F>)>) {
        state_for(&mut self.v, &params);
        for ((mut w, dw), v) in params.into_iter().zip(&mut self.v) {
            Zip::from(&mut w).and(&dw).and(v).for_each(|w, &dw, v| {
                *v = self.momentum * *v - self.lr * dw;
                *w = *w + *v;
            });
        }
    }
    // ANCHOR_END: momentum

    fn learning_rate(&self) -> F {
        self.lr
    }

    fn set_learning_rate(&mut self, lr: F) {
        self.lr = lr;
    }
}

impl<F: Float> Momentum<F> {
    /// Momentum with learning rate `lr` and α = [`MOMENTUM`] (0.9).
    pub fn new(lr: F) -> Self {
        Momentum {
            lr,
            momentum: float(MOMENTUM),
            v: Vec::new(),
        }
    }
}

/// AdaGrad: a learning rate of its own for every parameter, `η/√h`, falling as the
/// parameter's squared gradients add up in `h`.
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
/// use ndarray::arr1;
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
// ANCHOR: adagrad
pub struct AdaGrad<F> {
    pub lr: F,
    pub eps: F,
    h: Vec<ArrayD<F>>, // one sum of squared gradients per parameter
}

impl<F: Float> Optimizer<F> for AdaGrad<F> {
    fn update(&mut self, params: Vec<(ArrayViewMutD<'_, F>, ArrayViewD<'_, F>)>) {
        state_for(&mut self.h, &params);
        for ((mut w, dw), h) in params.into_iter().zip(&mut self.h) {
            Zip::from(&mut w).and(&dw).and(h).for_each(|w, &dw, h| {
                *h = *h + dw * dw;
                *w = *w - self.lr * dw / (h.sqrt() + self.eps);
            });
        }
    }
    // ANCHOR_END: adagrad

    fn learning_rate(&self) -> F {
        self.lr
    }

    fn set_learning_rate(&mut self, lr: F) {
        self.lr = lr;
    }
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

/// RMSProp: AdaGrad with a memory that fades. `h` is a running average of the squared
/// gradient, each step keeping a fraction ρ of the old average, so the rate `η/√h` follows the
/// recent gradients instead of falling for ever.
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
/// use ndarray::arr1;
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
// ANCHOR: rmsprop
pub struct RmsProp<F> {
    pub lr: F,
    pub rho: F, // DLFS's decay_rate
    pub eps: F,
    h: Vec<ArrayD<F>>, // one running average of squared gradients per parameter
}

impl<F: Float> Optimizer<F> for RmsProp<F> {
    fn update(&mut self, params: Vec<(ArrayViewMutD<'_, F>, ArrayViewD<'_, F>)>) {
        state_for(&mut self.h, &params);
        for ((mut w, dw), h) in params.into_iter().zip(&mut self.h) {
            Zip::from(&mut w).and(&dw).and(h).for_each(|w, &dw, h| {
                *h = self.rho * *h + (F::one() - self.rho) * dw * dw;
                *w = *w - self.lr * dw / (h.sqrt() + self.eps);
            });
        }
    }
    // ANCHOR_END: rmsprop

    fn learning_rate(&self) -> F {
        self.lr
    }

    fn set_learning_rate(&mut self, lr: F) {
        self.lr = lr;
    }
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
/// use ndarray::arr1;
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
// ANCHOR: adam
pub struct Adam<F> {
    pub lr: F,
    pub beta1: F,
    pub beta2: F,
    pub eps: F,
    t: i32,            // the number of updates so far
    m: Vec<ArrayD<F>>, // one running mean of the gradient per parameter
    v: Vec<ArrayD<F>>, // one running mean of the squared gradient per parameter
}

impl<F: Float> Optimizer<F> for Adam<F> {
    fn update(&mut self, params: Vec<(ArrayViewMutD<'_, F>, ArrayViewD<'_, F>)>) {
        state_for(&mut self.m, &params);
        state_for(&mut self.v, &params);
        self.t += 1;
        let (beta1, beta2, one) = (self.beta1, self.beta2, F::one());
        let (bias1, bias2) = (one - beta1.powi(self.t), one - beta2.powi(self.t));
        let moments = self.m.iter_mut().zip(&mut self.v);
        for ((mut w, dw), (m, v)) in params.into_iter().zip(moments) {
            let moments = Zip::from(&mut *m).and(&mut *v).and(&dw);
            moments.for_each(|m, v, &dw| {
                *m = beta1 * *m + (one - beta1) * dw;
                *v = beta2 * *v + (one - beta2) * dw * dw;
            });
            Zip::from(&mut w).and(&*m).and(&*v).for_each(|w, &m, &v| {
                let (m_hat, v_hat) = (m / bias1, v / bias2);
                *w = *w - self.lr * m_hat / (v_hat.sqrt() + self.eps);
            });
        }
    }
    // ANCHOR_END: adam

    fn learning_rate(&self) -> F {
        self.lr
    }

    fn set_learning_rate(&mut self, lr: F) {
        self.lr = lr;
    }
}

impl<F: Float> Adam<F> {
    /// Adam with learning rate `lr`, β₁ = [`BETA1`] (0.9), β₂ = [`BETA2`] (0.999) and
    /// ε = [`EPSILON`].
    pub fn new(lr: F) -> Self {
        Adam {
            lr,
            beta1: float(BETA1),
            beta2: float(BETA2),
            eps: float(EPSILON),
            t: 0,
            m: Vec::new(),
            v: Vec::new(),
        }
    }
}

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
// ANCHOR: decayed_learning_rate
pub fn decayed_learning_rate<F: Float>(lr: F, decay: F, t: usize) -> F {
    lr / (F::one() + decay * float(t as f64))
}
// ANCHOR_END: decayed_learning_rate

/// Any optimizer with a decaying learning rate: before update `t` (counting from 0) it sets
/// the inner optimizer's rate to [`decayed_learning_rate`]`(initial_lr, decay, t)`.
/// `learning_rate` is the rate of the next update; `set_learning_rate` sets the rate the decay
/// starts from.
///
/// ```
/// use ch10_optimizers::{LrDecay, Optimizer, Sgd};
/// use ndarray::arr1;
/// let mut sgd = LrDecay::new(Sgd::new(1.0), 0.5);
/// let mut w = arr1(&[0.0_f64]).into_dyn();
/// let dw = arr1(&[1.0]).into_dyn();
/// sgd.update(vec![(w.view_mut(), dw.view())]); // η₀ = 1
/// sgd.update(vec![(w.view_mut(), dw.view())]); // η₁ = 1 / (1 + 0.5)
/// assert!((w[0] + 1.0 + 2.0 / 3.0).abs() < 1e-12);
/// assert_eq!(sgd.learning_rate(), 0.5); // η₂ = 1 / (1 + 0.5·2)
/// ```
#[derive(Debug, Clone, PartialEq)]
// ANCHOR: lr_decay
pub struct LrDecay<F, O> {
    pub optimizer: O,
    pub initial_lr: F,
    pub decay: F,
    pub iterations: usize,
}

impl<F: Float, O: Optimizer<F>> Optimizer<F> for LrDecay<F, O> {
    fn update(&mut self, params: Vec<(ArrayViewMutD<'_, F>, ArrayViewD<'_, F>)>) {
        let lr = decayed_learning_rate(self.initial_lr, self.decay, self.iterations);
        self.optimizer.set_learning_rate(lr);
        self.optimizer.update(params);
        self.iterations += 1;
    }
    // ANCHOR_END: lr_decay

    fn learning_rate(&self) -> F {
        decayed_learning_rate(self.initial_lr, self.decay, self.iterations)
    }

    fn set_learning_rate(&mut self, lr: F) {
        self.initial_lr = lr;
    }
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

#[cfg(test)]
mod tests;
