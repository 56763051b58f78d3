//! # Gradients
//!
//! A function of many inputs has a slope along each of them: its partial derivatives. Put
//! together they form the gradient, the direction in which the function climbs fastest, and
//! stepping against it is gradient descent. This chapter computes gradients by numbers, the
//! way *Deep Learning from Scratch* does (nudge one input by ±h, measure, put it back), for
//! arrays of any shape; descends with them, finds a square root with them, checks the chain
//! rule with them, and trains a small network on MNIST with them. That last step is slow: one
//! gradient of DLFS's 784-50-10 network costs 79,520 forward passes, so at ten billion
//! multiply-adds a second DLFS's 10,000 steps would take days (the program prints that table,
//! and on standard error what it measures and projects for the machine it runs on). The last
//! chapter, *How fast can it go*, makes it fast.
//!
//! Run the chapter: `cargo run -p ch08_gradients` (partial derivatives, gradients, descent,
//! the square root, the chain rule, simpleNet, the cost of a network's numerical gradient, a
//! few training steps of a small MNIST network, and three figures in
//! `target/figures/ch08_gradients/`). `--hidden 50 --steps N` trains DLFS's own network.
//!
//! The modules, in the order of the page (each named after the *Deep Learning from Scratch*
//! file it follows):
//! - [`gradient`]: `function_2`, partial derivatives, `numerical_gradient` of any shape;
//! - [`gradient_method`]: gradient descent, watched for divergence;
//! - [`sqrt`]: a square root by gradient descent, and where it stops;
//! - [`chain_rule`]: two chains differentiated by hand;
//! - [`simple_net`]: DLFS's `simpleNet` and the gradient of its loss;
//! - [`two_layer_net`]: DLFS's `TwoLayerNet` and its numerical gradient;
//! - [`train`]: random mini-batches of MNIST;
//! - [`cost`]: what a numerical gradient costs, counted and timed;
//! - [`text`] and [`plots`]: how the program prints numbers and draws its figures.

pub mod chain_rule;
pub mod cost;
pub mod exercises;
pub mod gradient;
pub mod gradient_method;
pub mod plots;
pub mod simple_net;
pub mod sqrt;
pub mod text;
pub mod train;
pub mod two_layer_net;

pub use chain_rule::{
    neuron_loss, neuron_loss_derivative, square_of_linear, square_of_linear_derivative,
};
pub use cost::{GradientCost, median, median_seconds, timed};
pub use gradient::{
    function_2, function_tmp1, function_tmp2, numerical_gradient, partial_derivative,
};
pub use gradient_method::{
    DIVERGENCE_PATIENCE, Descent, Diverged, gradient_descent, gradient_step,
};
pub use simple_net::{SimpleNet, simple_net_loss};
pub use sqrt::{SqrtRun, numerical_sqrt_fixed_point, sqrt_by_descent, sqrt_loss};
pub use text::{duration, exact, list, sci, thousands};
pub use train::{images_and_labels, sample_batch};
pub use two_layer_net::{Gradients, TwoLayerNet, two_layer_loss, two_layer_predict};
