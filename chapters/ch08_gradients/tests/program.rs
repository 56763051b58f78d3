//! The chapter program refuses flags it cannot use, with a message and a non-zero exit.

use chapter_cli::testing::{run, run_with_env};

const PROGRAM: &str = env!("CARGO_BIN_EXE_ch08_gradients");

#[test]
fn zero_training_steps_are_refused() {
    run(PROGRAM, &["--steps", "0"]).assert_refused("--steps must be from 1 to 1000, got 0");
}

#[test]
fn a_network_without_hidden_units_is_refused() {
    run(PROGRAM, &["--hidden", "0"]).assert_refused("--hidden must be from 1 to 100, got 0");
}

#[test]
fn a_hidden_layer_that_is_not_a_number_is_a_usage_error() {
    run(PROGRAM, &["--hidden", "fifty"]).assert_usage_error("invalid value 'fifty'");
}

#[test]
fn missing_mnist_data_is_a_clear_error() {
    let empty = tempfile::tempdir().unwrap();
    run_with_env(PROGRAM, &[], "MNIST_DIR", empty.path()).assert_refused("loading MNIST");
}

#[test]
fn negative_counts_are_named_as_bad_values() {
    run(PROGRAM, &["--hidden", "-1"]).assert_usage_error("invalid value '-1' for '--hidden");
    run(PROGRAM, &["--steps", "-1"]).assert_usage_error("invalid value '-1' for '--steps");
}
