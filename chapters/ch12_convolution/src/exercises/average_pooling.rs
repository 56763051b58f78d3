//! Exercise: average pooling, a layer that keeps the mean of each window.

use ch03_layers::{Float, float};
use ch09_backprop::Layer;
use ndarray::Array2;

use crate::{Shape, size_of};

/// Average pooling over `size × size` windows, stride `size`, of images of shape `input`
/// (one image a row, as every layer of the chapter takes them).
#[derive(Debug, Clone, PartialEq)]
pub struct AveragePooling {
    pub size: usize,
    pub input: Shape, // (C, H, W)
}

// ANCHOR: exercise
// ANCHOR: signature
/// ```text
/// forward:  y = the mean of the window's k² entries
/// backward: dx = dout / k² at every entry of the window
/// ```
impl<F: Float> Layer<F> for AveragePooling {
    fn forward(&mut self, x: &Array2<F>) -> Array2<F> {
        // ANCHOR_END: signature
        // ANCHOR: solution
        let ((c, h, w), k) = (self.input, self.size);
        let (oh, ow) = (h / k, w / k);
        let mut y = Array2::zeros((x.nrows(), c * oh * ow));
        let share = float::<F>(1.0 / (k * k) as f64);
        for (x, mut y) in x.rows().into_iter().zip(y.rows_mut()) {
            for ch in 0..c {
                for i in 0..oh * k {
                    for j in 0..ow * k {
                        let out = ch * oh * ow + (i / k) * ow + j / k;
                        y[out] = y[out] + x[ch * h * w + i * w + j] * share;
                    }
                }
            }
        }
        y
        // ANCHOR_END: solution
    }

    fn backward(&mut self, dout: &Array2<F>) -> Array2<F> {
        // ANCHOR: solution
        let ((c, h, w), k) = (self.input, self.size);
        let (oh, ow) = (h / k, w / k);
        let mut dx = Array2::zeros((dout.nrows(), size_of(self.input)));
        let share = float::<F>(1.0 / (k * k) as f64);
        for (dout, mut dx) in dout.rows().into_iter().zip(dx.rows_mut()) {
            for ch in 0..c {
                for i in 0..oh * k {
                    for j in 0..ow * k {
                        dx[ch * h * w + i * w + j] =
                            dout[ch * oh * ow + (i / k) * ow + j / k] * share;
                    }
                }
            }
        }
        dx
        // ANCHOR_END: solution
    }
}
// ANCHOR_END: exercise

// ANCHOR: tests
#[cfg(test)]
mod tests {
    use super::AveragePooling;
    use ch09_backprop::{Layer, check_layer};
    use ndarray::array;

    #[test]
    fn forward_keeps_the_mean_of_each_window() {
        let mut pool = AveragePooling {
            size: 2,
            input: (1, 2, 4),
        };
        let x = array![[1.0, 3.0, 0.0, -1.0, 2.0, 2.0, 4.0, 1.0]];
        assert_eq!(pool.forward(&x), array![[2.0, 1.0]]);
    }

    #[test]
    fn channels_are_pooled_apart() {
        let mut pool = AveragePooling {
            size: 2,
            input: (2, 2, 2),
        };
        let x = array![[1.0, 1.0, 1.0, 1.0, 8.0, 0.0, 0.0, 0.0]];
        assert_eq!(pool.forward(&x), array![[1.0, 2.0]]);
    }

    #[test]
    fn backward_shares_the_gradient_equally() {
        let mut pool = AveragePooling {
            size: 2,
            input: (1, 2, 2),
        };
        pool.forward(&array![[5.0, 1.0, 2.0, 3.0]]);
        assert_eq!(pool.backward(&array![[8.0]]), array![[2.0, 2.0, 2.0, 2.0]]);
    }

    #[test]
    fn passes_the_gradient_check() {
        let mut rng = seeded_rng::rng(9);
        let mut pool = AveragePooling {
            size: 2,
            input: (2, 4, 6),
        };
        let x = seeded_rng::randn::<f64>(&mut rng, (3, 48));
        let dout = seeded_rng::randn::<f64>(&mut rng, (3, 12));
        let checks = check_layer(&mut pool, &x, &dout);
        assert!(
            checks[0].max < 1e-8 && checks[0].scale > 0.05,
            "{:?}",
            checks[0]
        );
    }
}
// ANCHOR_END: tests
