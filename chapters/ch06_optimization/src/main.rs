//! The chapter's experiments: random search and random hill-climbing of a 2-3-3 network on
//! vertical and spiral data, their logs, a summary and figures.

use std::path::Path;
use std::process::ExitCode;

use anyhow::{ensure, Result};
use ch06_optimization::plots::{draw_regions, draw_search_curves};
use ch06_optimization::{
    hill_climb, improving_fraction, random_search, Improvement, Network, SearchLog, SCALE, SIZES,
};
use chapter_cli::{section, Common};
use clap::Parser;
use ndarray::{Array1, Array2};

/// Points per class in each data set, as nnfs uses.
const SAMPLES: usize = 100;
/// Classes in each data set: one per output of the network.
const CLASSES: usize = SIZES[2];
/// Tries each search gets, as nnfs gives them.
const ITERATIONS: usize = 10_000;
/// How many improvements of a search's log to show at its start and at its end.
const LOG_HEAD: usize = 5;
const LOG_TAIL: usize = 5;
/// The iterations after which each search's lowest loss is reported (and after the last).
const CHECKPOINTS: [usize; 3] = [100, 1_000, 5_000];

/// How many random nudges of each size try the hill-climbed networks.
const NUDGE_TRIES: usize = 1_000;
/// The sizes of those nudges: the searches' own, and two smaller.
const NUDGE_SCALES: [f64; 3] = [SCALE, 0.01, 0.001];

/// Introducing optimization: random search and random hill-climbing of a small network's weights.
#[derive(Parser)]
struct Args {
    #[command(flatten)]
    common: Common,

    /// Iterations of each search
    #[arg(long, default_value_t = ITERATIONS)]
    iterations: usize,

    /// Scale of random search's draws and of hill-climbing's nudges (positive)
    #[arg(long, default_value_t = SCALE)]
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
    x: Array2<f32>,
    t: Array1<usize>,
    log: SearchLog<f32>,
}

fn main() -> ExitCode {
    chapter_cli::run(|| {
        let args = Args::parse();
        ensure!(args.iterations > 0, "--iterations must be at least 1");
        ensure!(
            args.scale.is_finite() && args.scale > 0.0,
            "--scale must be a positive number, got {}",
            args.scale
        );
        let out = args.common.out_dir(env!("CARGO_PKG_NAME"))?;
        print_network(&args);
        let runs = all_searches(&args);
        for run in &runs {
            print_run(run, &args);
        }
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

/// Both searches on both data sets. The four runs are independent, each with its own
/// generator, so they run side by side on threads; the results are the same as one after
/// another.
fn all_searches(args: &Args) -> Vec<Run> {
    let plan = [
        (DataSet::Vertical, Method::RandomSearch),
        (DataSet::Vertical, Method::HillClimbing),
        (DataSet::Spiral, Method::RandomSearch),
        (DataSet::Spiral, Method::HillClimbing),
    ];
    std::thread::scope(|scope| {
        let threads: Vec<_> = plan
            .map(|(data, method)| scope.spawn(move || search(args, data, method)))
            .into_iter()
            .collect();
        threads
            .into_iter()
            .map(|thread| thread.join().expect("a search does not panic"))
            .collect()
    })
}

/// Runs one search on one data set.
fn search(args: &Args, data: DataSet, method: Method) -> Run {
    let mut rng = seeded_rng::rng(args.common.seed);
    let (x, t) = data.generate(&mut rng);
    let targets = t.as_slice().expect("a fresh array is contiguous");
    let started = std::time::Instant::now();
    let log = match method {
        Method::RandomSearch => {
            random_search(&x, targets, SIZES, args.iterations, args.scale, &mut rng)
        }
        Method::HillClimbing => {
            let start = Network::new(SIZES, &mut rng);
            hill_climb(start, &x, targets, args.iterations, args.scale, &mut rng)
        }
    };
    eprintln!(
        "{} on {} data: {:.2} s",
        method.name(),
        data.name(),
        started.elapsed().as_secs_f64()
    );
    Run {
        method,
        data,
        x,
        t,
        log,
    }
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
        let largest = log.best.parameters().fold(0.0f32, |m, p| m.max(p.abs()));
        println!(
            "{:<14} {:<9} {:>7.4} {:>9.4} {:>13} {:>7.2}% {:>17} {:>16.2}",
            run.method.name(),
            run.data.name(),
            log.lowest_loss,
            log.best_accuracy(),
            improvements,
            100.0 * improvements as f64 / iterations as f64,
            log.last_improvement().map_or("-".into(), |i| i.to_string()),
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
