//! Exercise: the backward pass of an affine layer without a bias.

use ch03_layers::Float;
use ndarray::Array2;

// ANCHOR: exercise
// ANCHOR: signature
/// The backward pass of `y = x·W` (an Affine layer without `b`): given the input `x` of shape
/// `(N, inputs)`, the weights `w` of shape `(inputs, outputs)` and `dout` of shape
/// `(N, outputs)`, return `(dx, dw)`.
pub fn linear_backward<F: Float>(
    x: &Array2<F>,
    w: &Array2<F>,
    dout: &Array2<F>,
) -> (Array2<F>, Array2<F>) {
    // ANCHOR_END: signature
    // ANCHOR: solution
    todo!("exercise linear_backward")
    // ANCHOR_END: solution
}
// ANCHOR_END: exercise

// ANCHOR: tests
#[cfg(test)]
mod tests {
    use super::linear_backward;
    use ch08_gradients::numerical_gradient;
    use ndarray::{Array2, array};

    #[test]
    fn gradients_have_the_shapes_of_what_they_differentiate() {
        let x = Array2::<f64>::ones((5, 3)); // 5 samples, 3 inputs
        let w = Array2::ones((3, 2)); //        2 outputs
        let dout = Array2::ones((5, 2));
        let (dx, dw) = linear_backward(&x, &w, &dout);
        assert_eq!((dx.dim(), dw.dim()), ((5, 3), (3, 2)));
    }

    #[test]
    fn dw_matches_the_numerical_gradient() {
        let x: Array2<f64> = array![[1.0, -2.0], [0.5, 3.0], [-1.0, 0.0]];
        let w = array![[0.2, -0.4, 0.6], [1.0, 0.1, -0.3]];
        let dout = array![[1.0, 0.0, -1.0], [2.0, 1.0, 0.5], [-0.5, 1.5, 1.0]];
        let (_, dw) = linear_backward(&x, &w, &dout);
        let numerical = numerical_gradient(|w| (x.dot(w) * &dout).sum(), &mut w.clone());
        assert!((&dw - &numerical).iter().all(|d| d.abs() < 1e-9));
    }
    // ANCHOR_END: tests

    #[test]
    fn it_agrees_with_an_affine_layer_whose_bias_is_zero() {
        use crate::{Affine, Layer};
        use ndarray::Array1;
        use seeded_rng::randn;
        let mut rng = seeded_rng::rng(3);
        let (x, w, dout) = (
            randn::<f64>(&mut rng, (4, 3)),
            randn::<f64>(&mut rng, (3, 2)),
            randn::<f64>(&mut rng, (4, 2)),
        );
        let mut affine = Affine::from_parts(w.clone(), Array1::zeros(2));
        affine.forward(&x);
        let affine_dx = affine.backward(&dout);
        let (dx, dw) = linear_backward(&x, &w, &dout);
        assert!((&dx - &affine_dx).iter().all(|d| d.abs() < 1e-12));
        assert!((&dw - &affine.dw).iter().all(|d| d.abs() < 1e-12));
    }
}
