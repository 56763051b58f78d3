//! Exercise: cutout, an augmentation that hides part of the digit.

use ch03_layers::Float;
use ndarray::{Array1, ArrayView1};

use crate::augment::SIDE;

// ANCHOR: exercise
// ANCHOR: signature
/// The image with a square of `size × size` pixels blanked (set to 0, the background), its
/// top left corner at row `top`, column `left`. The part of the square that falls outside the
/// image is ignored.
pub fn cutout<F: Float>(
    image: ArrayView1<'_, F>,
    (top, left): (usize, usize),
    size: usize,
) -> Array1<F> {
    // ANCHOR_END: signature
    // ANCHOR: solution
    let mut out = image.to_owned();
    for y in top..(top + size).min(SIDE) {
        for x in left..(left + size).min(SIDE) {
            out[y * SIDE + x] = F::zero();
        }
    }
    out
    // ANCHOR_END: solution
}
// ANCHOR_END: exercise

// ANCHOR: tests
#[cfg(test)]
mod tests {
    use super::cutout;
    use crate::augment::SIDE;
    use ndarray::Array1;

    /// An image with ink in every pixel, each pixel a different amount.
    fn inked() -> Array1<f32> {
        Array1::from_shape_fn(SIDE * SIDE, |i| (i + 1) as f32 / (SIDE * SIDE) as f32)
    }

    #[test]
    fn blanks_exactly_the_square() {
        let image = inked();
        let out = cutout(image.view(), (3, 5), 4);
        for y in 0..SIDE {
            for x in 0..SIDE {
                let inside = (3..7).contains(&y) && (5..9).contains(&x);
                let expected = if inside { 0.0 } else { image[y * SIDE + x] };
                assert_eq!(out[y * SIDE + x], expected, "row {y}, column {x}");
            }
        }
    }

    #[test]
    fn a_square_of_size_zero_changes_nothing() {
        assert_eq!(cutout(inked().view(), (10, 10), 0), inked());
    }

    #[test]
    fn a_square_over_the_edge_is_cut_to_the_image() {
        let out = cutout(inked().view(), (26, 25), 5); // rows 26–27, columns 25–27 are inside
        assert_eq!(out.iter().filter(|&&v| v == 0.0).count(), 2 * 3);
        assert_eq!(out[27 * SIDE + 27], 0.0);
        assert_ne!(out[25 * SIDE + 27], 0.0);
    }
}
// ANCHOR_END: tests
