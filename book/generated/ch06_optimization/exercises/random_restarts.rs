//! Exercise: hill-climbing from several starting points, keeping the best climb.

use ch03_layers::Float;
use ndarray::Array2;
use seeded_rng::Rng;

use crate::{Network, SearchLog, hill_climb};

// ANCHOR: exercise
// ANCHOR: signature
/// Hill-climbs `restarts` times, each time from a new network `Network::new(sizes, rng)` and
/// for `iterations` steps of `scale`, and returns the log of the climb that reached the lowest
/// loss (the first of them, if two tie).
///
/// # Panics
/// If `restarts` or `iterations` is 0.
pub fn hill_climb_restarts<F: Float>(
    x: &Array2<F>,
    t: &[usize],
    sizes: [usize; 3],
    restarts: usize,
    iterations: usize,
    scale: f64,
    rng: &mut impl Rng,
) -> SearchLog<F> {
    // ANCHOR_END: signature
    // ANCHOR: solution
    todo!("exercise random_restarts")
    // ANCHOR_END: solution
}
// ANCHOR_END: exercise

#[cfg(test)]
mod tests {
    use super::hill_climb_restarts;
    use crate::{Network, SCALE, SIZES, hill_climb};

    fn spiral() -> (ndarray::Array2<f32>, Vec<usize>) {
        let (x, t) = toy_datasets::spiral_data(&mut seeded_rng::rng(0), 100, 3);
        (x, t.to_vec())
    }

    // ANCHOR: tests
    #[test]
    fn one_restart_is_plain_hill_climbing() {
        let (x, t) = spiral();
        let mut rng = seeded_rng::rng(1);
        let plain = hill_climb(Network::new(SIZES, &mut rng), &x, &t, 200, SCALE, &mut rng);
        let once = hill_climb_restarts(&x, &t, SIZES, 1, 200, SCALE, &mut seeded_rng::rng(1));
        assert_eq!(once.best, plain.best);
    }

    #[test]
    fn more_restarts_are_never_worse() {
        let (x, t) = spiral();
        let once = hill_climb_restarts(&x, &t, SIZES, 1, 200, SCALE, &mut seeded_rng::rng(2));
        let four = hill_climb_restarts(&x, &t, SIZES, 4, 200, SCALE, &mut seeded_rng::rng(2));
        assert!(four.lowest_loss <= once.lowest_loss);
    }
    // ANCHOR_END: tests

    #[test]
    fn the_best_climb_keeps_its_own_record() {
        let (x, t) = spiral();
        let mut rng = seeded_rng::rng(1);
        let plain = hill_climb(Network::new(SIZES, &mut rng), &x, &t, 200, SCALE, &mut rng);
        let once = hill_climb_restarts(&x, &t, SIZES, 1, 200, SCALE, &mut seeded_rng::rng(1));
        assert_eq!(once.best_losses, plain.best_losses);
        let four = hill_climb_restarts(&x, &t, SIZES, 4, 200, SCALE, &mut seeded_rng::rng(2));
        assert_eq!(four.lowest_loss, four.best.loss(&x, &t));
    }

    #[test]
    #[should_panic(expected = "hill-climbing needs at least one start")]
    fn zero_restarts_are_refused() {
        let (x, t) = spiral();
        hill_climb_restarts(&x, &t, SIZES, 0, 10, SCALE, &mut seeded_rng::rng(3));
    }
}
