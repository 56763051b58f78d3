//! The chapter program refuses flags it cannot use, with a message and a non-zero exit.

use chapter_cli::testing::{run, run_in};

const PROGRAM: &str = env!("CARGO_BIN_EXE_ch03_layers");

#[test]
fn zero_samples_is_refused() {
    run(PROGRAM, &["--samples", "0"]).assert_refused("--samples must be at least 1");
}

#[test]
fn more_classes_than_colours_is_refused() {
    run(PROGRAM, &["--classes", "9"])
        .assert_refused("--classes must be from 1 to 7 (one colour each), got 9");
}

#[test]
fn other_sizes_run_and_draw_both_figures() {
    let out = tempfile::tempdir().unwrap();
    let ran = run_in(
        PROGRAM,
        out.path(),
        &["--samples", "2", "--classes", "1", "--seed", "5"],
    );
    ran.assert_success();
    assert!(
        ran.stdout
            .contains("Dense(2, 3) output (2, 3), first 5 rows:"),
        "{}",
        ran.stdout
    );
    for name in ["spiral.svg", "vertical.svg"] {
        assert!(out.path().join(name).is_file(), "{name} missing");
    }
}

#[test]
fn absurd_sample_counts_are_refused_at_once() {
    run(PROGRAM, &["--samples", "18446744073709551615"])
        .assert_refused("--samples must be at most 10000, got 18446744073709551615");
    run(PROGRAM, &["--samples", "-1"]).assert_usage_error("invalid value '-1' for '--samples");
}

#[test]
fn a_negative_class_count_is_named_as_a_bad_value() {
    run(PROGRAM, &["--classes", "-1"]).assert_usage_error("invalid value '-1' for '--classes");
}
