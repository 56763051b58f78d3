//! Why accuracy cannot be the loss: a small network with weights chosen by hand, one of its
//! weights swept across a range, and the loss and the accuracy measured at each value.

use ch03_layers::{Dense, Float, float};
use ch04_activations::forward_pass;
use ndarray::{Array2, array};

use crate::{accuracy, cross_entropy};

/// The weight `w` from the hidden neuron to class 2 in [`vertical_sorter`].
pub const SORTER_W: f64 = 12.0;
/// Where `w` sits in `dense2.weights`: (hidden neuron, class).
pub const SORTER_W_INDEX: (usize, usize) = (0, 2);

/// A 2-1-3 network with weights chosen by hand to sort vertical data (three clouds centred at
/// x₀ = 0, ⅓ and ⅔) by their first coordinate. Run it with
/// [`forward_pass`](ch04_activations::forward_pass) of the activations chapter.
///
/// Its one hidden neuron passes on `h = relu(x₀)`; the three class scores are
///
/// ```text
/// z₀ = 0,   z₁ = 6h − 1,   z₂ = w·h − 4,   w = 12
/// ```
///
/// Class 1 beats class 0 from `x₀ = 1/6` on, and class 2 beats class 1 from `x₀ = 1/2` on
/// (where `12h − 4 = 6h − 1`): both boundaries fall halfway between the clouds.
///
/// ```
/// use ch04_activations::forward_pass;
/// use ch05_loss::{argmax_rows, vertical_sorter};
/// use ndarray::array;
/// let (dense1, dense2) = vertical_sorter::<f32>();
/// let y = forward_pass(&array![[0.0, 0.5], [0.33, 0.5], [0.67, 0.5]], &dense1, &dense2);
/// assert_eq!(argmax_rows(&y), [0, 1, 2]);
/// ```
// ANCHOR: network
pub fn vertical_sorter<F: Float>() -> (Dense<F>, Dense<F>) {
    let w1 = array![[1.0], [0.0]]; // (inputs 2, hidden 1): h = relu(x₀)
    let b1 = array![0.0];
    let w2 = array![[0.0, 6.0, SORTER_W]]; // (hidden 1, classes 3)
    let b2 = array![0.0, -1.0, -4.0];
    let dense1 = Dense::from_parts(w1.mapv(float), b1.mapv(float));
    let dense2 = Dense::from_parts(w2.mapv(float), b2.mapv(float));
    (dense1, dense2)
}
// ANCHOR_END: network

/// The loss and the accuracy of a network at one value of a weight.
// ANCHOR: sweep_point
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct SweepPoint {
    pub weight: f64,
    pub loss: f64,
    pub accuracy: f64,
}
// ANCHOR_END: sweep_point

/// Sets the weight `dense2.weights[index]` to each of `values` in turn, and measures the
/// cross-entropy loss and the accuracy of the network on the batch `x` with targets `t`. The
/// network computes in `f32`; the loss is reported as an `f64`.
///
/// # Panics
/// If `index` is not in `dense2.weights`, or as
/// [`forward_pass`](ch04_activations::forward_pass) and [`cross_entropy`].
// ANCHOR: sweep
pub fn sweep_weight(
    x: &Array2<f32>,
    t: &[usize],
    dense1: &Dense<f32>,
    dense2: &Dense<f32>,
    index: (usize, usize),
    values: &[f64],
) -> Vec<SweepPoint> {
    let mut dense2 = dense2.clone();
    let mut points = Vec::new();
    for &weight in values {
        dense2.weights[index] = weight as f32;
        let y = forward_pass(x, dense1, &dense2);
        let loss = f64::from(cross_entropy(&y, t));
        points.push(SweepPoint {
            weight,
            loss,
            accuracy: accuracy(&y, t),
        });
    }
    points
}
// ANCHOR_END: sweep

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_sorter_sorts_vertical_data() {
        let (x, t) = toy_datasets::vertical_data::<f32>(&mut seeded_rng::rng(0), 100, 3);
        let (dense1, dense2) = vertical_sorter::<f32>();
        let y = forward_pass(&x, &dense1, &dense2);
        assert!(accuracy(&y, t.as_slice().unwrap()) > 0.9);
    }

    #[test]
    fn accuracy_is_flat_where_the_loss_is_not() {
        let (x, t) = toy_datasets::vertical_data::<f32>(&mut seeded_rng::rng(1), 20, 3);
        let (dense1, dense2) = vertical_sorter::<f32>();
        let values: Vec<f64> = (0..=400).map(|i| f64::from(i) * 0.1).collect();
        let t = t.as_slice().unwrap();
        let sweep = sweep_weight(&x, t, &dense1, &dense2, SORTER_W_INDEX, &values);
        let steps = sweep.len() - 1;
        let loss_moves = sweep.windows(2).filter(|p| p[0].loss != p[1].loss).count();
        let accuracy_moves = sweep
            .windows(2)
            .filter(|p| p[0].accuracy != p[1].accuracy)
            .count();
        assert_eq!(loss_moves, steps);
        assert!(
            accuracy_moves < steps / 4,
            "accuracy moved on {accuracy_moves} of {steps} steps"
        );
    }

    #[test]
    fn the_sweep_puts_the_weight_back_at_each_value() {
        let x = array![[0.6f32, 0.5]];
        let (dense1, dense2) = vertical_sorter::<f32>();
        let at_sorter = sweep_weight(&x, &[2], &dense1, &dense2, SORTER_W_INDEX, &[SORTER_W]);
        let y = forward_pass(&x, &dense1, &dense2);
        assert_eq!(at_sorter[0].loss, f64::from(cross_entropy(&y, &[2])));
        assert_eq!(at_sorter[0].accuracy, 1.0);
    }
}
