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
//!
//! Here: its sizes, its parameters and its buffers. The forward and backward passes are in
//! `conv/passes.rs`, the training step (on one core, or two) in `conv/training.rs`; both are
//! re-exported here.

use ch09_backprop::Sequential;
use ndarray::{Array1, Array2, ArrayD, ArrayViewD, ArrayViewMutD};

mod passes;
mod training;

pub use passes::{bias_relu_pool, filters_gradient, forward_in, gradient_in, im2col_into, unpool};
pub use training::{FastConvNet, Half, halves, sum_and_update};

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
mod tests;
