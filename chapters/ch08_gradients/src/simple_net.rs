//! *Deep Learning from Scratch*'s `simpleNet` (`gradient_simplenet.py`): the gradient of a
//! network's loss with respect to its weights.

use ch03_layers::Float;
use ch04_activations::softmax;
use ch05_loss::cross_entropy;
use ndarray::Array2;

use crate::numerical_gradient;

/// *Deep Learning from Scratch*'s `simpleNet`: one layer of weights `W` (2 inputs, 3 classes),
/// no bias, softmax, cross-entropy.
///
/// ```text
/// z = x·W,   y = softmax(z),   L = −ln y_t
/// ```
// ANCHOR: simple_net
#[derive(Debug, Clone, PartialEq)]
pub struct SimpleNet<F> {
    pub w: Array2<F>, // (2, 3)
}
// ANCHOR_END: simple_net

/// The loss of [`SimpleNet`] with weights `w` on the batch `x` with targets `t`: the function
/// whose gradient we want, written as a function of `w`.
///
/// NumPy (DLFS): `z = np.dot(x, self.W); y = softmax(z); loss = cross_entropy_error(y, t)`.
///
/// # Panics
/// If `x` does not have one column per row of `w`, or `t` is not one class per row of `x`.
// ANCHOR: simple_net_loss
pub fn simple_net_loss<F: Float>(w: &Array2<F>, x: &Array2<F>, t: &[usize]) -> F {
    let z = x.dot(w); // (batch, 3)
    let y = softmax(&z);
    cross_entropy(&y, t)
}
// ANCHOR_END: simple_net_loss

impl SimpleNet<f64> {
    /// The weights *Deep Learning from Scratch* drew at random and printed, so that our numbers
    /// can be checked against the book's.
    pub fn dlfs() -> Self {
        SimpleNet {
            w: ndarray::array![
                [0.47355232, 0.9977393, 0.84668094],
                [0.85557411, 0.03563661, 0.69422093]
            ],
        }
    }
}

impl<F: Float> SimpleNet<F> {
    /// The class scores `x·W`, one row per sample.
    ///
    /// ```
    /// use ch08_gradients::SimpleNet;
    /// use ndarray::array;
    /// let z = SimpleNet::dlfs().predict(&array![[0.6, 0.9]]);
    /// assert!((z[[0, 0]] - 1.05414809).abs() < 1e-8); // 0.6·0.47355232 + 0.9·0.85557411
    /// ```
    pub fn predict(&self, x: &Array2<F>) -> Array2<F> {
        x.dot(&self.w)
    }

    /// The cross-entropy loss on `x` with class indices `t`.
    pub fn loss(&self, x: &Array2<F>, t: &[usize]) -> F {
        simple_net_loss(&self.w, x, t)
    }

    /// `dL/dW`, the numerical gradient of the loss with respect to the weights, same shape as `W`.
    ///
    /// NumPy (DLFS): `f = lambda w: net.loss(x, t); dW = numerical_gradient(f, net.W)`.
    ///
    /// ```
    /// use ch08_gradients::SimpleNet;
    /// use ndarray::array;
    /// let dw = SimpleNet::dlfs().numerical_gradient(&array![[0.6, 0.9]], &[2]);
    /// assert!((dw[[0, 0]] - 0.21924763).abs() < 1e-6);
    /// assert!((dw[[1, 2]] + 0.54421514).abs() < 1e-6);
    /// ```
    // ANCHOR: simple_net_gradient
    pub fn numerical_gradient(&mut self, x: &Array2<F>, t: &[usize]) -> Array2<F> {
        numerical_gradient(|w| simple_net_loss(w, x, t), &mut self.w)
    }
    // ANCHOR_END: simple_net_gradient
}

#[cfg(test)]
mod tests {
    use super::*;
    use ndarray::array;

    #[test]
    fn simple_net_matches_dlfs() {
        let mut net = SimpleNet::dlfs();
        let x = array![[0.6, 0.9]];
        let z = net.predict(&x);
        for (ours, dlfs) in z.iter().zip([1.05414809, 0.63071653, 1.1328074]) {
            assert!((ours - dlfs).abs() < 1e-8);
        }
        assert_eq!(ch05_loss::argmax_rows(&z), [2]);
        // DLFS printed W rounded to 8 decimals, which moves the loss by up to about 9e-9.
        assert!((net.loss(&x, &[2]) - 0.928_068_536_634_113_3).abs() < 1e-8);
        let dw = net.numerical_gradient(&x, &[2]);
        let dlfs = array![
            [0.21924763, 0.14356247, -0.36281009],
            [0.32887144, 0.2153437, -0.54421514]
        ];
        for (ours, theirs) in dw.iter().zip(&dlfs) {
            assert!((ours - theirs).abs() < 1e-6, "{ours} vs {theirs}");
        }
    }
}
