//! # MNIST, end to end
//!
//! The capstone: everything the book has built, put to work on real handwriting. We read the
//! MNIST digits, hold out part of the training images to choose the learning rate with, train
//! a multi-layer perceptron made of the backprop chapter's layers with the optimizers chapter's
//! Adam, measure it once on the test images (better than 98%), look at what it gets wrong (a
//! confusion matrix, the misclassified digits), save it as a `safetensors` file and load it
//! back, and finally read the reader's own handwriting from a PNG, prepared the way MNIST
//! itself was made.
//!
//! Run the chapter: `cargo run -p ch13_mnist` (the whole story, with its figures in
//! `target/figures/ch13_mnist/` and the trained model in `target/models/`). Subcommands:
//! `train`, `eval`, `predict IMAGE.png…` and `compare-precision`; `--help` lists their flags.
//!
//! The chapter in the order of its page:
//!
//! | module | what |
//! |---|---|
//! | [`data`] | MNIST in three sets (training, validation, test) as the network wants them, and what the story prints about them |
//! | [`model`] | the network, [`Mlp`]: its layers, its cost in operations |
//! | [`train`](mod@train) | shuffled epochs, a falling learning rate, the training loop, learning rates tried on the validation images |
//! | [`evaluate`] | the confusion matrix and the most frequent mistakes |
//! | [`save`] | saving and loading a model as safetensors |
//! | [`handwriting`] | a photo of digits made to look like MNIST's |
//! | [`exercises`] | the chapter's exercises |
//!
//! and the machine room, which the page does not need to show: [`progress`] (the progress
//! bar), [`cli`] (the program's flags, checked), [`report`] (printing helpers) and [`plots`]
//! (the figures). The progress bar, the flags and the figures belong to the program (the
//! default feature `program`): the drawing canvas on the page compiles the rest to
//! WebAssembly without them.

#[cfg(feature = "program")]
pub mod cli;
pub mod data;
pub mod evaluate;
pub mod exercises;
pub mod handwriting;
pub mod model;
#[cfg(feature = "program")]
pub mod plots;
#[cfg(feature = "program")]
pub mod progress;
pub mod report;
pub mod save;
pub mod train;

#[cfg(feature = "program")]
pub use cli::CHAPTER;
pub use data::{CLASSES, Datasets, PIXELS, VALIDATION_SIZE, hold_out};
pub use evaluate::{Confusion, confusion_matrix, most_confused, top_classes};
pub use model::{Mlp, architecture, flops_per_image, parse_sizes};
#[cfg(feature = "program")]
pub use progress::ProgressBar;
pub use save::{SIZES_KEY, StoredFloat, tensor_names, tensor_shapes};
pub use train::{
    EpochRecord, History, Schedule, Setup, Watcher, best_learning_rate, learning_rate_at,
    permutation, train, train_step, try_learning_rates,
};
