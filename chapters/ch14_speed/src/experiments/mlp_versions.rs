//! The MNIST network's versions, step by step: plain, skipping dx, no allocation, our own kernel,
//! two halves on two cores, evaluation on every core; every step measured; and `--bench`.

use crate::*;

/// Round trips of a message between two threads, timed to see what waking a thread costs.
const ROUND_TRIPS: usize = 10_000;

/// The accuracies of a run, on one line.
fn print_accuracy(run: &Run) {
    println!(
        "train accuracy {:.4}, test accuracy {:.4}",
        run.train_accuracy, run.test_accuracy
    );
}

/// The backprop chapter's network and training loop, as they are.
pub fn plain_version(data: &MnistData<f32>, protocol: &Protocol, runs: usize, seed: u64) -> Timing {
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
pub fn skipping_dx(
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
pub fn no_allocation(
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
pub fn own_kernel(
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
pub fn two_halves(
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
pub fn parallel_evaluation(
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
pub fn every_step_measured(
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

/// `--bench`: the protocol by every version, `runs` times each; one line per version on stdout.
pub fn bench(protocol: &Protocol, runs: usize, seed: u64) -> Result<()> {
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
