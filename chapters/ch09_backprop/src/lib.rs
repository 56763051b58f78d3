//! # Backpropagation
//!
//! A computational graph breaks a calculation into nodes; each node knows its local derivative,
//! and the chain rule, applied from the output backwards, multiplies them into the derivative
//! of the output with respect to every input — all of them in one backward sweep. Written for
//! matrices, the same idea gives every layer a `backward` beside its `forward`: ReLU, Sigmoid,
//! Affine and Softmax-with-loss. Stacked, they compute a network's whole gradient for the cost
//! of about three forward passes, where the numerical gradient of the previous chapter needed
//! two forward passes *per parameter*. We check every backward pass against that numerical
//! gradient, fit a curve, and train MNIST to about 97%.
//!
//! Run the chapter: `cargo run -p ch09_backprop` (the apple-shopping graphs, gradient checks of
//! every layer and of whole networks, a curve fit, the MNIST protocol of *Deep Learning from
//! Scratch*, and five figures in `target/figures/ch09_backprop/`).
//!
//! The modules, in the order of the page (each named after the *Deep Learning from Scratch*
//! file it follows):
//! - [`graph`]: multiplication and addition nodes, and the apple-shopping graphs
//!   (`layer_naive.py`, `buy_apple.py`, `buy_apple_orange.py`);
//! - [`layers`]: the `Layer` trait, ReLU, Sigmoid, Affine, Softmax-with-loss and the squared
//!   error (`common/layers.py`);
//! - [`network`]: a network of layers, its gradient by backprop, and SGD (`two_layer_net.py`);
//! - [`gradient_check`]: backprop against the numerical gradient (`gradient_check.py`);
//! - [`curve`]: a sigmoid network fitted to a curve;
//! - [`train`]: MNIST by backprop, DLFS's protocol (`train_neuralnet.py`);
//! - [`report`] and [`plots`]: how the program prints its numbers and draws its figures.

pub mod curve;
pub mod exercises;
pub mod gradient_check;
pub mod graph;
pub mod layers;
pub mod network;
pub mod plots;
pub mod report;
pub mod train;

pub use curve::{cosine_data, fit, sigmoid_regressor};
pub use gradient_check::{Difference, check_layer, check_loss_layer, check_network, difference};
pub use graph::{AddLayer, ApplePurchase, FruitPurchase, MulLayer, buy_apples, buy_fruit};
pub use layers::{Affine, Layer, LossLayer, MseLoss, Relu, Sigmoid, SoftmaxWithLoss};
pub use network::{ACCURACY_ROWS, Sequential, from_numerical_net, sgd_step, two_layer_net};
pub use train::{
    DLFS_PROTOCOL, EpochAccuracy, MnistData, Protocol, TrainingRun, gather_batch, train_mnist,
};
