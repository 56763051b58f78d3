//! One seeded random number generator for every experiment in the book.
//!
//! Every chapter creates its generator once per experiment with [`rng`] and passes it down as
//! `&mut impl Rng`, so every run of a chapter prints the same numbers. We use ChaCha8 from
//! `rand_chacha`: its output is specified, so the numbers stay the same across versions of
//! `rand` (which `StdRng` does not promise).
//!
//! ```
//! use seeded_rng::{randn, rng};
//!
//! let a = randn::<f64>(&mut rng(7), (2, 3));
//! let b = randn::<f64>(&mut rng(7), (2, 3));
//! assert_eq!(a, b); // same seed, same numbers
//! ```

use ndarray::Array2;
pub use rand::{Rng, SeedableRng};
pub use rand_chacha::ChaCha8Rng;
use rand_distr::{Distribution, StandardNormal};

/// The seed every chapter uses unless the reader passes `--seed`.
pub const DEFAULT_SEED: u64 = 0;

/// A ChaCha8 generator started from `seed`.
///
/// NumPy: `rng = np.random.default_rng(seed)`.
pub fn rng(seed: u64) -> ChaCha8Rng {
    ChaCha8Rng::seed_from_u64(seed)
}

/// A matrix of standard normal samples (mean 0, standard deviation 1).
///
/// NumPy: `np.random.randn(rows, cols)`.
///
/// ```
/// let x = seeded_rng::randn::<f32>(&mut seeded_rng::rng(0), (1000, 10));
/// assert_eq!(x.dim(), (1000, 10));
/// let mean = x.mean().unwrap();
/// assert!(mean.abs() < 0.05, "mean of 10,000 samples is near 0, got {mean}");
/// ```
pub fn randn<F>(rng: &mut impl Rng, (rows, cols): (usize, usize)) -> Array2<F>
where
    StandardNormal: Distribution<F>,
{
    Array2::from_shape_simple_fn((rows, cols), || StandardNormal.sample(rng))
}

/// One standard normal sample.
///
/// NumPy: `np.random.randn()`.
pub fn randn_scalar<F>(rng: &mut impl Rng) -> F
where
    StandardNormal: Distribution<F>,
{
    StandardNormal.sample(rng)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn different_seeds_give_different_numbers() {
        let a = randn::<f64>(&mut rng(1), (3, 3));
        let b = randn::<f64>(&mut rng(2), (3, 3));
        assert_ne!(a, b);
    }

    #[test]
    fn randn_has_unit_standard_deviation() {
        let x = randn::<f64>(&mut rng(0), (200, 50));
        let var = x.mapv(|v| v * v).mean().unwrap() - x.mean().unwrap().powi(2);
        assert!((var.sqrt() - 1.0).abs() < 0.03, "std = {}", var.sqrt());
    }
}
