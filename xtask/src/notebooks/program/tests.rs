use super::*;

#[test]
fn ensure_becomes_a_question_mark() {
    assert_eq!(
        ensure_as_question_mark("ensure!(args.epochs > 0, \"--epochs must be at least 1\");")
            .unwrap(),
        "if !(args.epochs > 0) {\n    Err(anyhow::anyhow!(\"--epochs must be at least 1\"))?;\n}"
    );
    let long = "ensure!(\n    x.is_finite() && x > 0.0,\n    \"--learning-rate must be a positive number, got {}\",\n    args.the_learning_rate\n);";
    assert_eq!(
        ensure_as_question_mark(long).unwrap(),
        "if !(x.is_finite() && x > 0.0) {\n    Err(anyhow::anyhow!(\n        \"--learning-rate must be a positive number, got {}\",\n        args.the_learning_rate\n    ))?;\n}"
    );
    assert_eq!(ensure_as_question_mark("f(x);"), None);
    assert_eq!(
        ensures_as_question_marks("for v in [1, 2] {\n    ensure!(v < 2, \"{v} ≥ 2\");\n}"),
        "for v in [1, 2] {\n    if !(v < 2) {\n        Err(anyhow::anyhow!(\"{v} ≥ 2\"))?;\n    }\n}"
    );
}

#[test]
fn a_program_splits_into_shared_items_setup_and_experiments() {
    let source = r#"//! Header.

use x::y;
use x::z;

const N: usize = 3;

fn main() -> ExitCode {
    chapter_cli::run(|| {
        let args = Args::parse();
        ensure!(args.n > 0, "bad");
        let out = args.common.out_dir(env!("CARGO_PKG_NAME"))?;
        // The tables.
        tables();
        if args.bench {
            return bench(&args);
        }
        let runs = train(&args);
        report("Learning OR");
        for run in &runs {
            show(run);
        }
        draw(&out, &runs)
    })
}

/// Tables.
fn tables() {
    section("Truth tables");
    shared();
}

// ANCHOR: train
fn train(args: &Args) -> Vec<u8> {
    for name in ["AND", "XOR"] {
        section(&format!("Learning {name}"));
    }
    helper()
}
// ANCHOR_END: train

fn helper() -> Vec<u8> { vec![] }

fn shared() {}

fn report(title: &str) { section(title); shared(); }

fn bench(args: &Args) -> Result<()> { timing(); Ok(()) }

fn timing() {}

fn show(run: &u8) {}

fn draw(out: &Path, runs: &[u8]) -> Result<()> {
    figures::write_svg(out, "runs.svg", SIZE, |a| f(a))?;
    Ok(())
}
"#;
    let program = Program::parse(source, "ch99_test").unwrap();
    assert_eq!(
        program.shared, "use x::y;\nuse x::z;\n\nconst N: usize = 3;\n\nfn shared() {}",
        "`bench` and `timing` serve only the early exit: they stay out"
    );
    assert_eq!(
        program.setup,
        [
            "let args: Args = Args::parse_from([\"ch99_test\"]);",
            "if !(args.n > 0) {\n    Err(anyhow::anyhow!(\"bad\"))?;\n}",
            "let out = args.common.out_dir(\"ch99_test\")?;"
        ]
    );
    let codes: Vec<&str> = program
        .experiments
        .iter()
        .map(|e| e.code.as_str())
        .collect();
    assert_eq!(
        codes,
        [
            "/// Tables.\nfn tables() {\n    section(\"Truth tables\");\n    shared();\n}\n\n\
             // The tables.\ntables();",
            "fn train(args: &Args) -> Vec<u8> {\n    for name in [\"AND\", \"XOR\"] {\n        \
             section(&format!(\"Learning {name}\"));\n    }\n    helper()\n}\n\n\
             fn helper() -> Vec<u8> { vec![] }\n\nlet runs = train(&args);",
            "fn report(title: &str) { section(title); shared(); }\n\nreport(\"Learning OR\");",
            "fn show(run: &u8) {}\n\nfor run in &runs {\n    show(run);\n}",
            "fn draw(out: &Path, runs: &[u8]) -> Result<()> {\n    \
             figures::write_svg(out, \"runs.svg\", SIZE, |a| f(a))?;\n    Ok(())\n}\n\n\
             draw(&out, &runs)?;",
        ]
    );
    let titles: Vec<&[String]> = program.experiments.iter().map(|e| &e.titles[..]).collect();
    assert_eq!(titles[0], ["Truth tables"]);
    assert_eq!(
        titles[1],
        ["Learning {name}"],
        "literals in `section(…)` only"
    );
    assert_eq!(titles[2], ["Learning OR"], "`section(title)`: any literal");
    assert_eq!(program.experiments[4].figures, ["runs.svg"]);
}

#[test]
fn the_files_of_experiments_are_put_in_place() {
    let dir = tempfile::tempdir().unwrap();
    let main = "//! The program.\n\nuse x::y;\n\n/// The experiments.\nmod experiments {\n    \
                pub mod a;\n    pub mod b;\n}\nuse experiments::a::run_a;\nuse experiments::b::{\n    \
                run_b,\n};\n\nconst N: usize = 1;\n\nfn main() {}\n";
    fs::write(dir.path().join("main.rs"), main).unwrap();
    fs::create_dir(dir.path().join("experiments")).unwrap();
    let a = "//! Experiment A.\n\nuse crate::*;\n\n/// A.\npub fn run_a() {}\n";
    fs::write(dir.path().join("experiments/a.rs"), a).unwrap();
    let b = "use crate::*;\n\nconst M: usize = 2;\n\npub fn run_b() {\n    pub_fn();\n}\n";
    fs::write(dir.path().join("experiments/b.rs"), b).unwrap();
    assert_eq!(
        with_modules_inlined(&dir.path().join("main.rs")).unwrap(),
        "//! The program.\n\nuse x::y;\n\n/// A.\nfn run_a() {}\n\nconst M: usize = 2;\n\n\
         fn run_b() {\n    pub_fn();\n}\n\nconst N: usize = 1;\n\nfn main() {}\n"
    );
    let plain = "use x::y;\n\nfn main() {}\n";
    fs::write(dir.path().join("main.rs"), plain).unwrap();
    assert_eq!(
        with_modules_inlined(&dir.path().join("main.rs")).unwrap(),
        plain
    );
}
