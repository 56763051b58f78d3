//! The chapter program refuses flags it cannot use, with a message and a non-zero exit.

use std::process::Command;

fn run(args: &[&str]) -> (Option<i32>, String) {
    let out = tempfile::tempdir().unwrap();
    let output = Command::new(env!("CARGO_BIN_EXE_ch01_perceptron"))
        .args(["--out", out.path().to_str().unwrap()])
        .args(args)
        .output()
        .unwrap();
    (
        output.status.code(),
        String::from_utf8_lossy(&output.stderr).into_owned(),
    )
}

#[test]
fn a_negative_learning_rate_is_refused() {
    let (code, stderr) = run(&["--learning-rate=-0.1"]);
    assert_eq!(code, Some(1));
    assert!(
        stderr.contains("--learning-rate must be a positive number, got -0.1"),
        "{stderr}"
    );
}

#[test]
fn zero_epochs_is_refused() {
    let (code, stderr) = run(&["--epochs", "0"]);
    assert_eq!(code, Some(1));
    assert!(stderr.contains("--epochs must be at least 1"), "{stderr}");
}

#[test]
fn an_unwritable_figure_folder_is_a_clear_error() {
    let output = Command::new(env!("CARGO_BIN_EXE_ch01_perceptron"))
        .args(["--out", "/proc/no-such-folder"])
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert_eq!(output.status.code(), Some(1));
    assert!(
        stderr.contains("creating the figure folder /proc/no-such-folder"),
        "{stderr}"
    );
}
