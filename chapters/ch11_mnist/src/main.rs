//! The chapter's program: with no subcommand, the whole story (the data, training to 98%, the
//! test set, saving and loading, handwriting, f32 against f64); `train`, `eval`, `predict` and
//! `compare-precision` do one part each, with their own flags.

use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::time::Instant;

use anyhow::{ensure, Context, Result};
use ch03_layers::Float;
use ch09_backprop::MnistData;
use ch10_optimizers::Adam;
use ch11_mnist::handwriting::{self, Preprocessed};
use ch11_mnist::plots::{
    accuracy_chart, draw_confusion, draw_digit_grid, draw_handwriting, loss_chart, Tile,
};
use ch11_mnist::{
    architecture, confusion_matrix, flops_per_image, most_confused, parse_sizes, train,
    with_training_subset, Confusion, History, Mlp, ProgressBar, Schedule, Setup, StoredFloat,
    CHAPTER, CLASSES, PIXELS,
};
use chapter_cli::{section, Common};
use clap::{Parser, Subcommand, ValueEnum};
use plotters::coord::Shift;
use plotters::prelude::{DrawingArea, DrawingBackend};
use safetensors::SafeTensors;

/// The network: 784 inputs, two hidden ReLU layers, 10 outputs.
const HIDDEN: &str = "256-128";
/// Training: Adam, its learning rate falling in a straight line from the peak to zero.
const EPOCHS: usize = 4;
const BATCH_SIZE: usize = 256;
const LEARNING_RATE: f64 = 0.004;
/// The test accuracy the chapter sets out to reach.
const TARGET: f64 = 0.98;
/// The loss curve shows the mean loss of blocks of this many batches (a thirteenth of an epoch).
const LOSS_WINDOW: usize = 18;
/// The grid of sample digits: the first training images, this many rows and columns.
const SAMPLE_GRID: (usize, usize) = (5, 10);
/// How many misclassified digits the figure shows, and how many per row.
const MISTAKES_SHOWN: usize = 40;
const MISTAKES_PER_ROW: usize = 10;
/// How many of the most frequent mistakes the program lists.
const TOP_MISTAKES: usize = 6;
/// The handwriting the story reads, relative to the workspace root.
const HANDWRITING: &str = "data/handwriting/2026.png";
/// The quick f32-against-f64 comparison of the story: one epoch on this many training images.
const PRECISION_TRAIN_SIZE: usize = 10_000;
const PRECISION_EPOCHS: usize = 1;
/// How many MNIST test digits the story prepares again as if they were handwriting.
const REDO_IMAGES: usize = 1000;

/// MNIST end to end: train an MLP to 98%, evaluate it, save and load it, read handwriting.
#[derive(Parser)]
struct Args {
    #[command(flatten)]
    common: Common,

    #[command(subcommand)]
    command: Option<Command>,
}

#[derive(Subcommand)]
enum Command {
    /// Train the network, save it, and report the time it took to reach 98% (on stderr)
    Train(TrainArgs),
    /// Evaluate a saved model on the test set: accuracy, confusion matrix, figures
    Eval(ModelArgs),
    /// Read the digits in PNG images with a saved model
    Predict(PredictArgs),
    /// Train the same network in f32 and in f64 and compare accuracy and speed
    ComparePrecision(CompareArgs),
}

#[derive(clap::Args)]
struct TrainArgs {
    #[command(flatten)]
    training: TrainingArgs,

    /// Where to save the trained model [default: target/models/<chapter>.safetensors]
    #[arg(long, value_name = "FILE")]
    model: Option<PathBuf>,
}

#[derive(clap::Args)]
struct TrainingArgs {
    /// Passes over the training images
    #[arg(long, default_value_t = EPOCHS)]
    epochs: usize,

    /// Images per step
    #[arg(long, default_value_t = BATCH_SIZE)]
    batch_size: usize,

    /// Adam's peak learning rate (positive)
    #[arg(long, default_value_t = LEARNING_RATE)]
    learning_rate: f64,

    /// How the learning rate moves: linear (from the peak down to zero) or constant
    #[arg(long, value_enum, default_value_t = ScheduleArg::Linear)]
    schedule: ScheduleArg,

    /// Widths of the hidden layers, joined by dashes
    #[arg(long, default_value = HIDDEN)]
    hidden: String,

    /// Train on only the first N training images (all 60,000 by default)
    #[arg(long, value_name = "N")]
    train_size: Option<usize>,
}

#[derive(Clone, Copy, ValueEnum)]
enum ScheduleArg {
    Linear,
    Constant,
}

#[derive(clap::Args)]
struct ModelArgs {
    /// The model to load [default: target/models/<chapter>.safetensors]
    #[arg(long, value_name = "FILE")]
    model: Option<PathBuf>,
}

#[derive(clap::Args)]
struct PredictArgs {
    #[command(flatten)]
    model: ModelArgs,

    /// PNG images of handwritten digits (one digit, or a row of them)
    #[arg(required = true, value_name = "IMAGE")]
    images: Vec<PathBuf>,
}

#[derive(clap::Args)]
struct CompareArgs {
    #[command(flatten)]
    training: TrainingArgs,
}

fn main() -> ExitCode {
    chapter_cli::run(|| {
        let args = Args::parse();
        let out = args.common.out_dir(env!("CARGO_PKG_NAME"))?;
        let seed = args.common.seed;
        if let Some(command) = &args.command {
            return run_command(command, &out, seed);
        }
        let mnist = load_mnist()?;
        print_data(&mnist);
        draw_samples(&out, &mnist.train)?;

        let training = default_training();
        let (sizes, setup) = (training.sizes()?, training.setup()?);
        let data = timed("normalising", || MnistData::<f32>::new(&mnist));
        print_network(&sizes, &setup, data.x_train.nrows(), data.x_test.nrows());
        let (mut model, history) = run_training(&data, &sizes, &setup, seed);
        report_time_to_target(&history);
        print_training(&history);
        draw_curves(&out, &history)?;

        let predicted = evaluate(&mut model, &data, &out)?;
        save_and_load(&mut model, &data, &predicted)?;

        let path = chapter_cli::workspace_root().join(HANDWRITING);
        let reading = read_handwriting(&mut model, &path, HANDWRITING)?;
        draw_handwriting_figure(&out, &reading)?;
        redo_mnist(&mut model, &mnist.test);
        bad_images()?;
        compare_precision(&mnist, seed)
    })
}

/// Runs a subcommand instead of the story.
fn run_command(command: &Command, out: &Path, seed: u64) -> Result<()> {
    match command {
        Command::Train(a) => train_command(out, seed, a),
        Command::Eval(a) => eval_command(out, a),
        Command::Predict(a) => predict_command(out, a),
        Command::ComparePrecision(a) => compare_command(seed, &a.training),
    }
}

/// The story's training flags, as `train` has them by default.
fn default_training() -> TrainingArgs {
    TrainingArgs {
        epochs: EPOCHS,
        batch_size: BATCH_SIZE,
        learning_rate: LEARNING_RATE,
        schedule: ScheduleArg::Linear,
        hidden: HIDDEN.to_string(),
        train_size: None,
    }
}

impl TrainingArgs {
    /// The training setup, checked.
    fn setup(&self) -> Result<Setup> {
        ensure!(self.epochs > 0, "--epochs must be at least 1");
        ensure!(self.batch_size > 0, "--batch-size must be at least 1");
        ensure!(
            self.learning_rate.is_finite() && self.learning_rate > 0.0,
            "--learning-rate must be a positive number, got {}",
            self.learning_rate
        );
        let schedule = match self.schedule {
            ScheduleArg::Linear => Schedule::Linear,
            ScheduleArg::Constant => Schedule::Constant,
        };
        Ok(Setup {
            epochs: self.epochs,
            batch_size: self.batch_size,
            learning_rate: self.learning_rate,
            schedule,
        })
    }

    /// The layer sizes: 784, the hidden widths, 10.
    fn sizes(&self) -> Result<Vec<usize>> {
        let hidden =
            parse_sizes(&format!("{PIXELS}-{}-{CLASSES}", self.hidden)).with_context(|| {
                format!(
                    "--hidden {:?} should be widths joined by dashes, such as {HIDDEN}",
                    self.hidden
                )
            })?;
        Ok(hidden)
    }

    /// MNIST with the training images cut to `--train-size`, checked against the batch size.
    fn data<F: Float + From<u8>>(&self, mnist: &mnist::Mnist) -> Result<MnistData<F>> {
        let n = self.train_size.unwrap_or(mnist.train.len());
        ensure!(n > 0, "--train-size must be at least 1");
        ensure!(
            self.batch_size <= n.min(mnist.train.len()),
            "--batch-size {} is larger than the {} training images",
            self.batch_size,
            n.min(mnist.train.len())
        );
        Ok(MnistData::new(&with_training_subset(mnist, n)))
    }
}

/// Runs `f`, printing its wall-clock time to stderr.
fn timed<T>(what: &str, f: impl FnOnce() -> T) -> T {
    let started = Instant::now();
    let result = f();
    eprintln!("{what}: {:.2} s", started.elapsed().as_secs_f64());
    result
}

fn load_mnist() -> Result<mnist::Mnist> {
    timed("loading MNIST", || {
        mnist::load().context("loading MNIST (set MNIST_DIR to the folder of its four .gz files)")
    })
}

/// The default place of the trained model: `target/models/<chapter>.safetensors`.
fn default_model_path() -> PathBuf {
    chapter_cli::workspace_root()
        .join("target")
        .join("models")
        .join(format!("{CHAPTER}.safetensors"))
}

/// The data: sizes, pixel range, labels, one-hot rows.
fn print_data(mnist: &mnist::Mnist) {
    section("The data");
    let (train, test) = (&mnist.train, &mnist.test);
    println!(
        "training images: {} of {}×{} pixels",
        train.len(),
        train.rows,
        train.cols
    );
    println!(
        "test images:     {} of {}×{} pixels",
        test.len(),
        test.rows,
        test.cols
    );
    let (lo, hi) = train
        .images
        .iter()
        .fold((u8::MAX, u8::MIN), |(lo, hi), &p| (lo.min(p), hi.max(p)));
    println!(
        "pixels as stored: {lo} to {hi}; normalised, x = pixel / 255: {:.1} to {:.1}",
        f64::from(lo) / 255.0,
        f64::from(hi) / 255.0
    );
    let mean = train.images.iter().map(|&p| f64::from(p)).sum::<f64>()
        / (255.0 * train.images.len() as f64);
    println!("mean normalised pixel of the training images: {mean:.4}");
    let mut counts = [0usize; CLASSES];
    train
        .labels
        .iter()
        .for_each(|&l| counts[usize::from(l)] += 1);
    println!("training images per digit:");
    println!(
        "  {}",
        (0..CLASSES).map(|d| format!("{d:>5}")).collect::<String>()
    );
    println!(
        "  {}",
        counts.iter().map(|c| format!("{c:>5}")).collect::<String>()
    );
    println!("the first five labels, one-hot:");
    let one_hot = train.first(5).labels_one_hot::<f32>();
    for (label, row) in train.labels.iter().zip(one_hot.rows()) {
        let cells: Vec<String> = row.iter().map(|v| format!("{v}")).collect();
        println!("  {label} → [{}]", cells.join(" "));
    }
}

/// The grid of the first training images with their labels.
fn draw_samples(out: &Path, train: &mnist::Split) -> Result<()> {
    let (rows, cols) = SAMPLE_GRID;
    let tiles = tiles_of(train, 0..rows * cols, |i| train.labels[i].to_string());
    let title = format!(
        "The first {} training images, with their labels",
        rows * cols
    );
    figures::write_svg(out, "samples.svg", (760, 470), |area| {
        draw_digit_grid(area, &title, &tiles, cols)
    })?;
    Ok(())
}

/// Tiles of images `indices` of `split`, captioned by `caption(i)`.
fn tiles_of(
    split: &mnist::Split,
    indices: impl IntoIterator<Item = usize>,
    caption: impl Fn(usize) -> String,
) -> Vec<Tile> {
    indices
        .into_iter()
        .map(|i| {
            let pixels: Vec<f32> = split
                .image(i)
                .iter()
                .map(|&p| f32::from(p) / 255.0)
                .collect();
            Tile::new(&pixels, caption(i))
        })
        .collect()
}

/// The network and how it will be trained.
fn print_network(sizes: &[usize], setup: &Setup, train_size: usize, test_size: usize) {
    section("The network");
    let mut model = Mlp::<f32>::new(sizes, &mut seeded_rng::rng(0));
    println!(
        "layers: {} (ReLU between the layers, softmax at the end)",
        architecture(sizes)
    );
    println!("parameters: {}", model.parameter_count());
    println!("initial weights: He, σ = √(2/inputs); biases 0");
    println!(
        "optimizer: Adam, learning rate {} falling linearly to 0 over the run",
        setup.learning_rate
    );
    let (forward, backward) = flops_per_image(sizes);
    println!("floating-point operations per image: {forward} forward, {backward} backward");
    let steps = train_size / setup.batch_size;
    println!(
        "{} epochs of {steps} steps of {} images (the last {} of each shuffled epoch wait for the next)",
        setup.epochs,
        setup.batch_size,
        train_size - steps * setup.batch_size
    );
    let per_epoch = (steps * setup.batch_size * (forward + backward)) as f64;
    println!(
        "one epoch: {:.1} billion operations, and {:.1} billion more to test {test_size} images",
        per_epoch / 1e9,
        (test_size * forward) as f64 / 1e9
    );
}

/// Builds and trains the network, with a progress bar on stderr.
fn run_training<F: Float>(
    data: &MnistData<F>,
    sizes: &[usize],
    setup: &Setup,
    seed: u64,
) -> (Mlp<F>, History) {
    let mut rng = seeded_rng::rng(seed);
    let mut model = Mlp::<F>::new(sizes, &mut rng);
    let mut optimizer = Adam::new(ch03_layers::float(setup.learning_rate));
    let history = train(
        &mut model,
        data,
        &mut optimizer,
        setup,
        &mut rng,
        &mut ProgressBar::new(setup.epochs),
    );
    (model, history)
}

/// When the test accuracy first reached the target, in seconds since training began (stderr).
fn report_time_to_target(history: &History) {
    match history.first_reaching(TARGET) {
        Some(e) => eprintln!(
            "reached {:.1}% test accuracy after epoch {}: {:.2} s after training began",
            100.0 * TARGET,
            e.epoch,
            e.seconds
        ),
        None => eprintln!("did not reach {:.1}% test accuracy", 100.0 * TARGET),
    }
}

/// One line per epoch, and when the test accuracy reached the target.
fn print_training(history: &History) {
    section("Training");
    print_epochs(history);
}

/// The table of [`print_training`], without its heading.
fn print_epochs(history: &History) {
    println!("epoch  learning rate  loss    train acc  test acc");
    for e in &history.epochs {
        println!(
            "{:>5}  {:>13.6}  {:.4}  {:.4}     {:.4}",
            e.epoch, e.learning_rate, e.loss, e.train_accuracy, e.test_accuracy
        );
    }
    match history.first_reaching(TARGET) {
        Some(e) => println!(
            "test accuracy first reached {:.1}% after epoch {}",
            100.0 * TARGET,
            e.epoch
        ),
        None => println!("test accuracy did not reach {:.1}%", 100.0 * TARGET),
    }
}

fn draw_curves(out: &Path, history: &History) -> Result<()> {
    let loss = loss_chart(history, LOSS_WINDOW);
    figures::write_svg(out, "loss.svg", figures::SIZE, |area| {
        figures::line_chart(area, &loss)
    })?;
    let accuracy = accuracy_chart(history, TARGET);
    figures::write_svg(out, "accuracy.svg", figures::SIZE, |area| {
        figures::line_chart(area, &accuracy)
    })?;
    Ok(())
}

/// The test set: accuracy, the confusion matrix, the most frequent mistakes, and two figures.
/// Returns the predicted digits.
fn evaluate<F: Float>(model: &mut Mlp<F>, data: &MnistData<F>, out: &Path) -> Result<Vec<usize>> {
    section("The test set");
    let predicted = model.classify(&data.x_test);
    let confusion = confusion_matrix(&predicted, &data.t_test);
    let right: usize = (0..CLASSES).map(|k| confusion[k][k]).sum();
    let total = data.t_test.len();
    println!(
        "{right} of {total} test images right: accuracy {:.4}",
        right as f64 / total as f64
    );
    print_confusion(&confusion);
    println!("the most frequent mistakes:");
    for (t, p, count) in most_confused(&confusion, TOP_MISTAKES) {
        println!("  {t} taken for {p}: {count} times");
    }
    figures::write_svg(out, "confusion.svg", (600, 560), |area| {
        draw_confusion(area, &confusion)
    })?;

    let wrong: Vec<usize> = (0..total)
        .filter(|&i| predicted[i] != data.t_test[i])
        .collect();
    let tiles: Vec<Tile> = wrong
        .iter()
        .take(MISTAKES_SHOWN)
        .map(|&i| {
            let pixels: Vec<f32> = data
                .x_test
                .row(i)
                .iter()
                .map(|v| v.to_f32().unwrap_or(0.0))
                .collect();
            Tile::new(&pixels, format!("{}/{}", predicted[i], data.t_test[i])).wrong()
        })
        .collect();
    let title = format!(
        "Misclassified test digits, predicted/true (the first {} of {})",
        tiles.len(),
        wrong.len()
    );
    let rows = tiles.len().div_ceil(MISTAKES_PER_ROW).max(1) as u32;
    figures::write_svg(out, "misclassified.svg", (760, 60 + 88 * rows), |area| {
        draw_digit_grid(area, &title, &tiles, MISTAKES_PER_ROW)
    })?;
    Ok(predicted)
}

/// The confusion matrix as a table: true digit down, predicted digit across.
fn print_confusion(confusion: &Confusion) {
    println!("confusion matrix (rows: true digit, columns: predicted digit):");
    println!(
        "     {}",
        (0..CLASSES).map(|d| format!("{d:>5}")).collect::<String>()
    );
    for (t, row) in confusion.iter().enumerate() {
        println!(
            "  {t}  {}",
            row.iter().map(|c| format!("{c:>5}")).collect::<String>()
        );
    }
}

/// Saves the model, shows what the file holds, loads it back, and shows three files that are
/// refused.
fn save_and_load(model: &mut Mlp<f32>, data: &MnistData<f32>, predicted: &[usize]) -> Result<()> {
    section("Saving and loading");
    let path = default_model_path();
    model.save(&path)?;
    let shown = path
        .strip_prefix(chapter_cli::workspace_root())
        .unwrap_or(&path);
    let bytes = std::fs::read(&path).with_context(|| format!("reading back {}", path.display()))?;
    println!("saved {} ({} bytes)", shown.display(), bytes.len());
    let file = SafeTensors::deserialize(&bytes).context("reading back the model we saved")?;
    let (header_len, header) = SafeTensors::read_metadata(&bytes)?;
    println!(
        "8 bytes giving the header's length, {header_len}; the header, JSON, with the metadata {:?}",
        header.metadata().clone().unwrap_or_default()
    );
    println!("and the name, type and shape of each tensor; then the numbers:");
    let mut tensors = file.tensors();
    tensors.sort_by(|a, b| a.0.cmp(&b.0));
    for (name, tensor) in &tensors {
        println!("  {name:<14} {:?}  {:?}", tensor.dtype(), tensor.shape());
    }

    let mut loaded = Mlp::<f32>::load(&path)?;
    let again = loaded.classify(&data.x_test);
    let same = again.iter().zip(predicted).filter(|(a, b)| a == b).count();
    println!(
        "loaded back: {} of {} test predictions the same as before saving",
        same,
        predicted.len()
    );

    println!("files that are refused:");
    let refuse = |what: &str, bytes: &[u8]| match Mlp::<f32>::from_safetensors(bytes) {
        Ok(_) => println!("  {what}: loaded (it should not have)"),
        Err(e) => println!("  {what}:\n    {e:#}"),
    };
    refuse("the file cut in half", &bytes[..bytes.len() / 2]);
    let png = std::fs::read(chapter_cli::workspace_root().join(HANDWRITING))?;
    refuse("a PNG image", &png);
    let transposed = transpose_in_header(&bytes, model.sizes[1], model.sizes[2]);
    refuse(
        "layer2.weight stored transposed, as PyTorch stores weights",
        &transposed,
    );
    let mut wide = Mlp::<f64>::new(&model.sizes, &mut seeded_rng::rng(0));
    refuse("the same network saved in f64", &wide.to_safetensors());
    Ok(())
}

/// The file with the shape of the `[rows, cols]` tensor written as `[cols, rows]` in its
/// header: a file that is still valid safetensors (same number of values), but wrong.
fn transpose_in_header(bytes: &[u8], rows: usize, cols: usize) -> Vec<u8> {
    let from = format!("\"shape\":[{rows},{cols}]");
    let to = format!("\"shape\":[{cols},{rows}]");
    let text = String::from_utf8_lossy(bytes);
    let start = text.find(&from).expect("the header names the shape");
    let mut changed = bytes.to_vec();
    changed[start..start + to.len()].copy_from_slice(to.as_bytes());
    changed
}

/// What the network read in a picture, and what its figure needs.
struct Reading {
    /// The picture's name, as the output shows it.
    name: String,
    page: handwriting::Image,
    digits: Vec<handwriting::Digit>,
    /// Each digit's caption: the digit read and its probability.
    captions: Vec<String>,
}

/// Reads the digits of one PNG, printing what preprocessing found and what the network reads.
fn read_handwriting<F: StoredFloat>(
    model: &mut Mlp<F>,
    path: &Path,
    name: &str,
) -> Result<Reading> {
    section("Your handwriting");
    let page = handwriting::read_png(path)?;
    let Preprocessed { inverted, digits } = handwriting::preprocess(&page)
        .with_context(|| format!("reading digits from {}", path.display()))?;
    println!("{name}: {}×{} pixels", page.width, page.height);
    println!(
        "paper: {}",
        if inverted {
            "light, so the image is inverted (ink becomes bright)"
        } else {
            "dark, kept as it is"
        }
    );
    println!("digits found: {}", digits.len());
    let probabilities = model.probabilities(&handwriting::digits_matrix::<F>(&digits));
    let mut read = String::new();
    let mut captions = Vec::new();
    for (i, (digit, p)) in digits.iter().zip(probabilities.rows()).enumerate() {
        let mut ranked: Vec<(usize, f64)> = p
            .iter()
            .map(|v| v.to_f64().unwrap_or(0.0))
            .enumerate()
            .collect();
        ranked.sort_by(|a, b| b.1.total_cmp(&a.1).then(a.0.cmp(&b.0)));
        let b = digit.bbox;
        println!(
            "  {}: columns {:>3}–{:<3} rows {:>3}–{:<3} → {} ({:.2}%), then {} ({:.2}%)",
            i + 1,
            b.left,
            b.right - 1,
            b.top,
            b.bottom - 1,
            ranked[0].0,
            100.0 * ranked[0].1,
            ranked[1].0,
            100.0 * ranked[1].1
        );
        read.push_str(&ranked[0].0.to_string());
        captions.push(format!("{}: {:.1}%", ranked[0].0, 100.0 * ranked[0].1));
    }
    println!("the network reads: {read}");
    Ok(Reading {
        name: name.to_string(),
        page,
        digits,
        captions,
    })
}

/// MNIST's own test digits put through the preprocessing for handwriting: where their centre
/// of mass is, and how little the recipe changes them.
fn redo_mnist(model: &mut Mlp<f32>, test: &mnist::Split) {
    section("MNIST digits prepared again");
    let n = test.len().min(REDO_IMAGES);
    let pixels = |i: usize| -> Vec<f32> {
        test.image(i)
            .iter()
            .map(|&p| f32::from(p) / 255.0)
            .collect()
    };
    let (mut cx, mut cy) = (0.0, 0.0);
    for i in 0..test.len() {
        let image = handwriting::Image::new(test.cols, test.rows, pixels(i));
        let (x, y) = handwriting::centre_of_mass(&image).unwrap_or((0.0, 0.0));
        cx += x / test.len() as f64;
        cy += y / test.len() as f64;
    }
    println!(
        "centre of mass of the {} test digits, on average: ({cx:.2}, {cy:.2})",
        test.len()
    );
    let (mut single, mut change, mut same) = (0, 0.0, 0);
    for i in 0..n {
        let original = pixels(i);
        let image = handwriting::Image::new(test.cols, test.rows, original.clone());
        let Ok(found) = handwriting::preprocess(&image) else {
            continue;
        };
        if found.digits.len() != 1 {
            continue; // a digit written in pieces that do not overlap
        }
        single += 1;
        let again = &found.digits[0].image.pixels;
        change += again
            .iter()
            .zip(&original)
            .map(|(a, b)| f64::from((a - b).abs()))
            .sum::<f64>()
            / original.len() as f64;
        let before = model.classify(
            &ndarray::Array2::from_shape_vec((1, original.len()), original).expect("one row"),
        );
        let after = model.classify(&handwriting::digits_matrix(&found.digits));
        same += usize::from(before == after);
    }
    println!("the first {n} test digits, prepared again: {single} found as one digit each");
    println!(
        "  mean change of a pixel: {:.4} (pixels run from 0 to 1)",
        change / single.max(1) as f64
    );
    println!("  read as the same digit as before: {same} of {single}");
}

/// The story's handwriting figure.
fn draw_handwriting_figure(out: &Path, reading: &Reading) -> Result<()> {
    figures::write_svg(out, "handwriting.svg", (760, 470), |area| {
        draw_reading(area, reading)
    })?;
    Ok(())
}

/// The figure of a [`Reading`]: the picture with its digits boxed, and each digit as the
/// network saw it.
fn draw_reading<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    reading: &Reading,
) -> figures::FigureResult
where
    DB::ErrorType: 'static,
{
    let boxes: Vec<_> = reading.digits.iter().map(|d| d.bbox).collect();
    let tiles: Vec<Tile> = reading
        .digits
        .iter()
        .zip(&reading.captions)
        .map(|(d, caption)| Tile::new(&d.image.pixels, caption.clone()))
        .collect();
    let title = format!("Reading {}", reading.name);
    draw_handwriting(area, &title, &reading.page, &boxes, &tiles)
}

/// Images the reader might pass by mistake, and what the program says about each.
fn bad_images() -> Result<()> {
    section("Images that are refused");
    let blank_page = png_bytes(40, 40, &[255; 1600])?;
    let tiny = png_bytes(5, 5, &[0; 25])?;
    let speck = {
        let mut pixels = vec![255u8; 1600];
        for y in 20..23 {
            pixels[y * 40 + 20] = 0; // three pixels of ink
        }
        png_bytes(40, 40, &pixels)?
    };
    let cases: [(&str, &[u8]); 5] = [
        ("an empty file", b""),
        ("a text file", b"2026\n"),
        ("a 5×5 image", &tiny),
        ("a blank page", &blank_page),
        ("a page with a speck of ink", &speck),
    ];
    for (what, bytes) in cases {
        let result = handwriting::decode_png(bytes).and_then(|page| handwriting::preprocess(&page));
        match result {
            Ok(found) => println!(
                "  {what}: {} digits (it should have been refused)",
                found.digits.len()
            ),
            Err(e) => println!("  {what}:\n    {e:#}"),
        }
    }
    Ok(())
}

/// A greyscale PNG of the given pixels.
fn png_bytes(width: u32, height: u32, pixels: &[u8]) -> Result<Vec<u8>> {
    let mut bytes = Vec::new();
    let mut encoder = png::Encoder::new(&mut bytes, width, height);
    encoder.set_color(png::ColorType::Grayscale);
    encoder.set_depth(png::BitDepth::Eight);
    let mut writer = encoder.write_header()?;
    writer.write_image_data(pixels)?;
    writer.finish()?;
    Ok(bytes)
}

/// The quick comparison of the story: the same short run in f32 and in f64.
fn compare_precision(mnist: &mnist::Mnist, seed: u64) -> Result<()> {
    section("f32 or f64");
    let training = TrainingArgs {
        epochs: PRECISION_EPOCHS,
        train_size: Some(PRECISION_TRAIN_SIZE),
        ..default_training()
    };
    println!(
        "the same network, seed and batches; {} epoch on the first {} training images",
        training.epochs, PRECISION_TRAIN_SIZE
    );
    let (f32_history, f32_bytes, f32_seconds) = precision_run::<f32>(mnist, &training, seed)?;
    let (f64_history, f64_bytes, f64_seconds) = precision_run::<f64>(mnist, &training, seed)?;
    println!("type  loss    test acc  model file");
    for (name, history, bytes) in [
        ("f32", &f32_history, f32_bytes),
        ("f64", &f64_history, f64_bytes),
    ] {
        let last = history.epochs.last().expect("at least one epoch");
        println!(
            "{name}   {:.4}  {:.4}    {bytes} bytes",
            last.loss, last.test_accuracy
        );
    }
    let agree = f32_history
        .batch_losses
        .iter()
        .zip(&f64_history.batch_losses)
        .map(|(a, b)| (a - b).abs())
        .fold(0.0, f64::max);
    println!("largest difference between the two runs' batch losses: {agree:.1e}");
    eprintln!(
        "f32: {f32_seconds:.2} s, f64: {f64_seconds:.2} s (f64 takes {:.2}× as long)",
        f64_seconds / f32_seconds
    );
    Ok(())
}

/// Trains in the float type `F`; returns the history, the size of the saved model and the
/// seconds training took.
fn precision_run<F: StoredFloat + From<u8>>(
    mnist: &mnist::Mnist,
    training: &TrainingArgs,
    seed: u64,
) -> Result<(History, usize, f64)> {
    let data = training.data::<F>(mnist)?;
    let started = Instant::now();
    let (mut model, history) = run_training(&data, &training.sizes()?, &training.setup()?, seed);
    let seconds = started.elapsed().as_secs_f64();
    Ok((history, model.to_safetensors().len(), seconds))
}

/// `train`: the story's training (or another), saved.
fn train_command(out: &Path, seed: u64, args: &TrainArgs) -> Result<()> {
    let setup = args.training.setup()?;
    let sizes = args.training.sizes()?;
    let mnist = load_mnist()?;
    let data = timed("normalising", || args.training.data::<f32>(&mnist))?;
    print_network(&sizes, &setup, data.x_train.nrows(), data.x_test.nrows());
    let (mut model, history) = run_training(&data, &sizes, &setup, seed);
    report_time_to_target(&history);
    print_training(&history);
    draw_curves(out, &history)?;
    let path = args.model.clone().unwrap_or_else(default_model_path);
    model.save(&path)?;
    println!("saved the model to {}", path.display());
    Ok(())
}

/// Loads the model of `--model`, or the default one, with a hint if there is none.
fn load_model(args: &ModelArgs) -> Result<Mlp<f32>> {
    let path = args.model.clone().unwrap_or_else(default_model_path);
    if args.model.is_none() && !path.exists() {
        anyhow::bail!(
            "no trained model at {}: train one first with `cargo run -p {CHAPTER} -- train`",
            path.display()
        );
    }
    let model = Mlp::<f32>::load(&path)?;
    ensure!(
        model.sizes.first() == Some(&PIXELS) && model.sizes.last() == Some(&CLASSES),
        "{} holds a {} network, but MNIST needs {PIXELS} inputs and {CLASSES} outputs",
        path.display(),
        model.architecture()
    );
    eprintln!("loaded {} ({})", path.display(), model.architecture());
    Ok(model)
}

/// `eval`: a saved model on the test set.
fn eval_command(out: &Path, args: &ModelArgs) -> Result<()> {
    let mut model = load_model(args)?;
    let mnist = load_mnist()?;
    let data = MnistData::<f32>::new(&mnist);
    evaluate(&mut model, &data, out)?;
    Ok(())
}

/// `predict`: the digits of each image, read by a saved model.
fn predict_command(out: &Path, args: &PredictArgs) -> Result<()> {
    let mut model = load_model(&args.model)?;
    for path in &args.images {
        let stem = path
            .file_stem()
            .map(|s| s.to_string_lossy().into_owned())
            .unwrap_or_else(|| "image".into());
        let reading = read_handwriting(&mut model, path, &path.display().to_string())?;
        figures::write_svg(out, &format!("{stem}_digits.svg"), (760, 470), |area| {
            draw_reading(area, &reading)
        })?;
    }
    Ok(())
}

/// `compare-precision`: a whole run in f32, then in f64.
fn compare_command(seed: u64, training: &TrainingArgs) -> Result<()> {
    training.setup()?;
    let sizes = training.sizes()?;
    let mnist = load_mnist()?;
    let mut seconds = Vec::new();
    for name in ["f32", "f64"] {
        section(&format!("Training in {name}"));
        let started = Instant::now();
        let history = if name == "f32" {
            let data = training.data::<f32>(&mnist)?;
            run_training(&data, &sizes, &training.setup()?, seed).1
        } else {
            let data = training.data::<f64>(&mnist)?;
            run_training(&data, &sizes, &training.setup()?, seed).1
        };
        seconds.push(started.elapsed().as_secs_f64());
        print_epochs(&history);
    }
    eprintln!(
        "training took {:.2} s in f32 and {:.2} s in f64: f64 takes {:.2}× as long",
        seconds[0],
        seconds[1],
        seconds[1] / seconds[0]
    );
    Ok(())
}
