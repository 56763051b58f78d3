//! Why cross-entropy: Michael Nielsen's learning-slowdown experiment (*Neural Networks and
//! Deep Learning*, chapter 3). One sigmoid neuron with one input learns to output 0 for the
//! input 1; trained on the quadratic cost it learns slowest exactly when it is most wrong,
//! trained on the cross-entropy it does not.

use ch04_activations::{sigmoid, sigmoid_derivative};

/// The cost a single sigmoid neuron `a = σ(z)` is trained on, against its target `y`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Cost {
    /// `C = ½ (a − y)²`, the mean squared error of one output.
    Quadratic,
    /// `C = −[y ln a + (1 − y) ln(1 − a)]`, the cross-entropy of one output.
    CrossEntropy,
}

impl Cost {
    /// The cost of the output `a` for the target `y`.
    ///
    /// ```text
    /// quadratic:      C = ½ (a − y)²
    /// cross-entropy:  C = −[y ln a + (1 − y) ln(1 − a)]
    /// ```
    ///
    /// NumPy (Nielsen's `network2.py`): `0.5*np.linalg.norm(a-y)**2` and
    /// `np.sum(np.nan_to_num(-y*np.log(a)-(1-y)*np.log(1-a)))`.
    ///
    /// ```
    /// use ch11_generalization::slowdown::Cost;
    /// assert_eq!(Cost::Quadratic.cost(0.75, 0.0), 0.28125); // ½ · 0.75²
    /// assert!((Cost::CrossEntropy.cost(0.75, 0.0) - 4f64.ln()).abs() < 1e-15); // −ln(1 − 0.75)
    /// ```
    // ANCHOR: cost
    pub fn cost(self, a: f64, y: f64) -> f64 {
        match self {
            Cost::Quadratic => 0.5 * (a - y).powi(2),
            Cost::CrossEntropy => -(y * a.ln() + (1.0 - y) * (1.0 - a).ln()),
        }
    }
    // ANCHOR_END: cost

    /// The derivative of the cost with respect to the neuron's weighted input `z`, where
    /// `a = σ(z)`: Nielsen's error `δ = ∂C/∂z`. The weight's gradient is `δ·x`, the bias's
    /// `δ`.
    ///
    /// ```text
    /// quadratic:      δ = (a − y) σ′(z)
    /// cross-entropy:  δ = a − y            (σ′(z) = a(1 − a) cancels against the cost's 1/(a(1 − a)))
    /// ```
    ///
    /// NumPy (Nielsen's `network2.py`): `QuadraticCost.delta` is `(a-y) * sigmoid_prime(z)`,
    /// `CrossEntropyCost.delta` is `(a-y)`.
    ///
    /// ```
    /// use ch11_generalization::slowdown::Cost;
    /// // a badly wrong neuron: z = 4, a = σ(4) ≈ 0.982, target 0
    /// let quadratic = Cost::Quadratic.delta(4.0, 0.0);
    /// let cross_entropy = Cost::CrossEntropy.delta(4.0, 0.0);
    /// assert!((quadratic - 0.017_345).abs() < 1e-6); // 0.982 · σ′(4) = 0.982 · 0.0177
    /// assert!((cross_entropy - 0.982_014).abs() < 1e-6);
    /// ```
    // ANCHOR: delta
    pub fn delta(self, z: f64, y: f64) -> f64 {
        let a = sigmoid(z);
        match self {
            Cost::Quadratic => (a - y) * sigmoid_derivative(z),
            Cost::CrossEntropy => a - y,
        }
    }
    // ANCHOR_END: delta
}

impl std::fmt::Display for Cost {
    /// `quadratic` or `cross-entropy`.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Cost::Quadratic => write!(f, "quadratic"),
            Cost::CrossEntropy => write!(f, "cross-entropy"),
        }
    }
}

/// One sigmoid neuron with one input: `a = σ(w·x + b)`.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Neuron {
    pub w: f64,
    pub b: f64,
}

impl Neuron {
    /// The neuron's output for the input `x`.
    ///
    /// ```
    /// use ch11_generalization::slowdown::Neuron;
    /// assert_eq!(Neuron { w: 1.0, b: -1.0 }.output(1.0), 0.5); // σ(0)
    /// ```
    pub fn output(&self, x: f64) -> f64 {
        sigmoid(self.w * x + self.b)
    }
}

/// Where a [`Neuron`] stood after an epoch: its parameters, its output and its cost.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct NeuronStep {
    pub epoch: usize,
    pub neuron: Neuron,
    pub output: f64,
    pub cost: f64,
}

/// Trains `neuron` by gradient descent on one example `(x, y)` with `cost` and learning rate
/// `eta`, for `epochs` steps. Returns where it stood before each step and after the last
/// (`epochs + 1` records).
///
/// ```text
/// z = w·x + b,   δ = ∂C/∂z,   w ← w − η δ x,   b ← b − η δ
/// ```
///
/// ```
/// use ch11_generalization::slowdown::{train_neuron, Cost, Neuron};
/// let start = Neuron { w: 2.0, b: 2.0 }; // output σ(4) ≈ 0.98 for the input 1, target 0
/// let quadratic = train_neuron(start, Cost::Quadratic, (1.0, 0.0), 0.15, 100);
/// let cross_entropy = train_neuron(start, Cost::CrossEntropy, (1.0, 0.0), 0.15, 100);
/// assert_eq!(quadratic.len(), 101);
/// assert!(quadratic[100].output > 0.9); // stuck near the wrong answer
/// assert!(cross_entropy[100].output < 0.1); // learned
/// ```
// ANCHOR: train_neuron
pub fn train_neuron(
    mut neuron: Neuron,
    cost: Cost,
    (x, y): (f64, f64),
    eta: f64,
    epochs: usize,
) -> Vec<NeuronStep> {
    let mut steps = Vec::new();
    for epoch in 0..=epochs {
        let z = neuron.w * x + neuron.b;
        let a = sigmoid(z);
        steps.push(NeuronStep {
            epoch,
            neuron,
            output: a,
            cost: cost.cost(a, y),
        });
        let delta = cost.delta(z, y);
        neuron.w -= eta * delta * x;
        neuron.b -= eta * delta;
    }
    steps
}
// ANCHOR_END: train_neuron

#[cfg(test)]
mod tests {
    use super::*;
    use ch07_derivatives::numerical_diff;

    #[test]
    fn delta_is_the_derivative_of_the_cost_with_respect_to_z() {
        for cost in [Cost::Quadratic, Cost::CrossEntropy] {
            for (z, y) in [(-3.0, 1.0), (-0.5, 0.0), (0.7, 1.0), (4.0, 0.0), (2.0, 0.3)] {
                let numerical = numerical_diff(|z| cost.cost(sigmoid(z), y), z, 1e-5);
                let delta = cost.delta(z, y);
                assert!(
                    (numerical - delta).abs() < 1e-8,
                    "{cost} at z = {z}, y = {y}: {delta} against {numerical}"
                );
            }
        }
    }

    #[test]
    fn the_quadratic_gradient_is_smaller_the_more_saturated_the_neuron() {
        // Both neurons are wrong (target 0); the one more wrong gets the smaller push.
        let (wrong, very_wrong) = (
            Cost::Quadratic.delta(1.5, 0.0),
            Cost::Quadratic.delta(4.0, 0.0),
        );
        assert!(very_wrong < wrong / 4.0);
        let (wrong, very_wrong) = (
            Cost::CrossEntropy.delta(1.5, 0.0),
            Cost::CrossEntropy.delta(4.0, 0.0),
        );
        assert!(very_wrong > wrong);
    }

    #[test]
    fn a_step_moves_against_the_gradient() {
        let start = Neuron { w: 0.6, b: 0.9 };
        let steps = train_neuron(start, Cost::Quadratic, (1.0, 0.0), 0.15, 1);
        let delta = Cost::Quadratic.delta(1.5, 0.0);
        assert!((steps[1].neuron.w - (0.6 - 0.15 * delta)).abs() < 1e-15);
        assert!((steps[1].neuron.b - (0.9 - 0.15 * delta)).abs() < 1e-15);
        assert!(steps[1].cost < steps[0].cost);
    }
}
