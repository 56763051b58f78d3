//! The chapter's experiments, in the order of the page.

use std::process::ExitCode;

use anyhow::{Context, ensure};
use ch09_backprop::MnistData;
use ch11_generalization::{ThreeSets, mnist_sets};
use chapter_cli::{Common, section};
use clap::Parser;

/// The MNIST sets of the chapter: training images, validation images (both drawn from MNIST's
/// 60,000 training images) and test images (MNIST's 10,000).
const MNIST_SETS: (usize, usize, usize) = (50_000, 10_000, 10_000);
/// The same for a quick run.
const QUICK_MNIST_SETS: (usize, usize, usize) = (5_000, 1_000, 1_000);

/// Generalisation: overfitting seen, three sets, weight decay and L1, dropout, batch
/// normalisation.
#[derive(Parser)]
struct Args {
    #[command(flatten)]
    common: Common,

    /// A run of a few seconds: smaller sets, fewer epochs
    #[arg(long)]
    quick: bool,
}

fn main() -> ExitCode {
    chapter_cli::run(|| {
        let args = Args::parse();
        let _out = args.common.out_dir(env!("CARGO_PKG_NAME"))?;
        let seed = args.common.seed;
        let quick = args.quick;
        let mnist = mnist::load().context("loading MNIST for the generalisation experiments")?;
        let data = MnistData::<f32>::new(&mnist);
        let sizes = if quick { QUICK_MNIST_SETS } else { MNIST_SETS };
        let sets = mnist_sets(&data, sizes, &mut seeded_rng::rng(seed));
        ensure!(!sets.validation.is_empty(), "no validation images");

        three_sets(&sets);
        Ok(())
    })
}

/// How the MNIST images are split for the rest of the chapter.
fn three_sets(sets: &ThreeSets<f32>) {
    section("Three sets");
    println!("{:<12} {:>7}  drawn from", "set", "images");
    let rows = [
        ("train", sets.train.len(), "MNIST's training images"),
        (
            "validation",
            sets.validation.len(),
            "MNIST's training images",
        ),
        ("test", sets.test.len(), "MNIST's test images"),
    ];
    for (name, images, from) in rows {
        println!("{name:<12} {images:>7}  {from}");
    }
}
