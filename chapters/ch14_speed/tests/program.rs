//! The chapter program refuses flags it cannot use, with a message and a non-zero exit, and
//! `--bench` prints exactly what the comparison script reads.

use std::process::{Command, Output};

fn run(args: &[&str]) -> Output {
    let out = tempfile::tempdir().unwrap();
    Command::new(env!("CARGO_BIN_EXE_ch14_speed"))
        .args(["--out", out.path().to_str().unwrap()])
        .args(args)
        .output()
        .unwrap()
}

fn stderr(output: &Output) -> String {
    String::from_utf8_lossy(&output.stderr).into_owned()
}

#[test]
fn zero_iterations_are_refused() {
    let output = run(&["--iterations", "0"]);
    assert_eq!(output.status.code(), Some(1));
    assert!(stderr(&output).contains("--iterations must be at least 1"));
}

#[test]
fn zero_runs_are_refused() {
    let output = run(&["--runs", "0"]);
    assert_eq!(output.status.code(), Some(1));
    assert!(stderr(&output).contains("--runs must be at least 1"));
}

#[test]
fn quick_and_full_together_are_a_usage_error() {
    let output = run(&["--quick", "--full"]);
    assert_eq!(output.status.code(), Some(2));
    assert!(
        stderr(&output).contains("cannot be used with"),
        "{}",
        stderr(&output)
    );
}

#[test]
fn missing_mnist_files_are_a_clear_error() {
    let empty = tempfile::tempdir().unwrap();
    let out = tempfile::tempdir().unwrap();
    let output = Command::new(env!("CARGO_BIN_EXE_ch14_speed"))
        .args(["--out", out.path().to_str().unwrap()])
        .env("MNIST_DIR", empty.path())
        .output()
        .unwrap();
    let stderr = stderr(&output);
    assert_eq!(output.status.code(), Some(1), "{stderr}");
    assert!(stderr.contains("loading MNIST"), "{stderr}");
    assert!(stderr.contains("train-images-idx3-ubyte.gz"), "{stderr}");
    assert!(!stderr.contains("panicked"), "{stderr}");
}

#[test]
fn an_unwritable_figure_folder_is_a_clear_error() {
    let output = Command::new(env!("CARGO_BIN_EXE_ch14_speed"))
        .args(["--out", "/proc/no-such-folder"])
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(1));
    assert!(
        stderr(&output).contains("/proc/no-such-folder"),
        "{}",
        stderr(&output)
    );
}

#[test]
fn bench_prints_one_line_per_version_for_the_comparison_script() {
    let output = run(&["--bench", "--runs", "1", "--iterations", "3"]);
    assert!(output.status.success(), "{}", stderr(&output));
    let stdout = String::from_utf8(output.stdout).unwrap();
    let names: Vec<&str> = stdout
        .lines()
        .map(|l| l.split(' ').next().unwrap())
        .collect();
    let expected = [
        "rust-plain",
        "rust-skip-dx",
        "rust-no-alloc",
        "rust-tiles",
        "rust-two-halves",
        "rust-fastest",
    ];
    assert_eq!(names, expected, "{stdout}");
    for line in stdout.lines() {
        let fields: Vec<&str> = line.split(' ').collect();
        assert_eq!(fields.len(), 3, "{line}");
        let seconds = fields[1].strip_prefix("median_s=").expect(line);
        let accuracy = fields[2].strip_prefix("accuracy=").expect(line);
        assert_eq!(seconds.split_once('.').unwrap().1.len(), 3, "{line}");
        assert_eq!(accuracy.split_once('.').unwrap().1.len(), 4, "{line}");
        assert!(seconds.parse::<f64>().unwrap() > 0.0, "{line}");
        assert!(
            (0.0..=1.0).contains(&accuracy.parse::<f64>().unwrap()),
            "{line}"
        );
    }
}
