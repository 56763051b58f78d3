//! The chapter program refuses flags it cannot use, with a message and a non-zero exit.

use chapter_cli::testing::run;

const PROGRAM: &str = env!("CARGO_BIN_EXE_ch07_derivatives");

#[test]
fn zero_steps_per_decade_is_refused() {
    run(PROGRAM, &["--steps-per-decade", "0"])
        .assert_refused("--steps-per-decade must be from 1 to 100, got 0");
}

#[test]
fn a_negative_step_count_is_named_as_a_bad_value() {
    run(PROGRAM, &["--steps-per-decade", "-1"])
        .assert_usage_error("invalid value '-1' for '--steps-per-decade");
}
