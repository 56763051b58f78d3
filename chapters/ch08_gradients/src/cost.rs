//! What a numerical gradient costs: counted (deterministic) and measured (this machine).

use std::time::Instant;

/// What one numerical gradient of a two-layer network costs, counted: one partial derivative
/// per parameter, two loss evaluations per partial derivative (`f(θ + h)` and `f(θ − h)`), and
/// per loss evaluation the multiply-adds of the two matrix products of one plain forward pass,
/// `N·(inputs·hidden + hidden·classes)`.
// ANCHOR: gradient_cost
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct GradientCost {
    pub parameters: usize,
    pub evaluations: usize,
    pub multiply_adds_per_evaluation: usize,
}
// ANCHOR_END: gradient_cost

impl GradientCost {
    /// The cost for a network of the given sizes on a batch of `batch` samples.
    ///
    /// ```
    /// let cost = ch08_gradients::GradientCost::new(784, 50, 10, 100);
    /// assert_eq!(cost.parameters, 39_760);
    /// assert_eq!(cost.evaluations, 79_520);
    /// assert_eq!(cost.multiply_adds_per_evaluation, 3_970_000); // 100·(39,200 + 500)
    /// assert_eq!(cost.multiply_adds(), 79_520 * 3_970_000);
    /// ```
    // ANCHOR: gradient_cost_new
    pub fn new(inputs: usize, hidden: usize, classes: usize, batch: usize) -> Self {
        let parameters = inputs * hidden + hidden + hidden * classes + classes;
        GradientCost {
            parameters,
            evaluations: 2 * parameters,
            multiply_adds_per_evaluation: batch * (inputs * hidden + hidden * classes),
        }
    }
    // ANCHOR_END: gradient_cost_new

    /// Multiply-adds of one whole numerical gradient: evaluations times multiply-adds each.
    pub fn multiply_adds(&self) -> usize {
        self.evaluations * self.multiply_adds_per_evaluation
    }
}

/// Runs `f` and measures how long it took, in seconds.
///
/// ```
/// let (value, seconds) = ch08_gradients::timed(|| 6 * 7);
/// assert_eq!(value, 42);
/// assert!(seconds >= 0.0);
/// ```
pub fn timed<T>(f: impl FnOnce() -> T) -> (T, f64) {
    let start = Instant::now();
    let value = f();
    (value, start.elapsed().as_secs_f64())
}

/// The median of some timings (the mean of the middle two for an even count).
///
/// ```
/// assert_eq!(ch08_gradients::median(&[3.0, 1.0, 2.0]), 2.0);
/// assert_eq!(ch08_gradients::median(&[4.0, 1.0, 2.0, 3.0]), 2.5);
/// ```
///
/// # Panics
/// If `values` is empty.
pub fn median(values: &[f64]) -> f64 {
    assert!(!values.is_empty(), "the median of no timings");
    let mut sorted = values.to_vec();
    sorted.sort_by(f64::total_cmp);
    let n = sorted.len();
    if n % 2 == 1 {
        sorted[n / 2]
    } else {
        (sorted[n / 2 - 1] + sorted[n / 2]) / 2.0
    }
}

/// The median time of `runs` calls of `f`, in seconds.
///
/// ```
/// let seconds = ch08_gradients::median_seconds(3, || std::hint::black_box(2 + 2));
/// assert!(seconds >= 0.0);
/// ```
pub fn median_seconds<T>(runs: usize, mut f: impl FnMut() -> T) -> f64 {
    let times: Vec<f64> = (0..runs)
        .map(|_| timed(|| std::hint::black_box(f())).1)
        .collect();
    median(&times)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::TwoLayerNet;

    #[test]
    fn gradient_cost_counts_two_evaluations_per_parameter() {
        let cost = GradientCost::new(2, 3, 4, 5);
        assert_eq!(cost.parameters, 2 * 3 + 3 + 3 * 4 + 4);
        assert_eq!(cost.evaluations, 2 * cost.parameters);
        assert_eq!(cost.multiply_adds_per_evaluation, 5 * (2 * 3 + 3 * 4));
        let net = TwoLayerNet::<f64>::new(2, 3, 4, &mut seeded_rng::rng(0));
        assert_eq!(net.parameter_count(), cost.parameters);
    }
}
