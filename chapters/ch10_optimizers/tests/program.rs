//! The chapter program refuses flags it cannot use, with a message and a non-zero exit.

use chapter_cli::testing::{run, run_with_env};

const PROGRAM: &str = env!("CARGO_BIN_EXE_ch10_optimizers");

#[test]
fn zero_spiral_epochs_is_refused() {
    run(PROGRAM, &["--spiral-epochs", "0"]).assert_refused("--spiral-epochs must be at least 1");
}

#[test]
fn too_few_mnist_iterations_are_refused() {
    run(PROGRAM, &["--mnist-iterations", "5"])
        .assert_refused("--mnist-iterations must be at least 20, got 5");
}

#[test]
fn a_negative_count_is_a_usage_error() {
    run(PROGRAM, &["--mnist-iterations=-3"]).assert_usage_error("--mnist-iterations");
}

#[test]
fn a_missing_mnist_folder_is_a_clear_error() {
    let empty = tempfile::tempdir().unwrap();
    let missing = empty.path().join("no-such-folder");
    run_with_env(PROGRAM, &["--spiral-epochs", "1"], "MNIST_DIR", missing)
        .assert_refused("loading MNIST");
}

#[test]
fn absurd_counts_are_refused_at_once() {
    run(PROGRAM, &["--spiral-epochs", "1000001"])
        .assert_refused("--spiral-epochs must be at most 1000000, got 1000001");
    run(PROGRAM, &["--mnist-iterations", "18446744073709551615"])
        .assert_refused("--mnist-iterations must be at most 1000000");
    run(PROGRAM, &["--spiral-epochs", "-1"])
        .assert_usage_error("invalid value '-1' for '--spiral-epochs");
}
