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
//! - [`overfitting`]: training while measuring accuracy on training and held-out data;
//! - [`data`]: training, validation and test sets, of MNIST and of spiral points;
//! - [`regularization`]: L2 and L1 penalties on the weights, for any optimizer;
//! - [`mode`]: the switch between training and inference that the next two layers read;
//! - [`dropout`]: the dropout layer;
//! - [`batch_norm`]: the batch normalisation layer;
//! - [`network`]: networks of any depth with dropout and batch normalisation;
//! - [`vanishing`]: how fast each layer of a deep network learns (Nielsen, chapter 5);
//! - [`slowdown`]: one sigmoid neuron trained on the quadratic cost and on the cross-entropy
//!   (Nielsen, chapter 3);
//! - [`early_stopping`]: stopping when the validation loss stops improving;
//! - [`augment`]: shifted and turned copies of the digits;
//! - [`search`]: random search of the learning rate and the weight decay (DLFS §6.5);
//! - [`plots`] and [`plots_training`]: the figures of the first and second half;
//!
//! Run the chapter: `cargo run -p ch11_generalization` (`--quick` for a run of a few
//! seconds), figures in `target/figures/ch11_generalization/`.

pub mod augment;
pub mod batch_norm;
pub mod data;
pub mod dropout;
pub mod early_stopping;
pub mod exercises;
pub mod mode;
pub mod network;
pub mod overfitting;
pub mod plots;
pub mod plots_training;
pub mod progress;
pub mod regularization;
pub mod search;
pub mod slowdown;
pub mod vanishing;

pub use batch_norm::BatchNorm;
pub use data::{Split, ThreeSets, mnist_sets, permutation, spiral_sets};
pub use dropout::{Dropout, SameMask};
pub use mode::Mode;
pub use network::{Extras, multi_layer_net_extend};
pub use overfitting::{History, Schedule, train_and_watch};
pub use progress::progress_bar;
pub use regularization::{Penalty, Regularized, network_penalty, share_below};
