//! The chapter program refuses flags it cannot use, with a message and a non-zero exit, and
//! `--bench` prints exactly what the comparison script reads.

use chapter_cli::testing::{run, run_with_env};

const PROGRAM: &str = env!("CARGO_BIN_EXE_ch14_speed");

#[test]
fn zero_iterations_are_refused() {
    run(PROGRAM, &["--iterations", "0"]).assert_refused("--iterations must be at least 1");
}

#[test]
fn zero_or_absurd_runs_are_refused() {
    run(PROGRAM, &["--runs", "0"]).assert_refused("--runs must be from 1 to 100, got 0");
    run(PROGRAM, &["--runs", "18446744073709551615"])
        .assert_refused("--runs must be from 1 to 100, got 18446744073709551615");
    run(PROGRAM, &["--runs", "-1"]).assert_usage_error("invalid value '-1' for '--runs");
}

#[test]
fn quick_and_full_together_are_a_usage_error() {
    run(PROGRAM, &["--quick", "--full"]).assert_usage_error("cannot be used with");
}

#[test]
fn missing_mnist_files_are_a_clear_error() {
    let empty = tempfile::tempdir().unwrap();
    run_with_env(PROGRAM, &[], "MNIST_DIR", empty.path()).assert_refused("loading MNIST");
}

#[test]
fn bench_prints_one_line_per_version_for_the_comparison_script() {
    let ran = run(PROGRAM, &["--bench", "--runs", "1", "--iterations", "3"]);
    ran.assert_success();
    let stdout = ran.stdout;
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

#[test]
fn absurd_iteration_counts_are_refused_at_once() {
    run(PROGRAM, &["--iterations", "18446744073709551615"])
        .assert_refused("--iterations must be at most 1000000, got 18446744073709551615");
    run(PROGRAM, &["--iterations", "-1"])
        .assert_usage_error("invalid value '-1' for '--iterations");
}

#[test]
fn the_convolutional_benchmark_takes_one_or_two_cores() {
    run(PROGRAM, &["--bench-conv", "--cores", "3"]).assert_refused("--cores must be 1 or 2, got 3");
    run(PROGRAM, &["--cores", "2"]).assert_usage_error("--bench-conv");
    run(PROGRAM, &["--bench-conv", "--bench"]).assert_usage_error("cannot be used with");
}
