//! The chapter program refuses flags and files it cannot use, with a message and a non-zero
//! exit; its subcommands train, save, load, evaluate and predict.

use std::path::Path;

use chapter_cli::testing::{run, run_in};

const PROGRAM: &str = env!("CARGO_BIN_EXE_ch11_mnist");

fn handwriting() -> String {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../data/handwriting/2026.png");
    root.to_str().unwrap().to_string()
}

#[test]
fn zero_epochs_is_refused() {
    run(PROGRAM, &["train", "--epochs", "0"]).assert_refused("--epochs must be at least 1");
}

#[test]
fn a_negative_learning_rate_is_refused() {
    run(PROGRAM, &["train", "--learning-rate=-0.1"])
        .assert_refused("--learning-rate must be a positive number, got -0.1");
}

#[test]
fn bad_hidden_sizes_are_refused() {
    let ran = run(PROGRAM, &["train", "--hidden", "256-many"]);
    ran.assert_refused("--hidden \"256-many\"");
    assert!(
        ran.stderr.contains("\"many\" is not a positive layer size"),
        "{}",
        ran.stderr
    );
}

#[test]
fn a_batch_larger_than_the_data_is_refused() {
    run(
        PROGRAM,
        &["train", "--train-size", "100", "--batch-size", "128"],
    )
    .assert_refused("--batch-size 128 is larger than the 100 training images");
}

#[test]
fn an_unknown_schedule_is_a_usage_error() {
    run(PROGRAM, &["train", "--schedule", "cosine"]).assert_usage_error("invalid value 'cosine'");
}

#[test]
fn predict_needs_an_image() {
    run(PROGRAM, &["predict"]).assert_usage_error("<IMAGE>");
}

#[test]
fn a_missing_model_is_a_clear_error() {
    let model = "/no/such/model.safetensors";
    run(PROGRAM, &["predict", "--model", model, &handwriting()])
        .assert_refused("reading the model /no/such/model.safetensors");
}

#[test]
fn a_corrupt_model_is_a_clear_error() {
    let dir = tempfile::tempdir().unwrap();
    let model = dir.path().join("model.safetensors");
    std::fs::write(&model, b"these bytes are not a model").unwrap();
    run(PROGRAM, &["eval", "--model", model.to_str().unwrap()])
        .assert_refused("not a safetensors file");
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
        PROGRAM,
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
    trained.assert_success();
    let stdout = &trained.stdout;
    assert!(stdout.contains("layers: 784-64-10"), "{stdout}");
    assert!(stdout.contains("saved the model to"), "{stdout}");

    let evaluated = run_in(PROGRAM, out, &["eval", "--model", model]);
    evaluated.assert_success();
    let stdout = &evaluated.stdout;
    assert!(
        stdout.contains("test images right: accuracy 0."),
        "{stdout}"
    );
    assert!(out.join("confusion.svg").is_file());

    let predicted = run_in(PROGRAM, out, &["predict", "--model", model, &handwriting()]);
    predicted.assert_success();
    let stdout = &predicted.stdout;
    assert!(stdout.contains("digits found: 4"), "{stdout}");
    assert!(stdout.contains("the network reads: "), "{stdout}");
    assert!(out.join("2026_digits.svg").is_file());

    let text = dir.path().join("notes.png");
    std::fs::write(&text, "not a picture").unwrap();
    run_in(
        PROGRAM,
        out,
        &["predict", "--model", model, text.to_str().unwrap()],
    )
    .assert_refused("not a PNG file");
}
