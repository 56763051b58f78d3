//! Data augmentation: new training images made from the old ones by small changes that do not
//! change the digit — shifts by a pixel or two, rotations by a few degrees. Each epoch sees
//! freshly moved copies, so the network cannot learn the training images pixel by pixel.

use ch03_layers::{Float, float};
use ch09_backprop::Sequential;
use ch10_optimizers::{Optimizer, train_mini_batches};
use ndarray::{Array1, Array2, ArrayView1};
use seeded_rng::Rng;

use crate::{History, Schedule, Split};

/// The side of an MNIST image, in pixels: an image is a row of `SIDE · SIDE` values, row after
/// row.
pub const SIDE: usize = 28;

/// The pixel at column `x`, row `y` of `image`, or 0 (the background) outside it.
fn pixel<F: Float>(image: &ArrayView1<'_, F>, x: i32, y: i32) -> F {
    let inside = |v: i32| (0..SIDE as i32).contains(&v);
    if inside(x) && inside(y) {
        image[y as usize * SIDE + x as usize]
    } else {
        F::zero()
    }
}

/// The image moved `dx` pixels to the right and `dy` pixels down; what moves out is lost, what
/// moves in is background.
///
/// ```text
/// out[y][x] = image[y − dy][x − dx]     (0 outside the image)
/// ```
///
/// NumPy: `np.roll` without the wrap-around, or `scipy.ndimage.shift(img, (dy, dx), order=0)`.
///
/// ```
/// use ch11_generalization::augment::{shift, SIDE};
/// use ndarray::Array1;
/// let mut image = Array1::<f32>::zeros(SIDE * SIDE);
/// image[3 * SIDE + 5] = 1.0; // row 3, column 5
/// let moved = shift(image.view(), 2, -1);
/// assert_eq!(moved[2 * SIDE + 7], 1.0); // row 2, column 7
/// assert_eq!(moved.sum(), 1.0);
/// ```
///
/// # Panics
/// If `image` is not `SIDE · SIDE` pixels.
// ANCHOR: shift
pub fn shift<F: Float>(image: ArrayView1<'_, F>, dx: i32, dy: i32) -> Array1<F> {
    assert_eq!(image.len(), SIDE * SIDE, "an image of {SIDE}×{SIDE} pixels");
    let mut out = Array1::zeros(SIDE * SIDE);
    for y in 0..SIDE {
        for x in 0..SIDE {
            out[y * SIDE + x] = pixel(&image, x as i32 - dx, y as i32 - dy);
        }
    }
    out
}
// ANCHOR_END: shift

/// The image at the point `(x, y)` between pixels, blended from the four pixels around it
/// (bilinear interpolation): each pixel weighs as much as the point is close to it along
/// both axes.
///
/// ```text
/// v = (1−fx)(1−fy)·p[y₀][x₀] + fx(1−fy)·p[y₀][x₀+1] + (1−fx)fy·p[y₀+1][x₀] + fx·fy·p[y₀+1][x₀+1]
/// x₀ = ⌊x⌋, fx = x − x₀ (and the same for y)
/// ```
// ANCHOR: bilinear
pub fn bilinear<F: Float>(image: &ArrayView1<'_, F>, x: f64, y: f64) -> F {
    let (x0, y0) = (x.floor(), y.floor());
    let (fx, fy) = (float::<F>(x - x0), float::<F>(y - y0));
    let (x0, y0) = (x0 as i32, y0 as i32);
    let one = F::one();
    pixel(image, x0, y0) * (one - fx) * (one - fy)
        + pixel(image, x0 + 1, y0) * fx * (one - fy)
        + pixel(image, x0, y0 + 1) * (one - fx) * fy
        + pixel(image, x0 + 1, y0 + 1) * fx * fy
}
// ANCHOR_END: bilinear

/// The image turned `degrees` anticlockwise about its centre. Each pixel of the result looks up
/// where it came from — the same point turned back, clockwise — and blends the four pixels
/// around that point ([`bilinear`]).
///
/// ```text
/// u = x − c,  v = y − c     (c = 13.5, the centre; y points down)
/// source:  x′ = c + u·cos θ − v·sin θ,   y′ = c + u·sin θ + v·cos θ
/// ```
///
/// NumPy: `scipy.ndimage.rotate(img.reshape(28, 28), degrees, reshape=False, order=1)`.
///
/// ```
/// use ch11_generalization::augment::{rotate, SIDE};
/// use ndarray::Array1;
/// let mut image = Array1::<f64>::zeros(SIDE * SIDE);
/// image[13 * SIDE + 27] = 1.0; // the middle of the right edge
/// let turned = rotate(image.view(), 90.0);
/// assert!((turned[0 * SIDE + 13] - 1.0).abs() < 1e-12); // now the middle of the top edge
/// assert!((turned.sum() - 1.0).abs() < 1e-12);
/// ```
///
/// # Panics
/// If `image` is not `SIDE · SIDE` pixels.
// ANCHOR: rotate
pub fn rotate<F: Float>(image: ArrayView1<'_, F>, degrees: f64) -> Array1<F> {
    assert_eq!(image.len(), SIDE * SIDE, "an image of {SIDE}×{SIDE} pixels");
    let (sin, cos) = degrees.to_radians().sin_cos();
    let c = (SIDE as f64 - 1.0) / 2.0;
    let mut out = Array1::zeros(SIDE * SIDE);
    for y in 0..SIDE {
        for x in 0..SIDE {
            let (u, v) = (x as f64 - c, y as f64 - c);
            let source = (c + u * cos - v * sin, c + u * sin + v * cos);
            out[y * SIDE + x] = bilinear(&image, source.0, source.1);
        }
    }
    out
}
// ANCHOR_END: rotate

/// How far [`Augmentation::apply`] may move a digit: shifts of up to `max_shift` pixels along
/// each axis, turns of up to `max_degrees` either way, each drawn uniformly.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Augmentation {
    pub max_shift: i32,
    pub max_degrees: f64,
}

impl Augmentation {
    /// A randomly moved copy of `image`: turned by a random angle, then shifted by a random
    /// number of pixels.
    ///
    /// ```
    /// use ch11_generalization::augment::{Augmentation, SIDE};
    /// use ndarray::Array1;
    /// let image = Array1::<f32>::from_shape_fn(SIDE * SIDE, |i| (i % 7) as f32 / 7.0);
    /// let still = Augmentation { max_shift: 0, max_degrees: 0.0 };
    /// assert_eq!(still.apply(image.view(), &mut seeded_rng::rng(0)), image);
    /// let moved = Augmentation { max_shift: 2, max_degrees: 15.0 };
    /// assert_ne!(moved.apply(image.view(), &mut seeded_rng::rng(0)), image);
    /// ```
    // ANCHOR: apply
    pub fn apply<F: Float>(&self, image: ArrayView1<'_, F>, rng: &mut impl Rng) -> Array1<F> {
        let degrees = rng.random_range(-self.max_degrees..=self.max_degrees);
        let dx = rng.random_range(-self.max_shift..=self.max_shift);
        let dy = rng.random_range(-self.max_shift..=self.max_shift);
        shift(rotate(image, degrees).view(), dx, dy)
    }
    // ANCHOR_END: apply

    /// A moved copy of every row of `x`, each moved its own way.
    ///
    /// # Panics
    /// If the rows of `x` are not `SIDE · SIDE` pixels.
    // ANCHOR: apply_to_batch
    pub fn apply_to_batch<F: Float>(&self, x: &Array2<F>, rng: &mut impl Rng) -> Array2<F> {
        let mut out = Array2::zeros(x.raw_dim());
        for (image, mut moved) in x.rows().into_iter().zip(out.rows_mut()) {
            moved.assign(&self.apply(image, rng));
        }
        out
    }
    // ANCHOR_END: apply_to_batch
}

/// [`train_and_watch`](crate::train_and_watch) with augmentation: each epoch trains on a
/// freshly moved copy of every training image, so the network never sees the same pixels
/// twice. The accuracies are measured as there, the training accuracy on the images as they
/// are.
///
/// # Panics
/// If `schedule.every` or `schedule.batch_size` is zero, or the data do not fit the network.
// ANCHOR: train_augmented
pub fn train_augmented<F: Float>(
    net: &mut Sequential<F>,
    optimizer: &mut dyn Optimizer<F>,
    (train, held_out): (&Split<F>, &Split<F>),
    (schedule, augmentation): (Schedule, &Augmentation),
    rng: &mut impl Rng,
    tick: &mut dyn FnMut(),
) -> History {
    let (x, t, batch_size) = (&train.x, &train.t, schedule.batch_size);
    let batches = (train.len() / batch_size).max(1); // per epoch
    let mut history = History::default();
    for epoch in 0..=schedule.epochs {
        if epoch > 0 {
            let moved = augmentation.apply_to_batch(x, rng); // new copies every epoch
            train_mini_batches(net, &moved, t, optimizer, batch_size, batches, rng);
            tick();
        }
        if epoch % schedule.every == 0 || epoch == schedule.epochs {
            let measure = |net: &mut Sequential<F>, set: &Split<F>| net.accuracy(&set.x, &set.t);
            history.train.push((epoch, measure(net, train)));
            history.held_out.push((epoch, measure(net, held_out)));
        }
    }
    history
}
// ANCHOR_END: train_augmented

#[cfg(test)]
mod tests {
    use super::*;

    /// An image with a different value in every pixel.
    fn ramp() -> Array1<f64> {
        Array1::from_shape_fn(SIDE * SIDE, |i| i as f64 / (SIDE * SIDE) as f64)
    }

    #[test]
    fn shifting_there_and_back_keeps_the_inner_pixels() {
        let image = ramp();
        let back = shift(shift(image.view(), 3, -2).view(), -3, 2);
        for y in 2..SIDE - 2 {
            for x in 0..SIDE - 3 {
                assert_eq!(back[y * SIDE + x], image[y * SIDE + x]);
            }
        }
        assert_eq!(back[SIDE - 1], 0.0); // the top right corner went out and came back empty
    }

    #[test]
    fn a_shift_by_nothing_is_the_image() {
        assert_eq!(shift(ramp().view(), 0, 0), ramp());
    }

    #[test]
    fn rotating_by_nothing_is_the_image() {
        let turned = rotate(ramp().view(), 0.0);
        assert!(
            turned
                .iter()
                .zip(&ramp())
                .all(|(a, b)| (a - b).abs() < 1e-12)
        );
    }

    #[test]
    fn a_quarter_turn_moves_every_pixel_exactly() {
        // out[y][x] = image[x][27 − y]: the right column becomes the top row
        let image = ramp();
        let turned = rotate(image.view(), 90.0);
        for y in 0..SIDE {
            for x in 0..SIDE {
                let expected = image[x * SIDE + (SIDE - 1 - y)];
                assert!((turned[y * SIDE + x] - expected).abs() < 1e-12);
            }
        }
    }

    #[test]
    fn bilinear_is_the_pixel_on_the_grid_and_the_mean_halfway() {
        let image = ramp();
        let view = image.view();
        assert_eq!(bilinear(&view, 4.0, 6.0), image[6 * SIDE + 4]);
        let between = (image[6 * SIDE + 4] + image[6 * SIDE + 5]) / 2.0;
        assert!((bilinear(&view, 4.5, 6.0) - between).abs() < 1e-15);
        assert_eq!(bilinear(&view, -2.0, 3.0), 0.0);
    }

    #[test]
    fn augmented_training_measures_like_train_and_watch() {
        use ch10_optimizers::{Activation, Init, Sgd, multi_layer_net};
        let mut rng = seeded_rng::rng(8);
        let images = |rng: &mut seeded_rng::ChaCha8Rng| {
            let x = seeded_rng::randn::<f32>(rng, (40, SIDE * SIDE)).mapv(f32::abs);
            Split {
                x,
                t: (0..40).map(|i| i % 2).collect(),
            }
        };
        let (train, held_out) = (images(&mut rng), images(&mut rng));
        let sizes = [SIDE * SIDE, 8, 2];
        let mut net = multi_layer_net::<f32>(&sizes, Activation::Relu, Init::He, &mut rng);
        let schedule = Schedule {
            epochs: 4,
            batch_size: 10,
            every: 2,
        };
        let moves = Augmentation {
            max_shift: 1,
            max_degrees: 5.0,
        };
        let mut ticks = 0;
        let history = train_augmented(
            &mut net,
            &mut Sgd::new(0.01),
            (&train, &held_out),
            (schedule, &moves),
            &mut rng,
            &mut || ticks += 1,
        );
        assert_eq!(ticks, 4);
        let epochs: Vec<usize> = history.held_out.iter().map(|p| p.0).collect();
        assert_eq!(epochs, [0, 2, 4]);
        assert_eq!(history.train[2].1, net.accuracy(&train.x, &train.t));
    }

    #[test]
    fn augmentation_is_seeded_and_keeps_the_ink_roughly() {
        let mut digit = Array1::<f32>::zeros(SIDE * SIDE);
        for y in 8..20 {
            digit[y * SIDE + 14] = 1.0; // a "1"
        }
        let moves = Augmentation {
            max_shift: 2,
            max_degrees: 15.0,
        };
        let a = moves.apply(digit.view(), &mut seeded_rng::rng(9));
        let b = moves.apply(digit.view(), &mut seeded_rng::rng(9));
        assert_eq!(a, b);
        assert!((a.sum() - digit.sum()).abs() < 1.5, "{}", a.sum());
        let batch = Array2::from_shape_fn((3, SIDE * SIDE), |(_, i)| digit[i]);
        let moved = moves.apply_to_batch(&batch, &mut seeded_rng::rng(9));
        assert_eq!(moved.row(0), a);
        assert_ne!(moved.row(1), moved.row(0));
    }
}
