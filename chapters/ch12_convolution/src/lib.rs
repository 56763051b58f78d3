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
//! - [`exercises`]: the chapter's exercises.

pub mod convolution;
pub mod exercises;
pub mod layers;

pub use convolution::{col2im, convolve, convolve2d, im2col, output_size, pad2d};
pub use layers::{Convolution, MaxPooling, Shape, size_of, to_rows};
