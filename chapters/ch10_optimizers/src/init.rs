//! The first weights: 0.01·randn, Xavier and He, and the experiment of *Deep Learning from
//! Scratch* §6.2.2 (`ch06/weight_init_activation_histogram.py`) that compares them.

use ndarray::Array2;
use seeded_rng::Rng;

/// How a layer's first weights are drawn: standard normal samples times a standard deviation.
///
/// ```text
/// W = σ · randn(n_in, n_out)      σ = 0.01 (fixed),  √(1/n_in) (Xavier),  √(2/n_in) (He)
/// ```
///
/// "Xavier" is *Deep Learning from Scratch*'s simplification of Glorot and Bengio (2010), who
/// take `σ = √(2/(n_in + n_out))`, a compromise between the forward pass's `1/n_in` and the
/// backward pass's `1/n_out`; for square layers the two agree. He (He et al., 2015) doubles the variance because ReLU
/// zeroes half of its inputs.
///
/// NumPy (DLFS): `scale = np.sqrt(1.0 / all_size_list[idx - 1])` for `'xavier'`,
/// `np.sqrt(2.0 / all_size_list[idx - 1])` for `'he'`, then `scale * np.random.randn(…)`.
///
/// ```
/// use ch10_optimizers::Init;
/// assert_eq!(Init::Std(0.01).std(100), 0.01);
/// assert_eq!(Init::Xavier.std(100), 0.1); // √(1/100)
/// assert_eq!(Init::He.std(50), 0.2); // √(2/50)
/// ```
#[derive(Debug, Clone, Copy, PartialEq)]
// ANCHOR: init
pub enum Init {
    Std(f64), // the same σ for every layer, such as 0.01
    Xavier,   // σ = √(1/n_in), for sigmoid and tanh
    He,       // σ = √(2/n_in), for ReLU
}

impl Init {
    /// The standard deviation of the weights of a layer with `n_inputs` inputs.
    pub fn std(&self, n_inputs: usize) -> f64 {
        match self {
            Init::Std(std) => *std,
            Init::Xavier => (1.0 / n_inputs as f64).sqrt(),
            Init::He => (2.0 / n_inputs as f64).sqrt(),
        }
    }
}
// ANCHOR_END: init

impl std::fmt::Display for Init {
    /// `0.01·randn`, `Xavier` or `He`.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Init::Std(std) => write!(f, "{std}·randn"),
            Init::Xavier => write!(f, "Xavier"),
            Init::He => write!(f, "He"),
        }
    }
}

/// The activations of each layer of a deep stack of square layers without biases, for the
/// batch `x`: the experiment of *Deep Learning from Scratch* §6.2.2. Each layer draws its
/// weights with `init`, computes `a = z·W` from the previous layer's activations `z` (the
/// batch, for the first layer) and applies `activation`.
///
/// NumPy (DLFS): `w = np.random.randn(node_num, node_num) * std; a = np.dot(x, w); z = sigmoid(a)`.
///
/// ```
/// use ch10_optimizers::{layer_activations, Init};
/// use ch04_activations::relu;
/// let mut rng = seeded_rng::rng(0);
/// let x = seeded_rng::randn::<f64>(&mut rng, (1000, 100));
/// let he = layer_activations(&x, 5, Init::He, relu, &mut rng);
/// let tiny = layer_activations(&x, 5, Init::Std(0.01), relu, &mut rng);
/// assert_eq!(he.len(), 5);
/// assert!(he[4].std(0.0) > 0.3); // He keeps the spread
/// assert!(tiny[4].std(0.0) < 1e-5); // 0.01·randn shrinks it ~14× per layer
/// ```
// ANCHOR: layer_activations
pub fn layer_activations(
    x: &Array2<f64>,
    layers: usize,
    init: Init,
    activation: fn(f64) -> f64,
    rng: &mut impl Rng,
) -> Vec<Array2<f64>> {
    let width = x.ncols();
    let mut z = x.clone(); // (batch, width)
    let mut activations = Vec::new();
    for _ in 0..layers {
        let w = seeded_rng::randn::<f64>(rng, (width, width)) * init.std(width);
        let a = z.dot(&w);
        z = a.mapv(activation);
        activations.push(z.clone());
    }
    activations
}
// ANCHOR_END: layer_activations

/// The fraction of the entries of `a` for which `keep` holds.
///
/// ```
/// use ch10_optimizers::init::share;
/// assert_eq!(share(&ndarray::array![[0.0, 1.0], [0.0, 3.0]], |v| v == 0.0), 0.5);
/// ```
pub fn share(a: &Array2<f64>, keep: impl Fn(f64) -> bool) -> f64 {
    a.iter().filter(|&&v| keep(v)).count() as f64 / a.len() as f64
}

/// Prints a table with one row per initialisation and one column per layer, of `stat` of
/// each layer's activations (as [`layer_activations`] returns them), under the heading `title`.
pub fn print_layer_table(
    title: &str,
    runs: &[(Init, Vec<Array2<f64>>)],
    stat: impl Fn(&Array2<f64>) -> f64,
) {
    let layers = runs.first().map_or(0, |(_, layers)| layers.len());
    let mut table = format!("{title:<34}");
    for layer in 1..=layers {
        table += &format!(" {:>9}", format!("layer {layer}"));
    }
    for (init, layers) in runs {
        table += &format!("\n{:<34}", format!("  {init}"));
        for a in layers {
            let v = stat(a);
            if v != 0.0 && v.abs() < 1e-3 {
                table += &format!(" {v:>9.1e}");
            } else {
                table += &format!(" {v:>9.4}");
            }
        }
    }
    println!("{table}");
}
