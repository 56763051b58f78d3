//! The chapter program refuses flags it cannot use, with a message and a non-zero exit.

use chapter_cli::testing::{run, run_with_env};

const PROGRAM: &str = env!("CARGO_BIN_EXE_ch09_backprop");

#[test]
fn zero_iterations_is_refused() {
    run(PROGRAM, &["--iterations", "0"]).assert_refused("--iterations must be at least 1");
}

#[test]
fn a_negative_iteration_count_is_a_usage_error() {
    run(PROGRAM, &["--iterations=-5"]).assert_usage_error("invalid value '-5' for '--iterations");
}

#[test]
fn missing_mnist_files_are_a_clear_error() {
    let empty = tempfile::tempdir().unwrap();
    let ran = run_with_env(PROGRAM, &[], "MNIST_DIR", empty.path());
    ran.assert_refused("loading MNIST");
    assert!(
        ran.stderr.contains("train-images-idx3-ubyte.gz"),
        "{}",
        ran.stderr
    );
}

#[test]
fn too_many_iterations_are_refused_at_once() {
    run(PROGRAM, &["--iterations", "18446744073709551615"])
        .assert_refused("--iterations must be at most 1000000, got 18446744073709551615");
    run(PROGRAM, &["--iterations", "-5"])
        .assert_usage_error("invalid value '-5' for '--iterations");
}
