//! Allocation removed from the loop: every matrix of a training step lives in a buffer made
//! once, and each step writes into the same memory again.

use ch04_activations::relu;
use ch05_loss::clip_probability;
use ndarray::linalg::general_mat_mul;
use ndarray::{Array1, Array2, ArrayRef2};

use crate::network::{Params, TwoLayer, relu_backward_in_place};
use crate::tiles::tile_mat_mul;

/// The matrices of one training step, made once for a batch size and reused by every step.
#[derive(Debug, Clone, PartialEq)]
pub struct Buffers {
    pub x: Array2<f32>, // (N, inputs): the batch
    pub t: Vec<usize>,  // (N): its labels
    h: Array2<f32>,     // (N, hidden): the hidden layer's output
    y: Array2<f32>,     // (N, classes): scores, then probabilities, then dy
    dh: Array2<f32>,    // (N, hidden)
    tiles: bool,        // whether the two large products use `tile_mat_mul`
}

impl Buffers {
    /// Buffers for batches of `batch` rows, for a network with these parameters.
    pub fn new(batch: usize, params: &Params) -> Buffers {
        let (inputs, hidden) = params.w1.dim();
        let classes = params.b2.len();
        Buffers {
            x: Array2::zeros((batch, inputs)),
            t: Vec::with_capacity(batch),
            h: Array2::zeros((batch, hidden)),
            y: Array2::zeros((batch, classes)),
            dh: Array2::zeros((batch, hidden)),
            tiles: false,
        }
    }

    /// The same buffers, with the step's two large products, `x·W1` and `xᵀ·dh`, computed by
    /// [`tile_mat_mul`] instead of `matrixmultiply`.
    pub fn with_tiles(mut self) -> Buffers {
        self.tiles = true;
        self
    }

    /// Copies rows `rows` of `x` and their labels into the batch buffers.
    ///
    /// # Panics
    /// If there is not one row per row of the buffer, or an index is out of range.
    pub fn gather(&mut self, x: &Array2<f32>, t: &[usize], rows: &[usize]) {
        assert_eq!(
            rows.len(),
            self.x.nrows(),
            "a batch buffer of {} rows cannot hold {} rows",
            self.x.nrows(),
            rows.len()
        );
        for (mut to, &i) in self.x.rows_mut().into_iter().zip(rows) {
            to.assign(&x.row(i));
        }
        self.t.clear();
        self.t.extend(rows.iter().map(|&i| t[i]));
    }
}

/// `c ← a·b`, into `c`.
fn product_into(a: &ArrayRef2<f32>, b: &ArrayRef2<f32>, c: &mut ArrayRef2<f32>) {
    general_mat_mul(1.0, a, b, 0.0, c);
}

/// `c ← a·b` for the two large products: by `tile_mat_mul` if `tiles`.
fn large_product_into(tiles: bool, a: &ArrayRef2<f32>, b: &ArrayRef2<f32>, c: &mut ArrayRef2<f32>) {
    if tiles {
        tile_mat_mul(a, b, c);
    } else {
        product_into(a, b, c);
    }
}

/// `db ← Σₙ doutₙ`, the rows of `dout` summed in order, into `db`.
fn sum_rows_into(dout: &Array2<f32>, db: &mut Array1<f32>) {
    db.fill(0.0);
    for row in dout.rows() {
        *db += &row;
    }
}

impl TwoLayer {
    /// [`TwoLayer::gradient`] on the batch in `buf`, with every matrix written into `buf` or
    /// into the gradients: the same arithmetic in the same order, so the same numbers bit for
    /// bit, but nothing allocated. Returns the loss.
    // ANCHOR: gradient_in
    pub fn gradient_in(&mut self, buf: &mut Buffers) -> f32 {
        let (Params { w1, b1, w2, b2 }, g) = (&self.params, &mut self.grads);
        let tiles = buf.tiles; // our kernel for x·W1 and xᵀ·dh?
        let Buffers { x, t, h, y, dh, .. } = buf;
        // forward
        large_product_into(tiles, x, w1, h); // h = x·W1
        *h += b1;
        h.mapv_inplace(relu);
        product_into(h, w2, y); // y = h·W2
        *y += b2;
        let loss = softmax_with_loss_in_place(y, t); // y becomes dy = (y − t)/N

        // backward
        product_into(&h.t(), y, &mut g.w2); // dW2 = hᵀ·dy
        sum_rows_into(y, &mut g.b2);
        product_into(y, &w2.t(), dh); // dh = dy·W2ᵀ
        relu_backward_in_place(dh, h);
        large_product_into(tiles, &x.t(), dh, &mut g.w1); // dW1 = xᵀ·dh
        sum_rows_into(dh, &mut g.b1);
        loss
    }
    // ANCHOR_END: gradient_in
}

/// Softmax of each row of the scores `y`, the mean cross-entropy loss against `t`, and then
/// `(y − t)/N` in place of `y`: the backward pass of softmax-with-loss.
///
/// Each row's softmax is computed as the activations chapter's `softmax` computes it (the
/// maximum subtracted, the exponentials divided by their sum), so the numbers are the same.
pub(crate) fn softmax_with_loss_in_place(y: &mut Array2<f32>, t: &[usize]) -> f32 {
    let n = t.len() as f32;
    let mut loss = 0.0;
    for (mut row, &class) in y.rows_mut().into_iter().zip(t) {
        let max = row.fold(f32::NEG_INFINITY, |m, &v| m.max(v));
        row.mapv_inplace(|v| (v - max).exp());
        let sum = row.sum();
        row.mapv_inplace(|v| v / sum);
        loss -= clip_probability(row[class]).ln();
        row[class] -= 1.0; // y − t
    }
    y.mapv_inplace(|v| v / n);
    loss / n
}

#[cfg(test)]
mod tests {
    use super::*;
    use ndarray::Axis;
    use seeded_rng::randn;

    #[test]
    fn buffers_give_the_allocating_gradient_bit_for_bit() {
        let mut rng = seeded_rng::rng(3);
        let params = Params {
            w1: randn::<f32>(&mut rng, (12, 6)),
            b1: randn::<f32>(&mut rng, (1, 6)).row(0).to_owned(),
            w2: randn::<f32>(&mut rng, (6, 4)),
            b2: randn::<f32>(&mut rng, (1, 4)).row(0).to_owned(),
        };
        let x = randn::<f32>(&mut rng, (30, 12));
        let t: Vec<usize> = (0..30).map(|i| (i * 7) % 4).collect();
        let (mut lean, mut fast) = (TwoLayer::new(params.clone()), TwoLayer::new(params.clone()));
        let mut buf = Buffers::new(9, &params);
        for step in 0..20 {
            let rows: Vec<usize> = (0..9).map(|i| (step * 5 + i * 3) % 30).collect();
            let (xb, tb): (Array2<f32>, Vec<usize>) = (
                x.select(Axis(0), &rows),
                rows.iter().map(|&i| t[i]).collect(),
            );
            lean.gradient(&xb, &tb);
            buf.gather(&x, &t, &rows);
            fast.gradient_in(&mut buf);
            assert_eq!(fast.grads, lean.grads, "step {step}");
            lean.sgd_step(0.5);
            fast.sgd_step(0.5);
        }
        assert_eq!(fast.params, lean.params);
    }
}
