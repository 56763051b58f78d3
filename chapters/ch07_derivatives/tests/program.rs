//! The chapter program refuses flags it cannot use, with a message and a non-zero exit.

use std::process::Command;

fn run(args: &[&str]) -> (Option<i32>, String) {
    let out = tempfile::tempdir().unwrap();
    let output = Command::new(env!("CARGO_BIN_EXE_ch07_derivatives"))
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
fn zero_steps_per_decade_is_refused() {
    let (code, stderr) = run(&["--steps-per-decade", "0"]);
    assert_eq!(code, Some(1));
    assert!(
        stderr.contains("--steps-per-decade must be from 1 to 100, got 0"),
        "{stderr}"
    );
}

#[test]
fn a_negative_step_count_is_a_usage_error() {
    let (code, stderr) = run(&["--steps-per-decade=-3"]);
    assert_eq!(code, Some(2));
    assert!(stderr.contains("--steps-per-decade"), "{stderr}");
    assert!(!stderr.contains("panicked"), "{stderr}");
}

#[test]
fn an_unwritable_figure_folder_is_a_clear_error() {
    let output = Command::new(env!("CARGO_BIN_EXE_ch07_derivatives"))
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
