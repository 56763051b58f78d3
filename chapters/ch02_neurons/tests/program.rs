//! The chapter program refuses flags it cannot use, with a message and a non-zero exit.

use std::process::Command;

fn run(args: &[&str]) -> (Option<i32>, String) {
    let output = Command::new(env!("CARGO_BIN_EXE_ch02_neurons"))
        .args(args)
        .output()
        .unwrap();
    (
        output.status.code(),
        String::from_utf8_lossy(&output.stderr).into_owned(),
    )
}

#[test]
fn an_unknown_flag_is_refused() {
    let (code, stderr) = run(&["--inputs", "1,2,3"]);
    assert_eq!(code, Some(2));
    assert!(
        stderr.contains("unexpected argument '--inputs'"),
        "{stderr}"
    );
    assert!(!stderr.contains("panicked"), "{stderr}");
}

#[test]
fn a_seed_that_is_not_a_number_is_refused() {
    let (code, stderr) = run(&["--seed", "minus-one"]);
    assert_eq!(code, Some(2));
    assert!(
        stderr.contains("invalid value 'minus-one' for '--seed <N>'"),
        "{stderr}"
    );
}

#[test]
fn an_unwritable_figure_folder_is_a_clear_error() {
    let (code, stderr) = run(&["--out", "/proc/no-such-folder"]);
    assert_eq!(code, Some(1));
    assert!(
        stderr.contains("creating the figure folder /proc/no-such-folder"),
        "{stderr}"
    );
}

#[test]
fn the_shape_errors_it_shows_do_not_leak_panic_reports() {
    let out = tempfile::tempdir().unwrap();
    let output = Command::new(env!("CARGO_BIN_EXE_ch02_neurons"))
        .args(["--out", out.path().to_str().unwrap()])
        .output()
        .unwrap();
    let stdout = String::from_utf8_lossy(&output.stdout);
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(output.status.success(), "{stderr}");
    assert!(!stderr.contains("panicked"), "{stderr}");
    assert!(
        stdout.contains("not compatible for matrix multiplication"),
        "{stdout}"
    );
}
