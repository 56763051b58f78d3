//! A network of any depth with dropout and batch normalisation: *Deep Learning from
//! Scratch*'s `MultiLayerNetExtend` (`common/multi_layer_net_extend.py`).

use ch03_layers::Float;
use ch09_backprop::{Affine, Layer, Relu, Sequential, SoftmaxWithLoss};
use ch10_optimizers::Init;
use seeded_rng::Rng;

use crate::{BatchNorm, Dropout, Mode};

/// What a hidden layer has besides its Affine layer and ReLU.
#[derive(Debug, Clone, Copy, PartialEq, Default)]
pub struct Extras {
    /// Batch normalisation between the Affine layer and the ReLU.
    pub batch_norm: bool,
    /// The dropout ratio after the ReLU (0: no dropout layer).
    pub dropout: f64,
}

/// The optimizers chapter's `multi_layer_net` with `extras` in every hidden layer: Affine →
/// (BatchNorm) → ReLU → (Dropout), then a last Affine and Softmax-with-loss. Every dropout and
/// batch normalisation layer reads `mode`.
///
/// NumPy (DLFS): `MultiLayerNetExtend(input_size=784, hidden_size_list=[100] * 5,
/// output_size=10, use_dropout=True, dropout_ration=0.2, use_batchnorm=True)`.
///
/// ```
/// use ch10_optimizers::Init;
/// use ch11_generalization::{Extras, Mode, multi_layer_net_extend};
/// let extras = Extras { batch_norm: true, dropout: 0.2 };
/// let mode = Mode::default();
/// let net = multi_layer_net_extend::<f32>(&[784, 100, 100, 10], Init::He, extras, &mode, &mut seeded_rng::rng(0));
/// assert_eq!(net.layers.len(), 4 + 4 + 1); // (Affine, BatchNorm, ReLU, Dropout) twice, Affine
/// ```
///
/// # Panics
/// If `sizes` has fewer than two entries, or the dropout ratio is not in `[0, 1)`.
// ANCHOR: network
pub fn multi_layer_net_extend<F: Float>(
    sizes: &[usize],
    init: Init,
    extras: Extras,
    mode: &Mode,
    rng: &mut impl Rng,
) -> Sequential<F> {
    assert!(
        sizes.len() >= 2,
        "a network needs an input and an output size"
    );
    let mut layers: Vec<Box<dyn Layer<F>>> = Vec::new();
    for i in 1..sizes.len() {
        let (n_in, n_out) = (sizes[i - 1], sizes[i]);
        layers.push(Box::new(Affine::new(n_in, n_out, init.std(n_in), rng)));
        if i + 1 == sizes.len() {
            break; // the output layer: no extras, no activation
        }
        if extras.batch_norm {
            layers.push(Box::new(BatchNorm::new(n_out, mode)));
        }
        layers.push(Box::new(Relu::default()));
        if extras.dropout > 0.0 {
            layers.push(Box::new(Dropout::new(extras.dropout, mode, rng)));
        }
    }
    Sequential::new(layers, SoftmaxWithLoss::default())
}
// ANCHOR_END: network
