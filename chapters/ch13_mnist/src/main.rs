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

/// The experiments, one file for each part of the page, in the page's order, in
/// `src/experiments/`; the subcommands below use them too.
mod experiments {
    // The data, the network, training, the test set.
    pub mod training;
    // Saving and loading.
    pub mod saving;
    // Your handwriting, MNIST's digits prepared again, images that are refused.
    pub mod your_handwriting;
    // Photos.
    pub mod photos;
    // f32 or f64.
    pub mod precision;
}
use experiments::photos::read_photos;
use experiments::precision::{compare_precision, precision_run};
use experiments::saving::save_and_load;
use experiments::training::{
    choose_learning_rate, draw_curves, draw_samples, evaluate, print_data, print_network,
    print_training, run_training,
};
use experiments::your_handwriting::{
    bad_images, draw_handwriting_figure, read_handwriting, redo_mnist,
};

/// The handwriting the story reads, relative to the workspace root.
const HANDWRITING: &str = "data/handwriting/2026.png";
/// The photo-like pictures the story reads, their digits in their names, and the one whose
/// steps it draws.
const PHOTOS: &str = "data/handwriting/photos";
const STEPS_PHOTO: &str = "06-shadow-pencil-5-7-2-0-0-0.jpg";
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

/// A way of preparing a picture's digits: MNIST's recipe alone ([`handwriting::preprocess`]), or
/// with the steps for photos first ([`handwriting::preprocess_photo`]).
type Recipe = fn(&Image) -> Result<Preprocessed>;

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
