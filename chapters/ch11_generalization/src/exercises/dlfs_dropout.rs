//! Exercise: dropout as *Deep Learning from Scratch* writes it, scaled at inference.

use ch03_layers::{Float, float};
use ch09_backprop::Layer;
use ndarray::Array2;
use seeded_rng::{ChaCha8Rng, Rng};

use crate::Mode;

// ANCHOR: exercise
// ANCHOR: signature
/// DLFS's dropout: while training, each entry is dropped with probability `ratio` and the rest
/// pass through unscaled; in inference mode every entry passes, multiplied by `1 − ratio`, the
/// share that survived on average while training.
///
/// ```text
/// training:  mask = (u > ratio), u ~ U(0, 1) per entry;   y = x ⊙ mask
/// inference: y = x · (1 − ratio)
/// backward:  dx = dout ⊙ mask
/// ```
pub struct DlfsDropout<F> {
    pub ratio: f64,
    pub mode: Mode,
    pub rng: ChaCha8Rng,
    pub mask: Array2<F>, // (N, units): 1 or 0 from the last forward pass while training
}

impl<F: Float> Layer<F> for DlfsDropout<F> {
    fn backward(&mut self, dout: &Array2<F>) -> Array2<F> {
        dout * &self.mask
    }

    fn forward(&mut self, x: &Array2<F>) -> Array2<F> {
        // ANCHOR_END: signature
        // ANCHOR: solution
        if !self.mode.is_training() {
            return x * float::<F>(1.0 - self.ratio);
        }
        let (ratio, rng) = (self.ratio, &mut self.rng);
        self.mask = Array2::from_shape_simple_fn(x.raw_dim(), || {
            if rng.random::<f64>() > ratio {
                F::one()
            } else {
                F::zero()
            }
        });
        x * &self.mask
        // ANCHOR_END: solution
    }
}
// ANCHOR_END: exercise

// ANCHOR: tests
#[cfg(test)]
mod tests {
    use super::DlfsDropout;
    use crate::Mode;
    use ch09_backprop::Layer;
    use ndarray::Array2;
    use seeded_rng::SeedableRng;

    fn layer(ratio: f64, mode: &Mode) -> DlfsDropout<f64> {
        DlfsDropout {
            ratio,
            mode: mode.clone(),
            rng: seeded_rng::ChaCha8Rng::seed_from_u64(7),
            mask: Array2::zeros((0, 0)),
        }
    }

    #[test]
    fn training_keeps_or_drops_each_entry_unscaled() {
        let mut dropout = layer(0.3, &Mode::default());
        let x = Array2::from_elem((100, 100), 2.0);
        let y = dropout.forward(&x);
        assert!(y.iter().all(|&v| v == 0.0 || v == 2.0));
        let kept = y.iter().filter(|&&v| v == 2.0).count();
        assert!((6_700..7_300).contains(&kept), "{kept} of 10,000 kept");
    }

    #[test]
    fn inference_scales_by_the_share_kept() {
        let mode = Mode::default();
        let mut dropout = layer(0.25, &mode);
        let y = mode.inference(|| dropout.forward(&Array2::from_elem((2, 3), 4.0)));
        assert_eq!(y, Array2::from_elem((2, 3), 3.0));
    }

    #[test]
    fn training_output_averages_to_the_inference_output() {
        let mode = Mode::default();
        let mut dropout = layer(0.4, &mode);
        let x = Array2::from_elem((200, 200), 1.0);
        let trained = dropout.forward(&x).mean().unwrap();
        let inferred = mode.inference(|| dropout.forward(&x)).mean().unwrap();
        assert!(
            (trained - inferred).abs() < 0.01,
            "{trained} against {inferred}"
        );
    }
}
// ANCHOR_END: tests

/// The gradient check, kept off the page (it needs a wrapper that replays the same mask).
#[cfg(test)]
mod gradient_check {
    use super::DlfsDropout;
    use crate::Mode;
    use ch09_backprop::{Layer, check_layer};
    use ndarray::Array2;
    use seeded_rng::{SeedableRng, randn};

    #[test]
    fn the_mask_it_keeps_is_the_one_backward_needs() {
        let mut rng = seeded_rng::rng(1);
        let x = randn::<f64>(&mut rng, (4, 5));
        let dout = randn::<f64>(&mut rng, (4, 5));
        // the same mask on every forward pass: start the random numbers afresh each time
        struct Fixed(DlfsDropout<f64>);
        impl Layer<f64> for Fixed {
            fn forward(&mut self, x: &Array2<f64>) -> Array2<f64> {
                self.0.rng = seeded_rng::ChaCha8Rng::seed_from_u64(7);
                self.0.forward(x)
            }
            fn backward(&mut self, dout: &Array2<f64>) -> Array2<f64> {
                self.0.backward(dout)
            }
        }
        let checks = check_layer(
            &mut Fixed(DlfsDropout {
                ratio: 0.5,
                mode: Mode::default(),
                rng: seeded_rng::ChaCha8Rng::seed_from_u64(7),
                mask: Array2::zeros((0, 0)),
            }),
            &x,
            &dout,
        );
        assert!(checks[0].max < 1e-9 && checks[0].scale > 0.1, "{checks:?}");
    }
}
