//! The chapter program refuses flags it cannot use, with a message and a non-zero exit.

use std::process::Command;

fn run(args: &[&str]) -> (Option<i32>, String) {
    let out = tempfile::tempdir().unwrap();
    let output = Command::new(env!("CARGO_BIN_EXE_ch08_gradients"))
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
fn zero_training_steps_are_refused() {
    let (code, stderr) = run(&["--steps", "0"]);
    assert_eq!(code, Some(1));
    assert!(
        stderr.contains("--steps must be from 1 to 1000, got 0"),
        "{stderr}"
    );
}

#[test]
fn a_network_without_hidden_units_is_refused() {
    let (code, stderr) = run(&["--hidden", "0"]);
    assert_eq!(code, Some(1));
    assert!(
        stderr.contains("--hidden must be from 1 to 100, got 0"),
        "{stderr}"
    );
}

#[test]
fn a_hidden_layer_that_is_not_a_number_is_a_usage_error() {
    let (code, stderr) = run(&["--hidden", "fifty"]);
    assert_eq!(code, Some(2));
    assert!(stderr.contains("invalid value 'fifty'"), "{stderr}");
    assert!(!stderr.contains("panicked"), "{stderr}");
}

#[test]
fn an_unwritable_figure_folder_is_a_clear_error() {
    let output = Command::new(env!("CARGO_BIN_EXE_ch08_gradients"))
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

#[test]
fn missing_mnist_data_is_a_clear_error() {
    let out = tempfile::tempdir().unwrap();
    let output = Command::new(env!("CARGO_BIN_EXE_ch08_gradients"))
        .args(["--out", out.path().to_str().unwrap()])
        .env("MNIST_DIR", out.path())
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert_eq!(output.status.code(), Some(1), "{stderr}");
    assert!(stderr.contains("loading MNIST"), "{stderr}");
    assert!(!stderr.contains("panicked"), "{stderr}");
}
