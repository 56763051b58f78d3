//! The chapter's program: with no subcommand, the whole story (the data, the learning rate
//! chosen on the validation images, training, the test set once, saving and loading,
//! handwriting, f32 against f64); `train`, `eval`, `predict` and `compare-precision` do one
//! part each, with their own flags.

use std::path::Path;
use std::process::ExitCode;
use std::time::Instant;

use anyhow::{Context, Result, ensure};
use ch03_layers::Float;
use ch09_backprop::MnistData;
use ch10_optimizers::Adam;
use ch13_mnist::cli::{
    self, Args, Command, ModelArgs, PredictArgs, ScheduleArg, TrainArgs, TrainingArgs,
};
use ch13_mnist::data::{label_counts, mean_pixel, normalised_image, pixel_range};
use ch13_mnist::evaluate::{mistakes, right_answers};
use ch13_mnist::handwriting::{self, Image, Preprocessed};
use ch13_mnist::plots::{self, Reading};
use ch13_mnist::report::{self, columns, print_confusion, print_epochs, print_refusal};
use ch13_mnist::{
    CLASSES, Datasets, History, Mlp, ProgressBar, Setup, StoredFloat, architecture,
    best_learning_rate, confusion_matrix, flops_per_image, most_confused, save, top_classes, train,
    try_learning_rates,
};
use chapter_cli::{section, timed};
use clap::Parser;
use ndarray::Array2;

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
/// The handwriting the story reads, relative to the workspace root.
const HANDWRITING: &str = "data/handwriting/2026.png";
/// The photo-like pictures the story reads, their digits in their names, and the one whose
/// steps it draws.
const PHOTOS: &str = "data/handwriting/photos";
const STEPS_PHOTO: &str = "06-shadow-pencil-5-7-2-0-0-0.jpg";
/// The quick f32-against-f64 comparison of the story: one epoch on this many training images.
const PRECISION_TRAIN_SIZE: usize = 10_000;
const PRECISION_EPOCHS: usize = 1;
/// How many MNIST test digits the story prepares again as if they were handwriting.
const REDO_IMAGES: usize = 1000;
/// The story's trained model, saved beside its figures: the book's drawing canvas reads it.
const CANVAS_MODEL: &str = "model.safetensors";

fn main() -> ExitCode {
    chapter_cli::run(|| {
        let args = Args::parse();
        let out = args.common.out_dir(env!("CARGO_PKG_NAME"))?;
        let seed = args.common.seed;
        if let Some(command) = &args.command {
            return run_command(command, &out, seed);
        }
        let mnist = timed("loading MNIST", cli::load_mnist)?;
        let training = TrainingArgs::story();
        let mut rng = seeded_rng::rng(seed); // for the validation images held out
        let data = timed("normalising", || training.data::<f32>(&mnist, &mut rng))?;
        print_data(&mnist, &data);
        draw_samples(&out, &mnist.train)?;

        let sizes = training.sizes()?;
        print_network(&sizes, &training, data.x_train.nrows(), data.x_val.nrows());
        let learning_rate = choose_learning_rate(&data, &sizes, &training, seed)?;
        let setup = training.setup(learning_rate)?;
        let (mut model, history) = run_training(&data, &sizes, &setup, seed)?;
        print_training(&history);
        draw_curves(&out, &history)?;

        let predicted = evaluate(&mut model, &data.x_test, &data.t_test, &out)?;
        save_and_load(&mut model, &data, &predicted)?;
        model.save(&out.join(CANVAS_MODEL))?;

        let path = chapter_cli::workspace_root().join(HANDWRITING);
        let reading = read_handwriting(&mut model, &path, HANDWRITING, handwriting::preprocess)?;
        draw_handwriting_figure(&out, &reading)?;
        redo_mnist(&mut model, &mnist.test);
        bad_images()?;
        read_photos(&mut model, &out)?;
        compare_precision(&mnist, learning_rate, seed)
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

/// The data: sizes, the validation images held out, pixel range, labels, one-hot rows.
fn print_data(mnist: &mnist::Mnist, data: &Datasets<f32>) {
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
fn draw_samples(out: &Path, train: &mnist::Split) -> Result<()> {
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
fn print_network(
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
fn choose_learning_rate<F: Float>(
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
fn run_training<F: Float>(
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
fn print_training(history: &History) {
    section("Training");
    print_epochs(history);
}

/// The loss curve and the accuracy curves.
fn draw_curves(out: &Path, history: &History) -> Result<()> {
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
fn evaluate<F: Float>(
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

/// Saves the model, shows what the file holds, loads it back, and shows four files that are
/// refused.
fn save_and_load(model: &mut Mlp<f32>, data: &Datasets<f32>, predicted: &[usize]) -> Result<()> {
    section("Saving and loading");
    let path = cli::default_model_path();
    model.save(&path)?;
    let bytes = std::fs::read(&path).with_context(|| format!("reading back {}", path.display()))?;
    println!("saved {} ({} bytes)", cli::shown_path(&path), bytes.len());
    let contents = save::contents(&bytes)?;
    println!(
        "8 bytes giving the header's length, {}; the header, JSON, with the metadata {:?}",
        contents.header_len, contents.metadata
    );
    println!("and the name, type and shape of each tensor; then the numbers:");
    for (name, dtype, shape) in &contents.tensors {
        println!("  {name:<14} {dtype:?}  {shape:?}");
    }

    let mut loaded = Mlp::<f32>::load(&path)?;
    let again = loaded.classify(&data.x_test);
    let same = again.iter().zip(predicted).filter(|(a, b)| a == b).count();
    let total = predicted.len();
    println!("loaded back: {same} of {total} test predictions the same as before saving");

    println!("files that are refused:");
    let refuse = |what: &str, bytes: &[u8]| {
        print_refusal(what, Mlp::<f32>::from_safetensors(bytes));
    };
    refuse("the file cut in half", &bytes[..bytes.len() / 2]);
    let png = std::fs::read(chapter_cli::workspace_root().join(HANDWRITING))?;
    refuse("a PNG image", &png);
    let transposed = save::with_shape_transposed(&bytes, model.sizes[1], model.sizes[2]);
    refuse(
        "layer2.weight stored transposed, as PyTorch stores weights",
        &transposed,
    );
    let mut wide = Mlp::<f64>::new(&model.sizes, &mut seeded_rng::rng(0));
    refuse("the same network saved in f64", &wide.to_safetensors());
    Ok(())
}

/// Reads the digits of one picture, printing what preprocessing found and what the network
/// reads (and, if its name gives its digits, how many it read right).
fn read_handwriting<F: Float>(
    model: &mut Mlp<F>,
    path: &Path,
    name: &str,
    recipe: Recipe,
) -> Result<Reading> {
    section("Your handwriting");
    let page = handwriting::read_image(path)?;
    let Preprocessed {
        light_paper,
        turn,
        digits,
    } = recipe(&page).with_context(|| format!("reading digits from {}", path.display()))?;
    println!("{name}: {}×{} pixels", page.width, page.height);
    let paper = match light_paper {
        true => "light, so the image is inverted (ink becomes bright)",
        false => "dark, kept as it is",
    };
    println!("paper: {paper}");
    if turn != 0.0 {
        println!(
            "page turned straight by {turn}°: columns and rows below are those of the page turned straight, as drawn"
        );
    }
    println!("digits found: {}", digits.len());
    let probabilities = model.probabilities(&handwriting::digits_matrix::<F>(&digits));
    let mut read = String::new();
    let mut captions = Vec::new();
    for (i, (digit, top)) in digits
        .iter()
        .zip(top_classes(&probabilities, 2))
        .enumerate()
    {
        let ((first, p1), (second, p2)) = (top[0], top[1]);
        let b = digit.bbox;
        println!(
            "  {}: columns {:>3}–{:<3} rows {:>3}–{:<3} → {first} ({:.2}%), then {second} ({:.2}%)",
            i + 1,
            b.left,
            b.right - 1,
            b.top,
            b.bottom - 1,
            100.0 * p1,
            100.0 * p2
        );
        read.push_str(&first.to_string());
        captions.push(format!("{first}: {:.1}%", 100.0 * p1));
    }
    println!("the network reads: {read}");
    if let Some(labels) = cli::labels_in_name(path) {
        let read: Vec<u8> = read.bytes().map(|b| b - b'0').collect();
        let right = cli::digits_right(&labels, &read);
        let said: String = labels.iter().map(|d| d.to_string()).collect();
        println!(
            "its name says: {said}; digits read right: {right} of {}",
            labels.len()
        );
    }
    let name = name.to_string();
    Ok(Reading {
        name,
        page: handwriting::turn_page(&page, turn, light_paper), // where the boxes were found
        digits,
        captions,
    })
}

/// A way of preparing a picture's digits: MNIST's recipe alone ([`handwriting::preprocess`]), or
/// with the steps for photos first ([`handwriting::preprocess_photo`]).
type Recipe = fn(&Image) -> Result<Preprocessed>;

/// The story's handwriting figure.
fn draw_handwriting_figure(out: &Path, reading: &Reading) -> Result<()> {
    figures::write_svg(out, "handwriting.svg", (760, 470), |area| {
        plots::draw_reading(area, reading)
    })?;
    Ok(())
}

/// MNIST's own test digits put through the preprocessing for handwriting: where their centre
/// of mass is, and how little the recipe changes them.
fn redo_mnist(model: &mut Mlp<f32>, test: &mnist::Split) {
    section("MNIST digits prepared again");
    let n = test.len() as f64;
    let (mut cx, mut cy) = (0.0, 0.0);
    for i in 0..test.len() {
        let image = Image::new(test.cols, test.rows, normalised_image(test, i));
        let (x, y) = handwriting::centre_of_mass(&image).unwrap_or((0.0, 0.0));
        cx += x / n;
        cy += y / n;
    }
    let count = test.len();
    println!("centre of mass of the {count} test digits, on average: ({cx:.2}, {cy:.2})");

    let one_row =
        |pixels: &[f32]| ndarray::Array2::from_shape_vec((1, pixels.len()), pixels.to_vec());
    let first = test.len().min(REDO_IMAGES);
    let (mut single, mut change, mut same) = (0, 0.0, 0);
    for i in 0..first {
        let original = normalised_image(test, i);
        let Some(again) = handwriting::prepare_again(&original, test.cols) else {
            continue; // not found as one digit
        };
        single += 1;
        let differences = again
            .pixels
            .iter()
            .zip(&original)
            .map(|(a, b)| f64::from((a - b).abs()));
        change += differences.sum::<f64>() / original.len() as f64;
        let before = model.classify(&one_row(&original).expect("one row"));
        let after = model.classify(&one_row(&again.pixels).expect("one row"));
        same += usize::from(before == after);
    }
    println!("the first {first} test digits, prepared again: {single} found as one digit each");
    let change = change / single.max(1) as f64;
    println!("  mean change of a pixel: {change:.4} (pixels run from 0 to 1)");
    println!("  read as the same digit as before: {same} of {single}");
}

/// Images the reader might pass by mistake, and what the program says about each.
fn bad_images() -> Result<()> {
    section("Images that are refused");
    let blank_page = handwriting::grey_png(40, 40, &[255; 1600])?;
    let tiny = handwriting::grey_png(5, 5, &[0; 25])?;
    let mut speck = vec![255; 1600];
    for y in 20..23 {
        speck[y * 40 + 20] = 0; // three pixels of ink
    }
    let speck = handwriting::grey_png(40, 40, &speck)?;
    let photo = chapter_cli::workspace_root().join(PHOTOS).join(STEPS_PHOTO);
    let jpeg = std::fs::read(&photo).with_context(|| format!("reading {}", photo.display()))?;
    let cut_short = &jpeg[..jpeg.len() / 2];
    let claims_huge = claiming_size(&jpeg, 11_000)?;
    let cases: [(&str, &[u8]); 7] = [
        ("an empty file", b""),
        ("a text file", b"2026\n"),
        ("a 5×5 image", &tiny),
        ("a blank page", &blank_page),
        ("a page with a speck of ink", &speck),
        ("a JPEG photo cut short at half its bytes", cut_short),
        (
            "the same photo, its header claiming 11000×11000 pixels",
            &claims_huge,
        ),
    ];
    for (what, bytes) in cases {
        let found =
            handwriting::decode_image(bytes).and_then(|page| handwriting::preprocess(&page));
        print_refusal(what, found);
    }
    Ok(())
}

/// A JPEG's bytes with the picture size in its frame header (the marker `FF C0` to `FF C2`,
/// then two bytes of length and one of precision) changed to `side`×`side`: a small file that
/// claims a huge picture.
fn claiming_size(jpeg: &[u8], side: u16) -> Result<Vec<u8>> {
    let frame = jpeg
        .windows(2)
        .position(|w| w[0] == 0xFF && (0xC0..=0xC2).contains(&w[1]))
        .context("no frame header in the JPEG")?;
    let mut bytes = jpeg.to_vec();
    for at in [frame + 5, frame + 7] {
        bytes[at..at + 2].copy_from_slice(&side.to_be_bytes()); // height, then width
    }
    Ok(bytes)
}

/// The shipped photos read with MNIST's recipe alone and with the steps for photos first: the
/// digits each reads right, and the figure of the steps for one photo.
fn read_photos(model: &mut Mlp<f32>, out: &Path) -> Result<()> {
    section("Photos of handwriting");
    let folder = chapter_cli::workspace_root().join(PHOTOS);
    let mut paths: Vec<_> = std::fs::read_dir(&folder)
        .with_context(|| format!("reading {}", folder.display()))?
        .map(|entry| entry.map(|e| e.path()))
        .collect::<std::io::Result<_>>()?;
    paths.retain(|p| cli::labels_in_name(p).is_some());
    paths.sort();
    let recipes: [Recipe; 2] = [handwriting::preprocess, handwriting::preprocess_photo];
    let (mut right, mut wrong_count, mut digits) = ([0; 2], [0; 2], 0);
    let header = (
        "photo",
        "digits",
        "MNIST's recipe",
        "with the steps for photos",
    );
    println!(
        "{:<40} {:<9} {:<20} {}",
        header.0, header.1, header.2, header.3
    );
    for path in &paths {
        let labels = cli::labels_in_name(path).expect("kept only labelled photos");
        let photo = handwriting::read_image(path)?;
        let mut row = format!("{:<40} {:<9} ", cli::file_stem(path), as_text(&labels));
        for (r, recipe) in recipes.iter().enumerate() {
            let read = match recipe(&photo) {
                Ok(found) => read_digits(model, &found.digits),
                Err(_) => Vec::new(), // no digits found
            };
            let n = cli::digits_right(&labels, &read);
            right[r] += n;
            wrong_count[r] += usize::from(read.len() != labels.len());
            let cell = format!("{:<9} {n} right", as_text(&read));
            row.push_str(&format!("{cell:<21}"));
        }
        digits += labels.len();
        println!("{}", row.trim_end());
    }
    let share = |n: usize| format!("{n} of {digits} ({:.1}%)", 100.0 * n as f64 / digits as f64);
    let (first, second) = (share(right[0]), share(right[1]));
    println!("{:<51}{first:<21}{second}", "digits read right:");
    let count = paths.len();
    let first = format!("{} of {count}", wrong_count[0]);
    let second = format!("{} of {count}", wrong_count[1]);
    println!(
        "{:<51}{first:<21}{second}",
        "photos with too many or too few digits:"
    );
    draw_photo_steps(model, &folder.join(STEPS_PHOTO), out)
}

/// Digits as text: `[2, 0, 2, 6]` as `2026`.
fn as_text(digits: &[u8]) -> String {
    digits.iter().map(|d| d.to_string()).collect()
}

/// The figure of the steps for photos: the photo, its paper and ink with the digits found, and
/// each digit as the network sees it.
fn draw_photo_steps(model: &mut Mlp<f32>, path: &Path, out: &Path) -> Result<()> {
    let photo = handwriting::read_image(path)?;
    let (ink, _) = handwriting::clean_ink(&photo);
    let found = handwriting::preprocess_photo(&photo)?;
    let probabilities = model.probabilities(&handwriting::digits_matrix::<f32>(&found.digits));
    let tiles: Vec<plots::Tile> = found
        .digits
        .iter()
        .zip(top_classes(&probabilities, 1))
        .map(|(d, top)| {
            plots::Tile::new(
                &d.image.pixels,
                format!("{}: {:.1}%", top[0].0, 100.0 * top[0].1),
            )
        })
        .collect();
    let boxes: Vec<_> = found.digits.iter().map(|d| d.bbox).collect();
    let title = format!("Reading {}", cli::file_stem(path));
    figures::write_svg(out, "photo-steps.svg", (760, 620), |area| {
        plots::draw_photo_steps(area, &title, &photo, &ink, &boxes, &tiles)
    })?;
    Ok(())
}

/// The quick comparison of the story: the same short run in f32 and in f64, at the chosen
/// learning rate.
fn compare_precision(mnist: &mnist::Mnist, learning_rate: f64, seed: u64) -> Result<()> {
    section("f32 or f64");
    let training = TrainingArgs {
        epochs: PRECISION_EPOCHS,
        train_size: Some(PRECISION_TRAIN_SIZE),
        ..TrainingArgs::story()
    };
    println!(
        "the same network, seed and batches; {} epoch on the first {PRECISION_TRAIN_SIZE} \
         training images",
        training.epochs
    );
    let (f32_history, f32_bytes, f32_seconds) =
        precision_run::<f32>(mnist, &training, learning_rate, seed)?;
    let (f64_history, f64_bytes, f64_seconds) =
        precision_run::<f64>(mnist, &training, learning_rate, seed)?;
    println!("type  loss    validation acc  model file");
    for (name, history, bytes) in [
        ("f32", &f32_history, f32_bytes),
        ("f64", &f64_history, f64_bytes),
    ] {
        let last = history.epochs.last().expect("at least one epoch");
        println!(
            "{name}   {:.4}  {:.4}          {bytes} bytes",
            last.loss, last.validation_accuracy
        );
    }
    let pairs = f32_history
        .batch_losses
        .iter()
        .zip(&f64_history.batch_losses);
    let largest = pairs.map(|(a, b)| (a - b).abs()).fold(0.0, f64::max);
    println!("largest difference between the two runs' batch losses: {largest:.1e}");
    let ratio = f64_seconds / f32_seconds;
    eprintln!("f32: {f32_seconds:.2} s, f64: {f64_seconds:.2} s (f64 takes {ratio:.2}× as long)");
    Ok(())
}

/// Trains in the float type `F` at the peak rate `learning_rate`; returns the history, the size
/// of the saved model and the seconds training took.
fn precision_run<F: StoredFloat + From<u8>>(
    mnist: &mnist::Mnist,
    training: &TrainingArgs,
    learning_rate: f64,
    seed: u64,
) -> Result<(History, usize, f64)> {
    let data = training.data::<F>(mnist, &mut seeded_rng::rng(seed))?;
    let (sizes, setup) = (training.sizes()?, training.setup(learning_rate)?);
    let started = Instant::now();
    let (mut model, history) = run_training(&data, &sizes, &setup, seed)?;
    let seconds = started.elapsed().as_secs_f64();
    Ok((history, model.to_safetensors().len(), seconds))
}

/// `train`: the story's choice and training (or another), saved, then measured on the test
/// set once.
fn train_command(out: &Path, seed: u64, args: &TrainArgs) -> Result<()> {
    let training = &args.training;
    let (rates, sizes) = (training.learning_rates()?, training.sizes()?);
    training.setup(rates[0])?; // the other flags, checked before anything is loaded
    let path = args.model.clone().unwrap_or_else(cli::default_model_path);
    save::check_writable(&path)?; // before the training, not after
    let mnist = timed("loading MNIST", cli::load_mnist)?;
    let mut rng = seeded_rng::rng(seed); // for the validation images held out
    let data = timed("normalising", || training.data::<f32>(&mnist, &mut rng))?;
    print_network(&sizes, training, data.x_train.nrows(), data.x_val.nrows());
    let learning_rate = choose_learning_rate(&data, &sizes, training, seed)?;
    let setup = training.setup(learning_rate)?;
    let (mut model, history) = run_training(&data, &sizes, &setup, seed)?;
    print_training(&history);
    draw_curves(out, &history)?;
    model.save(&path)?;
    println!("saved the model to {}", path.display());
    evaluate(&mut model, &data.x_test, &data.t_test, out)?;
    Ok(())
}

/// `eval`: a saved model on the test set.
fn eval_command(out: &Path, args: &ModelArgs) -> Result<()> {
    let mut model = cli::load_model(args)?;
    let mnist = timed("loading MNIST", cli::load_mnist)?;
    let data = MnistData::<f32>::new(&mnist);
    evaluate(&mut model, &data.x_test, &data.t_test, out)?;
    Ok(())
}

/// `predict`: the digits of each image, read by a saved model.
fn predict_command(out: &Path, args: &PredictArgs) -> Result<()> {
    let mut model = cli::load_model(&args.model)?;
    let (mut right, mut labelled) = (0, 0);
    for (path, figure) in args.images.iter().zip(cli::figure_names(&args.images)) {
        let recipe = match args.plain {
            true => handwriting::preprocess,
            false => handwriting::preprocess_photo,
        };
        let reading = read_handwriting(&mut model, path, &path.display().to_string(), recipe)?;
        if let Some(labels) = cli::labels_in_name(path) {
            let read = read_digits(&mut model, &reading.digits);
            right += cli::digits_right(&labels, &read);
            labelled += labels.len();
        }
        figures::write_svg(out, &figure, (760, 470), |area| {
            plots::draw_reading(area, &reading)
        })?;
    }
    if args.images.len() > 1 && labelled > 0 {
        println!("\nin all, digits read right: {right} of {labelled}");
    }
    Ok(())
}

/// The digits the network reads.
fn read_digits<F: Float>(model: &mut Mlp<F>, digits: &[handwriting::Digit]) -> Vec<u8> {
    let read = model.classify(&handwriting::digits_matrix::<F>(digits));
    read.into_iter().map(|d| d as u8).collect()
}

/// `compare-precision`: a whole run in f32, then in f64, with the same flags as `train` (the
/// learning rate chosen in f32).
fn compare_command(seed: u64, training: &TrainingArgs) -> Result<()> {
    let (rates, sizes) = (training.learning_rates()?, training.sizes()?);
    training.setup(rates[0])?;
    let mnist = timed("loading MNIST", cli::load_mnist)?;
    let data = training.data::<f32>(&mnist, &mut seeded_rng::rng(seed))?;
    let learning_rate = choose_learning_rate(&data, &sizes, training, seed)?;
    section("Training in f32");
    let (f32_history, _, f32_seconds) =
        precision_run::<f32>(&mnist, training, learning_rate, seed)?;
    print_epochs(&f32_history);
    section("Training in f64");
    let (f64_history, _, f64_seconds) =
        precision_run::<f64>(&mnist, training, learning_rate, seed)?;
    print_epochs(&f64_history);
    let ratio = f64_seconds / f32_seconds;
    eprintln!(
        "training took {f32_seconds:.2} s in f32 and {f64_seconds:.2} s in f64: f64 takes {ratio:.2}× as long"
    );
    Ok(())
}
