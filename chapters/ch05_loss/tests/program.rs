//! The chapter program refuses flags it cannot use, with a message and a non-zero exit.

use std::process::Command;

fn run(args: &[&str]) -> (Option<i32>, String) {
    let out = tempfile::tempdir().unwrap();
    let output = Command::new(env!("CARGO_BIN_EXE_ch05_loss"))
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
fn zero_or_too_many_samples_are_refused() {
    for samples in ["0", "100001", "18446744073709551615"] {
        let (code, stderr) = run(&["--samples", samples]);
        assert_eq!(code, Some(1), "--samples {samples}: {stderr}");
        assert!(
            stderr.contains("--samples must be from 1 to 100000"),
            "{stderr}"
        );
    }
}

#[test]
fn a_negative_sample_count_is_refused() {
    let (code, stderr) = run(&["--samples=-5"]);
    assert_eq!(code, Some(2));
    assert!(stderr.contains("invalid value '-5'"), "{stderr}");
    assert!(!stderr.contains("panicked"), "{stderr}");
}

#[test]
fn another_seed_still_runs() {
    let (code, stderr) = run(&["--seed", "7", "--samples", "5"]);
    assert_eq!(code, Some(0), "{stderr}");
}

#[test]
fn an_unwritable_figure_folder_is_a_clear_error() {
    let output = Command::new(env!("CARGO_BIN_EXE_ch05_loss"))
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
