//! The machine room: the program's subcommands and flags, with the story's hyperparameters as
//! their defaults, and the checks that turn a bad flag into a clear error.

use std::path::{Path, PathBuf};

use anyhow::{Context, Result, bail, ensure};
use ch03_layers::Float;
use chapter_cli::Common;
use clap::{Parser, Subcommand, ValueEnum};
use seeded_rng::Rng;

use crate::data::{CLASSES, Datasets, PIXELS, VALIDATION_SIZE, hold_out};
use crate::model::{Mlp, parse_sizes, shorten};
use crate::train::{Schedule, Setup};

/// The chapter's name, `ch13_mnist`: the default model is `target/models/<name>.safetensors`.
pub const CHAPTER: &str = env!("CARGO_PKG_NAME");

/// The story's network: 784 inputs, two hidden ReLU layers of these widths, 10 outputs.
pub const HIDDEN: &str = "256-128";
/// The story's training: Adam, its learning rate falling in a straight line from the peak to
/// zero over the epochs.
pub const EPOCHS: usize = 4;
pub const BATCH_SIZE: usize = 256;
/// The peak learning rates the story tries, each in a short run (`TRIAL_EPOCHS` on the first
/// `TRIAL_TRAIN_SIZE` training images); the one whose run does best on the validation images
/// trains the network.
pub const LEARNING_RATES: [f64; 3] = [0.004, 0.008, 0.016];
pub const TRIAL_EPOCHS: usize = 1;
pub const TRIAL_TRAIN_SIZE: usize = 10_000;
/// The most epochs `--epochs` accepts: hours of training, not years.
pub const MAX_EPOCHS: usize = 1000;

/// MNIST end to end: train an MLP to 98%, evaluate it, save and load it, read handwriting.
#[derive(Parser)]
pub struct Args {
    #[command(flatten)]
    pub common: Common,

    #[command(subcommand)]
    pub command: Option<Command>,
}

#[derive(Subcommand)]
pub enum Command {
    /// Choose the learning rate, train the network, save it, and measure it on the test set once
    Train(TrainArgs),
    /// Evaluate a saved model on the test set: accuracy, confusion matrix, figures
    Eval(ModelArgs),
    /// Read the digits in PNG or JPEG images (a photo, a scan) with a saved model
    Predict(PredictArgs),
    /// Train the same network in f32 and in f64 and compare accuracy and speed
    ComparePrecision(CompareArgs),
}

#[derive(clap::Args)]
pub struct TrainArgs {
    #[command(flatten)]
    pub training: TrainingArgs,

    /// Where to save the trained model (by default `target/models/<chapter>.safetensors`)
    #[arg(long, value_name = "FILE")]
    pub model: Option<PathBuf>,
}

#[derive(clap::Args, Clone)]
pub struct TrainingArgs {
    /// Passes over the training images (1 to 1000)
    #[arg(long, default_value_t = EPOCHS, value_parser = count, allow_negative_numbers = true)]
    pub epochs: usize,

    /// Images per step
    #[arg(long, default_value_t = BATCH_SIZE, value_parser = count, allow_negative_numbers = true)]
    pub batch_size: usize,

    /// Adam's peak learning rate (positive); several, joined by commas or spaces, are each
    /// tried in a one-epoch run, and the best on the validation images trains the network
    #[arg(long, value_name = "RATE", num_args = 1.., value_delimiter = ',', default_values_t = LEARNING_RATES, allow_negative_numbers = true)]
    pub learning_rate: Vec<f64>,

    /// How the learning rate moves: linear (from the peak down to zero) or constant
    #[arg(long, value_enum, default_value_t = ScheduleArg::Linear)]
    pub schedule: ScheduleArg,

    /// Widths of the hidden layers, joined by dashes
    #[arg(long, default_value = HIDDEN)]
    pub hidden: String,

    /// Train on only N of the training images (by default all 50,000 that are left when the
    /// validation images are held out)
    #[arg(long, value_name = "N", value_parser = count, allow_negative_numbers = true)]
    pub train_size: Option<usize>,
}

#[derive(Clone, Copy, ValueEnum)]
pub enum ScheduleArg {
    Linear,
    Constant,
}

#[derive(clap::Args)]
pub struct ModelArgs {
    /// The model to load (by default `target/models/<chapter>.safetensors`)
    #[arg(long, value_name = "FILE")]
    pub model: Option<PathBuf>,
}

#[derive(clap::Args)]
pub struct PredictArgs {
    #[command(flatten)]
    pub model: ModelArgs,

    /// PNG or JPEG images of handwritten digits (one digit, or a row of them)
    #[arg(required = true, value_name = "IMAGE")]
    pub images: Vec<PathBuf>,

    /// Prepare the digits with MNIST's recipe alone, without the steps for photos
    #[arg(long)]
    pub plain: bool,
}

#[derive(clap::Args)]
pub struct CompareArgs {
    #[command(flatten)]
    pub training: TrainingArgs,
}

impl TrainingArgs {
    /// The story's training: every flag at its default.
    pub fn story() -> Self {
        TrainingArgs {
            epochs: EPOCHS,
            batch_size: BATCH_SIZE,
            learning_rate: LEARNING_RATES.to_vec(),
            schedule: ScheduleArg::Linear,
            hidden: HIDDEN.to_string(),
            train_size: None,
        }
    }

    /// The learning rates to choose from, checked.
    pub fn learning_rates(&self) -> Result<Vec<f64>> {
        for &learning_rate in &self.learning_rate {
            ensure!(
                learning_rate.is_finite() && learning_rate > 0.0,
                "--learning-rate must be a positive number, got {learning_rate:?}"
            );
        }
        Ok(self.learning_rate.clone())
    }

    /// The training setup at the peak rate `learning_rate`, checked.
    pub fn setup(&self, learning_rate: f64) -> Result<Setup> {
        ensure!(self.epochs > 0, "--epochs must be at least 1");
        ensure!(
            self.epochs <= MAX_EPOCHS,
            "--epochs must be at most {MAX_EPOCHS}, got {}",
            self.epochs
        );
        ensure!(self.batch_size > 0, "--batch-size must be at least 1");
        let schedule = match self.schedule {
            ScheduleArg::Linear => Schedule::Linear,
            ScheduleArg::Constant => Schedule::Constant,
        };
        Ok(Setup {
            epochs: self.epochs,
            batch_size: self.batch_size,
            learning_rate,
            schedule,
        })
    }

    /// The layer sizes: 784, the hidden widths, 10.
    pub fn sizes(&self) -> Result<Vec<usize>> {
        parse_sizes(&format!("{PIXELS}-{}-{CLASSES}", self.hidden)).with_context(|| {
            format!(
                "--hidden {} (widths joined by dashes, such as {HIDDEN})",
                shorten(&self.hidden)
            )
        })
    }

    /// MNIST in three sets: `VALIDATION_SIZE` of the training images held out at random as
    /// validation images, the others cut to `--train-size` (checked against the batch size),
    /// and the test images.
    pub fn data<F: Float + From<u8>>(
        &self,
        mnist: &mnist::Mnist,
        rng: &mut impl Rng,
    ) -> Result<Datasets<F>> {
        let (train, validation) = hold_out(&mnist.train, VALIDATION_SIZE, rng);
        let n = self.train_size.unwrap_or(train.len()).min(train.len());
        ensure!(n > 0, "--train-size must be at least 1");
        ensure!(
            self.batch_size <= n,
            "--batch-size {} is larger than the {n} training images",
            self.batch_size,
        );
        Ok(Datasets::new(&train.first(n), &validation, &mnist.test))
    }
}

/// A count given as a flag's value: a whole number, with a clear word for a negative one.
///
/// ```
/// use ch13_mnist::cli::count;
/// assert_eq!(count("12"), Ok(12));
/// assert_eq!(count("-1").unwrap_err(), "a negative number cannot count anything");
/// assert_eq!(count("1e3").unwrap_err(), "not a whole number (invalid digit found in string)");
/// ```
pub fn count(text: &str) -> Result<usize, String> {
    text.parse()
        .map_err(|e| match text.trim().starts_with('-') {
            true => "a negative number cannot count anything".to_string(),
            false => format!("not a whole number ({e})"),
        })
}

/// Loads MNIST, with a hint if its files are not where they should be.
pub fn load_mnist() -> Result<mnist::Mnist> {
    mnist::load().context("loading MNIST (set MNIST_DIR to the folder of its four .gz files)")
}

/// The default place of the trained model: `target/models/<chapter>.safetensors`.
pub fn default_model_path() -> PathBuf {
    chapter_cli::workspace_root()
        .join("target")
        .join("models")
        .join(format!("{CHAPTER}.safetensors"))
}

/// Loads the model of `--model`, or the default one with a hint if there is none, and checks
/// that it reads MNIST: 784 inputs, 10 outputs.
pub fn load_model(args: &ModelArgs) -> Result<Mlp<f32>> {
    let path = args.model.clone().unwrap_or_else(default_model_path);
    if args.model.is_none() && !path.exists() {
        bail!(
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

/// The file name of `path` without its extension (`my-digits` for `photos/my-digits.png`), to
/// name the figure drawn from it.
///
/// ```
/// use std::path::Path;
/// assert_eq!(ch13_mnist::cli::file_stem(Path::new("photos/my-digits.png")), "my-digits");
/// ```
pub fn file_stem(path: &Path) -> String {
    path.file_stem()
        .map(|s| s.to_string_lossy().into_owned())
        .unwrap_or_else(|| "image".into())
}

/// The figure drawn from each of `images`: `<name>_digits.svg`, named after the image's file
/// name, with `-2`, `-3`, … after a name met before, so that no figure overwrites another.
///
/// ```
/// use std::path::PathBuf;
/// let images = ["a/2026.png", "b/2026.png", "seven.png", "2026.jpeg"].map(PathBuf::from);
/// assert_eq!(
///     ch13_mnist::cli::figure_names(&images),
///     ["2026_digits.svg", "2026-2_digits.svg", "seven_digits.svg", "2026-3_digits.svg"]
/// );
/// ```
pub fn figure_names(images: &[PathBuf]) -> Vec<String> {
    let mut used = std::collections::HashSet::new();
    let mut names = Vec::new();
    for path in images {
        let stem = file_stem(path);
        let mut name = format!("{stem}_digits.svg");
        for n in 2.. {
            if used.insert(name.clone()) {
                break;
            }
            name = format!("{stem}-{n}_digits.svg");
        }
        names.push(name);
    }
    names
}

/// `path` relative to the workspace root when it lies inside it, as the output shows it.
pub fn shown_path(path: &Path) -> String {
    let root = chapter_cli::workspace_root();
    path.strip_prefix(&root)
        .unwrap_or(path)
        .display()
        .to_string()
}

/// The digits a picture's file name says it holds: the single digits at the end of its name,
/// joined by dashes (`03-ruled-marker-8-8-3-7.jpg` holds 8, 8, 3, 7), as the shipped photos are
/// named. `None` for a name that says nothing.
///
/// ```
/// use std::path::Path;
/// use ch13_mnist::cli::labels_in_name;
/// assert_eq!(labels_in_name(Path::new("p/03-ruled-8-8-3-7.jpg")), Some(vec![8, 8, 3, 7]));
/// assert_eq!(labels_in_name(Path::new("my-digits.png")), None);
/// ```
pub fn labels_in_name(path: &Path) -> Option<Vec<u8>> {
    let stem = file_stem(path);
    let mut labels: Vec<u8> = stem
        .rsplit('-')
        .map_while(|part| match part.as_bytes() {
            [d @ b'0'..=b'9'] => Some(d - b'0'),
            _ => None,
        })
        .collect();
    labels.reverse();
    (!labels.is_empty()).then_some(labels)
}

/// How many of `labels` a reading got right: digit by digit when it found as many digits as
/// there are, none when it found more or fewer (it has split or joined some, and which digit is
/// which is no longer clear).
///
/// ```
/// use ch13_mnist::cli::digits_right;
/// assert_eq!(digits_right(&[2, 0, 2, 6], &[2, 0, 7, 6]), 3);
/// assert_eq!(digits_right(&[2, 0, 2, 6], &[2, 0, 2, 6, 1]), 0);
/// ```
pub fn digits_right(labels: &[u8], read: &[u8]) -> usize {
    if labels.len() != read.len() {
        return 0;
    }
    labels.iter().zip(read).filter(|(a, b)| a == b).count()
}
