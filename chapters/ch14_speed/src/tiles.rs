//! A kernel for exactly this network's shapes: a tile of the product kept in registers.
//!
//! The two large products of a step, `x·W1` and `xᵀ·dh`, both have 50 columns — narrow for
//! `matrixmultiply`, whose AVX-512 kernel computes tiles of 16 columns and spends a whole tile
//! on the last 2. This kernel keeps a tile of 6 rows by up to 64 columns of `c` in 24 vector
//! registers for the whole sum over `k`: at each `k` it loads one row of `b` (four registers),
//! and broadcasts one entry of `a` per row of the tile, for 24 fused multiply-adds. It reads `a`
//! where it lies, with any strides, so `xᵀ` needs no copy, and it packs nothing.

use ndarray::ArrayRef2;
use ndarray::linalg::general_mat_mul;

use crate::peak::Simd;

/// Rows of `c` in a tile.
const TILE_ROWS: usize = 6;
/// The most columns a tile holds: four registers of 16 lanes.
const TILE_COLUMNS: usize = 64;

/// `c ← a·b`, with the tile kernel where the processor has AVX-512 and `b` has at most 64
/// columns in row-major order (and `c` is row-major), and with `general_mat_mul` otherwise.
///
/// ```
/// use ndarray::{array, Array2};
/// let a = array![[1.0, 2.0, 3.0], [4.0, 5.0, 6.0]];
/// let b = array![[7.0, 8.0], [9.0, 10.0], [11.0, 12.0]];
/// let mut c = Array2::zeros((2, 2));
/// ch14_speed::tile_mat_mul(&a, &b, &mut c);
/// assert_eq!(c, array![[58.0, 64.0], [139.0, 154.0]]);
/// ```
///
/// # Panics
/// If the shapes do not chain.
pub fn tile_mat_mul(a: &ArrayRef2<f32>, b: &ArrayRef2<f32>, c: &mut ArrayRef2<f32>) {
    let ((m, k), (k_b, n)) = (a.dim(), b.dim());
    assert!(
        k == k_b && c.dim() == (m, n),
        "cannot compute a product of shapes {:?}·{:?} into a matrix of shape {:?}",
        a.dim(),
        b.dim(),
        c.dim()
    );
    #[cfg(target_arch = "x86_64")]
    {
        let fits = n <= TILE_COLUMNS && b.is_standard_layout() && c.is_standard_layout();
        let strides = (a.strides()[0], a.strides()[1]);
        if fits && strides.0 >= 0 && strides.1 >= 0 && Simd::detect() == Simd::Avx512 {
            let a_strides = (strides.0 as usize, strides.1 as usize);
            // SAFETY: the processor has AVX-512; `a` is read at `i·a_strides.0 + k·a_strides.1`
            // for i < m, k < k, inside its own view; `b` and `c` are row-major with n columns.
            unsafe { x86::product(m, k, n, a.as_ptr(), a_strides, b.as_ptr(), c.as_mut_ptr()) };
            return;
        }
    }
    general_mat_mul(1.0, a, b, 0.0, c);
}

#[cfg(target_arch = "x86_64")]
mod x86 {
    use super::{TILE_COLUMNS, TILE_ROWS};
    use std::arch::x86_64::*;

    /// `c ← a·b` for `m` rows of `c` (row-major, `n` ≤ 64 columns): whole tiles of 6 rows,
    /// then one smaller tile for the rows left.
    ///
    /// # Safety
    /// The processor has AVX-512; `a` holds `a[i·s0 + k·s1]` for i < m, k < k; `b` holds
    /// `k·n` numbers and `c` `m·n`.
    #[target_feature(enable = "avx512f")]
    pub(super) unsafe fn product(
        m: usize,
        k: usize,
        n: usize,
        a: *const f32,
        (s0, s1): (usize, usize),
        b: *const f32,
        c: *mut f32,
    ) {
        let mut masks = [0u16; 4]; // which lanes of each of the four registers are columns of c
        for (v, mask) in masks.iter_mut().enumerate() {
            let lanes = n.saturating_sub(16 * v).min(16);
            *mask = ((1u32 << lanes) - 1) as u16;
        }
        debug_assert!(n <= TILE_COLUMNS);
        // SAFETY: passed on from the caller.
        unsafe {
            match n.div_ceil(16) {
                0 | 1 => tiles::<1>(m, k, n, a, (s0, s1), b, c, masks),
                2 => tiles::<2>(m, k, n, a, (s0, s1), b, c, masks),
                3 => tiles::<3>(m, k, n, a, (s0, s1), b, c, masks),
                _ => tiles::<4>(m, k, n, a, (s0, s1), b, c, masks),
            }
        }
    }

    /// [`product`] with `V` registers for a row of `c` (`n` ≤ 16·V): whole tiles of 6 rows,
    /// then one smaller tile for the rows left.
    ///
    /// # Safety
    /// As [`product`].
    #[allow(clippy::too_many_arguments)]
    #[target_feature(enable = "avx512f")]
    unsafe fn tiles<const V: usize>(
        m: usize,
        k: usize,
        n: usize,
        a: *const f32,
        (s0, s1): (usize, usize),
        b: *const f32,
        c: *mut f32,
        masks: [u16; 4],
    ) {
        let masks: [u16; V] = std::array::from_fn(|v| masks[v]);
        let mut i = 0;
        while i < m {
            let rows = (m - i).min(TILE_ROWS);
            // SAFETY: rows i..i + rows of a and c exist (the caller's promise).
            unsafe {
                let (a_i, c_i) = (a.add(i * s0), c.add(i * n));
                match rows {
                    6 => tile::<6, V>(k, a_i, (s0, s1), b, n, c_i, masks),
                    5 => tile::<5, V>(k, a_i, (s0, s1), b, n, c_i, masks),
                    4 => tile::<4, V>(k, a_i, (s0, s1), b, n, c_i, masks),
                    3 => tile::<3, V>(k, a_i, (s0, s1), b, n, c_i, masks),
                    2 => tile::<2, V>(k, a_i, (s0, s1), b, n, c_i, masks),
                    _ => tile::<1, V>(k, a_i, (s0, s1), b, n, c_i, masks),
                }
            }
            i += rows;
        }
    }

    /// One tile: `R` rows of `c`, all its columns (`V` registers of 16 lanes each), summed over
    /// the whole `k` in registers.
    ///
    /// # Safety
    /// As [`product`], for `R` rows starting at `a` and `c`.
    // ANCHOR: tile
    #[target_feature(enable = "avx512f")]
    unsafe fn tile<const R: usize, const V: usize>(
        k: usize,
        a: *const f32,
        (s0, s1): (usize, usize),
        b: *const f32,
        n: usize,
        c: *mut f32,
        masks: [u16; V],
    ) {
        let mut acc = [[_mm512_setzero_ps(); V]; R]; // the tile of c: R rows × V registers
        for kk in 0..k {
            // SAFETY: row kk of b, and entry (r, kk) of a, exist (the caller's promise).
            unsafe {
                let b_k = b.add(kk * n);
                let row: [__m512; V] =
                    std::array::from_fn(|v| _mm512_maskz_loadu_ps(masks[v], b_k.add(16 * v)));
                for (r, acc_r) in acc.iter_mut().enumerate() {
                    let a_rk = _mm512_set1_ps(*a.add(r * s0 + kk * s1)); // aᵣₖ in every lane
                    for v in 0..V {
                        acc_r[v] = _mm512_fmadd_ps(a_rk, row[v], acc_r[v]); // cᵣ += aᵣₖ·bₖ
                    }
                }
            }
        }
        for (r, acc_r) in acc.iter().enumerate() {
            for v in 0..V {
                // SAFETY: row r of c exists; the mask leaves out lanes past its n columns.
                unsafe { _mm512_mask_storeu_ps(c.add(r * n + 16 * v), masks[v], acc_r[v]) };
            }
        }
    }
    // ANCHOR_END: tile
}

#[cfg(test)]
mod tests {
    use super::*;
    use ndarray::Array2;
    use seeded_rng::randn;

    #[test]
    fn tiles_compute_the_product_for_every_shape_and_layout() {
        let mut rng = seeded_rng::rng(6);
        for (m, k, n) in [
            (1, 1, 1),
            (7, 13, 50),
            (100, 784, 50),
            (13, 5, 64),
            (6, 9, 17),
            (5, 3, 70),
        ] {
            let a = randn::<f32>(&mut rng, (m, k));
            let a_t = randn::<f32>(&mut rng, (k, m)); // used as its transpose
            let b = randn::<f32>(&mut rng, (k, n));
            for a in [a.view(), a_t.t()] {
                let mut ours = Array2::from_elem((m, n), f32::NAN);
                tile_mat_mul(&a, &b, &mut ours);
                let theirs = a.dot(&b);
                for (x, y) in ours.iter().zip(&theirs) {
                    assert!(
                        (x - y).abs() < 1e-3 * (1.0 + y.abs()),
                        "{m}×{k}·{k}×{n}: {x} vs {y}"
                    );
                }
            }
        }
    }
}
