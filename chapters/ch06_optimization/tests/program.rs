//! The chapter program refuses flags it cannot use, with a message and a non-zero exit.

use chapter_cli::testing::run;

const PROGRAM: &str = env!("CARGO_BIN_EXE_ch06_optimization");

#[test]
fn zero_or_too_many_iterations_are_refused() {
    for iterations in ["0", "1000001", "18446744073709551615"] {
        run(PROGRAM, &["--iterations", iterations])
            .assert_refused("--iterations must be from 1 to 1000000");
    }
}

#[test]
fn a_negative_iteration_count_is_refused() {
    run(PROGRAM, &["--iterations=-5"]).assert_usage_error("invalid value '-5'");
}

#[test]
fn a_short_run_prints_every_section() {
    let ran = run(PROGRAM, &["--iterations", "50"]);
    ran.assert_success();
    for heading in [
        "== The network ==",
        "== Random search on vertical data ==",
        "== Hill climbing on spiral data ==",
        "== Summary ==",
        "== Nudging the hill-climbed networks ==",
    ] {
        assert!(
            ran.stdout.contains(heading),
            "{heading} missing:\n{}",
            ran.stdout
        );
    }
    assert!(
        ran.stdout.contains("lowest loss after N iterations: 50: "),
        "{}",
        ran.stdout
    );
}

#[test]
fn a_scale_that_is_not_positive_or_too_large_is_refused() {
    for scale in ["0", "-0.1", "NaN", "inf", "10.5", "1e300"] {
        run(PROGRAM, &["--scale", scale])
            .assert_refused("--scale must be a number above 0 and at most 10");
    }
    run(PROGRAM, &["--scale", "1e300"]).assert_refused("got 1e300\n");
}

#[test]
fn a_negative_count_is_named_as_the_flags_value() {
    run(PROGRAM, &["--iterations", "-1"])
        .assert_usage_error("invalid value '-1' for '--iterations");
}
