//! The chapter program refuses flags it cannot use, with a message and a non-zero exit.

use std::process::Command;

fn run(args: &[&str]) -> (Option<i32>, String) {
    let out = tempfile::tempdir().unwrap();
    let output = Command::new(env!("CARGO_BIN_EXE_ch03_layers"))
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
fn zero_samples_is_refused() {
    let (code, stderr) = run(&["--samples", "0"]);
    assert_eq!(code, Some(1));
    assert!(stderr.contains("--samples must be at least 1"), "{stderr}");
}

#[test]
fn more_classes_than_colours_is_refused() {
    let (code, stderr) = run(&["--classes", "9"]);
    assert_eq!(code, Some(1));
    assert!(
        stderr.contains("--classes must be from 1 to 7 (one colour each), got 9"),
        "{stderr}"
    );
}

#[test]
fn a_seed_that_is_not_a_number_is_refused() {
    let (code, stderr) = run(&["--seed", "abc"]);
    assert_eq!(code, Some(2));
    assert!(stderr.contains("invalid value 'abc'"), "{stderr}");
    assert!(!stderr.contains("panicked"), "{stderr}");
}

#[test]
fn other_sizes_run_and_draw_both_figures() {
    let out = tempfile::tempdir().unwrap();
    let output = Command::new(env!("CARGO_BIN_EXE_ch03_layers"))
        .args(["--out", out.path().to_str().unwrap()])
        .args(["--samples", "2", "--classes", "1", "--seed", "5"])
        .output()
        .unwrap();
    let stdout = String::from_utf8_lossy(&output.stdout);
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    assert!(
        stdout.contains("Dense(2, 3) output (2, 3), first 5 rows:"),
        "{stdout}"
    );
    for name in ["spiral.svg", "vertical.svg"] {
        assert!(out.path().join(name).is_file(), "{name} missing");
    }
}

#[test]
fn an_unwritable_figure_folder_is_a_clear_error() {
    let output = Command::new(env!("CARGO_BIN_EXE_ch03_layers"))
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
