//! # Generalisation
//!
//! A network that scores well on the examples it trained on may have learned the task, or only
//! memorised those examples. This chapter measures the difference — on fresh spiral points and
//! on MNIST images the network never saw — and then tries the classic remedies, each judged on
//! validation data: penalties on the weights (L2 and L1), dropout and batch normalisation; and
//! it looks at what else makes deep networks hard to train or to trust: vanishing gradients,
//! the slowdown of a mean-squared-error output, when to stop, more data made from the data we
//! have, and how to search for hyperparameters.
//!
//! The modules, in the order of the page:
//! - [`data`]: training, validation and test sets, of MNIST and of spiral points;
//!
//! Run the chapter: `cargo run -p ch11_generalization` (`--quick` for a run of a few
//! seconds), figures in `target/figures/ch11_generalization/`.

pub mod data;
pub mod exercises;

pub use data::{Split, ThreeSets, mnist_sets, permutation, spiral_sets};
