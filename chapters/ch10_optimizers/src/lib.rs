//! # Optimizers
//!
//! Backpropagation gives the gradient of the loss with respect to every weight; an optimizer
//! decides what to do with it. This chapter writes the five classic update rules behind one
//! trait — SGD, Momentum, AdaGrad, RMSProp and Adam — adds learning-rate decay and weight decay
//! as wrappers that work with any of them, and races them: on a bowl-shaped function, on the
//! spiral data and on MNIST. It also shows why the starting weights matter (0.01·randn against
//! Xavier and He initialisation) by looking at the activations of a deep network.
//!
//! The modules follow the files of *Deep Learning from Scratch*:
//! - [`optimizers`]: the `Optimizer` trait, the five update rules, learning-rate decay
//!   (`common/optimizer.py`);
//! - [`bowl`]: the test function x²/20 + y² and an optimizer's path on it
//!   (`ch06/optimizer_compare_naive.py`);
//! - [`init`]: 0.01·randn, Xavier and He initialisation, and the activations they produce
//!   (`ch06/weight_init_activation_histogram.py`);
//! - [`training`]: a network of any depth, full-batch and mini-batch training, weight decay
//!   (`common/multi_layer_net.py`);
//! - [`plots`]: the chapter's figures.
//!
//! Run the chapter: `cargo run -p ch10_optimizers` (paths, training curves, histograms, and
//! their figures in `target/figures/ch10_optimizers/`).

pub mod bowl;
pub mod exercises;
pub mod init;
pub mod optimizers;
pub mod plots;
pub mod training;

pub use bowl::{bowl, bowl_gradient, descent_path};
pub use init::{Init, layer_activations};
pub use optimizers::{
    AdaGrad, Adam, BETA1, BETA2, EPSILON, LrDecay, MOMENTUM, Momentum, Optimizer, RHO, RmsProp,
    Sgd, decayed_learning_rate, state_for,
};
pub use training::{
    Activation, Curve, WeightDecay, block_means, gradient_rms, is_decayed, multi_layer_net,
    train_full_batch, train_mini_batches, weight_rms,
};
