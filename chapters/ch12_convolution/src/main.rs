//! The chapter's experiments, in the order of the page: convolution by hand, im2col against
//! the loops.

use std::process::ExitCode;

use ch12_convolution::{convolve, convolve2d, im2col, output_size};
use chapter_cli::{Common, section, timed};
use clap::Parser;
use ndarray::{Array1, Array2, Array4, array};

/// The batch of the im2col check: images of MNIST's size, SimpleConvNet's first layer.
const CHECK_BATCH: (usize, usize, usize, usize) = (10, 1, 28, 28);
const CHECK_FILTERS: (usize, usize, usize, usize) = (30, 1, 5, 5);

/// Convolutional networks: convolution by hand and by im2col.
#[derive(Parser)]
struct Args {
    #[command(flatten)]
    common: Common,
}

fn main() -> ExitCode {
    chapter_cli::run(|| {
        let args = Args::parse();
        let seed = args.common.seed;

        by_hand();
        im2col_check(seed);
        Ok(())
    })
}

/// A matrix, one row a line, each entry `width` wide with `decimals` decimals.
fn show(m: &Array2<f64>, width: usize, decimals: usize) -> String {
    let row = |r: ndarray::ArrayView1<f64>| {
        let entries: Vec<String> = r.iter().map(|v| format!("{v:>width$.decimals$}")).collect();
        format!("  [{}]", entries.join(" "))
    };
    m.rows().into_iter().map(row).collect::<Vec<_>>().join("\n")
}

/// DLFS §7.2: the 4×4 input and 3×3 filter of its figures, computed entry by entry; padding;
/// stride; the output-size formula; several channels.
fn by_hand() {
    section("Convolution by hand");
    let x = array![
        [1.0, 2.0, 3.0, 0.0],
        [0.0, 1.0, 2.0, 3.0],
        [3.0, 0.0, 1.0, 2.0],
        [2.0, 3.0, 0.0, 1.0]
    ];
    let w = array![[2.0, 0.0, 1.0], [0.0, 1.0, 2.0], [1.0, 0.0, 2.0]];
    println!("input x (4×4):\n{}", show(&x, 3, 0));
    println!("filter w (3×3):\n{}", show(&w, 3, 0));
    let y = convolve2d(&x, &w, 0, 1);
    let terms: Vec<String> = (0..3)
        .flat_map(|a| (0..3).map(move |b| (a, b)))
        .map(|(a, b)| format!("{}·{}", w[[a, b]], x[[a, b]]))
        .collect();
    println!("y[0, 0] = {} = {}", terms.join(" + "), y[[0, 0]]);
    println!("y = x ⊛ w (2×2):\n{}", show(&y, 3, 0));
    println!("y + bias 3:\n{}", show(&(&y + 3.0), 3, 0));

    section("Padding and stride");
    println!(
        "padding 1, stride 1: {0}×{0} output",
        output_size(4, 3, 1, 1)
    );
    println!("{}", show(&convolve2d(&x, &w, 1, 1), 3, 0));
    let x7 = Array2::from_shape_fn((7, 7), |(i, j)| (i * 7 + j) as f64);
    println!(
        "a 7×7 input holding 0…48, the same filter, stride 2: {0}×{0} output",
        output_size(7, 3, 0, 2)
    );
    println!("{}", show(&convolve2d(&x7, &w, 0, 2), 4, 0));
    println!("output size OH = (H + 2P − FH)/S + 1:");
    println!("{:>4} {:>4} {:>4} {:>4} {:>4}", "H", "FH", "P", "S", "OH");
    for (h, fh, p, s) in [
        (4, 3, 0, 1),
        (4, 3, 1, 1),
        (7, 3, 0, 2),
        (28, 5, 0, 1),
        (28, 5, 2, 1),
        (24, 2, 0, 2),
        (28, 3, 1, 2),
    ] {
        println!(
            "{h:>4} {fh:>4} {p:>4} {s:>4} {:>4}",
            output_size(h, fh, p, s)
        );
    }

    section("Several channels");
    // Three channels: the same 4×4 image, doubled, and negated; one filter of three 3×3 slices.
    let images =
        Array4::from_shape_fn((1, 3, 4, 4), |(_, c, i, j)| [1.0, 2.0, -1.0][c] * x[[i, j]]);
    let filter = Array4::from_shape_fn((1, 3, 3, 3), |(_, _, a, b)| w[[a, b]]);
    let y3 = convolve(&images, &filter, &Array1::zeros(1), 0, 1);
    println!("x: 3 channels (x, 2x, −x), w: 3 slices (w, w, w), one filter:");
    let y3 = y3.slice(ndarray::s![0, 0, .., ..]).to_owned();
    println!("{}", show(&y3, 3, 0));
    println!("the sum over channels: (1 + 2 − 1) · (x ⊛ w) = 2 · (x ⊛ w)");
}

/// im2col turns the convolution of a batch into one matrix product: checked against the loops.
fn im2col_check(seed: u64) {
    let mut rng = seeded_rng::rng(seed);
    let (n, c, h, w) = CHECK_BATCH;
    let (fn_, _, fh, fw) = CHECK_FILTERS;
    let x = seeded_rng::randn::<f64>(&mut rng, (n * c, h * w)).into_shape_with_order(CHECK_BATCH);
    let x = x.expect("N·C·H·W entries");
    let filters = seeded_rng::randn::<f64>(&mut rng, (fn_, c * fh * fw));
    let b = Array1::zeros(fn_);
    let loops = timed("convolution by loops", || {
        let w = filters
            .clone()
            .into_shape_with_order(CHECK_FILTERS)
            .expect("FN·C·FH·FW");
        convolve(&x, &w, &b, 0, 1)
    });
    let (col, y) = timed("convolution by im2col", || {
        let col = im2col(&x.view(), fh, fw, 0, 1);
        let y = col.dot(&filters.t()); // (N·OH·OW, FN)
        (col, y)
    });
    let (oh, ow) = (output_size(h, fh, 0, 1), output_size(w, fw, 0, 1));
    let y = y
        .into_shape_with_order((n, oh, ow, fn_))
        .expect("rows are patches");
    let y = y.permuted_axes([0, 3, 1, 2]);
    let diff = (&y - &loops)
        .mapv(f64::abs)
        .fold(0.0, |m: f64, &d| m.max(d));

    section("im2col");
    println!("x: {n} images of {c}×{h}×{w}; w: {fn_} filters of {c}×{fh}×{fw}");
    println!(
        "col = im2col(x): {} × {} ({n}·{oh}·{ow} patches of {c}·{fh}·{fw} pixels)",
        col.nrows(),
        col.ncols()
    );
    println!(
        "col · wᵀ: {} × {}, reshaped to {n} × {fn_} × {oh} × {ow}",
        col.nrows(),
        fn_
    );
    println!("largest difference from the loops: {diff:.1e}");
}
