//! Exercise: AdamW, Adam with decoupled weight decay.

use ch03_layers::Float;
use ndarray::{ArrayViewD, ArrayViewMutD};

use crate::{Adam, Optimizer, is_decayed};

// ANCHOR: exercise
// ANCHOR: signature
/// AdamW (Loshchilov and Hutter, 2019): weight decay taken out of the gradient. Before each
/// Adam step every weight matrix shrinks by the fraction `η·λ` of itself; biases do not decay.
/// Adam then steps with the plain gradient.
///
/// ```text
/// W ← W − η λ W        (weight matrices only)
/// then Adam's update with ∂L/∂W
/// ```
pub struct AdamW<F> {
    pub adam: Adam<F>,
    /// λ: the fraction of each weight removed per unit of learning rate.
    pub weight_decay: F,
}

impl<F: Float> Optimizer<F> for AdamW<F> {
    fn learning_rate(&self) -> F {
        self.adam.lr
    }

    fn set_learning_rate(&mut self, lr: F) {
        self.adam.lr = lr;
    }

    fn update(&mut self, mut params_and_grads: Vec<(ArrayViewMutD<'_, F>, ArrayViewD<'_, F>)>) {
        // ANCHOR_END: signature
        // ANCHOR: solution
        todo!("exercise adamw")
        // ANCHOR_END: solution
    }
}
// ANCHOR_END: exercise

// ANCHOR: tests
#[cfg(test)]
mod tests {
    use super::AdamW;
    use crate::{Adam, Optimizer, WeightDecay};
    use ndarray::{ArrayD, arr1, arr2};

    fn adamw(weight_decay: f64) -> AdamW<f64> {
        let adam = Adam::new(0.1);
        AdamW { adam, weight_decay }
    }

    #[test]
    fn with_no_gradient_weights_shrink_in_proportion() {
        let mut w = arr2(&[[2.0, -40.0]]).into_dyn();
        let dw = ArrayD::zeros(w.raw_dim());
        adamw(0.5).update(vec![(w.view_mut(), dw.view())]);
        // each weight loses η·λ = 5% of itself, large or small
        assert!((w[[0, 0]] - 1.9).abs() < 1e-12 && (w[[0, 1]] + 38.0).abs() < 1e-12);
    }

    #[test]
    fn biases_do_not_decay() {
        let mut b = arr1(&[3.0]).into_dyn();
        let db = arr1(&[0.0]).into_dyn();
        adamw(0.5).update(vec![(b.view_mut(), db.view())]);
        assert_eq!(b[0], 3.0);
    }

    #[test]
    fn it_differs_from_l2_decay_inside_adam() {
        // L2 decay puts λW into the gradient, which Adam normalises: a first step of η
        let mut w_l2 = arr2(&[[-40.0]]).into_dyn();
        let mut w_adamw = w_l2.clone();
        let dw = ArrayD::zeros(w_l2.raw_dim());
        WeightDecay::new(Adam::new(0.1), 0.5).update(vec![(w_l2.view_mut(), dw.view())]);
        adamw(0.5).update(vec![(w_adamw.view_mut(), dw.view())]);
        assert!((w_l2[[0, 0]] + 39.9).abs() < 1e-6); // a step of η = 0.1
        assert!((w_adamw[[0, 0]] + 38.0).abs() < 1e-12); // a step of 5% of 40
    }
}
// ANCHOR_END: tests

#[cfg(test)]
mod more_tests {
    use super::AdamW;
    use crate::{Adam, Optimizer};
    use ndarray::arr2;

    #[test]
    fn with_no_decay_it_is_adam() {
        let mut adamw = AdamW {
            adam: Adam::new(0.1),
            weight_decay: 0.0,
        };
        let mut adam = Adam::new(0.1);
        let mut w1 = arr2(&[[1.0, -1.0]]).into_dyn();
        let mut w2 = w1.clone();
        let dw = arr2(&[[0.3, 0.2]]).into_dyn();
        adamw.update(vec![(w1.view_mut(), dw.view())]);
        adam.update(vec![(w2.view_mut(), dw.view())]);
        assert_eq!(w1, w2);
    }
}
