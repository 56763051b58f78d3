//! The small data sets the book trains on before MNIST, generated as *Neural Networks from
//! Scratch in Python* (the `nnfs` package) generates them, from our seeded generator.
//!
//! Each classification set returns `(x, y)`: `x` has one sample per row, `(samples·classes, 2)`,
//! and `y` holds the class index of each row.
//!
//! ```
//! use toy_datasets::spiral_data;
//!
//! let (x, y) = spiral_data::<f32>(&mut seeded_rng::rng(0), 100, 3);
//! assert_eq!(x.dim(), (300, 2));
//! assert_eq!((y[0], y[100], y[299]), (0, 1, 2));
//! ```

use ndarray::{Array1, Array2};
use num_traits::Float;
use seeded_rng::{Rng, randn_scalar};

/// Converts an `f64` to the float type the caller asked for (`f32` or `f64`).
fn cast<F: Float>(v: f64) -> F {
    F::from(v).expect("an f64 converts to any float type")
}

/// `n` evenly spaced numbers from `start` to `end`, both included.
///
/// NumPy: `np.linspace(start, end, n)`.
fn linspace(start: f64, end: f64, n: usize) -> impl Iterator<Item = f64> {
    let step = if n > 1 {
        (end - start) / (n - 1) as f64
    } else {
        0.0
    };
    (0..n).map(move |i| start + step * i as f64)
}

/// Spiral data: `classes` arms winding out from the origin, `samples` points each.
///
/// For class `c` and point `i` (with `r` running from 0 to 1 along the arm):
/// ```text
/// r = i / (samples − 1)
/// θ = 4c + 4·i/(samples − 1) + 0.2·ε,  ε ~ N(0, 1)
/// (x₀, x₁) = (r·sin 2.5θ, r·cos 2.5θ)
/// ```
/// No straight line separates the arms: the data set that makes a network earn its keep.
///
/// NumPy (nnfs): `nnfs.datasets.spiral_data(samples, classes)`.
pub fn spiral_data<F: Float>(
    rng: &mut impl Rng,
    samples: usize,
    classes: usize,
) -> (Array2<F>, Array1<usize>) {
    let mut x = Array2::zeros((samples * classes, 2));
    let mut y = Array1::zeros(samples * classes);
    for class in 0..classes {
        let start = 4.0 * class as f64;
        let radii = linspace(0.0, 1.0, samples);
        let angles = linspace(start, start + 4.0, samples);
        for (i, (r, t)) in radii.zip(angles).enumerate() {
            let t = t + 0.2 * randn_scalar::<f64>(rng);
            let row = class * samples + i;
            x[[row, 0]] = cast(r * (2.5 * t).sin());
            x[[row, 1]] = cast(r * (2.5 * t).cos());
            y[row] = class;
        }
    }
    (x, y)
}

/// Vertical data: `classes` clouds side by side, class `c` centred at `(c/3, 0.5)` with
/// standard deviation 0.1: an easy set that a straight line (almost) separates.
///
/// NumPy (nnfs): `nnfs.datasets.vertical_data(samples, classes)`.
pub fn vertical_data<F: Float>(
    rng: &mut impl Rng,
    samples: usize,
    classes: usize,
) -> (Array2<F>, Array1<usize>) {
    let mut x = Array2::zeros((samples * classes, 2));
    let mut y = Array1::zeros(samples * classes);
    for class in 0..classes {
        for i in 0..samples {
            let row = class * samples + i;
            x[[row, 0]] = cast(0.1 * randn_scalar::<f64>(rng) + class as f64 / 3.0);
            x[[row, 1]] = cast(0.1 * randn_scalar::<f64>(rng) + 0.5);
            y[row] = class;
        }
    }
    (x, y)
}

/// Sine data for regression: `x` evenly spaced in [0, 1) and `y = sin(2πx)`, as columns.
///
/// NumPy (nnfs): `nnfs.datasets.sine_data(samples)`.
///
/// ```
/// let (x, y) = toy_datasets::sine_data::<f64>(4);
/// assert_eq!(x.column(0).to_vec(), vec![0.0, 0.25, 0.5, 0.75]);
/// assert!((y[[1, 0]] - 1.0).abs() < 1e-12); // sin(π/2) = 1
/// ```
pub fn sine_data<F: Float>(samples: usize) -> (Array2<F>, Array2<F>) {
    let x = Array2::from_shape_fn((samples, 1), |(i, _)| cast(i as f64 / samples as f64));
    let y = x.mapv(|v: F| (cast::<F>(2.0 * std::f64::consts::PI) * v).sin());
    (x, y)
}

#[cfg(test)]
mod tests {
    use super::*;
    use seeded_rng::rng;

    #[test]
    fn spiral_arms_start_at_origin_and_end_on_unit_circle() {
        let (x, _) = spiral_data::<f64>(&mut rng(0), 50, 3);
        for class in 0..3 {
            let first = x.row(class * 50);
            let last = x.row(class * 50 + 49);
            assert_eq!((first[0], first[1]), (0.0, 0.0));
            let radius = (last[0] * last[0] + last[1] * last[1]).sqrt();
            assert!((radius - 1.0).abs() < 1e-12, "radius {radius}");
        }
    }

    #[test]
    fn spiral_is_reproducible_and_seed_dependent() {
        let (a, _) = spiral_data::<f32>(&mut rng(3), 20, 2);
        let (b, _) = spiral_data::<f32>(&mut rng(3), 20, 2);
        let (c, _) = spiral_data::<f32>(&mut rng(4), 20, 2);
        assert_eq!(a, b);
        assert_ne!(a, c);
    }

    #[test]
    fn vertical_clouds_are_centred_on_thirds() {
        let (x, y) = vertical_data::<f64>(&mut rng(0), 500, 3);
        for class in 0..3 {
            let rows: Vec<_> = (0..x.nrows()).filter(|&r| y[r] == class).collect();
            let mean0 = rows.iter().map(|&r| x[[r, 0]]).sum::<f64>() / rows.len() as f64;
            let mean1 = rows.iter().map(|&r| x[[r, 1]]).sum::<f64>() / rows.len() as f64;
            assert!(
                (mean0 - class as f64 / 3.0).abs() < 0.02,
                "class {class}: {mean0}"
            );
            assert!((mean1 - 0.5).abs() < 0.02, "class {class}: {mean1}");
        }
    }

    #[test]
    fn linspace_includes_both_ends() {
        assert_eq!(
            linspace(0.0, 1.0, 5).collect::<Vec<_>>(),
            [0.0, 0.25, 0.5, 0.75, 1.0]
        );
        assert_eq!(linspace(2.0, 3.0, 1).collect::<Vec<_>>(), [2.0]);
    }
}
