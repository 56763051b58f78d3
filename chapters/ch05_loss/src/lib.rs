//! # Loss
//!
//! A loss is one number that says how wrong a network is: it shrinks as the network gets better,
//! and it changes smoothly when a weight changes, so later chapters can follow its slope. This
//! chapter writes the two losses of the classic books, mean squared error and cross-entropy
//! (with class indices or one-hot rows as targets, clipping, and the mean over a batch), then
//! accuracy and two distances, and shows why accuracy, the number we care about, cannot be the
//! loss.
//!
//! Run the chapter: `cargo run -p ch05_loss` (the classic worked values, clipping, distances,
//! a weight sweep, and two figures in `target/figures/ch05_loss/`).
//!
//! The chapter, file by file, in the order of the page:
//! - [`loss`]: mean squared error, clipping, cross-entropy, one-hot rows, the batch mean;
//! - [`accuracy`]: the argmax of each row, and accuracy;
//! - [`distance`]: Euclidean and Manhattan distance;
//! - [`sweep`]: a hand-made network, one weight swept: why accuracy cannot be the loss;
//! - [`plots`]: the chapter's figures; [`exercises`]: the exercises.

pub mod accuracy;
pub mod distance;
pub mod exercises;
pub mod loss;
pub mod plots;
pub mod sweep;

pub use accuracy::{accuracy, argmax_rows};
pub use distance::{euclidean_distance, manhattan_distance};
pub use loss::{
    CLIP, batch_mean, clip_probability, cross_entropy, cross_entropy_losses,
    cross_entropy_losses_one_hot, cross_entropy_one_hot, mean_squared_error,
    mean_squared_error_batch, one_hot,
};
pub use sweep::{SORTER_W, SORTER_W_INDEX, SweepPoint, sweep_weight, vertical_sorter};
