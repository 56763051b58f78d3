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

/// Runs of each version with `--full`, and the most `--runs` accepts.
const FULL_RUNS: usize = 5;
const MAX_RUNS: usize = 100;
/// The most iterations `--iterations` accepts: a hundred times the protocol's.
const MAX_ITERATIONS: usize = 1_000_000;
/// The 10 classes of MNIST.
const CLASSES: usize = 10;
/// The peak is the best of many short windows of the multiply-add loop (a window is
/// `PEAK_ROUNDS` rounds, with AVX-512 under a millisecond), on each core.
const PEAK_ROUNDS: u64 = 50_000;
const PEAK_WINDOWS: usize = 500;
/// A kernel's time is the best of `KERNEL_WINDOWS` windows of at least `KERNEL_SECONDS`.
const KERNEL_SECONDS: f64 = 0.005;
const KERNEL_WINDOWS: usize = 30;
/// Round trips of a message between two threads, timed to see what waking a thread costs.
const ROUND_TRIPS: usize = 10_000;
/// The convolutional network's section: batches timed by default, and the chapter's split.
const CONV_BATCHES: usize = 150;
const CONV_BATCH: usize = 100;
const CONV_LEARNING_RATE: f32 = 0.001;
const VALIDATION: usize = 10_000;
/// Batches timed for the profile of the fast network's steps.
const PROFILE_BATCHES: usize = 40;
/// The small case of the numerical gradients: hidden units, and training images.
const NUMERICAL_HIDDEN: usize = 10;
const NUMERICAL_IMAGES: usize = 10;

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
    #[arg(long, value_name = "N", default_value_t = 2, requires = "bench_conv")]
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

/// The protocol's sizes, and the work of a run of it.
fn protocol_work(protocol: &Protocol, data: &MnistData<f32>) -> Work {
    Work {
        inputs: data.x_train.ncols(),
        hidden: protocol.hidden,
        classes: CLASSES,
        batch: protocol.batch_size,
        iterations: protocol.iterations,
        evaluated: data.x_train.nrows() + data.x_test.nrows(),
    }
}

/// The FLOPs of every product of a training step, and of the whole protocol; a figure.
fn count_the_work(out: &Path, protocol: &Protocol, data: &MnistData<f32>) -> Result<Work> {
    section("Counting the work");
    let work = protocol_work(protocol, data);
    println!(
        "{}-{}-{}, batch {}, {} steps, then {} images evaluated (f32)",
        work.inputs,
        work.hidden,
        work.classes,
        work.batch,
        thousands(work.iterations),
        thousands(work.evaluated)
    );
    println!(
        "{:<24} {:>15} {:>12}",
        "product of a step", "shape", "FLOPs"
    );
    for p in work.step() {
        let shape = format!("{}×{}·{}×{}", p.m, p.k, p.k, p.n);
        let note = if p.skippable { "  (not needed)" } else { "" };
        println!(
            "{:<24} {shape:>15} {:>12}{note}",
            p.name,
            thousands(p.flops() as usize)
        );
    }
    println!(
        "a step: {} FLOPs with dx, {} without",
        thousands(work.step_flops(true) as usize),
        thousands(work.step_flops(false) as usize)
    );
    println!(
        "the protocol: {} steps × {} + evaluation {} = {:.3e} FLOPs",
        thousands(work.iterations),
        thousands(work.step_flops(false) as usize),
        thousands(work.evaluation_flops() as usize),
        work.run_flops() as f64
    );
    let bars = work
        .step()
        .iter()
        .map(|p| Bar {
            label: p.name.to_string(),
            value: p.flops() as f64 / 1e6,
            note: format!(
                "{:.2} M{}",
                p.flops() as f64 / 1e6,
                if p.skippable { ", not needed" } else { "" }
            ),
            color: usize::from(p.skippable),
        })
        .collect();
    let chart = Bars {
        title: "The work of one training step".into(),
        x_label: "millions of FLOPs".into(),
        bars,
        reference: None,
    };
    figures::write_svg(out, "work.svg", (760, 420), |area| draw_bars(area, &chart))?;
    Ok(work)
}

/// Measures the peak with the multiply-add loop; timings only.
fn measure_peak(timed: &Path) -> Result<Peak> {
    let peak = Peak::measure(PEAK_ROUNDS, PEAK_WINDOWS);
    let text = format!(
        "measured on {}\n\
         peak, {} fused multiply-adds: {:.1} GFLOP/s on one core, {:.1} GFLOP/s on {} cores\n",
        machine_label(peak.simd.name()),
        peak.simd.name(),
        peak.one_core / 1e9,
        peak.all_cores / 1e9,
        peak.cores
    );
    write_timed(timed, "peak.txt", &text)?;
    Ok(peak)
}

/// The protocol's largest product, `x·W1` of a batch, by each kernel: that they agree on stdout,
/// how fast each is in `timed/`.
fn race_kernels(timed: &Path, peak: &Peak, work: &Work) -> Result<()> {
    section("Ways to multiply");
    let (m, k, n) = (work.batch, work.inputs, work.hidden);
    let mut rng = seeded_rng::rng(0);
    let a = seeded_rng::randn::<f32>(&mut rng, (m, k));
    let b = seeded_rng::randn::<f32>(&mut rng, (k, n));
    let mut reference = Array2::zeros((m, n));
    Kernel::Matrixmultiply.run(&a, &b, &mut reference);
    let flops = 2.0 * (m * k * n) as f64;
    let mut rows = Vec::new();
    let mut bars = Vec::new();
    let mut agree = true;
    for kernel in Kernel::available() {
        let mut c = Array2::zeros((m, n));
        kernel.run(&a, &b, &mut c);
        let diff = (&c - &reference).fold(0.0f32, |d, v| d.max(v.abs()));
        agree &= diff < 1e-3;
        let seconds = seconds_per_call(
            || kernel.run(&a, &b, &mut c),
            KERNEL_SECONDS,
            KERNEL_WINDOWS,
        );
        let rate = flops / seconds;
        rows.push(format!(
            "{:<22} {:>10.1} {:>10.1} {:>13.0}%",
            kernel.name(),
            seconds * 1e6,
            rate / 1e9,
            100.0 * rate / peak.one_core
        ));
        bars.push(Bar {
            label: kernel.name().to_string(),
            value: rate / 1e9,
            note: format!("{:.1}", rate / 1e9),
            color: bars.len(),
        });
    }
    println!(
        "the product x·W1 of a step: ({m}×{k})·({k}×{n}), {} FLOPs",
        thousands(flops as usize)
    );
    println!(
        "every kernel's product equals matrixmultiply's to within 1e-3: {}",
        yes_no(agree)
    );
    let text = format!(
        "measured on {}; one core\n{:<22} {:>10} {:>10} {:>14}\n{}\n{}",
        machine_label(peak.simd.name()),
        "kernel",
        "µs",
        "GFLOP/s",
        "of one core",
        rows.join("\n"),
        products_ceiling(work, peak, KERNEL_SECONDS, KERNEL_WINDOWS)
    );
    write_timed(timed, "kernels.txt", &text)?;
    let chart = Bars {
        title: format!("x·W1, ({m}×{k})·({k}×{n}), on one core"),
        x_label: "GFLOP/s".into(),
        bars,
        reference: Some((peak.one_core / 1e9, "the core's peak".into())),
    };
    draw_timed(timed, "kernels.svg", (760, 420), |area| {
        draw_bars(area, &chart)
    })
}

/// "yes" or "no".
fn yes_no(b: bool) -> &'static str {
    if b { "yes" } else { "NO" }
}

/// The accuracies of a run, on one line.
fn print_accuracy(run: &Run) {
    println!(
        "train accuracy {:.4}, test accuracy {:.4}",
        run.train_accuracy, run.test_accuracy
    );
}

/// The backprop chapter's network and training loop, as they are.
fn plain_version(data: &MnistData<f32>, protocol: &Protocol, runs: usize, seed: u64) -> Timing {
    section("The plain version");
    let plain = Timing::measure(Version::Plain, data, protocol, runs, seed);
    println!(
        "784-{}-10 ReLU, SGD lr {}, batch {}, {} steps, then train and test accuracy (f32)",
        protocol.hidden,
        protocol.learning_rate,
        protocol.batch_size,
        thousands(protocol.iterations)
    );
    print_accuracy(&plain.run);
    plain
}

/// The network as one type, without the first layer's `dx`.
fn skipping_dx(
    data: &MnistData<f32>,
    protocol: &Protocol,
    runs: usize,
    seed: u64,
    plain: &Timing,
    work: &Work,
) -> Timing {
    section("Skipping dx");
    let lean = Timing::measure(Version::SkipDx, data, protocol, runs, seed);
    println!(
        "FLOPs of a step: {} with dx, {} without ({:.0}% of the step)",
        thousands(work.step_flops(true) as usize),
        thousands(work.step_flops(false) as usize),
        100.0 * work.step_flops(false) as f64 / work.step_flops(true) as f64
    );
    println!(
        "weights against the plain version's: {}",
        lean.run.compare_weights(&plain.run)
    );
    print_accuracy(&lean.run);
    lean
}

/// Every matrix of a step in a buffer made once.
fn no_allocation(
    data: &MnistData<f32>,
    protocol: &Protocol,
    runs: usize,
    seed: u64,
    plain: &Timing,
) -> Timing {
    section("No allocation in the loop");
    let buffered = Timing::measure(Version::NoAlloc, data, protocol, runs, seed);
    println!(
        "weights against the plain version's: {}",
        buffered.run.compare_weights(&plain.run)
    );
    print_accuracy(&buffered.run);
    buffered
}

/// The step's two large products by our own tile kernel.
fn own_kernel(
    data: &MnistData<f32>,
    protocol: &Protocol,
    runs: usize,
    seed: u64,
    buffered: &Timing,
) -> Timing {
    section("Our own kernel");
    let tiles = Timing::measure(Version::Tiles, data, protocol, runs, seed);
    println!(
        "weights against the no-allocation version's: {}",
        tiles.run.compare_weights(&buffered.run)
    );
    print_accuracy(&tiles.run);
    tiles
}

/// Two copies of the network, half of every batch each, on two cores, against whole batches.
fn two_halves(
    data: &MnistData<f32>,
    protocol: &Protocol,
    runs: usize,
    seed: u64,
    whole: &Timing,
) -> Timing {
    section("Two halves on two cores");
    let halves = Timing::measure(Version::TwoHalves, data, protocol, runs, seed);
    println!("the two copies: checked identical, bit for bit, after every run");
    println!(
        "weights against whole batches' (with the same kernel): {}",
        halves.run.compare_weights(&whole.run)
    );
    print_accuracy(&halves.run);
    halves
}

/// The final evaluation's products split over every core.
fn parallel_evaluation(
    data: &MnistData<f32>,
    protocol: &Protocol,
    runs: usize,
    seed: u64,
    halves: &Timing,
) -> Timing {
    section("Evaluation on every core");
    let fastest = Timing::measure(Version::Fastest, data, protocol, runs, seed);
    let same = fastest.run.train_accuracy == halves.run.train_accuracy
        && fastest.run.test_accuracy == halves.run.test_accuracy
        && fastest.run.params == halves.run.params;
    println!(
        "the same network and accuracies as evaluated on one core: {}",
        yes_no(same)
    );
    print_accuracy(&fastest.run);
    fastest
}

/// Every version's median time and fraction of the peak, in `timed/`, with a figure.
fn every_step_measured(
    timed: &Path,
    timings: &[Timing],
    work: &Work,
    peak: &Peak,
    runs: usize,
) -> Result<()> {
    let flops = work.run_flops() as f64;
    let plain = timings[0].median();
    let mut lines = Vec::new();
    let mut bars = Vec::new();
    for (i, t) in timings.iter().enumerate() {
        let seconds = t.median();
        let of_peak = 100.0 * flops / seconds / peak.all_cores;
        lines.push(format!(
            "{:<16} {:<32} {:>8.3} {:>8.1}× {:>7.1}%",
            t.version.name(),
            t.version.change(),
            seconds,
            plain / seconds,
            of_peak
        ));
        bars.push(Bar {
            label: t.version.name().to_string(),
            value: seconds,
            note: format!("{seconds:.2} s, {of_peak:.0}% of peak"),
            color: i,
        });
    }
    let at_peak = flops / peak.all_cores;
    let sleeping = round_trip_seconds(false, ROUND_TRIPS);
    let polling = round_trip_seconds(true, ROUND_TRIPS);
    let text = format!(
        "measured on {}; {} of {} runs\n\
         {:<16} {:<32} {:>8} {:>9} {:>8}\n{}\n\
         the protocol's {:.3e} FLOPs at the {}-core peak ({:.1} GFLOP/s) would take {:.3} s\n\
         a message to another thread and back: {:.1} µs waiting with recv, {:.1} µs polling\n",
        machine_label(peak.simd.name()),
        if runs == 1 { "one" } else { "median" },
        runs,
        "version",
        "change",
        "seconds",
        "speed-up",
        "of peak",
        lines.join("\n"),
        flops,
        peak.cores,
        peak.all_cores / 1e9,
        at_peak,
        sleeping * 1e6,
        polling * 1e6
    );
    write_timed(timed, "steps.txt", &text)?;
    let chart = Bars {
        title: "The MNIST protocol, version by version".into(),
        x_label: "seconds".into(),
        bars,
        reference: Some((at_peak, "at the peak of every core".into())),
    };
    draw_timed(timed, "steps.svg", (760, 420), |area| {
        draw_bars(area, &chart)
    })
}

/// The gradients chapter's numerical gradient on a small network, four ways: plain, on every
/// core, incremental, and both.
fn numerical_gradients(timed: &Path, mnist: &mnist::Mnist, seed: u64) -> Result<()> {
    section("Numerical gradients, made fast");
    let split = mnist.train.first(NUMERICAL_IMAGES);
    let x: Array2<f64> = split.images_normalised();
    let t: Vec<usize> = split.labels.iter().map(|&l| usize::from(l)).collect();
    let mut net = TwoLayerNet::<f64>::new(
        x.ncols(),
        NUMERICAL_HIDDEN,
        CLASSES,
        &mut seeded_rng::rng(seed),
    );
    let parameters = net.parameter_count();
    println!(
        "the gradients chapter's network {}-{NUMERICAL_HIDDEN}-{CLASSES} (sigmoid), {} parameters, \
         the first {NUMERICAL_IMAGES} training images (f64)",
        x.ncols(),
        thousands(parameters)
    );
    let started = Instant::now();
    let plain = net.numerical_gradient(&x, &t);
    let plain_seconds = started.elapsed().as_secs_f64();
    let started = Instant::now();
    let parallel = par_two_layer_gradient(&net, &x, &t);
    let parallel_seconds = started.elapsed().as_secs_f64();
    let started = Instant::now();
    let incremental = incremental_numerical_gradient(&net, &x, &t);
    let incremental_seconds = started.elapsed().as_secs_f64();
    let started = Instant::now();
    let both = par_incremental_numerical_gradient(&net, &x, &t);
    let both_seconds = started.elapsed().as_secs_f64();

    let nonzero = x.iter().filter(|&&v| v != 0.0).count() as f64 / x.len() as f64;
    println!("pixels that are not 0: {:.1}%", 100.0 * nonzero);
    println!(
        "on every core:        {}",
        if parallel == plain {
            "identical to the plain gradient, bit for bit".to_string()
        } else {
            "DIFFERENT".to_string()
        }
    );
    println!(
        "incremental:          largest |difference| from the plain gradient {:.1e}",
        incremental.max_abs_diff(&plain)
    );
    println!(
        "incremental, parallel: {}",
        if both == incremental {
            "identical to the incremental gradient, bit for bit"
        } else {
            "DIFFERENT"
        }
    );
    let row = |name: &str, seconds: f64| {
        format!(
            "{name:<24} {seconds:>9.4} {:>9.1}×",
            plain_seconds / seconds
        )
    };
    let text = format!(
        "measured on {}\nnumerical gradient of {} parameters ({} loss evaluations), {} images\n\
         {:<24} {:>9} {:>10}\n{}\n{}\n{}\n{}\n",
        machine_label(Simd::detect().name()),
        thousands(parameters),
        thousands(2 * parameters),
        x.len_of(Axis(0)),
        "method",
        "seconds",
        "speed-up",
        row("plain (one core)", plain_seconds),
        row("plain, every core", parallel_seconds),
        row("incremental (one core)", incremental_seconds),
        row("incremental, every core", both_seconds),
    );
    write_timed(timed, "numerical.txt", &text)
}

/// `--bench`: the protocol by every version, `runs` times each; one line per version on stdout.
fn bench(protocol: &Protocol, runs: usize, seed: u64) -> Result<()> {
    let mnist = mnist::load().context("loading MNIST for the benchmark")?;
    let data = MnistData::<f32>::new(&mnist);
    eprintln!(
        "{}; medians of {runs} runs",
        machine_label(Simd::detect().name())
    );
    for version in Version::ALL {
        let timing = Timing::measure(version, &data, protocol, runs, seed);
        println!(
            "{} median_s={:.3} accuracy={:.4}",
            version.name(),
            timing.median(),
            timing.run.test_accuracy
        );
    }
    Ok(())
}

/// The seconds of every batch of a training run, from the moments the convolutional chapter's
/// `train_epoch` reports each batch done.
struct BatchClock {
    last: Instant,
    seconds: Vec<f64>,
}

impl Watcher for BatchClock {
    fn batch_done(&mut self, _loss: f64) {
        let now = Instant::now();
        self.seconds.push((now - self.last).as_secs_f64());
        self.last = now;
    }
}

/// The median of some numbers (the upper one of the two middle ones, for an even count).
///
/// # Panics
/// If there are none.
fn median(mut values: Vec<f64>) -> f64 {
    values.sort_by(f64::total_cmp);
    values[values.len() / 2]
}

/// MNIST cut as the convolutional chapter cuts it: 50,000 images to train on, 10,000 held out.
fn conv_sets(mnist: &mnist::Mnist) -> Sets<f32> {
    split_validation(&MnistData::<f32>::new(mnist), VALIDATION)
}

/// The FLOPs of one training step of SimpleConvNet without the first layer's `dx`: its four
/// large products (conv forward, affine forward, dW1, dpooled), the filters' gradient from
/// every pooled entry, and the small second layer's three.
fn conv_step_flops(batch: usize) -> f64 {
    let patches = batch * CONV_SIDE * CONV_SIDE;
    let large = 2 * patches * PATCH * FILTERS + 3 * 2 * batch * POOLED * HIDDEN;
    let filters = 2 * batch * POOLED * PATCH;
    let small = 3 * 2 * batch * HIDDEN * CONV_CLASSES;
    (large + filters + small) as f64
}

/// The convolutional chapter's SimpleConvNet made fast: the same gradient, then a few hundred
/// batches by the plain network, the fast one on one core and on two, from the same weights on
/// the same batches; timings and the fast step's profile in `timed/`.
fn convolutional_network(timed: &Path, mnist: &mnist::Mnist, peak: &Peak, seed: u64) -> Result<()> {
    section("A convolutional network");
    let sets = conv_sets(mnist);
    let mut rng = seeded_rng::rng(seed);
    let mut plain = conv_net::<f32>(&SIMPLE_CONV_NET, (1, 28, 28), Init::Std(0.01), &mut rng);
    let params = ConvParams::from_plain(&mut plain);

    // The same gradient, on the first batch of the training images.
    let rows: Vec<usize> = (0..CONV_BATCH).collect();
    let x = sets.train.x.slice(ndarray::s![..CONV_BATCH, ..]).to_owned();
    let plain_loss = plain.gradient(&x, &sets.train.t[..CONV_BATCH]);
    let plain_grads: Vec<_> = plain
        .params_and_grads()
        .into_iter()
        .map(|(_, g)| g.to_owned())
        .collect();
    let (mut grads, mut buf) = (ConvParams::zeros(), ConvBuffers::new(CONV_BATCH));
    buf.gather(&sets.train.x, &sets.train.t, &rows);
    let fast_loss = gradient_in(&params, &mut grads, &mut buf, &mut |_| {});
    let count: usize = plain_grads.iter().map(|g| g.len()).sum();
    println!(
        "SimpleConvNet ({} parameters), the same weights (0.01·randn), the first batch of 100 training images:",
        thousands(count)
    );
    println!("loss: plain {plain_loss:.5}, fast {fast_loss:.5}");
    let difference = relative_difference(&plain_grads, &grads.to_plain_arrays());
    println!(
        "the largest difference between the two networks' gradients, relative to the plain one's largest entry: {difference:.1e} (under 1e-4: {})",
        yes_no(difference < 1e-4)
    );

    // A few hundred batches by each, from the same weights on the same batches.
    let train = sets.train.first(CONV_BATCHES * CONV_BATCH);
    let batch_rng = rng.clone();
    let mut adam = Adam::new(CONV_LEARNING_RATE);
    let lr = |_: usize, _: usize| f64::from(CONV_LEARNING_RATE);
    let mut clock = BatchClock {
        last: Instant::now(),
        seconds: Vec::new(),
    };
    let losses = train_epoch(
        &mut plain,
        &train,
        &mut adam,
        (CONV_BATCH, &lr),
        &mut batch_rng.clone(),
        &mut clock,
    );
    let plain_seconds = clock.seconds;
    let plain_loss = losses.iter().sum::<f64>() / losses.len() as f64;
    let plain_accuracy = ch12_convolution::accuracy(&mut plain, &sets.test);
    println!(
        "{} batches of {} (Adam {}), then the 10,000 test images:",
        CONV_BATCHES, CONV_BATCH, CONV_LEARNING_RATE
    );
    println!(
        "{:<22} {:>10} {:>14}",
        "network", "mean loss", "test accuracy"
    );
    println!(
        "{:<22} {plain_loss:>10.4} {plain_accuracy:>14.4}",
        "plain (ch12)"
    );
    let mut seconds = Vec::new();
    for cores in [1, 2] {
        let mut fast = FastConvNet::new(params.clone(), CONV_BATCH, cores, CONV_LEARNING_RATE);
        let order = permutation(train.t.len(), &mut batch_rng.clone()); // as train_epoch draws it
        let (mut losses, mut times) = (Vec::new(), Vec::new());
        for rows in order.chunks_exact(CONV_BATCH) {
            let started = Instant::now();
            losses.push(fast.step(&train.x, &train.t, rows));
            times.push(started.elapsed().as_secs_f64());
        }
        seconds.push(times);
        let loss = losses.iter().map(|&l| f64::from(l)).sum::<f64>() / losses.len() as f64;
        let label = format!("fast, {cores} core{}", if cores == 1 { "" } else { "s" });
        println!(
            "{label:<22} {loss:>10.4} {:>14.4}",
            fast.accuracy(&sets.test)
        );
    }
    write_timed(
        timed,
        "conv.txt",
        &conv_timings(peak, &plain_seconds, &seconds, &params),
    )
}

/// The timings of the convolutional section: a batch by each network, and the fast step's
/// profile, for a whole batch (one core) and a half (each of two cores).
fn conv_timings(peak: &Peak, plain: &[f64], fast: &[Vec<f64>], params: &ConvParams) -> String {
    let ms = |s: f64| 1e3 * s;
    let flops = conv_step_flops(CONV_BATCH);
    let mut text = format!(
        "measured on {}; {} batches of {}, each timed: their median, fastest and slowest\n{:<22} {:>10} {:>9} {:>10} {:>9} {:>9}\n",
        machine_label(peak.simd.name()),
        CONV_BATCHES,
        CONV_BATCH,
        "network",
        "ms/batch",
        "speed-up",
        "of peak",
        "fastest",
        "slowest"
    );
    let plain_median = median(plain.to_vec());
    let rows = [
        ("plain (ch12)", plain, 1),
        ("fast, 1 core", &fast[0][..], 1),
        ("fast, 2 cores", &fast[1][..], 2),
    ];
    for (name, times, cores) in rows {
        let of_peak = if cores == 1 {
            peak.one_core
        } else {
            peak.all_cores
        };
        let seconds = median(times.to_vec());
        let fastest = times.iter().copied().fold(f64::INFINITY, f64::min);
        let slowest = times.iter().copied().fold(0.0, f64::max);
        text += &format!(
            "{name:<22} {:>10.2} {:>8.1}× {:>9.1}% {:>9.2} {:>9.2}\n",
            ms(seconds),
            plain_median / seconds,
            100.0 * flops / seconds / of_peak,
            ms(fastest),
            ms(slowest)
        );
    }
    text += "(of peak: one core's for one core, both cores' for two)\n";
    let n = CONV_BATCH;
    let product = (2 * n * POOLED * HIDDEN) as f64;
    let filters = (2 * n * POOLED * PATCH) as f64;
    text += &format!(
        "a step's {:.0} MFLOPs (no first-layer dx): four products of {:.1} (conv, affine forward, dW1, dpooled),\n\
         the filters' gradient at pooling's winners {:.1}, the second layer's three products {:.1};\n\
         at one core's peak: {:.2} ms\n",
        flops / 1e6,
        product / 1e6,
        filters / 1e6,
        (flops - 4.0 * product - filters) / 1e6,
        1e3 * flops / peak.one_core
    );
    text += &format!(
        "\nthe fast step, step by step (ms, each step's best of {PROFILE_BATCHES} batches; \
         of peak: the step's products' FLOPs, as computed, at one core's peak)\n"
    );
    let whole = profile(params, CONV_BATCH, false);
    let half = profile(params, CONV_BATCH / 2, true);
    text += &format!(
        "{:<30} {:>10} {:>8} {:>10} {:>8}\n",
        "step", "batch 100", "of peak", "half (50)", "of peak"
    );
    for ((name, w), (_, h)) in whole.iter().zip(&half) {
        let share = |n: usize, s: f64| match step_flops(name, n) {
            Some(f) => format!("{:.0}%", 100.0 * f / s / peak.one_core),
            None => String::new(),
        };
        text += &format!(
            "{name:<30} {:>10.3} {:>8} {:>10.3} {:>8}\n",
            ms(*w),
            share(CONV_BATCH, *w),
            ms(*h),
            share(CONV_BATCH / 2, *h)
        );
    }
    text += "(half (50): one core's share of a two-core step: the gradient of 50 images, then the two\n\
             halves' gradients added up and Adam's update on half of every parameter's numbers)\n";
    let (alone, together) = (halves_at_once(params, false), halves_at_once(params, true));
    text += &format!(
        "the gradient of half a batch, timed whole (best of {PROFILE_BATCHES}; no Adam): {:.3} ms alone, {:.3} ms while the other core does the other half\n",
        1e3 * alone,
        1e3 * together
    );
    text
}

/// The FLOPs of the matrix products of the fast step's `step` for `n` images, as the kernels
/// compute them (the filters' gradient with every zero of `dconv`); `None` for a step without
/// a product.
fn step_flops(step: &str, n: usize) -> Option<f64> {
    let conv = 2 * n * CONV_SIDE * CONV_SIDE * PATCH * FILTERS;
    let affine1 = 2 * n * POOLED * HIDDEN;
    let affine2 = 2 * n * HIDDEN * CONV_CLASSES;
    let flops = match step {
        "conv = col·Wc" | "unpool, dWc = colᵀ·dconv" => conv,
        "affine forward" => affine1 + affine2,
        "softmax, affine 2 backward" => 2 * affine2,
        "dW1 = pooledᵀ·dh" | "dpooled = dh·W1ᵀ" => affine1,
        _ => return None,
    };
    Some(flops as f64)
}

/// The best time of the gradient of half a batch, on one core alone, or while a second
/// thread computes the other half's at the same time (`together`): what the two cores get in
/// each other's way, through the memory and caches they share, or through other programs.
fn halves_at_once(params: &ConvParams, together: bool) -> f64 {
    let n = CONV_BATCH / 2;
    let mut rng = seeded_rng::rng(10);
    let x = seeded_rng::randn::<f32>(&mut rng, (n, 784)).mapv(f32::abs);
    let t: Vec<usize> = (0..n).map(|i| i % CONV_CLASSES).collect();
    let mut parts = [0, 1].map(|_| (ConvParams::zeros(), ConvBuffers::new(n)));
    for (_, buf) in &mut parts {
        buf.gather(&x, &t, &(0..n).collect::<Vec<_>>());
    }
    let [(g1, buf1), (g2, buf2)] = &mut parts;
    let mut best = f64::INFINITY;
    for _ in 0..PROFILE_BATCHES {
        let started = Instant::now();
        std::thread::scope(|scope| {
            if together {
                scope.spawn(|| gradient_in(params, g2, buf2, &mut |_| {}));
            }
            gradient_in(params, g1, buf1, &mut |_| {});
            best = best.min(started.elapsed().as_secs_f64());
        });
    }
    best
}

/// The best time of each step of the fast network's training step, for batches of `n`:
/// `gradient_in`'s laps, then Adam's update (on every number of every parameter, or, for
/// `half`, the two halves' gradients added up and Adam on half of every parameter, as each core
/// does in a two-core step); the sum of those best times; and the best batch, timed whole.
fn profile(params: &ConvParams, n: usize, half: bool) -> Vec<(&'static str, f64)> {
    let mut rng = seeded_rng::rng(9);
    let x = seeded_rng::randn::<f32>(&mut rng, (n, 784)).mapv(f32::abs);
    let t: Vec<usize> = (0..n).map(|i| i % CONV_CLASSES).collect();
    let (mut p, mut g, mut buf) = (params.clone(), ConvParams::zeros(), ConvBuffers::new(n));
    buf.gather(&x, &t, &(0..n).collect::<Vec<_>>());
    let mut adam = Adam::new(CONV_LEARNING_RATE);
    let (mut sum, mut whole) = (ConvParams::zeros(), f64::INFINITY);
    let mut best: Vec<(&'static str, f64)> = Vec::new();
    for _ in 0..PROFILE_BATCHES {
        let mut laps = Vec::new();
        let mut last = Instant::now();
        gradient_in(&p, &mut g, &mut buf, &mut |name| {
            let seconds = last.elapsed().as_secs_f64();
            match laps.iter_mut().find(|(n, _)| *n == name) {
                Some((_, sum)) => *sum += seconds, // a step run once per image
                None => laps.push((name, seconds)),
            }
            last = Instant::now();
        });
        let started = Instant::now();
        if half {
            let [first, _] = halves(&mut p, &mut sum, (&g, &g));
            sum_and_update(&mut adam, first, (0.5, 0.5));
        } else {
            adam.update(ch14_speed::conv::params_and_grads(&mut p, &g));
        }
        laps.push(("Adam's update", started.elapsed().as_secs_f64()));
        whole = whole.min(laps.iter().map(|(_, s)| s).sum());
        if best.is_empty() {
            best = laps;
        } else {
            for (b, (_, s)) in best.iter_mut().zip(laps) {
                b.1 = b.1.min(s);
            }
        }
    }
    let total = best.iter().map(|(_, s)| s).sum();
    best.push(("the steps' best times, added", total));
    best.push(("the best batch, timed whole", whole));
    best
}

/// `--bench-conv`: `runs` epochs of the fast SimpleConvNet on `cores` cores, from the
/// convolutional chapter's weights and batches; one line on stdout.
fn bench_conv(runs: usize, cores: usize, seed: u64) -> Result<()> {
    let mnist = mnist::load().context("loading MNIST for the benchmark")?;
    let sets = conv_sets(&mnist);
    let mut rng = seeded_rng::rng(seed);
    let mut plain = conv_net::<f32>(&SIMPLE_CONV_NET, (1, 28, 28), Init::Std(0.01), &mut rng);
    let mut fast = FastConvNet::new(
        ConvParams::from_plain(&mut plain),
        CONV_BATCH,
        cores,
        CONV_LEARNING_RATE,
    );
    let mut seconds = Vec::new();
    for run in 1..=runs {
        let started = Instant::now();
        fast.train_epoch(&sets.train, &mut rng);
        seconds.push(started.elapsed().as_secs_f64());
        eprintln!("epoch {run}: {:.2} s", seconds[run - 1]);
    }
    seconds.sort_by(f64::total_cmp);
    println!(
        "rust-fast-{cores}c epoch_s={:.3} accuracy={:.4}",
        seconds[runs / 2],
        fast.accuracy(&sets.test)
    );
    Ok(())
}
