//! The chapter program shows shape errors as the text discusses them: as messages, not panics.

use chapter_cli::testing::run;

const PROGRAM: &str = env!("CARGO_BIN_EXE_ch02_neurons");

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
