//! The chapter program refuses flags it cannot use, with a message and a non-zero exit.

use chapter_cli::testing::run;

const PROGRAM: &str = env!("CARGO_BIN_EXE_ch05_loss");

#[test]
fn zero_or_too_many_samples_are_refused() {
    for samples in ["0", "100001", "18446744073709551615"] {
        run(PROGRAM, &["--samples", samples]).assert_refused("--samples must be from 1 to 100000");
    }
}

#[test]
fn another_seed_still_runs() {
    run(PROGRAM, &["--seed", "7", "--samples", "5"]).assert_success();
}

#[test]
fn a_negative_sample_count_is_named_as_a_bad_value() {
    run(PROGRAM, &["--samples", "-1"]).assert_usage_error("invalid value '-1' for '--samples");
}
