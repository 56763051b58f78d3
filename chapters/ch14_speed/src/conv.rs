//! The convolutional chapter's SimpleConvNet made fast: the same network, the same weights, the
//! same Adam and the same batches, with im2col written into a buffer, the convolution's output
//! kept in the layout its product gives (one row per patch, one column per filter, "channels
//! last"), ReLU, bias and pooling in one pass that remembers each window's winner, the
//! convolution one image at a time (in cache), no `dx` for the first layer (no col2im), and each
//! batch split between two cores.
//!
//! The network is *Deep Learning from Scratch*'s SimpleConvNet on MNIST, and only it: conv 30
//! filters 5×5 → ReLU → max pool 2×2 → affine 100 → ReLU → affine 10. Its sizes are constants,
//! as the two-layer network's are fields of one concrete type.

use std::thread;

use ch09_backprop::Sequential;
use ch10_optimizers::{Adam, Optimizer};
use ch12_convolution::{Split, permutation};
use ndarray::linalg::general_mat_mul;
use ndarray::{
    Array1, Array2, ArrayD, ArrayRef2, ArrayView1, ArrayViewD, ArrayViewMut1, ArrayViewMutD, s,
};
use seeded_rng::Rng;

use crate::buffers::softmax_with_loss_in_place;
use crate::network::relu_backward_in_place;
use crate::tiles::tile_mat_mul;

/// An image's side (MNIST: 28 × 28, one channel).
pub const SIDE: usize = 28;
/// A filter's side, and the numbers of a patch (one channel): 5 × 5.
pub const FILTER: usize = 5;
pub const PATCH: usize = FILTER * FILTER;
/// The convolution's output side (28 − 5 + 1) and the pooled side (24 / 2).
pub const CONV_SIDE: usize = SIDE - FILTER + 1;
pub const POOL_SIDE: usize = CONV_SIDE / 2;
/// Filters, and the numbers of one image after pooling: 12 · 12 · 30.
pub const FILTERS: usize = 30;
pub const POOLED: usize = POOL_SIDE * POOL_SIDE * FILTERS;
/// The hidden affine layer's units, and the classes.
pub const HIDDEN: usize = 100;
pub const CLASSES: usize = 10;
/// Where a pooling window's winner was not positive: ReLU stopped its gradient.
const NO_WINNER: u32 = u32::MAX;

/// SimpleConvNet's parameters, or their gradients, in the layouts the fast network uses.
///
/// ```text
/// wc: (C·FH·FW, FN) = (25, 30)      the filters as columns: conv = col · wc
/// w1: (12·12·30, 100)               rows in the pooled order (i, j, filter), channels last
/// ```
#[derive(Debug, Clone, PartialEq)]
pub struct ConvParams {
    pub wc: Array2<f32>,
    pub bc: Array1<f32>,
    pub w1: Array2<f32>,
    pub b1: Array1<f32>,
    pub w2: Array2<f32>,
    pub b2: Array1<f32>,
}

impl ConvParams {
    /// Every parameter zero.
    pub fn zeros() -> ConvParams {
        ConvParams {
            wc: Array2::zeros((PATCH, FILTERS)),
            bc: Array1::zeros(FILTERS),
            w1: Array2::zeros((POOLED, HIDDEN)),
            b1: Array1::zeros(HIDDEN),
            w2: Array2::zeros((HIDDEN, CLASSES)),
            b2: Array1::zeros(CLASSES),
        }
    }

    /// The parameters of the convolutional chapter's SimpleConvNet (`conv_net(&SIMPLE_CONV_NET,
    /// …)`), moved into this layout: the filters transposed, and the rows of `W1` reordered from
    /// the plain network's `(filter, i, j)` to `(i, j, filter)`.
    ///
    /// # Panics
    /// If `net` is not a SimpleConvNet on 28 × 28 images.
    pub fn from_plain(net: &mut Sequential<f32>) -> ConvParams {
        let plain: Vec<ArrayD<f32>> = net
            .params_and_grads()
            .into_iter()
            .map(|(p, _)| p.to_owned())
            .collect();
        Self::from_plain_arrays(&plain)
    }

    /// [`ConvParams::from_plain`] from the six arrays (`W`, `b` of each layer, first first).
    ///
    /// # Panics
    /// If they are not SimpleConvNet's.
    pub fn from_plain_arrays(plain: &[ArrayD<f32>]) -> ConvParams {
        let shapes: Vec<&[usize]> = plain.iter().map(|a| a.shape()).collect();
        let expected: [&[usize]; 6] = [
            &[FILTERS, 1, FILTER, FILTER],
            &[FILTERS],
            &[POOLED, HIDDEN],
            &[HIDDEN],
            &[HIDDEN, CLASSES],
            &[CLASSES],
        ];
        assert_eq!(shapes, expected, "not the parameters of SimpleConvNet");
        let flat = |a: &ArrayD<f32>| a.iter().copied().collect::<Vec<f32>>();
        let matrix = |a: &ArrayD<f32>, rows, cols| {
            Array2::from_shape_vec((rows, cols), flat(a)).expect("the shape was checked")
        };
        let mut p = ConvParams::zeros();
        p.wc = matrix(&plain[0], FILTERS, PATCH)
            .t()
            .as_standard_layout()
            .into_owned();
        p.bc = Array1::from(flat(&plain[1]));
        let w1 = matrix(&plain[2], POOLED, HIDDEN);
        for (row, at) in channels_last_rows().enumerate() {
            p.w1.row_mut(row).assign(&w1.row(at));
        }
        p.b1 = Array1::from(flat(&plain[3]));
        p.w2 = matrix(&plain[4], HIDDEN, CLASSES);
        p.b2 = Array1::from(flat(&plain[5]));
        p
    }

    /// The same numbers in the plain network's layouts and order, as
    /// [`ConvParams::from_plain_arrays`] takes them.
    pub fn to_plain_arrays(&self) -> Vec<ArrayD<f32>> {
        let mut w1 = Array2::zeros((POOLED, HIDDEN));
        for (row, at) in channels_last_rows().enumerate() {
            w1.row_mut(at).assign(&self.w1.row(row));
        }
        let wc = self.wc.t().as_standard_layout().into_owned();
        let wc = wc
            .into_shape_with_order((FILTERS, 1, FILTER, FILTER))
            .expect("FN·C·FH·FW entries");
        vec![
            wc.into_dyn(),
            self.bc.clone().into_dyn(),
            w1.into_dyn(),
            self.b1.clone().into_dyn(),
            self.w2.clone().into_dyn(),
            self.b2.clone().into_dyn(),
        ]
    }

    /// Every parameter's numbers, in the order of [`ConvParams::to_plain_arrays`].
    fn slices(&self) -> [&[f32]; 6] {
        let all = [&self.wc, &self.w1, &self.w2].map(|w| w.as_slice().expect("row order"));
        let biases = [&self.bc, &self.b1, &self.b2].map(|b| b.as_slice().expect("row order"));
        [all[0], biases[0], all[1], biases[1], all[2], biases[2]]
    }

    /// [`ConvParams::slices`], to write.
    fn slices_mut(&mut self) -> [&mut [f32]; 6] {
        let ConvParams {
            wc,
            bc,
            w1,
            b1,
            w2,
            b2,
        } = self;
        [
            wc.as_slice_mut().expect("row order"),
            bc.as_slice_mut().expect("row order"),
            w1.as_slice_mut().expect("row order"),
            b1.as_slice_mut().expect("row order"),
            w2.as_slice_mut().expect("row order"),
            b2.as_slice_mut().expect("row order"),
        ]
    }
}

/// For each row of the fast network's `W1`, in order, the plain network's row: pooled entry
/// `(i, j, f)` is the plain network's `(f, i, j)`.
fn channels_last_rows() -> impl Iterator<Item = usize> {
    let cells = POOL_SIDE * POOL_SIDE;
    (0..cells).flat_map(move |cell| (0..FILTERS).map(move |f| f * cells + cell))
}

/// Every parameter with its gradient, in the order the plain network gives them, for the
/// convolutional chapter's optimizers.
pub fn params_and_grads<'a>(
    p: &'a mut ConvParams,
    g: &'a ConvParams,
) -> Vec<(ArrayViewMutD<'a, f32>, ArrayViewD<'a, f32>)> {
    vec![
        (p.wc.view_mut().into_dyn(), g.wc.view().into_dyn()),
        (p.bc.view_mut().into_dyn(), g.bc.view().into_dyn()),
        (p.w1.view_mut().into_dyn(), g.w1.view().into_dyn()),
        (p.b1.view_mut().into_dyn(), g.b1.view().into_dyn()),
        (p.w2.view_mut().into_dyn(), g.w2.view().into_dyn()),
        (p.b2.view_mut().into_dyn(), g.b2.view().into_dyn()),
    ]
}

/// The matrices of one training step of SimpleConvNet, made once for `N` images.
#[derive(Debug, Clone, PartialEq)]
pub struct ConvBuffers {
    pub x: Array2<f32>,    // (N, 784): the batch
    pub t: Vec<usize>,     // (N): its labels
    col: Array2<f32>,      // (N·24·24, 25): every patch a row
    conv: Array2<f32>,     // (24·24, 30): one image's col·Wc, one column per filter
    pooled: Array2<f32>,   // (N, 12·12·30): max(0, the window's largest conv + b), channels last
    winners: Vec<u32>,     // (N·12·12·30): the row of its image's conv that won each window
    h: Array2<f32>,        // (N, 100)
    y: Array2<f32>,        // (N, 10): scores, then probabilities, then dy
    dh: Array2<f32>,       // (N, 100)
    dpooled: Array2<f32>,  // (N, 12·12·30)
    dconv: Array2<f32>,    // (24·24, 30): one image's
    dwc_part: Array2<f32>, // (30, 25): one image's dWcᵀ
    dwc_sum: Array2<f32>,  // (30, 25): the batch's
}

impl ConvBuffers {
    /// Buffers for batches of `n` images.
    pub fn new(n: usize) -> ConvBuffers {
        let patches = n * CONV_SIDE * CONV_SIDE;
        ConvBuffers {
            x: Array2::zeros((n, SIDE * SIDE)),
            t: Vec::with_capacity(n),
            col: Array2::zeros((patches, PATCH)),
            conv: Array2::zeros((CONV_SIDE * CONV_SIDE, FILTERS)),
            pooled: Array2::zeros((n, POOLED)),
            winners: vec![NO_WINNER; n * POOLED],
            h: Array2::zeros((n, HIDDEN)),
            y: Array2::zeros((n, CLASSES)),
            dh: Array2::zeros((n, HIDDEN)),
            dpooled: Array2::zeros((n, POOLED)),
            dconv: Array2::zeros((CONV_SIDE * CONV_SIDE, FILTERS)),
            dwc_part: Array2::zeros((FILTERS, PATCH)),
            dwc_sum: Array2::zeros((FILTERS, PATCH)),
        }
    }

    /// Copies rows `rows` of `x` and their labels into the batch.
    ///
    /// # Panics
    /// If there is not one row per row of the buffer.
    pub fn gather(&mut self, x: &Array2<f32>, t: &[usize], rows: &[usize]) {
        assert_eq!(rows.len(), self.x.nrows(), "a batch of another size");
        for (mut to, &i) in self.x.rows_mut().into_iter().zip(rows) {
            to.assign(&x.row(i));
        }
        self.t.clear();
        self.t.extend(rows.iter().map(|&i| t[i]));
    }
}

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

/// The largest difference between two lists of arrays, relative to the largest entry of the
/// first: `max |a − b| / max |a|`.
///
/// # Panics
/// If the lists differ in length or their arrays in shape.
pub fn relative_difference(a: &[ArrayD<f32>], b: &[ArrayD<f32>]) -> f64 {
    assert_eq!(a.len(), b.len(), "lists of different lengths");
    let (mut diff, mut scale) = (0.0f64, 0.0f64);
    for (a, b) in a.iter().zip(b) {
        assert_eq!(a.shape(), b.shape(), "arrays of different shapes");
        for (&a, &b) in a.iter().zip(b) {
            diff = diff.max(f64::from((a - b).abs()));
            scale = scale.max(f64::from(a.abs()));
        }
    }
    diff / scale.max(f64::MIN_POSITIVE)
}

#[cfg(test)]
mod tests {
    use super::*;
    use ch10_optimizers::Init;
    use ch12_convolution::{SIMPLE_CONV_NET, conv_net};
    use ndarray::Axis;

    /// A SimpleConvNet with weights large enough that every gradient is far from 0, and a
    /// batch of random images.
    fn plain_and_batch(n: usize, seed: u64) -> (Sequential<f32>, Array2<f32>, Vec<usize>) {
        let mut rng = seeded_rng::rng(seed);
        let net = conv_net::<f32>(&SIMPLE_CONV_NET, (1, SIDE, SIDE), Init::He, &mut rng);
        let x = seeded_rng::randn::<f32>(&mut rng, (n, SIDE * SIDE)).mapv(f32::abs);
        let t = (0..n).map(|i| (i * 3) % CLASSES).collect();
        (net, x, t)
    }

    fn plain_grads(net: &mut Sequential<f32>) -> Vec<ArrayD<f32>> {
        net.params_and_grads()
            .into_iter()
            .map(|(_, g)| g.to_owned())
            .collect()
    }

    #[test]
    fn the_layouts_go_there_and_back() {
        let (mut net, ..) = plain_and_batch(1, 1);
        let plain: Vec<ArrayD<f32>> = net
            .params_and_grads()
            .into_iter()
            .map(|(p, _)| p.to_owned())
            .collect();
        let fast = ConvParams::from_plain(&mut net);
        assert_eq!(fast.to_plain_arrays(), plain);
        assert_ne!(fast.w1.row(1).into_dyn(), plain[2].index_axis(Axis(0), 1)); // rows moved
    }

    #[test]
    fn the_fast_gradient_is_the_plain_networks() {
        let (mut net, x, t) = plain_and_batch(6, 2);
        let plain_loss = net.gradient(&x, &t);
        let params = ConvParams::from_plain(&mut net);
        let (mut grads, mut buf) = (ConvParams::zeros(), ConvBuffers::new(6));
        buf.gather(&x, &t, &[0, 1, 2, 3, 4, 5]);
        let loss = gradient_in(&params, &mut grads, &mut buf, &mut |_| {});
        assert!(
            (loss - plain_loss).abs() < 1e-5 * plain_loss.abs(),
            "{loss} {plain_loss}"
        );
        let difference = relative_difference(&plain_grads(&mut net), &grads.to_plain_arrays());
        assert!(difference < 1e-4, "{difference}");
        assert!(grads.wc.iter().any(|&g| g != 0.0) && grads.bc.iter().any(|&g| g != 0.0));
    }

    #[test]
    fn two_halves_take_the_step_one_core_takes() {
        let (mut net, x, t) = plain_and_batch(8, 3);
        let params = ConvParams::from_plain(&mut net);
        let (mut one, mut two) = (
            FastConvNet::new(params.clone(), 8, 1, 0.001),
            FastConvNet::new(params, 8, 2, 0.001),
        );
        let rows = [7, 0, 3, 5, 1, 2, 6, 4];
        for _ in 0..3 {
            let (l1, l2) = (one.step(&x, &t, &rows), two.step(&x, &t, &rows));
            assert!((l1 - l2).abs() < 1e-5 * l1.abs(), "{l1} {l2}");
        }
        let difference =
            relative_difference(&one.params.to_plain_arrays(), &two.params.to_plain_arrays());
        assert!(difference < 1e-5, "{difference}");
    }

    #[test]
    fn the_fast_network_learns_what_the_plain_one_learns() {
        // Three Adam steps of each, from the same weights on the same batches.
        let (mut net, x, t) = plain_and_batch(10, 4);
        let mut fast = FastConvNet::new(ConvParams::from_plain(&mut net), 5, 2, 0.001);
        let mut adam = Adam::new(0.001);
        for rows in [[0, 1, 2, 3, 4], [5, 6, 7, 8, 9], [9, 7, 5, 3, 1]] {
            net.gradient(&x.select(Axis(0), &rows), &rows.map(|i| t[i]));
            adam.update(net.params_and_grads());
            fast.step(&x, &t, &rows);
        }
        let plain: Vec<ArrayD<f32>> = net
            .params_and_grads()
            .into_iter()
            .map(|(p, _)| p.to_owned())
            .collect();
        let difference = relative_difference(&plain, &fast.params.to_plain_arrays());
        assert!(difference < 1e-4, "{difference}");
        let split = Split { x, t };
        let plain_accuracy = ch12_convolution::accuracy(&mut net, &split);
        assert_eq!(fast.accuracy(&split), plain_accuracy);
    }

    #[test]
    fn a_window_with_nothing_positive_passes_no_gradient() {
        let mut conv = Array2::from_elem((CONV_SIDE * CONV_SIDE, FILTERS), -1.0f32);
        conv[[CONV_SIDE + 1, 2]] = 3.0; // window (0, 0), its bottom right, filter 2
        let (mut pooled, mut winners) = (vec![0.0; POOLED], vec![0; POOLED]);
        let b = Array1::from_elem(FILTERS, 0.5);
        bias_relu_pool(&conv, &b, &mut pooled, &mut winners);
        assert_eq!((pooled[2], winners[2]), (3.5, (CONV_SIDE + 1) as u32));
        assert_eq!((pooled[3], winners[3]), (0.0, NO_WINNER));
        assert_eq!(pooled.iter().filter(|&&v| v != 0.0).count(), 1);
    }
}
