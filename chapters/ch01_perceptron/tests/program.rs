//! The chapter program refuses flags it cannot use, with a message and a non-zero exit.

use chapter_cli::testing::run;

const PROGRAM: &str = env!("CARGO_BIN_EXE_ch01_perceptron");

#[test]
fn a_negative_learning_rate_is_refused() {
    for args in [
        ["--learning-rate=-0.1"].as_slice(),
        &["--learning-rate", "-0.1"],
    ] {
        run(PROGRAM, args).assert_refused("--learning-rate must be a positive number, got -0.1");
    }
}

#[test]
fn zero_epochs_is_refused() {
    run(PROGRAM, &["--epochs", "0"]).assert_refused("--epochs must be at least 1");
}

#[test]
fn absurd_epochs_are_refused_at_once() {
    run(PROGRAM, &["--epochs", "18446744073709551615"])
        .assert_refused("--epochs must be at most 100000, got 18446744073709551615");
    run(PROGRAM, &["--epochs", "-3"]).assert_usage_error("invalid value '-3' for '--epochs");
}
