//! Networks and their training, as in *Deep Learning from Scratch*'s
//! `common/multi_layer_net.py` and nnfs's training loops: a network of any depth, full-batch
//! and mini-batch training with any optimizer, and weight decay.

use ch03_layers::Float;
use ch09_backprop::{Affine, Layer, Relu, Sequential, Sigmoid, SoftmaxWithLoss};
use ndarray::{Array2, ArrayViewD, ArrayViewMutD, Axis};
use seeded_rng::Rng;

use crate::{Init, Optimizer};

/// The activation between the layers of a [`multi_layer_net`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Activation {
    Relu,
    Sigmoid,
}

/// *Deep Learning from Scratch*'s `MultiLayerNet`: Affine layers of the given `sizes`
/// (inputs, hidden…, outputs) with `activation` between them and Softmax-with-loss at the end.
/// Each Affine layer draws its weights with `init`, from its own number of inputs; biases start
/// at zero.
///
/// NumPy (DLFS): `MultiLayerNet(input_size=784, hidden_size_list=[100, 100, 100, 100],
/// output_size=10, activation='relu', weight_init_std='he')`.
///
/// ```
/// use ch10_optimizers::{multi_layer_net, Activation, Init};
/// let net = multi_layer_net::<f32>(&[784, 100, 100, 10], Activation::Relu, Init::He, &mut seeded_rng::rng(0));
/// assert_eq!(net.layers.len(), 5); // Affine, ReLU, Affine, ReLU, Affine
/// ```
///
/// # Panics
/// If `sizes` has fewer than two entries.
// ANCHOR: network
pub fn multi_layer_net<F: Float>(
    sizes: &[usize],
    activation: Activation,
    init: Init,
    rng: &mut impl Rng,
) -> Sequential<F> {
    assert!(
        sizes.len() >= 2,
        "a network needs an input and an output size, got {sizes:?}"
    );
    let mut layers: Vec<Box<dyn Layer<F>>> = Vec::new();
    for i in 1..sizes.len() {
        if i > 1 {
            match activation {
                Activation::Relu => layers.push(Box::new(Relu::default())),
                Activation::Sigmoid => layers.push(Box::new(Sigmoid::default())),
            }
        }
        let (n_in, n_out) = (sizes[i - 1], sizes[i]);
        layers.push(Box::new(Affine::new(n_in, n_out, init.std(n_in), rng)));
    }
    Sequential::new(layers, SoftmaxWithLoss::default())
}
// ANCHOR_END: network

/// Loss, accuracy and learning rate recorded while training, each as `(step, value)` pairs
/// at the recorded steps (epochs or iterations).
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Curve {
    pub loss: Vec<(usize, f64)>,
    pub accuracy: Vec<(usize, f64)>,
    /// The learning rate the update of that step used.
    pub learning_rate: Vec<(usize, f64)>,
}

impl Curve {
    /// Records the numbers of one step.
    pub fn push<F: Float>(&mut self, step: usize, loss: F, accuracy: f64, learning_rate: F) {
        let to_f64 = |v: F| v.to_f64().unwrap_or(f64::NAN);
        self.loss.push((step, to_f64(loss)));
        self.accuracy.push((step, accuracy));
        self.learning_rate.push((step, to_f64(learning_rate)));
    }

    /// The last record: `(step, loss, accuracy, learning rate)`.
    ///
    /// # Panics
    /// If nothing was recorded.
    pub fn last(&self) -> (usize, f64, f64, f64) {
        let last = |values: &[(usize, f64)]| *values.last().expect("the curve is empty");
        let (step, loss) = last(&self.loss);
        (
            step,
            loss,
            last(&self.accuracy).1,
            last(&self.learning_rate).1,
        )
    }

    /// The accuracy recorded at `step`, if one was.
    pub fn accuracy_at(&self, step: usize) -> Option<f64> {
        self.accuracy
            .iter()
            .find(|&&(s, _)| s == step)
            .map(|&(_, a)| a)
    }
}

/// Full-batch training as nnfs does it: every epoch is one forward and backward pass over all
/// of `x` and one update. Epochs `0..=epochs` run; every `every` epochs (and at the last) the
/// loss and accuracy of that epoch's network are recorded, before its update.
///
/// NumPy (nnfs): `for epoch in range(10001): … loss = loss_activation.forward(dense2.output, y)
/// … optimizer.pre_update_params(); optimizer.update_params(dense1); …`.
///
/// ```
/// use ch10_optimizers::{multi_layer_net, train_full_batch, Activation, Adam, Init};
/// let mut rng = seeded_rng::rng(0);
/// let (x, y) = toy_datasets::vertical_data::<f32>(&mut rng, 50, 3);
/// let mut net = multi_layer_net(&[2, 16, 3], Activation::Relu, Init::Std(0.01), &mut rng);
/// let curve = train_full_batch(&mut net, &x, y.as_slice().unwrap(), &mut Adam::new(0.05), 200, 100);
/// assert_eq!(curve.last().0, 200); // epochs 0, 100 and 200 are recorded
/// assert!(curve.accuracy_at(200).unwrap() > 0.9 && curve.loss[2].1 < curve.loss[0].1);
/// ```
///
/// # Panics
/// If `every` is zero, or `x` and `t` do not fit the network and each other.
// ANCHOR: train_full_batch
pub fn train_full_batch<F: Float>(
    net: &mut Sequential<F>,
    x: &Array2<F>,
    t: &[usize],
    optimizer: &mut dyn Optimizer<F>,
    epochs: usize,
    every: usize,
) -> Curve {
    let mut curve = Curve::default();
    for epoch in 0..=epochs {
        let loss = net.gradient(x, t);
        if epoch % every == 0 || epoch == epochs {
            let accuracy = net.accuracy(x, t);
            curve.push(epoch, loss, accuracy, optimizer.learning_rate());
        }
        optimizer.update(net.params_and_grads());
    }
    curve
}
// ANCHOR_END: train_full_batch

/// Mini-batch training as *Deep Learning from Scratch* does it: each iteration draws
/// `batch_size` rows of `x` at random (with replacement), backpropagates and updates. Returns
/// the loss of every iteration's batch, as its forward pass computed it (before the update).
///
/// NumPy (DLFS): `batch_mask = np.random.choice(train_size, batch_size)`;
/// `x_batch = x_train[batch_mask]`; `grads = network.gradient(x_batch, t_batch)`;
/// `optimizer.update(network.params, grads)`.
///
/// ```
/// use ch10_optimizers::{multi_layer_net, train_mini_batches, Activation, Init, Sgd};
/// let mut rng = seeded_rng::rng(0);
/// let (x, y) = toy_datasets::vertical_data::<f32>(&mut rng, 100, 3);
/// let mut net = multi_layer_net(&[2, 16, 3], Activation::Relu, Init::He, &mut rng);
/// let t = y.as_slice().unwrap();
/// let losses = train_mini_batches(&mut net, &x, t, &mut Sgd::new(0.5), 30, 300, &mut rng);
/// assert_eq!(losses.len(), 300);
/// assert!(net.accuracy(&x, t) > 0.9);
/// ```
///
/// # Panics
/// If `x` is empty, or `x` and `t` do not fit the network and each other.
// ANCHOR: train_mini_batches
pub fn train_mini_batches<F: Float>(
    net: &mut Sequential<F>,
    x: &Array2<F>,
    t: &[usize],
    optimizer: &mut dyn Optimizer<F>,
    batch_size: usize,
    iterations: usize,
    rng: &mut impl Rng,
) -> Vec<f64> {
    let mut losses = Vec::new();
    for _ in 0..iterations {
        let batch_mask: Vec<usize> = (0..batch_size)
            .map(|_| rng.random_range(0..x.nrows()))
            .collect();
        let x_batch = x.select(Axis(0), &batch_mask);
        let t_batch: Vec<usize> = batch_mask.iter().map(|&i| t[i]).collect();
        let loss = net.gradient(&x_batch, &t_batch);
        optimizer.update(net.params_and_grads());
        losses.push(loss.to_f64().unwrap_or(f64::NAN));
    }
    losses
}
// ANCHOR_END: train_mini_batches

/// Whether weight decay applies to a parameter: to weight matrices, not to bias vectors.
pub fn is_decayed<F>(param: &ArrayViewMutD<'_, F>) -> bool {
    param.ndim() >= 2
}

/// Weight decay as an L2 penalty, for any optimizer: the loss gains `½λ‖W‖²` for every weight
/// matrix, so each weight's gradient gains `λW`, a steady pull towards zero.
///
/// ```text
/// L′ = L + ½ λ Σ ‖W‖²       ∂L′/∂W = ∂L/∂W + λ W
/// ```
///
/// Only parameters with two or more axes (weight matrices) are decayed; biases (vectors) keep
/// their gradient, as *Deep Learning from Scratch* does.
///
/// NumPy (DLFS): `grads['W' + str(idx)] = self.layers['Affine' + str(idx)].dW +
/// self.weight_decay_lambda * self.layers['Affine' + str(idx)].W`.
///
/// ```
/// use ch10_optimizers::{Optimizer, Sgd, WeightDecay};
/// use ndarray::{arr1, arr2, ArrayD};
/// let mut sgd = WeightDecay { optimizer: Sgd::new(0.5), lambda: 0.1 };
/// let mut w = arr2(&[[2.0, -4.0]]).into_dyn();
/// let mut b = arr1(&[2.0]).into_dyn();
/// let zero_w = ArrayD::zeros(w.raw_dim());
/// let zero_b = ArrayD::zeros(b.raw_dim());
/// sgd.update(vec![(w.view_mut(), zero_w.view()), (b.view_mut(), zero_b.view())]);
/// // with no gradient, each weight shrinks by η·λ = 5%; the bias stays
/// assert_eq!(w, arr2(&[[1.9, -3.8]]).into_dyn());
/// assert_eq!(b, arr1(&[2.0]).into_dyn());
/// ```
///
/// # Panics
/// If a parameter and its gradient differ in shape.
#[derive(Debug, Clone, PartialEq)]
// ANCHOR: weight_decay
pub struct WeightDecay<F, O> {
    pub optimizer: O,
    pub lambda: F,
}

impl<F: Float, O: Optimizer<F>> Optimizer<F> for WeightDecay<F, O> {
    fn update(&mut self, params: Vec<(ArrayViewMutD<'_, F>, ArrayViewD<'_, F>)>) {
        let mut grads = Vec::new(); // ∂L/∂W + λW for each weight matrix, ∂L/∂b for each bias
        for (w, dw) in &params {
            if is_decayed(w) {
                grads.push(dw + &(w * self.lambda));
            } else {
                grads.push(dw.to_owned());
            }
        }
        let params = params.into_iter().zip(&grads);
        let decayed = params.map(|((w, _), dw)| (w, dw.view())).collect();
        self.optimizer.update(decayed);
    }
    // ANCHOR_END: weight_decay

    fn learning_rate(&self) -> F {
        self.optimizer.learning_rate()
    }

    fn set_learning_rate(&mut self, lr: F) {
        self.optimizer.set_learning_rate(lr);
    }
}

impl<F: Float, O: Optimizer<F>> WeightDecay<F, O> {
    /// Wraps `optimizer`, adding `lambda · W` to the gradient of every weight matrix `W`.
    pub fn new(optimizer: O, lambda: F) -> Self {
        WeightDecay { optimizer, lambda }
    }
}

/// The root mean square of the entries of the network's weight matrices (biases left out): a
/// measure of how large the weights are.
///
/// ```text
/// rms = √(Σ w² / #w)   over every weight matrix W
/// ```
pub fn weight_rms<F: Float>(net: &mut Sequential<F>) -> f64 {
    let (mut sum, mut count) = (0.0, 0);
    for (w, _) in net.params_and_grads() {
        if is_decayed(&w) {
            let squares = w.iter().map(|v| v.to_f64().unwrap_or(f64::NAN).powi(2));
            sum += squares.sum::<f64>();
            count += w.len();
        }
    }
    (sum / count.max(1) as f64).sqrt()
}

/// The root mean square of each weight matrix's gradient from the last backward pass (biases
/// left out), first layer first: how hard the gradient pushes each layer's weights.
///
/// ```text
/// rms = √(Σ (∂L/∂w)² / #w)   for each weight matrix W
/// ```
pub fn gradient_rms<F: Float>(net: &mut Sequential<F>) -> Vec<f64> {
    let rms = |dw: &ArrayViewD<'_, F>| {
        let squares = dw.iter().map(|v| v.to_f64().unwrap_or(f64::NAN).powi(2));
        (squares.sum::<f64>() / dw.len() as f64).sqrt()
    };
    let params = net.params_and_grads();
    params
        .iter()
        .filter(|(w, _)| is_decayed(w))
        .map(|(_, dw)| rms(dw))
        .collect()
}

/// The means of consecutive blocks of `window` values (the last block may be shorter), with
/// the index of each block's last value: a noisy loss curve made readable.
///
/// ```
/// use ch10_optimizers::block_means;
/// assert_eq!(block_means(&[1.0, 3.0, 5.0, 7.0, 9.0], 2), [(1, 2.0), (3, 6.0), (4, 9.0)]);
/// ```
///
/// # Panics
/// If `window` is zero.
pub fn block_means(values: &[f64], window: usize) -> Vec<(usize, f64)> {
    assert!(window > 0, "blocks of 0 values have no mean");
    values
        .chunks(window)
        .enumerate()
        .map(|(i, block)| {
            let last = i * window + block.len() - 1;
            (last, block.iter().sum::<f64>() / block.len() as f64)
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{Adam, Sgd};
    use ndarray::{arr1, arr2};

    #[test]
    fn weight_decay_adds_lambda_w_to_matrix_gradients_only() {
        // With SGD: W ← W − η(dW + λW)
        let mut sgd = WeightDecay::new(Sgd::new(0.1_f64), 0.5);
        let mut w = arr2(&[[1.0], [-2.0]]).into_dyn();
        let mut b = arr1(&[1.0]).into_dyn();
        let dw = arr2(&[[1.0], [1.0]]).into_dyn();
        let db = arr1(&[1.0]).into_dyn();
        sgd.update(vec![(w.view_mut(), dw.view()), (b.view_mut(), db.view())]);
        assert!((w[[0, 0]] - (1.0 - 0.1 * (1.0 + 0.5))).abs() < 1e-12);
        assert!((w[[1, 0]] - (-2.0 - 0.1 * (1.0 - 1.0))).abs() < 1e-12);
        assert!((b[0] - 0.9).abs() < 1e-12);
    }

    #[test]
    fn weight_decay_with_zero_lambda_changes_nothing() {
        let mut plain = Adam::new(0.1);
        let mut decayed = WeightDecay::new(Adam::new(0.1), 0.0);
        let mut w1 = arr2(&[[1.0, 2.0]]).into_dyn();
        let mut w2 = w1.clone();
        for g in [[0.3, -0.1], [0.2, 0.5]] {
            let dw = arr2(&[g]).into_dyn();
            plain.update(vec![(w1.view_mut(), dw.view())]);
            decayed.update(vec![(w2.view_mut(), dw.view())]);
        }
        assert_eq!(w1, w2);
    }

    #[test]
    fn the_network_has_its_layers_and_parameters() {
        let net = multi_layer_net::<f32>(
            &[4, 3, 2],
            Activation::Sigmoid,
            Init::Xavier,
            &mut seeded_rng::rng(0),
        );
        assert_eq!(net.layers.len(), 3); // Affine, Sigmoid, Affine
        let mut net = net;
        let shapes: Vec<Vec<usize>> = net
            .params_and_grads()
            .iter()
            .map(|(p, _)| p.shape().to_vec())
            .collect();
        assert_eq!(shapes, [vec![4, 3], vec![3], vec![3, 2], vec![2]]);
    }

    #[test]
    #[should_panic(expected = "a network needs an input and an output size")]
    fn a_network_needs_two_sizes() {
        multi_layer_net::<f32>(&[4], Activation::Relu, Init::He, &mut seeded_rng::rng(0));
    }
}
