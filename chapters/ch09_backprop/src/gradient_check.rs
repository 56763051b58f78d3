//! Backprop checked against the numerical gradient of the gradients chapter: *Deep Learning
//! from Scratch*'s `ch05/gradient_check.py`, for single layers and whole networks.

use ch03_layers::Float;
use ch08_gradients::numerical_gradient;
use ndarray::{Array2, ArrayD, ArrayViewD, ArrayViewMutD};

use crate::{Layer, LossLayer, Sequential};

/// How far apart two gradients are, entry by entry: the largest and the mean `|a − b|`, and
/// the mean `|b|`, the size of the gradient itself, to judge the other two by.
// ANCHOR: difference
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Difference {
    pub max: f64,   // max |a − b|
    pub mean: f64,  // mean |a − b|
    pub scale: f64, // mean |b|
}
// ANCHOR_END: difference

/// The differences between `a` (say, a numerical gradient) and `b` (say, backprop's).
///
/// NumPy (DLFS): `np.average(np.abs(grad_backprop[key] - grad_numerical[key]))`.
///
/// ```
/// use ch09_backprop::difference;
/// use ndarray::array;
/// let d = difference(&array![1.0, 2.0].into_dyn().view(), &array![1.5, 2.0].into_dyn().view());
/// assert_eq!((d.max, d.mean, d.scale), (0.5, 0.25, 1.75));
/// ```
///
/// # Panics
/// If the shapes differ.
pub fn difference<F: Float>(a: &ArrayViewD<'_, F>, b: &ArrayViewD<'_, F>) -> Difference {
    assert_eq!(
        a.shape(),
        b.shape(),
        "gradients of shapes {:?} and {:?} cannot be compared",
        a.shape(),
        b.shape()
    );
    let abs = |v: F| v.abs().to_f64().unwrap_or(f64::NAN);
    let diff = (a - b).mapv(abs); // |a − b|, entry by entry
    Difference {
        max: diff.fold(0.0, |max, &d| f64::max(max, d)),
        mean: diff.mean().unwrap_or(0.0),
        scale: b.mapv(abs).mean().unwrap_or(0.0),
    }
}

/// Copies of the gradients that `params_and_grads` hands out.
fn copy_grads<F: Float>(params: Vec<(ArrayViewMutD<'_, F>, ArrayViewD<'_, F>)>) -> Vec<ArrayD<F>> {
    params
        .into_iter()
        .map(|(_, grad)| grad.to_owned())
        .collect()
}

/// A gradient check of one layer: backprop's gradients against the numerical gradient of the
/// gradients chapter, for the input and for every parameter (in `params_and_grads` order).
///
/// A layer alone has no loss, so we make one: `f = Σ forward(x) ⊙ dout`, the layer's output
/// weighted by a fixed `dout`. Its derivative with respect to the output is exactly `dout`, so
/// backprop's answer is `backward(dout)`; the numerical one nudges each entry of `x` and of each
/// parameter by ±h and watches `f`. Check in `f64`: in `f32` the numerical gradient itself is
/// off by about 10⁻³.
///
/// ```
/// use ch09_backprop::{check_layer, Sigmoid};
/// use ndarray::array;
/// let x = array![[0.5, -1.0], [2.0, 0.1]];
/// let dout = array![[1.0, -2.0], [0.5, 3.0]];
/// let checks = check_layer(&mut Sigmoid::default(), &x, &dout);
/// assert_eq!(checks.len(), 1); // the input; a sigmoid has no parameters
/// assert!(checks[0].max < 1e-9);
/// ```
// ANCHOR: check_layer
pub fn check_layer<F: Float, L: Layer<F>>(
    layer: &mut L,
    x: &Array2<F>,
    dout: &Array2<F>,
) -> Vec<Difference> {
    let f = |layer: &mut L, x: &Array2<F>| (layer.forward(x) * dout).sum(); // ∂f/∂y = dout

    // backprop
    layer.forward(x);
    let dx = layer.backward(dout);
    let grads = copy_grads(layer.params_and_grads());

    // numerical: the input, then each parameter in turn
    let numerical_dx = numerical_gradient(|x| f(layer, x), &mut x.clone());
    let mut checks = vec![difference(
        &numerical_dx.into_dyn().view(),
        &dx.into_dyn().view(),
    )];
    for (i, grad) in grads.iter().enumerate() {
        let mut param = layer.params_and_grads()[i].0.to_owned();
        let numerical = numerical_gradient(
            |p| {
                layer.params_and_grads()[i].0.assign(p);
                f(layer, x)
            },
            &mut param,
        );
        layer.params_and_grads()[i].0.assign(&param); // as it was
        checks.push(difference(&numerical.view(), &grad.view()));
    }
    checks
}
// ANCHOR_END: check_layer

/// A gradient check of a loss layer: `backward()` against the numerical gradient of
/// `forward(x, t)` with respect to `x`.
///
/// ```
/// use ch09_backprop::{check_loss_layer, SoftmaxWithLoss};
/// use ndarray::array;
/// let x = array![[0.3, -1.2, 2.0], [0.0, 0.5, -0.5]];
/// let check = check_loss_layer(&mut SoftmaxWithLoss::default(), &x, &[2, 0][..]);
/// assert!(check.max < 1e-9);
/// ```
pub fn check_loss_layer<F: Float, L: LossLayer<F>>(
    last: &mut L,
    x: &Array2<F>,
    t: &L::Target,
) -> Difference {
    last.forward(x, t);
    let dx = last.backward();
    let numerical = numerical_gradient(|x| last.forward(x, t), &mut x.clone());
    difference(&numerical.into_dyn().view(), &dx.into_dyn().view())
}

/// A gradient check of a whole network: for each parameter (in `params_and_grads` order),
/// backprop's gradient against the numerical gradient of `loss(x, t)`.
///
/// ```
/// use ch09_backprop::{check_network, two_layer_net};
/// use ndarray::array;
/// let mut net = two_layer_net::<f64>(3, 4, 2, 0.5, &mut seeded_rng::rng(1));
/// let checks = check_network(&mut net, &array![[0.1, 0.9, 0.5], [0.7, 0.2, 0.4]], &[1, 0][..]);
/// assert_eq!(checks.len(), 4); // W1, b1, W2, b2
/// assert!(checks.iter().all(|d| d.max < 1e-9));
/// ```
// ANCHOR: check_network
pub fn check_network<F: Float, L: LossLayer<F>>(
    net: &mut Sequential<F, L>,
    x: &Array2<F>,
    t: &L::Target,
) -> Vec<Difference> {
    net.gradient(x, t);
    let grads = copy_grads(net.params_and_grads());
    let mut checks = Vec::new();
    for (i, grad) in grads.iter().enumerate() {
        let mut param = net.params_and_grads()[i].0.to_owned();
        let numerical = numerical_gradient(
            |p| {
                net.params_and_grads()[i].0.assign(p);
                net.loss(x, t)
            },
            &mut param,
        );
        net.params_and_grads()[i].0.assign(&param); // as it was
        checks.push(difference(&numerical.view(), &grad.view()));
    }
    checks
}
// ANCHOR_END: check_network

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{Affine, Relu, SoftmaxWithLoss, cosine_data, sigmoid_regressor, two_layer_net};
    use seeded_rng::randn;

    #[test]
    fn a_wrong_backward_fails_the_gradient_check() {
        /// Affine with db a mean over the batch instead of a sum.
        struct Wrong(Affine<f64>);
        impl Layer<f64> for Wrong {
            fn forward(&mut self, x: &Array2<f64>) -> Array2<f64> {
                self.0.forward(x)
            }
            fn backward(&mut self, dout: &Array2<f64>) -> Array2<f64> {
                let dx = self.0.backward(dout);
                self.0.db = self.0.db.mapv(|v| v / 2.0); // a mean instead of a sum, for N = 2
                dx
            }
            fn params_and_grads(&mut self) -> Vec<(ArrayViewMutD<'_, f64>, ArrayViewD<'_, f64>)> {
                self.0.params_and_grads()
            }
        }
        let mut rng = seeded_rng::rng(5);
        let mut layer = Wrong(Affine::new(3, 2, 1.0, &mut rng));
        let x = randn::<f64>(&mut rng, (2, 3));
        let dout = randn::<f64>(&mut rng, (2, 2));
        let checks = check_layer(&mut layer, &x, &dout);
        assert!(
            checks[0].max < 1e-9 && checks[1].max < 1e-9,
            "dx and dW are right"
        );
        assert!(checks[2].max > 1e-3, "db is caught: {:?}", checks[2]);
    }

    #[test]
    fn whole_networks_pass_their_gradient_check() {
        let mut rng = seeded_rng::rng(2);
        let mut net = two_layer_net::<f64>(6, 5, 3, 0.5, &mut rng);
        for (mut p, _) in net.params_and_grads() {
            p.mapv_inplace(|v| v + 0.1); // biases not zero either
        }
        let x = randn::<f64>(&mut rng, (8, 6));
        let t = [0, 1, 2, 0, 1, 2, 0, 1];
        for check in check_network(&mut net, &x, &t[..]) {
            assert!(check.max < 1e-7 && check.mean < 1e-9, "{check:?}");
            assert!(check.scale > 1e-3, "a gradient worth checking: {check:?}");
        }
        let mut regressor = sigmoid_regressor::<f64>(&[1, 4, 3, 1], 1.0, 1.0, &mut rng);
        let (x, t) = cosine_data::<f64>(-2.0, 2.0, 5);
        for check in check_network(&mut regressor, &x, &t) {
            assert!(check.max < 1e-7 && check.mean < 1e-9, "{check:?}");
        }
    }

    #[test]
    fn the_dlfs_network_passes_its_gradient_check_on_mnist() {
        // DLFS's gradient_check.py: TwoLayerNet(784, 50, 10) on the first 3 training images.
        let split = mnist::load().unwrap().train.first(3);
        let x = split.images_normalised::<f64>();
        let t: Vec<usize> = split.labels.iter().map(|&l| usize::from(l)).collect();
        let mut rng = seeded_rng::rng(0);
        let mut net = Sequential::new(
            vec![
                Box::new(Affine::new(784, 50, 0.01, &mut rng).with_random_bias(0.1, &mut rng)),
                Box::new(Relu::default()),
                Box::new(Affine::new(50, 10, 0.01, &mut rng).with_random_bias(0.1, &mut rng)),
            ],
            SoftmaxWithLoss::default(),
        );
        for check in check_network(&mut net, &x, &t[..]) {
            // a nudge may cross ReLU's kink: the mean is the robust measure
            assert!(
                check.mean < 1e-9 && check.mean < 1e-5 * check.scale,
                "{check:?}"
            );
        }
    }

    #[test]
    fn gradient_check_leaves_the_parameters_as_they_were() {
        let mut rng = seeded_rng::rng(4);
        let mut net = two_layer_net::<f64>(3, 4, 2, 1.0, &mut rng);
        let params = |net: &mut Sequential<f64>| -> Vec<ArrayD<f64>> {
            net.params_and_grads()
                .into_iter()
                .map(|(p, _)| p.to_owned())
                .collect()
        };
        let before = params(&mut net);
        check_network(&mut net, &randn::<f64>(&mut rng, (2, 3)), &[0, 1][..]);
        assert_eq!(before, params(&mut net));
    }
}
