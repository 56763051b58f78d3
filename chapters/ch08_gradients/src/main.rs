//! The chapter's experiments: partial derivatives, gradients, gradient descent, a square root,
//! the chain rule, simpleNet, what one numerical gradient of DLFS's MNIST network costs, and a
//! few steps of training by numerical gradients (a small network by default; `--hidden 50` for
//! DLFS's own).

use std::path::Path;
use std::process::ExitCode;

use anyhow::{Context, Result, ensure};
use ch05_loss::argmax_rows;
use ch07_derivatives::{DEFAULT_H, numerical_diff};
use ch08_gradients::plots::{
    DescentPanel, FieldArrow, draw_descents, draw_gradient_field, semilog_y_chart, sqrt_error_chart,
};
use ch08_gradients::{
    Descent, GradientCost, SimpleNet, SqrtRun, TwoLayerNet, duration, exact, function_2,
    function_tmp1, function_tmp2, gradient_descent, gradient_step, images_and_labels, list, median,
    median_seconds, neuron_loss, neuron_loss_derivative, numerical_gradient,
    numerical_sqrt_fixed_point, sample_batch, sci, sqrt_by_descent, square_of_linear,
    square_of_linear_derivative, thousands, timed, two_layer_loss,
};
use chapter_cli::{Common, section};
use clap::Parser;
use ndarray::{Array1, Array2, Ix1, array};

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

/// The MNIST network of DLFS: 784 inputs, 50 hidden units, 10 classes, batches of 100,
/// learning rate 0.1, 10,000 iterations.
const INPUTS: usize = 784;
const HIDDEN: usize = 50;
const CLASSES: usize = 10;
const BATCH: usize = 100;
const LEARNING_RATE: f64 = 0.1;
const DLFS_ITERATIONS: usize = 10_000;
/// Speeds, in multiply-adds per second, at which the cost table gives times.
const SPEEDS: [f64; 3] = [1e9, 1e10, 1e11];
/// Loss evaluations timed, of which the median is taken.
const TIMED_EVALUATIONS: usize = 30;
/// The network trained by numerical gradients in a default run: hidden units and steps, few
/// enough that the run takes seconds.
const TRAIN_HIDDEN: usize = 2;
const TRAIN_STEPS: usize = 5;
/// Test images on which the loss is measured before and after training.
const TEST_IMAGES: usize = 1000;

/// Gradients by numbers: partial derivatives, gradient descent, and a network trained by
/// numerical gradients.
#[derive(Parser)]
struct Args {
    #[command(flatten)]
    common: Common,

    /// Hidden units of the MNIST network trained by numerical gradients (1 to 100; DLFS's has
    /// 50, and a step then takes tens of seconds)
    #[arg(long, default_value_t = TRAIN_HIDDEN, allow_negative_numbers = true)]
    hidden: usize,

    /// Training steps of that network (1 to 1000)
    #[arg(long, default_value_t = TRAIN_STEPS, allow_negative_numbers = true)]
    steps: usize,
}

fn main() -> ExitCode {
    chapter_cli::run(|| {
        let args = Args::parse();
        ensure!(
            (1..=100).contains(&args.hidden),
            "--hidden must be from 1 to 100, got {}",
            args.hidden
        );
        ensure!(
            (1..=1000).contains(&args.steps),
            "--steps must be from 1 to 1000, got {}",
            args.steps
        );
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
        let mnist = mnist::load().context("loading MNIST for the two-layer network")?;
        print_cost();
        measure_cost(&mnist.train, args.common.seed);
        train(&mnist, &args);
        draw_figures(&out, &field, &panels, &sqrt_runs)
    })
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

/// √2 by gradient descent on (x² − 2)², for several learning rates.
fn print_square_root() -> Vec<SqrtRun> {
    section("A square root by gradient descent");
    let root = SQRT_A.sqrt();
    let steps = *SQRT_TABLE_STEPS.last().expect("at least one step");
    println!("minimise (x² − {SQRT_A})² from x = {SQRT_START}; f64::sqrt({SQRT_A}) = {root}");
    println!("|x − √{SQRT_A}| after each number of steps, for each learning rate η:");
    let runs: Vec<SqrtRun> = SQRT_RATES
        .iter()
        .map(|&lr| SqrtRun::new(SQRT_A, SQRT_START, lr, steps))
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
    let negative: Vec<String> = dw
        .indexed_iter()
        .filter(|&(_, &g)| g < 0.0)
        .map(|((i, j), _)| format!("∂L/∂w{}{}", subscript(i), subscript(j)))
        .collect();
    println!(
        "negative entries (rows and columns counted from 0): {}",
        negative.join(", ")
    );
}

/// A digit as a subscript: `2` → `₂`.
fn subscript(digit: usize) -> char {
    char::from_u32('₀' as u32 + digit as u32).unwrap_or('?')
}

/// What one numerical gradient of DLFS's 784-50-10 network costs, counted, and how long that
/// takes at a few speeds.
fn print_cost() {
    section("The cost of a numerical gradient");
    let cost = GradientCost::new(INPUTS, HIDDEN, CLASSES, BATCH);
    let training = (cost.multiply_adds() * DLFS_ITERATIONS) as f64;
    println!("network {INPUTS}-{HIDDEN}-{CLASSES} (sigmoid, softmax), batch {BATCH}, f64");
    let rows = [
        ("parameters", thousands(cost.parameters)),
        ("loss evaluations per gradient", thousands(cost.evaluations)),
        (
            "multiply-adds per loss evaluation",
            thousands(cost.multiply_adds_per_evaluation),
        ),
        (
            "multiply-adds per gradient",
            sci(cost.multiply_adds() as f64, 2),
        ),
        ("multiply-adds, DLFS's 10,000 steps", sci(training, 2)),
    ];
    for (name, value) in rows {
        println!("{name:<36} {value:>11}");
    }
    println!("time it takes at a given speed:");
    println!(
        "{:>20} {:>15} {:>15} {:>15}",
        "multiply-adds/s", "one evaluation", "one gradient", "10,000 steps"
    );
    for speed in SPEEDS {
        println!(
            "{:>20} {:>15} {:>15} {:>15}",
            sci(speed, 0),
            duration(cost.multiply_adds_per_evaluation as f64 / speed),
            duration(cost.multiply_adds() as f64 / speed),
            duration(training / speed)
        );
    }
}

/// Times plain loss evaluations of the 784-50-10 network on one batch, and a numerical
/// gradient of W₂ alone, and projects the cost of a whole gradient and of DLFS's training.
/// Timings differ from run to run, so all of it goes to stderr.
fn measure_cost(train: &mnist::Split, seed: u64) {
    let mut rng = seeded_rng::rng(seed);
    let net = TwoLayerNet::<f64>::new(INPUTS, HIDDEN, CLASSES, &mut rng);
    let (x, t) = sample_batch(train, BATCH, &mut rng);
    let cost = GradientCost::new(INPUTS, HIDDEN, CLASSES, BATCH);
    let per_evaluation = median_seconds(TIMED_EVALUATIONS, || net.loss(&x, &t));
    let speed = cost.multiply_adds_per_evaluation as f64 / per_evaluation;
    eprintln!(
        "timing (this machine, one thread): one loss evaluation of the {INPUTS}-{HIDDEN}-{CLASSES} \
         network on {BATCH} images: {} (median of {TIMED_EVALUATIONS}), {} multiply-adds/s",
        duration(per_evaluation),
        sci(speed, 2)
    );
    let TwoLayerNet { w1, b1, mut w2, b2 } = net;
    let (_, seconds) =
        timed(|| numerical_gradient(|w2| two_layer_loss(&x, &t, &w1, &b1, w2, &b2), &mut w2));
    let measured = seconds / (2 * w2.len()) as f64;
    let step = measured * cost.evaluations as f64;
    eprintln!(
        "timing (this machine, one thread): numerical gradient of W₂ alone ({} evaluations): {}, \
         {} per evaluation",
        thousands(2 * w2.len()),
        duration(seconds),
        duration(measured)
    );
    eprintln!(
        "timing (this machine, one thread): projected: one whole numerical gradient ({} \
         evaluations) ≈ {} per step; DLFS's {} steps ≈ {}",
        thousands(cost.evaluations),
        duration(step),
        thousands(DLFS_ITERATIONS),
        duration(step * DLFS_ITERATIONS as f64)
    );
}

/// Trains a 784-`args.hidden`-10 network by numerical gradients for `args.steps` steps, with
/// DLFS's batch and learning rate: the losses on stdout, the seconds per step on stderr.
fn train(mnist: &mnist::Mnist, args: &Args) {
    section("Training by numerical gradients");
    let mut rng = seeded_rng::rng(args.common.seed);
    let mut net = TwoLayerNet::<f64>::new(INPUTS, args.hidden, CLASSES, &mut rng);
    let (x_test, t_test) = images_and_labels(&mnist.test.first(TEST_IMAGES));
    let cost = GradientCost::new(INPUTS, args.hidden, CLASSES, BATCH);
    println!(
        "network {INPUTS}-{}-{CLASSES}: {} parameters, {} loss evaluations per step; \
         batch {BATCH}, η = {LEARNING_RATE}",
        args.hidden,
        thousands(cost.parameters),
        thousands(cost.evaluations)
    );
    let before = net.loss(&x_test, &t_test);
    println!("loss on the first {TEST_IMAGES} test images before: {before:.6}");
    println!("{:>4} {:>12} {:>12}", "step", "batch loss", "after step");
    let mut seconds = Vec::new();
    for step in 1..=args.steps {
        let (x, t) = sample_batch(&mnist.train, BATCH, &mut rng);
        let loss = net.loss(&x, &t);
        let (grads, s) = timed(|| net.numerical_gradient(&x, &t));
        net.apply(&grads, LEARNING_RATE);
        println!("{step:>4} {loss:>12.6} {:>12.6}", net.loss(&x, &t));
        eprintln!(
            "timing (this machine): step {step}: {} for the gradient",
            duration(s)
        );
        seconds.push(s);
    }
    let after = net.loss(&x_test, &t_test);
    println!("loss on the first {TEST_IMAGES} test images after:  {after:.6}");
    let went = if after < before { "fell" } else { "rose" };
    println!("the test loss {went} by {:.6}", (after - before).abs());
    println!(
        "loss evaluations in total: {}",
        thousands(args.steps * cost.evaluations)
    );
    let per_step = median(&seconds);
    eprintln!(
        "timing (this machine): median {} per step → {} steps ≈ {}",
        duration(per_step),
        thousands(DLFS_ITERATIONS),
        duration(per_step * DLFS_ITERATIONS as f64)
    );
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
    let chart = sqrt_error_chart(SQRT_A, sqrt_runs);
    figures::write_svg(out, "sqrt_error.svg", (900, 480), |area| {
        semilog_y_chart(area, &chart, 220)
    })?;
    Ok(())
}
