//! The chapter program refuses flags it cannot use, with a message and a non-zero exit.

use std::process::Command;

fn run(args: &[&str]) -> (Option<i32>, String) {
    let out = tempfile::tempdir().unwrap();
    let output = Command::new(env!("CARGO_BIN_EXE_ch09_backprop"))
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
fn zero_iterations_is_refused() {
    let (code, stderr) = run(&["--iterations", "0"]);
    assert_eq!(code, Some(1));
    assert!(
        stderr.contains("--iterations must be at least 1"),
        "{stderr}"
    );
}

#[test]
fn a_negative_iteration_count_is_a_usage_error() {
    let (code, stderr) = run(&["--iterations=-5"]);
    assert_eq!(code, Some(2));
    assert!(
        stderr.contains("invalid value '-5' for '--iterations"),
        "{stderr}"
    );
}

#[test]
fn missing_mnist_files_are_a_clear_error() {
    let empty = tempfile::tempdir().unwrap();
    let out = tempfile::tempdir().unwrap();
    let output = Command::new(env!("CARGO_BIN_EXE_ch09_backprop"))
        .args(["--out", out.path().to_str().unwrap()])
        .env("MNIST_DIR", empty.path())
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert_eq!(output.status.code(), Some(1), "{stderr}");
    assert!(stderr.contains("loading MNIST"), "{stderr}");
    assert!(stderr.contains("train-images-idx3-ubyte.gz"), "{stderr}");
    assert!(!stderr.contains("panicked"), "{stderr}");
}

#[test]
fn an_unwritable_figure_folder_is_a_clear_error() {
    let output = Command::new(env!("CARGO_BIN_EXE_ch09_backprop"))
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
