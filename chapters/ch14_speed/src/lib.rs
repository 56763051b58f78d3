//! # How fast can it go
//!
//! The backprop chapter trains *Deep Learning from Scratch*'s MNIST network with code written
//! to be read. This chapter makes the same training fast, one step at a time, and measures each
//! step against what the machine can do at most: its peak, in floating-point operations per
//! second. It counts the work, measures the peak, times the plain version, races matrix
//! kernels, skips work nobody needs, removes allocation from the loop, splits every batch
//! between two copies of the network on two cores (which stay equal bit for bit), evaluates on
//! every core, and makes the numerical gradient fast too; then does the same for the
//! convolutional chapter's SimpleConvNet. Only this chapter uses more than one
//! core (through `std::thread` and the rayon crate).
//!
//! Run the chapter: `cargo run -p ch14_speed` (one run of each version; `--full` for the
//! medians of five, `--bench --runs N` for the comparison script). Results that do not depend
//! on timing are printed on stdout; timings go to stderr and to `timed/` in the output folder,
//! labelled with the processor that measured them.
//!
//! The modules, in the order of the page:
//! - [`flops`]: counting the work of the protocol;
//! - [`peak`]: the machine's peak, measured with fused multiply-adds;
//! - [`kernels`]: matrix products from the definition to `matrixmultiply`, and split over cores;
//! - [`network`]: the network as one concrete type, without the first layer's `dx`;
//! - [`buffers`]: the same gradient with every matrix in a buffer;
//! - [`parallel`]: two copies of the network, half a batch each;
//! - [`versions`]: the protocol run by each version;
//! - [`numerical`]: the numerical gradient on every core, and incremental;
//! - [`conv`]: the convolutional chapter's SimpleConvNet made fast (channels last, bias, ReLU and
//!   pooling fused, no col2im, two halves of every batch on two cores);
//! - [`machine`], [`timed`] and [`plots`]: the machine's label, where timings go, the figures.

pub mod buffers;
pub mod conv;
pub mod exercises;
pub mod flops;
pub mod kernels;
pub mod machine;
pub mod network;
pub mod numerical;
pub mod parallel;
pub mod peak;
pub mod plots;
pub mod tiles;
pub mod timed;
pub mod versions;

pub use buffers::Buffers;
pub use conv::{ConvBuffers, ConvParams, FastConvNet, gradient_in, relative_difference};
pub use flops::{Product, Work, step_products};
pub use kernels::{Kernel, mat_mul_into, matmul_rows, products_ceiling, step_products_seconds};
pub use machine::{civil_from_days, cores, cpu_model, machine_label, today};
pub use network::{Params, TwoLayer};
pub use numerical::{
    ForwardCache, incremental_numerical_gradient, par_incremental_numerical_gradient,
    par_numerical_gradient, par_two_layer_gradient,
};
pub use parallel::{round_trip_seconds, sgd_step_from_parts, train_in_two_halves};
pub use peak::{Peak, Simd, fma_loop, peak_flops};
pub use tiles::tile_mat_mul;
pub use timed::{draw_timed, seconds_per_call, timed_dir, write_timed};
pub use versions::{Run, Timing, Version, run_protocol};
