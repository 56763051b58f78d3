//! The flags every chapter program shares: `--out` names the figure folder, created when it
//! does not exist; a folder that cannot be created is a clear error, not a panic.

use chapter_cli::Common;
use clap::Parser;

/// A chapter program's command line, with nothing but the common flags.
#[derive(Parser)]
struct Cli {
    #[command(flatten)]
    common: Common,
}

fn common(args: &[&str]) -> Common {
    Cli::try_parse_from(std::iter::once("chapter").chain(args.iter().copied()))
        .unwrap()
        .common
}

#[test]
fn the_figure_folder_is_created() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("figures").join("deeper");
    let common = common(&["--out", out.to_str().unwrap()]);
    assert_eq!(common.out_dir("ch00_example").unwrap(), out);
    assert!(out.is_dir());
}

#[test]
fn without_out_the_figures_go_under_target() {
    let dir = common(&[]).out_dir("ch00_example").unwrap();
    assert_eq!(
        dir,
        chapter_cli::workspace_root().join("target/figures/ch00_example")
    );
    assert!(dir.is_dir());
    std::fs::remove_dir(&dir).unwrap();
}

#[test]
fn an_unwritable_figure_folder_is_a_clear_error() {
    let error = common(&["--out", "/proc/no-such-folder"])
        .out_dir("ch00_example")
        .unwrap_err();
    let message = format!("{error:#}");
    assert!(
        message.starts_with("creating the figure folder /proc/no-such-folder: "),
        "{message}"
    );
}

#[test]
fn a_seed_that_is_not_a_number_is_a_usage_error() {
    let error = Cli::try_parse_from(["chapter", "--seed", "minus-one"])
        .err()
        .unwrap();
    assert_eq!(error.kind(), clap::error::ErrorKind::ValueValidation);
    assert!(
        error
            .to_string()
            .contains("invalid value 'minus-one' for '--seed <N>'"),
        "{error}"
    );
}

#[test]
fn a_negative_seed_is_named_as_a_bad_value() {
    let error = Cli::try_parse_from(["chapter", "--seed", "-1"])
        .err()
        .unwrap();
    assert!(
        error
            .to_string()
            .contains("invalid value '-1' for '--seed <N>'"),
        "{error}"
    );
}
