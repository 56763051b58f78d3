//! Batch normalisation: *Deep Learning from Scratch*'s `BatchNormalization`
//! (`common/layers.py`), for layers of units.

use ch03_layers::{Float, float};
use ch09_backprop::Layer;
use ndarray::{Array1, Array2, ArrayViewD, ArrayViewMutD, Axis};

use crate::Mode;

/// How much of the running statistics each batch keeps: DLFS's `momentum`, 0.9.
pub const MOMENTUM: f64 = 0.9;
/// Added to the variance before its square root, so that a unit that never varies does not
/// divide by zero: DLFS's `10e-7`, which is 10⁻⁶.
pub const EPSILON: f64 = 1e-6;

/// The batch normalisation layer: while training, every unit's values are normalised over the
/// batch to mean 0 and variance 1, then scaled by `γ` and shifted by `β`, two parameters per
/// unit that the network learns. It also keeps running averages of each unit's mean and
/// variance; in inference mode it normalises with those instead, so that an example's output
/// does not depend on the other examples of its batch.
///
/// ```text
/// training:  μ = mean over the batch of x,  σ² = mean of (x − μ)²
///            x̂ = (x − μ) / √(σ² + ε)            y = γ ⊙ x̂ + β
///            running μ ← 0.9 · running μ + 0.1 · μ   (and the same for σ²)
/// inference: x̂ = (x − running μ) / √(running σ² + ε),  y = γ ⊙ x̂ + β
/// ```
///
/// ```
/// use ch09_backprop::Layer;
/// use ch11_generalization::{BatchNorm, Mode};
/// use ndarray::array;
/// let mut bn = BatchNorm::new(2, &Mode::default());
/// let y = bn.forward(&array![[1.0f64, 10.0], [3.0, 30.0]]);
/// // each column normalised: mean 0, variance 1 (nearly: ε = 10⁻⁶ is added to the variance)
/// assert!((y[[0, 0]] + 1.0).abs() < 1e-5 && (y[[1, 1]] - 1.0).abs() < 1e-8);
/// // the running mean moved a tenth of the way from 0 to the batch mean
/// assert!((bn.running_mean[0] - 0.2).abs() < 1e-12 && (bn.running_mean[1] - 2.0).abs() < 1e-12);
/// ```
///
/// # Panics
/// In `forward`, if `x` does not have one column per unit; in `backward`, if `dout` does not
/// have the shape of the last input.
// ANCHOR: batch_norm
pub struct BatchNorm<F> {
    pub gamma: Array1<F>,        // (units): the scale, learned
    pub beta: Array1<F>,         // (units): the shift, learned
    pub dgamma: Array1<F>,       // (units)
    pub dbeta: Array1<F>,        // (units)
    pub running_mean: Array1<F>, // (units): for inference
    pub running_var: Array1<F>,  // (units): for inference
    mode: Mode,
    xc: Array2<F>,  // (N, units): x − μ, from the last forward pass
    std: Array1<F>, // (units): √(σ² + ε)
    xn: Array2<F>,  // (N, units): x̂
}
// ANCHOR_END: batch_norm

impl<F: Float> Layer<F> for BatchNorm<F> {
    // ANCHOR: batch_norm_forward
    fn forward(&mut self, x: &Array2<F>) -> Array2<F> {
        let eps: F = float(EPSILON);
        if !self.mode.is_training() {
            let std = self.running_var.mapv(|v| (v + eps).sqrt());
            return (x - &self.running_mean) / &std * &self.gamma + &self.beta;
        }
        let n: F = float(x.nrows() as f64);
        let mu = x.sum_axis(Axis(0)) / n;
        let xc = x - &mu;
        let var = (&xc * &xc).sum_axis(Axis(0)) / n;
        let std = var.mapv(|v| (v + eps).sqrt());
        let xn = &xc / &std;

        let (keep, new): (F, F) = (float(MOMENTUM), float(1.0 - MOMENTUM));
        self.running_mean = &self.running_mean * keep + &(mu * new);
        self.running_var = &self.running_var * keep + &(var * new);

        let y = &xn * &self.gamma + &self.beta;
        (self.xc, self.std, self.xn) = (xc, std, xn);
        y
    }
    // ANCHOR_END: batch_norm_forward

    // ANCHOR: batch_norm_backward
    fn backward(&mut self, dout: &Array2<F>) -> Array2<F> {
        let n: F = float(dout.nrows() as f64);
        self.dbeta = dout.sum_axis(Axis(0));
        self.dgamma = (&self.xn * dout).sum_axis(Axis(0));

        let dxn = dout * &self.gamma;
        let dxc = &dxn / &self.std; // through x̂ = xc / std directly …
        let dstd = -(&dxn * &self.xc / &(&self.std * &self.std)).sum_axis(Axis(0));
        let dvar = dstd / &self.std * float::<F>(0.5); // … and through std = √(var + ε)
        let dxc = dxc + &(&self.xc * &dvar * (float::<F>(2.0) / n)); // var = mean of xc²
        let dmu = dxc.sum_axis(Axis(0)); // xc = x − μ
        dxc - &(dmu / n)
    }
    // ANCHOR_END: batch_norm_backward

    fn params_and_grads(&mut self) -> Vec<(ArrayViewMutD<'_, F>, ArrayViewD<'_, F>)> {
        vec![
            (
                self.gamma.view_mut().into_dyn(),
                self.dgamma.view().into_dyn(),
            ),
            (
                self.beta.view_mut().into_dyn(),
                self.dbeta.view().into_dyn(),
            ),
        ]
    }
}

impl<F: Float> BatchNorm<F> {
    /// A batch normalisation layer for `units` units that starts as the identity while
    /// training (γ = 1, β = 0). The running mean starts at 0 and the running variance at 1, as
    /// in PyTorch (DLFS starts both at 0), so that inference before any training passes values
    /// through almost unchanged.
    pub fn new(units: usize, mode: &Mode) -> Self {
        BatchNorm {
            gamma: Array1::ones(units),
            beta: Array1::zeros(units),
            dgamma: Array1::zeros(units),
            dbeta: Array1::zeros(units),
            running_mean: Array1::zeros(units),
            running_var: Array1::ones(units),
            mode: mode.clone(),
            xc: Array2::zeros((0, units)),
            std: Array1::zeros(units),
            xn: Array2::zeros((0, units)),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use ch09_backprop::check_layer;
    use ndarray::array;
    use seeded_rng::randn;

    /// A layer whose γ and β are not 1 and 0, so that a backward pass that forgot them fails.
    fn scrambled(units: usize, rng: &mut impl seeded_rng::Rng) -> BatchNorm<f64> {
        let mut bn = BatchNorm::new(units, &Mode::default());
        bn.gamma = randn::<f64>(rng, (1, units)).row(0).mapv(|g| 1.0 + 0.5 * g);
        bn.beta = randn::<f64>(rng, (1, units)).row(0).to_owned();
        bn
    }

    #[test]
    fn batch_norm_passes_a_gradient_check_in_f64() {
        let mut rng = seeded_rng::rng(5);
        let x = randn::<f64>(&mut rng, (6, 4)) * 3.0 + 1.0;
        let dout = randn::<f64>(&mut rng, (6, 4));
        let mut bn = scrambled(4, &mut rng);
        let checks = check_layer(&mut bn, &x, &dout);
        assert_eq!(checks.len(), 3); // x, γ, β
        for check in &checks {
            assert!(check.max < 1e-8, "{checks:?}");
            assert!(check.scale > 0.05, "{checks:?}");
        }
    }

    #[test]
    fn training_output_has_the_mean_beta_and_the_spread_gamma() {
        let mut rng = seeded_rng::rng(2);
        let x = randn::<f64>(&mut rng, (50, 3)) * 4.0 - 7.0;
        let mut bn = scrambled(3, &mut rng);
        let y = bn.forward(&x);
        let mean = y.sum_axis(Axis(0)) / 50.0;
        let spread = (&y - &mean).mapv(|v| v * v).sum_axis(Axis(0)) / 50.0;
        for unit in 0..3 {
            assert!((mean[unit] - bn.beta[unit]).abs() < 1e-9);
            let gamma2 = bn.gamma[unit] * bn.gamma[unit];
            assert!((spread[unit] - gamma2).abs() < 1e-4 * gamma2);
        }
    }

    #[test]
    fn inference_uses_the_running_statistics() {
        let mode = Mode::default();
        let mut bn = BatchNorm::<f64>::new(1, &mode);
        let x = array![[2.0], [4.0]]; // mean 3, variance 1
        for _ in 0..200 {
            bn.forward(&x);
        }
        assert!((bn.running_mean[0] - 3.0).abs() < 1e-6);
        assert!((bn.running_var[0] - 1.0).abs() < 1e-6);
        // one example alone, normalised with the statistics of the training batches
        let y = mode.inference(|| bn.forward(&array![[5.0]]));
        assert!((y[[0, 0]] - 2.0).abs() < 1e-5);
    }
}
