//! The chapter program refuses flags it cannot use, with a message and a non-zero exit.

use chapter_cli::testing::run;

const PROGRAM: &str = env!("CARGO_BIN_EXE_ch02_neurons");

#[test]
fn an_unknown_flag_is_refused() {
    run(PROGRAM, &["--inputs", "1,2,3"]).assert_usage_error("unexpected argument '--inputs'");
}

#[test]
fn the_shape_errors_it_shows_do_not_leak_panic_reports() {
    let ran = run(PROGRAM, &[]);
    ran.assert_success();
    assert!(!ran.stderr.contains("panicked"), "{}", ran.stderr);
    assert!(
        ran.stdout
            .contains("not compatible for matrix multiplication"),
        "{}",
        ran.stdout
    );
}
