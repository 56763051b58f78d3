//! Running a chapter program from its tests. A chapter asks for it in its `Cargo.toml`:
//!
//! ```toml
//! [dev-dependencies]
//! chapter_cli = { workspace = true, features = ["testing"] }
//! ```
//!
//! Its `tests/program.rs` then runs the chapter's own binary, whose path cargo gives the test
//! as `env!("CARGO_BIN_EXE_<chapter>")`, and checks how it ends:
//!
//! ```ignore
//! use chapter_cli::testing::run;
//!
//! const PROGRAM: &str = env!("CARGO_BIN_EXE_ch01_perceptron");
//!
//! #[test]
//! fn zero_epochs_is_refused() {
//!     run(PROGRAM, &["--epochs", "0"]).assert_refused("--epochs must be at least 1");
//! }
//! ```

use std::ffi::OsStr;
use std::path::Path;
use std::process::Command;

/// How a run of a program ended: its exit code (none if a signal ended it) and what it printed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Ran {
    pub code: Option<i32>,
    pub stdout: String,
    pub stderr: String,
}

/// Runs `program` with `args`, its figures going to a fresh temporary folder (`--out`).
pub fn run(program: &str, args: &[&str]) -> Ran {
    let out = tempfile::tempdir().expect("a temporary folder for the figures");
    run_in(program, out.path(), args)
}

/// Runs `program` with `args`, its figures going to `out`.
pub fn run_in(program: &str, out: &Path, args: &[&str]) -> Ran {
    ran(Command::new(program).arg("--out").arg(out).args(args))
}

/// Runs `program` with `args` and the environment variable `name` set to `value`, its figures
/// going to a fresh temporary folder: `run_with_env(PROGRAM, &[], "MNIST_DIR", empty)`.
pub fn run_with_env(program: &str, args: &[&str], name: &str, value: impl AsRef<OsStr>) -> Ran {
    let out = tempfile::tempdir().expect("a temporary folder for the figures");
    ran(Command::new(program)
        .arg("--out")
        .arg(out.path())
        .args(args)
        .env(name, value))
}

fn ran(command: &mut Command) -> Ran {
    let output = command
        .output()
        .unwrap_or_else(|e| panic!("running {command:?}: {e}"));
    Ran {
        code: output.status.code(),
        stdout: String::from_utf8_lossy(&output.stdout).into_owned(),
        stderr: String::from_utf8_lossy(&output.stderr).into_owned(),
    }
}

impl Ran {
    /// Asserts that the program ended well (exit code 0).
    #[track_caller]
    pub fn assert_success(&self) {
        assert_eq!(self.code, Some(0), "{}", self.stderr);
    }

    /// Asserts that the program refused to go on with a clear error: exit code 1 (what
    /// [`crate::run`] gives an error), `message` on stderr, and no panic report.
    #[track_caller]
    pub fn assert_refused(&self, message: &str) {
        self.assert_ended(1, message);
    }

    /// Asserts that the program refused its command line: exit code 2 (what clap gives a flag
    /// it cannot parse), `message` on stderr, and no panic report.
    #[track_caller]
    pub fn assert_usage_error(&self, message: &str) {
        self.assert_ended(2, message);
    }

    #[track_caller]
    fn assert_ended(&self, code: i32, message: &str) {
        assert_eq!(self.code, Some(code), "{}", self.stderr);
        assert!(self.stderr.contains(message), "{}", self.stderr);
        assert!(!self.stderr.contains("panicked"), "{}", self.stderr);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ended(code: i32, stderr: &str) -> Ran {
        Ran {
            code: Some(code),
            stdout: String::new(),
            stderr: stderr.to_string(),
        }
    }

    #[test]
    fn a_refusal_with_its_message_passes() {
        ended(1, "error: --epochs must be at least 1").assert_refused("--epochs must be");
        ended(2, "error: invalid value 'x' for '--seed <N>'").assert_usage_error("invalid value");
        ended(0, "").assert_success();
    }

    #[test]
    #[should_panic]
    fn a_refusal_with_the_wrong_exit_code_fails() {
        ended(2, "error: --epochs must be at least 1").assert_refused("--epochs must be");
    }

    #[test]
    #[should_panic]
    fn a_refusal_with_another_message_fails() {
        ended(1, "error: --steps must be at least 1").assert_refused("--epochs must be");
    }

    #[test]
    #[should_panic]
    fn a_panic_is_not_a_clear_refusal() {
        ended(
            1,
            "thread 'main' panicked at src/main.rs: --epochs must be at least 1",
        )
        .assert_refused("--epochs must be");
    }

    #[test]
    #[should_panic]
    fn a_failure_is_not_a_success() {
        ended(1, "error: no data").assert_success();
    }

    /// A stand-in for a chapter program: a shell script that prints its arguments and the
    /// variable `ANSWER`, complains on stderr and exits with 3.
    #[cfg(unix)]
    fn script(dir: &Path) -> String {
        use std::os::unix::fs::PermissionsExt;
        let path = dir.join("program.sh");
        std::fs::write(
            &path,
            "#!/bin/sh\necho \"$@\"\necho \"$ANSWER\"\necho oops >&2\nexit 3\n",
        )
        .unwrap();
        std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o755)).unwrap();
        path.to_str().unwrap().to_string()
    }

    #[cfg(unix)]
    #[test]
    fn the_program_gets_its_folder_arguments_and_environment() {
        let dir = tempfile::tempdir().unwrap();
        let program = script(dir.path());
        let out = dir.path().display();

        let ran = run_in(&program, dir.path(), &["--epochs", "0"]);
        assert_eq!(ran.code, Some(3));
        assert_eq!(ran.stdout, format!("--out {out} --epochs 0\n\n"));
        assert_eq!(ran.stderr, "oops\n");

        let ran = run_with_env(&program, &["--seed", "7"], "ANSWER", "42");
        let (first, answer) = ran.stdout.split_once('\n').unwrap();
        assert!(
            first.starts_with("--out /") && first.ends_with(" --seed 7"),
            "{first}"
        );
        assert!(!first.contains(&out.to_string()), "{first}");
        assert_eq!(answer, "42\n");
    }
}
