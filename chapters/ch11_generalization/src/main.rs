//! The chapter's experiments, in the order of the page.

use std::path::Path;
use std::process::ExitCode;

use anyhow::{Context, Result, ensure};
use ch05_loss::argmax_rows;
use ch09_backprop::{MnistData, Sequential, check_layer};
use ch10_optimizers::{
    Activation, Adam, Init, LrDecay, Sgd, multi_layer_net, train_full_batch, weight_rms,
};
use ch11_generalization::augment::{Augmentation, train_augmented};
use ch11_generalization::early_stopping::{EpochRecord, restore, watch_validation};
use ch11_generalization::plots::{
    StrengthPanel, draw_accuracy_grid, draw_accuracy_panels, draw_regions_twice, draw_strengths,
    series,
};
use ch11_generalization::plots_training::{
    TrialPoint, draw_digit_rows, draw_early_stopping, draw_layer_speeds, draw_search, draw_slowdown,
};
use ch11_generalization::search::{SearchSpace, TrialSetup, random_search};
use ch11_generalization::slowdown::{Cost, Neuron, train_neuron};
use ch11_generalization::vanishing::{ratios_to_next, speeds_during_training};
use ch11_generalization::{
    BatchNorm, Dropout, Extras, History, Mode, Penalty, Regularized, SameMask, Schedule, Split,
    ThreeSets, mnist_sets, multi_layer_net_extend, progress_bar, share_below, spiral_sets,
    train_and_watch,
};
use chapter_cli::{Common, section, timed};
use clap::Parser;
use figures::{ClassPoint, Series};
use ndarray::{Array2, s};
use plotters::prelude::SeriesLabelPosition;

/// The MNIST sets of the chapter: training images, validation images (both drawn from MNIST's
/// 60,000 training images) and test images (MNIST's 10,000).
const MNIST_SETS: (usize, usize, usize) = (50_000, 10_000, 10_000);
/// The same for a quick run.
const QUICK_MNIST_SETS: (usize, usize, usize) = (5_000, 1_000, 1_000);

/// The overfitting setup of DLFS §6.4.1: 300 training images, six hidden layers of 100 units,
/// He initialisation, SGD with learning rate 0.01, batches of 100, 200 epochs.
const OVERFIT_SAMPLES: usize = 300;
const OVERFIT_SIZES: [usize; 8] = [784, 100, 100, 100, 100, 100, 100, 10];
const OVERFIT_LR: f32 = 0.01;
const OVERFIT_BATCH: usize = 100;
const OVERFIT_EPOCHS: usize = 200;
const QUICK_OVERFIT_EPOCHS: usize = 20;
/// How often (in epochs) the curves of the overfitting runs are measured.
const OVERFIT_EVERY: usize = 10;

/// The spiral network of nnfs: 2-64-3 on 100 points per class, Adam (η = 0.05, decay 5·10⁻⁷),
/// full batch, 10,000 epochs.
const SPIRAL_SAMPLES: usize = 100;
const SPIRAL_CLASSES: usize = 3;
const SPIRAL_HIDDEN: usize = 64;
const SPIRAL_EPOCHS: usize = 10_000;
const QUICK_SPIRAL_EPOCHS: usize = 1_000;
/// How many cells across the decision-region figure's grid has.
const REGION_GRID: usize = 240;

/// Choosing on a small set: this many networks, differing only in their random start, judged
/// on this many validation images.
const LUCKY_NETWORKS: usize = 20;
const LUCKY_VALIDATION: usize = 500;
const LUCKY_SIZES: [usize; 3] = [784, 50, 10];
const LUCKY_EPOCHS: usize = 30;
const LUCKY_LR: f32 = 0.1;

/// The penalties compared on the overfitting setup.
const L2_LAMBDAS: [f64; 4] = [0.01, 0.03, 0.1, 0.3];
const L1_LAMBDAS: [f64; 4] = [3e-4, 1e-3, 3e-3, 1e-2];
/// Weights smaller than this count as (nearly) zero.
const SMALL_WEIGHT: f64 = 0.01;

/// The dropout ratios compared on the overfitting setup (DLFS uses 0.2).
const DROPOUT_RATIOS: [f64; 3] = [0.05, 0.1, 0.2];
/// How often the dropout runs measure their curves (the validation set is 33 times the
/// training set).
const DROPOUT_EVERY: usize = 20;

/// The batch normalisation experiment of DLFS §6.3.2: 1,000 training images, five hidden
/// layers of 100 units, SGD with learning rate 0.01, batches of 100, 20 epochs, for 16 initial
/// weight scales from 1 down to 10⁻⁴.
const BN_SAMPLES: usize = 1000;
/// The validation images the batch normalisation runs are measured on, every epoch.
const BN_VALIDATION: usize = 1000;
const BN_SIZES: [usize; 7] = [784, 100, 100, 100, 100, 100, 10];
const BN_LR: f32 = 0.01;
const BN_BATCH: usize = 100;
const BN_EPOCHS: usize = 20;
const QUICK_BN_EPOCHS: usize = 4;
const BN_SCALES: usize = 16;
/// How often (in epochs) the batch normalisation runs measure their accuracy.
const BN_EVERY: usize = 2;
/// A quick run tries every fifth scale.
const QUICK_BN_STRIDE: usize = 5;

/// Vanishing gradients, measured as Nielsen measures them (chapter 5): 1,000 training images,
/// four hidden layers of 30 units, SGD with learning rate 0.1 on batches of 10.
const SPEED_SAMPLES: usize = 1000;
const SPEED_SIZES: [usize; 6] = [784, 30, 30, 30, 30, 10];
const SPEED_LR: f32 = 0.1;
const SPEED_BATCH: usize = 10;
const SPEED_EPOCHS: usize = 30;
const QUICK_SPEED_EPOCHS: usize = 3;

/// Nielsen's learning slowdown (chapter 3): one sigmoid neuron learns to answer 0 to the input
/// 1, from a wrong start and from a badly wrong one, with learning rate 0.15, for 300 epochs.
const NEURON_STARTS: [Neuron; 2] = [Neuron { w: 0.6, b: 0.9 }, Neuron { w: 2.0, b: 2.0 }];
const NEURON_EXAMPLE: (f64, f64) = (1.0, 0.0);
const NEURON_LR: f64 = 0.15;
const NEURON_EPOCHS: usize = 300;
/// The epochs at which the table shows the neuron's output.
const NEURON_MARKS: [usize; 5] = [0, 10, 50, 100, 300];

/// Early stopping: 1,000 training images, two hidden layers of 100 units, Adam with learning
/// rate 0.001, batches of 100, 60 epochs, patience 5.
const STOP_SAMPLES: usize = 1000;
const STOP_SIZES: [usize; 4] = [784, 100, 100, 10];
const STOP_LR: f32 = 0.001;
const STOP_BATCH: usize = 100;
const STOP_EPOCHS: usize = 60;
const QUICK_STOP_EPOCHS: usize = 8;
const PATIENCE: usize = 5;
/// How often the early-stopping table shows an epoch.
const STOP_PRINT_EVERY: usize = 5;

/// Augmentation: 2,000 training images, one hidden layer of 100 units, SGD with learning rate
/// 0.1, batches of 100, 100 epochs; every image turned by up to 15° and shifted by up to 2
/// pixels, each epoch anew. Accuracies measured every 5 epochs.
const AUGMENT_SAMPLES: usize = 2000;
const AUGMENT_SIZES: [usize; 3] = [784, 100, 10];
const AUGMENT_LR: f32 = 0.1;
const AUGMENT_BATCH: usize = 100;
const AUGMENT_EPOCHS: usize = 100;
const QUICK_AUGMENT_EPOCHS: usize = 5;
const AUGMENT_EVERY: usize = 5;
const AUGMENTATION: Augmentation = Augmentation {
    max_shift: 2,
    max_degrees: 15.0,
};
/// The figure of moved digits: this many training images, and this many moved copies of each.
const SHOWN_DIGITS: usize = 5;
const SHOWN_COPIES: usize = 7;

/// The random search of DLFS §6.5: 40 trials, η from 10⁻⁴ to 1 and λ from 10⁻⁸ to 10⁻², both
/// on a logarithmic scale; each trial trains four hidden layers of 100 units on 1,000 training
/// images for 20 epochs (SGD, batches of 100) and is judged on 1,000 validation images.
const SEARCH_SPACE: SearchSpace = SearchSpace {
    learning_rate: -4.0..0.0,
    weight_decay: -8.0..-2.0,
};
const SEARCH_TRIALS: usize = 40;
const QUICK_SEARCH_TRIALS: usize = 4;
const SEARCH_SAMPLES: usize = 1000;
const SEARCH_VALIDATION: usize = 1000;
const SEARCH_SIZES: [usize; 6] = [784, 100, 100, 100, 100, 10];
const SEARCH_BATCH: usize = 100;
const SEARCH_EPOCHS: usize = 20;
const QUICK_SEARCH_EPOCHS: usize = 3;
/// How many of the best trials the table and the figure show.
const SEARCH_SHOWN: usize = 8;

/// The most each count flag accepts.
const MAX_OVERFIT_EPOCHS: usize = 100_000;
const MAX_SPIRAL_EPOCHS: usize = 1_000_000;
const MAX_BN_EPOCHS: usize = 100_000;
const MAX_AUGMENT_EPOCHS: usize = 100_000;
const MAX_TRIALS: usize = 10_000;

/// Generalisation: overfitting seen, three sets, weight decay and L1, dropout, batch
/// normalisation.
#[derive(Parser)]
struct Args {
    #[command(flatten)]
    common: Common,

    /// A run of a few seconds: smaller sets, fewer epochs
    #[arg(long)]
    quick: bool,

    /// Epochs of the 300-image runs: overfitting, penalties, dropout (at most 100,000)
    /// [default: 200, or 20 with --quick]
    #[arg(long, value_name = "N", allow_negative_numbers = true)]
    overfit_epochs: Option<usize>,

    /// Epochs of the spiral network (at most 1,000,000) [default: 10,000, or 1,000 with --quick]
    #[arg(long, value_name = "N", allow_negative_numbers = true)]
    spiral_epochs: Option<usize>,

    /// Epochs of each batch normalisation run (at most 100,000) [default: 20, or 4 with --quick]
    #[arg(long, value_name = "N", allow_negative_numbers = true)]
    bn_epochs: Option<usize>,

    /// Epochs of each augmentation run (at most 100,000) [default: 100, or 5 with --quick]
    #[arg(long, value_name = "N", allow_negative_numbers = true)]
    augment_epochs: Option<usize>,

    /// Trials of the hyperparameter search (DLFS runs 100; at most 10,000) [default: 40, or 4
    /// with --quick]
    #[arg(long, value_name = "N", allow_negative_numbers = true)]
    trials: Option<usize>,
}

impl Args {
    /// The count a flag gave, or else its default for a full run or for a quick one.
    fn count(&self, given: Option<usize>, (full, quick): (usize, usize)) -> usize {
        given.unwrap_or(if self.quick { quick } else { full })
    }
}

fn main() -> ExitCode {
    chapter_cli::run(|| {
        let args = Args::parse();
        let quick = args.quick;
        let overfit_epochs =
            args.count(args.overfit_epochs, (OVERFIT_EPOCHS, QUICK_OVERFIT_EPOCHS));
        let spiral_epochs = args.count(args.spiral_epochs, (SPIRAL_EPOCHS, QUICK_SPIRAL_EPOCHS));
        let bn_epochs = args.count(args.bn_epochs, (BN_EPOCHS, QUICK_BN_EPOCHS));
        let augment_epochs =
            args.count(args.augment_epochs, (AUGMENT_EPOCHS, QUICK_AUGMENT_EPOCHS));
        let trials = args.count(args.trials, (SEARCH_TRIALS, QUICK_SEARCH_TRIALS));
        for (flag, value, most) in [
            ("--overfit-epochs", overfit_epochs, MAX_OVERFIT_EPOCHS),
            ("--spiral-epochs", spiral_epochs, MAX_SPIRAL_EPOCHS),
            ("--bn-epochs", bn_epochs, MAX_BN_EPOCHS),
            ("--augment-epochs", augment_epochs, MAX_AUGMENT_EPOCHS),
            ("--trials", trials, MAX_TRIALS),
        ] {
            ensure!(value >= 1, "{flag} must be at least 1");
            ensure!(value <= most, "{flag} must be at most {most}, got {value}");
        }
        let out = args.common.out_dir(env!("CARGO_PKG_NAME"))?;
        let seed = args.common.seed;
        let mnist = mnist::load().context("loading MNIST for the generalisation experiments")?;
        let data = MnistData::<f32>::new(&mnist);
        let sizes = if quick { QUICK_MNIST_SETS } else { MNIST_SETS };
        let sets = mnist_sets(&data, sizes, &mut seeded_rng::rng(seed));
        let few = first(&sets.train, OVERFIT_SAMPLES);

        let baseline = timed("overfitting", || {
            overfitting_seen(&out, &few, &sets, seed, overfit_epochs)
        })?;
        timed("spiral", || spiral_seen(&out, seed, spiral_epochs))?;
        timed("three sets", || three_sets(&sets, &few, seed));
        timed("penalties", || {
            penalties(&out, &few, &sets, seed, overfit_epochs, &baseline)
        })?;
        timed("dropout", || {
            dropout(&out, &few, &sets, seed, overfit_epochs, &baseline)
        })?;
        timed("batch normalisation", || {
            batch_norm(&out, &sets, seed, bn_epochs, quick)
        })?;
        timed("vanishing gradients", || {
            vanishing_gradients(&out, &sets, seed, quick)
        })?;
        why_cross_entropy(&out)?;
        timed("early stopping", || {
            stopping_early(&out, &sets, seed, quick)
        })?;
        timed("data augmentation", || {
            augmentation(&out, &sets, seed, augment_epochs)
        })?;
        timed("hyperparameter search", || {
            hyperparameter_search(&out, &sets, seed, trials, quick)
        })
    })
}

/// The first `n` examples of `split`.
fn first(split: &Split<f32>, n: usize) -> Split<f32> {
    Split {
        x: split.x.slice(s![..n, ..]).to_owned(),
        t: split.t[..n].to_vec(),
    }
}

/// The network of the overfitting setup, with `extras`, drawn from `seed`: every run of the
/// setup starts from the same weights (and, when there is no dropout, sees the same batches).
fn overfit_net(
    seed: u64,
    extras: Extras,
    mode: &Mode,
) -> (Sequential<f32>, seeded_rng::ChaCha8Rng) {
    let mut rng = seeded_rng::rng(seed);
    let net = multi_layer_net_extend(&OVERFIT_SIZES, Init::He, extras, mode, &mut rng);
    (net, rng)
}

/// The schedule of the overfitting setup, measuring every `every` epochs.
fn overfit_schedule(epochs: usize, every: usize) -> Schedule {
    Schedule {
        epochs,
        batch_size: OVERFIT_BATCH,
        every: every.min(epochs),
    }
}

/// How the unregularised network of the first section ended: the row every remedy is compared
/// with.
struct Baseline {
    train: f64,
    validation: f64,
    weight_rms: f64,
    small: f64,
}

/// DLFS §6.4.1: the deep network on 300 images, train and test accuracy as it trains.
fn overfitting_seen(
    out: &Path,
    few: &Split<f32>,
    sets: &ThreeSets<f32>,
    seed: u64,
    epochs: usize,
) -> Result<Baseline> {
    let mode = Mode::default();
    let (mut net, mut rng) = overfit_net(seed, Extras::default(), &mode);
    let bar = progress_bar("300 images", epochs);
    let schedule = overfit_schedule(epochs, OVERFIT_EVERY);
    let mut sgd = Sgd::new(OVERFIT_LR);
    let data = (few, &sets.test);
    let history = train_and_watch(
        &mut net,
        &mode,
        &mut sgd,
        data,
        schedule,
        &mut rng,
        &mut || bar.inc(1),
    );
    bar.finish_and_clear();

    section("Overfitting, seen");
    let layers = OVERFIT_SIZES.len() - 1;
    let setup = format!("SGD η = {OVERFIT_LR}, batches of {OVERFIT_BATCH}");
    let parameters = net.parameter_count();
    let net_size = format!("{layers} layers ({parameters} weights and biases)");
    println!("{OVERFIT_SAMPLES} training images, {net_size}, {setup}");
    println!(
        "{:>6} {:>10} {:>10} {:>8}",
        "epoch", "train acc", "test acc", "gap"
    );
    let rows = history.train.iter().zip(&history.held_out);
    for (&(epoch, train), &(_, test)) in rows {
        if epoch % 50 == 0 || epoch == epochs || (epoch < 50 && epoch % 10 == 0) {
            println!(
                "{epoch:>6} {train:>10.4} {test:>10.4} {:>8.4}",
                train - test
            );
        }
    }
    let curves = vec![
        series("train (300 images)", &history.train),
        series(
            format!("test ({} images)", sets.test.len()),
            &history.held_out,
        ),
    ];
    let title = format!("{OVERFIT_SAMPLES} training images, {layers} layers, SGD");
    figures::write_svg(out, "overfitting.svg", (760, 480), |area| {
        draw_accuracy_panels(area, &title, &[(String::new(), curves.clone())])
    })?;

    let (train, _) = history.last();
    let validation = net.accuracy(&sets.validation.x, &sets.validation.t);
    let weight_rms = weight_rms(&mut net);
    let small = share_below(&mut net, SMALL_WEIGHT);
    Ok(Baseline {
        train,
        validation,
        weight_rms,
        small,
    })
}

/// nnfs chapter 11: the spiral network trained by backprop, then tested on fresh points.
fn spiral_seen(out: &Path, seed: u64, epochs: usize) -> Result<()> {
    let mut rng = seeded_rng::rng(seed);
    let sets = spiral_sets::<f32>(SPIRAL_SAMPLES, SPIRAL_CLASSES, &mut rng);
    let sizes = [2, SPIRAL_HIDDEN, SPIRAL_CLASSES];
    let mut net = multi_layer_net(&sizes, Activation::Relu, Init::Std(0.01), &mut rng);
    let mut adam = LrDecay::new(Adam::new(0.05), 5e-7);
    let (x, t) = (&sets.train.x, &sets.train.t);
    train_full_batch(&mut net, x, t, &mut adam, epochs, epochs);

    section("The spiral, on fresh points");
    println!(
        "2-{SPIRAL_HIDDEN}-{SPIRAL_CLASSES} network, Adam η = 0.05, decay 5e-7, {epochs} epochs"
    );
    println!("{:<32} {:>9} {:>7}", "", "accuracy", "loss");
    for (name, split) in [
        ("the 300 points it trained on", &sets.train),
        ("300 fresh points", &sets.test),
    ] {
        let accuracy = net.accuracy(&split.x, &split.t);
        let loss = net.loss(&split.x, &split.t[..]);
        println!("{name:<32} {accuracy:>9.3} {loss:>7.3}");
    }

    let classes = region_grid(&mut net);
    let classify = |x: f64, y: f64| {
        let cell = |v: f64| (((v + 1.1) / 2.2 * REGION_GRID as f64) as usize).min(REGION_GRID - 1);
        classes[cell(y) * REGION_GRID + cell(x)]
    };
    let points = |split: &Split<f32>| -> Vec<ClassPoint> {
        let rows = split.x.rows().into_iter().zip(&split.t);
        rows.map(|(p, &c)| (f64::from(p[0]), f64::from(p[1]), c))
            .collect()
    };
    let (train, test) = (points(&sets.train), points(&sets.test));
    figures::write_svg(out, "spiral_regions.svg", (1200, 600), |area| {
        let sides = [
            ("The points it trained on", &train[..]),
            ("Fresh points", &test[..]),
        ];
        draw_regions_twice(area, classify, &["class 0", "class 1", "class 2"], sides)
    })?;
    Ok(())
}

/// The class the network gives the centre of every cell of a grid over [−1.1, 1.1]², row by
/// row from the bottom.
fn region_grid(net: &mut Sequential<f32>) -> Vec<usize> {
    let step = 2.2 / REGION_GRID as f64;
    let centre = |i: usize| (-1.1 + (i as f64 + 0.5) * step) as f32;
    let grid = Array2::from_shape_fn((REGION_GRID * REGION_GRID, 2), |(row, k)| {
        let (i, j) = (row / REGION_GRID, row % REGION_GRID);
        if k == 0 { centre(j) } else { centre(i) }
    });
    argmax_rows(&net.predict(&grid)).to_vec()
}

/// How the images are split, and what choosing on a small set does: networks that differ
/// only in their random start, the best of them picked on validation images.
fn three_sets(sets: &ThreeSets<f32>, few: &Split<f32>, seed: u64) {
    section("Three sets");
    println!("{:<12} {:>7}  drawn from", "set", "images");
    let rows = [
        ("train", sets.train.len(), "MNIST's training images"),
        (
            "validation",
            sets.validation.len(),
            "MNIST's training images",
        ),
        ("test", sets.test.len(), "MNIST's test images"),
    ];
    for (name, images, from) in rows {
        println!("{name:<12} {images:>7}  {from}");
    }

    let small = first(
        &sets.validation,
        LUCKY_VALIDATION.min(sets.validation.len()),
    );
    let bar = progress_bar("lucky networks", LUCKY_NETWORKS);
    let mut scores = Vec::new(); // (small validation, test)
    for n in 0..LUCKY_NETWORKS {
        let mut rng = seeded_rng::rng(seed + 1 + n as u64);
        let mut net = multi_layer_net(&LUCKY_SIZES, Activation::Relu, Init::He, &mut rng);
        let mode = Mode::default();
        let schedule = Schedule {
            epochs: LUCKY_EPOCHS,
            batch_size: OVERFIT_BATCH,
            every: LUCKY_EPOCHS,
        };
        let mut sgd = Sgd::new(LUCKY_LR);
        train_and_watch(
            &mut net,
            &mode,
            &mut sgd,
            (few, &small),
            schedule,
            &mut rng,
            &mut || {},
        );
        let test = net.accuracy(&sets.test.x, &sets.test.t);
        scores.push((net.accuracy(&small.x, &small.t), test));
        bar.inc(1);
    }
    bar.finish_and_clear();

    section("Choosing on a small set");
    let sizes = LUCKY_SIZES.map(|n| n.to_string()).join("-");
    println!(
        "{LUCKY_NETWORKS} networks {sizes}, {LUCKY_EPOCHS} epochs on the same \
         {OVERFIT_SAMPLES} images, each from its own random start"
    );
    let (best, &(best_validation, best_test)) = scores
        .iter()
        .enumerate()
        .max_by(|a, b| a.1.0.total_cmp(&b.1.0))
        .expect("at least one network");
    let mean =
        |pick: fn(&(f64, f64)) -> f64| scores.iter().map(pick).sum::<f64>() / scores.len() as f64;
    println!(
        "{:<34} {:>16} {:>16}",
        "",
        format!("{} validation", small.len()),
        format!("{} test", sets.test.len())
    );
    println!(
        "{:<34} {:>16.4} {:>16.4}",
        "mean of all networks",
        mean(|s| s.0),
        mean(|s| s.1)
    );
    let name = format!("network {}, the best on validation", best + 1);
    println!("{name:<34} {best_validation:>16.4} {best_test:>16.4}");
    let spread = |n: usize| {
        let p = mean(|s| s.1);
        (p * (1.0 - p) / n as f64).sqrt()
    };
    println!(
        "{:<34} {:>16.4} {:>16.4}",
        "standard error √(p(1 − p)/n)",
        spread(small.len()),
        spread(sets.test.len())
    );
    let (lead_validation, lead_test) = (best_validation - mean(|s| s.0), best_test - mean(|s| s.1));
    println!(
        "{:<34} {lead_validation:>+16.4} {lead_test:>+16.4}",
        "its lead over the mean"
    );
}

/// A finished run with a penalty: its name and its accuracies at the end.
struct PenaltyRun {
    penalty: Penalty,
    train: f64,
    validation: f64,
    weight_rms: f64,
    small: f64,
    net: Sequential<f32>,
}

/// L2 and L1 of several strengths on the overfitting setup, each judged on validation; the
/// best one then tested once.
fn penalties(
    out: &Path,
    few: &Split<f32>,
    sets: &ThreeSets<f32>,
    seed: u64,
    epochs: usize,
    baseline: &Baseline,
) -> Result<()> {
    let penalties: Vec<Penalty> = L2_LAMBDAS
        .iter()
        .map(|&l| Penalty::L2(l))
        .chain(L1_LAMBDAS.iter().map(|&l| Penalty::L1(l)))
        .collect();
    let bar = progress_bar("penalties", epochs * penalties.len());
    let mut runs = Vec::new();
    for penalty in penalties {
        let mode = Mode::default();
        let (mut net, mut rng) = overfit_net(seed, Extras::default(), &mode);
        let mut sgd = Regularized::new(Sgd::new(OVERFIT_LR), penalty);
        let schedule = overfit_schedule(epochs, epochs);
        let data = (few, &sets.validation);
        let history = train_and_watch(
            &mut net,
            &mode,
            &mut sgd,
            data,
            schedule,
            &mut rng,
            &mut || bar.inc(1),
        );
        let (train, validation) = history.last();
        runs.push(PenaltyRun {
            penalty,
            train,
            validation,
            weight_rms: weight_rms(&mut net),
            small: share_below(&mut net, SMALL_WEIGHT),
            net,
        });
    }
    bar.finish_and_clear();

    section("Weight decay and L1");
    println!(
        "{:<18} {:>10} {:>11} {:>11} {:>14}",
        "penalty",
        "train acc",
        "valid. acc",
        "weight rms",
        format!("|w| < {SMALL_WEIGHT}")
    );
    let row = |name: &str, train: f64, validation: f64, rms: f64, small: f64| {
        println!("{name:<18} {train:>10.4} {validation:>11.4} {rms:>11.4} {small:>14.3}");
    };
    let b = baseline;
    row("none", b.train, b.validation, b.weight_rms, b.small);
    for run in &runs {
        let name = run.penalty.to_string();
        row(&name, run.train, run.validation, run.weight_rms, run.small);
    }
    let best = runs
        .iter_mut()
        .max_by(|a, b| a.validation.total_cmp(&b.validation))
        .expect("at least one penalty");
    let test = best.net.accuracy(&sets.test.x, &sets.test.t);
    println!(
        "chosen on validation: {}; its test accuracy, measured once: {test:.4}",
        best.penalty
    );

    let panel = |kind: &str, l2: bool| -> StrengthPanel {
        let of_kind: Vec<&PenaltyRun> = runs
            .iter()
            .filter(|r| matches!(r.penalty, Penalty::L2(_)) == l2)
            .collect();
        let curve = |label: &str, pick: fn(&PenaltyRun) -> f64| {
            let points = of_kind.iter().map(|r| (r.penalty.lambda(), pick(r)));
            Series::new(label, points.collect())
        };
        StrengthPanel {
            title: kind.to_string(),
            series: vec![
                curve("train", |r| r.train),
                curve("validation", |r| r.validation),
            ],
            levels: vec![baseline.train, baseline.validation],
        }
    };
    let panels = [panel("L2 (weight decay)", true), panel("L1", false)];
    let lambdas = L1_LAMBDAS.iter().chain(&L2_LAMBDAS);
    let lowest = lambdas.clone().fold(f64::INFINITY, |a, &b| a.min(b)) / 2.0;
    let highest = lambdas.fold(0.0, |a: f64, &b| a.max(b)) * 2.0;
    figures::write_svg(out, "penalties.svg", (1200, 480), |area| {
        let title = format!(
            "Accuracy after {epochs} epochs on {OVERFIT_SAMPLES} images (dashed: no penalty)"
        );
        draw_strengths(area, &title, lowest..highest, &panels)
    })?;
    Ok(())
}

/// Dropout on the overfitting setup: its gradient check, then a few ratios judged on
/// validation, the best one tested once.
fn dropout(
    out: &Path,
    few: &Split<f32>,
    sets: &ThreeSets<f32>,
    seed: u64,
    epochs: usize,
    baseline: &Baseline,
) -> Result<()> {
    section("Dropout");
    let mut rng = seeded_rng::rng(seed);
    let x = seeded_rng::randn::<f64>(&mut rng, (4, 6));
    let dout = seeded_rng::randn::<f64>(&mut rng, (4, 6));
    let mut layer = SameMask(Dropout::new(0.5, &Mode::default(), &mut rng));
    let check = check_layer(&mut layer, &x, &dout)[0];
    println!(
        "gradient check in f64, dropout 0.5 on a batch of 4×6: max |numerical − backprop| = {:.1e} \
         (mean |dx| {:.3})",
        check.max, check.scale
    );

    let bar = progress_bar("dropout", epochs * DROPOUT_RATIOS.len());
    let mut runs = Vec::new();
    for ratio in DROPOUT_RATIOS {
        let mode = Mode::default();
        let extras = Extras {
            dropout: ratio,
            ..Extras::default()
        };
        let (mut net, mut rng) = overfit_net(seed, extras, &mode);
        let mut sgd = Sgd::new(OVERFIT_LR);
        let schedule = overfit_schedule(epochs, DROPOUT_EVERY);
        let data = (few, &sets.validation);
        let history = train_and_watch(
            &mut net,
            &mode,
            &mut sgd,
            data,
            schedule,
            &mut rng,
            &mut || bar.inc(1),
        );
        runs.push((ratio, history, net, mode));
    }
    bar.finish_and_clear();

    println!(
        "{:<16} {:>10} {:>11} {:>8}",
        "", "train acc", "valid. acc", "gap"
    );
    let row = |name: &str, train: f64, validation: f64| {
        println!(
            "{name:<16} {train:>10.4} {validation:>11.4} {:>8.4}",
            train - validation
        );
    };
    row("no dropout", baseline.train, baseline.validation);
    for (ratio, history, _, _) in &runs {
        let (train, validation) = history.last();
        row(&format!("dropout {ratio}"), train, validation);
    }
    let (ratio, _, net, mode) = runs
        .iter_mut()
        .max_by(|a, b| a.1.last().1.total_cmp(&b.1.last().1))
        .expect("at least one ratio");
    let test = mode.inference(|| net.accuracy(&sets.test.x, &sets.test.t));
    println!("chosen on validation: dropout {ratio}; its test accuracy, measured once: {test:.4}");

    let panels: Vec<(String, Vec<Series>)> = runs
        .iter()
        .map(|(ratio, history, _, _)| {
            let curves = vec![
                series("train", &history.train),
                series("validation", &history.held_out),
            ];
            (format!("dropout {ratio}"), curves)
        })
        .collect();
    figures::write_svg(out, "dropout.svg", (1500, 500), |area| {
        let title = format!("Dropout: {OVERFIT_SAMPLES} training images, SGD");
        draw_accuracy_panels(area, &title, &panels)
    })?;
    Ok(())
}

/// DLFS §6.3.2: training with and without batch normalisation, from weights of 16 scales;
/// first the layer's gradient check.
fn batch_norm(
    out: &Path,
    sets: &ThreeSets<f32>,
    seed: u64,
    epochs: usize,
    quick: bool,
) -> Result<()> {
    section("Batch normalisation");
    let mut rng = seeded_rng::rng(seed);
    let x = seeded_rng::randn::<f64>(&mut rng, (5, 4)) * 3.0 + 1.0;
    let dout = seeded_rng::randn::<f64>(&mut rng, (5, 4));
    let mut layer = BatchNorm::new(4, &Mode::default());
    layer.gamma = layer.gamma.mapv(|g| g + 0.5);
    layer.beta = layer.beta.mapv(|b| b - 0.2);
    let checks = check_layer(&mut layer, &x, &dout);
    println!("gradient check in f64 on a batch of 5×4, max |numerical − backprop|:");
    for (name, check) in ["x", "γ", "β"].iter().zip(&checks) {
        println!(
            "  {name}: {:.1e} (mean |gradient| {:.3})",
            check.max, check.scale
        );
    }

    let stride = if quick { QUICK_BN_STRIDE } else { 1 };
    let scales: Vec<f64> = (0..BN_SCALES)
        .step_by(stride)
        .map(|i| 10f64.powf(-4.0 * i as f64 / (BN_SCALES - 1) as f64))
        .collect();
    let train = first(&sets.train, BN_SAMPLES);
    let validation = first(&sets.validation, BN_VALIDATION.min(sets.validation.len()));
    let bar = progress_bar("batch norm", 2 * epochs * scales.len());
    let mut runs = Vec::new();
    for &scale in &scales {
        let mut pair = Vec::new();
        for batch_norm in [true, false] {
            let mode = Mode::default();
            let mut rng = seeded_rng::rng(seed);
            let extras = Extras {
                batch_norm,
                ..Extras::default()
            };
            let init = Init::Std(scale);
            let mut net = multi_layer_net_extend(&BN_SIZES, init, extras, &mode, &mut rng);
            let mut sgd = Sgd::new(BN_LR);
            let schedule = Schedule {
                epochs,
                batch_size: BN_BATCH,
                every: BN_EVERY,
            };
            let data = (&train, &validation);
            pair.push(train_and_watch(
                &mut net,
                &mode,
                &mut sgd,
                data,
                schedule,
                &mut rng,
                &mut || bar.inc(1),
            ));
        }
        runs.push((scale, pair));
    }
    bar.finish_and_clear();
    print_batch_norm(&runs, epochs);

    let panels: Vec<(String, Vec<Series>)> = runs
        .iter()
        .map(|(scale, pair)| {
            let curves = vec![
                series("batch norm", &pair[0].train),
                series("none", &pair[1].train),
            ];
            (format!("weights {scale:.2e}·randn"), curves)
        })
        .collect();
    let columns = 4.min(panels.len());
    let grid = (panels.len().div_ceil(columns), columns);
    let size = (1500, 290 * grid.0 as u32 + 60);
    figures::write_svg(out, "batch_norm.svg", size, |area| {
        let title = format!(
            "Training accuracy on {BN_SAMPLES} images, with and without batch normalisation"
        );
        draw_accuracy_grid(area, &title, grid, &panels)
    })?;
    Ok(())
}

/// The end of each batch normalisation run: train and validation accuracy, with and without.
fn print_batch_norm(runs: &[(f64, Vec<History>)], epochs: usize) {
    let layers = BN_SIZES.len() - 1;
    println!(
        "{BN_SAMPLES} training images, {layers} layers, SGD η = {BN_LR}, batches of {BN_BATCH}, \
         {epochs} epochs; accuracy at the end"
    );
    println!(
        "{:>12} {:>14} {:>14} {:>14} {:>14}",
        "weight std", "train, BN", "train, none", "valid., BN", "valid., none"
    );
    for (scale, pair) in runs {
        let ((train_bn, valid_bn), (train, valid)) = (pair[0].last(), pair[1].last());
        println!("{scale:>12.2e} {train_bn:>14.4} {train:>14.4} {valid_bn:>14.4} {valid:>14.4}");
    }
}

/// A row of a table: a name in 32 columns, then each cell right-aligned in 10.
fn table_row(name: &str, cells: impl IntoIterator<Item = String>) -> String {
    let cells: String = cells.into_iter().map(|c| format!(" {c:>9}")).collect();
    format!("{name:<32}{cells}")
}

/// The names of the layers of a network of `layers` weight layers: `layer 1`, …, `output`.
fn layer_names(layers: usize) -> Vec<String> {
    (1..layers)
        .map(|l| format!("layer {l}"))
        .chain(["output".to_string()])
        .collect()
}

/// Nielsen's chapter 5: how fast each layer of a deep network learns, before and while it
/// trains, with sigmoid units (Nielsen's initialisation, which is Xavier's) and with ReLU units
/// (He). Both networks start from the same seed and see the same batches.
fn vanishing_gradients(out: &Path, sets: &ThreeSets<f32>, seed: u64, quick: bool) -> Result<()> {
    let epochs = if quick {
        QUICK_SPEED_EPOCHS
    } else {
        SPEED_EPOCHS
    };
    let few = first(&sets.train, SPEED_SAMPLES);
    let networks = [
        ("sigmoid, Xavier", Activation::Sigmoid, Init::Xavier),
        ("ReLU, He", Activation::Relu, Init::He),
    ];
    let bar = progress_bar("layer speeds", networks.len() * epochs);
    let mut runs = Vec::new();
    for (name, activation, init) in networks {
        let mut rng = seeded_rng::rng(seed);
        let mut net = multi_layer_net(&SPEED_SIZES, activation, init, &mut rng);
        let mut sgd = Sgd::new(SPEED_LR);
        let plan = (SPEED_BATCH, epochs);
        let speeds =
            speeds_during_training(&mut net, &few, &mut sgd, plan, &mut rng, &mut || bar.inc(1));
        let accuracy = net.accuracy(&sets.validation.x, &sets.validation.t);
        runs.push((name, speeds, accuracy));
    }
    bar.finish_and_clear();

    section("Vanishing gradients");
    let layers = layer_names(SPEED_SIZES.len() - 1);
    println!("speed of learning ‖∂L/∂b‖ of each layer, on {SPEED_SAMPLES} training images");
    println!("{}", table_row("before training", layers.clone()));
    for (name, speeds, _) in &runs {
        println!(
            "{}",
            table_row(name, speeds[0].iter().map(|v| format!("{v:.1e}")))
        );
    }
    println!("each layer's speed over the next layer's");
    for (name, speeds, _) in &runs {
        let ratios = ratios_to_next(&speeds[0]);
        println!(
            "{}",
            table_row(name, ratios.iter().map(|r| format!("{r:.2}")))
        );
    }

    section("Vanishing gradients while training");
    println!("SGD, η = {SPEED_LR}, batches of {SPEED_BATCH}");
    println!(
        "{}",
        table_row(&format!("after {epochs} epochs"), layers.clone())
    );
    for (name, speeds, _) in &runs {
        let cells = speeds[epochs].iter().map(|v| format!("{v:.1e}"));
        println!("{}", table_row(name, cells));
    }
    println!("validation accuracy after {epochs} epochs");
    for (name, _, accuracy) in &runs {
        println!("{}", table_row(name, [format!("{accuracy:.4}")]));
    }

    let panels: Vec<(String, Vec<Series>)> = runs
        .iter()
        .map(|(name, speeds, _)| {
            let layer = |l: usize| {
                let points = speeds.iter().enumerate().map(|(e, s)| (e as f64, s[l]));
                Series::new(layers[l].clone(), points.collect())
            };
            (name.to_string(), (0..layers.len()).map(layer).collect())
        })
        .collect();
    let title = "How fast each layer learns: 784-30-30-30-30-10 on 1,000 images, SGD";
    figures::write_svg(out, "layer_speeds.svg", (1300, 500), |area| {
        draw_layer_speeds(area, title, &panels)
    })?;
    Ok(())
}

/// Nielsen's chapter 3: one sigmoid neuron learns to answer 0 to the input 1, from two starts,
/// on the quadratic cost and on the cross-entropy, with the same learning rate.
fn why_cross_entropy(out: &Path) -> Result<()> {
    let costs = [Cost::Quadratic, Cost::CrossEntropy];
    let (x, y) = NEURON_EXAMPLE;
    section("Why cross-entropy");
    println!("one sigmoid neuron, input {x}, target {y}, η = {NEURON_LR}: its output a by epoch");
    let marks = NEURON_MARKS.map(|e| format!("{e}"));
    let header = ["δ at 0".to_string()].into_iter().chain(marks);
    println!(
        "{}",
        table_row(&format!("{:<18}{}", "start", "cost"), header)
    );
    let mut panels = Vec::new();
    for start in NEURON_STARTS {
        let name = format!("w = {}, b = {}", start.w, start.b);
        let mut curves = Vec::new();
        for cost in costs {
            let steps = train_neuron(start, cost, NEURON_EXAMPLE, NEURON_LR, NEURON_EPOCHS);
            let delta = cost.delta(start.w * x + start.b, y);
            let outputs = NEURON_MARKS.map(|e| format!("{:.4}", steps[e].output));
            let cells = [format!("{delta:.4}")].into_iter().chain(outputs);
            println!("{}", table_row(&format!("{name:<18}{cost}"), cells));
            let points = steps.iter().map(|s| (s.epoch as f64, s.output));
            curves.push(Series::new(cost.to_string(), points.collect()));
        }
        panels.push((format!("start {name}"), curves));
    }
    // δ against the output a = σ(z), target 0: z = ln(a / (1 − a))
    let deltas: Vec<Series> = costs
        .iter()
        .map(|&cost| {
            let a = (1..200).map(|i| f64::from(i) / 200.0);
            let points = a.map(|a| (a, cost.delta((a / (1.0 - a)).ln(), 0.0)));
            Series::new(cost.to_string(), points.collect())
        })
        .collect();
    let title = format!("One sigmoid neuron learning to answer 0 (η = {NEURON_LR})");
    figures::write_svg(out, "slowdown.svg", (1500, 460), |area| {
        draw_slowdown(area, &title, &panels, &deltas)
    })?;
    Ok(())
}

/// Early stopping on a network that overfits: 1,000 images, Adam, the validation loss watched
/// after every epoch. The run goes on to the end to show what stopping saved; the weights kept
/// are those of the best epoch before it stopped.
fn stopping_early(out: &Path, sets: &ThreeSets<f32>, seed: u64, quick: bool) -> Result<()> {
    let epochs = if quick {
        QUICK_STOP_EPOCHS
    } else {
        STOP_EPOCHS
    };
    let few = first(&sets.train, STOP_SAMPLES);
    let mut rng = seeded_rng::rng(seed);
    let mut net = multi_layer_net(&STOP_SIZES, Activation::Relu, Init::He, &mut rng);
    let mut adam = Adam::new(STOP_LR);
    let bar = progress_bar("early stopping", epochs);
    let data = (&few, &sets.validation);
    let plan = (STOP_BATCH, epochs, PATIENCE);
    let run = watch_validation(&mut net, data, &mut adam, plan, &mut rng, &mut || {
        bar.inc(1)
    });
    bar.finish_and_clear();
    let (test_x, test_t) = (&sets.test.x, &sets.test.t);
    let last_test = net.accuracy(test_x, test_t);
    restore(&mut net, &run.best_weights);
    let kept_test = net.accuracy(test_x, test_t);

    section("Early stopping");
    let setup = format!("Adam η = {STOP_LR}, batches of {STOP_BATCH}, patience {PATIENCE}");
    println!("{STOP_SAMPLES} training images, 784-100-100-10, {setup}");
    println!(
        "{:>6} {:>11} {:>16} {:>20}",
        "epoch", "train loss", "validation loss", "validation accuracy"
    );
    for r in run
        .history
        .iter()
        .filter(|r| r.epoch % STOP_PRINT_EVERY == 0 || r.epoch == epochs)
    {
        let (train, validation) = (r.train_loss, r.validation_loss);
        println!(
            "{:>6} {train:>11.4} {validation:>16.4} {:>20.4}",
            r.epoch, r.validation_accuracy
        );
    }
    let best = run.history[run.best_epoch];
    let last = run.history[epochs];
    match run.stopped_at {
        Some(stop) => println!(
            "lowest validation loss after epoch {}; no lower for {PATIENCE} epochs: stopped after \
             epoch {stop}, {} epochs early",
            best.epoch,
            epochs - stop
        ),
        None => println!(
            "lowest validation loss after epoch {}; never stopped",
            best.epoch
        ),
    }
    println!(
        "{:<14} {:>6} {:>16} {:>20} {:>14}",
        "weights", "epoch", "validation loss", "validation accuracy", "test accuracy"
    );
    for (name, r, test) in [("kept", best, kept_test), ("last", last, last_test)] {
        println!(
            "{name:<14} {:>6} {:>16.4} {:>20.4} {test:>14.4}",
            r.epoch, r.validation_loss, r.validation_accuracy
        );
    }

    let curve = |label: &str, value: fn(&EpochRecord) -> f64| {
        let points = run.history.iter().map(|r| (r.epoch as f64, value(r)));
        Series::new(label, points.collect())
    };
    let losses = [
        curve("train loss", |r| r.train_loss),
        curve("validation loss", |r| r.validation_loss),
    ];
    let accuracy = curve("validation accuracy", |r| r.validation_accuracy);
    let mut marks = vec![(best.epoch as f64, format!("lowest, epoch {}", best.epoch))];
    if let Some(stop) = run.stopped_at {
        marks.push((stop as f64, format!("stopped, epoch {stop}")));
    }
    let title = format!("Early stopping: {STOP_SAMPLES} images, 784-100-100-10, Adam");
    figures::write_svg(out, "early_stopping.svg", (1300, 480), |area| {
        draw_early_stopping(area, &title, &losses, &accuracy, &marks)
    })?;
    Ok(())
}

/// Data augmentation: the same network trained on 2,000 images as they are and on moved
/// copies made anew each epoch, for the same number of epochs, from the same start.
fn augmentation(out: &Path, sets: &ThreeSets<f32>, seed: u64, epochs: usize) -> Result<()> {
    let few = first(&sets.train, AUGMENT_SAMPLES);
    let schedule = Schedule {
        epochs,
        batch_size: AUGMENT_BATCH,
        every: AUGMENT_EVERY.min(epochs),
    };
    let data = (&few, &sets.validation);
    let bar = progress_bar("augmentation", 2 * epochs);
    let mut rng = seeded_rng::rng(seed);
    let mut plain = multi_layer_net(&AUGMENT_SIZES, Activation::Relu, Init::He, &mut rng);
    let mode = Mode::default();
    let mut sgd = Sgd::new(AUGMENT_LR);
    let without = train_and_watch(
        &mut plain,
        &mode,
        &mut sgd,
        data,
        schedule,
        &mut rng,
        &mut || bar.inc(1),
    );
    let mut rng = seeded_rng::rng(seed);
    let mut moved = multi_layer_net(&AUGMENT_SIZES, Activation::Relu, Init::He, &mut rng);
    let mut sgd = Sgd::new(AUGMENT_LR);
    let plan = (schedule, &AUGMENTATION);
    let with = train_augmented(&mut moved, &mut sgd, data, plan, &mut rng, &mut || {
        bar.inc(1)
    });
    bar.finish_and_clear();

    section("Data augmentation");
    let moves = format!(
        "turned by up to {}° and shifted by up to {} pixels",
        AUGMENTATION.max_degrees, AUGMENTATION.max_shift
    );
    println!(
        "{AUGMENT_SAMPLES} training images, 784-100-10, SGD η = {AUGMENT_LR}, batches of {AUGMENT_BATCH}, {epochs} epochs"
    );
    println!("augmented: every image {moves}, anew each epoch");
    println!(
        "{:<18} {:>15} {:>20} {:>14}",
        "", "train accuracy", "validation accuracy", "test accuracy"
    );
    for (name, history, net) in [
        ("not augmented", &without, &mut plain),
        ("augmented", &with, &mut moved),
    ] {
        let (train, validation) = history.last();
        let test = net.accuracy(&sets.test.x, &sets.test.t);
        println!("{name:<18} {train:>15.4} {validation:>20.4} {test:>14.4}");
    }

    let mut rows = Vec::new();
    let mut rng = seeded_rng::rng(seed);
    for (image, class) in few.x.rows().into_iter().zip(&few.t).take(SHOWN_DIGITS) {
        let mut images = vec![image.to_vec()];
        for _ in 0..SHOWN_COPIES {
            images.push(AUGMENTATION.apply(image, &mut rng).to_vec());
        }
        rows.push((format!("a {class}"), images));
    }
    let title = format!("Training images (left) and copies {moves}");
    figures::write_svg(out, "augmented_digits.svg", (900, 520), |area| {
        draw_digit_rows(area, &title, &rows)
    })?;
    let after_start = |points: &[(usize, f64)]| -> Vec<(usize, f64)> {
        points.iter().copied().filter(|p| p.0 > 0).collect()
    };
    let curves = vec![
        series("train, not augmented", &after_start(&without.train)),
        series("validation, not augmented", &after_start(&without.held_out)),
        series("train, augmented", &after_start(&with.train)),
        series("validation, augmented", &after_start(&with.held_out)),
    ];
    let chart = figures::LineChart::new(
        &format!("Augmentation: {AUGMENT_SAMPLES} images, 784-100-10, SGD"),
        "epoch",
        "accuracy",
        curves,
    )
    .legend_at(SeriesLabelPosition::LowerRight);
    figures::write_svg(out, "augmentation.svg", figures::SIZE, |area| {
        figures::line_chart(area, &chart)
    })?;
    Ok(())
}

/// DLFS §6.5: random search over the learning rate and the weight decay, every trial judged on
/// validation images; then the chosen network's accuracy on the test set, measured once.
fn hyperparameter_search(
    out: &Path,
    sets: &ThreeSets<f32>,
    seed: u64,
    trials: usize,
    quick: bool,
) -> Result<()> {
    let epochs = if quick {
        QUICK_SEARCH_EPOCHS
    } else {
        SEARCH_EPOCHS
    };
    let train = first(&sets.train, SEARCH_SAMPLES);
    let validation = first(
        &sets.validation,
        SEARCH_VALIDATION.min(sets.validation.len()),
    );
    let setup = TrialSetup {
        sizes: SEARCH_SIZES.to_vec(),
        batch_size: SEARCH_BATCH,
        epochs,
    };
    let bar = progress_bar("hyperparameter search", trials * epochs);
    let mut rng = seeded_rng::rng(seed);
    let search = (&SEARCH_SPACE, &setup, trials);
    let data = (&train, &validation);
    let mut result = random_search(search, data, &mut rng, &mut || bar.inc(1));
    bar.finish_and_clear();

    section("Hyperparameter search");
    let space = &SEARCH_SPACE;
    println!(
        "{trials} trials: η = 10^U({}, {}), λ = 10^U({}, {}); each trains 784-100-100-100-100-10",
        space.learning_rate.start,
        space.learning_rate.end,
        space.weight_decay.start,
        space.weight_decay.end
    );
    println!(
        "on {} training images for {epochs} epochs (SGD, batches of {SEARCH_BATCH}), judged on {} validation images",
        train.len(),
        validation.len()
    );
    println!(
        "{:<6} {:>14} {:>14} {:>15} {:>20}",
        "rank", "learning rate", "weight decay", "train accuracy", "validation accuracy"
    );
    let shown = SEARCH_SHOWN.min(trials);
    for (rank, trial) in result.trials.iter().enumerate().take(shown) {
        let (train, validation) = trial.history.last();
        let h = trial.settings;
        println!(
            "{:<6} {:>14.2e} {:>14.2e} {train:>15.4} {validation:>20.4}",
            rank + 1,
            h.learning_rate,
            h.weight_decay
        );
    }
    let slow = result.trials.iter().filter(|t| t.score() < 0.5).count();
    println!("{slow} of the {trials} trials ended below 0.5 on validation");

    section("The chosen settings, tested once");
    let best = &result.trials[0];
    let test = result.best_net.accuracy(&sets.test.x, &sets.test.t);
    println!(
        "η = {:.2e}, λ = {:.2e}: validation accuracy {:.4}, test accuracy {test:.4} ({} test images)",
        best.settings.learning_rate,
        best.settings.weight_decay,
        best.score(),
        sets.test.len()
    );

    let points: Vec<TrialPoint> = result
        .trials
        .iter()
        .map(|t| (t.settings.learning_rate, t.settings.weight_decay, t.score()))
        .collect();
    let title = format!("Random search: validation accuracy of {trials} trials");
    figures::write_svg(out, "search.svg", (1300, 480), |area| {
        draw_search(area, &title, &points, shown)
    })?;
    let runs: Vec<(String, Vec<Series>)> = result
        .trials
        .iter()
        .take(shown)
        .enumerate()
        .map(|(rank, t)| {
            let h = t.settings;
            let name = format!(
                "{}: η {:.1e}, λ {:.1e}",
                rank + 1,
                h.learning_rate,
                h.weight_decay
            );
            let curves = vec![
                series("train", &t.history.train),
                series("validation", &t.history.held_out),
            ];
            (name, curves)
        })
        .collect();
    let title = format!("The best {shown} trials: accuracy by epoch");
    figures::write_svg(out, "search_best.svg", (1500, 640), |area| {
        draw_accuracy_grid(area, &title, (2, shown.div_ceil(2).max(1)), &runs)
    })?;
    Ok(())
}
