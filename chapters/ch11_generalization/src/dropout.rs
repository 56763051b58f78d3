//! Dropout: *Deep Learning from Scratch*'s `Dropout` (`common/layers.py`), with nnfs's inverted
//! scaling.

use ch03_layers::{Float, float};
use ch09_backprop::Layer;
use ndarray::Array2;
use seeded_rng::{ChaCha8Rng, Rng, SeedableRng};

use crate::Mode;

/// The dropout layer: while training, each unit's output is dropped (set to zero) with
/// probability `ratio`, a fresh choice for every example of every batch; the units that stay
/// are scaled up by `1/(1 − ratio)`, so that the expected output equals the input. In inference
/// mode the layer passes its input on unchanged.
///
/// ```text
/// training:  mask = (u ≥ ratio) / (1 − ratio),  u ~ U(0, 1) per entry;   y = x ⊙ mask
/// inference: y = x
/// backward:  dx = dout ⊙ mask
/// ```
///
/// This is *inverted* dropout, as nnfs writes it (`np.random.binomial(1, 1 − rate, shape) /
/// (1 − rate)`). DLFS keeps the survivors as they are and multiplies by `1 − ratio` at
/// inference instead; the two agree in expectation.
///
/// ```
/// use ch09_backprop::Layer;
/// use ch11_generalization::{Dropout, Mode};
/// use ndarray::Array2;
/// let mode = Mode::default();
/// let mut dropout = Dropout::new(0.5, &mode, &mut seeded_rng::rng(0));
/// let y = dropout.forward(&Array2::<f64>::ones((100, 100)));
/// let kept = y.iter().filter(|&&v| v == 2.0).count(); // survivors, scaled by 1/(1 − 0.5)
/// assert_eq!(kept + y.iter().filter(|&&v| v == 0.0).count(), 10_000);
/// assert!((4_800..5_200).contains(&kept));
/// let y = mode.inference(|| dropout.forward(&Array2::ones((2, 3))));
/// assert_eq!(y, Array2::ones((2, 3)));
/// ```
///
/// # Panics
/// In `new`, if `ratio` is not in `[0, 1)`; in `backward`, if `dout` does not have the shape of
/// the last output.
// ANCHOR: dropout
pub struct Dropout<F> {
    ratio: f64,      // the share of units dropped while training
    mode: Mode,      // training or inference, shared with the network's other layers
    rng: ChaCha8Rng, // the layer's own random numbers, for its masks
    mask: Array2<F>, // (N, units): 0 or 1/(1 − ratio), from the last forward pass
}

impl<F: Float> Layer<F> for Dropout<F> {
    fn forward(&mut self, x: &Array2<F>) -> Array2<F> {
        if !self.mode.is_training() {
            self.mask = Array2::ones(x.raw_dim()); // everything passes, forwards and back
            return x.clone();
        }
        let keep = 1.0 - self.ratio;
        let scale: F = float(1.0 / keep);
        let rng = &mut self.rng;
        self.mask = Array2::from_shape_simple_fn(x.raw_dim(), || {
            if rng.random::<f64>() < keep {
                scale
            } else {
                F::zero()
            }
        });
        x * &self.mask
    }

    fn backward(&mut self, dout: &Array2<F>) -> Array2<F> {
        dout * &self.mask
    }
}
// ANCHOR_END: dropout

impl<F: Float> Dropout<F> {
    /// A dropout layer that drops the share `ratio` of its inputs while `mode` is training. Its
    /// random numbers are seeded from `rng`.
    pub fn new(ratio: f64, mode: &Mode, rng: &mut impl Rng) -> Self {
        assert!(
            (0.0..1.0).contains(&ratio),
            "a dropout ratio is a share of the units, at least 0 and below 1, got {ratio}"
        );
        Dropout {
            ratio,
            mode: mode.clone(),
            rng: ChaCha8Rng::seed_from_u64(rng.random()),
            mask: Array2::zeros((0, 0)),
        }
    }
}

/// A dropout layer that draws the same mask on every forward pass, for the gradient check:
/// the check runs the layer forwards hundreds of times and must see one function.
pub struct SameMask<F>(pub Dropout<F>);

impl<F: Float> Layer<F> for SameMask<F> {
    fn forward(&mut self, x: &Array2<F>) -> Array2<F> {
        let rng = self.0.rng.clone(); // where the random numbers start
        let y = self.0.forward(x);
        self.0.rng = rng; // start there again next time
        y
    }

    fn backward(&mut self, dout: &Array2<F>) -> Array2<F> {
        self.0.backward(dout)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use ch09_backprop::check_layer;
    use seeded_rng::randn;

    #[test]
    fn dropout_passes_a_gradient_check_in_f64() {
        let mut rng = seeded_rng::rng(3);
        let x = randn::<f64>(&mut rng, (4, 5));
        let dout = randn::<f64>(&mut rng, (4, 5));
        let mut layer = SameMask(Dropout::new(0.4, &Mode::default(), &mut rng));
        let checks = check_layer(&mut layer, &x, &dout);
        assert!(checks[0].max < 1e-9, "{checks:?}");
        assert!(checks[0].scale > 0.1); // not a check of zeros
    }

    #[test]
    fn dropout_keeps_the_expected_output() {
        let mut layer = Dropout::new(0.2, &Mode::default(), &mut seeded_rng::rng(1));
        let y: Array2<f64> = layer.forward(&Array2::ones((200, 500)));
        let mean = y.mean().unwrap();
        assert!((mean - 1.0).abs() < 0.01, "mean {mean}");
    }

    #[test]
    fn dropout_draws_a_new_mask_each_pass() {
        let mut layer = Dropout::new(0.5, &Mode::default(), &mut seeded_rng::rng(1));
        let x = Array2::<f32>::ones((10, 10));
        assert_ne!(layer.forward(&x), layer.forward(&x));
    }

    #[test]
    fn in_inference_the_gradient_passes_unchanged() {
        let mode = Mode::default();
        let mut layer = Dropout::new(0.5, &mode, &mut seeded_rng::rng(1));
        let dout = Array2::from_elem((3, 4), 2.0f32);
        let dx = mode.inference(|| {
            layer.forward(&Array2::ones((3, 4)));
            layer.backward(&dout)
        });
        assert_eq!(dx, dout);
    }

    #[test]
    #[should_panic(expected = "at least 0 and below 1, got 1")]
    fn dropping_everything_is_refused() {
        Dropout::<f32>::new(1.0, &Mode::default(), &mut seeded_rng::rng(0));
    }
}
