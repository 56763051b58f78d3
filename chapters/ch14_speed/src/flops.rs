//! Counting the work: the floating-point operations of the DLFS MNIST protocol.

/// One matrix product of a training step, `(m × k)·(k × n)`: `m·k·n` multiply-adds, each
/// counted as two floating-point operations (a multiply and an add).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Product {
    pub name: &'static str,
    pub m: usize,
    pub k: usize,
    pub n: usize,
    /// Whether the fast versions skip it (the first layer's `dx`, which nothing needs).
    pub skippable: bool,
}

impl Product {
    /// `2·m·k·n`.
    ///
    /// ```
    /// let p = ch14_speed::Product { name: "x·W1", m: 100, k: 784, n: 50, skippable: false };
    /// assert_eq!(p.flops(), 7_840_000);
    /// ```
    pub fn flops(&self) -> u64 {
        2 * (self.m * self.k * self.n) as u64
    }
}

/// The six matrix products of one training step of an `inputs`-`hidden`-`classes` network on a
/// batch of `batch`, forward then backward, as *Deep Learning from Scratch* computes them.
///
/// ```text
/// forward:  x·W1 (N×I·I×H)   h·W2 (N×H·H×C)
/// backward: dW2 = hᵀ·dy (H×N·N×C)   dh = dy·W2ᵀ (N×C·C×H)
///           dW1 = xᵀ·dh (I×N·N×H)   dx = dh·W1ᵀ (N×H·H×I), which nothing needs
/// ```
///
/// ```
/// let step = ch14_speed::step_products(784, 50, 10, 100);
/// assert_eq!(step.len(), 6);
/// let total: u64 = step.iter().map(|p| p.flops()).sum();
/// assert_eq!(total, 3 * 7_840_000 + 3 * 100_000);
/// ```
pub fn step_products(inputs: usize, hidden: usize, classes: usize, batch: usize) -> [Product; 6] {
    let product = |name, m, k, n, skippable| Product {
        name,
        m,
        k,
        n,
        skippable,
    };
    [
        product("forward x·W1", batch, inputs, hidden, false),
        product("forward h·W2", batch, hidden, classes, false),
        product("backward dW2 = hᵀ·dy", hidden, batch, classes, false),
        product("backward dh = dy·W2ᵀ", batch, classes, hidden, false),
        product("backward dW1 = xᵀ·dh", inputs, batch, hidden, false),
        product("backward dx = dh·W1ᵀ", batch, hidden, inputs, true),
    ]
}

/// The work of a whole training run: `iterations` steps, then one evaluation of every training
/// and test image (a forward pass of `evaluated` images).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Work {
    pub inputs: usize,
    pub hidden: usize,
    pub classes: usize,
    pub batch: usize,
    pub iterations: usize,
    pub evaluated: usize,
}

impl Work {
    /// The products of one step.
    pub fn step(&self) -> [Product; 6] {
        step_products(self.inputs, self.hidden, self.classes, self.batch)
    }

    /// FLOPs in the products of one step, with or without the skippable `dx`.
    pub fn step_flops(&self, with_dx: bool) -> u64 {
        self.step()
            .iter()
            .filter(|p| with_dx || !p.skippable)
            .map(Product::flops)
            .sum()
    }

    /// FLOPs of the final evaluation: the two forward products for every image.
    pub fn evaluation_flops(&self) -> u64 {
        let per_image = self.inputs * self.hidden + self.hidden * self.classes;
        2 * (self.evaluated * per_image) as u64
    }

    /// FLOPs in the products of the whole run, without the skippable `dx`: the work every
    /// version must do, which the fraction of peak is measured against.
    ///
    /// ```
    /// let work = ch14_speed::Work {
    ///     inputs: 784, hidden: 50, classes: 10, batch: 100, iterations: 10_000, evaluated: 70_000,
    /// };
    /// assert_eq!(work.run_flops(), 10_000 * (2 * 7_840_000 + 3 * 100_000) + 5_558_000_000);
    /// ```
    pub fn run_flops(&self) -> u64 {
        self.iterations as u64 * self.step_flops(false) + self.evaluation_flops()
    }
}
