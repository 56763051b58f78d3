//! The page's parts "Weight decay and L1", "Dropout" and "Batch normalisation".

use crate::*;

/// The penalties compared on the overfitting setup.
const L2_LAMBDAS: [f64; 4] = [0.01, 0.03, 0.1, 0.3];
const L1_LAMBDAS: [f64; 4] = [3e-4, 1e-3, 3e-3, 1e-2];

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
const BN_SCALES: usize = 16;
/// How often (in epochs) the batch normalisation runs measure their accuracy.
const BN_EVERY: usize = 2;
/// A quick run tries every fifth scale.
const QUICK_BN_STRIDE: usize = 5;

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
pub fn penalties(
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
pub fn dropout(
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
pub fn batch_norm(
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
