//! Convolution and max-pooling as layers of the backprop chapter, forward and backward:
//! *Deep Learning from Scratch*'s `Convolution` and `Pooling` (`common/layers.py`).
//!
//! Every layer of the backprop chapter takes a batch as a matrix, one sample per row, and so
//! do these: a row is one image with its channels one after the other, each row by row (NumPy's
//! `x.reshape(N, -1)` of an `(N, C, H, W)` array). Each layer knows the shape `(C, H, W)` of
//! the images it takes and views its rows in that shape. The Affine, ReLU and
//! Softmax-with-loss layers of the backprop chapter then work after them unchanged.

use ch03_layers::{Float, float};
use ndarray::{Array1, Array2, Array4, ArrayViewD, ArrayViewMutD, Axis};
use seeded_rng::{Rng, randn};

use crate::convolution::{col2im, im2col, output_size};
use ch09_backprop::Layer;

/// The shape of one image: channels, height, width.
pub type Shape = (usize, usize, usize);

/// How many numbers an image of `shape` holds.
pub fn size_of((c, h, w): Shape) -> usize {
    c * h * w
}

/// A convolution layer: `FN` filters of `C × FH × FW` weights, each with a bias, slid over
/// the input with padding `P` and stride `S`.
///
/// ```text
/// forward:  col = im2col(x)                 (N·OH·OW, C·FH·FW)
///           y   = col · Wᵀ + b              (N·OH·OW, FN), W seen as (FN, C·FH·FW)
/// backward: dW  = doutᵀ · col               (FN, C·FH·FW)
///           db  = Σ dout over all rows      (FN)
///           dx  = col2im(dout · W)
/// ```
///
/// Once the patches are rows, the layer is the Affine layer of the backprop chapter, and its
/// backward pass is Affine's, with `col2im` to put the patches' gradients back where the
/// patches came from.
///
/// NumPy (DLFS): `class Convolution` of `common/layers.py`.
///
/// ```
/// use ch09_backprop::Layer;
/// use ch12_convolution::Convolution;
/// use ndarray::{array, Array4};
/// // one 2×2 filter of ones on one 3×3 image: the sums of the four 2×2 patches, plus 1
/// let mut conv = Convolution::from_parts(Array4::ones((1, 1, 2, 2)), array![1.0], (1, 3, 3), 0, 1);
/// let y = conv.forward(&array![[1.0, 2.0, 3.0, 4.0, 5.0, 6.0, 7.0, 8.0, 9.0]]);
/// assert_eq!(y, array![[13.0, 17.0, 25.0, 29.0]]);
/// ```
///
/// # Panics
/// In `forward`, if a row is not one image of the layer's input shape.
// ANCHOR: convolution
#[derive(Debug, Clone, PartialEq)]
pub struct Convolution<F> {
    pub w: Array4<F>, // (FN, C, FH, FW)
    pub b: Array1<F>, // (FN)
    pub dw: Array4<F>,
    pub db: Array1<F>,
    pub pad: usize,
    pub stride: usize,
    pub input: Shape, // (C, H, W) of one image
    col: Array2<F>,   // (N·OH·OW, C·FH·FW): the patches of the last forward pass
}
// ANCHOR_END: convolution

impl<F: Float> Layer<F> for Convolution<F> {
    // ANCHOR: convolution_forward
    fn forward(&mut self, x: &Array2<F>) -> Array2<F> {
        let (n, (c, h, w)) = (x.nrows(), self.input);
        let (fn_, _, fh, fw) = self.w.dim(); // fn_: filters (`fn` is a keyword)
        let x = x
            .view()
            .into_shape_with_order((n, c, h, w))
            .expect("one image a row");
        self.col = im2col(&x, fh, fw, self.pad, self.stride);
        let y = self.col.dot(&self.w_col().t()) + &self.b; // (N·OH·OW, FN)
        let (oh, ow) = self.output_hw();
        let y = y
            .into_shape_with_order((n, oh, ow, fn_))
            .expect("rows are patches");
        let y = y.permuted_axes([0, 3, 1, 2]); // (N, FN, OH, OW)
        to_rows(y.as_standard_layout().into_owned())
    }
    // ANCHOR_END: convolution_forward

    // ANCHOR: convolution_backward
    fn backward(&mut self, dout: &Array2<F>) -> Array2<F> {
        let (n, (c, h, w)) = (dout.nrows(), self.input);
        let (fn_, _, fh, fw) = self.w.dim(); // fn_: filters (`fn` is a keyword)
        let (oh, ow) = self.output_hw();
        let dout = dout
            .view()
            .into_shape_with_order((n, fn_, oh, ow))
            .expect("one image a row")
            .permuted_axes([0, 2, 3, 1]) // (N, OH, OW, FN)
            .as_standard_layout()
            .into_owned()
            .into_shape_with_order((n * oh * ow, fn_))
            .expect("a standard-layout array takes any shape of its size");

        self.db = dout.sum_axis(Axis(0));
        let dw = dout.t().dot(&self.col); // (FN, C·FH·FW)
        self.dw = dw
            .into_shape_with_order(self.w.raw_dim())
            .expect("FN·C·FH·FW entries");
        let dcol = dout.dot(&self.w_col()); // (N·OH·OW, C·FH·FW)
        to_rows(col2im(&dcol, (n, c, h, w), fh, fw, self.pad, self.stride))
    }
    // ANCHOR_END: convolution_backward

    fn params_and_grads(&mut self) -> Vec<(ArrayViewMutD<'_, F>, ArrayViewD<'_, F>)> {
        vec![
            (self.w.view_mut().into_dyn(), self.dw.view().into_dyn()),
            (self.b.view_mut().into_dyn(), self.db.view().into_dyn()),
        ]
    }
}

/// A batch of images `(N, C, H, W)` as a matrix, one image a row.
pub fn to_rows<F: Float>(images: Array4<F>) -> Array2<F> {
    let n = images.dim().0;
    let size = images.len() / n.max(1);
    images
        .as_standard_layout()
        .into_owned()
        .into_shape_with_order((n, size))
        .expect("a standard-layout array takes any shape of its size")
}

impl<F: Float> Convolution<F> {
    /// `filters` filters of `size × size` over images of shape `input`, weights drawn from
    /// `std · N(0, 1)`, biases zero.
    ///
    /// NumPy (DLFS): `weight_init_std * np.random.randn(filter_num, C, filter_size,
    /// filter_size)`, `np.zeros(filter_num)`.
    pub fn new(
        input: Shape,
        filters: usize,
        size: usize,
        pad: usize,
        std: f64,
        rng: &mut impl Rng,
    ) -> Self {
        let c = input.0;
        let w = randn::<f64>(rng, (filters, c * size * size)).mapv(|v| float::<F>(std * v));
        let w = w
            .into_shape_with_order((filters, c, size, size))
            .expect("FN·C·FH·FW entries");
        Convolution::from_parts(w, Array1::zeros(filters), input, pad, 1)
    }

    /// A layer with the given filters `(FN, C, FH, FW)` and biases `(FN)`, over images of
    /// shape `input`.
    ///
    /// # Panics
    /// If the shapes disagree, or the filters do not fit in the padded input.
    pub fn from_parts(w: Array4<F>, b: Array1<F>, input: Shape, pad: usize, stride: usize) -> Self {
        let (fn_, c, fh, fw) = w.dim();
        assert!(
            b.len() == fn_ && c == input.0,
            "filters {:?} and biases {:?} do not fit images of shape {input:?}",
            w.dim(),
            b.dim()
        );
        output_size(input.1, fh, pad, stride);
        output_size(input.2, fw, pad, stride);
        Convolution {
            dw: Array4::zeros(w.raw_dim()),
            db: Array1::zeros(fn_),
            col: Array2::zeros((0, c * fh * fw)),
            w,
            b,
            pad,
            stride,
            input,
        }
    }

    /// The filters as a matrix, one filter a row: `(FN, C·FH·FW)`.
    fn w_col(&self) -> ndarray::ArrayView2<'_, F> {
        let (fn_, c, fh, fw) = self.w.dim();
        self.w
            .view()
            .into_shape_with_order((fn_, c * fh * fw))
            .expect("the filters are in standard layout")
    }

    /// The height and width of each output map.
    fn output_hw(&self) -> (usize, usize) {
        let (_, _, fh, fw) = self.w.dim();
        let (_, h, w) = self.input;
        (
            output_size(h, fh, self.pad, self.stride),
            output_size(w, fw, self.pad, self.stride),
        )
    }

    /// The shape of the images this layer puts out: `(FN, OH, OW)`.
    pub fn output(&self) -> Shape {
        let (oh, ow) = self.output_hw();
        (self.w.dim().0, oh, ow)
    }
}

/// Max pooling: each channel cut into `size × size` windows (stride `size`, the usual
/// choice), each window replaced by its largest entry.
///
/// ```text
/// forward:  y = max of the window
/// backward: dx = dout at the entry that was the max, 0 at the others
/// ```
///
/// The layer has no weights. Backward, only the winner of each window had any effect on
/// the output, so only it gets a gradient: the forward pass remembers where each winner was.
///
/// NumPy (DLFS): `class Pooling`, `self.arg_max = np.argmax(col, axis=1)`.
///
/// ```
/// use ch09_backprop::Layer;
/// use ch12_convolution::MaxPooling;
/// use ndarray::array;
/// let mut pool = MaxPooling::new((1, 2, 4), 2);
/// let y = pool.forward(&array![[1.0, 3.0, 0.0, -1.0, 2.0, 0.5, -2.0, -3.0]]);
/// assert_eq!(y, array![[3.0, 0.0]]);
/// assert_eq!(pool.backward(&array![[10.0, 20.0]]), array![[0.0, 10.0, 20.0, 0.0, 0.0, 0.0, 0.0, 0.0]]);
/// ```
// ANCHOR: pooling
#[derive(Debug, Clone, PartialEq)]
pub struct MaxPooling {
    pub size: usize,
    pub input: Shape,    // (C, H, W) of one image
    arg_max: Vec<usize>, // for each output entry, where in the input row its max was
    n: usize,            // the batch size of the last forward pass
}
// ANCHOR_END: pooling

impl<F: Float> Layer<F> for MaxPooling {
    // ANCHOR: pooling_forward
    fn forward(&mut self, x: &Array2<F>) -> Array2<F> {
        let ((c, h, w), (oh, ow), k) = (self.input, self.output_hw(), self.size);
        let mut y = Array2::zeros((x.nrows(), c * oh * ow));
        self.arg_max.clear();
        for (x_row, mut y_row) in x.rows().into_iter().zip(y.rows_mut()) {
            let x_row = x_row.to_slice().expect("a row of a matrix in row order");
            let y_row = y_row
                .as_slice_mut()
                .expect("a row of a matrix in row order");
            let mut out = 0; // the output entry (ch, i, j), in row order
            for ch in 0..c {
                for i in 0..oh {
                    for j in 0..ow {
                        let mut best = ch * h * w + i * k * w + j * k; // the window's top left
                        for a in i * k..i * k + k {
                            for b in j * k..j * k + k {
                                let at = ch * h * w + a * w + b;
                                if x_row[at] > x_row[best] {
                                    best = at;
                                }
                            }
                        }
                        y_row[out] = x_row[best];
                        self.arg_max.push(best);
                        out += 1;
                    }
                }
            }
        }
        self.n = x.nrows();
        y
    }
    // ANCHOR_END: pooling_forward

    // ANCHOR: pooling_backward
    fn backward(&mut self, dout: &Array2<F>) -> Array2<F> {
        let mut dx = Array2::zeros((self.n, size_of(self.input)));
        let outputs = dout.ncols();
        for (k, &at) in self.arg_max.iter().enumerate() {
            let (row, out) = (k / outputs, k % outputs);
            dx[[row, at]] = dout[[row, out]];
        }
        dx
    }
    // ANCHOR_END: pooling_backward
}

impl MaxPooling {
    /// Max pooling over `size × size` windows, stride `size`, of images of shape `input`.
    ///
    /// # Panics
    /// If a window is larger than the images.
    pub fn new(input: Shape, size: usize) -> Self {
        output_size(input.1, size, 0, size);
        output_size(input.2, size, 0, size);
        MaxPooling {
            size,
            input,
            arg_max: Vec::new(),
            n: 0,
        }
    }

    fn output_hw(&self) -> (usize, usize) {
        let (_, h, w) = self.input;
        (h / self.size, w / self.size)
    }

    /// The shape of the images this layer puts out: `(C, H/size, W/size)`.
    pub fn output(&self) -> Shape {
        let (oh, ow) = self.output_hw();
        (self.input.0, oh, ow)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::convolution::convolve;
    use ch09_backprop::check_layer;
    use ndarray::array;

    #[test]
    fn the_layer_is_the_loop_convolution() {
        let mut rng = seeded_rng::rng(4);
        for (pad, stride) in [(0, 1), (1, 1), (1, 2)] {
            let w = randn::<f64>(&mut rng, (3, 2 * 9))
                .into_shape_with_order((3, 2, 3, 3))
                .unwrap();
            let b = array![0.1, -0.2, 0.3];
            let mut conv = Convolution::from_parts(w.clone(), b.clone(), (2, 5, 5), pad, stride);
            let x = randn::<f64>(&mut rng, (2, 50));
            let images = x.clone().into_shape_with_order((2, 2, 5, 5)).unwrap();
            let expected = to_rows(convolve(&images, &w, &b, pad, stride));
            let y = conv.forward(&x);
            assert_eq!(
                conv.output(),
                (3, expected.ncols() / 3 / conv.output().2, conv.output().2)
            );
            let diff = (&y - &expected)
                .mapv(f64::abs)
                .fold(0.0, |m: f64, &d| m.max(d));
            assert!(diff < 1e-12);
        }
    }

    #[test]
    fn convolution_passes_its_gradient_check() {
        let mut rng = seeded_rng::rng(5);
        for (pad, stride) in [(0, 1), (1, 2)] {
            let mut conv = Convolution::<f64>::new((2, 5, 5), 3, 3, pad, 1.0, &mut rng);
            conv.stride = stride;
            conv.b = array![0.3, -0.7, 1.1];
            let x = randn::<f64>(&mut rng, (2, 50));
            let y = conv.forward(&x);
            let dout = randn::<f64>(&mut rng, y.dim());
            let checks = check_layer(&mut conv, &x, &dout);
            assert_eq!(checks.len(), 3); // x, W, b
            for check in checks {
                assert!(check.max < 1e-8 && check.scale > 0.1, "{check:?}");
            }
        }
    }

    #[test]
    fn pooling_passes_its_gradient_check() {
        let mut rng = seeded_rng::rng(6);
        let mut pool = MaxPooling::new((2, 4, 6), 2);
        let x = randn::<f64>(&mut rng, (3, 48)); // no ties: the max is unique in every window
        let dout = randn::<f64>(&mut rng, (3, 12));
        let checks = check_layer(&mut pool, &x, &dout);
        assert!(
            checks[0].max < 1e-8 && checks[0].scale > 0.1,
            "{:?}",
            checks[0]
        );
    }

    #[test]
    fn pooling_routes_the_gradient_to_the_winner() {
        let mut pool = MaxPooling::new((1, 2, 2), 2);
        let y: Array2<f64> = pool.forward(
            &array![[0.0, 5.0], [1.0, 2.0]]
                .into_shape_with_order((1, 4))
                .unwrap(),
        );
        assert_eq!(y, array![[5.0]]);
        assert_eq!(pool.backward(&array![[7.0]]), array![[0.0, 7.0, 0.0, 0.0]]);
    }

    #[test]
    #[should_panic(expected = "do not fit images of shape")]
    fn filters_with_other_channels_are_refused() {
        Convolution::from_parts(
            Array4::<f64>::zeros((2, 3, 3, 3)),
            Array1::zeros(2),
            (1, 5, 5),
            0,
            1,
        );
    }
}
