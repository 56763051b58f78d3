//! The data, the network, training and the test set: the page's parts up to the test set.

use crate::*;

/// The accuracy the chapter sets out to reach on the test images (measured once, at the end).
const TARGET: f64 = 0.98;
/// The loss curve shows the mean loss of blocks of this many batches (a thirteenth of an epoch).
const LOSS_WINDOW: usize = 15;
/// The grid of sample digits: the first training images, this many rows and columns.
const SAMPLE_GRID: (usize, usize) = (5, 10);
/// How many misclassified digits the figure shows, and how many per row.
const MISTAKES_SHOWN: usize = 40;
const MISTAKES_PER_ROW: usize = 10;
/// How many of the most frequent mistakes the program lists.
const TOP_MISTAKES: usize = 6;

/// The data: sizes, the validation images held out, pixel range, labels, one-hot rows.
pub fn print_data(mnist: &mnist::Mnist, data: &Datasets<f32>) {
    section("The data");
    let (train, test) = (&mnist.train, &mnist.test);
    let (rows, cols) = (train.rows, train.cols);
    println!("training images: {} of {rows}×{cols} pixels", train.len());
    println!(
        "test images:     {} of {}×{} pixels",
        test.len(),
        test.rows,
        test.cols
    );
    println!(
        "held out at random from the training images, as validation images: {}; left to train \
         on: {}",
        data.x_val.nrows(),
        data.x_train.nrows()
    );
    let (lo, hi) = pixel_range(train);
    println!(
        "pixels as stored: {lo} to {hi}; normalised, x = pixel / 255: {:.1} to {:.1}",
        f64::from(lo) / 255.0,
        f64::from(hi) / 255.0
    );
    println!(
        "mean normalised pixel of the training images: {:.4}",
        mean_pixel(train)
    );
    println!("training images per digit:");
    println!("  {}", columns(0..CLASSES));
    println!("  {}", columns(label_counts(train)));
    println!("the first five labels, one-hot:");
    let one_hot = train.first(5).labels_one_hot::<f32>();
    for (label, row) in train.labels.iter().zip(one_hot.rows()) {
        let cells: Vec<String> = row.iter().map(|v| v.to_string()).collect();
        println!("  {label} → [{}]", cells.join(" "));
    }
}

/// The grid of the first training images with their labels.
pub fn draw_samples(out: &Path, train: &mnist::Split) -> Result<()> {
    let (rows, cols) = SAMPLE_GRID;
    let tiles = plots::tiles_of(train, 0..rows * cols, |i| train.labels[i].to_string());
    let title = format!(
        "The first {} training images, with their labels",
        tiles.len()
    );
    figures::write_svg(out, "samples.svg", (760, 470), |area| {
        plots::draw_digit_grid(area, &title, &tiles, cols)
    })?;
    Ok(())
}

/// The network and how it will be trained, with what it costs.
pub fn print_network(
    sizes: &[usize],
    training: &TrainingArgs,
    train_size: usize,
    validation_size: usize,
) {
    section("The network");
    let mut model = Mlp::<f32>::new(sizes, &mut seeded_rng::rng(0));
    let layers = architecture(sizes);
    println!("layers: {layers} (ReLU between the layers, softmax at the end)");
    println!("parameters: {}", model.parameter_count());
    println!("initial weights: He, σ = √(2/inputs); biases 0");
    let schedule = match training.schedule {
        ScheduleArg::Linear => "falling linearly to 0 over the run",
        ScheduleArg::Constant => "constant",
    };
    let rates: Vec<String> = training.learning_rate.iter().map(f64::to_string).collect();
    let rates = match &rates[..] {
        [only] => only.clone(),
        [first @ .., last] => format!("{} or {last} (chosen below)", first.join(", ")),
        [] => "none".to_string(),
    };
    println!("optimizer: Adam, learning rate {rates}, {schedule}");
    let (forward, backward) = flops_per_image(sizes);
    println!("floating-point operations per image: {forward} forward, {backward} backward");
    let (epochs, batch) = (training.epochs, training.batch_size);
    let steps = train_size / batch;
    let left = train_size - steps * batch;
    println!(
        "{epochs} epochs of {steps} steps of {batch} images (the last {left} of each shuffled \
         epoch wait for the next)"
    );
    let per_epoch = (steps * batch * (forward + backward)) as f64 / 1e9;
    let validating = (validation_size * forward) as f64 / 1e9;
    println!(
        "one epoch: {per_epoch:.1} billion operations, and {validating:.1} billion more to \
         measure the {validation_size} validation images"
    );
}

/// The learning rate to train with: the only one given, or, of several, the one whose short run
/// reached the highest accuracy on the validation images (in a section of its own).
pub fn choose_learning_rate<F: Float>(
    data: &Datasets<F>,
    sizes: &[usize],
    training: &TrainingArgs,
    seed: u64,
) -> Result<f64> {
    let rates = training.learning_rates()?;
    if let [only] = rates[..] {
        return Ok(only);
    }
    section("Choosing the learning rate");
    let setup = Setup {
        epochs: cli::TRIAL_EPOCHS,
        ..training.setup(rates[0])?
    };
    let few = data.with_training_subset(cli::TRIAL_TRAIN_SIZE);
    let n = few.t_train.len();
    ensure!(
        setup.batch_size <= n,
        "--batch-size {} is larger than the {n} training images of the short runs that choose \
         the learning rate (give one --learning-rate to train at it without choosing)",
        setup.batch_size
    );
    println!(
        "a short run for each: {} epoch on the first {n} training images, from the same first \
         weights, on the same batches",
        setup.epochs
    );
    let mut progress = ProgressBar::new(setup.epochs);
    let trials = try_learning_rates(&few, sizes, &setup, &rates, seed, &mut progress);
    println!("learning rate  loss    validation acc");
    for (learning_rate, history) in &trials {
        match (history.epochs.last(), history.final_validation_accuracy()) {
            (Some(last), Some(accuracy)) => {
                println!("{learning_rate:>13}  {:.4}  {accuracy:.4}", last.loss)
            }
            _ => println!("{learning_rate:>13}  diverged"),
        }
    }
    let best = best_learning_rate(&trials)
        .context("every learning rate tried diverged: try smaller ones")?;
    println!("chosen: {best}, the highest validation accuracy");
    Ok(best)
}

/// Builds and trains the network, with a progress bar on stderr, and says on stderr how long
/// the training took; an error if the training diverged.
pub fn run_training<F: Float>(
    data: &Datasets<F>,
    sizes: &[usize],
    setup: &Setup,
    seed: u64,
) -> Result<(Mlp<F>, History)> {
    let mut rng = seeded_rng::rng(seed);
    let mut model = Mlp::<F>::new(sizes, &mut rng);
    let mut optimizer = Adam::new(ch03_layers::float(setup.learning_rate));
    let mut progress = ProgressBar::new(setup.epochs);
    let history = train(
        &mut model,
        data,
        &mut optimizer,
        setup,
        &mut rng,
        &mut progress,
    );
    ensure!(
        !history.diverged(),
        "training diverged: the loss of batch {} was not a number; try a smaller \
         --learning-rate",
        history.batch_losses.len()
    );
    report::report_training_time(&history);
    Ok((model, history))
}

/// One line per epoch.
pub fn print_training(history: &History) {
    section("Training");
    print_epochs(history);
}

/// The loss curve and the accuracy curves.
pub fn draw_curves(out: &Path, history: &History) -> Result<()> {
    let loss = plots::loss_chart(history, LOSS_WINDOW);
    figures::write_svg(out, "loss.svg", figures::SIZE, |area| {
        figures::line_chart(area, &loss)
    })?;
    let accuracy = plots::accuracy_chart(history, TARGET);
    figures::write_svg(out, "accuracy.svg", figures::SIZE, |area| {
        figures::line_chart(area, &accuracy)
    })?;
    Ok(())
}

/// The test set, once all is chosen: accuracy, the confusion matrix, the most frequent
/// mistakes, and two figures. Returns the predicted digits.
pub fn evaluate<F: Float>(
    model: &mut Mlp<F>,
    x_test: &Array2<F>,
    t_test: &[usize],
    out: &Path,
) -> Result<Vec<usize>> {
    section("The test set");
    let predicted = model.classify(x_test);
    let confusion = confusion_matrix(&predicted, t_test);
    let (right, total) = (right_answers(&confusion), t_test.len());
    let accuracy = right as f64 / total as f64;
    println!("{right} of {total} test images right: accuracy {accuracy:.4}");
    print_confusion(&confusion);
    println!("the most frequent mistakes:");
    for (t, p, count) in most_confused(&confusion, TOP_MISTAKES) {
        println!("  {t} taken for {p}: {count} times");
    }
    figures::write_svg(out, "confusion.svg", (600, 560), |area| {
        plots::draw_confusion(area, &confusion)
    })?;

    let wrong = mistakes(&predicted, t_test);
    let shown = &wrong[..wrong.len().min(MISTAKES_SHOWN)];
    let tiles = plots::mistake_tiles(x_test, &predicted, t_test, shown);
    let title = format!(
        "Misclassified test digits, predicted/true (the first {} of {})",
        tiles.len(),
        wrong.len()
    );
    let rows = tiles.len().div_ceil(MISTAKES_PER_ROW).max(1) as u32;
    figures::write_svg(out, "misclassified.svg", (760, 60 + 88 * rows), |area| {
        plots::draw_digit_grid(area, &title, &tiles, MISTAKES_PER_ROW)
    })?;
    Ok(predicted)
}
