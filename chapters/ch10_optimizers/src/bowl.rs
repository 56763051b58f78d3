//! The bowl of *Deep Learning from Scratch* §6.1 (`ch06/optimizer_compare_naive.py`): a
//! function of two variables, steep in one direction and gentle in the other, on which every
//! step of an optimizer can be watched.

use ndarray::arr1;

use crate::Optimizer;

/// The test function of *Deep Learning from Scratch* §6.1, lowest at the origin. Its
/// curvature along `y` is 20 times that along `x`, so its contour lines are ellipses √20 ≈ 4.5
/// times longer (along `x`) than wide.
///
/// ```text
/// f(x, y) = x²/20 + y²
/// ```
///
/// ```
/// use ch10_optimizers::bowl;
/// assert_eq!(bowl(-7.0, 2.0), 6.45); // 49/20 + 4
/// ```
// ANCHOR: bowl
pub fn bowl(x: f64, y: f64) -> f64 {
    x * x / 20.0 + y * y
}
// ANCHOR_END: bowl

/// The gradient of [`bowl`]: gentle along `x`, steep along `y`.
///
/// ```text
/// ∇f(x, y) = (x/10, 2y)
/// ```
// ANCHOR: bowl_gradient
pub fn bowl_gradient(x: f64, y: f64) -> (f64, f64) {
    (x / 10.0, 2.0 * y)
}
// ANCHOR_END: bowl_gradient

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
// ANCHOR: descent_path
pub fn descent_path(
    optimizer: &mut dyn Optimizer<f64>,
    start: (f64, f64),
    steps: usize,
) -> Vec<(f64, f64)> {
    let mut position = arr1(&[start.0, start.1]).into_dyn();
    let mut path = vec![start];
    for _ in 0..steps {
        let (dx, dy) = bowl_gradient(position[0], position[1]);
        let gradient = arr1(&[dx, dy]).into_dyn();
        optimizer.update(vec![(position.view_mut(), gradient.view())]);
        path.push((position[0], position[1]));
    }
    path
}
// ANCHOR_END: descent_path

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{AdaGrad, Adam, Momentum, RmsProp, Sgd};

    #[test]
    fn sgd_on_the_bowl_matches_the_formula() {
        // x and y shrink by constant factors: x by (1 − η/10), y by (1 − 2η)
        let path = descent_path(&mut Sgd::new(0.95), (-7.0, 2.0), 30);
        assert_eq!(path.len(), 31);
        let (x, y) = path[30];
        assert!((x - -7.0 * 0.905f64.powi(30)).abs() < 1e-12);
        assert!((y - 2.0 * (-0.9f64).powi(30)).abs() < 1e-12);
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
