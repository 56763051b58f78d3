//! The chapter's experiments, in the order of the page: optimizers on a bowl, learning-rate
//! decay, the spiral race, an MNIST race, the activations of deep stacks under three
//! initialisations, and MNIST from three initialisations.

use std::ops::Range;
use std::path::Path;
use std::process::ExitCode;

use anyhow::{Context, Result, ensure};
use ch04_activations::{relu, sigmoid};
use ch09_backprop::MnistData;
use ch10_optimizers::init::{print_layer_table, share};
use ch10_optimizers::plots::{
    HistogramRow, Path2d, draw_activation_histograms, draw_curves, draw_lr_decay, draw_paths,
    loss_series, series,
};
use ch10_optimizers::{
    Activation, AdaGrad, Adam, Curve, Init, LrDecay, Momentum, Optimizer, RmsProp, Sgd, bowl,
    bowl_gradient, decayed_learning_rate, descent_path, gradient_rms, layer_activations,
    multi_layer_net, train_full_batch, train_mini_batches,
};
use chapter_cli::{Common, section, timed};
use clap::Parser;
use figures::Series;
use ndarray::{Array2, s};
use plotters::prelude::SeriesLabelPosition;

/// Where the optimizers start on the bowl f(x, y) = x²/20 + y², and how many steps they take.
const BOWL_START: (f64, f64) = (-7.0, 2.0);
const BOWL_STEPS: usize = 30;

/// The decay rates of the learning-rate figure, and how many steps it shows.
const DECAYS: [f64; 4] = [1e-2, 1e-3, 1e-4, 5e-7];
const DECAY_STEPS: usize = 10_000;

/// The spiral race: nnfs's data set and network (2-64-3), full batch, 10,000 epochs.
const SPIRAL_SAMPLES: usize = 100;
const SPIRAL_CLASSES: usize = 3;
const SPIRAL_HIDDEN: usize = 64;
const SPIRAL_EPOCHS: usize = 10_000;
/// How often the spiral curves record loss and accuracy.
const SPIRAL_RECORD_EVERY: usize = 10;

/// The activation experiment of DLFS §6.2.2: 1000 random inputs through 5 layers of 100 units.
const STACK_SAMPLES: usize = 1000;
const STACK_WIDTH: usize = 100;
const STACK_LAYERS: usize = 5;
/// The ranges the histograms cover: sigmoid's outputs all lie in (0, 1); ReLU's rarely pass 3.
const SIGMOID_RANGE: Range<f64> = 0.0..1.0;
const RELU_RANGE: Range<f64> = 0.0..3.0;

/// The MNIST races of DLFS §6.1.8 and §6.2.4: 784-100-100-100-100-10, batches of 128.
const MNIST_SIZES: [usize; 6] = [784, 100, 100, 100, 100, 10];
const MNIST_BATCH: usize = 128;
const MNIST_ITERATIONS: usize = 500;
/// The MNIST loss curves show the mean loss of blocks of this many iterations.
const LOSS_WINDOW: usize = 20;

/// Optimizers: SGD, Momentum, AdaGrad, RMSProp and Adam on a bowl, on spiral data and on
/// MNIST; learning-rate decay; weight initialisation.
#[derive(Parser)]
struct Args {
    #[command(flatten)]
    common: Common,

    /// Epochs of full-batch training in the spiral race (at most 1,000,000)
    #[arg(long, default_value_t = SPIRAL_EPOCHS, allow_negative_numbers = true)]
    spiral_epochs: usize,

    /// Mini-batch iterations of each MNIST race (DLFS runs 2000; at most 1,000,000)
    #[arg(long, default_value_t = MNIST_ITERATIONS, allow_negative_numbers = true)]
    mnist_iterations: usize,
}

/// The most each count flag accepts: runs of hours, not of years, and no count that
/// overflows when multiplied by a batch size.
const MAX_SPIRAL_EPOCHS: usize = 1_000_000;
const MAX_MNIST_ITERATIONS: usize = 1_000_000;

fn main() -> ExitCode {
    chapter_cli::run(|| {
        let args = Args::parse();
        ensure!(args.spiral_epochs > 0, "--spiral-epochs must be at least 1");
        ensure!(
            args.mnist_iterations >= LOSS_WINDOW,
            "--mnist-iterations must be at least {LOSS_WINDOW}, got {}",
            args.mnist_iterations
        );
        for (flag, value, most) in [
            ("--spiral-epochs", args.spiral_epochs, MAX_SPIRAL_EPOCHS),
            (
                "--mnist-iterations",
                args.mnist_iterations,
                MAX_MNIST_ITERATIONS,
            ),
        ] {
            ensure!(value <= most, "{flag} must be at most {most}, got {value}");
        }
        let out = args.common.out_dir(env!("CARGO_PKG_NAME"))?;
        let seed = args.common.seed;
        let mnist = mnist::load().context("loading MNIST for the optimizer races")?;
        let data = MnistData::<f32>::new(&mnist);

        bowl_race(&out)?;
        lr_decay(&out)?;
        timed("spiral race", || {
            spiral_race(&out, seed, args.spiral_epochs)
        })?;
        let optimizer_race = timed("MNIST optimizer race", || {
            mnist_optimizer_race(&out, &data, seed, args.mnist_iterations)
        })?;
        activation_study(&out, seed)?;
        gradients_at_the_start(&data, seed);
        timed("MNIST initialisation race", || {
            mnist_init_race(&out, &data, seed, args.mnist_iterations, &optimizer_race[0])
        })
    })
}

/// DLFS §6.1.7: each optimizer takes 30 steps on the bowl from (−7, 2), with the learning
/// rates DLFS picked (DLFS leaves RMSProp out; its rate is ours). Prints where each one is
/// after one step and after all of them, and draws the paths.
fn bowl_race(out: &Path) -> Result<()> {
    let optimizers: Vec<(&str, Box<dyn Optimizer<f64>>)> = vec![
        ("SGD", Box::new(Sgd::new(0.95))),
        ("Momentum", Box::new(Momentum::new(0.1))),
        ("AdaGrad", Box::new(AdaGrad::new(1.5))),
        ("RMSProp", Box::new(RmsProp::new(0.3))),
        ("Adam", Box::new(Adam::new(0.3))),
    ];
    let paths: Vec<Path2d> = optimizers
        .into_iter()
        .map(|(name, mut optimizer)| Path2d {
            label: format!("{name}, η = {}", optimizer.learning_rate()),
            points: descent_path(optimizer.as_mut(), BOWL_START, BOWL_STEPS),
        })
        .collect();

    section("The bowl");
    let (x0, y0) = BOWL_START;
    let (dx, dy) = bowl_gradient(x0, y0);
    println!(
        "f(x, y) = x²/20 + y², start ({x0}, {y0}), f = {:.4}, gradient ({dx}, {dy})",
        bowl(x0, y0)
    );
    // The gradient is linear, so at (1, 1) it holds the curvatures ∂²f/∂x² and ∂²f/∂y².
    let (curvature_x, curvature_y) = bowl_gradient(1.0, 1.0);
    let ratio = curvature_y / curvature_x;
    println!(
        "curvature along x {curvature_x}, along y {curvature_y}: {ratio} times as steep; \
         the contour lines are ellipses √{ratio} = {:.2} times as long as wide",
        ratio.sqrt()
    );
    println!(
        "{:<20} {:>20} {:>20} {:>10}",
        "optimizer",
        "after 1 step",
        format!("after {BOWL_STEPS} steps"),
        "f there"
    );
    for path in &paths {
        let (x1, y1) = path.points[1];
        let (x, y) = path.points[BOWL_STEPS];
        println!(
            "{:<20} {:>20} {:>20} {:>10.2e}",
            path.label,
            format!("({x1:.4}, {y1:.4})"),
            format!("({x:.4}, {y:.4})"),
            bowl(x, y)
        );
    }
    figures::write_svg(out, "paths.svg", (1500, 760), |area| {
        draw_paths(area, &paths)
    })?;
    Ok(())
}

/// nnfs's learning-rate decay, η / (1 + decay · t), at a few steps, and drawn.
fn lr_decay(out: &Path) -> Result<()> {
    section("Learning-rate decay");
    let steps = [0, 1, 10, 100, 1_000, 10_000];
    let mut header = format!("{:<8}", "decay");
    for t in steps {
        header += &format!(" {:>10}", format!("t = {t}"));
    }
    println!("{header}  (η = 1)");
    for decay in DECAYS {
        let mut row = format!("{decay:<8.0e}");
        for t in steps {
            row += &format!(" {:>10.4}", decayed_learning_rate(1.0, decay, t));
        }
        println!("{row}");
    }
    figures::write_svg(out, "lr_decay.svg", figures::SIZE, |area| {
        draw_lr_decay(area, &DECAYS, DECAY_STEPS)
    })?;
    Ok(())
}

/// A finished spiral run: the optimizer's name, its settings and the curve.
struct Run {
    name: &'static str,
    settings: &'static str,
    curve: Curve,
}

/// nnfs chapter 10: its 2-64-3 network on its spiral data, with each optimizer at nnfs's
/// settings. Every run starts from the same data and the same initial weights (drawn from the
/// same seed), so only the optimizer differs.
fn spiral_race(out: &Path, seed: u64, epochs: usize) -> Result<()> {
    let racers: Vec<(&str, &str, Box<dyn Optimizer<f32>>)> = vec![
        ("SGD", "η = 1, decay 1e-3", decayed(Sgd::new(1.0), 1e-3)),
        (
            "Momentum",
            "η = 1, decay 1e-3, α = 0.9",
            decayed(Momentum::new(1.0), 1e-3),
        ),
        (
            "AdaGrad",
            "η = 1, decay 1e-4",
            decayed(AdaGrad::new(1.0), 1e-4),
        ),
        (
            "RMSProp",
            "η = 0.02, decay 1e-5, ρ = 0.999",
            decayed(RmsProp::with_rho(0.02, 0.999), 1e-5),
        ),
        (
            "Adam",
            "η = 0.05, decay 5e-7",
            decayed(Adam::new(0.05), 5e-7),
        ),
    ];
    let mut runs = Vec::new();
    for (name, settings, mut optimizer) in racers {
        let mut rng = seeded_rng::rng(seed);
        let (x, y) = toy_datasets::spiral_data::<f32>(&mut rng, SPIRAL_SAMPLES, SPIRAL_CLASSES);
        let sizes = [2, SPIRAL_HIDDEN, SPIRAL_CLASSES];
        let mut net = multi_layer_net(&sizes, Activation::Relu, Init::Std(0.01), &mut rng);
        let t = y.to_vec();
        let every = SPIRAL_RECORD_EVERY;
        let curve = train_full_batch(&mut net, &x, &t, optimizer.as_mut(), epochs, every);
        runs.push(Run {
            name,
            settings,
            curve,
        });
    }
    print_spiral(&runs);
    draw_spiral(out, &runs)
}

/// `optimizer` with nnfs's learning-rate decay, boxed for a list of different optimizers.
fn decayed(optimizer: impl Optimizer<f32> + 'static, decay: f32) -> Box<dyn Optimizer<f32>> {
    Box::new(LrDecay::new(optimizer, decay))
}

/// The spiral race: accuracy along the way and the last epoch's numbers.
fn print_spiral(runs: &[Run]) {
    section("The spiral race");
    let last = runs[0].curve.last().0;
    let marks: Vec<usize> = [100, 1_000, 5_000]
        .into_iter()
        .filter(|&e| e < last)
        .chain([last])
        .collect();
    let mut header = format!("{:<9} {:<32}", "optimizer", "settings");
    for epoch in &marks {
        header += &format!(" {:>9}", format!("acc@{epoch}"));
    }
    println!("{header} {:>8} {:>9}", "loss", "final η");
    for run in runs {
        let mut row = format!("{:<9} {:<32}", run.name, run.settings);
        for &epoch in &marks {
            let acc = run.curve.accuracy_at(epoch).unwrap_or(f64::NAN);
            row += &format!(" {acc:>9.3}");
        }
        let (_, loss, _, lr) = run.curve.last();
        println!("{row} {loss:>8.3} {lr:>9.5}");
    }
}

/// The spiral race's loss and accuracy curves.
fn draw_spiral(out: &Path, runs: &[Run]) -> Result<()> {
    let curves = |pick: fn(&Curve) -> &Vec<(usize, f64)>| -> Vec<Series> {
        let curve = |run: &Run| series(run.name, pick(&run.curve));
        runs.iter().map(curve).collect()
    };
    let loss = curves(|c| &c.loss);
    figures::write_svg(out, "spiral_loss.svg", figures::SIZE, |area| {
        let title = "Spiral data: loss per epoch";
        let legend = SeriesLabelPosition::UpperMiddle;
        draw_curves(area, title, ("epoch", "loss"), &loss, legend)
    })?;
    let accuracy = curves(|c| &c.accuracy);
    figures::write_svg(out, "spiral_accuracy.svg", figures::SIZE, |area| {
        let title = "Spiral data: accuracy per epoch";
        let legend = SeriesLabelPosition::LowerRight;
        draw_curves(area, title, ("epoch", "accuracy"), &accuracy, legend)
    })?;
    Ok(())
}

/// A finished MNIST run: the loss of every iteration and the test accuracy at the end.
#[derive(Clone)]
struct MnistRun {
    name: String,
    losses: Vec<f64>,
    test_accuracy: f64,
}

/// Trains a fresh 784-100-100-100-100-10 ReLU network on MNIST with `optimizer` for
/// `iterations` mini-batches of 128. Every run draws the same initial weights and the same
/// batches (from the same seed).
/// The run is named after its initialisation.
fn mnist_run(
    data: &MnistData<f32>,
    (seed, iterations): (u64, usize),
    init: Init,
    optimizer: &mut dyn Optimizer<f32>,
) -> MnistRun {
    let mut rng = seeded_rng::rng(seed);
    let mut net = multi_layer_net(&MNIST_SIZES, Activation::Relu, init, &mut rng);
    let (x, t) = (&data.x_train, &data.t_train);
    let losses = train_mini_batches(&mut net, x, t, optimizer, MNIST_BATCH, iterations, &mut rng);
    let test_accuracy = net.accuracy(&data.x_test, &data.t_test);
    let name = init.to_string();
    MnistRun {
        name,
        losses,
        test_accuracy,
    }
}

/// DLFS §6.1.8: the optimizers on MNIST, He initialisation. SGD, Momentum, AdaGrad and Adam
/// at DLFS's default learning rates; DLFS leaves RMSProp out of this race, and it runs here
/// at nnfs's defaults (η = 0.001, ρ = 0.9).
fn mnist_optimizer_race(
    out: &Path,
    data: &MnistData<f32>,
    seed: u64,
    iterations: usize,
) -> Result<Vec<MnistRun>> {
    let racers: Vec<(&str, Box<dyn Optimizer<f32>>)> = vec![
        ("SGD, η = 0.01", Box::new(Sgd::new(0.01))),
        ("Momentum, η = 0.01", Box::new(Momentum::new(0.01))),
        ("AdaGrad, η = 0.01", Box::new(AdaGrad::new(0.01))),
        ("RMSProp, η = 0.001", Box::new(RmsProp::new(0.001))),
        ("Adam, η = 0.001", Box::new(Adam::new(0.001))),
    ];
    let mut runs = Vec::new();
    for (name, mut optimizer) in racers {
        let run = mnist_run(data, (seed, iterations), Init::He, optimizer.as_mut());
        runs.push(MnistRun {
            name: name.to_string(),
            ..run
        });
    }
    section("MNIST: five optimizers");
    print_mnist_race(&runs);
    let title = format!("MNIST: five optimizers (mean loss of every {LOSS_WINDOW} batches)");
    let series = mnist_series(&runs);
    figures::write_svg(out, "mnist_optimizers.svg", (720, 480), |area| {
        let legend = SeriesLabelPosition::MiddleRight;
        let labels = ("iteration", "training loss");
        draw_curves(area, &title, labels, &series, legend)
    })?;
    Ok(runs)
}

/// DLFS §6.2.2: the activations of five layers of 100 units, for sigmoid and for ReLU, under
/// three initialisations each; prints their spread and draws their histograms.
fn activation_study(out: &Path, seed: u64) -> Result<()> {
    let mut rng = seeded_rng::rng(seed);
    let x = seeded_rng::randn::<f64>(&mut rng, (STACK_SAMPLES, STACK_WIDTH));
    let mut stack = |init: Init, activation: fn(f64) -> f64| {
        let layers = layer_activations(&x, STACK_LAYERS, init, activation, &mut rng);
        (init, layers)
    };
    let sigmoid_runs = [
        stack(Init::Std(1.0), sigmoid),
        stack(Init::Std(0.01), sigmoid),
        stack(Init::Xavier, sigmoid),
    ];
    let relu_runs = [
        stack(Init::Std(0.01), relu),
        stack(Init::Xavier, relu),
        stack(Init::He, relu),
    ];
    let std = |a: &Array2<f64>| a.std(0.0);

    section("Sigmoid activations per layer");
    let units = format!("layers of {STACK_WIDTH} units, no biases");
    println!("{STACK_SAMPLES} samples of N(0, 1) through {STACK_LAYERS} sigmoid {units}");
    print_layer_table("std of the activations", &sigmoid_runs, std);
    let saturated = |a: &Array2<f64>| share(a, |v| !(0.05..=0.95).contains(&v));
    print_layer_table("share below 0.05 or above 0.95", &sigmoid_runs, saturated);

    section("ReLU activations per layer");
    println!("{STACK_SAMPLES} samples of N(0, 1) through {STACK_LAYERS} ReLU {units}");
    print_layer_table("std of the activations", &relu_runs, std);
    let zeros = |a: &Array2<f64>| share(a, |v| v == 0.0);
    print_layer_table("share of zeros", &relu_runs, zeros);
    let above = |a: &Array2<f64>| share(a, |v| v > RELU_RANGE.end);
    print_layer_table("share above 3", &relu_runs, above);

    let rows = |runs: &[(Init, Vec<Array2<f64>>)], range: Range<f64>, skip_zeros: bool| {
        let row = |(init, layers): &(Init, Vec<Array2<f64>>)| {
            HistogramRow::new(init.to_string(), layers, range.clone(), skip_zeros)
        };
        runs.iter().map(row).collect::<Vec<_>>()
    };
    let sigmoid_rows = rows(&sigmoid_runs, SIGMOID_RANGE, false);
    figures::write_svg(out, "activations_sigmoid.svg", (1500, 760), |area| {
        let title = "Sigmoid activations per layer";
        draw_activation_histograms(area, title, &sigmoid_rows, SIGMOID_RANGE)
    })?;
    let relu_rows = rows(&relu_runs, RELU_RANGE, true);
    figures::write_svg(out, "activations_relu.svg", (1500, 760), |area| {
        let title = "ReLU activations per layer (the zeros left out)";
        draw_activation_histograms(area, title, &relu_rows, RELU_RANGE)
    })?;
    Ok(())
}

/// The gradient of each layer's weights on one batch of MNIST, before any update, for the
/// network of the MNIST races from each initialisation.
fn gradients_at_the_start(data: &MnistData<f32>, seed: u64) {
    section("Weight gradients per layer at the start");
    println!("root mean square of ∂L/∂W on one batch of {MNIST_BATCH}, before any update");
    let layers = (1..MNIST_SIZES.len()).map(|l| format!(" {:>9}", format!("layer {l}")));
    println!("{:<12}{}", "", layers.collect::<String>());
    let x = data.x_train.slice(s![..MNIST_BATCH, ..]).to_owned();
    let t = &data.t_train[..MNIST_BATCH];
    for init in [Init::Std(0.01), Init::Xavier, Init::He] {
        let mut rng = seeded_rng::rng(seed);
        let mut net = multi_layer_net(&MNIST_SIZES, Activation::Relu, init, &mut rng);
        net.gradient(&x, t);
        let row: String = gradient_rms(&mut net)
            .iter()
            .map(|g| format!(" {g:>9.1e}"))
            .collect();
        println!("{:<12}{row}", init.to_string());
    }
}

/// DLFS §6.2.4: SGD (η = 0.01) on MNIST from three initialisations. The He run is the SGD
/// run of the optimizer race (same seed, same initial weights, same batches), so it is reused.
fn mnist_init_race(
    out: &Path,
    data: &MnistData<f32>,
    seed: u64,
    iterations: usize,
    sgd_he: &MnistRun,
) -> Result<()> {
    let mut runs = Vec::new();
    for init in [Init::Std(0.01), Init::Xavier] {
        let mut sgd = Sgd::new(0.01);
        runs.push(mnist_run(data, (seed, iterations), init, &mut sgd));
    }
    runs.push(MnistRun {
        name: Init::He.to_string(),
        ..sgd_he.clone()
    });
    section("MNIST: three initialisations");
    print_mnist_race(&runs);
    let title = format!("MNIST: three initialisations, SGD (mean of every {LOSS_WINDOW})");
    let series = mnist_series(&runs);
    figures::write_svg(out, "mnist_inits.svg", (720, 480), |area| {
        let legend = SeriesLabelPosition::LowerLeft;
        let labels = ("iteration", "training loss");
        draw_curves(area, &title, labels, &series, legend)
    })?;
    Ok(())
}

/// The mean loss over a few stretches of iterations, and the test accuracy at the end.
fn print_mnist_race(runs: &[MnistRun]) {
    let iterations = runs[0].losses.len();
    let w = (iterations / 3).min(100); // stretches of 100 iterations, fewer in a short run
    let stretches = [
        (0, w),
        (iterations / 2 - w, iterations / 2),
        (iterations - w, iterations),
    ];
    let mut header = format!("{:<20}", "");
    for (a, b) in &stretches {
        header += &format!(" {:>14}", format!("loss {}–{}", a + 1, b));
    }
    println!("{header} {:>14}", "test accuracy");
    for run in runs {
        let mut row = format!("{:<20}", run.name);
        for &(a, b) in &stretches {
            let mean = run.losses[a..b].iter().sum::<f64>() / (b - a) as f64;
            row += &format!(" {mean:>14.3}");
        }
        println!("{row} {:>14.4}", run.test_accuracy);
    }
}

/// The loss curves of MNIST runs, as means of blocks of iterations.
fn mnist_series(runs: &[MnistRun]) -> Vec<Series> {
    let curve = |run: &MnistRun| loss_series(&run.name, &run.losses, LOSS_WINDOW);
    runs.iter().map(curve).collect()
}
