//! The fast SimpleConvNet trained by the convolutional chapter's Adam, on one core or with every
//! batch cut in two halves on two cores, each half's gradient and Adam's update on its own core.

use std::thread;

use ch10_optimizers::{Adam, Optimizer};
use ch12_convolution::{Split, permutation};
use ndarray::{Array2, ArrayView1, ArrayViewMut1, s};
use seeded_rng::Rng;

use super::{ConvBuffers, ConvParams, forward_in, gradient_in, params_and_grads};

/// One part of every batch: its buffers and its gradient.
#[derive(Debug, Clone)]
struct Part {
    buf: ConvBuffers,
    grads: ConvParams,
}

/// The fast SimpleConvNet, trained by the convolutional chapter's Adam, on one core or with
/// every batch cut in two halves on two cores.
#[derive(Debug)]
pub struct FastConvNet {
    pub params: ConvParams,
    grads: ConvParams,     // the whole batch's, when it was cut in two
    parts: Vec<Part>,      // one, or two halves
    adams: Vec<Adam<f32>>, // one per part: the second half of every parameter is the second's
    batch: usize,
}

impl FastConvNet {
    /// A network with `params`, for batches of `batch` images, on `cores` cores (1 or 2),
    /// learning with Adam at `learning_rate`.
    ///
    /// # Panics
    /// If `cores` is not 1 or 2, or two cores get a batch of fewer than two images.
    pub fn new(params: ConvParams, batch: usize, cores: usize, learning_rate: f32) -> Self {
        assert!(cores == 1 || cores == 2, "1 or 2 cores, not {cores}");
        assert!(
            batch >= cores,
            "a batch of {batch} cannot be cut in {cores}"
        );
        let first = batch.div_ceil(cores);
        let sizes: Vec<usize> = if cores == 1 {
            vec![batch]
        } else {
            vec![first, batch - first]
        };
        let parts = sizes
            .into_iter()
            .map(|n| Part {
                buf: ConvBuffers::new(n),
                grads: ConvParams::zeros(),
            })
            .collect();
        FastConvNet {
            params,
            grads: ConvParams::zeros(),
            parts,
            adams: (0..cores).map(|_| Adam::new(learning_rate)).collect(),
            batch,
        }
    }

    /// One training step on rows `rows` of `x`: the gradient (each half on its own thread when
    /// there are two), then Adam's update. Returns the batch's loss.
    ///
    /// # Panics
    /// If `rows` is not one batch.
    // ANCHOR: fast_conv_step
    pub fn step(&mut self, x: &Array2<f32>, t: &[usize], rows: &[usize]) -> f32 {
        assert_eq!(rows.len(), self.batch, "one batch of rows");
        let (params, n) = (&self.params, self.batch as f32);
        match (&mut self.parts[..], &mut self.adams[..]) {
            ([one], [adam]) => {
                let loss = one.learn(params, x, t, rows);
                adam.update(params_and_grads(&mut self.params, &one.grads));
                loss
            }
            ([first, second], [adam1, adam2]) => {
                let (rows1, rows2) = rows.split_at(first.buf.x.nrows());
                let (loss1, loss2) = thread::scope(|scope| {
                    let other = scope.spawn(|| second.learn(params, x, t, rows2));
                    let loss1 = first.learn(params, x, t, rows1);
                    (loss1, other.join().expect("the second half's thread"))
                });
                let shares = (rows1.len() as f32 / n, rows2.len() as f32 / n);
                let (g1, g2) = (&first.grads, &second.grads);
                let [half1, half2] = halves(&mut self.params, &mut self.grads, (g1, g2));
                thread::scope(|scope| {
                    scope.spawn(|| sum_and_update(adam2, half2, shares));
                    sum_and_update(adam1, half1, shares);
                });
                shares.0 * loss1 + shares.1 * loss2
            }
            _ => unreachable!("one part or two, with an Adam each"),
        }
    }
    // ANCHOR_END: fast_conv_step

    /// One epoch: every image of `train` once, in the random order the convolutional chapter's
    /// `train_epoch` draws from the same `rng`, a batch at a time. Returns each batch's loss.
    pub fn train_epoch(&mut self, train: &Split<f32>, rng: &mut impl Rng) -> Vec<f32> {
        let order = permutation(train.t.len(), rng);
        let batches = order.chunks_exact(self.batch);
        batches
            .map(|rows| self.step(&train.x, &train.t, rows))
            .collect()
    }

    /// The fraction of `split` the network classifies right, a batch at a time.
    pub fn accuracy(&mut self, split: &Split<f32>) -> f64 {
        let mut buf = ConvBuffers::new(self.batch);
        let mut right = 0;
        let rows = split.x.nrows();
        for start in (0..rows).step_by(self.batch) {
            let end = (start + self.batch).min(rows);
            if end - start < self.batch {
                buf = ConvBuffers::new(end - start);
            }
            buf.x.assign(&split.x.slice(s![start..end, ..]));
            forward_in(&self.params, &mut buf, &mut |_| {});
            let predicted = ch05_loss::argmax_rows(&buf.y);
            right += predicted
                .iter()
                .zip(&split.t[start..end])
                .filter(|(p, t)| p == t)
                .count();
        }
        right as f64 / rows.max(1) as f64
    }
}

// ANCHOR: two_adams
/// Half of the numbers of every parameter, with the same half of the batch's gradient (to
/// write) and of the two parts' gradients.
pub type Half<'a> = Vec<(&'a mut [f32], &'a mut [f32], &'a [f32], &'a [f32])>;

/// Every parameter cut in two halves, its first numbers and its last (in memory order), each
/// with the same numbers of the gradients: Adam works number by number, so two Adams, one per
/// half, take the same step as one Adam on the whole.
pub fn halves<'a>(
    p: &'a mut ConvParams,
    g: &'a mut ConvParams,
    (g1, g2): (&'a ConvParams, &'a ConvParams),
) -> [Half<'a>; 2] {
    let (mut first, mut second) = (Vec::new(), Vec::new());
    let gradients = g.slices_mut().into_iter().zip(g1.slices()).zip(g2.slices());
    for (p, ((g, g1), g2)) in p.slices_mut().into_iter().zip(gradients) {
        let mid = p.len() / 2;
        let ((p1, p2), (g_1, g_2)) = (p.split_at_mut(mid), g.split_at_mut(mid));
        first.push((p1, g_1, &g1[..mid], &g2[..mid]));
        second.push((p2, g_2, &g1[mid..], &g2[mid..]));
    }
    [first, second]
}

/// On one half of every parameter: the batch's gradient from its parts',
/// `g = s₁·g₁ + s₂·g₂` (`sᵢ` each part's share of the rows), then Adam's update.
pub fn sum_and_update(adam: &mut Adam<f32>, half: Half<'_>, (s1, s2): (f32, f32)) {
    let mut pairs = Vec::new();
    for (p, g, g1, g2) in half {
        for ((g, &a), &b) in g.iter_mut().zip(g1).zip(g2) {
            *g = s1 * a + s2 * b;
        }
        let g: &[f32] = g;
        pairs.push((
            ArrayViewMut1::from(p).into_dyn(),
            ArrayView1::from(g).into_dyn(),
        ));
    }
    adam.update(pairs);
}
// ANCHOR_END: two_adams

impl Part {
    /// Copies its rows into its buffers, and computes their gradient.
    fn learn(&mut self, params: &ConvParams, x: &Array2<f32>, t: &[usize], rows: &[usize]) -> f32 {
        self.buf.gather(x, t, rows);
        gradient_in(params, &mut self.grads, &mut self.buf, &mut |_| {})
    }
}
