//! The fast SimpleConvNet's forward and backward passes: im2col, the convolution, and bias, ReLU
//! and pooling one image at a time, then the affine layers on the whole batch; backward, no `dx`
//! for the first layer and the filters' gradient one image at a time.

use ndarray::linalg::general_mat_mul;
use ndarray::{Array1, Array2, ArrayRef2, s};

use super::{
    CONV_SIDE, ConvBuffers, ConvParams, FILTER, FILTERS, NO_WINNER, PATCH, POOL_SIDE, POOLED, SIDE,
};
use crate::buffers::softmax_with_loss_in_place;
use crate::network::relu_backward_in_place;
use crate::tiles::tile_mat_mul;

/// im2col of one image straight into its rows of `col`, for 28 × 28 images and 5 × 5
/// filters, stride 1, no padding:
///
/// ```text
/// col[i·24 + j, a·5 + b] = image[(i + a)·28 + (j + b)]
/// ```
///
/// Each patch row is five runs of five neighbouring pixels, copied as they lie.
// ANCHOR: im2col_into
pub fn im2col_into(image: &[f32], col: &mut [f32]) {
    let mut patches = col.chunks_exact_mut(PATCH); // one patch a row
    for i in 0..CONV_SIDE {
        for j in 0..CONV_SIDE {
            let patch = patches.next().expect("one row per patch");
            for (a, to) in patch.chunks_exact_mut(FILTER).enumerate() {
                let from = (i + a) * SIDE + j;
                to.copy_from_slice(&image[from..from + FILTER]);
            }
        }
    }
}
// ANCHOR_END: im2col_into

/// The convolution's bias, ReLU and 2 × 2 max pooling in one pass over one image's `conv`
/// (one row per patch, one column per filter), writing its pooled numbers channels last, and
/// for each the row of `conv` that won its window (or `NO_WINNER` if ReLU made it 0):
///
/// ```text
/// pooled[(i·12 + j)·30 + f] = max(0, max over the window of conv[r, f] + b[f])
/// r over the window: (2i + a)·24 + 2j + b,  a, b ∈ {0, 1}
/// ```
///
/// ReLU then max is max then ReLU (both keep order), so one comparison with 0 at the end
/// does for ReLU. The winners are found in the plain layers' order (ties to the first).
// ANCHOR: bias_relu_pool
pub fn bias_relu_pool(
    conv: &Array2<f32>,
    b: &Array1<f32>,
    pooled: &mut [f32],
    winners: &mut [u32],
) {
    let conv = conv.as_slice().expect("conv in row order");
    let b = b.as_slice().expect("b in row order");
    let cells = pooled.chunks_exact_mut(FILTERS);
    for (cell, (out, won)) in cells.zip(winners.chunks_exact_mut(FILTERS)).enumerate() {
        let r = top_left(cell);
        let window = [r, r + 1, r + CONV_SIDE, r + CONV_SIDE + 1];
        for f in 0..FILTERS {
            let (mut best, mut at) = (conv[r * FILTERS + f] + b[f], r);
            for &row in &window[1..] {
                let v = conv[row * FILTERS + f] + b[f];
                if v > best {
                    (best, at) = (v, row);
                }
            }
            (out[f], won[f]) = if best > 0.0 {
                (best, at as u32)
            } else {
                (0.0, NO_WINNER)
            };
        }
    }
}
// ANCHOR_END: bias_relu_pool

/// The row of an image's `conv` at the top left of its pooling window `cell`:
///
/// ```text
/// cell = i·12 + j   →   row 2i·24 + 2j
/// ```
fn top_left(cell: usize) -> usize {
    let (i, j) = (cell / POOL_SIDE, cell % POOL_SIDE);
    2 * i * CONV_SIDE + 2 * j
}

/// The backward pass of pooling, ReLU and bias for one image, into `dconv` (its rows of
/// `conv`, 24·24 × 30): each pooled entry's gradient goes to the row that won its window, every
/// other entry is 0; and each filter's bias gradient, added into `db`.
///
/// ```text
/// dconv[r, f] = dpooled[(i·12 + j)·30 + f]  if row r won window (i, j) for filter f, else 0
/// db[f]      += Σ over the windows with a winner for f of dpooled[(i·12 + j)·30 + f]
/// ```
///
/// The windows cover the image's rows exactly, so every entry of `dconv` is written once.
// ANCHOR: unpool
pub fn unpool((dpooled, winners): (&[f32], &[u32]), dconv: &mut Array2<f32>, db: &mut Array1<f32>) {
    let dconv = dconv.as_slice_mut().expect("dconv in row order");
    let cells = dpooled
        .chunks_exact(FILTERS)
        .zip(winners.chunks_exact(FILTERS));
    for (cell, (d, won)) in cells.enumerate() {
        let r = top_left(cell);
        for r in [r, r + CONV_SIDE] {
            dconv[r * FILTERS..(r + 2) * FILTERS].fill(0.0); // two neighbouring rows
        }
        for f in 0..FILTERS {
            if won[f] != NO_WINNER {
                dconv[won[f] as usize * FILTERS + f] = d[f];
                db[f] += d[f];
            }
        }
    }
}
// ANCHOR_END: unpool

/// The filters' gradients, one image at a time, so that its patches and its `dconv` stay in
/// the processor's cache:
///
/// ```text
/// dWcᵀ = Σ over images n of  dconvₙᵀ · colₙ      (30 × 576)·(576 × 25)
/// ```
///
/// with `dconvₙ` from [`unpool`] and `colₙ` the image's 576 patch rows. No col2im: the first
/// layer's input needs no gradient.
// ANCHOR: filters_gradient
pub fn filters_gradient(
    (dpooled, winners, col): (&Array2<f32>, &[u32], &Array2<f32>),
    (dconv, part, sum): (&mut Array2<f32>, &mut Array2<f32>, &mut Array2<f32>),
    (dwc, db): (&mut Array2<f32>, &mut Array1<f32>),
) {
    let rows = CONV_SIDE * CONV_SIDE; // patches of an image
    let winners = winners.chunks_exact(POOLED);
    sum.fill(0.0);
    db.fill(0.0);
    for (n, (d, won)) in dpooled.rows().into_iter().zip(winners).enumerate() {
        let d = d.to_slice().expect("a row in row order");
        unpool((d, won), dconv, db);
        let col_n = col.slice(s![n * rows..(n + 1) * rows, ..]);
        tile_mat_mul(&dconv.t(), &col_n, part); // dconvₙᵀ·colₙ
        *sum += &*part;
    }
    dwc.assign(&sum.t());
}
// ANCHOR_END: filters_gradient

/// `c ← a·b`, into `c` (`matrixmultiply`'s kernels).
fn product_into(a: &ArrayRef2<f32>, b: &ArrayRef2<f32>, c: &mut ArrayRef2<f32>) {
    general_mat_mul(1.0, a, b, 0.0, c);
}

/// `db ← Σₙ doutₙ`, into `db`.
fn sum_rows_into(dout: &Array2<f32>, db: &mut Array1<f32>) {
    db.fill(0.0);
    for row in dout.rows() {
        *db += &row;
    }
}

/// The forward pass of the batch in `buf`, to the scores in `buf.y`. The convolution and
/// pooling go one image at a time, so that its patches and its `conv` stay in the processor's
/// cache from one step to the next. `lap(name)` is called at the end of each step (for the
/// profile; `|_| {}` otherwise).
// ANCHOR: forward_in
// ANCHOR: forward_in_sig
pub fn forward_in(p: &ConvParams, buf: &mut ConvBuffers, lap: &mut impl FnMut(&'static str)) {
    // ANCHOR_END: forward_in_sig
    let ConvBuffers {
        x,
        col,
        conv,
        pooled,
        winners,
        h,
        y,
        ..
    } = buf;
    let rows = CONV_SIDE * CONV_SIDE; // patches of an image
    let images = x.rows().into_iter().zip(pooled.rows_mut());
    // ANCHOR: forward_in_for
    for (n, (image, mut pooled)) in images.enumerate() {
        // ANCHOR_END: forward_in_for
        let image = image.to_slice().expect("an image in row order");
        let mut col_n = col.slice_mut(s![n * rows..(n + 1) * rows, ..]);
        let patches = col_n.as_slice_mut().expect("rows of col in row order");
        let pooled = pooled.as_slice_mut().expect("a row in row order");
        let won = &mut winners[n * POOLED..(n + 1) * POOLED];
        // ANCHOR: forward_in_body
        im2col_into(image, patches);
        lap("im2col");
        tile_mat_mul(&col_n, &p.wc, conv); // convₙ = colₙ·Wc
        lap("conv = col·Wc");
        bias_relu_pool(conv, &p.bc, pooled, won);
        lap("bias, ReLU, pool");
    }
    product_into(pooled, &p.w1, h); // h = relu(pooled·W1 + b1)
    *h += &p.b1;
    h.mapv_inplace(|v| v.max(0.0));
    product_into(h, &p.w2, y); // y = h·W2 + b2
    *y += &p.b2;
    lap("affine forward");
}
// ANCHOR_END: forward_in_body
// ANCHOR_END: forward_in

/// The loss of the batch in `buf` and every parameter's gradient, into `g`: the plain
/// network's gradient, without the first layer's `dx`.
// ANCHOR: gradient_in
pub fn gradient_in(
    p: &ConvParams,
    g: &mut ConvParams,
    buf: &mut ConvBuffers,
    lap: &mut impl FnMut(&'static str),
) -> f32 {
    forward_in(p, buf, lap);
    let ConvBuffers {
        t,
        col,
        pooled,
        winners,
        h,
        y,
        dh,
        dpooled,
        dconv,
        dwc_part,
        dwc_sum,
        ..
    } = buf;
    let loss = softmax_with_loss_in_place(y, t); // y becomes dy = (y − t)/N
    product_into(&h.t(), y, &mut g.w2); // dW2 = hᵀ·dy
    sum_rows_into(y, &mut g.b2);
    product_into(y, &p.w2.t(), dh); // dh = dy·W2ᵀ, through ReLU
    relu_backward_in_place(dh, h);
    lap("softmax, affine 2 backward");
    product_into(&pooled.t(), dh, &mut g.w1); // dW1 = pooledᵀ·dh
    sum_rows_into(dh, &mut g.b1);
    lap("dW1 = pooledᵀ·dh");
    product_into(dh, &p.w1.t(), dpooled); // dpooled = dh·W1ᵀ
    lap("dpooled = dh·W1ᵀ");
    let scratch = (dconv, dwc_part, dwc_sum);
    filters_gradient((dpooled, winners, col), scratch, (&mut g.wc, &mut g.bc));
    lap("unpool, dWc = colᵀ·dconv");
    loss
}
// ANCHOR_END: gradient_in
