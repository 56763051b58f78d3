//! The chapter's experiments: the classic worked values, clipping, distances, a weight sweep.

use std::path::Path;
use std::process::ExitCode;

use anyhow::{Result, ensure};
use ch04_activations::forward_pass;
use ch05_loss::plots::{draw_minus_log, draw_sweep};
use ch05_loss::{
    SORTER_W, SORTER_W_INDEX, SweepPoint, accuracy, argmax_rows, clip_probability, cross_entropy,
    cross_entropy_losses, cross_entropy_losses_one_hot, cross_entropy_one_hot, euclidean_distance,
    manhattan_distance, mean_squared_error, one_hot, sweep_weight, vertical_sorter,
};
use chapter_cli::{Common, section};
use clap::Parser;
use ndarray::{Array1, Array2, Axis, array};

/// Points per class of the vertical data in the weight sweep, by default and at most.
const SAMPLES: usize = 20;
const MAX_SAMPLES: usize = 100_000;
/// The classes of the vertical data (the sorter network has three outputs).
const CLASSES: usize = 3;
/// The sweep of the weight `w`: from, to, and how many values.
const SWEEP_FROM: f64 = 0.0;
const SWEEP_TO: f64 = 40.0;
const SWEEP_STEPS: usize = 801;
/// The step used to measure the slopes of the loss and the accuracy.
const SLOPE_STEP: f64 = 0.01;

/// Loss functions: mean squared error, cross-entropy, clipping, accuracy, and why accuracy
/// cannot be the loss.
#[derive(Parser)]
struct Args {
    #[command(flatten)]
    common: Common,

    /// Points per class of the vertical data in the weight sweep
    #[arg(long, default_value_t = SAMPLES, allow_negative_numbers = true)]
    samples: usize,
}

fn main() -> ExitCode {
    chapter_cli::run(|| {
        let args = Args::parse();
        ensure!(
            (1..=MAX_SAMPLES).contains(&args.samples),
            "--samples must be from 1 to {MAX_SAMPLES}, got {}",
            args.samples
        );
        let out = args.common.out_dir(env!("CARGO_PKG_NAME"))?;
        print_classic_values();
        print_spread_or_concentrated();
        print_minus_log();
        print_clipping();
        print_clip_or_shift();
        print_batch();
        print_accuracy();
        print_distances();
        let sweep = weight_sweep(&args);
        draw_figures(&out, &sweep)
    })
}

/// The prediction of *Deep Learning from Scratch*: "2" is the most likely of ten digits.
fn dlfs_prediction() -> Array1<f64> {
    array![0.1, 0.05, 0.6, 0.0, 0.05, 0.1, 0.0, 0.1, 0.0, 0.0]
}

/// A vector's numbers, to `decimals` places, in brackets.
fn show(values: impl IntoIterator<Item = f64>, decimals: usize) -> String {
    let cells: Vec<String> = values
        .into_iter()
        .map(|v| format!("{v:.decimals$}"))
        .collect();
    format!("[{}]", cells.join(", "))
}

/// Mean squared error and cross-entropy of one prediction against a right and a wrong answer.
fn print_classic_values() {
    let y = dlfs_prediction();
    let batch = y.view().insert_axis(Axis(0)); // one sample, as a (1, 10) batch
    section("Mean squared error and cross-entropy");
    println!("prediction y = {}", show(y.iter().copied(), 2));
    for answer in [2, 7] {
        let t = one_hot::<f64>(&[answer], 10).row(0).to_owned();
        println!("answer {answer}: t = {}", show(t.iter().copied(), 0));
        println!(
            "  mean squared error ½Σ(y − t)²   {:.4}",
            mean_squared_error(&y, &t)
        );
        println!(
            "  cross-entropy −ln y[{answer}]         {:.4}",
            cross_entropy(&batch, &[answer])
        );
    }
}

/// Predictions that give the right digit, 2, the worked prediction's 0.6, and the other 0.4 to
/// wrong digits: spread over all nine of them, or all on one (7).
fn spread_and_concentrated() -> [Array1<f64>; 2] {
    let mut spread = Array1::from_elem(10, 0.4 / 9.0);
    spread[2] = 0.6;
    let mut concentrated = Array1::zeros(10);
    concentrated[2] = 0.6;
    concentrated[7] = 0.4;
    [spread, concentrated]
}

/// Mean squared error and cross-entropy of three predictions that give the right digit the
/// same probability and differ only in where the rest goes.
fn print_spread_or_concentrated() {
    let [spread, concentrated] = spread_and_concentrated();
    let t = one_hot::<f64>(&[2], 10).row(0).to_owned();
    section("Spread or concentrated");
    println!("answer 2, given 0.6 by every prediction; the other 0.4 goes to wrong digits");
    println!(
        "{:<26} {:>18} {:>14}",
        "where the 0.4 goes", "mean squared error", "cross-entropy"
    );
    for (name, y) in [
        ("five digits (the worked y)", dlfs_prediction()),
        ("all nine wrong digits", spread),
        ("one wrong digit, 7", concentrated),
    ] {
        let batch = y.view().insert_axis(Axis(0));
        println!(
            "{name:<26} {:>18.4} {:>14.4}",
            mean_squared_error(&y, &t),
            cross_entropy(&batch, &[2])
        );
    }
}

/// Minus the logarithm of a few probabilities of the right class.
fn print_minus_log() {
    section("Minus the log");
    for p in [1.0, 0.9, 0.6, 0.5, 0.1, 0.01, 0.001] {
        println!("p = {p:<5}  −ln p = {:.4}", -f64::ln(p) + 0.0);
    }
}

/// What clipping does at both ends: a zero for the right class, and a certain right answer.
fn print_clipping() {
    section("Clipping");
    let zero: f64 = 0.0;
    println!("−ln 0 = {}", -zero.ln());
    println!(
        "−ln clip(0) = −ln 1e-7 = {:.3}",
        -clip_probability(zero).ln()
    );
    println!(
        "0 · ln 0 = {} (one-hot sum, a wrong class given 0); 0 · ln clip(0) = {}",
        0.0 * zero.ln(),
        0.0 * clip_probability(zero).ln() + 0.0
    );
    let y: Array2<f64> = array![[0.0, 0.6, 0.4], [0.7, 0.2, 0.1]];
    let t = [0, 0];
    let unclipped: Vec<f64> = t
        .iter()
        .zip(y.rows())
        .map(|(&class, row)| -row[class].ln())
        .collect();
    println!("a batch of two whose first sample gives its class 0:");
    println!(
        "  mean loss {} unclipped, {:.3} clipped",
        unclipped.iter().sum::<f64>() / 2.0,
        cross_entropy(&y, &t)
    );
    let one: f64 = 1.0;
    println!("−ln 1 = {}", -one.ln() + 0.0); // + 0.0 turns −0 into 0
    println!(
        "−ln clip(1) = −ln(1 − 1e-7) = {:.1e}",
        -clip_probability(one).ln()
    );
}

/// Clipping against *Deep Learning from Scratch*'s shift by 1e-7, on the worked prediction.
fn print_clip_or_shift() {
    let y = dlfs_prediction();
    section("Clipped or shifted");
    for answer in [2, 7] {
        let p = y[answer];
        println!(
            "answer {answer}: −ln clip(y) = {:.9}   −ln(y + 1e-7) = {:.9}",
            -clip_probability(p).ln(),
            -(p + 1e-7).ln()
        );
    }
}

/// The nnfs batch of three softmax outputs: loss per sample, their mean, from indices and
/// one-hot rows.
fn print_batch() {
    let y = nnfs_loss_batch();
    let t = [0, 1, 1];
    section("A batch of three");
    for (row, class) in y.rows().into_iter().zip(t) {
        println!("y = {}   target {class}", show(row.iter().copied(), 2));
    }
    let by_index = cross_entropy_losses(&y, &t);
    let t_one_hot = one_hot::<f64>(&t, 3);
    let by_one_hot = cross_entropy_losses_one_hot(&y, &t_one_hot);
    println!("losses, targets as indices  {}", show(by_index, 8));
    println!("losses, targets one-hot     {}", show(by_one_hot, 8));
    println!(
        "mean loss: {:.8} (indices), {:.8} (one-hot)",
        cross_entropy(&y, &t),
        cross_entropy_one_hot(&y, &t_one_hot)
    );
}

/// The softmax outputs of the nnfs loss example.
fn nnfs_loss_batch() -> Array2<f64> {
    array![[0.7, 0.1, 0.2], [0.1, 0.5, 0.4], [0.02, 0.9, 0.08]]
}

/// Accuracy of the loss batch, and of nnfs's accuracy batch (its first two rows rearranged).
fn print_accuracy() {
    let t = [0, 1, 1];
    section("Accuracy");
    for (name, y) in [
        ("the batch above", nnfs_loss_batch()),
        (
            "the accuracy batch",
            array![[0.7, 0.2, 0.1], [0.5, 0.1, 0.4], [0.02, 0.9, 0.08]],
        ),
    ] {
        let predicted = argmax_rows(&y);
        println!(
            "{name:<18}  predictions {predicted:?}  targets {t:?}  accuracy {:.4}",
            accuracy(&y, &t)
        );
    }
}

/// Euclidean and Manhattan distance between the prediction and each answer.
fn print_distances() {
    let y = dlfs_prediction();
    section("Distances");
    for answer in [2, 7] {
        let t = one_hot::<f64>(&[answer], 10).row(0).to_owned();
        let d2 = euclidean_distance(&y, &t);
        println!(
            "answer {answer}: Euclidean {:.4} (½·d² = {:.4})   Manhattan {:.4}",
            d2,
            0.5 * d2 * d2,
            manhattan_distance(&y, &t)
        );
    }
    let t = one_hot::<f64>(&[2], 10).row(0).to_owned();
    let [spread, concentrated] = spread_and_concentrated();
    for (name, y) in [
        ("all nine wrong digits", spread),
        ("one wrong digit", concentrated),
    ] {
        println!(
            "answer 2, the 0.4 on {:<22} Euclidean {:.4}   Manhattan {:.4}",
            format!("{name}:"),
            euclidean_distance(&y, &t),
            manhattan_distance(&y, &t)
        );
    }
}

/// Loss and accuracy of the hand-made sorter on vertical data, as one weight moves.
fn weight_sweep(args: &Args) -> Vec<SweepPoint> {
    let mut rng = seeded_rng::rng(args.common.seed);
    let (x, t) = toy_datasets::vertical_data::<f32>(&mut rng, args.samples, CLASSES);
    let t = t.to_vec();
    let (dense1, dense2) = vertical_sorter::<f32>();
    let values: Vec<f64> = (0..SWEEP_STEPS)
        .map(|i| SWEEP_FROM + (SWEEP_TO - SWEEP_FROM) * i as f64 / (SWEEP_STEPS - 1) as f64)
        .collect();
    let sweep = sweep_weight(&x, &t, &dense1, &dense2, SORTER_W_INDEX, &values);
    let at = |w: f64| sweep_weight(&x, &t, &dense1, &dense2, SORTER_W_INDEX, &[w])[0];
    // How many points of class 2 the network gets right with the weight at w.
    let class_2_right = |w: f64| {
        let mut dense2 = dense2.clone();
        dense2.weights[SORTER_W_INDEX] = w as f32;
        let predicted = argmax_rows(&forward_pass(&x, &dense1, &dense2));
        predicted
            .iter()
            .zip(&t)
            .filter(|&(&p, &k)| k == 2 && p == 2)
            .count()
    };
    let of_class_2 = t.iter().filter(|&&k| k == 2).count();

    section("Sweeping one weight");
    println!(
        "vertical data: {} samples, {CLASSES} classes; w from {SWEEP_FROM} to {SWEEP_TO}",
        x.nrows()
    );
    for w in [0.0, 6.0, 9.0, SORTER_W, 15.0, 20.0, 30.0, 40.0] {
        let p = at(w);
        println!(
            "w = {:>4.1}   loss {:.4}   accuracy {:.4}   class 2 right {:>2}/{of_class_2}",
            p.weight,
            p.loss,
            p.accuracy,
            class_2_right(w)
        );
    }
    let (bottom, lowest) = sweep
        .iter()
        .enumerate()
        .min_by(|a, b| a.1.loss.total_cmp(&b.1.loss))
        .expect("the sweep has points");
    let best = sweep
        .iter()
        .max_by(|a, b| {
            a.accuracy
                .total_cmp(&b.accuracy)
                .then(b.weight.total_cmp(&a.weight))
        })
        .expect("the sweep has points");
    println!(
        "lowest loss {:.4} at w = {:.2}; highest accuracy {:.4}, first at w = {:.2}",
        lowest.loss, lowest.weight, best.accuracy, best.weight
    );
    let (before, after) = (&sweep[..=bottom], &sweep[bottom..]);
    let falls = before.windows(2).filter(|p| p[1].loss < p[0].loss).count();
    let rises = after.windows(2).filter(|p| p[1].loss > p[0].loss).count();
    println!(
        "the loss falls on {falls} of the {} steps up to w = {:.2} and rises on {rises} of the {} after",
        before.len() - 1,
        lowest.weight,
        after.len() - 1
    );
    let changes = |f: fn(&SweepPoint) -> f64| {
        sweep
            .windows(2)
            .filter(|pair| f(&pair[0]) != f(&pair[1]))
            .count()
    };
    println!(
        "steps between neighbouring w: {}; the loss changes on {}, the accuracy on {}",
        sweep.len() - 1,
        changes(|p| p.loss),
        changes(|p| p.accuracy)
    );
    section("Slopes");
    for w in [9.0, SORTER_W, lowest.weight, 20.0] {
        let (left, right) = (at(w - SLOPE_STEP), at(w + SLOPE_STEP));
        let slope = |f: fn(&SweepPoint) -> f64| (f(&right) - f(&left)) / (2.0 * SLOPE_STEP);
        println!(
            "at w = {w:>5.2}: slope of the loss {:+.4}, slope of the accuracy {:+.4}",
            slope(|p| p.loss),
            slope(|p| p.accuracy)
        );
    }
    sweep
}

/// The chapter's two figures.
// The closures are needed: a figure function named alone is fixed to one backend lifetime.
#[allow(clippy::redundant_closure)]
fn draw_figures(out: &Path, sweep: &[SweepPoint]) -> Result<()> {
    figures::write_svg(out, "minus_log.svg", figures::SIZE, |area| {
        draw_minus_log(area)
    })?;
    figures::write_svg(out, "sweep.svg", (640, 640), |area| draw_sweep(area, sweep))?;
    Ok(())
}
