//! The chapter's experiments: random search and random hill-climbing of a 2-3-3 network on
//! vertical and spiral data, their logs, a summary and figures.

use std::path::Path;
use std::process::ExitCode;

use anyhow::{Result, ensure};
use ch06_optimization::plots::{draw_regions, draw_search_curves};
use ch06_optimization::{
    Improvement, Network, SCALE, SIZES, SearchLog, hill_climb, improving_fraction, random_search,
};
use chapter_cli::{Common, section};
use clap::Parser;
use ndarray::{Array1, Array2};

/// Points per class in each data set, as nnfs uses.
const SAMPLES: usize = 100;
/// Classes in each data set: one per output of the network.
const CLASSES: usize = SIZES[2];
/// Tries each search gets, as nnfs gives them, and the most `--iterations` accepts.
const ITERATIONS: usize = 10_000;
const MAX_ITERATIONS: usize = 1_000_000;
/// The largest `--scale`: wider draws make scores so large that nothing is learned from them.
const MAX_SCALE: f64 = 10.0;
/// How many improvements of a search's log to show at its start and at its end.
const LOG_HEAD: usize = 5;
const LOG_TAIL: usize = 5;
/// The iterations after which each search's lowest loss is reported (and after the last).
const CHECKPOINTS: [usize; 3] = [100, 1_000, 5_000];

/// How many random nudges of each size try the hill-climbed networks.
const NUDGE_TRIES: usize = 1_000;
/// The sizes of those nudges: the searches' own, and two smaller.
const NUDGE_SCALES: [f64; 3] = [SCALE, 0.01, 0.001];

/// The other scales random search tries on vertical data, besides `--scale`.
const OTHER_SCALES: [f64; 5] = [0.5, 1.0, 2.0, 5.0, 10.0];
/// How many other seeds hill climbing tries on spiral data, after `--seed`.
const OTHER_SEEDS: u64 = 5;
/// nnfs's own hill climb on spiral data, with NumPy's random numbers, as its chapter on
/// optimization prints it: the last improvement's iteration, loss and accuracy.
const NNFS_SPIRAL_CLIMB: (usize, f64, f64) = (5415, 1.0790575, 0.39);
/// How many times the subtraction test nudges the hill-climbed network.
const SUBTRACTED_NUDGES: usize = 1_000;

/// Introducing optimization: random search and random hill-climbing of a small network's weights.
#[derive(Parser)]
struct Args {
    #[command(flatten)]
    common: Common,

    /// Iterations of each search (1 to 1,000,000)
    #[arg(long, default_value_t = ITERATIONS, allow_negative_numbers = true)]
    iterations: usize,

    /// Scale of random search's draws and of hill-climbing's nudges (above 0, at most 10)
    #[arg(long, default_value_t = SCALE, allow_negative_numbers = true)]
    scale: f64,
}

/// The two data sets of the chapter.
#[derive(Clone, Copy, PartialEq)]
enum DataSet {
    Vertical,
    Spiral,
}

impl DataSet {
    fn name(self) -> &'static str {
        match self {
            DataSet::Vertical => "vertical",
            DataSet::Spiral => "spiral",
        }
    }

    /// The data set, drawn from `rng`: `(x, t)`, one sample per row of `x`.
    fn generate(self, rng: &mut impl seeded_rng::Rng) -> (Array2<f32>, Array1<usize>) {
        match self {
            DataSet::Vertical => toy_datasets::vertical_data(rng, SAMPLES, CLASSES),
            DataSet::Spiral => toy_datasets::spiral_data(rng, SAMPLES, CLASSES),
        }
    }
}

/// The two searches of the chapter.
#[derive(Clone, Copy, PartialEq)]
enum Method {
    RandomSearch,
    HillClimbing,
}

impl Method {
    fn name(self) -> &'static str {
        match self {
            Method::RandomSearch => "random search",
            Method::HillClimbing => "hill climbing",
        }
    }
}

/// One search on one data set, and the data it searched on.
struct Run {
    method: Method,
    data: DataSet,
    seed: u64,
    scale: f64,
    x: Array2<f32>,
    t: Array1<usize>,
    log: SearchLog<f32>,
}

fn main() -> ExitCode {
    chapter_cli::run(|| {
        let args = Args::parse();
        ensure!(
            (1..=MAX_ITERATIONS).contains(&args.iterations),
            "--iterations must be from 1 to {MAX_ITERATIONS}, got {}",
            args.iterations
        );
        ensure!(
            args.scale > 0.0 && args.scale <= MAX_SCALE,
            "--scale must be a number above 0 and at most {MAX_SCALE}, got {:?}",
            args.scale
        );
        let out = args.common.out_dir(env!("CARGO_PKG_NAME"))?;
        print_network(&args);
        let runs = all_searches(&args);
        print_run(&runs[0], &args);
        print_other_scales(&args, &runs[0]);
        print_subtracted_nudges(&args, &runs[1]);
        print_run(&runs[1], &args);
        print_run(&runs[2], &args);
        print_run(&runs[3], &args);
        print_other_seeds(&args, &runs[3]);
        print_predicted_classes(&runs[3]);
        print_summary(&runs, args.iterations);
        print_nudges(&args, &runs);
        draw_figures(&out, &runs)
    })
}

/// The network's shape, its parameter count, and the loss it starts from.
fn print_network(args: &Args) {
    let [inputs, hidden, classes] = SIZES;
    let mut rng = seeded_rng::rng(args.common.seed);
    let (x, t) = DataSet::Vertical.generate(&mut rng);
    let network = Network::<f32>::new(SIZES, &mut rng);
    section("The network");
    println!("Dense({inputs}, {hidden}) → ReLU → Dense({hidden}, {classes}) → softmax");
    println!(
        "parameters: {inputs}·{hidden} + {hidden} in dense1, {hidden}·{classes} + {classes} in \
         dense2: {} in all",
        network.parameters().count()
    );
    println!(
        "probability 1/{classes} for every class: loss ln {classes} = {:.4}",
        (classes as f64).ln()
    );
    let t = t.as_slice().expect("a fresh array is contiguous");
    println!(
        "a new network (weights 0.01·randn, biases 0) on vertical data: loss {:.4}, accuracy {:.4}",
        network.loss(&x, t),
        network.accuracy(&x, t)
    );
}

/// Both searches on both data sets, with `--seed` and `--scale`.
fn all_searches(args: &Args) -> Vec<Run> {
    let (seed, scale) = (args.common.seed, args.scale);
    searches(
        args.iterations,
        vec![
            (DataSet::Vertical, Method::RandomSearch, seed, scale),
            (DataSet::Vertical, Method::HillClimbing, seed, scale),
            (DataSet::Spiral, Method::RandomSearch, seed, scale),
            (DataSet::Spiral, Method::HillClimbing, seed, scale),
        ],
    )
}

/// Runs the searches of `plan`: each a data set, a method, a seed and a scale. The searches
/// are independent, each with its own generator, so they run side by side on threads; the
/// results are the same as one after another.
fn searches(iterations: usize, plan: Vec<(DataSet, Method, u64, f64)>) -> Vec<Run> {
    std::thread::scope(|scope| {
        let threads: Vec<_> = plan
            .into_iter()
            .map(|(data, method, seed, scale)| {
                scope.spawn(move || search(data, method, seed, scale, iterations))
            })
            .collect();
        threads
            .into_iter()
            .map(|thread| thread.join().expect("a search does not panic"))
            .collect()
    })
}

/// Runs one search on one data set, drawn with `seed`.
fn search(data: DataSet, method: Method, seed: u64, scale: f64, iterations: usize) -> Run {
    let mut rng = seeded_rng::rng(seed);
    let (x, t) = data.generate(&mut rng);
    let targets = t.as_slice().expect("a fresh array is contiguous");
    let started = std::time::Instant::now();
    let log = match method {
        Method::RandomSearch => random_search(&x, targets, SIZES, iterations, scale, &mut rng),
        Method::HillClimbing => {
            let start = Network::new(SIZES, &mut rng);
            hill_climb(start, &x, targets, iterations, scale, &mut rng)
        }
    };
    eprintln!(
        "{} on {} data, seed {seed}, scale {scale}: {:.2} s",
        method.name(),
        data.name(),
        started.elapsed().as_secs_f64()
    );
    Run {
        method,
        data,
        seed,
        scale,
        x,
        t,
        log,
    }
}

/// Random search on vertical data with wider draws than `--scale`.
fn print_other_scales(args: &Args, first: &Run) {
    let plan = OTHER_SCALES
        .into_iter()
        .filter(|&scale| scale != args.scale)
        .map(|scale| {
            (
                DataSet::Vertical,
                Method::RandomSearch,
                args.common.seed,
                scale,
            )
        })
        .collect();
    let others = searches(args.iterations, plan);
    section("Random search at other scales");
    println!(
        "vertical data, {} iterations, every parameter drawn anew from scale·N(0, 1)",
        args.iterations
    );
    println!(
        "{:>6} {:>8} {:>9} {:>16}",
        "scale", "loss", "accuracy", "largest |param|"
    );
    for run in std::iter::once(first).chain(&others) {
        println!(
            "{:>6} {:>8.4} {:>9.4} {:>16.2}",
            run.scale,
            run.log.lowest_loss,
            run.log.best_accuracy(),
            largest_parameter(&run.log.best)
        );
    }
}

/// The largest parameter of a network, in absolute value.
fn largest_parameter(network: &Network<f32>) -> f32 {
    network.parameters().fold(0.0, |m, p| m.max(p.abs()))
}

/// Nudges the hill-climbed network and takes each nudge away again by subtraction, counting
/// the parameters that do not come back exactly.
fn print_subtracted_nudges(args: &Args, run: &Run) {
    let mut rng = seeded_rng::rng(args.common.seed);
    let best = &run.log.best;
    let (mut changed, mut total, mut example) = (0, 0, None);
    for _ in 0..SUBTRACTED_NUDGES {
        let step = Network::<f32>::random(SIZES, args.scale, &mut rng);
        for (&w, &d) in best.parameters().zip(step.parameters()) {
            total += 1;
            if (w + d) - d != w {
                changed += 1;
                example.get_or_insert((w, d));
            }
        }
    }
    section("Subtracting a nudge");
    println!(
        "the hill-climbed {} network nudged {SUBTRACTED_NUDGES} times, each nudge subtracted again:",
        run.data.name()
    );
    println!("{changed} of {total} parameters did not come back exactly");
    if let Some((w, d)) = example {
        println!(
            "for example w = {w}, d = {d}: (w + d) − d = {}",
            (w + d) - d
        );
    }
}

/// The classes the hill-climbed spiral network gives the points it was trained on.
fn print_predicted_classes(run: &Run) {
    let predicted = run.log.best.predict(&run.x);
    section("Predicted classes");
    println!(
        "{} data, the hill-climbed network: of {} points (a third in each class)",
        run.data.name(),
        predicted.len()
    );
    for class in 0..CLASSES {
        let count = predicted.iter().filter(|&&k| k == class).count();
        println!("class {class}: {count} points predicted");
    }
}

/// Hill climbing on spiral data with other seeds (other data, other random numbers), next to
/// the climb nnfs prints.
fn print_other_seeds(args: &Args, first: &Run) {
    let plan = (1..=OTHER_SEEDS)
        .map(|k| {
            let seed = args.common.seed.wrapping_add(k);
            (DataSet::Spiral, Method::HillClimbing, seed, args.scale)
        })
        .collect();
    let others = searches(args.iterations, plan);
    section("Hill climbing on spiral data, other seeds");
    println!(
        "{} iterations, every parameter nudged by {}·N(0, 1); each seed draws its own data",
        args.iterations, args.scale
    );
    println!(
        "{:<6} {:>8} {:>9} {:>13} {:>17}",
        "seed", "loss", "accuracy", "improvements", "last improvement"
    );
    for run in std::iter::once(first).chain(&others) {
        println!(
            "{:<6} {:>8.4} {:>9.4} {:>13} {:>17}",
            run.seed,
            run.log.lowest_loss,
            run.log.best_accuracy(),
            run.log.improvements.len(),
            last_improvement(&run.log)
        );
    }
    let (iteration, loss, accuracy) = NNFS_SPIRAL_CLIMB;
    println!(
        "{:<6} {loss:>8.4} {accuracy:>9.4} {:>13} {iteration:>17}   (as printed in nnfs)",
        "nnfs", "-"
    );
}

/// The iteration of a search's last improvement, or "-" if it found none.
fn last_improvement(log: &SearchLog<f32>) -> String {
    log.last_improvement().map_or("-".into(), |i| i.to_string())
}

/// One search's abridged log, and its lowest loss at a few checkpoints.
fn print_run(run: &Run, args: &Args) {
    let (iterations, scale) = (args.iterations, args.scale);
    let title = format!("{} on {} data", run.method.name(), run.data.name());
    section(&capitalised(&title));
    let what = match run.method {
        Method::RandomSearch => format!("every parameter drawn anew from {scale}·N(0, 1)"),
        Method::HillClimbing => format!("every parameter nudged by {scale}·N(0, 1)"),
    };
    println!("{} samples, {iterations} iterations, {what}", run.x.nrows());
    print_improvements(&run.log.improvements);
    let mut checkpoints: Vec<usize> = CHECKPOINTS
        .into_iter()
        .filter(|&c| c < iterations)
        .collect();
    checkpoints.push(iterations);
    let losses: Vec<String> = checkpoints
        .iter()
        .map(|&c| format!("{c}: {:.4}", run.log.best_losses[c - 1]))
        .collect();
    println!("lowest loss after N iterations: {}", losses.join(", "));
}

/// The log of improvements, abridged to its first and last few lines.
fn print_improvements(improvements: &[Improvement]) {
    let line = |i: &Improvement| {
        println!(
            "New set of weights found, iteration {} loss {:.6} acc {:.4}",
            i.iteration, i.loss, i.accuracy
        );
    };
    if improvements.len() <= LOG_HEAD + LOG_TAIL + 1 {
        improvements.iter().for_each(line);
    } else {
        improvements[..LOG_HEAD].iter().for_each(line);
        let hidden = improvements.len() - LOG_HEAD - LOG_TAIL;
        println!("… {hidden} more …");
        improvements[improvements.len() - LOG_TAIL..]
            .iter()
            .for_each(line);
    }
    println!("{} improvements", improvements.len());
}

/// `text` with its first letter in upper case.
fn capitalised(text: &str) -> String {
    let mut chars = text.chars();
    match chars.next() {
        Some(first) => first.to_uppercase().chain(chars).collect(),
        None => String::new(),
    }
}

/// Each search's result in one table.
fn print_summary(runs: &[Run], iterations: usize) {
    section("Summary");
    println!(
        "{:<14} {:<9} {:>7} {:>9} {:>13} {:>8} {:>17} {:>16}",
        "method",
        "data",
        "loss",
        "accuracy",
        "improvements",
        "share",
        "last improvement",
        "largest |param|"
    );
    for run in runs {
        let log = &run.log;
        let improvements = log.improvements.len();
        let largest = largest_parameter(&log.best);
        println!(
            "{:<14} {:<9} {:>7.4} {:>9.4} {:>13} {:>7.2}% {:>17} {:>16.2}",
            run.method.name(),
            run.data.name(),
            log.lowest_loss,
            log.best_accuracy(),
            improvements,
            100.0 * improvements as f64 / iterations as f64,
            last_improvement(log),
            largest
        );
    }
}

/// How often a random nudge of each size lowers the loss of the hill-climbed networks.
fn print_nudges(args: &Args, runs: &[Run]) {
    section("Nudging the hill-climbed networks");
    println!("share of {NUDGE_TRIES} random nudges that lower the loss");
    let header: Vec<String> = NUDGE_SCALES
        .iter()
        .map(|s| format!("{:>13}", format!("nudge {s}")))
        .collect();
    println!("{:<9} {:>7} {}", "data", "loss", header.join(""));
    let mut rng = seeded_rng::rng(args.common.seed);
    for run in runs {
        if run.method != Method::HillClimbing {
            continue;
        }
        let t = run.t.as_slice().expect("a fresh array is contiguous");
        let cells: Vec<String> = NUDGE_SCALES
            .iter()
            .map(|&scale| {
                let fraction =
                    improving_fraction(&run.log.best, &run.x, t, scale, NUDGE_TRIES, &mut rng);
                format!("{:>12.1}%", 100.0 * fraction)
            })
            .collect();
        println!(
            "{:<9} {:>7.4} {}",
            run.data.name(),
            run.log.lowest_loss,
            cells.join("")
        );
    }
}

/// The lowest loss over the iterations for both searches on each data set, and the regions
/// the hill-climbed networks give each class.
// The closures are needed: a figure function named alone is fixed to one backend lifetime.
#[allow(clippy::redundant_closure)]
fn draw_figures(out: &Path, runs: &[Run]) -> Result<()> {
    for data in [DataSet::Vertical, DataSet::Spiral] {
        let of_data: Vec<&Run> = runs.iter().filter(|r| r.data == data).collect();
        let searches: Vec<(&str, &SearchLog<f32>)> =
            of_data.iter().map(|r| (r.method.name(), &r.log)).collect();
        let data_title = capitalised(data.name());
        figures::write_svg(
            out,
            &format!("{}_search.svg", data.name()),
            (640, 760),
            |area| draw_search_curves(area, &data_title, &searches),
        )?;
        let climbed = of_data
            .iter()
            .find(|r| r.method == Method::HillClimbing)
            .expect("every data set has a hill-climbing run");
        let title = format!("Hill climbing on {} data: the final network", data.name());
        figures::write_svg(
            out,
            &format!("{}_regions.svg", data.name()),
            (640, 560),
            |area| draw_regions(area, &title, &climbed.log.best, &climbed.x, &climbed.t),
        )?;
    }
    Ok(())
}
