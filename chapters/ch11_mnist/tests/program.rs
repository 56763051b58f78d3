//! The chapter program refuses flags and files it cannot use, with a message and a non-zero
//! exit; its subcommands train, save, load, evaluate and predict.

use std::path::Path;
use std::process::{Command, Output};

/// Runs the program with `args`, its figures going to `out`.
fn run_in(out: &Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_ch11_mnist"))
        .args(["--out", out.to_str().unwrap()])
        .args(args)
        .output()
        .unwrap()
}

/// Runs the program with `args`; returns its exit code and stderr.
fn run(args: &[&str]) -> (Option<i32>, String) {
    let out = tempfile::tempdir().unwrap();
    let output = run_in(out.path(), args);
    (
        output.status.code(),
        String::from_utf8_lossy(&output.stderr).into_owned(),
    )
}

fn handwriting() -> String {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../data/handwriting/2026.png");
    root.to_str().unwrap().to_string()
}

#[test]
fn zero_epochs_is_refused() {
    let (code, stderr) = run(&["train", "--epochs", "0"]);
    assert_eq!(code, Some(1));
    assert!(stderr.contains("--epochs must be at least 1"), "{stderr}");
}

#[test]
fn a_negative_learning_rate_is_refused() {
    let (code, stderr) = run(&["train", "--learning-rate=-0.1"]);
    assert_eq!(code, Some(1));
    assert!(
        stderr.contains("--learning-rate must be a positive number, got -0.1"),
        "{stderr}"
    );
}

#[test]
fn bad_hidden_sizes_are_refused() {
    let (code, stderr) = run(&["train", "--hidden", "256-many"]);
    assert_eq!(code, Some(1));
    assert!(stderr.contains("--hidden \"256-many\""), "{stderr}");
    assert!(
        stderr.contains("\"many\" is not a positive layer size"),
        "{stderr}"
    );
}

#[test]
fn a_batch_larger_than_the_data_is_refused() {
    let (code, stderr) = run(&["train", "--train-size", "100", "--batch-size", "128"]);
    assert_eq!(code, Some(1));
    assert!(
        stderr.contains("--batch-size 128 is larger than the 100 training images"),
        "{stderr}"
    );
}

#[test]
fn an_unknown_schedule_is_a_usage_error() {
    let (code, stderr) = run(&["train", "--schedule", "cosine"]);
    assert_eq!(code, Some(2));
    assert!(stderr.contains("invalid value 'cosine'"), "{stderr}");
}

#[test]
fn predict_needs_an_image() {
    let (code, stderr) = run(&["predict"]);
    assert_eq!(code, Some(2));
    assert!(stderr.contains("<IMAGE>"), "{stderr}");
}

#[test]
fn a_missing_model_is_a_clear_error() {
    let (code, stderr) = run(&[
        "predict",
        "--model",
        "/no/such/model.safetensors",
        &handwriting(),
    ]);
    assert_eq!(code, Some(1));
    assert!(
        stderr.contains("reading the model /no/such/model.safetensors"),
        "{stderr}"
    );
    assert!(!stderr.contains("panicked"), "{stderr}");
}

#[test]
fn a_corrupt_model_is_a_clear_error() {
    let dir = tempfile::tempdir().unwrap();
    let model = dir.path().join("model.safetensors");
    std::fs::write(&model, b"these bytes are not a model").unwrap();
    let (code, stderr) = run(&["eval", "--model", model.to_str().unwrap()]);
    assert_eq!(code, Some(1));
    assert!(stderr.contains("not a safetensors file"), "{stderr}");
}

/// Trains a small model quickly, then evaluates it, reads the shipped handwriting with it, and
/// refuses an image that is not a PNG.
#[test]
fn train_eval_and_predict_work_together() {
    let dir = tempfile::tempdir().unwrap();
    let model = dir.path().join("small.safetensors");
    let model = model.to_str().unwrap();
    let out = dir.path();

    let trained = run_in(
        out,
        &[
            "train",
            "--train-size",
            "3000",
            "--epochs",
            "1",
            "--hidden",
            "64",
            "--model",
            model,
        ],
    );
    let stdout = String::from_utf8_lossy(&trained.stdout);
    assert!(
        trained.status.success(),
        "{}",
        String::from_utf8_lossy(&trained.stderr)
    );
    assert!(stdout.contains("layers: 784-64-10"), "{stdout}");
    assert!(stdout.contains("saved the model to"), "{stdout}");

    let evaluated = run_in(out, &["eval", "--model", model]);
    let stdout = String::from_utf8_lossy(&evaluated.stdout);
    assert!(
        evaluated.status.success(),
        "{}",
        String::from_utf8_lossy(&evaluated.stderr)
    );
    assert!(
        stdout.contains("test images right: accuracy 0."),
        "{stdout}"
    );
    assert!(out.join("confusion.svg").is_file());

    let predicted = run_in(out, &["predict", "--model", model, &handwriting()]);
    let stdout = String::from_utf8_lossy(&predicted.stdout);
    assert!(
        predicted.status.success(),
        "{}",
        String::from_utf8_lossy(&predicted.stderr)
    );
    assert!(stdout.contains("digits found: 4"), "{stdout}");
    assert!(stdout.contains("the network reads: "), "{stdout}");
    assert!(out.join("2026_digits.svg").is_file());

    let text = dir.path().join("notes.png");
    std::fs::write(&text, "not a picture").unwrap();
    let refused = run_in(out, &["predict", "--model", model, text.to_str().unwrap()]);
    let stderr = String::from_utf8_lossy(&refused.stderr);
    assert_eq!(refused.status.code(), Some(1), "{stderr}");
    assert!(stderr.contains("not a PNG file"), "{stderr}");
}
