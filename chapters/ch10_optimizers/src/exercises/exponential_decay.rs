//! Exercise: an exponential learning-rate schedule.

// ANCHOR: exercise
// ANCHOR: signature
/// The learning rate after `t` steps of exponential decay: it starts at `lr` and is
/// multiplied by `rate` every `decay_steps` steps, smoothly in between.
///
/// ```text
/// ηₜ = η · rate^(t / decay_steps)
/// ```
pub fn exponential_decay(lr: f64, rate: f64, decay_steps: usize, t: usize) -> f64 {
    // ANCHOR_END: signature
    // ANCHOR: solution
    lr * rate.powf(t as f64 / decay_steps as f64)
    // ANCHOR_END: solution
}
// ANCHOR_END: exercise

// ANCHOR: tests
#[cfg(test)]
mod tests {
    use super::exponential_decay;
    use crate::decayed_learning_rate;

    fn assert_close(a: f64, b: f64) {
        assert!((a - b).abs() < 1e-12, "{a} is not {b}");
    }

    #[test]
    fn starts_at_the_learning_rate() {
        assert_close(exponential_decay(0.05, 0.5, 1000, 0), 0.05);
    }

    #[test]
    fn multiplies_by_the_rate_every_decay_steps() {
        assert_close(exponential_decay(1.0, 0.5, 1000, 1000), 0.5);
        assert_close(exponential_decay(1.0, 0.5, 1000, 3000), 0.125);
    }

    #[test]
    fn decays_smoothly_between() {
        assert_close(exponential_decay(1.0, 0.25, 100, 50), 0.5); // √0.25
    }

    #[test]
    fn falls_faster_than_one_over_t_in_the_end() {
        // both halve the rate by t = 1000; afterwards 1/t decays far more slowly
        let t = 10_000;
        assert!(exponential_decay(1.0, 0.5, 1000, t) < decayed_learning_rate(1.0, 1e-3, t) / 10.0);
    }
}
// ANCHOR_END: tests
