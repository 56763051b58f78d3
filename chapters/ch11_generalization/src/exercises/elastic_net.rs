//! Exercise: the gradient of L1 and L2 together (the "elastic net").

use ch03_layers::{Float, float};
use ndarray::{ArrayD, ArrayViewD};

/// The elastic-net penalty of one weight matrix: L1 and L2 added, with strengths `l1` and
/// `l2`.
///
/// ```text
/// penalty = l1 · Σ |w| + l2/2 · Σ w²
/// ```
pub fn elastic_net<F: Float>(w: &ArrayViewD<'_, F>, l1: f64, l2: f64) -> F {
    let abs: F = w.mapv(|v| v.abs()).sum();
    let squares: F = w.mapv(|v| v * v).sum();
    float::<F>(l1) * abs + float::<F>(l2 / 2.0) * squares
}

// ANCHOR: exercise
// ANCHOR: signature
/// The gradient of [`elastic_net`] with respect to `w`, taking the slope of |w| at 0 to be 0.
///
/// ```text
/// ∂penalty/∂w = l1 · sign(w) + l2 · w
/// ```
pub fn elastic_net_gradient<F: Float>(w: &ArrayViewD<'_, F>, l1: f64, l2: f64) -> ArrayD<F> {
    // ANCHOR_END: signature
    // ANCHOR: solution
    let (l1, l2): (F, F) = (float(l1), float(l2));
    w.mapv(|v| {
        let sign = if v > F::zero() {
            F::one()
        } else if v < F::zero() {
            -F::one()
        } else {
            F::zero()
        };
        l1 * sign + l2 * v
    })
    // ANCHOR_END: solution
}
// ANCHOR_END: exercise

// ANCHOR: tests
#[cfg(test)]
mod tests {
    use super::{elastic_net, elastic_net_gradient};
    use crate::Penalty;
    use ch08_gradients::numerical_gradient;
    use ndarray::array;
    use seeded_rng::randn;

    #[test]
    fn matches_the_numerical_gradient_of_the_penalty() {
        let w = randn::<f64>(&mut seeded_rng::rng(2), (3, 5)).into_dyn();
        let numerical = numerical_gradient(|w| elastic_net(&w.view(), 0.2, 0.7), &mut w.clone());
        let gradient = elastic_net_gradient(&w.view(), 0.2, 0.7);
        let worst = (&numerical - &gradient)
            .mapv(f64::abs)
            .fold(0.0, |m: f64, &d| m.max(d));
        assert!(worst < 1e-8, "off by {worst}");
    }

    #[test]
    fn is_l1_alone_or_l2_alone_when_the_other_is_zero() {
        let w = array![[0.5, -2.0], [0.0, 3.0]].into_dyn();
        let l1 = elastic_net_gradient(&w.view(), 0.1, 0.0);
        assert_eq!(l1, Penalty::L1(0.1).gradient(&w.view()));
        let l2 = elastic_net_gradient(&w.view(), 0.0, 0.1);
        assert_eq!(l2, Penalty::L2(0.1).gradient(&w.view()));
    }

    #[test]
    fn a_zero_weight_feels_no_pull() {
        let w = array![0.0f32, 0.0].into_dyn();
        assert_eq!(
            elastic_net_gradient(&w.view(), 1.0, 1.0),
            array![0.0f32, 0.0].into_dyn()
        );
    }
}
// ANCHOR_END: tests
