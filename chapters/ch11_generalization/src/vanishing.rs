//! Vanishing gradients, measured: how fast each layer of a deep network learns, as Michael
//! Nielsen measures it in chapter 5 of *Neural Networks and Deep Learning*, for sigmoid units
//! and for ReLU units with He initialisation.

use ch03_layers::Float;
use ch09_backprop::Sequential;
use ch10_optimizers::{Optimizer, is_decayed, train_mini_batches};
use ndarray::Array2;
use seeded_rng::Rng;

use crate::Split;

/// The length of each layer's bias gradient, `‖∂L/∂b‖`, from the last backward pass, first
/// layer first: Nielsen's measure of how fast layer `l` learns. The bias of a unit receives
/// exactly the error `δ` that reached the unit, so this is the size of the error signal at each
/// layer.
///
/// ```text
/// speed of layer l = ‖δˡ‖ = ‖∂L/∂bˡ‖ = √(Σⱼ (∂L/∂bˡⱼ)²)
/// ```
///
/// NumPy (Nielsen): `[np.linalg.norm(np.mean(delta, axis=0)) for delta in nabla_b]`.
///
/// ```
/// use ch09_backprop::{Affine, Relu, Sequential, SoftmaxWithLoss};
/// use ch11_generalization::vanishing::bias_gradient_norms;
/// use ndarray::array;
/// let first = Affine::from_parts(array![[1.0, -1.0]], array![0.0, 0.0]);
/// let last = Affine::from_parts(array![[1.0, 0.0], [0.0, 1.0]], array![0.0, 0.0]);
/// let mut net = Sequential::new(
///     vec![Box::new(first), Box::new(Relu::default()), Box::new(last)],
///     SoftmaxWithLoss::default(),
/// );
/// net.gradient(&array![[2.0]], &[1]); // scores (2, 0): softmax (0.88, 0.12), target 1
/// let norms = bias_gradient_norms(&mut net);
/// // output layer: ∂L/∂b = y − t = (0.88, −0.88); the ReLU stops the second unit's share
/// assert!((norms[1] - 0.8808 * 2f64.sqrt()).abs() < 1e-4);
/// assert!((norms[0] - 0.8808).abs() < 1e-4);
/// ```
// ANCHOR: bias_gradient_norms
pub fn bias_gradient_norms<F: Float>(net: &mut Sequential<F>) -> Vec<f64> {
    let norm = |v: &ndarray::ArrayViewD<'_, F>| {
        let squares = v.iter().map(|g| g.to_f64().unwrap_or(f64::NAN).powi(2));
        squares.sum::<f64>().sqrt()
    };
    let params = net.params_and_grads();
    params
        .iter()
        .filter(|(p, _)| !is_decayed(p)) // the biases: one axis
        .map(|(_, db)| norm(db))
        .collect()
}
// ANCHOR_END: bias_gradient_norms

/// [`bias_gradient_norms`] for the batch `(x, t)`, with nothing learned from it: one forward
/// and backward pass, no update.
pub fn layer_speeds<F: Float>(net: &mut Sequential<F>, x: &Array2<F>, t: &[usize]) -> Vec<f64> {
    net.gradient(x, t);
    bias_gradient_norms(net)
}

/// Trains `net` on `train` for `epochs` epochs of mini-batches (each epoch draws as many
/// batches of `batch_size` as fit in the set), and measures [`layer_speeds`] on the whole set
/// before the first epoch and after each: `epochs + 1` rows, one number per layer.
/// `tick` is called after every epoch (for a progress bar).
///
/// # Panics
/// If `batch_size` is zero or larger than the set, or the set does not fit the network.
// ANCHOR: speeds_during_training
pub fn speeds_during_training<F: Float>(
    net: &mut Sequential<F>,
    train: &Split<F>,
    optimizer: &mut dyn Optimizer<F>,
    (batch_size, epochs): (usize, usize),
    rng: &mut impl Rng,
    tick: &mut dyn FnMut(),
) -> Vec<Vec<f64>> {
    assert!(
        batch_size > 0 && batch_size <= train.len(),
        "batches of {batch_size} from {} examples",
        train.len()
    );
    let (x, t) = (&train.x, &train.t);
    let batches = train.len() / batch_size;
    let mut speeds = vec![layer_speeds(net, x, t)];
    for _ in 0..epochs {
        train_mini_batches(net, x, t, optimizer, batch_size, batches, rng);
        speeds.push(layer_speeds(net, x, t));
        tick();
    }
    speeds
}
// ANCHOR_END: speeds_during_training

/// The ratio of each layer's speed to the next layer's, `speedˡ / speedˡ⁺¹`: how much of the
/// error signal survives the way back through one layer.
///
/// ```
/// use ch11_generalization::vanishing::ratios_to_next;
/// assert_eq!(ratios_to_next(&[0.01, 0.04, 0.16]), [0.25, 0.25]);
/// ```
pub fn ratios_to_next(speeds: &[f64]) -> Vec<f64> {
    speeds.windows(2).map(|w| w[0] / w[1]).collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use ch10_optimizers::{Activation, Init, Sgd, multi_layer_net};
    use seeded_rng::randn;

    #[test]
    fn the_norms_are_of_the_bias_gradients() {
        let mut rng = seeded_rng::rng(1);
        let mut net = multi_layer_net::<f64>(&[4, 3, 2], Activation::Sigmoid, Init::He, &mut rng);
        let x = randn::<f64>(&mut rng, (5, 4));
        let norms = layer_speeds(&mut net, &x, &[0, 1, 1, 0, 1]);
        let params = net.params_and_grads();
        let db1: f64 = params[1].1.iter().map(|g| g * g).sum();
        let db2: f64 = params[3].1.iter().map(|g| g * g).sum();
        assert_eq!(norms, [db1.sqrt(), db2.sqrt()]);
    }

    #[test]
    fn a_deep_sigmoid_network_learns_slowest_in_its_first_layers() {
        let mut rng = seeded_rng::rng(2);
        let sizes = [20, 30, 30, 30, 30, 3];
        let x = randn::<f32>(&mut rng, (200, 20));
        let t: Vec<usize> = (0..200).map(|i| i % 3).collect();
        let mut sigmoid = multi_layer_net(&sizes, Activation::Sigmoid, Init::Xavier, &mut rng);
        let speeds = layer_speeds(&mut sigmoid, &x, &t);
        assert!(
            ratios_to_next(&speeds[..4]).iter().all(|&r| r < 0.5),
            "{speeds:?}"
        );
        let mut relu = multi_layer_net(&sizes, Activation::Relu, Init::He, &mut rng);
        let speeds = layer_speeds(&mut relu, &x, &t);
        assert!(speeds[0] > speeds[3] / 4.0, "{speeds:?}");
    }

    #[test]
    fn training_records_a_row_per_epoch_and_one_before() {
        let mut rng = seeded_rng::rng(3);
        let mut net = multi_layer_net::<f32>(&[4, 5, 2], Activation::Relu, Init::He, &mut rng);
        let x = randn::<f32>(&mut rng, (20, 4));
        let train = Split {
            x,
            t: (0..20).map(|i| i % 2).collect(),
        };
        let mut epochs = 0;
        let mut sgd = Sgd::new(0.1);
        let speeds =
            speeds_during_training(&mut net, &train, &mut sgd, (5, 3), &mut rng, &mut || {
                epochs += 1
            });
        assert_eq!((speeds.len(), speeds[0].len(), epochs), (4, 2, 3));
    }
}
