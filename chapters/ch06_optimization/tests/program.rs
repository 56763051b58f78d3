//! The chapter program refuses flags it cannot use, with a message and a non-zero exit.

use std::process::Command;

fn run(args: &[&str]) -> (Option<i32>, String, String) {
    let out = tempfile::tempdir().unwrap();
    let output = Command::new(env!("CARGO_BIN_EXE_ch06_optimization"))
        .args(["--out", out.path().to_str().unwrap()])
        .args(args)
        .output()
        .unwrap();
    (
        output.status.code(),
        String::from_utf8_lossy(&output.stdout).into_owned(),
        String::from_utf8_lossy(&output.stderr).into_owned(),
    )
}

#[test]
fn zero_or_too_many_iterations_are_refused() {
    for iterations in ["0", "1000001", "18446744073709551615"] {
        let (code, _, stderr) = run(&["--iterations", iterations]);
        assert_eq!(code, Some(1), "--iterations {iterations}: {stderr}");
        assert!(
            stderr.contains("--iterations must be from 1 to 1000000"),
            "{stderr}"
        );
    }
}

#[test]
fn a_negative_iteration_count_is_refused() {
    let (code, _, stderr) = run(&["--iterations=-5"]);
    assert_eq!(code, Some(2));
    assert!(stderr.contains("invalid value '-5'"), "{stderr}");
    assert!(!stderr.contains("panicked"), "{stderr}");
}

#[test]
fn a_short_run_prints_every_section() {
    let (code, stdout, stderr) = run(&["--iterations", "50"]);
    assert_eq!(code, Some(0), "{stderr}");
    for heading in [
        "== The network ==",
        "== Random search on vertical data ==",
        "== Hill climbing on spiral data ==",
        "== Summary ==",
        "== Nudging the hill-climbed networks ==",
    ] {
        assert!(stdout.contains(heading), "{heading} missing:\n{stdout}");
    }
    assert!(
        stdout.contains("lowest loss after N iterations: 50: "),
        "{stdout}"
    );
}

#[test]
fn an_unwritable_figure_folder_is_a_clear_error() {
    let output = Command::new(env!("CARGO_BIN_EXE_ch06_optimization"))
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
fn a_scale_that_is_not_positive_or_too_large_is_refused() {
    for scale in ["0", "-0.1", "NaN", "inf", "10.5", "1e300"] {
        let (code, _, stderr) = run(&[&format!("--scale={scale}")]);
        assert_eq!(code, Some(1), "--scale {scale}: {stderr}");
        assert!(
            stderr.contains("--scale must be a number above 0 and at most 10"),
            "{stderr}"
        );
        assert!(!stderr.contains("panicked"), "{stderr}");
    }
}
