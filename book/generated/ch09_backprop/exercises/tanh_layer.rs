//! Exercise: a tanh layer, whose backward pass you write.

use ch03_layers::Float;
use ndarray::Array2;

use crate::Layer;

// ANCHOR: exercise
// ANCHOR: signature
/// The backward pass of tanh, written with its output `y = tanh(x)` as the Sigmoid layer's is
/// written with `σ(x)`: `dx = dout · tanh′(x)`, entry by entry.
///
/// # Panics
/// If `y` and `dout` have different shapes (ndarray says "incompatible shapes").
pub fn tanh_backward<F: Float>(y: &Array2<F>, dout: &Array2<F>) -> Array2<F> {
    // ANCHOR_END: signature
    // ANCHOR: solution
    todo!("exercise tanh_layer")
    // ANCHOR_END: solution
}
// ANCHOR_END: exercise

/// The tanh layer: `y = tanh(x)` forward, [`tanh_backward`] backward.
#[derive(Debug, Clone, PartialEq)]
pub struct Tanh<F> {
    out: Array2<F>, // the output of the last forward pass
}

impl<F: Float> Default for Tanh<F> {
    fn default() -> Self {
        Tanh {
            out: Array2::zeros((0, 0)),
        }
    }
}

impl<F: Float> Layer<F> for Tanh<F> {
    fn forward(&mut self, x: &Array2<F>) -> Array2<F> {
        self.out = x.mapv(F::tanh);
        self.out.clone()
    }

    fn backward(&mut self, dout: &Array2<F>) -> Array2<F> {
        tanh_backward(&self.out, dout)
    }
}

// ANCHOR: tests
#[cfg(test)]
mod tests {
    use super::{Tanh, tanh_backward};
    use crate::check_layer;
    use ndarray::array;

    #[test]
    fn at_zero_dout_passes_unchanged() {
        let dx = tanh_backward(&array![[0.0, 0.0]], &array![[2.0, -3.0]]);
        assert_eq!(dx, array![[2.0, -3.0]]);
    }

    #[test]
    fn the_tanh_layer_passes_the_gradient_check() {
        let mut rng = seeded_rng::rng(1);
        let x = seeded_rng::randn::<f64>(&mut rng, (3, 4));
        let dout = seeded_rng::randn::<f64>(&mut rng, (3, 4));
        let checks = check_layer(&mut Tanh::default(), &x, &dout);
        assert!(checks[0].max < 1e-7, "{:?}", checks[0]);
    }
    // ANCHOR_END: tests

    #[test]
    fn backward_is_dout_times_the_derivative() {
        use ch04_activations::tanh_derivative;
        let x = array![[-2.0, -0.5, 0.3, 1.7]];
        let dout = array![[1.0, 2.0, -1.0, 0.5]];
        let dx = tanh_backward(&x.mapv(f64::tanh), &dout);
        for i in 0..4 {
            let expected = dout[[0, i]] * tanh_derivative(x[[0, i]]);
            assert!((dx[[0, i]] - expected).abs() < 1e-12, "entry {i}");
        }
    }
}
