//! Convolution by hand, then as one matrix product: *Deep Learning from Scratch* §7.2 and
//! `common/util.py` (`im2col`, `col2im`).

use ch03_layers::Float;
use ndarray::{Array1, Array2, Array4, Array6, ArrayView4, s};

/// The size of a convolution's (or a pooling's) output along one axis.
///
/// ```text
/// OH = ⌊(H + 2P − FH) / S⌋ + 1
/// ```
///
/// with `H` the input's size, `FH` the filter's, `P` the padding and `S` the stride. When the
/// stride does not divide `H + 2P − FH`, the last rows of the input that no filter position
/// reaches are left out, as DLFS's `//` and PyTorch do.
///
/// ```
/// use ch12_convolution::output_size;
/// assert_eq!(output_size(4, 3, 0, 1), 2);  // a 3×3 filter fits twice across 4
/// assert_eq!(output_size(4, 3, 1, 1), 4);  // padding 1 keeps the size
/// assert_eq!(output_size(7, 3, 0, 2), 3);  // stride 2: positions 0, 2, 4
/// assert_eq!(output_size(28, 5, 0, 1), 24);
/// ```
///
/// # Panics
/// If the filter does not fit in the padded input, or the stride is 0.
// ANCHOR: output_size
pub fn output_size(input: usize, filter: usize, pad: usize, stride: usize) -> usize {
    let padded = input + 2 * pad;
    assert!(
        stride > 0 && filter <= padded,
        "a filter of {filter} with stride {stride} does not fit in {input} padded by {pad}"
    );
    (padded - filter) / stride + 1
}
// ANCHOR_END: output_size

/// `x` with `pad` rows and columns of zeros around it.
///
/// NumPy: `np.pad(x, pad)`.
///
/// ```
/// use ndarray::array;
/// let padded = ch12_convolution::pad2d(&array![[1.0, 2.0]], 1);
/// assert_eq!(padded, array![[0.0, 0.0, 0.0, 0.0], [0.0, 1.0, 2.0, 0.0], [0.0, 0.0, 0.0, 0.0]]);
/// ```
pub fn pad2d<F: Float>(x: &Array2<F>, pad: usize) -> Array2<F> {
    let (h, w) = x.dim();
    let mut padded = Array2::zeros((h + 2 * pad, w + 2 * pad));
    padded.slice_mut(s![pad..pad + h, pad..pad + w]).assign(x);
    padded
}

/// The convolution of one image `x` by one filter `w`, entry by entry, as on paper: each
/// output is the sum of the filter times the patch of the (padded) input under it.
///
/// ```text
/// y[i, j] = Σ_a Σ_b  w[a, b] · x[i·S + a, j·S + b]
/// ```
///
/// (Deep learning calls this convolution; mathematics calls it cross-correlation, since the
/// filter is not flipped.)
///
/// ```
/// use ch12_convolution::convolve2d;
/// use ndarray::array;
/// let x = array![[1.0, 2.0, 3.0, 0.0], [0.0, 1.0, 2.0, 3.0], [3.0, 0.0, 1.0, 2.0], [2.0, 3.0, 0.0, 1.0]];
/// let w = array![[2.0, 0.0, 1.0], [0.0, 1.0, 2.0], [1.0, 0.0, 2.0]];
/// assert_eq!(convolve2d(&x, &w, 0, 1), array![[15.0, 16.0], [6.0, 15.0]]); // DLFS figure 7-4
/// ```
// ANCHOR: convolve2d
pub fn convolve2d<F: Float>(x: &Array2<F>, w: &Array2<F>, pad: usize, stride: usize) -> Array2<F> {
    let ((h, wd), (fh, fw)) = (x.dim(), w.dim());
    let (oh, ow) = (
        output_size(h, fh, pad, stride),
        output_size(wd, fw, pad, stride),
    );
    let x = pad2d(x, pad);
    let mut y = Array2::zeros((oh, ow));
    for i in 0..oh {
        for j in 0..ow {
            let mut sum = F::zero();
            for a in 0..fh {
                for b in 0..fw {
                    sum = sum + w[[a, b]] * x[[i * stride + a, j * stride + b]];
                }
            }
            y[[i, j]] = sum;
        }
    }
    y
}
// ANCHOR_END: convolve2d

/// The convolution of a batch of images with several channels by a bank of filters, with
/// one bias per filter: every filter sees every channel, and sums over them. Loops only: the
/// slow, obvious version that [`im2col`] must agree with.
///
/// ```text
/// x: (N, C, H, W)   w: (FN, C, FH, FW)   b: (FN)   →   y: (N, FN, OH, OW)
/// y[n, f, i, j] = b[f] + Σ_c Σ_a Σ_b  w[f, c, a, b] · x[n, c, i·S + a, j·S + b]
/// ```
///
/// ```
/// use ch12_convolution::convolve;
/// use ndarray::{Array1, Array4};
/// let x = Array4::from_elem((1, 2, 3, 3), 1.0); // two channels of ones
/// let w = Array4::from_elem((1, 2, 2, 2), 0.5);
/// let y = convolve(&x, &w, &Array1::from_elem(1, 1.0), 0, 1);
/// assert_eq!(y, Array4::from_elem((1, 1, 2, 2), 5.0)); // 1 + 2 channels · 4 · 0.5
/// ```
///
/// # Panics
/// If `x` and `w` differ in channels, or `b` has not one entry per filter.
// ANCHOR: convolve
pub fn convolve<F: Float>(
    x: &Array4<F>,
    w: &Array4<F>,
    b: &Array1<F>,
    pad: usize,
    stride: usize,
) -> Array4<F> {
    // fn_: the number of filters (`fn` is a Rust keyword)
    let ((n, c, h, wd), (fn_, fc, fh, fw)) = (x.dim(), w.dim());
    assert!(
        c == fc && b.len() == fn_,
        "x {:?}, w {:?}, b {:?}",
        x.dim(),
        w.dim(),
        b.dim()
    );
    let (oh, ow) = (
        output_size(h, fh, pad, stride),
        output_size(wd, fw, pad, stride),
    );
    let mut y = Array4::zeros((n, fn_, oh, ow));
    for image in 0..n {
        for f in 0..fn_ {
            let mut sum = Array2::from_elem((oh, ow), b[f]);
            for channel in 0..c {
                let x = x.slice(s![image, channel, .., ..]).to_owned();
                let w = w.slice(s![f, channel, .., ..]).to_owned();
                sum = sum + convolve2d(&x, &w, pad, stride);
            }
            y.slice_mut(s![image, f, .., ..]).assign(&sum);
        }
    }
    y
}
// ANCHOR_END: convolve

/// Images to columns: every patch a filter would see becomes one row of a matrix, so that a
/// convolution by all filters at once is one matrix product with the filters as columns.
///
/// ```text
/// x: (N, C, H, W)  →  col: (N·OH·OW, C·FH·FW)
/// row (n, i, j) holds x[n, c, i·S + a, j·S + b] for every (c, a, b), in that order
/// ```
///
/// As DLFS's `im2col` does it, the loops run over the filter's `FH·FW` positions, not over
/// the `N·OH·OW` patches: for filter position `(a, b)`, the entries every patch takes from
/// there form one strided slice of the padded input, `x[:, :, a : a + S·OH : S, b : b + S·OW : S]` (the last row it takes is `a + S·(OH − 1)`).
///
/// NumPy (DLFS): `col[:, :, y, x, :, :] = img[:, :, y:y_max:stride, x:x_max:stride]`, then
/// `col.transpose(0, 4, 5, 1, 2, 3).reshape(N*out_h*out_w, -1)`.
///
/// ```
/// use ch12_convolution::im2col;
/// use ndarray::{array, Array4};
/// let x = Array4::from_shape_vec((1, 1, 3, 3), (1..=9).map(f64::from).collect()).unwrap();
/// let col = im2col(&x.view(), 2, 2, 0, 1); // four 2×2 patches
/// assert_eq!(col, array![[1.0, 2.0, 4.0, 5.0], [2.0, 3.0, 5.0, 6.0],
///                        [4.0, 5.0, 7.0, 8.0], [5.0, 6.0, 8.0, 9.0]]);
/// ```
// ANCHOR: im2col
pub fn im2col<F: Float>(
    x: &ArrayView4<F>,
    fh: usize,
    fw: usize,
    pad: usize,
    stride: usize,
) -> Array2<F> {
    let (n, c, h, w) = x.dim();
    let (oh, ow) = (
        output_size(h, fh, pad, stride),
        output_size(w, fw, pad, stride),
    );
    let mut img = Array4::zeros((n, c, h + 2 * pad, w + 2 * pad));
    img.slice_mut(s![.., .., pad..pad + h, pad..pad + w])
        .assign(x);
    let mut col = Array6::zeros((n, c, fh, fw, oh, ow));
    for a in 0..fh {
        for b in 0..fw {
            let patch = img.slice(
                s![.., .., a..=a + stride * (oh - 1);stride, b..=b + stride * (ow - 1);stride],
            );
            col.slice_mut(s![.., .., a, b, .., ..]).assign(&patch);
        }
    }
    let col = col.permuted_axes([0, 4, 5, 1, 2, 3]); // (N, OH, OW, C, FH, FW)
    let col = col.as_standard_layout().into_owned();
    col.into_shape_with_order((n * oh * ow, c * fh * fw))
        .expect("a standard-layout array takes any shape of its size")
}
// ANCHOR_END: im2col

/// Columns back to images: the reverse of [`im2col`], for the backward pass. An input entry
/// that several patches share receives the sum of what each patch's row holds for it.
///
/// NumPy (DLFS): `img[:, :, y:y_max:stride, x:x_max:stride] += col[:, :, y, x, :, :]`.
///
/// ```
/// use ch12_convolution::col2im;
/// use ndarray::Array2;
/// // four 2×2 patches of a 3×3 image, every entry 1: the centre is in all four
/// let img = col2im(&Array2::<f64>::ones((4, 4)), (1, 1, 3, 3), 2, 2, 0, 1);
/// assert_eq!(img[[0, 0, 1, 1]], 4.0);
/// assert_eq!(img[[0, 0, 0, 0]], 1.0);
/// ```
///
/// # Panics
/// If `col` is not `(N·OH·OW, C·FH·FW)` for that input shape.
// ANCHOR: col2im
pub fn col2im<F: Float>(
    col: &Array2<F>,
    (n, c, h, w): (usize, usize, usize, usize),
    fh: usize,
    fw: usize,
    pad: usize,
    stride: usize,
) -> Array4<F> {
    let (oh, ow) = (
        output_size(h, fh, pad, stride),
        output_size(w, fw, pad, stride),
    );
    let col = col
        .view()
        .into_shape_with_order((n, oh, ow, c, fh, fw))
        .expect("col is (N·OH·OW, C·FH·FW)");
    let col = col.permuted_axes([0, 3, 4, 5, 1, 2]); // (N, C, FH, FW, OH, OW)
    let mut img = Array4::zeros((n, c, h + 2 * pad, w + 2 * pad));
    for a in 0..fh {
        for b in 0..fw {
            let mut patch = img.slice_mut(
                s![.., .., a..=a + stride * (oh - 1);stride, b..=b + stride * (ow - 1);stride],
            );
            let from_col = col.slice(s![.., .., a, b, .., ..]);
            patch.zip_mut_with(&from_col, |p, &c| *p = *p + c); // patch += col[:, :, a, b]
        }
    }
    img.slice(s![.., .., pad..pad + h, pad..pad + w]).to_owned()
}
// ANCHOR_END: col2im

#[cfg(test)]
mod tests {
    use super::*;
    use ndarray::array;
    use seeded_rng::randn;

    fn random4(
        rng: &mut seeded_rng::ChaCha8Rng,
        shape: (usize, usize, usize, usize),
    ) -> Array4<f64> {
        let (a, b, c, d) = shape;
        randn::<f64>(rng, (a * b, c * d))
            .into_shape_with_order(shape)
            .unwrap()
    }

    #[test]
    fn padding_one_gives_dlfs_figure_7_6() {
        let x = array![
            [1.0, 2.0, 3.0, 0.0],
            [0.0, 1.0, 2.0, 3.0],
            [3.0, 0.0, 1.0, 2.0],
            [2.0, 3.0, 0.0, 1.0]
        ];
        let w = array![[2.0, 0.0, 1.0], [0.0, 1.0, 2.0], [1.0, 0.0, 2.0]];
        let y = convolve2d(&x, &w, 1, 1);
        let expected = array![
            [7.0, 12.0, 10.0, 2.0],
            [4.0, 15.0, 16.0, 10.0],
            [10.0, 6.0, 15.0, 6.0],
            [8.0, 10.0, 4.0, 3.0]
        ];
        assert_eq!(y, expected);
    }

    #[test]
    fn stride_two_keeps_every_other_output() {
        let mut rng = seeded_rng::rng(1);
        let x = randn::<f64>(&mut rng, (7, 7));
        let w = randn::<f64>(&mut rng, (3, 3));
        let every = convolve2d(&x, &w, 0, 1);
        let strided = convolve2d(&x, &w, 0, 2);
        assert_eq!(strided, every.slice(s![..;2, ..;2]));
    }

    #[test]
    fn im2col_times_filters_is_the_convolution() {
        let mut rng = seeded_rng::rng(2);
        for (pad, stride) in [(0, 1), (1, 1), (2, 1), (1, 2), (0, 3)] {
            let x = random4(&mut rng, (2, 3, 7, 7));
            let w = random4(&mut rng, (4, 3, 3, 3));
            let b = array![0.5, -1.0, 0.0, 2.0];
            let expected = convolve(&x, &w, &b, pad, stride);
            let (n, fn_, oh, ow) = expected.dim();
            let col = im2col(&x.view(), 3, 3, pad, stride);
            let w_col = w.clone().into_shape_with_order((4, 27)).unwrap();
            let y = col.dot(&w_col.t()) + &b; // (N·OH·OW, FN)
            let y = y.into_shape_with_order((n, oh, ow, fn_)).unwrap();
            let y = y.permuted_axes([0, 3, 1, 2]);
            let diff = (&y - &expected)
                .mapv(f64::abs)
                .fold(0.0, |m: f64, &d| m.max(d));
            assert!(diff < 1e-12, "pad {pad} stride {stride}: {diff}");
        }
    }

    #[test]
    fn col2im_is_the_transpose_of_im2col() {
        // ⟨im2col(x), c⟩ = ⟨x, col2im(c)⟩ for any x and c: col2im is im2col's adjoint,
        // which is exactly what a backward pass needs.
        let mut rng = seeded_rng::rng(3);
        let shape = (2, 2, 6, 5);
        let x = random4(&mut rng, shape);
        for (pad, stride) in [(0, 1), (1, 1), (1, 2)] {
            let col = im2col(&x.view(), 3, 3, pad, stride);
            let c = randn::<f64>(&mut rng, col.dim());
            let left = (&col * &c).sum();
            let right = (&x * &col2im(&c, shape, 3, 3, pad, stride)).sum();
            assert!((left - right).abs() < 1e-10, "{left} ≠ {right}");
        }
    }

    #[test]
    #[should_panic(expected = "a filter of 5 with stride 1 does not fit in 3 padded by 0")]
    fn a_filter_larger_than_the_input_is_refused() {
        output_size(3, 5, 0, 1);
    }
}
