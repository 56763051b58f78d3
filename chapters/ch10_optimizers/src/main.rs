//! The chapter's experiments: optimizers on a bowl, learning-rate decay, the spiral race, the
//! activations of deep stacks under three initialisations, MNIST races, and weight decay.

use std::path::Path;
use std::process::ExitCode;
use std::time::Instant;

use anyhow::{ensure, Context, Result};
use ch04_activations::{relu, sigmoid};
use ch09_backprop::{MnistData, Sequential};
use ch10_optimizers::plots::{
    draw_activation_histograms, draw_curves, draw_lr_decay, draw_paths, draw_weight_decay,
    HistogramRow, Path2d,
};
use ch10_optimizers::{
    block_means, bowl, decayed_learning_rate, descent_path, histogram, layer_activations,
    multi_layer_net, train_full_batch, train_mini_batches, weight_rms, Activation, AdaGrad, Adam,
    Curve, Init, LrDecay, Momentum, Optimizer, RmsProp, Sgd, WeightDecay,
};
use chapter_cli::{section, Common};
use clap::Parser;
use figures::Series;
use plotters::prelude::SeriesLabelPosition;
use rayon::prelude::*;

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
const HISTOGRAM_BINS: usize = 30;
/// The ranges the histograms cover: sigmoid's outputs all lie in (0, 1); ReLU's rarely pass 3.
const SIGMOID_RANGE: std::ops::Range<f64> = 0.0..1.0;
const RELU_RANGE: std::ops::Range<f64> = 0.0..3.0;

/// The MNIST races of DLFS §6.1.8 and §6.2.4: 784-100-100-100-100-10, batches of 128.
const MNIST_SIZES: [usize; 6] = [784, 100, 100, 100, 100, 10];
const MNIST_BATCH: usize = 128;
const MNIST_ITERATIONS: usize = 500;
/// The MNIST loss curves show the mean loss of blocks of this many iterations.
const LOSS_WINDOW: usize = 20;

/// The overfitting setup of DLFS §6.4.1: 300 training images, six hidden layers of 100, SGD
/// with learning rate 0.01, batches of 100, 201 epochs, λ = 0.1.
const OVERFIT_SAMPLES: usize = 300;
const OVERFIT_SIZES: [usize; 8] = [784, 100, 100, 100, 100, 100, 100, 10];
const OVERFIT_BATCH: usize = 100;
const OVERFIT_EPOCHS: usize = 201;
const OVERFIT_LR: f64 = 0.01;
/// The weight-decay strengths λ compared (0: none; DLFS uses 0.1).
const WEIGHT_DECAY_LAMBDAS: [f64; 3] = [0.0, 0.03, 0.1];
/// How often (in epochs) the overfitting runs measure accuracy on the 300 training images, and
/// on the 10,000 test images (which costs 33 times as much).
const TRAIN_EVALUATE_EVERY: usize = 5;
const TEST_EVALUATE_EVERY: usize = 25;

/// Optimizers: SGD, Momentum, AdaGrad, RMSProp and Adam on a bowl, on spiral data and on
/// MNIST; learning-rate decay; weight initialisation; weight decay.
#[derive(Parser)]
struct Args {
    #[command(flatten)]
    common: Common,

    /// Epochs of full-batch training in the spiral race
    #[arg(long, default_value_t = SPIRAL_EPOCHS)]
    spiral_epochs: usize,

    /// Mini-batch iterations of each MNIST race (DLFS runs 2000)
    #[arg(long, default_value_t = MNIST_ITERATIONS)]
    mnist_iterations: usize,

    /// Epochs of the weight-decay experiment (DLFS runs 201)
    #[arg(long, default_value_t = OVERFIT_EPOCHS)]
    overfit_epochs: usize,
}

fn main() -> ExitCode {
    chapter_cli::run(|| {
        let args = Args::parse();
        ensure!(args.spiral_epochs > 0, "--spiral-epochs must be at least 1");
        ensure!(
            args.mnist_iterations >= LOSS_WINDOW,
            "--mnist-iterations must be at least {LOSS_WINDOW}, got {}",
            args.mnist_iterations
        );
        ensure!(
            args.overfit_epochs > 0,
            "--overfit-epochs must be at least 1"
        );
        let out = args.common.out_dir(env!("CARGO_PKG_NAME"))?;
        let seed = args.common.seed;
        let mnist = timed("loading MNIST", || {
            mnist::load().context("loading MNIST for the optimizer races")
        })?;
        let data = timed("normalising MNIST", || MnistData::<f32>::new(&mnist));

        let paths = bowl_paths();
        print_bowl(&paths);
        print_lr_decay();
        let spiral = timed("spiral race", || spiral_race(seed, args.spiral_epochs));
        print_spiral(&spiral);
        let optimizer_race = timed("MNIST optimizer race", || {
            mnist_optimizer_race(&data, seed, args.mnist_iterations)
        });
        print_mnist_race("MNIST: five optimizers", &optimizer_race);
        let (sigmoid_rows, relu_rows) = timed("activations", || activation_study(seed));
        let init_race = timed("MNIST initialisation race", || {
            mnist_init_race(&data, seed, args.mnist_iterations, &optimizer_race[0])
        });
        print_mnist_race("MNIST: three initialisations", &init_race);
        let decay = timed("weight decay", || {
            weight_decay_study(&data, seed, args.overfit_epochs)
        });
        print_weight_decay(&decay);

        draw_figures(
            &out,
            &Figures {
                paths: &paths,
                spiral: &spiral,
                sigmoid_rows: &sigmoid_rows,
                relu_rows: &relu_rows,
                optimizer_race: &optimizer_race,
                init_race: &init_race,
                decay: &decay,
            },
        )
    })
}

/// Runs `f`, printing its wall-clock time to stderr.
fn timed<T>(what: &str, f: impl FnOnce() -> T) -> T {
    let started = Instant::now();
    let result = f();
    eprintln!("{what}: {:.2} s", started.elapsed().as_secs_f64());
    result
}

/// The five optimizers on the bowl, with the learning rates of DLFS §6.1.7 (RMSProp's is ours).
fn bowl_optimizers() -> Vec<(&'static str, Box<dyn Optimizer<f64>>)> {
    vec![
        ("SGD", Box::new(Sgd::new(0.95))),
        ("Momentum", Box::new(Momentum::new(0.1))),
        ("AdaGrad", Box::new(AdaGrad::new(1.5))),
        ("RMSProp", Box::new(RmsProp::new(0.3))),
        ("Adam", Box::new(Adam::new(0.3))),
    ]
}

/// The path of each optimizer on the bowl.
fn bowl_paths() -> Vec<Path2d> {
    bowl_optimizers()
        .into_iter()
        .map(|(name, mut optimizer)| Path2d {
            label: format!("{name}, η = {}", optimizer.learning_rate()),
            points: descent_path(optimizer.as_mut(), BOWL_START, BOWL_STEPS),
        })
        .collect()
}

/// Where each optimizer is after one step and after all of them.
fn print_bowl(paths: &[Path2d]) {
    section("The bowl");
    let (x0, y0) = BOWL_START;
    let (dx, dy) = ch10_optimizers::bowl_gradient(x0, y0);
    println!(
        "f(x, y) = x²/20 + y², start ({x0}, {y0}), f = {:.4}, gradient ({dx}, {dy})",
        bowl(x0, y0)
    );
    println!(
        "{:<20} {:>20} {:>20} {:>10}",
        "optimizer",
        "after 1 step",
        format!("after {BOWL_STEPS} steps"),
        "f there"
    );
    for path in paths {
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
}

/// nnfs's learning-rate decay, η / (1 + decay · t), at a few steps.
fn print_lr_decay() {
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
}

/// One optimizer of the spiral race: its name, its settings, and the optimizer.
struct Racer<F> {
    name: &'static str,
    settings: &'static str,
    optimizer: Box<dyn Optimizer<F> + Send>,
}

/// nnfs's settings for each optimizer on the spiral data (chapter 10 of nnfs).
fn spiral_racers() -> Vec<Racer<f32>> {
    vec![
        Racer {
            name: "SGD",
            settings: "η = 1, decay 1e-3",
            optimizer: Box::new(LrDecay::new(Sgd::new(1.0), 1e-3)),
        },
        Racer {
            name: "Momentum",
            settings: "η = 1, decay 1e-3, α = 0.9",
            optimizer: Box::new(LrDecay::new(Momentum::new(1.0), 1e-3)),
        },
        Racer {
            name: "AdaGrad",
            settings: "η = 1, decay 1e-4",
            optimizer: Box::new(LrDecay::new(AdaGrad::new(1.0), 1e-4)),
        },
        Racer {
            name: "RMSProp",
            settings: "η = 0.02, decay 1e-5, ρ = 0.999",
            optimizer: Box::new(LrDecay::new(RmsProp::with_rho(0.02, 0.999), 1e-5)),
        },
        Racer {
            name: "Adam",
            settings: "η = 0.05, decay 5e-7",
            optimizer: Box::new(LrDecay::new(Adam::new(0.05), 5e-7)),
        },
    ]
}

/// A finished run: its name, settings and curve.
struct Run {
    name: String,
    settings: String,
    curve: Curve,
}

/// Trains nnfs's 2-64-3 network on the spiral data with each optimizer. Every run starts from
/// the same data and the same initial weights (drawn from the same seed), so only the
/// optimizer differs.
fn spiral_race(seed: u64, epochs: usize) -> Vec<Run> {
    spiral_racers()
        .into_par_iter()
        .map(|mut racer| {
            let mut rng = seeded_rng::rng(seed);
            let (x, y) = toy_datasets::spiral_data::<f32>(&mut rng, SPIRAL_SAMPLES, SPIRAL_CLASSES);
            let t = y.to_vec();
            let sizes = [2, SPIRAL_HIDDEN, SPIRAL_CLASSES];
            let mut net = multi_layer_net(&sizes, Activation::Relu, Init::Std(0.01), &mut rng);
            let curve = train_full_batch(
                &mut net,
                &x,
                &t,
                racer.optimizer.as_mut(),
                epochs,
                SPIRAL_RECORD_EVERY,
            );
            Run {
                name: racer.name.to_string(),
                settings: racer.settings.to_string(),
                curve,
            }
        })
        .collect()
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
            let i = run.curve.steps.iter().position(|&s| s == epoch);
            let acc = i.map_or(f64::NAN, |i| run.curve.accuracy[i]);
            row += &format!(" {acc:>9.3}");
        }
        let (_, loss, _, lr) = run.curve.last();
        println!("{row} {loss:>8.3} {lr:>9.5}");
    }
}

/// One row of the activation experiment: an initialisation and each layer's activations.
fn activation_rows(
    x: &ndarray::Array2<f64>,
    inits: &[Init],
    activation: fn(f64) -> f64,
    rng: &mut seeded_rng::ChaCha8Rng,
) -> Vec<(Init, Vec<ndarray::Array2<f64>>)> {
    inits
        .iter()
        .map(|&init| {
            (
                init,
                layer_activations(x, STACK_LAYERS, init, activation, rng),
            )
        })
        .collect()
}

/// DLFS §6.2.2: the activations of five layers of 100 units, for sigmoid and for ReLU, under
/// three initialisations each; prints their spread and returns the histograms.
fn activation_study(seed: u64) -> (Vec<HistogramRow>, Vec<HistogramRow>) {
    let mut rng = seeded_rng::rng(seed);
    let x = seeded_rng::randn::<f64>(&mut rng, (STACK_SAMPLES, STACK_WIDTH));
    let sigmoid_runs = activation_rows(
        &x,
        &[Init::Std(1.0), Init::Std(0.01), Init::Xavier],
        sigmoid,
        &mut rng,
    );
    let relu_runs = activation_rows(
        &x,
        &[Init::Std(0.01), Init::Xavier, Init::He],
        relu,
        &mut rng,
    );

    section("Sigmoid activations per layer");
    println!(
        "{STACK_SAMPLES} samples of N(0, 1) through {STACK_LAYERS} sigmoid layers of {STACK_WIDTH} units, no biases"
    );
    print_layer_table("std of the activations", &sigmoid_runs, |a| a.std(0.0));
    print_layer_table("share below 0.05 or above 0.95", &sigmoid_runs, |a| {
        a.iter().filter(|&&v| !(0.05..=0.95).contains(&v)).count() as f64 / a.len() as f64
    });

    section("ReLU activations per layer");
    println!(
        "{STACK_SAMPLES} samples of N(0, 1) through {STACK_LAYERS} ReLU layers of {STACK_WIDTH} units, no biases"
    );
    print_layer_table("std of the activations", &relu_runs, |a| a.std(0.0));
    print_layer_table("share of zeros", &relu_runs, |a| {
        a.iter().filter(|&&v| v == 0.0).count() as f64 / a.len() as f64
    });
    print_layer_table("share above 3", &relu_runs, |a| {
        a.iter().filter(|&&v| v > RELU_RANGE.end).count() as f64 / a.len() as f64
    });

    let rows = |runs: &[(Init, Vec<ndarray::Array2<f64>>)],
                range: std::ops::Range<f64>,
                skip_zeros: bool| {
        runs.iter()
            .map(|(init, layers)| HistogramRow {
                label: init.to_string(),
                counts: layers
                    .iter()
                    .map(|a| {
                        let values = a.iter().copied().filter(|&v| !(skip_zeros && v == 0.0));
                        histogram(values, range.clone(), HISTOGRAM_BINS)
                    })
                    .collect(),
            })
            .collect()
    };
    (
        rows(&sigmoid_runs, SIGMOID_RANGE, false),
        rows(&relu_runs, RELU_RANGE, true),
    )
}

/// A table with one row per initialisation and one column per layer, of `stat` of each
/// layer's activations.
fn print_layer_table(
    title: &str,
    runs: &[(Init, Vec<ndarray::Array2<f64>>)],
    stat: impl Fn(&ndarray::Array2<f64>) -> f64,
) {
    let mut header = format!("{title:<34}");
    for layer in 1..=STACK_LAYERS {
        header += &format!(" {:>9}", format!("layer {layer}"));
    }
    println!("{header}");
    for (init, layers) in runs {
        let mut row = format!("{:<34}", format!("  {init}"));
        for a in layers {
            let v = stat(a);
            if v != 0.0 && v.abs() < 1e-3 {
                row += &format!(" {v:>9.1e}");
            } else {
                row += &format!(" {v:>9.4}");
            }
        }
        println!("{row}");
    }
}

/// A finished MNIST run: the loss of every iteration and the test accuracy at the end.
struct MnistRun {
    name: String,
    losses: Vec<f64>,
    test_accuracy: f64,
}

/// Trains a fresh 784-100-100-100-100-10 ReLU network on MNIST with `optimizer` for
/// `iterations` mini-batches of 128. Every run draws the same initial weights and the same
/// batches (from the same seed).
fn mnist_run(
    data: &MnistData<f32>,
    seed: u64,
    iterations: usize,
    init: Init,
    optimizer: &mut (dyn Optimizer<f32> + Send),
) -> (Vec<f64>, f64) {
    let mut rng = seeded_rng::rng(seed);
    let mut net: Sequential<f32> = multi_layer_net(&MNIST_SIZES, Activation::Relu, init, &mut rng);
    let losses = train_mini_batches(
        &mut net,
        &data.x_train,
        &data.t_train,
        optimizer,
        MNIST_BATCH,
        iterations,
        &mut rng,
        |_, _| {},
    );
    (losses, net.accuracy(&data.x_test, &data.t_test))
}

/// DLFS §6.1.8: the five optimizers on MNIST with their books' default learning rates, He
/// initialisation.
fn mnist_optimizer_race(data: &MnistData<f32>, seed: u64, iterations: usize) -> Vec<MnistRun> {
    let racers: Vec<(&str, Box<dyn Optimizer<f32> + Send>)> = vec![
        ("SGD, η = 0.01", Box::new(Sgd::new(0.01))),
        ("Momentum, η = 0.01", Box::new(Momentum::new(0.01))),
        ("AdaGrad, η = 0.01", Box::new(AdaGrad::new(0.01))),
        ("RMSProp, η = 0.001", Box::new(RmsProp::new(0.001))),
        ("Adam, η = 0.001", Box::new(Adam::new(0.001))),
    ];
    racers
        .into_par_iter()
        .map(|(name, mut optimizer)| {
            let (losses, test_accuracy) =
                mnist_run(data, seed, iterations, Init::He, optimizer.as_mut());
            MnistRun {
                name: name.to_string(),
                losses,
                test_accuracy,
            }
        })
        .collect()
}

/// DLFS §6.2.4: SGD (η = 0.01) on MNIST from three initialisations. The He run is the SGD
/// run of the optimizer race (same seed, same initial weights, same batches), so it is reused.
fn mnist_init_race(
    data: &MnistData<f32>,
    seed: u64,
    iterations: usize,
    sgd_he: &MnistRun,
) -> Vec<MnistRun> {
    let mut runs: Vec<MnistRun> = [Init::Std(0.01), Init::Xavier]
        .into_par_iter()
        .map(|init| {
            let (losses, test_accuracy) =
                mnist_run(data, seed, iterations, init, &mut Sgd::new(0.01));
            MnistRun {
                name: init.to_string(),
                losses,
                test_accuracy,
            }
        })
        .collect();
    runs.push(MnistRun {
        name: Init::He.to_string(),
        losses: sgd_he.losses.clone(),
        test_accuracy: sgd_he.test_accuracy,
    });
    runs
}

/// The mean loss over a few stretches of iterations, and the test accuracy at the end.
fn print_mnist_race(title: &str, runs: &[MnistRun]) {
    section(title);
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

/// Train and test accuracy of one overfitting run, every few epochs, as `(epoch, accuracy)`.
struct OverfitRun {
    name: String,
    train: Vec<(usize, f64)>,
    test: Vec<(usize, f64)>,
    weight_rms: f64,
}

/// DLFS §6.4.1: a deep network on 300 training images, without and with weight decay.
fn weight_decay_study(data: &MnistData<f32>, seed: u64, epochs: usize) -> Vec<OverfitRun> {
    let x_train = data
        .x_train
        .slice(ndarray::s![..OVERFIT_SAMPLES, ..])
        .to_owned();
    let t_train = &data.t_train[..OVERFIT_SAMPLES];
    let iterations_per_epoch = OVERFIT_SAMPLES / OVERFIT_BATCH;
    WEIGHT_DECAY_LAMBDAS
        .into_par_iter()
        .map(|lambda| {
            let mut rng = seeded_rng::rng(seed);
            let mut net =
                multi_layer_net::<f32>(&OVERFIT_SIZES, Activation::Relu, Init::He, &mut rng);
            let mut sgd = WeightDecay::new(Sgd::new(OVERFIT_LR as f32), lambda as f32);
            let mut run = OverfitRun {
                name: if lambda == 0.0 {
                    "no weight decay".to_string()
                } else {
                    format!("weight decay λ = {lambda}")
                },
                train: Vec::new(),
                test: Vec::new(),
                weight_rms: 0.0,
            };
            train_mini_batches(
                &mut net,
                &x_train,
                t_train,
                &mut sgd,
                OVERFIT_BATCH,
                epochs * iterations_per_epoch,
                &mut rng,
                |iteration, net| {
                    let done = iteration + 1;
                    let epoch = done / iterations_per_epoch;
                    if done % iterations_per_epoch != 0 {
                        return;
                    }
                    if epoch.is_multiple_of(TRAIN_EVALUATE_EVERY) || epoch == epochs {
                        run.train.push((epoch, net.accuracy(&x_train, t_train)));
                    }
                    if epoch.is_multiple_of(TEST_EVALUATE_EVERY) || epoch == epochs {
                        run.test
                            .push((epoch, net.accuracy(&data.x_test, &data.t_test)));
                    }
                },
            );
            run.weight_rms = weight_rms(&mut net);
            run
        })
        .collect()
}

/// The end of each overfitting run.
fn print_weight_decay(runs: &[OverfitRun]) {
    section("Weight decay");
    println!(
        "{OVERFIT_SAMPLES} training images, {} layers, SGD η = {OVERFIT_LR}, batches of {OVERFIT_BATCH}",
        OVERFIT_SIZES.len() - 1
    );
    println!(
        "{:<24} {:>7} {:>10} {:>10} {:>8} {:>11}",
        "", "epochs", "train acc", "test acc", "gap", "weight rms"
    );
    for run in runs {
        let (epoch, train) = run.train[run.train.len() - 1];
        let (_, test) = run.test[run.test.len() - 1];
        println!(
            "{:<24} {epoch:>7} {train:>10.4} {test:>10.4} {:>8.4} {:>11.4}",
            run.name,
            train - test,
            run.weight_rms
        );
    }
}

/// Everything the figures draw.
struct Figures<'a> {
    paths: &'a [Path2d],
    spiral: &'a [Run],
    sigmoid_rows: &'a [HistogramRow],
    relu_rows: &'a [HistogramRow],
    optimizer_race: &'a [MnistRun],
    init_race: &'a [MnistRun],
    decay: &'a [OverfitRun],
}

/// The loss curves of MNIST runs, as block means.
fn mnist_series(runs: &[MnistRun]) -> Vec<Series> {
    runs.iter()
        .map(|run| {
            let points = block_means(&run.losses, LOSS_WINDOW)
                .into_iter()
                .map(|(i, loss)| ((i + 1) as f64, loss))
                .collect();
            Series::new(run.name.clone(), points)
        })
        .collect()
}

/// The chapter's figures.
// The closures are needed: a figure function named alone is fixed to one backend lifetime.
#[allow(clippy::redundant_closure)]
fn draw_figures(out: &Path, f: &Figures) -> Result<()> {
    figures::write_svg(out, "paths.svg", (1500, 760), |area| {
        draw_paths(area, f.paths)
    })?;
    figures::write_svg(out, "lr_decay.svg", figures::SIZE, |area| {
        draw_lr_decay(area, &DECAYS, DECAY_STEPS)
    })?;

    let spiral_series = |pick: fn(&Curve) -> &Vec<f64>| -> Vec<Series> {
        f.spiral
            .iter()
            .map(|run| {
                let steps = run.curve.steps.iter().map(|&s| s as f64);
                Series::new(
                    run.name.clone(),
                    steps.zip(pick(&run.curve).iter().copied()).collect(),
                )
            })
            .collect()
    };
    let loss = spiral_series(|c| &c.loss);
    figures::write_svg(out, "spiral_loss.svg", figures::SIZE, |area| {
        let title = "Spiral data: loss per epoch";
        draw_curves(
            area,
            title,
            ("epoch", "loss"),
            &loss,
            SeriesLabelPosition::UpperMiddle,
        )
    })?;
    let accuracy = spiral_series(|c| &c.accuracy);
    figures::write_svg(out, "spiral_accuracy.svg", figures::SIZE, |area| {
        let title = "Spiral data: accuracy per epoch";
        let labels = ("epoch", "accuracy");
        draw_curves(
            area,
            title,
            labels,
            &accuracy,
            SeriesLabelPosition::LowerRight,
        )
    })?;

    figures::write_svg(out, "activations_sigmoid.svg", (1500, 760), |area| {
        let title = "Sigmoid activations per layer";
        draw_activation_histograms(area, title, f.sigmoid_rows, SIGMOID_RANGE)
    })?;
    figures::write_svg(out, "activations_relu.svg", (1500, 760), |area| {
        let title = "ReLU activations per layer (the zeros left out)";
        draw_activation_histograms(area, title, f.relu_rows, RELU_RANGE)
    })?;

    let labels = ("iteration", "training loss");
    let title = format!("MNIST: five optimizers (mean loss of every {LOSS_WINDOW} batches)");
    let series = mnist_series(f.optimizer_race);
    figures::write_svg(out, "mnist_optimizers.svg", (720, 480), |area| {
        draw_curves(
            area,
            &title,
            labels,
            &series,
            SeriesLabelPosition::MiddleRight,
        )
    })?;
    let title = format!("MNIST: three initialisations, SGD (mean of every {LOSS_WINDOW})");
    let series = mnist_series(f.init_race);
    figures::write_svg(out, "mnist_inits.svg", (720, 480), |area| {
        draw_curves(
            area,
            &title,
            labels,
            &series,
            SeriesLabelPosition::LowerLeft,
        )
    })?;

    let runs: Vec<(String, Series, Series)> = f
        .decay
        .iter()
        .map(|run| {
            let points =
                |values: &[(usize, f64)]| values.iter().map(|&(e, v)| (e as f64, v)).collect();
            let train = Series::new("train", points(&run.train));
            let test = Series::new("test", points(&run.test));
            (run.name.clone(), train, test)
        })
        .collect();
    let title = format!(
        "Weight decay: {OVERFIT_SAMPLES} training images, {} layers, SGD",
        OVERFIT_SIZES.len() - 1
    );
    figures::write_svg(out, "weight_decay.svg", (1500, 500), |area| {
        draw_weight_decay(area, &title, &runs)
    })?;
    Ok(())
}
