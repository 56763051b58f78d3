//! The chapter program refuses flags it cannot use, with a message and a non-zero exit.

use chapter_cli::testing::{run, run_with_env};

const PROGRAM: &str = env!("CARGO_BIN_EXE_ch12_convolution");

#[test]
fn zero_runs_are_refused() {
    run(PROGRAM, &["--bench", "--runs", "0"]).assert_refused("--runs must be at least 1");
}

#[test]
fn absurd_runs_are_refused_at_once() {
    run(PROGRAM, &["--bench", "--runs", "101"])
        .assert_refused("--runs must be at most 100, got 101");
    run(PROGRAM, &["--runs=-1"]).assert_usage_error("--runs");
}

#[test]
fn full_and_bench_together_are_refused() {
    run(PROGRAM, &["--full", "--bench"])
        .assert_refused("--full and --bench are two different runs");
}

#[test]
fn a_missing_mnist_folder_is_a_clear_error() {
    let empty = std::env::temp_dir().join("ch12-convolution-no-such-folder");
    run_with_env(PROGRAM, &["--bench"], "MNIST_DIR", empty).assert_refused("loading MNIST");
}
