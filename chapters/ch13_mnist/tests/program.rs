//! The chapter program refuses flags and files it cannot use, with a message and a non-zero
//! exit; its subcommands choose, train, save, load, evaluate and predict.

use std::path::Path;

use chapter_cli::testing::{run, run_in, run_with_env};

const PROGRAM: &str = env!("CARGO_BIN_EXE_ch13_mnist");

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
    for args in [
        ["train", "--learning-rate=-0.1"].as_slice(),
        &["train", "--learning-rate", "-0.1"],
    ] {
        run(PROGRAM, args).assert_refused("--learning-rate must be a positive number, got -0.1");
    }
}

#[test]
fn a_negative_learning_rate_among_several_is_refused() {
    run(PROGRAM, &["train", "--learning-rate", "0.001,-0.5"])
        .assert_refused("--learning-rate must be a positive number, got -0.5");
    // as --help shows the default, with spaces
    run(PROGRAM, &["train", "--learning-rate", "0.001", "0"])
        .assert_refused("--learning-rate must be a positive number, got 0.0");
}

#[test]
fn a_batch_larger_than_the_short_runs_is_refused() {
    run(PROGRAM, &["train", "--batch-size", "20000"]).assert_refused(
        "--batch-size 20000 is larger than the 10000 training images of the short runs",
    );
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
/// refuses an image that is neither PNG nor JPEG.
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
    assert!(
        stdout.contains("== Choosing the learning rate =="),
        "{stdout}"
    );
    assert!(stdout.contains("chosen: 0.0"), "{stdout}");
    assert!(stdout.contains("train acc  validation acc"), "{stdout}");
    assert!(stdout.contains("saved the model to"), "{stdout}");
    // the test set is measured once, after the training, in a section of its own
    let (training, testing) = stdout.split_once("== The test set ==").expect(stdout);
    assert!(!training.contains("test acc"), "{training}");
    assert!(!training.contains("test images"), "{training}");
    assert_eq!(testing.matches("accuracy").count(), 1, "{testing}");
    assert!(
        testing.contains("of 10000 test images right: accuracy 0."),
        "{testing}"
    );

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
    .assert_refused("not a PNG or JPEG file");

    // a shipped photo, a JPEG, is read; its name gives its digits, so the program counts
    let photos = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../data/handwriting/photos");
    let photo = photos.join("12-sideways-9-8-8-6-3.jpg");
    let read = run_in(
        PROGRAM,
        out,
        &["predict", "--model", model, photo.to_str().unwrap()],
    );
    read.assert_success();
    assert!(read.stdout.contains("digits found: 5"), "{}", read.stdout);
    assert!(
        read.stdout.contains("its name says: 98863"),
        "{}",
        read.stdout
    );

    // a photo of blank paper, a JPEG too, is refused
    let blank = dir.path().join("blank.jpg");
    let paper = vec![230u8; 300 * 200 * 3];
    image::save_buffer(&blank, &paper, 300, 200, image::ExtendedColorType::Rgb8).unwrap();
    run_in(
        PROGRAM,
        out,
        &["predict", "--model", model, blank.to_str().unwrap()],
    )
    .assert_refused("found no ink");
}

/// An untrained model of the right shape for MNIST, saved in `dir`.
fn small_model(dir: &Path) -> String {
    let path = dir.join("small.safetensors");
    let mut model = ch13_mnist::Mlp::<f32>::new(&[784, 16, 10], &mut seeded_rng::rng(0));
    model.save(&path).unwrap();
    path.to_str().unwrap().to_string()
}

#[test]
fn absurd_numbers_in_flags_are_refused() {
    run(PROGRAM, &["train", "--epochs", "18446744073709551615"])
        .assert_refused("--epochs must be at most 1000, got 18446744073709551615");
    run(PROGRAM, &["train", "--epochs", "18446744073709551616"])
        .assert_usage_error("not a whole number (number too large to fit in target type)");
    run(PROGRAM, &["train", "--hidden", "100000000"])
        .assert_refused("network has 79500000010 parameters, more than the 10000000");
    run(PROGRAM, &["train", "--hidden", "18446744073709551615"])
        .assert_refused("more than the 10000000 a network here may have");
    run(PROGRAM, &["train", "--hidden", &vec!["1"; 500].join("-")])
        .assert_refused("gives 501 layers, more than the 100");
}

#[test]
fn a_negative_count_is_a_clear_usage_error() {
    run(PROGRAM, &["train", "--epochs", "-1"])
        .assert_usage_error("invalid value '-1' for '--epochs <EPOCHS>': a negative number");
    run(PROGRAM, &["train", "--train-size", "-5"])
        .assert_usage_error("a negative number cannot count anything");
}

#[test]
fn the_common_flags_may_follow_the_subcommand() {
    // --seed is read (not "unexpected argument"), then --epochs 0 is refused
    run(PROGRAM, &["train", "--seed", "3", "--epochs", "0"])
        .assert_refused("--epochs must be at least 1");
}

#[test]
fn a_diverging_training_fails_and_keeps_the_good_model() {
    let dir = tempfile::tempdir().unwrap();
    let model = small_model(dir.path());
    let good = std::fs::read(&model).unwrap();
    let args = [
        "train",
        "--learning-rate",
        "1e30",
        "--schedule",
        "constant",
        "--train-size",
        "500",
        "--batch-size",
        "50",
        "--epochs",
        "2",
        "--hidden",
        "16",
        "--model",
        &model,
    ];
    run(PROGRAM, &args).assert_refused("training diverged");
    assert_eq!(std::fs::read(&model).unwrap(), good);
}

#[test]
fn learning_rates_that_all_diverge_are_a_clear_error() {
    let dir = tempfile::tempdir().unwrap();
    let model = small_model(dir.path());
    let args = [
        "train",
        "--learning-rate",
        "1e30,1e31",
        "--schedule",
        "constant",
        "--train-size",
        "500",
        "--batch-size",
        "50",
        "--hidden",
        "16",
        "--model",
        &model,
    ];
    let ran = run(PROGRAM, &args);
    ran.assert_refused("every learning rate tried diverged");
    assert_eq!(
        ran.stdout.matches("  diverged").count(),
        2,
        "{}",
        ran.stdout
    );
}

#[test]
fn an_unwritable_model_path_is_refused_before_training() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("a-file");
    std::fs::write(&file, "").unwrap();
    let model = file.join("model.safetensors");
    let ran = run(PROGRAM, &["train", "--model", model.to_str().unwrap()]);
    ran.assert_refused("creating the model folder");
    assert!(!ran.stdout.contains("The network"), "{}", ran.stdout);
}

#[test]
fn an_error_names_its_cause_once() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("a-file");
    std::fs::write(&file, "").unwrap();
    let ran = run_with_env(PROGRAM, &["train"], "MNIST_DIR", &file);
    ran.assert_refused("Not a directory (os error 20)");
    assert_eq!(
        ran.stderr.matches("Not a directory").count(),
        1,
        "{}",
        ran.stderr
    );
}

#[test]
fn two_images_of_the_same_name_get_a_figure_each() {
    let dir = tempfile::tempdir().unwrap();
    let model = small_model(dir.path());
    let mut images = Vec::new();
    for folder in ["a", "b"] {
        let path = dir.path().join(folder).join("2026.png");
        std::fs::create_dir(path.parent().unwrap()).unwrap();
        std::fs::copy(handwriting(), &path).unwrap();
        images.push(path.to_str().unwrap().to_string());
    }
    let out = dir.path().join("figures");
    run_in(
        PROGRAM,
        &out,
        &["predict", "--model", &model, &images[0], &images[1]],
    )
    .assert_success();
    assert!(out.join("2026_digits.svg").is_file());
    assert!(out.join("2026-2_digits.svg").is_file());
}

#[test]
fn hostile_files_are_refused_quickly() {
    let dir = tempfile::tempdir().unwrap();
    let model = small_model(dir.path());
    let started = std::time::Instant::now();
    run(PROGRAM, &["predict", "--model", &model, "/dev/zero"])
        .assert_refused("more than the 67108864 bytes an image of digits needs");
    run(
        PROGRAM,
        &["predict", "--model", "/dev/zero", &handwriting()],
    )
    .assert_refused("not a safetensors file");
    // offsets that would overflow inside safetensors 0.8.0
    let huge = u64::MAX - 15;
    let header = format!(
        r#"{{"__metadata__":{{"layer_sizes":"784-16-10"}},"layer1.weight":{{"dtype":"U8","shape":[{huge}],"data_offsets":[0,{huge}]}}}}"#
    );
    let mut bytes = (header.len() as u64).to_le_bytes().to_vec();
    bytes.extend_from_slice(header.as_bytes());
    let crafted = dir.path().join("crafted.safetensors");
    std::fs::write(&crafted, bytes).unwrap();
    run(PROGRAM, &["eval", "--model", crafted.to_str().unwrap()])
        .assert_refused("tensors whose bytes lie outside the file's 0 bytes of data");
    assert!(started.elapsed().as_secs_f64() < 10.0);
}
