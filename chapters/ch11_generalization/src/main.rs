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

/// The experiments, in `src/experiments/`, one file for a few of the page's parts, in the
/// page's order: overfitting and the three sets; weight decay, L1, dropout and batch
/// normalisation; vanishing gradients and why cross-entropy (layers and neurons that learn
/// slowly); the choices of training: early stopping, data augmentation and the
/// hyperparameter search.
mod experiments {
    pub mod overfitting;
    pub mod regularization;
    pub mod slow_learning;
    pub mod training_choices;
}
use experiments::overfitting::{overfitting_seen, spiral_seen, three_sets};
use experiments::regularization::{batch_norm, dropout, penalties};
use experiments::slow_learning::{vanishing_gradients, why_cross_entropy};
use experiments::training_choices::{augmentation, hyperparameter_search, stopping_early};

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
/// Weights smaller than this count as (nearly) zero.
const SMALL_WEIGHT: f64 = 0.01;

/// The defaults of the other count flags, for a full run and for a quick one (each
/// experiment's file has the rest of its setup).
const SPIRAL_EPOCHS: usize = 10_000;
const QUICK_SPIRAL_EPOCHS: usize = 1_000;
const BN_EPOCHS: usize = 20;
const QUICK_BN_EPOCHS: usize = 4;
const AUGMENT_EPOCHS: usize = 100;
const QUICK_AUGMENT_EPOCHS: usize = 5;
const SEARCH_TRIALS: usize = 40;
const QUICK_SEARCH_TRIALS: usize = 4;

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
