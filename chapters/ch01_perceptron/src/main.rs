//! The chapter's experiments: truth tables, a search over weights, the learning rule, figures.

use std::path::Path;
use std::process::ExitCode;

use anyhow::{Result, ensure};
use ch01_perceptron::plots::{draw_gates, draw_learning, draw_xor};
use ch01_perceptron::{
    INPUTS, Perceptron, Training, and, count_perceptrons, nand, or, train_perceptron, truth_table,
    weight_grid, xor,
};
use chapter_cli::{Common, section};
use clap::Parser;

/// How many epochs the learning rule gets before we call it stuck.
const MAX_EPOCHS: usize = 20;
/// The most epochs `--epochs` accepts: XOR never converges, so it runs them all.
const EPOCHS_LIMIT: usize = 100_000;
/// The learning rate η of the perceptron learning rule.
const LEARNING_RATE: f64 = 0.1;

/// Perceptrons: logic gates, why XOR needs two layers, and the perceptron learning rule.
#[derive(Parser)]
struct Args {
    #[command(flatten)]
    common: Common,

    /// Epochs the learning rule may take on each gate (1 to 100,000)
    #[arg(long, default_value_t = MAX_EPOCHS, allow_negative_numbers = true)]
    epochs: usize,

    /// Learning rate η of the learning rule (positive)
    #[arg(long, default_value_t = LEARNING_RATE, allow_negative_numbers = true)]
    learning_rate: f64,
}

fn main() -> ExitCode {
    chapter_cli::run(|| {
        let args = Args::parse();
        ensure!(args.epochs > 0, "--epochs must be at least 1");
        ensure!(
            args.epochs <= EPOCHS_LIMIT,
            "--epochs must be at most {EPOCHS_LIMIT}, got {}",
            args.epochs
        );
        ensure!(
            args.learning_rate.is_finite() && args.learning_rate > 0.0,
            "--learning-rate must be a positive number, got {:?}",
            args.learning_rate
        );
        let out = args.common.out_dir(env!("CARGO_PKG_NAME"))?;
        print_truth_tables();
        print_weight_search();
        let runs = learning_rule_runs(&args);
        draw_figures(&out, &runs)
    })
}

/// The truth tables of the three one-perceptron gates and of the two-layer XOR.
fn print_truth_tables() {
    section("Truth tables");
    let row = |name: &str, values: [u8; 4]| {
        let cells: Vec<String> = values.iter().map(u8::to_string).collect();
        println!("{name:<5} {}", cells.join(" "));
    };
    row("x1", INPUTS.map(|x| x[0]));
    row("x2", INPUTS.map(|x| x[1]));
    row("AND", truth_table(and));
    row("NAND", truth_table(nand));
    row("OR", truth_table(or));
    row("XOR", truth_table(xor));
}

/// How many perceptrons on a grid of weights compute each gate: none computes XOR.
fn print_weight_search() {
    section("Searching for a perceptron");
    let grid = weight_grid();
    let total = grid.len().pow(3);
    println!("w1, w2, b each from -1.0 to 1.0 in steps of 0.1: {total} perceptrons");
    for (name, gate) in [
        ("AND", and as fn(u8, u8) -> u8),
        ("NAND", nand),
        ("OR", or),
        ("XOR", xor),
    ] {
        let count = count_perceptrons(truth_table(gate), &grid);
        println!("{name:<5} computed by {count:>4} of them");
    }
}

/// Trains a perceptron on AND, OR and XOR and prints each run.
fn learning_rule_runs(args: &Args) -> Vec<(&'static str, Training)> {
    let mut rng = seeded_rng::rng(args.common.seed);
    let mut runs = Vec::new();
    for (name, gate) in [("AND", and as fn(u8, u8) -> u8), ("OR", or), ("XOR", xor)] {
        section(&format!("The learning rule on {name}"));
        let training =
            train_perceptron(truth_table(gate), args.learning_rate, args.epochs, &mut rng);
        println!("start     {}", describe(&training.start));
        for (epoch, (p, errors)) in training
            .epochs
            .iter()
            .zip(&training.errors_per_epoch)
            .enumerate()
        {
            println!("epoch {:>2}  {}  errors {errors}", epoch + 1, describe(p));
        }
        if training.converged() {
            println!("{name} learned in {} epochs", training.epochs.len());
        } else {
            println!(
                "{name} not learned in {} epochs: every epoch has errors",
                training.epochs.len()
            );
        }
        runs.push((name, training));
    }
    runs
}

/// A perceptron's weights and bias, printed to three decimals.
fn describe(p: &Perceptron) -> String {
    format!("w = [{:>6.3}, {:>6.3}]  b = {:>6.3}", p.w[0], p.w[1], p.b)
}

/// The chapter's three figures.
// The closures are needed: a figure function named alone is fixed to one backend lifetime.
#[allow(clippy::redundant_closure)]
fn draw_figures(out: &Path, runs: &[(&str, Training)]) -> Result<()> {
    figures::write_svg(out, "gates.svg", (1500, 500), |area| draw_gates(area))?;
    figures::write_svg(out, "xor.svg", (640, 560), |area| draw_xor(area))?;
    let runs: Vec<(&str, &Training)> = runs.iter().map(|(name, t)| (*name, t)).collect();
    figures::write_svg(out, "learning.svg", figures::SIZE, |area| {
        draw_learning(area, &runs)
    })?;
    Ok(())
}
