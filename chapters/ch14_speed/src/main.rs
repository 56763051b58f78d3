//! The chapter's experiments: the work counted, the machine's peak, matrix kernels raced, the
//! MNIST protocol run by each version, and the numerical gradient made fast. Results that do
//! not depend on timing go to stdout; timings go to stderr and to `timed/` in the output folder.

use std::path::Path;
use std::process::ExitCode;
use std::time::Instant;

use anyhow::{Context, Result, ensure};
use ch08_gradients::{TwoLayerNet, thousands};
use ch09_backprop::{DLFS_PROTOCOL, MnistData, Protocol};
use ch10_optimizers::{Adam, Init, Optimizer};
use ch12_convolution::{
    SIMPLE_CONV_NET, Sets, Watcher, conv_net, permutation, split_validation, train_epoch,
};
use ch14_speed::conv::{
    CLASSES as CONV_CLASSES, CONV_SIDE, FILTERS, HIDDEN, PATCH, POOLED, halves, sum_and_update,
};
use ch14_speed::plots::{Bar, Bars, draw_bars};
use ch14_speed::{
    ConvBuffers, ConvParams, FastConvNet, Kernel, Peak, Run, Simd, Timing, Version, Work,
    draw_timed, gradient_in, incremental_numerical_gradient, machine_label,
    par_incremental_numerical_gradient, par_two_layer_gradient, products_ceiling,
    relative_difference, round_trip_seconds, seconds_per_call, timed_dir, write_timed,
};
use chapter_cli::{Common, section};
use clap::Parser;
use ndarray::{Array2, Axis};

/// The experiments, one file for each part of the page, in `src/experiments/`: the work, the
/// peak and the kernels; the network's versions step by step; the numerical gradient; the
/// convolutional network.
mod experiments {
    pub mod convolutional_network;
    pub mod mlp_versions;
    pub mod numerical_gradients;
    pub mod work_and_peak;
}
use experiments::convolutional_network::{bench_conv, convolutional_network};
use experiments::mlp_versions::{
    bench, every_step_measured, no_allocation, own_kernel, parallel_evaluation, plain_version,
    skipping_dx, two_halves,
};
use experiments::numerical_gradients::numerical_gradients;
use experiments::work_and_peak::{count_the_work, measure_peak, race_kernels};

/// Runs of each version with `--full`, and the most `--runs` accepts.
const FULL_RUNS: usize = 5;
const MAX_RUNS: usize = 100;
/// The most iterations `--iterations` accepts: a hundred times the protocol's.
const MAX_ITERATIONS: usize = 1_000_000;
/// The 10 classes of MNIST.
const CLASSES: usize = 10;

/// How fast can it go: the backprop chapter's MNIST training made fast, step by step.
#[derive(Parser)]
struct Args {
    #[command(flatten)]
    common: Common,

    /// One run of each version (the default)
    #[arg(long, conflicts_with_all = ["full", "runs"])]
    quick: bool,

    /// Five runs of each version, and their medians (build with --release)
    #[arg(long, conflicts_with = "runs")]
    full: bool,

    /// Runs of each version, 1 to 100; the median is reported [default: 1, or 5 with --full]
    #[arg(long, value_name = "N", allow_negative_numbers = true)]
    runs: Option<usize>,

    /// Only time the versions: one line per version on stdout, for the comparison script
    ///
    /// Each line reads `rust-plain median_s=5.123 accuracy=0.9712`: median_s is the median of
    /// --runs runs of the whole protocol (training, then train and test accuracy), accuracy the
    /// test accuracy. The versions, each adding one step to the one before: rust-plain (the
    /// backprop chapter's network), rust-skip-dx (no dx for the first layer), rust-no-alloc
    /// (buffers reused), rust-tiles (our own kernel for the two large products), rust-two-halves
    /// (half of every batch on each of two cores), rust-fastest (and the evaluation on every
    /// core)
    #[arg(long)]
    bench: bool,

    /// Only time the fast SimpleConvNet: --runs epochs of the convolutional chapter's 50,000
    /// training images, then its test accuracy, on one line for the comparison script
    ///
    /// The line reads `rust-fast-2c epoch_s=8.123 accuracy=0.9712`: epoch_s is the median of the
    /// epochs' seconds (training only), accuracy the test accuracy after the last epoch.
    #[arg(long, conflicts_with_all = ["bench", "full", "quick"])]
    bench_conv: bool,

    /// With --bench-conv: the cores the fast SimpleConvNet uses, 1 or 2
    #[arg(
        long,
        value_name = "N",
        default_value_t = 2,
        requires = "bench_conv",
        allow_negative_numbers = true
    )]
    cores: usize,

    /// Iterations of the protocol, 1 to 1,000,000 (Deep Learning from Scratch runs 10,000)
    #[arg(long, value_name = "N", default_value_t = DLFS_PROTOCOL.iterations, allow_negative_numbers = true)]
    iterations: usize,
}

fn main() -> ExitCode {
    chapter_cli::run(|| {
        let args = Args::parse();
        ensure!(args.iterations > 0, "--iterations must be at least 1");
        ensure!(
            args.iterations <= MAX_ITERATIONS,
            "--iterations must be at most {MAX_ITERATIONS}, got {}",
            args.iterations
        );
        let runs = args.runs.unwrap_or(if args.full { FULL_RUNS } else { 1 });
        ensure!(
            (1..=MAX_RUNS).contains(&runs),
            "--runs must be from 1 to {MAX_RUNS}, got {runs}"
        );
        let protocol = Protocol {
            iterations: args.iterations,
            ..DLFS_PROTOCOL
        };
        if args.bench {
            return bench(&protocol, runs, args.common.seed);
        }
        if args.bench_conv {
            ensure!(
                args.cores == 1 || args.cores == 2,
                "--cores must be 1 or 2, got {}",
                args.cores
            );
            return bench_conv(runs, args.cores, args.common.seed);
        }
        let out = args.common.out_dir(env!("CARGO_PKG_NAME"))?;
        let timed = timed_dir(&out)?;
        let mnist = mnist::load().context("loading MNIST")?;
        let data = MnistData::<f32>::new(&mnist);
        let work = count_the_work(&out, &protocol, &data)?;
        let peak = measure_peak(&timed)?;
        let plain = plain_version(&data, &protocol, runs, args.common.seed);
        race_kernels(&timed, &peak, &work)?;
        let skip_dx = skipping_dx(&data, &protocol, runs, args.common.seed, &plain, &work);
        let no_alloc = no_allocation(&data, &protocol, runs, args.common.seed, &plain);
        let tiles = own_kernel(&data, &protocol, runs, args.common.seed, &no_alloc);
        let halves = two_halves(&data, &protocol, runs, args.common.seed, &tiles);
        let fastest = parallel_evaluation(&data, &protocol, runs, args.common.seed, &halves);
        let timings = [plain, skip_dx, no_alloc, tiles, halves, fastest];
        every_step_measured(&timed, &timings, &work, &peak, runs)?;
        numerical_gradients(&timed, &mnist, args.common.seed)?;
        convolutional_network(&timed, &mnist, &peak, args.common.seed)
    })
}

/// "yes" or "no".
fn yes_no(b: bool) -> &'static str {
    if b { "yes" } else { "NO" }
}
