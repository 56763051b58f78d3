//! The chapter program refuses flags it cannot use, with a message and a non-zero exit.

use std::process::Command;

fn run(args: &[&str]) -> (Option<i32>, String) {
    let out = tempfile::tempdir().unwrap();
    let output = Command::new(env!("CARGO_BIN_EXE_ch10_optimizers"))
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
fn zero_spiral_epochs_is_refused() {
    let (code, stderr) = run(&["--spiral-epochs", "0"]);
    assert_eq!(code, Some(1));
    assert!(
        stderr.contains("--spiral-epochs must be at least 1"),
        "{stderr}"
    );
}

#[test]
fn too_few_mnist_iterations_are_refused() {
    let (code, stderr) = run(&["--mnist-iterations", "5"]);
    assert_eq!(code, Some(1));
    assert!(
        stderr.contains("--mnist-iterations must be at least 20, got 5"),
        "{stderr}"
    );
}

#[test]
fn zero_overfit_epochs_is_refused() {
    let (code, stderr) = run(&["--overfit-epochs", "0"]);
    assert_eq!(code, Some(1));
    assert!(
        stderr.contains("--overfit-epochs must be at least 1"),
        "{stderr}"
    );
}

#[test]
fn a_negative_count_is_a_usage_error() {
    let (code, stderr) = run(&["--mnist-iterations=-3"]);
    assert_eq!(code, Some(2));
    assert!(stderr.contains("--mnist-iterations"), "{stderr}");
    assert!(!stderr.contains("panicked"), "{stderr}");
}

#[test]
fn a_missing_mnist_folder_is_a_clear_error() {
    let out = tempfile::tempdir().unwrap();
    let output = Command::new(env!("CARGO_BIN_EXE_ch10_optimizers"))
        .args([
            "--out",
            out.path().to_str().unwrap(),
            "--spiral-epochs",
            "1",
        ])
        .env("MNIST_DIR", out.path().join("no-such-folder"))
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert_eq!(output.status.code(), Some(1));
    assert!(stderr.contains("loading MNIST"), "{stderr}");
    assert!(!stderr.contains("panicked"), "{stderr}");
}

#[test]
fn an_unwritable_figure_folder_is_a_clear_error() {
    let output = Command::new(env!("CARGO_BIN_EXE_ch10_optimizers"))
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
