//! The chapter's experiments: activation functions and their slopes, two linear layers
//! collapsing into one, softmax and its overflow, a forward pass on spiral data, figures.

use std::fmt::Display;
use std::path::Path;
use std::process::ExitCode;

use anyhow::{Result, ensure};
use ch03_layers::{Dense, Float};
use ch04_activations::plots::{Activation, draw_activation, draw_random_networks};
use ch04_activations::{
    collapse_linear, exp_limit, forward_pass, identity, identity_derivative, randn_dense, relu,
    relu_derivative, sigmoid, sigmoid_derivative, softmax, softmax_naive, step_derivative,
    step_function, tanh, tanh_derivative, two_layers,
};
use chapter_cli::{Common, section};
use clap::Parser;
use ndarray::{Array2, Axis, array};
use plotters::prelude::SeriesLabelPosition;

/// Points per arm of the spiral data (nnfs uses 100).
const SAMPLES: usize = 100;
/// The most points per arm `--samples` accepts.
const MAX_SAMPLES: usize = 100_000;
/// Arms of the spiral, and so classes and output neurons.
const CLASSES: usize = 3;
/// Neurons in the hidden layer of the spiral network.
const HIDDEN: usize = 3;
/// Rows of the spiral network's output to print.
const ROWS_SHOWN: usize = 5;
/// Inputs of the collapse experiment: samples, features, hidden neurons, outputs.
const COLLAPSE_SHAPE: (usize, usize, usize, usize) = (100, 2, 4, 3);
/// Random networks drawn in the figure, and the hidden neurons of each.
const NETWORKS: usize = 3;
const NETWORK_HIDDEN: usize = 8;
/// Inputs at which the activation table is printed.
const TABLE_INPUTS: [f64; 5] = [-2.0, -1.0, 0.0, 1.0, 2.0];

/// The chapter's activation functions, in the order of the page.
const ACTIVATIONS: [Activation<'static>; 5] = [
    Activation {
        name: "step",
        title: "The step function and its derivative",
        label: "h(a) = 1 if a > 0, else 0",
        derivative_label: "h′(a) = 0 (a ≠ 0)",
        f: step_function,
        derivative: step_derivative,
        legend: SeriesLabelPosition::UpperLeft,
    },
    Activation {
        name: "sigmoid",
        title: "The sigmoid and its derivative",
        label: "σ(a) = 1 / (1 + e⁻ᵃ)",
        derivative_label: "σ′(a) = σ(a)(1 − σ(a))",
        f: sigmoid,
        derivative: sigmoid_derivative,
        legend: SeriesLabelPosition::UpperLeft,
    },
    Activation {
        name: "tanh",
        title: "tanh and its derivative",
        label: "tanh(a)",
        derivative_label: "tanh′(a) = 1 − tanh²(a)",
        f: tanh,
        derivative: tanh_derivative,
        legend: SeriesLabelPosition::LowerRight,
    },
    Activation {
        name: "ReLU",
        title: "ReLU and its derivative",
        label: "relu(a) = max(0, a)",
        derivative_label: "relu′(a) = 1 if a > 0, else 0",
        f: relu,
        derivative: relu_derivative,
        legend: SeriesLabelPosition::UpperLeft,
    },
    Activation {
        name: "identity",
        title: "The identity and its derivative",
        label: "identity(a) = a",
        derivative_label: "identity′(a) = 1",
        f: identity,
        derivative: identity_derivative,
        legend: SeriesLabelPosition::UpperLeft,
    },
];

/// Activation functions: step, sigmoid, tanh, ReLU, identity and softmax.
#[derive(Parser)]
struct Args {
    #[command(flatten)]
    common: Common,

    /// Points per arm of the spiral data fed to the network (1 to 100,000)
    #[arg(long, default_value_t = SAMPLES, allow_negative_numbers = true)]
    samples: usize,
}

fn main() -> ExitCode {
    chapter_cli::run(|| {
        let args = Args::parse();
        ensure!(args.samples > 0, "--samples must be at least 1");
        ensure!(
            args.samples <= MAX_SAMPLES,
            "--samples must be at most {MAX_SAMPLES}, got {}",
            args.samples
        );
        let out = args.common.out_dir(env!("CARGO_PKG_NAME"))?;
        print_activation_tables();
        draw_activation_figures(&out)?;
        print_linear_collapse(args.common.seed);
        draw_random_networks_figure(&out, args.common.seed)?;
        print_softmax_examples();
        print_softmax_overflow();
        print_spiral_forward_pass(args.common.seed, args.samples);
        Ok(())
    })
}

/// `[v1, v2, …]` with each value at `precision` decimals.
fn list<F: Display>(values: impl IntoIterator<Item = F>, precision: usize) -> String {
    let cells: Vec<String> = values
        .into_iter()
        .map(|v| format!("{v:.precision$}"))
        .collect();
    format!("[{}]", cells.join(", "))
}

/// `[v1, v2, …]` with each value right-aligned in `width` characters, so that rows line up.
fn aligned<F: Display>(
    values: impl IntoIterator<Item = F>,
    width: usize,
    precision: usize,
) -> String {
    let cells: Vec<String> = values
        .into_iter()
        .map(|v| format!("{v:>width$.precision$}"))
        .collect();
    format!("[{}]", cells.join(", "))
}

/// The largest absolute difference between two arrays of the same shape.
fn max_abs_diff(a: &Array2<f64>, b: &Array2<f64>) -> f64 {
    (a - b).iter().fold(0.0, |m, d| m.max(d.abs()))
}

/// Each activation function, then each derivative, at a few inputs.
fn print_activation_tables() {
    let header: Vec<String> = ACTIVATIONS
        .iter()
        .map(|h| format!("{:>9}", h.name))
        .collect();
    for (title, derivative) in [
        ("Activations at a few points", false),
        ("Their derivatives", true),
    ] {
        section(title);
        println!("{:>5} {}", "a", header.join(""));
        for a in TABLE_INPUTS {
            let cells: Vec<String> = ACTIVATIONS
                .iter()
                .map(|h| {
                    if derivative {
                        (h.derivative)(a)
                    } else {
                        (h.f)(a)
                    }
                })
                .map(|v| format!("{v:>9.4}"))
                .collect();
            println!("{a:>5.1} {}", cells.join(""));
        }
    }
}

/// One figure per activation function, with its derivative.
// The closures are needed: a figure function named alone is fixed to one backend lifetime.
#[allow(clippy::redundant_closure)]
fn draw_activation_figures(out: &Path) -> Result<()> {
    for activation in &ACTIVATIONS {
        let name = format!("{}.svg", activation.name.to_lowercase());
        figures::write_svg(out, &name, figures::SIZE, |area| {
            draw_activation(area, activation)
        })?;
    }
    Ok(())
}

/// Two dense layers with the identity between them compute exactly what one layer computes.
fn print_linear_collapse(seed: u64) {
    section("Two linear layers are one");
    let (samples, inputs, hidden, outputs) = COLLAPSE_SHAPE;
    let mut rng = seeded_rng::rng(seed);
    let x = seeded_rng::randn::<f64>(&mut rng, (samples, inputs)); // (samples, inputs)
    let dense1 = randn_dense(inputs, hidden, &mut rng);
    let dense2 = randn_dense(hidden, outputs, &mut rng);
    let one = collapse_linear(&dense1, &dense2);
    println!(
        "x {:?}, W1 {:?}, W2 {:?}  ->  W = W1·W2 {:?}, b = b1·W2 + b2 ({})",
        x.dim(),
        dense1.weights.dim(),
        dense2.weights.dim(),
        one.weights.dim(),
        one.biases.len()
    );
    for (i, row) in one.weights.rows().into_iter().enumerate() {
        println!("W row {}  {}", i + 1, list(row.iter(), 4));
    }
    println!("b        {}", list(one.biases.iter(), 4));
    let single = one.forward(&x);
    let diff = max_abs_diff(&two_layers(&x, &dense1, identity, &dense2), &single);
    println!("identity between the layers: max |two layers − one layer| = {diff:.1e}");
    let diff = max_abs_diff(&two_layers(&x, &dense1, relu, &dense2), &single);
    println!("ReLU between the layers:     max |two layers − one layer| = {diff:.4}");
}

/// Random one-input networks with three activations: lines, bent lines, curves.
fn draw_random_networks_figure(out: &Path, seed: u64) -> Result<()> {
    let mut rng = seeded_rng::rng(seed);
    let networks: Vec<(Dense<f64>, Dense<f64>)> = (0..NETWORKS)
        .map(|_| {
            let dense1 = randn_dense(1, NETWORK_HIDDEN, &mut rng);
            let dense2 = randn_dense(NETWORK_HIDDEN, 1, &mut rng);
            (dense1, dense2)
        })
        .collect();
    figures::write_svg(out, "random_networks.svg", (1500, 460), |area| {
        draw_random_networks(area, &networks)
    })?;
    Ok(())
}

/// The classic softmax example, step by step, then a batch of three rows.
fn print_softmax_examples() {
    section("Softmax of one sample");
    let x = array![[4.8, 1.21, 2.385]];
    let exp = x.mapv(f64::exp);
    let y = softmax(&x);
    println!("layer outputs   {}", list(x.iter(), 3));
    println!("exponentials    {}", list(exp.iter(), 8));
    println!("their sum       {:.8}", exp.sum());
    println!("softmax         {}", list(y.iter(), 8));
    println!("sum of softmax  {:.8}", y.sum());

    section("Softmax of a batch");
    let batch = array![[4.8, 1.21, 2.385], [8.9, -1.81, 0.2], [1.41, 1.051, 0.026]];
    print_rows_with_sums(&batch, &softmax(&batch), batch.nrows());
}

/// Prints the first `n` rows of `x` and of `y`, each row of `y` with its sum.
fn print_rows_with_sums<F: Float>(x: &Array2<F>, y: &Array2<F>, n: usize) {
    let sums = y.sum_axis(Axis(1));
    for ((x_row, y_row), sum) in x.rows().into_iter().zip(y.rows()).zip(&sums).take(n) {
        let (x_row, y_row) = (aligned(x_row.iter(), 6, 3), aligned(y_row.iter(), 10, 8));
        println!("{x_row}  ->  {y_row}  sum {sum:.8}");
    }
}

/// Naive softmax overflows on large inputs; subtracting the maximum does not.
fn print_softmax_overflow() {
    section("Softmax overflows");
    println!(
        "largest a with a finite e^a: f32 {:.4}, f64 {:.4}",
        exp_limit::<f32>(),
        exp_limit::<f64>()
    );
    let x64 = array![[1000.0f64, 1001.0, 1002.0]];
    println!("f64 x                   {}", list(x64.iter(), 1));
    println!(
        "    e^x                 {}",
        list(x64.mapv(f64::exp).iter(), 1)
    );
    println!(
        "    naive softmax       {}",
        list(softmax_naive(&x64).iter(), 8)
    );
    println!("    softmax (max first) {}", list(softmax(&x64).iter(), 8));
    let x32 = array![[100.0f32, 101.0, 102.0]];
    println!("f32 x                   {}", list(x32.iter(), 1));
    println!(
        "    e^x                 {}",
        list(x32.mapv(f32::exp).iter(), 1)
    );
    println!(
        "    naive softmax       {}",
        list(softmax_naive(&x32).iter(), 8)
    );
    println!("    softmax (max first) {}", list(softmax(&x32).iter(), 8));
    let small = array![[0.0f64, 1.0, 2.0]];
    println!("f64 x                   {}", list(small.iter(), 1));
    println!(
        "    softmax             {}",
        list(softmax(&small).iter(), 8)
    );
}

/// The nnfs forward pass: spiral data through Dense → ReLU → Dense → softmax, in f32.
fn print_spiral_forward_pass(seed: u64, samples: usize) {
    section("A forward pass on spiral data");
    let mut rng = seeded_rng::rng(seed);
    let (x, _) = toy_datasets::spiral_data::<f32>(&mut rng, samples, CLASSES); // (samples·classes, 2)
    let dense1 = Dense::<f32>::new(2, HIDDEN, &mut rng);
    let dense2 = Dense::<f32>::new(HIDDEN, CLASSES, &mut rng);
    let y = forward_pass(&x, &dense1, &dense2); // (samples·classes, classes)
    println!("spiral data: {samples} points in each of {CLASSES} classes");
    println!(
        "x {:?} -> Dense(2, {HIDDEN}) -> ReLU -> Dense({HIDDEN}, {CLASSES}) -> softmax -> {:?}",
        x.dim(),
        y.dim()
    );
    print_rows_with_sums(&x, &y, ROWS_SHOWN);
    let hidden = dense1.forward(&x).mapv(relu); // (samples·classes, hidden)
    let silent = hidden
        .rows()
        .into_iter()
        .filter(|row| row.iter().all(|&v| v == 0.0));
    println!(
        "rows where ReLU zeroed every hidden neuron: {} of {}",
        silent.count(),
        x.nrows()
    );
    let (lo, hi) = y
        .iter()
        .fold((1.0f32, 0.0f32), |(lo, hi), &p| (lo.min(p), hi.max(p)));
    println!("smallest and largest probability in all rows: {lo:.8}, {hi:.8}");
}
