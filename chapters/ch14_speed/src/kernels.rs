//! Matrix products, from the definition to a kernel: the same `c = a·b` written several ways, and
//! the product into a buffer that the evaluation splits over the cores.

use ch03_layers::matmul_by_hand;
use ch08_gradients::thousands;
use ndarray::linalg::general_mat_mul;
use ndarray::{Array2, ArrayRef2, ArrayView2, ArrayViewMut2, Axis};
use seeded_rng::randn;

use crate::flops::Work;
use crate::peak::{Peak, Simd};
use crate::tiles::tile_mat_mul;
use crate::timed::seconds_per_call;

/// The ways of computing a product that the chapter races.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kernel {
    /// The layers chapter's `matmul_by_hand`: `cᵢⱼ = Σₖ aᵢₖ·bₖⱼ`, one entry at a time, walking
    /// down a column of `b`.
    ByHand,
    /// [`matmul_rows`]: the loops reordered so that the inner one runs along rows, compiled for
    /// any processor of the family (on x86-64: SSE2, 4 lanes, no fused multiply-add).
    Rows,
    /// The same loop compiled for AVX2 with FMA (8 lanes).
    RowsAvx2,
    /// The same loop compiled for AVX-512 (16 lanes).
    RowsAvx512,
    /// ndarray's product, `general_mat_mul`: the `matrixmultiply` crate's blocked, packed
    /// kernels, the widest the processor has chosen at run time.
    Matrixmultiply,
    /// [`tile_mat_mul`]: our own kernel for products with at most 64 columns (AVX-512).
    Tiles,
}

impl Kernel {
    /// Every kernel this processor can run, in the order of the chapter.
    pub fn available() -> Vec<Kernel> {
        let simd = Simd::detect();
        let mut kernels = vec![Kernel::ByHand, Kernel::Rows];
        if matches!(simd, Simd::Avx2Fma | Simd::Avx512) {
            kernels.push(Kernel::RowsAvx2);
        }
        if simd == Simd::Avx512 {
            kernels.push(Kernel::RowsAvx512);
        }
        kernels.push(Kernel::Matrixmultiply);
        if simd == Simd::Avx512 {
            kernels.push(Kernel::Tiles);
        }
        kernels
    }

    /// The kernel's name in the chapter's tables.
    pub fn name(self) -> &'static str {
        match self {
            Kernel::ByHand => "by hand (i, j, k)",
            Kernel::Rows if cfg!(target_arch = "x86_64") => "rows (i, k, j), SSE2",
            Kernel::Rows => "rows (i, k, j)",
            Kernel::RowsAvx2 => "rows, AVX2+FMA",
            Kernel::RowsAvx512 => "rows, AVX-512",
            Kernel::Matrixmultiply => "matrixmultiply",
            Kernel::Tiles => "tiles, AVX-512",
        }
    }

    /// `c ← a·b`.
    ///
    /// # Panics
    /// If the shapes do not chain, or the processor lacks the kernel's instructions.
    pub fn run(self, a: &Array2<f32>, b: &Array2<f32>, c: &mut Array2<f32>) {
        match self {
            Kernel::ByHand => c.assign(&matmul_by_hand(a, b)),
            Kernel::Rows => matmul_rows(a, b, c),
            Kernel::RowsAvx2 | Kernel::RowsAvx512 => matmul_rows_simd(self, a, b, c),
            Kernel::Matrixmultiply => general_mat_mul(1.0, a, b, 0.0, c),
            Kernel::Tiles => tile_mat_mul(a, b, c),
        }
    }
}

impl Kernel {
    /// `c ← a·b` for any layout of `a`, by matrixmultiply or by the tiles.
    ///
    /// # Panics
    /// If the kernel is neither, or the shapes do not chain.
    fn run_on(self, a: &ArrayRef2<f32>, b: &ArrayRef2<f32>, c: &mut ArrayRef2<f32>) {
        match self {
            Kernel::Matrixmultiply => general_mat_mul(1.0, a, b, 0.0, c),
            Kernel::Tiles => tile_mat_mul(a, b, c),
            other => panic!("{} needs matrices in row-major layout", other.name()),
        }
    }
}

/// Panics unless `a` (m, k), `b` (k, n) and `c` (m, n) chain.
fn assert_chain(a: (usize, usize), b: (usize, usize), c: (usize, usize)) {
    assert!(
        a.1 == b.0 && c == (a.0, b.1),
        "cannot compute a product of shapes {a:?}·{b:?} into a matrix of shape {c:?}"
    );
}

/// `c ← a·b` with the loops in the order i, k, j: row `i` of `c` is built up as a sum of rows
/// of `b`, each scaled by one entry of `a`. Every inner loop walks memory in order, which is
/// what vector instructions need.
///
/// ```text
/// for i: cᵢ = 0;  for k: cᵢ += aᵢₖ · bₖ      (cᵢ, bₖ: rows)
/// ```
///
/// ```
/// use ndarray::{array, Array2};
/// let a = array![[1.0, 2.0, 3.0], [4.0, 5.0, 6.0]];
/// let b = array![[7.0, 8.0], [9.0, 10.0], [11.0, 12.0]];
/// let mut c = Array2::zeros((2, 2));
/// ch14_speed::matmul_rows(&a, &b, &mut c);
/// assert_eq!(c, array![[58.0, 64.0], [139.0, 154.0]]);
/// ```
///
/// # Panics
/// If the shapes do not chain, or a matrix is not in standard (row-major) layout.
pub fn matmul_rows(a: &Array2<f32>, b: &Array2<f32>, c: &mut Array2<f32>) {
    assert_chain(a.dim(), b.dim(), c.dim());
    let n = b.ncols();
    let (a, b, c) = (
        slice(a),
        slice(b),
        c.as_slice_mut().expect("c in row-major layout"),
    );
    rows_loop(a, b, c, n, |c, a, b| *c += a * b);
}

/// A matrix's entries, row after row.
pub(crate) fn slice(m: &Array2<f32>) -> &[f32] {
    m.as_slice().expect("a matrix in row-major layout")
}

/// The i, k, j loop on row-major slices, with `update(c, a, b)` doing `c += a·b`.
// ANCHOR: rows_loop
#[inline(always)]
fn rows_loop(a: &[f32], b: &[f32], c: &mut [f32], n: usize, update: impl Fn(&mut f32, f32, f32)) {
    let k = b.len() / n;
    for (a_i, c_i) in a.chunks_exact(k).zip(c.chunks_exact_mut(n)) {
        c_i.fill(0.0);
        for (&a_ik, b_k) in a_i.iter().zip(b.chunks_exact(n)) {
            for (c_ij, &b_kj) in c_i.iter_mut().zip(b_k) {
                update(c_ij, a_ik, b_kj); // cᵢⱼ += aᵢₖ·bₖⱼ
            }
        }
    }
}
// ANCHOR_END: rows_loop

/// [`matmul_rows`] compiled for wider vectors with fused multiply-adds.
///
/// # Panics
/// If `kernel` is not one of the two, the processor lacks its instructions, or the shapes do
/// not chain.
fn matmul_rows_simd(kernel: Kernel, a: &Array2<f32>, b: &Array2<f32>, c: &mut Array2<f32>) {
    assert_chain(a.dim(), b.dim(), c.dim());
    let simd = Simd::detect();
    let n = b.ncols();
    let (a, b, c) = (
        slice(a),
        slice(b),
        c.as_slice_mut().expect("c in row-major layout"),
    );
    #[cfg(target_arch = "x86_64")]
    {
        if kernel == Kernel::RowsAvx512 && simd == Simd::Avx512 {
            // SAFETY: the processor has AVX-512 (checked just above).
            return unsafe { rows_avx512(a, b, c, n) };
        }
        if kernel == Kernel::RowsAvx2 && matches!(simd, Simd::Avx2Fma | Simd::Avx512) {
            // SAFETY: the processor has AVX2 and FMA (checked just above).
            return unsafe { rows_avx2(a, b, c, n) };
        }
    }
    let _ = (a, b, c, n);
    panic!(
        "{} needs instructions this processor lacks ({})",
        kernel.name(),
        simd.name()
    );
}

// ANCHOR: target_feature
#[cfg(target_arch = "x86_64")]
#[target_feature(enable = "avx2,fma")]
fn rows_avx2(a: &[f32], b: &[f32], c: &mut [f32], n: usize) {
    rows_loop(a, b, c, n, |c, a, b| *c = a.mul_add(b, *c)); // one fused instruction
}

#[cfg(target_arch = "x86_64")]
#[target_feature(enable = "avx512f")]
fn rows_avx512(a: &[f32], b: &[f32], c: &mut [f32], n: usize) {
    rows_loop(a, b, c, n, |c, a, b| *c = a.mul_add(b, *c));
}
// ANCHOR_END: target_feature

/// Products with fewer output rows than this per part are not split between threads.
const SPLIT_MIN_ROWS: usize = 32;
/// Products with fewer multiply-adds than this per part are not split between threads: waking
/// a sleeping thread and waiting for it costs tens of microseconds, more than it saves on a
/// product smaller than this (a few hundred microseconds of work). The products of a training
/// step stay whole; those of an evaluation on thousands of images are split.
const SPLIT_MIN_WORK: usize = 1 << 24;

/// The matrix product into a matrix we already have, on all cores when it is big:
/// `c ← α·a·b + β·c`.
///
/// ndarray's `general_mat_mul` writes the product into `c`, which must already have the
/// product's shape, so no new matrix is allocated. When the product is large, the rows of `a`
/// (and so of `c`) are cut into parts multiplied at the same time on different threads. Every
/// entry of `c` is computed by the same arithmetic however the rows are cut, so the result does
/// not depend on the number of threads.
///
/// NumPy: `c[...] = alpha * a @ b + beta * c`.
///
/// ```
/// use ch14_speed::mat_mul_into;
/// use ndarray::array;
/// let a = array![[1.0, 2.0], [3.0, 4.0]];
/// let b = array![[1.0, 0.0], [0.0, 2.0]];
/// let mut c = array![[1.0, 1.0], [1.0, 1.0]];
/// mat_mul_into(1.0, &a, &b, 1.0, &mut c); // c ← a·b + c
/// assert_eq!(c, array![[2.0, 5.0], [4.0, 9.0]]);
/// ```
///
/// # Panics
/// If the shapes do not chain: `a` (m, k), `b` (k, n), `c` (m, n).
pub fn mat_mul_into(
    alpha: f32,
    a: &ArrayRef2<f32>,
    b: &ArrayRef2<f32>,
    beta: f32,
    c: &mut ArrayRef2<f32>,
) {
    let ((m, k), (_, n)) = (a.dim(), b.dim());
    assert_chain(a.dim(), b.dim(), c.dim());
    let threads = rayon::current_num_threads();
    let most = (m / SPLIT_MIN_ROWS).min(m * k * n / SPLIT_MIN_WORK); // parts worth a thread
    let parts = if threads == 1 || most < threads {
        1
    } else {
        (most / threads * threads).min(4 * threads) // a multiple of the threads
    };
    mat_mul_parts(alpha, a.view(), b, beta, c.view_mut(), parts);
}

/// `c ← α·a·b + β·c` with the rows cut into `parts` parts, run in parallel.
// ANCHOR: mat_mul_parts
fn mat_mul_parts(
    alpha: f32,
    a: ArrayView2<'_, f32>,
    b: &ArrayRef2<f32>,
    beta: f32,
    mut c: ArrayViewMut2<'_, f32>,
    parts: usize,
) {
    if parts <= 1 {
        return general_mat_mul(alpha, &a, b, beta, &mut c);
    }
    let first = parts / 2; // parts in the first half
    let mid = a.nrows() * first / parts;
    let (a_top, a_bottom) = a.split_at(Axis(0), mid);
    let (c_top, c_bottom) = c.split_at(Axis(0), mid);
    rayon::join(
        || mat_mul_parts(alpha, a_top, b, beta, c_top, first),
        || mat_mul_parts(alpha, a_bottom, b, beta, c_bottom, parts - first),
    );
}
// ANCHOR_END: mat_mul_parts

/// Seconds per training step spent in its matrix products alone (all but `dx`), on one core,
/// for a batch of `rows` rows: by matrixmultiply, or with the two large ones by
/// [`tile_mat_mul`] if `tiles`. The least time a version that computes them so can take, even
/// if everything else took none.
pub fn step_products_seconds(
    work: &Work,
    rows: usize,
    tiles: bool,
    seconds: f64,
    windows: usize,
) -> f64 {
    let mut rng = seeded_rng::rng(0);
    let mut random = |shape| randn::<f32>(&mut rng, shape);
    let (x, w1) = (
        random((rows, work.inputs)),
        random((work.inputs, work.hidden)),
    );
    let (h, w2) = (
        random((rows, work.hidden)),
        random((work.hidden, work.classes)),
    );
    let dy = random((rows, work.classes));
    let mut a1 = Array2::zeros(h.raw_dim());
    let mut y = Array2::zeros(dy.raw_dim());
    let (mut dw1, mut dw2) = (Array2::zeros(w1.raw_dim()), Array2::zeros(w2.raw_dim()));
    let mut dh = Array2::zeros(h.raw_dim());
    let large = if tiles {
        Kernel::Tiles
    } else {
        Kernel::Matrixmultiply
    };
    let products = || {
        large.run_on(&x.view(), &w1, &mut a1);
        general_mat_mul(1.0, &h, &w2, 0.0, &mut y);
        general_mat_mul(1.0, &h.t(), &dy, 0.0, &mut dw2);
        general_mat_mul(1.0, &dy, &w2.t(), 0.0, &mut dh);
        large.run_on(&x.t(), &dh, &mut dw1);
    };
    seconds_per_call(products, seconds, windows)
}

/// The time of a step's products alone (no dx), whole batches on one core and half batches on
/// each core, by matrixmultiply and with the tiles: a table, each time the best of `windows` windows
/// of at least `seconds`.
pub fn products_ceiling(work: &Work, peak: &Peak, seconds: f64, windows: usize) -> String {
    let steps = work.iterations as f64;
    let step_flops = work.step_flops(false) as f64;
    let mut lines = vec![format!(
        "\na step's products (no dx)      kernel for x·W1, xᵀ·dh  µs a step  {} steps  of peak",
        thousands(work.iterations)
    )];
    for (rows, cores, what) in [
        (work.batch, 1, "whole batch, one core"),
        (work.batch / 2, peak.cores, "half a batch on each core"),
    ] {
        for tiles in [false, true] {
            let kernel = if tiles {
                Kernel::Tiles
            } else {
                Kernel::Matrixmultiply
            };
            if tiles && !Kernel::available().contains(&Kernel::Tiles) {
                continue;
            }
            let time = step_products_seconds(work, rows, tiles, seconds, windows);
            let of = if cores == 1 {
                peak.one_core
            } else {
                peak.all_cores
            };
            lines.push(format!(
                "{what:<30} {:<22} {:>10.1} {:>9.2} s {:>7.0}%",
                kernel.name(),
                time * 1e6,
                time * steps,
                100.0 * step_flops / time / of
            ));
        }
    }
    lines.join("\n") + "\n"
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_kernel_computes_the_product() {
        let mut rng = seeded_rng::rng(1);
        let (a, b) = (
            randn::<f32>(&mut rng, (7, 19)),
            randn::<f32>(&mut rng, (19, 37)),
        );
        let want = a.dot(&b);
        for kernel in Kernel::available() {
            let mut c = Array2::from_elem((7, 37), f32::NAN);
            kernel.run(&a, &b, &mut c);
            for (x, y) in c.iter().zip(&want) {
                assert!((x - y).abs() < 1e-4, "{}: {x} against {y}", kernel.name());
            }
        }
    }

    #[test]
    fn a_split_product_equals_the_unsplit_one_bit_for_bit() {
        let mut rng = seeded_rng::rng(8);
        for (m, k, n) in [(100, 784, 50), (784, 100, 50), (1000, 300, 7)] {
            let a = randn::<f32>(&mut rng, (m, k));
            let b = randn::<f32>(&mut rng, (k, n));
            let mut whole = Array2::ones((m, n));
            general_mat_mul(1.0, &a, &b, 1.0, &mut whole);
            for parts in [2, 3, 8] {
                let mut split = Array2::ones((m, n));
                mat_mul_parts(1.0, a.view(), &b, 1.0, split.view_mut(), parts);
                assert_eq!(split, whole, "{m}×{k}·{k}×{n} in {parts} parts");
            }
            let mut ours = Array2::ones((m, n));
            mat_mul_into(1.0, &a, &b, 1.0, &mut ours);
            assert_eq!(ours, whole, "{m}×{k}·{k}×{n}");
        }
    }

    #[test]
    #[should_panic(expected = "cannot compute a product of shapes (2, 3)·(2, 3)")]
    fn shapes_that_do_not_chain_are_named() {
        mat_mul_into(
            1.0,
            &Array2::zeros((2, 3)),
            &Array2::zeros((2, 3)),
            0.0,
            &mut Array2::zeros((2, 3)),
        );
    }
}
