//! Exercise: zoom, the augmentation that makes a digit a little larger or smaller.

use ch03_layers::Float;
use ndarray::{Array1, ArrayView1};

use crate::augment::{SIDE, bilinear};

// ANCHOR: exercise
// ANCHOR: signature
/// The image scaled by `factor` about its centre (larger for a factor above 1, smaller below).
/// Like `rotate`, each pixel of the result looks up where it came from, the point
/// `c + (x − c) / factor, c + (y − c) / factor` (c = 13.5), and blends the pixels around it with
/// `bilinear`.
pub fn zoom<F: Float>(image: ArrayView1<'_, F>, factor: f64) -> Array1<F> {
    // ANCHOR_END: signature
    // ANCHOR: solution
    let c = (SIDE as f64 - 1.0) / 2.0;
    let mut out = Array1::zeros(SIDE * SIDE);
    for y in 0..SIDE {
        for x in 0..SIDE {
            let source = (c + (x as f64 - c) / factor, c + (y as f64 - c) / factor);
            out[y * SIDE + x] = bilinear(&image, source.0, source.1);
        }
    }
    out
    // ANCHOR_END: solution
}
// ANCHOR_END: exercise

// ANCHOR: tests
#[cfg(test)]
mod tests {
    use super::zoom;
    use crate::augment::SIDE;
    use ndarray::Array1;

    /// A square of ink, rows and columns `from..to`.
    fn square(from: usize, to: usize) -> Array1<f64> {
        let inside = |v: usize| (from..to).contains(&v);
        Array1::from_shape_fn(SIDE * SIDE, |i| {
            f64::from(u8::from(inside(i / SIDE) && inside(i % SIDE)))
        })
    }

    #[test]
    fn a_factor_of_one_is_the_image() {
        let image = square(8, 20);
        let out = zoom(image.view(), 1.0);
        assert!(out.iter().zip(&image).all(|(a, b)| (a - b).abs() < 1e-12));
    }

    #[test]
    fn doubling_makes_the_ink_four_times_as_much() {
        let out = zoom(square(10, 18).view(), 2.0); // 8 × 8 pixels, centred
        assert!((out.sum() - 4.0 * 64.0).abs() < 16.0, "{}", out.sum());
        assert_eq!(out[0], 0.0); // still nothing in the corner
    }

    #[test]
    fn halving_brings_the_edge_to_the_middle() {
        let mut image = Array1::<f64>::zeros(SIDE * SIDE);
        image[27] = 1.0; // the top right corner
        let out = zoom(image.view(), 0.5);
        // (27, 0) is 13.5 from the centre along each axis: halved, it lands at (20.25, 6.75)
        let near =
            out[6 * SIDE + 20] + out[7 * SIDE + 20] + out[6 * SIDE + 21] + out[7 * SIDE + 21];
        assert!(near > 0.2, "{near}");
        assert_eq!(out[27], 0.0);
    }
}
// ANCHOR_END: tests
