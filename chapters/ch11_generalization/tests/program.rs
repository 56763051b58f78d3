//! The chapter program refuses flags it cannot use, with a message and a non-zero exit.

use chapter_cli::testing::{run, run_with_env};

const PROGRAM: &str = env!("CARGO_BIN_EXE_ch11_generalization");

#[test]
fn a_missing_mnist_folder_is_a_clear_error() {
    let empty = tempfile::tempdir().unwrap();
    let missing = empty.path().join("no-such-folder");
    run_with_env(PROGRAM, &["--quick"], "MNIST_DIR", missing).assert_refused("loading MNIST");
}

#[test]
fn an_unknown_flag_is_a_usage_error() {
    run(PROGRAM, &["--epochs-of-everything", "3"]).assert_usage_error("--epochs-of-everything");
}
