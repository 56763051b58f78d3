//! The chapter program refuses flags it cannot use, with a message and a non-zero exit.

use chapter_cli::testing::run;

const PROGRAM: &str = env!("CARGO_BIN_EXE_ch04_activations");

#[test]
fn zero_samples_is_refused() {
    run(PROGRAM, &["--samples", "0"]).assert_refused("--samples must be at least 1");
}

#[test]
fn a_negative_sample_count_is_a_usage_error() {
    run(PROGRAM, &["--samples=-5"]).assert_usage_error("invalid value '-5' for '--samples");
}

#[test]
fn one_sample_per_arm_still_runs() {
    run(PROGRAM, &["--samples", "1"]).assert_success();
}

#[test]
fn absurd_sample_counts_are_refused_at_once() {
    run(PROGRAM, &["--samples", "4294967295"])
        .assert_refused("--samples must be at most 100000, got 4294967295");
    run(PROGRAM, &["--samples", "-1"]).assert_usage_error("invalid value '-1' for '--samples");
}
