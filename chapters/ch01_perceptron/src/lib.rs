//! # The perceptron
//!
//! A perceptron takes inputs, weighs them, adds a bias and fires (outputs 1) when the sum is
//! positive. With the right weights one perceptron computes AND, NAND or OR; no weights make it
//! compute XOR, but two layers of perceptrons do. The perceptron learning rule finds weights by
//! itself for AND and OR, and never settles on XOR.
//!
//! Run the chapter: `cargo run -p ch01_perceptron` (truth tables, a search over weights, the
//! learning rule, and three figures in `target/figures/ch01_perceptron/`).

pub mod exercises;
pub mod plots;

use seeded_rng::Rng;

/// The step function: 1 when `a` is positive, 0 otherwise.
///
/// ```text
/// h(a) = 1 if a > 0
///        0 if a ≤ 0
/// ```
///
/// ```
/// use ch01_perceptron::step_function;
/// assert_eq!(step_function(0.3), 1);
/// assert_eq!(step_function(0.0), 0);
/// ```
// ANCHOR: step_function
pub fn step_function(a: f64) -> u8 {
    if a > 0.0 { 1 } else { 0 }
}
// ANCHOR_END: step_function

/// A perceptron with two inputs: weights `w` and bias `b`.
///
/// [`weighted_sum`](Perceptron::weighted_sum) is `a = w₁x₁ + w₂x₂ + b`;
/// [`fire`](Perceptron::fire) passes it through the step function, `h(a)`;
/// [`gate`](Perceptron::gate) does the same for two bits.
///
/// ```
/// use ch01_perceptron::Perceptron;
/// let p = Perceptron { w: [0.5, 0.5], b: -0.7 };
/// assert!((p.weighted_sum([1.0, 1.0]) - 0.3).abs() < 1e-12); // 0.5 + 0.5 − 0.7
/// assert_eq!(p.fire([1.0, 1.0]), 1);
/// assert_eq!(p.gate(1, 0), 0); // 0.5 − 0.7 ≤ 0
/// ```
// ANCHOR: perceptron
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Perceptron {
    pub w: [f64; 2],
    pub b: f64,
}

impl Perceptron {
    /// The weighted sum of the inputs plus the bias.
    pub fn weighted_sum(&self, x: [f64; 2]) -> f64 {
        self.w[0] * x[0] + self.w[1] * x[1] + self.b
    }

    /// The perceptron's output: `h(w₁x₁ + w₂x₂ + b)`, 1 if it fires, else 0.
    pub fn fire(&self, x: [f64; 2]) -> u8 {
        step_function(self.weighted_sum(x))
    }

    /// The perceptron as a logic gate on two bits.
    pub fn gate(&self, x1: u8, x2: u8) -> u8 {
        self.fire([f64::from(x1), f64::from(x2)])
    }
}
// ANCHOR_END: perceptron

// ANCHOR: gates
/// AND fires only when both inputs are 1: `0.5 + 0.5 − 0.7 > 0`, but `0.5 − 0.7 ≤ 0`.
pub const AND: Perceptron = Perceptron {
    w: [0.5, 0.5],
    b: -0.7,
};
/// NAND is AND with every sign flipped: it fires unless both inputs are 1.
pub const NAND: Perceptron = Perceptron {
    w: [-0.5, -0.5],
    b: 0.7,
};
/// OR fires when at least one input is 1: a single `0.5` beats the bias `−0.2`.
pub const OR: Perceptron = Perceptron {
    w: [0.5, 0.5],
    b: -0.2,
};
// ANCHOR_END: gates

/// `x1 AND x2`.
///
/// ```
/// use ch01_perceptron::and;
/// assert_eq!([and(0, 0), and(0, 1), and(1, 0), and(1, 1)], [0, 0, 0, 1]);
/// ```
// ANCHOR: and
pub fn and(x1: u8, x2: u8) -> u8 {
    AND.gate(x1, x2)
}
// ANCHOR_END: and

/// `NOT (x1 AND x2)`.
///
/// ```
/// use ch01_perceptron::nand;
/// assert_eq!([nand(0, 0), nand(0, 1), nand(1, 0), nand(1, 1)], [1, 1, 1, 0]);
/// ```
// ANCHOR: nand
pub fn nand(x1: u8, x2: u8) -> u8 {
    NAND.gate(x1, x2)
}
// ANCHOR_END: nand

/// `x1 OR x2`.
///
/// ```
/// use ch01_perceptron::or;
/// assert_eq!([or(0, 0), or(0, 1), or(1, 0), or(1, 1)], [0, 1, 1, 1]);
/// ```
// ANCHOR: or
pub fn or(x1: u8, x2: u8) -> u8 {
    OR.gate(x1, x2)
}
// ANCHOR_END: or

/// `x1 XOR x2`, from two layers of perceptrons: NAND and OR side by side, then AND.
///
/// ```text
/// s₁ = NAND(x₁, x₂),  s₂ = OR(x₁, x₂),  y = AND(s₁, s₂)
/// ```
///
/// ```
/// use ch01_perceptron::xor;
/// assert_eq!([xor(0, 0), xor(0, 1), xor(1, 0), xor(1, 1)], [0, 1, 1, 0]);
/// ```
// ANCHOR: xor
pub fn xor(x1: u8, x2: u8) -> u8 {
    let s1 = nand(x1, x2);
    let s2 = or(x1, x2);
    and(s1, s2)
}
// ANCHOR_END: xor

/// The four inputs of a two-bit gate, in the order of a truth table.
// ANCHOR: inputs
pub const INPUTS: [[u8; 2]; 4] = [[0, 0], [0, 1], [1, 0], [1, 1]];
// ANCHOR_END: inputs

/// A gate's outputs for the four [`INPUTS`].
///
/// ```
/// use ch01_perceptron::{truth_table, or};
/// assert_eq!(truth_table(or), [0, 1, 1, 1]);
/// ```
// ANCHOR: truth_table
pub fn truth_table(gate: impl Fn(u8, u8) -> u8) -> [u8; 4] {
    INPUTS.map(|[x1, x2]| gate(x1, x2))
}
// ANCHOR_END: truth_table

/// Every value from −1 to 1 in steps of 0.1: the grid [`count_perceptrons`] searches.
///
/// ```
/// let grid = ch01_perceptron::weight_grid();
/// assert_eq!((grid.len(), grid[0], grid[20]), (21, -1.0, 1.0));
/// ```
// ANCHOR: weight_grid
pub fn weight_grid() -> Vec<f64> {
    (-10..=10).map(|i| f64::from(i) / 10.0).collect()
}
// ANCHOR_END: weight_grid

/// How many perceptrons with `w₁, w₂, b` taken from `grid` compute the truth table `table`.
///
/// A brute-force look at linear separability: of the 21³ = 9,261 perceptrons on
/// [`weight_grid`], 224 compute AND (the number the chapter's program prints), and not one
/// computes XOR.
///
/// ```
/// use ch01_perceptron::{count_perceptrons, weight_grid};
/// assert_eq!(count_perceptrons([0, 0, 0, 1], &weight_grid()), 224); // AND
/// assert_eq!(count_perceptrons([0, 1, 1, 0], &weight_grid()), 0); // XOR
/// ```
// ANCHOR: search
pub fn count_perceptrons(table: [u8; 4], grid: &[f64]) -> usize {
    let mut count = 0;
    for &w1 in grid {
        for &w2 in grid {
            for &b in grid {
                let p = Perceptron { w: [w1, w2], b };
                if truth_table(|x1, x2| p.gate(x1, x2)) == table {
                    count += 1;
                }
            }
        }
    }
    count
}
// ANCHOR_END: search

/// One step of the perceptron learning rule on the example `x` with target `t`; returns
/// whether the perceptron got it wrong (and so changed).
///
/// ```text
/// y = h(w·x + b)
/// w ← w + η (t − y) x
/// b ← b + η (t − y)
/// ```
///
/// A right answer (`t = y`) changes nothing; a wrong one moves the boundary towards fixing it.
///
/// ```
/// use ch01_perceptron::{learning_rule_step, Perceptron};
/// let mut p = Perceptron { w: [0.0, 0.0], b: 0.0 };
/// let wrong = learning_rule_step(&mut p, [1.0, 1.0], 1, 0.1); // y = 0 but t = 1
/// assert!(wrong);
/// assert_eq!(p, Perceptron { w: [0.1, 0.1], b: 0.1 });
/// ```
// ANCHOR: learning_rule
pub fn learning_rule_step(p: &mut Perceptron, x: [f64; 2], t: u8, learning_rate: f64) -> bool {
    let y = p.fire(x);
    let error = f64::from(t) - f64::from(y);
    p.w[0] += learning_rate * error * x[0];
    p.w[1] += learning_rate * error * x[1];
    p.b += learning_rate * error;
    y != t
}
// ANCHOR_END: learning_rule

/// What a run of the learning rule did.
#[derive(Debug, Clone)]
// ANCHOR: training
pub struct Training {
    /// The weights and bias it started from.
    pub start: Perceptron,
    /// The perceptron after each epoch.
    pub epochs: Vec<Perceptron>,
    /// How many of the four examples it got wrong in each epoch.
    pub errors_per_epoch: Vec<usize>,
}
// ANCHOR_END: training

impl Training {
    /// The perceptron at the end of training.
    pub fn last(&self) -> Perceptron {
        *self.epochs.last().unwrap_or(&self.start)
    }

    /// Whether the last epoch went through all four examples without an error.
    pub fn converged(&self) -> bool {
        self.errors_per_epoch.last() == Some(&0)
    }
}

/// Trains a perceptron on a truth table with the learning rule, one epoch (the four inputs in
/// order) at a time, until an epoch has no errors or `max_epochs` have passed. The starting
/// weights and bias are drawn uniformly from [−0.5, 0.5).
///
/// ```
/// use ch01_perceptron::train_perceptron;
/// let mut rng = seeded_rng::rng(0);
/// let and = train_perceptron([0, 0, 0, 1], 0.1, 100, &mut rng);
/// assert!(and.converged());
/// let xor = train_perceptron([0, 1, 1, 0], 0.1, 100, &mut rng);
/// assert!(!xor.converged());
/// ```
// ANCHOR: train_perceptron
pub fn train_perceptron(
    table: [u8; 4],
    learning_rate: f64,
    max_epochs: usize,
    rng: &mut impl Rng,
) -> Training {
    let start = Perceptron {
        w: [rng.random_range(-0.5..0.5), rng.random_range(-0.5..0.5)],
        b: rng.random_range(-0.5..0.5),
    };
    let mut p = start;
    let mut training = Training {
        start,
        epochs: Vec::new(),
        errors_per_epoch: Vec::new(),
    };
    for _ in 0..max_epochs {
        let mut errors = 0;
        for ([x1, x2], t) in INPUTS.into_iter().zip(table) {
            let x = [f64::from(x1), f64::from(x2)];
            errors += usize::from(learning_rule_step(&mut p, x, t, learning_rate));
        }
        training.epochs.push(p);
        training.errors_per_epoch.push(errors);
        if errors == 0 {
            break; // an epoch without a mistake: learned
        }
    }
    training
}
// ANCHOR_END: train_perceptron

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn gates_match_their_truth_tables() {
        assert_eq!(truth_table(and), [0, 0, 0, 1]);
        assert_eq!(truth_table(nand), [1, 1, 1, 0]);
        assert_eq!(truth_table(or), [0, 1, 1, 1]);
        assert_eq!(truth_table(xor), [0, 1, 1, 0]);
    }

    #[test]
    fn nand_is_not_and() {
        for [x1, x2] in INPUTS {
            assert_eq!(nand(x1, x2), 1 - and(x1, x2));
        }
    }

    #[test]
    fn no_perceptron_on_the_grid_computes_xor_or_xnor() {
        let grid = weight_grid();
        assert_eq!(count_perceptrons([0, 1, 1, 0], &grid), 0);
        assert_eq!(count_perceptrons([1, 0, 0, 1], &grid), 0);
    }

    #[test]
    fn the_grid_holds_the_books_gates() {
        let grid = weight_grid();
        for p in [AND, NAND, OR] {
            assert!(
                p.w.iter()
                    .chain([&p.b])
                    .all(|v| grid.iter().any(|g| (g - v).abs() < 1e-12))
            );
        }
        assert!(count_perceptrons([0, 0, 0, 1], &grid) > 0);
        assert!(count_perceptrons([0, 1, 1, 1], &grid) > 0);
    }

    #[test]
    fn a_right_answer_changes_nothing() {
        let mut p = AND;
        assert!(!learning_rule_step(&mut p, [1.0, 1.0], 1, 0.5));
        assert_eq!(p, AND);
    }

    #[test]
    fn learned_weights_compute_the_gate() {
        for table in [[0, 0, 0, 1], [0, 1, 1, 1], [1, 1, 1, 0]] {
            for seed in 0..20 {
                let training = train_perceptron(table, 0.1, 1000, &mut seeded_rng::rng(seed));
                assert!(training.converged(), "seed {seed}, table {table:?}");
                let p = training.last();
                assert_eq!(truth_table(|x1, x2| p.gate(x1, x2)), table);
            }
        }
    }

    #[test]
    fn xor_never_converges() {
        for seed in 0..20 {
            let training = train_perceptron([0, 1, 1, 0], 0.1, 1000, &mut seeded_rng::rng(seed));
            assert_eq!(training.errors_per_epoch.len(), 1000);
            assert!(training.errors_per_epoch.iter().all(|&e| e > 0));
        }
    }
}
