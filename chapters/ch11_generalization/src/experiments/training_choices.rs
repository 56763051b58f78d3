//! The page's parts "Early stopping", "Data augmentation" and "Hyperparameter search".

use crate::*;

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
const SEARCH_SAMPLES: usize = 1000;
const SEARCH_VALIDATION: usize = 1000;
const SEARCH_SIZES: [usize; 6] = [784, 100, 100, 100, 100, 10];
const SEARCH_BATCH: usize = 100;
const SEARCH_EPOCHS: usize = 20;
const QUICK_SEARCH_EPOCHS: usize = 3;
/// How many of the best trials the table and the figure show.
const SEARCH_SHOWN: usize = 8;

/// Early stopping on a network that overfits: 1,000 images, Adam, the validation loss watched
/// after every epoch. The run goes on to the end to show what stopping saved; the weights kept
/// are those of the best epoch before it stopped.
pub fn stopping_early(out: &Path, sets: &ThreeSets<f32>, seed: u64, quick: bool) -> Result<()> {
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
pub fn augmentation(out: &Path, sets: &ThreeSets<f32>, seed: u64, epochs: usize) -> Result<()> {
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
pub fn hyperparameter_search(
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
