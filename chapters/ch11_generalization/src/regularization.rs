//! Penalties on the size of the weights: L2 (weight decay) and L1, their gradients, and an
//! optimizer wrapper that adds either to the gradient. nnfs chapter 14; *Deep Learning from
//! Scratch* §6.4.2.

use std::fmt;

use ch03_layers::{Float, float};
use ch09_backprop::Sequential;
use ch10_optimizers::{Optimizer, is_decayed};
use ndarray::{ArrayD, ArrayViewD, ArrayViewMutD};

/// A penalty added to the loss for the size of every weight matrix (biases are left alone).
///
/// ```text
/// L2(λ):  λ/2 · Σ w²      gradient  λ · w
/// L1(λ):  λ · Σ |w|       gradient  λ · sign(w)   (0 at w = 0)
/// ```
///
/// NumPy (nnfs): `layer.weight_regularizer_l2 * np.sum(layer.weights * layer.weights)` (nnfs
/// leaves out the ½, so its λ is half of ours) and `np.sum(np.abs(layer.weights))`.
///
/// ```
/// use ch11_generalization::Penalty;
/// use ndarray::array;
/// let w = array![[1.0, -2.0], [0.0, 3.0]].into_dyn();
/// assert_eq!(Penalty::L2(0.5).value(&w.view()), 3.5); // 0.25 · (1 + 4 + 0 + 9)
/// assert_eq!(Penalty::L1(0.5).value(&w.view()), 3.0); // 0.5 · (1 + 2 + 0 + 3)
/// let g = Penalty::L1(0.5).gradient(&w.view());
/// assert_eq!(g, array![[0.5, -0.5], [0.0, 0.5]].into_dyn());
/// ```
// ANCHOR: penalty
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Penalty {
    L2(f64), // λ
    L1(f64), // λ
}

impl Penalty {
    /// The penalty of one weight matrix.
    pub fn value<F: Float>(&self, w: &ArrayViewD<'_, F>) -> F {
        match *self {
            Penalty::L2(lambda) => float::<F>(lambda / 2.0) * w.mapv(|v| v * v).sum(),
            Penalty::L1(lambda) => float::<F>(lambda) * w.mapv(|v| v.abs()).sum(),
        }
    }

    /// The gradient of the penalty of one weight matrix.
    pub fn gradient<F: Float>(&self, w: &ArrayViewD<'_, F>) -> ArrayD<F> {
        match *self {
            Penalty::L2(lambda) => w * float::<F>(lambda),
            Penalty::L1(lambda) => w.mapv(sign) * float::<F>(lambda),
        }
    }
}

/// −1, 0 or 1: the sign of `v` (`f64::signum` gives 1 for 0).
fn sign<F: Float>(v: F) -> F {
    if v > F::zero() {
        F::one()
    } else if v < F::zero() {
        -F::one()
    } else {
        F::zero()
    }
}
// ANCHOR_END: penalty

impl Penalty {
    /// The strength λ.
    pub fn lambda(&self) -> f64 {
        match *self {
            Penalty::L2(lambda) | Penalty::L1(lambda) => lambda,
        }
    }
}

impl fmt::Display for Penalty {
    /// `L2, λ = 0.01`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Penalty::L2(lambda) => write!(f, "L2, λ = {lambda}"),
            Penalty::L1(lambda) => write!(f, "L1, λ = {lambda}"),
        }
    }
}

/// The penalty of a whole network: the sum over its weight matrices.
///
/// ```
/// use ch10_optimizers::{multi_layer_net, Activation, Init};
/// use ch11_generalization::{Penalty, network_penalty};
/// let mut net = multi_layer_net::<f64>(&[3, 2], Activation::Relu, Init::Std(1.0), &mut seeded_rng::rng(0));
/// let w = net.params_and_grads()[0].0.to_owned(); // the only weight matrix
/// let expected = 0.5 * w.mapv(|v| v * v).sum();
/// assert!((network_penalty(&mut net, Penalty::L2(1.0)) - expected).abs() < 1e-12);
/// ```
pub fn network_penalty<F: Float>(net: &mut Sequential<F>, penalty: Penalty) -> f64 {
    let params = net.params_and_grads();
    let weights = params.iter().filter(|(w, _)| is_decayed(w));
    let values = weights.map(|(w, _)| penalty.value(&w.view()).to_f64().unwrap_or(f64::NAN));
    values.sum()
}

/// Any optimizer, with a penalty's gradient added to the gradient of every weight matrix: the
/// weight decay wrapper of the optimizers chapter, for L1 as well as L2.
///
/// ```text
/// ∂(L + penalty)/∂W = ∂L/∂W + ∂penalty/∂W
/// ```
///
/// ```
/// use ch10_optimizers::{Optimizer, Sgd};
/// use ch11_generalization::{Penalty, Regularized};
/// use ndarray::{arr1, arr2, ArrayD};
/// let mut sgd = Regularized::new(Sgd::new(0.5), Penalty::L1(0.1));
/// let mut w = arr2(&[[2.0, -4.0]]).into_dyn();
/// let mut b = arr1(&[2.0]).into_dyn();
/// let zero_w = ArrayD::zeros(w.raw_dim());
/// let zero_b = ArrayD::zeros(b.raw_dim());
/// sgd.update(vec![(w.view_mut(), zero_w.view()), (b.view_mut(), zero_b.view())]);
/// // with no gradient, each weight moves η·λ = 0.05 towards zero, whatever its size
/// assert_eq!(w, arr2(&[[1.95, -3.95]]).into_dyn());
/// assert_eq!(b, arr1(&[2.0]).into_dyn());
/// ```
// ANCHOR: regularized
pub struct Regularized<O> {
    pub optimizer: O,
    pub penalty: Penalty,
}

impl<F: Float, O: Optimizer<F>> Optimizer<F> for Regularized<O> {
    fn update(&mut self, params: Vec<(ArrayViewMutD<'_, F>, ArrayViewD<'_, F>)>) {
        let mut grads = Vec::new(); // ∂L/∂W + ∂penalty/∂W, or ∂L/∂b for a bias
        for (w, dw) in &params {
            if is_decayed(w) {
                grads.push(dw + &self.penalty.gradient(&w.view()));
            } else {
                grads.push(dw.to_owned());
            }
        }
        let params = params.into_iter().zip(&grads);
        let penalised = params.map(|((w, _), dw)| (w, dw.view())).collect();
        self.optimizer.update(penalised);
    }
    // ANCHOR_END: regularized

    fn learning_rate(&self) -> F {
        self.optimizer.learning_rate()
    }

    fn set_learning_rate(&mut self, lr: F) {
        self.optimizer.set_learning_rate(lr);
    }
}

impl<O> Regularized<O> {
    /// Wraps `optimizer`, adding the gradient of `penalty` to every weight matrix's gradient.
    pub fn new(optimizer: O, penalty: Penalty) -> Self {
        Regularized { optimizer, penalty }
    }
}

/// The share of the network's weights (biases left out) whose size is below `threshold`.
///
/// ```
/// use ch09_backprop::{Affine, Sequential, SoftmaxWithLoss};
/// use ndarray::array;
/// let layer = Affine::from_parts(array![[0.0, 0.5], [-0.001, 2.0]], array![0.0, 0.0]);
/// let mut net = Sequential::new(vec![Box::new(layer)], SoftmaxWithLoss::default());
/// assert_eq!(ch11_generalization::share_below(&mut net, 0.01), 0.5);
/// ```
pub fn share_below<F: Float>(net: &mut Sequential<F>, threshold: f64) -> f64 {
    let (mut small, mut count) = (0, 0);
    for (w, _) in net.params_and_grads() {
        if is_decayed(&w) {
            small += w.iter().filter(|v| v.abs() < float(threshold)).count();
            count += w.len();
        }
    }
    small as f64 / count.max(1) as f64
}

#[cfg(test)]
mod tests {
    use super::*;
    use ch08_gradients::numerical_gradient;
    use seeded_rng::randn;

    #[test]
    fn each_gradient_matches_the_numerical_gradient_of_its_penalty() {
        let w = randn::<f64>(&mut seeded_rng::rng(4), (3, 4)).into_dyn();
        for penalty in [Penalty::L2(0.3), Penalty::L1(0.3)] {
            let numerical = numerical_gradient(|w| penalty.value(&w.view()), &mut w.clone());
            let analytic = penalty.gradient(&w.view());
            let max = (&numerical - &analytic)
                .mapv(f64::abs)
                .fold(0.0, |m: f64, &d| m.max(d));
            assert!(max < 1e-8, "{penalty}: {max}");
        }
    }

    #[test]
    fn l1_pulls_every_weight_by_the_same_step_l2_in_proportion() {
        let w = ndarray::array![0.1, 10.0].into_dyn();
        let l1 = Penalty::L1(1.0).gradient(&w.view());
        let l2 = Penalty::L2(1.0).gradient(&w.view());
        assert_eq!(l1[0], l1[1]);
        assert_eq!(l2[1] / l2[0], 100.0);
    }
}
