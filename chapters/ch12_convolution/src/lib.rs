//! # Convolutional networks
//!
//! A multi-layer perceptron reads an image as a list of 784 unrelated numbers; a convolutional
//! network reads it as a picture. Its filters look at small neighbourhoods, and each filter is
//! slid over the whole image, so the same few weights find a stroke wherever it is. This
//! chapter computes a convolution by hand, then as one matrix product (im2col), writes
//! convolution and max-pooling as layers of the backprop chapter with their backward passes
//! (checked against the numerical gradient), and trains *Deep Learning from Scratch*'s
//! SimpleConvNet and a deeper network on MNIST, with a validation split, past the multi-layer
//! perceptron. Then it draws what the filters learned.
//!
//! Run the chapter: `cargo run -p ch12_convolution` (a short training run, all the numbers
//! and figures of the page, in `target/figures/ch12_convolution/`); `--full` trains as long
//! as the page's best results need.
//!
//! The modules, in the order of the page:
//! - [`convolution`]: convolution by hand, the output size, im2col and col2im
//!   (`common/util.py`);
//! - [`layers`]: the `Convolution` and `MaxPooling` layers (`common/layers.py`);
//! - [`network`]: networks as lists of blocks, SimpleConvNet and a deeper one, and their costs
//!   (`ch07/simple_convnet.py`);
//! - [`train`](mod@train): the validation split and the training loop (`ch07/train_convnet.py`);
//! - [`evaluate`]: the confusion matrix and the most frequent mistakes;
//! - [`exercises`]: the chapter's exercises;
//!
//! and the machine room, which the page does not need to show: [`progress`] (the progress
//! bar) and [`plots`] (the figures).

pub mod convolution;
pub mod evaluate;
pub mod exercises;
pub mod layers;
pub mod network;
pub mod plots;
pub mod progress;
pub mod train;

pub use convolution::{col2im, convolve, convolve2d, im2col, output_size, pad2d};
pub use evaluate::{confusion_matrix, most_confused};
pub use layers::{Convolution, MaxPooling, Shape, size_of, to_rows};
pub use network::{Block, BlockCost, DEEP_CONV_NET, MLP, SIMPLE_CONV_NET, conv_net, costs};
pub use progress::ProgressBar;
pub use train::{
    Epoch, Sets, Setup, Split, Watcher, accuracy, linear_decay, permutation, predictions, restore,
    snapshot, split_validation, train_epoch, train_run,
};
