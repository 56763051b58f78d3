//! The chapter program refuses flags it cannot use, with a message and a non-zero exit.

use chapter_cli::testing::{run, run_with_env};

const PROGRAM: &str = env!("CARGO_BIN_EXE_ch11_generalization");

#[test]
fn a_missing_mnist_folder_is_a_clear_error() {
    let empty = tempfile::tempdir().unwrap();
    let missing = empty.path().join("no-such-folder");
    run_with_env(PROGRAM, &["--quick"], "MNIST_DIR", missing).assert_refused("loading MNIST");
}

#[test]
fn an_unknown_flag_is_a_usage_error() {
    run(PROGRAM, &["--epochs-of-everything", "3"]).assert_usage_error("--epochs-of-everything");
}

#[test]
fn zero_trials_are_refused() {
    run(PROGRAM, &["--trials", "0"]).assert_refused("--trials must be at least 1");
}

#[test]
fn absurd_counts_of_the_search_and_the_augmentation_are_refused_at_once() {
    run(PROGRAM, &["--trials", "10001"])
        .assert_refused("--trials must be at most 10000, got 10001");
    run(PROGRAM, &["--augment-epochs", "18446744073709551615"])
        .assert_refused("--augment-epochs must be at most 100000");
    run(PROGRAM, &["--augment-epochs=-2"]).assert_usage_error("--augment-epochs");
}

#[test]
fn zero_epochs_are_refused() {
    run(PROGRAM, &["--overfit-epochs", "0"]).assert_refused("--overfit-epochs must be at least 1");
    run(PROGRAM, &["--spiral-epochs", "0"]).assert_refused("--spiral-epochs must be at least 1");
    run(PROGRAM, &["--bn-epochs", "0"]).assert_refused("--bn-epochs must be at least 1");
}

#[test]
fn absurd_epoch_counts_are_refused_at_once() {
    run(PROGRAM, &["--overfit-epochs", "18446744073709551615"])
        .assert_refused("--overfit-epochs must be at most 100000, got 18446744073709551615");
    run(PROGRAM, &["--spiral-epochs", "1000001"])
        .assert_refused("--spiral-epochs must be at most 1000000, got 1000001");
    run(PROGRAM, &["--bn-epochs", "100001"])
        .assert_refused("--bn-epochs must be at most 100000, got 100001");
    run(PROGRAM, &["--bn-epochs=-1"]).assert_usage_error("--bn-epochs");
}
