//! Exercise: Nesterov momentum, which looks ahead before it steps.

use ch03_layers::{Float, float};
use ndarray::{ArrayD, ArrayViewD, ArrayViewMutD, Zip};

use crate::{MOMENTUM, Optimizer, state_for};

// ANCHOR: exercise
// ANCHOR: signature
/// Nesterov momentum: the velocity is updated as in [`crate::Momentum`], but the step takes
/// the gradient once more on top of the velocity's pull, as if the gradient had been measured
/// where the velocity is about to carry the parameter.
///
/// ```text
/// v ← α v − η ∂L/∂W
/// W ← W + α v − η ∂L/∂W
/// ```
pub struct Nesterov<F> {
    pub lr: F,
    pub momentum: F,
    v: Vec<ArrayD<F>>,
}

impl<F: Float> Nesterov<F> {
    /// Nesterov momentum with learning rate `lr` and α = 0.9.
    pub fn new(lr: F) -> Self {
        Nesterov {
            lr,
            momentum: float(MOMENTUM),
            v: Vec::new(),
        }
    }
}

impl<F: Float> Optimizer<F> for Nesterov<F> {
    fn learning_rate(&self) -> F {
        self.lr
    }

    fn set_learning_rate(&mut self, lr: F) {
        self.lr = lr;
    }

    fn update(&mut self, params_and_grads: Vec<(ArrayViewMutD<'_, F>, ArrayViewD<'_, F>)>) {
        // ANCHOR_END: signature
        // ANCHOR: solution
        todo!("exercise nesterov")
        // ANCHOR_END: solution
    }
}
// ANCHOR_END: exercise

// ANCHOR: tests
#[cfg(test)]
mod tests {
    use super::Nesterov;
    use crate::{Momentum, Optimizer, bowl, descent_path};
    use ndarray::arr1;

    #[test]
    fn first_step_takes_the_gradient_twice() {
        let mut w = arr1(&[1.0_f64, 1.0]).into_dyn();
        let dw = arr1(&[1.0, -2.0]).into_dyn();
        Nesterov::new(0.1).update(vec![(w.view_mut(), dw.view())]);
        // v = −0.1·dw, step = 0.9·v − 0.1·dw = −0.19·dw
        assert!((w[0] - 0.81).abs() < 1e-12 && (w[1] - 1.38).abs() < 1e-12);
    }

    #[test]
    fn second_step_by_hand() {
        let mut w = arr1(&[0.0_f64]).into_dyn();
        let dw = arr1(&[1.0]).into_dyn();
        let mut nesterov = Nesterov::new(0.1);
        nesterov.update(vec![(w.view_mut(), dw.view())]); // v = −0.1, w = −0.19
        nesterov.update(vec![(w.view_mut(), dw.view())]); // v = −0.19, step = −0.171 − 0.1
        assert!((w[0] - (-0.19 - 0.271)).abs() < 1e-12, "w = {}", w[0]);
    }

    #[test]
    fn nesterov_overshoots_less_than_momentum_on_the_bowl() {
        let worst = |path: &[(f64, f64)]| path.iter().map(|p| p.0).fold(f64::MIN, f64::max);
        let momentum = descent_path(&mut Momentum::new(0.1), (-7.0, 2.0), 30);
        let nesterov = descent_path(&mut Nesterov::new(0.1), (-7.0, 2.0), 30);
        let (x, y) = nesterov[30];
        assert!(worst(&nesterov) < worst(&momentum));
        assert!(bowl(x, y) < bowl(momentum[30].0, momentum[30].1));
    }
}
// ANCHOR_END: tests
