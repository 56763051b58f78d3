//! The chapter's experiments: partial derivatives, gradients, gradient descent, a square root,
//! the chain rule, simpleNet, and a two-layer MNIST network trained by numerical gradients.
//! `--bench` times one numerical gradient of that network instead.

use std::path::Path;
use std::process::ExitCode;
use std::time::Instant;

use anyhow::{ensure, Context, Result};
use ch05_loss::argmax_rows;
use ch07_derivatives::{numerical_diff, DEFAULT_H};
use ch08_gradients::plots::{
    draw_descents, draw_gradient_field, semilog_y_chart, DescentPanel, FieldArrow,
};
use ch08_gradients::{
    function_2, function_tmp1, function_tmp2, gradient_descent, gradient_step, neuron_loss,
    neuron_loss_derivative, numerical_gradient, numerical_sqrt_fixed_point, sample_batch,
    sqrt_by_descent, square_of_linear, square_of_linear_derivative, Descent, GradientCost,
    Gradients, SimpleNet, TwoLayerNet,
};
use chapter_cli::{section, Common};
use clap::{Parser, ValueEnum};
use figures::{LineChart, Series};
use ndarray::{array, Array1, Array2, Ix1};

/// Where every descent on x₀² + x₁² starts, as in *Deep Learning from Scratch*.
const DESCENT_START: [f64; 2] = [-3.0, 4.0];
/// Steps of each descent.
const DESCENT_STEPS: usize = 100;
/// A good learning rate, one far too large and one far too small (DLFS's three).
const GOOD_RATE: f64 = 0.1;
const LARGE_RATE: f64 = 10.0;
const SMALL_RATE: f64 = 1e-10;
/// The grid of the gradient field: from −2 to 2 in steps of 0.25, as in DLFS.
const FIELD_FROM: f64 = -2.0;
const FIELD_STEP: f64 = 0.25;
const FIELD_POINTS: usize = 17;

/// The square root by descent: of `SQRT_A`, from `SQRT_START`.
const SQRT_A: f64 = 2.0;
const SQRT_START: f64 = 1.0;
/// Learning rates to try; 1/(8a) = 0.0625 is the best, 1/(4a) = 0.125 the limit.
const SQRT_RATES: [f64; 6] = [0.001, 0.01, 0.0625, 0.1, 0.15, 0.3];
/// The steps at which the table shows the error.
const SQRT_TABLE_STEPS: [usize; 8] = [1, 2, 5, 10, 20, 50, 100, 200];

/// Where the chain rule is checked, and the neuron's input and target.
const CHAIN_POINTS: [f64; 4] = [-2.0, -0.5, 0.0, 1.5];
const NEURON_X: f64 = 2.0;
const NEURON_T: f64 = 1.0;

/// simpleNet's input and target class, as in DLFS.
const SIMPLE_X: [f64; 2] = [0.6, 0.9];
const SIMPLE_T: usize = 2;
/// What DLFS prints for simpleNet's loss and dL/dW.
const DLFS_LOSS: f64 = 0.928_068_536_634_113_3;
const DLFS_DW: [f64; 6] = [
    0.21924763,
    0.14356247,
    -0.36281009,
    0.32887144,
    0.2153437,
    -0.54421514,
];

/// The MNIST network of DLFS: 784 inputs, 50 hidden units, 10 classes, batches of 100.
const INPUTS: usize = 784;
const HIDDEN: usize = 50;
const CLASSES: usize = 10;
const BATCH: usize = 100;
const LEARNING_RATE: f64 = 0.1;
/// Training steps by numerical gradients in a default run.
const MNIST_STEPS: usize = 5;
/// DLFS trains for 10,000 iterations.
const DLFS_ITERATIONS: usize = 10_000;
/// Hidden units of the small network on which serial and parallel are compared in full.
const SMALL_HIDDEN: usize = 2;
/// Test images on which the loss is measured before and after training.
const TEST_IMAGES: usize = 1000;
/// Runs of each method in `--bench`.
const BENCH_RUNS: usize = 3;

/// How each training step's gradient is computed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
enum Method {
    /// Every loss evaluation a whole forward pass (DLFS's method), on all threads
    Plain,
    /// Each loss evaluation redoes only what the nudge changes, on all threads
    Incremental,
}

/// Gradients by numbers: partial derivatives, gradient descent, and a network trained by
/// numerical gradients.
#[derive(Parser)]
struct Args {
    #[command(flatten)]
    common: Common,

    /// Training steps of the MNIST network by numerical gradients (1 to 1000)
    #[arg(long, default_value_t = MNIST_STEPS)]
    steps: usize,

    /// How the training steps compute their gradient (plain takes tens of seconds per step)
    #[arg(long, value_enum, default_value_t = Method::Incremental)]
    gradient: Method,

    /// Time one numerical gradient of the 784-50-10 network, serial and parallel, and print
    /// the medians (on stderr) instead of running the chapter
    #[arg(long)]
    bench: bool,

    /// Runs of each method in --bench, of which the median is reported (1 to 100)
    #[arg(long, default_value_t = BENCH_RUNS)]
    runs: usize,
}

fn main() -> ExitCode {
    chapter_cli::run(|| {
        let args = Args::parse();
        ensure!(
            (1..=1000).contains(&args.steps),
            "--steps must be from 1 to 1000, got {}",
            args.steps
        );
        ensure!(
            (1..=100).contains(&args.runs),
            "--runs must be from 1 to 100, got {}",
            args.runs
        );
        if args.bench {
            return bench(&args);
        }
        let out = args.common.out_dir(env!("CARGO_PKG_NAME"))?;
        print_partial_derivatives();
        print_gradients();
        print_gradient_of_a_matrix();
        let field = gradient_field();
        let good = print_gradient_descent();
        let panels = print_learning_rates(good);
        let sqrt_runs = print_square_root();
        print_sqrt_fixed_point();
        print_chain_rule();
        print_simple_net();
        mnist_network(&args)?;
        draw_figures(&out, &field, &panels, &sqrt_runs)
    })
}

/// A list of numbers as `[a, b, …]`, each printed by `show`.
fn list(values: impl IntoIterator<Item = f64>, show: impl Fn(f64) -> String) -> String {
    let items: Vec<String> = values.into_iter().map(show).collect();
    format!("[{}]", items.join(", "))
}

/// The shortest text that reads back as the same f64, as Python prints a float.
fn exact(v: f64) -> String {
    format!("{v}")
}

/// Scientific notation as NumPy prints it: `-6.11110793e-10`, `2.50e+01`.
fn sci(v: f64, decimals: usize) -> String {
    let text = format!("{v:.decimals$e}");
    match text.split_once('e') {
        Some((mantissa, exponent)) => {
            let (sign, digits) = match exponent.strip_prefix('-') {
                Some(digits) => ('-', digits),
                None => ('+', exponent),
            };
            format!("{mantissa}e{sign}{digits:0>2}")
        }
        None => text, // inf or NaN
    }
}

/// A count with thousands separators: `39,760`.
fn thousands(n: usize) -> String {
    let digits = n.to_string();
    let mut out = String::new();
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    out
}

/// DLFS's partial derivatives of x₀² + x₁² at (3, 4), one variable held fixed each time.
fn print_partial_derivatives() {
    section("Partial derivatives");
    println!("f(x₀, x₁) = x₀² + x₁² at (x₀, x₁) = (3, 4), h = {DEFAULT_H:e}");
    let d0 = numerical_diff(function_tmp1, 3.0, DEFAULT_H);
    let d1 = numerical_diff(function_tmp2, 4.0, DEFAULT_H);
    println!("∂f/∂x₀: x₁ held at 4, slope of x₀² + 16 at x₀ = 3: {d0}   (exact 2x₀ = 6)");
    println!("∂f/∂x₁: x₀ held at 3, slope of 9 + x₁² at x₁ = 4: {d1}   (exact 2x₁ = 8)");
}

/// The numerical gradient of x₀² + x₁² at DLFS's three points.
fn print_gradients() {
    section("The gradient");
    for point in [[3.0, 4.0], [0.0, 2.0], [3.0, 0.0]] {
        let mut x = Array1::from(point.to_vec());
        let grad = numerical_gradient(function_2, &mut x);
        println!(
            "∇f({}, {}) = {}   exact (2x₀, 2x₁) = ({}, {})",
            point[0],
            point[1],
            list(grad, exact),
            2.0 * point[0],
            2.0 * point[1]
        );
    }
}

/// The same function of a 2×3 matrix: the gradient has the matrix's shape.
fn print_gradient_of_a_matrix() {
    section("The gradient of a matrix");
    let mut x: Array2<f64> = array![[1.0, -2.0, 0.5], [0.0, 3.0, -1.5]];
    let grad = numerical_gradient(function_2, &mut x);
    println!("f(X) = Σᵢⱼ xᵢⱼ², X of shape {:?}", x.shape());
    for (name, m) in [("X", &x), ("∇f(X)", &grad)] {
        for (r, row) in m.rows().into_iter().enumerate() {
            let label = if r == 0 { name } else { "" };
            println!(
                "{label:<6} {}",
                list(row.iter().copied(), |v| format!("{v:>10.6}"))
            );
        }
    }
    println!("∇f(X) has shape {:?}; each entry is 2xᵢⱼ", grad.shape());
}

/// The negative gradient of x₀² + x₁² on DLFS's grid, for the quiver plot.
fn gradient_field() -> Vec<FieldArrow> {
    let coordinates: Vec<f64> = (0..FIELD_POINTS)
        .map(|i| FIELD_FROM + FIELD_STEP * i as f64)
        .collect();
    let mut field = Vec::new();
    for &x0 in &coordinates {
        for &x1 in &coordinates {
            let grad = numerical_gradient(function_2, &mut array![x0, x1]);
            field.push(((x0, x1), (grad[0], grad[1])));
        }
    }
    field
}

/// DLFS's descent from (−3, 4) with η = 0.1.
fn print_gradient_descent() -> Descent<f64, Ix1> {
    section("Gradient descent");
    let init = Array1::from(DESCENT_START.to_vec());
    let descent = gradient_descent(function_2, &init, GOOD_RATE, DESCENT_STEPS)
        .expect("η = 0.1 converges on x₀² + x₁²");
    println!("from (−3, 4), η = {GOOD_RATE}, {DESCENT_STEPS} steps");
    for step in [0, 1, 2, 3, 10, 50, 100] {
        let x = &descent.path[step];
        println!(
            "step {step:>3}: x = {}   f(x) = {}",
            list(x.iter().copied(), |v| format!("{:>15}", sci(v, 8))),
            sci(descent.values[step], 3)
        );
    }
    descent
}

/// The path of a descent as points of the plane.
fn points(path: &[Array1<f64>]) -> Vec<(f64, f64)> {
    path.iter().map(|x| (x[0], x[1])).collect()
}

/// A learning rate too large (caught as divergence) and one too small.
fn print_learning_rates(good: Descent<f64, Ix1>) -> Vec<DescentPanel> {
    section("Learning rates too large and too small");
    let init = Array1::from(DESCENT_START.to_vec());
    let mut panels = vec![DescentPanel {
        title: format!("η = {GOOD_RATE}: converges"),
        path: points(&good.path),
    }];

    match gradient_descent(function_2, &init, LARGE_RATE, DESCENT_STEPS) {
        Ok(descent) => println!(
            "η = {LARGE_RATE}: ended at {}",
            list(descent.x().clone(), exact)
        ),
        Err(diverged) => {
            println!("η = {LARGE_RATE}: Err({diverged})");
            let title = format!(
                "η = {LARGE_RATE}: diverges, stopped at step {}",
                diverged.step
            );
            for (step, x) in diverged.path.iter().enumerate() {
                println!(
                    "  step {step}: x = {}",
                    list(x.iter().copied(), |v| format!("{v:>12.1}"))
                );
            }
            panels.push(DescentPanel {
                title,
                path: points(&diverged.path),
            });
        }
    }
    // DLFS's loop has no check: it runs all 100 steps.
    let mut x = init.clone();
    for _ in 0..DESCENT_STEPS {
        gradient_step(function_2, &mut x, LARGE_RATE);
    }
    println!(
        "  unchecked, all {DESCENT_STEPS} steps as DLFS runs them: x = {}",
        list(x.iter().copied(), |v| sci(v, 8))
    );
    let h_vanishes = x.iter().all(|&xi| xi + DEFAULT_H == xi);
    println!("  there x + h == x for both entries: {h_vanishes}");

    let tiny = gradient_descent(function_2, &init, SMALL_RATE, DESCENT_STEPS)
        .expect("a tiny step does not diverge");
    let moved = tiny.x() - &init;
    println!(
        "η = {SMALL_RATE:e}: x = {}   moved by {}",
        list(tiny.x().iter().copied(), |v| format!("{v:.8}")),
        list(moved, |v| sci(v, 1))
    );
    panels.push(DescentPanel {
        title: format!("η = {SMALL_RATE:e}: barely moves"),
        path: points(&tiny.path),
    });
    panels
}

/// One learning rate's descent towards √a: the error after each step, up to where it stopped.
struct SqrtRun {
    lr: f64,
    errors: Vec<f64>,
    diverged_at: Option<usize>,
}

/// √2 by gradient descent on (x² − 2)², for several learning rates.
fn print_square_root() -> Vec<SqrtRun> {
    section("A square root by gradient descent");
    let root = SQRT_A.sqrt();
    let steps = *SQRT_TABLE_STEPS.last().expect("at least one step");
    println!("minimise (x² − {SQRT_A})² from x = {SQRT_START}; f64::sqrt({SQRT_A}) = {root}");
    println!("|x − √{SQRT_A}| after each number of steps, for each learning rate η:");
    let runs: Vec<SqrtRun> = SQRT_RATES
        .iter()
        .map(|&lr| {
            let (path, diverged_at) = match sqrt_by_descent(SQRT_A, SQRT_START, lr, steps) {
                Ok(descent) => (descent.path, None),
                Err(diverged) => (diverged.path, Some(diverged.step)),
            };
            let errors = path.iter().map(|x| (x[0] - root).abs()).collect();
            SqrtRun {
                lr,
                errors,
                diverged_at,
            }
        })
        .collect();
    let mut header = format!("{:>6}", "steps");
    for run in &runs {
        header += &format!(" {:>10}", format!("η = {}", run.lr));
    }
    println!("{header}");
    for step in SQRT_TABLE_STEPS {
        let mut row = format!("{step:>6}");
        for run in &runs {
            let cell = match (run.errors.get(step), run.diverged_at) {
                (Some(e), _) => sci(*e, 2),
                (None, Some(at)) => format!("div. ({at})"),
                (None, None) => "—".to_string(),
            };
            row += &format!(" {cell:>10}");
        }
        println!("{row}");
    }
    for run in runs.iter().filter(|r| r.diverged_at.is_some()) {
        let at = run.diverged_at.unwrap_or_default();
        println!("η = {}: diverged at step {at}", run.lr);
    }
    println!(
        "best η = 1/(8a) = {}; converges only for η < 1/(4a) = {}",
        1.0 / (8.0 * SQRT_A),
        1.0 / (4.0 * SQRT_A)
    );
    runs
}

/// Where the descent settles, against f64::sqrt, and the truncation error that explains it.
fn print_sqrt_fixed_point() {
    section("Where the descent stops");
    let descent = sqrt_by_descent(SQRT_A, SQRT_START, 1.0 / (8.0 * SQRT_A), 50)
        .expect("the best rate converges");
    let x = descent.x()[0];
    let root = SQRT_A.sqrt();
    let fixed = numerical_sqrt_fixed_point(SQRT_A);
    println!("descent, η = 1/(8a), 50 steps: x = {x:.17}");
    println!("√(a − h²)                     = {fixed:.17}");
    println!("f64::sqrt(a)                  = {root:.17}");
    println!("√a − x                        = {}", sci(root - x, 3));
    println!(
        "h²/(2√a)                      = {}",
        sci(DEFAULT_H * DEFAULT_H / (2.0 * root), 3)
    );
}

/// The chain rule against the numerical derivative, on two composed functions.
fn print_chain_rule() {
    section("The chain rule, checked");
    println!("y = (3x + 2)²: dy/dx = 2(3x + 2)·3");
    println!(
        "{:>5} {:>16} {:>16} {:>10}",
        "x", "numerical", "chain rule", "difference"
    );
    for x in CHAIN_POINTS {
        let numerical = numerical_diff(square_of_linear, x, DEFAULT_H);
        let chain = square_of_linear_derivative(x);
        println!(
            "{x:>5.1} {numerical:>16.10} {chain:>16.10} {:>10}",
            sci(numerical - chain, 1)
        );
    }
    println!("L = (σ(w·x) − t)², x = {NEURON_X}, t = {NEURON_T}: dL/dw = 2(y − t)·y(1 − y)·x");
    println!(
        "{:>5} {:>16} {:>16} {:>10}",
        "w", "numerical", "chain rule", "difference"
    );
    for w in CHAIN_POINTS {
        let numerical = numerical_diff(|w| neuron_loss(w, NEURON_X, NEURON_T), w, DEFAULT_H);
        let chain = neuron_loss_derivative(w, NEURON_X, NEURON_T);
        println!(
            "{w:>5.1} {numerical:>16.10} {chain:>16.10} {:>10}",
            sci(numerical - chain, 1)
        );
    }
}

/// DLFS's simpleNet with the weights it printed: prediction, loss, and dL/dW.
fn print_simple_net() {
    section("The gradient of simpleNet");
    let mut net = SimpleNet::dlfs();
    let x = array![SIMPLE_X];
    let t = [SIMPLE_T];
    let row =
        |values: ndarray::ArrayView1<f64>| list(values.iter().copied(), |v| format!("{v:>11.8}"));
    println!("W      = {}", row(net.w.row(0)));
    println!("         {}", row(net.w.row(1)));
    let z = net.predict(&x);
    println!("x      = {}", list(SIMPLE_X, |v| format!("{v}")));
    println!("x·W    = {}", row(z.row(0)));
    println!("argmax = {}   target t = {SIMPLE_T}", argmax_rows(&z)[0]);
    let loss = net.loss(&x, &t);
    let y = ch04_activations::softmax(&z);
    let dlfs_formula = -(y[[0, SIMPLE_T]] + 1e-7).ln();
    println!("loss   = {loss:.17}   (−ln y₂, clipped cross-entropy)");
    println!(
        "DLFS printed 0.92806853663411326:  difference {}",
        sci(loss - DLFS_LOSS, 1)
    );
    let dw = net.numerical_gradient(&x, &t);
    println!("dL/dW  = {}", row(dw.row(0)));
    println!("         {}", row(dw.row(1)));
    let dlfs_dw = Array2::from_shape_vec((2, 3), DLFS_DW.to_vec()).expect("2×3 values");
    let largest = (&dw - &dlfs_dw)
        .mapv(f64::abs)
        .fold(0.0, |m: f64, &v| m.max(v));
    println!(
        "largest difference from DLFS's printed dL/dW: {}",
        sci(largest, 1)
    );
    let rounding = dw.mapv(f64::abs).sum() * 5e-9;
    println!(
        "how far W's rounding to 8 decimals can move the loss: Σ|dL/dW|·5e-9 = {}",
        sci(rounding, 1)
    );
    println!("−ln(y₂ + 1e-7), as DLFS's cross_entropy_error writes it: {dlfs_formula:.17}");
}

/// The MNIST part: what a numerical gradient costs, serial against parallel, and training.
fn mnist_network(args: &Args) -> Result<()> {
    let mnist = mnist::load().context("loading MNIST for the two-layer network")?;
    let mut rng = seeded_rng::rng(args.common.seed);
    let mut net = TwoLayerNet::<f64>::new(INPUTS, HIDDEN, CLASSES, &mut rng);
    let (x, t) = sample_batch(&mnist.train, BATCH, &mut rng);
    print_cost(&x);
    project_plain_cost(&net, &x, &t);
    compare_methods(&x, &t, &mut rng);
    train(&mut net, &mnist, args, &mut rng);
    Ok(())
}

/// What one numerical gradient of the 784-50-10 network costs, counted.
fn print_cost(x: &Array2<f64>) {
    section("The cost of a numerical gradient");
    let cost = GradientCost::new(INPUTS, HIDDEN, CLASSES, BATCH);
    println!("network {INPUTS}-{HIDDEN}-{CLASSES} (sigmoid, softmax), batch {BATCH}, f64");
    let rows = [
        ("parameters", thousands(cost.parameters)),
        ("loss evaluations per gradient", thousands(cost.evaluations)),
        (
            "multiply-adds per forward pass",
            thousands(cost.multiply_adds_per_evaluation),
        ),
        (
            "multiply-adds per gradient",
            sci(cost.multiply_adds() as f64, 2),
        ),
        (
            "multiply-adds, DLFS's 10,000 steps",
            sci((cost.multiply_adds() * DLFS_ITERATIONS) as f64, 2),
        ),
    ];
    for (name, value) in rows {
        println!("{name:<36} {value:>10}");
    }
    let felt: Vec<usize> = x
        .columns()
        .into_iter()
        .map(|pixel| pixel.iter().filter(|&&v| v != 0.0).count())
        .collect();
    let dark = felt.iter().filter(|&&n| n == 0).count();
    let lit: Vec<&usize> = felt.iter().filter(|&&n| n > 0).collect();
    let mean = lit.iter().copied().sum::<usize>() as f64 / lit.len() as f64;
    println!("pixels that are 0 in all {BATCH} images of this batch: {dark} of {INPUTS}");
    println!(
        "samples that feel a nudge of W₁[i, j], other pixels: {mean:.1} of {BATCH} on average"
    );
}

/// Times plain loss evaluations and projects the cost of DLFS's training (stderr).
fn project_plain_cost(net: &TwoLayerNet<f64>, x: &Array2<f64>, t: &[usize]) {
    let cost = GradientCost::new(INPUTS, HIDDEN, CLASSES, BATCH);
    let mut times: Vec<f64> = (0..30)
        .map(|_| {
            let start = Instant::now();
            std::hint::black_box(net.loss(x, t));
            start.elapsed().as_secs_f64()
        })
        .collect();
    let per_evaluation = median(&mut times);
    let serial = per_evaluation * cost.evaluations as f64;
    let threads = rayon::current_num_threads() as f64;
    eprintln!(
        "timing (this machine): one plain loss evaluation {:.0} µs → one plain numerical \
         gradient ≈ {serial:.1} s on one thread, ≈ {:.1} s on {threads} threads at best",
        per_evaluation * 1e6,
        serial / threads
    );
    eprintln!(
        "timing (this machine): DLFS's {DLFS_ITERATIONS} iterations by plain numerical \
         gradients ≈ {:.1} h on one thread, ≈ {:.1} h on {threads} threads",
        serial * DLFS_ITERATIONS as f64 / 3600.0,
        serial * DLFS_ITERATIONS as f64 / 3600.0 / threads
    );
}

/// Serial against parallel, and plain against incremental, on a small network in full.
fn compare_methods(x: &Array2<f64>, t: &[usize], rng: &mut impl seeded_rng::Rng) {
    section("Serial, parallel and incremental agree");
    let mut net = TwoLayerNet::<f64>::new(INPUTS, SMALL_HIDDEN, CLASSES, rng);
    println!(
        "network {INPUTS}-{SMALL_HIDDEN}-{CLASSES}: {} parameters, the same batch",
        thousands(net.parameter_count())
    );
    let (serial, serial_s) = timed(|| net.numerical_gradient(x, t));
    let (parallel, parallel_s) = timed(|| net.par_numerical_gradient(x, t));
    let (incremental, incremental_s) = timed(|| net.incremental_numerical_gradient(x, t));
    let (par_incremental, _) = timed(|| net.par_incremental_numerical_gradient(x, t));
    eprintln!(
        "timing (this machine): {INPUTS}-{SMALL_HIDDEN}-{CLASSES} gradient: serial {serial_s:.3} s, \
         parallel {parallel_s:.3} s ({:.2}× faster), incremental {incremental_s:.3} s",
        serial_s / parallel_s
    );
    let differ = count_bit_differences(&serial, &parallel);
    println!(
        "serial (in place) vs parallel (a copy per chunk): {differ} entries differ in any bit"
    );
    let close = serial.max_abs_diff(&incremental) < 1e-9;
    println!("plain vs incremental: every entry within 1e-9: {close}");
    println!(
        "incremental serial vs parallel: {} entries differ in any bit",
        count_bit_differences(&incremental, &par_incremental)
    );
}

/// How many entries of two gradients are not the same f64.
fn count_bit_differences(a: &Gradients<f64>, b: &Gradients<f64>) -> usize {
    let pairs =
        a.w1.iter()
            .zip(&b.w1)
            .chain(a.b1.iter().zip(&b.b1))
            .chain(a.w2.iter().zip(&b.w2))
            .chain(a.b2.iter().zip(&b.b2));
    pairs.filter(|(x, y)| x.to_bits() != y.to_bits()).count()
}

/// Trains the 784-50-10 network by numerical gradients for `args.steps` steps.
fn train(
    net: &mut TwoLayerNet<f64>,
    mnist: &mnist::Mnist,
    args: &Args,
    rng: &mut impl seeded_rng::Rng,
) {
    section("Training by numerical gradients");
    let test = mnist.test.first(TEST_IMAGES);
    let (x_test, t_test) = (
        test.images_normalised::<f64>(),
        test.labels
            .iter()
            .map(|&l| usize::from(l))
            .collect::<Vec<_>>(),
    );
    let method = match args.gradient {
        Method::Plain => "plain, parallel",
        Method::Incremental => "incremental, parallel",
    };
    println!(
        "network {INPUTS}-{HIDDEN}-{CLASSES}, batch {BATCH}, η = {LEARNING_RATE}, \
         gradient: {method}"
    );
    println!(
        "loss on the first {TEST_IMAGES} test images before: {:.6}",
        net.loss(&x_test, &t_test)
    );
    println!("{:>4} {:>12} {:>12}", "step", "batch loss", "after step");
    let mut seconds = Vec::new();
    for step in 1..=args.steps {
        let (x, t) = sample_batch(&mnist.train, BATCH, rng);
        let before = net.loss(&x, &t);
        let (grads, s) = timed(|| match args.gradient {
            Method::Plain => net.par_numerical_gradient(&x, &t),
            Method::Incremental => net.par_incremental_numerical_gradient(&x, &t),
        });
        net.apply(&grads, LEARNING_RATE);
        println!("{step:>4} {before:>12.6} {:>12.6}", net.loss(&x, &t));
        eprintln!("timing (this machine): step {step}: {s:.2} s for the gradient");
        seconds.push(s);
    }
    println!(
        "loss on the first {TEST_IMAGES} test images after:  {:.6}",
        net.loss(&x_test, &t_test)
    );
    let per_step = median(&mut seconds);
    eprintln!(
        "timing (this machine): median {per_step:.2} s per step ({method}) → DLFS's \
         {DLFS_ITERATIONS} iterations ≈ {:.1} h",
        per_step * DLFS_ITERATIONS as f64 / 3600.0
    );
}

/// Runs `f` and measures how long it took, in seconds.
fn timed<T>(f: impl FnOnce() -> T) -> (T, f64) {
    let start = Instant::now();
    let value = f();
    (value, start.elapsed().as_secs_f64())
}

/// The median of some timings (sorts them).
fn median(values: &mut [f64]) -> f64 {
    values.sort_by(f64::total_cmp);
    let n = values.len();
    if n % 2 == 1 {
        values[n / 2]
    } else {
        (values[n / 2 - 1] + values[n / 2]) / 2.0
    }
}

/// A way to compute the numerical gradient of the network.
type GradientFn = fn(&mut TwoLayerNet<f64>, &Array2<f64>, &[usize]) -> Gradients<f64>;

/// `--bench`: the median time of one numerical gradient of the 784-50-10 network on a batch of
/// 100, by each method, on stderr.
fn bench(args: &Args) -> Result<()> {
    let mnist = mnist::load().context("loading MNIST for the benchmark")?;
    let mut rng = seeded_rng::rng(args.common.seed);
    let mut net = TwoLayerNet::<f64>::new(INPUTS, HIDDEN, CLASSES, &mut rng);
    let (x, t) = sample_batch(&mnist.train, BATCH, &mut rng);
    let threads = rayon::current_num_threads();
    eprintln!(
        "one numerical gradient of the {INPUTS}-{HIDDEN}-{CLASSES} network ({} parameters), \
         batch {BATCH}, f64, {threads} threads, median of {} runs:",
        net.parameter_count(),
        args.runs
    );
    let mut results: Vec<(&str, f64, Gradients<f64>)> = Vec::new();
    let methods: [(&str, GradientFn); 4] = [
        ("plain, serial (DLFS's in place)", |n, x, t| {
            n.numerical_gradient(x, t)
        }),
        ("plain, parallel (a copy per chunk)", |n, x, t| {
            n.par_numerical_gradient(x, t)
        }),
        ("incremental, serial", |n, x, t| {
            n.incremental_numerical_gradient(x, t)
        }),
        ("incremental, parallel", |n, x, t| {
            n.par_incremental_numerical_gradient(x, t)
        }),
    ];
    for (name, method) in methods {
        let mut times = Vec::new();
        let mut grads = None;
        for run in 1..=args.runs {
            let (g, s) = timed(|| method(&mut net, &x, &t));
            eprintln!("  {name}: run {run}: {s:.3} s");
            times.push(s);
            grads = Some(g);
        }
        let grads = grads.expect("at least one run");
        let m = median(&mut times);
        eprintln!("{name:<36} median {m:>8.3} s");
        results.push((name, m, grads));
    }
    let (plain_serial, plain_parallel) = (results[0].1, results[1].1);
    let (incremental_serial, incremental_parallel) = (results[2].1, results[3].1);
    eprintln!(
        "parallel speed-up: plain {:.2}×, incremental {:.2}×",
        plain_serial / plain_parallel,
        incremental_serial / incremental_parallel
    );
    eprintln!(
        "incremental over plain: {:.0}× (serial), {:.0}× (parallel)",
        plain_serial / incremental_serial,
        plain_parallel / incremental_parallel
    );
    eprintln!(
        "serial and parallel plain gradients differ in {} entries; plain vs incremental: \
         largest difference {:.1e}",
        count_bit_differences(&results[0].2, &results[1].2),
        results[0].2.max_abs_diff(&results[2].2)
    );
    Ok(())
}

/// The chapter's three figures.
// The closures are needed: a figure function named alone is fixed to one backend lifetime.
#[allow(clippy::redundant_closure)]
fn draw_figures(
    out: &Path,
    field: &[FieldArrow],
    panels: &[DescentPanel],
    sqrt_runs: &[SqrtRun],
) -> Result<()> {
    figures::write_svg(out, "gradient_field.svg", (600, 640), |area| {
        draw_gradient_field(area, field, FIELD_STEP)
    })?;
    figures::write_svg(out, "descent_paths.svg", (1500, 520), |area| {
        draw_descents(area, panels)
    })?;
    let mut series: Vec<Series> = sqrt_runs
        .iter()
        .map(|run| {
            let label = match run.diverged_at {
                Some(step) => format!("η = {} (diverged, step {step})", run.lr),
                None => format!("η = {}", run.lr),
            };
            let points = run
                .errors
                .iter()
                .enumerate()
                .map(|(step, &e)| (step as f64, e))
                .collect();
            Series::new(label, points)
        })
        .collect();
    let steps = sqrt_runs.iter().map(|r| r.errors.len()).max().unwrap_or(1) - 1;
    let floor = SQRT_A.sqrt() - numerical_sqrt_fixed_point(SQRT_A);
    series.push(Series::new(
        "√a − √(a − h²)",
        vec![(0.0, floor), (steps as f64, floor)],
    ));
    let chart = LineChart::new(
        "√2 by gradient descent on (x² − 2)²",
        "step",
        "error |x − √2|",
        series,
    );
    figures::write_svg(out, "sqrt_error.svg", (900, 480), |area| {
        semilog_y_chart(area, &chart, 220)
    })?;
    Ok(())
}
