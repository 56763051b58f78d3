//! Exercise: hill-climbing with a step that shrinks as the search goes on.

use ch03_layers::Float;
use ndarray::Array2;
use seeded_rng::Rng;

use crate::{Network, SearchLog, climb_step};

// ANCHOR: exercise
// ANCHOR: signature
/// Random hill-climbing from `start` whose step shrinks geometrically, from `first_scale` at
/// iteration 0 to `last_scale` at the last iteration: long strides to travel, short ones to
/// settle.
///
/// ```text
/// scaleᵢ = first_scale · (last_scale / first_scale)^(i / (iterations − 1))
/// ```
///
/// (With one iteration, its scale is `first_scale`.)
///
/// # Panics
/// If `iterations` is 0.
pub fn hill_climb_shrinking<F: Float>(
    start: Network<F>,
    x: &Array2<F>,
    t: &[usize],
    iterations: usize,
    first_scale: f64,
    last_scale: f64,
    rng: &mut impl Rng,
) -> SearchLog<F> {
    // ANCHOR_END: signature
    // ANCHOR: solution
    todo!("exercise shrinking_step")
    // ANCHOR_END: solution
}
// ANCHOR_END: exercise

#[cfg(test)]
mod tests {
    use super::hill_climb_shrinking;
    use crate::{Network, SCALE, SIZES, hill_climb};

    fn vertical() -> (ndarray::Array2<f32>, Vec<usize>) {
        let (x, t) = toy_datasets::vertical_data(&mut seeded_rng::rng(0), 100, 3);
        (x, t.to_vec())
    }

    // ANCHOR: tests
    #[test]
    fn a_step_that_does_not_shrink_is_plain_hill_climbing() {
        let (x, t) = vertical();
        let start = Network::new(SIZES, &mut seeded_rng::rng(1));
        let plain = hill_climb(start.clone(), &x, &t, 300, SCALE, &mut seeded_rng::rng(2));
        let same = hill_climb_shrinking(start, &x, &t, 300, SCALE, SCALE, &mut seeded_rng::rng(2));
        assert_eq!(same.best, plain.best);
    }

    #[test]
    fn a_shrinking_step_sorts_vertical_data() {
        let (x, t) = vertical();
        let start = Network::new(SIZES, &mut seeded_rng::rng(4));
        let log = hill_climb_shrinking(start, &x, &t, 3000, 0.5, 0.005, &mut seeded_rng::rng(4));
        assert!(
            log.best_accuracy() > 0.9,
            "accuracy {}",
            log.best_accuracy()
        );
    }
    // ANCHOR_END: tests

    #[test]
    fn the_record_matches_plain_hill_climbing() {
        let (x, t) = vertical();
        let start = Network::new(SIZES, &mut seeded_rng::rng(1));
        let plain = hill_climb(start.clone(), &x, &t, 300, SCALE, &mut seeded_rng::rng(2));
        let same = hill_climb_shrinking(start, &x, &t, 300, SCALE, SCALE, &mut seeded_rng::rng(2));
        assert_eq!(same.best_losses, plain.best_losses);
    }

    #[test]
    fn the_lowest_loss_never_rises() {
        let (x, t) = vertical();
        let start = Network::new(SIZES, &mut seeded_rng::rng(3));
        let log = hill_climb_shrinking(start, &x, &t, 1000, 0.5, 0.005, &mut seeded_rng::rng(3));
        assert_eq!(log.best_losses.len(), 1000);
        assert!(log.best_losses.windows(2).all(|w| w[1] <= w[0]));
    }

    #[test]
    fn a_single_iteration_uses_the_first_scale() {
        let (x, t) = vertical();
        let start = Network::new(SIZES, &mut seeded_rng::rng(5));
        let plain = hill_climb(start.clone(), &x, &t, 1, SCALE, &mut seeded_rng::rng(6));
        let one = hill_climb_shrinking(start, &x, &t, 1, SCALE, 0.001, &mut seeded_rng::rng(6));
        assert_eq!(one.best, plain.best);
    }
}
