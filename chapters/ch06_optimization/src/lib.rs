//! # Introducing optimization
//!
//! We have a network (Dense → ReLU → Dense → softmax) and a loss that says how wrong it is. To
//! make it better we must change its weights and biases so that the loss goes down. This
//! chapter tries the two simplest ways that need no calculus at all: **random search** (draw
//! fresh random weights again and again, keep the best) and **random hill-climbing** (nudge the
//! best weights at random, keep a nudge only if it lowers the loss). Both work on easy data;
//! hill-climbing stalls on the spiral, and seeing why is the reason the next chapters learn
//! derivatives.
//!
//! Run the chapter: `cargo run -p ch06_optimization` (the "new set of weights found" logs of
//! both searches on vertical and spiral data, a summary, and four figures in
//! `target/figures/ch06_optimization/`).
//!
//! The chapter, file by file, in the order of the page:
//! - [`network`]: the network as one value, its 21 parameters, and the random nudge;
//! - [`search`]: the record a search keeps, random search, hill-climbing, and the nudge probe;
//! - [`plots`]: the chapter's figures; [`exercises`]: the exercises.

pub mod exercises;
pub mod network;
pub mod plots;
pub mod search;

pub use network::{Network, SCALE, SIZES};
pub use search::{
    Improvement, SearchLog, climb_step, hill_climb, improving_fraction, random_search,
};
