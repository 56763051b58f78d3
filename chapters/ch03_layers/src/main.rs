//! The chapter's experiments: a batch through a layer, the matrix product by hand, two and three
//! layers, and a dense layer on the spiral data set, with figures of the toy data sets.

use std::path::Path;
use std::process::ExitCode;

use anyhow::{Result, ensure};
use ch03_layers::plots::draw_data_set;
use ch03_layers::{
    Dense, Float, dlfs_forward, dlfs_network, matmul_by_hand, nnfs_batch, nnfs_layer1, nnfs_layer2,
    product_shape, sigmoid,
};
use chapter_cli::{Common, section};
use clap::Parser;
use ndarray::{Array1, Array2, array};
use toy_datasets::{spiral_data, vertical_data};

/// Samples per class in the toy data sets, as in nnfs.
const SAMPLES: usize = 100;
/// The most samples per class `--samples` accepts (a scatter plot of 70,000 points).
const MAX_SAMPLES: usize = 10_000;
/// Classes in the toy data sets, as in nnfs.
const CLASSES: usize = 3;
/// Neurons of the layer the spiral data goes through.
const NEURONS: usize = 3;
/// Rows of that layer's output to print, as nnfs does.
const ROWS_SHOWN: usize = 5;
/// The most classes a figure can tell apart by colour.
const MAX_CLASSES: usize = figures::COLORS.len();

/// Layers: batches as matrices, the matrix product, a dense layer, a three-layer forward pass,
/// and the spiral and vertical data sets.
#[derive(Parser)]
struct Args {
    #[command(flatten)]
    common: Common,

    /// Samples per class in the spiral and vertical data sets (1 to 10,000)
    #[arg(long, default_value_t = SAMPLES, allow_negative_numbers = true)]
    samples: usize,

    /// Classes in the spiral and vertical data sets (1 to 7)
    #[arg(long, default_value_t = CLASSES, allow_negative_numbers = true)]
    classes: usize,
}

fn main() -> ExitCode {
    chapter_cli::run(|| {
        let args = Args::parse();
        ensure!(args.samples > 0, "--samples must be at least 1");
        ensure!(
            args.samples <= MAX_SAMPLES,
            "--samples must be at most {MAX_SAMPLES}, got {}",
            args.samples
        );
        ensure!(
            (1..=MAX_CLASSES).contains(&args.classes),
            "--classes must be from 1 to {MAX_CLASSES} (one colour each), got {}",
            args.classes
        );
        let out = args.common.out_dir(env!("CARGO_PKG_NAME"))?;
        print_batch_through_a_layer();
        print_matrix_product();
        print_shapes(&args);
        print_two_layers();
        print_sigmoid();
        print_three_layers();
        let spiral = spiral_through_a_layer(&args);
        let vertical = vertical_set(&args);
        draw_figures(&out, &args, &spiral, &vertical)
    })
}

/// A matrix, one row per line, each number formatted by `number`.
fn print_matrix<F: Float>(m: &Array2<F>, number: impl Fn(F) -> String) {
    for row in m.rows() {
        let cells: Vec<String> = row.iter().map(|&v| number(v)).collect();
        println!("  [{}]", cells.join(" "));
    }
}

/// Fixed-point with `decimals` decimals, right-aligned in `width` characters.
fn fixed<F: Float>(width: usize, decimals: usize) -> impl Fn(F) -> String {
    move |v| format!("{v:>width$.decimals$}")
}

/// nnfs's batch of three samples through its layer of three neurons.
fn print_batch_through_a_layer() {
    section("A batch through a layer");
    let x = nnfs_batch();
    let layer = nnfs_layer1();
    println!("inputs {:?}, one sample per row:", x.dim());
    print_matrix(&x, fixed(6, 2));
    println!("weights {:?}, one column per neuron:", layer.weights.dim());
    print_matrix(&layer.weights, fixed(6, 2));
    println!("biases ({},):", layer.biases.len());
    print_matrix(
        &layer.biases.clone().insert_axis(ndarray::Axis(0)),
        fixed(6, 2),
    );
    let output = layer.forward(&x);
    println!("output = inputs·weights + biases {:?}:", output.dim());
    print_matrix(&output, fixed(7, 3));
}

/// A small product worked entry by entry, then by ndarray.
fn print_matrix_product() {
    section("The matrix product by hand");
    let a = array![[1.0, 2.0, 3.0], [4.0, 5.0, 6.0]];
    let b = array![[7.0, 8.0], [9.0, 10.0], [11.0, 12.0]];
    println!("a {:?}:", a.dim());
    print_matrix(&a, fixed(3, 0));
    println!("b {:?}:", b.dim());
    print_matrix(&b, fixed(3, 0));
    let c = matmul_by_hand(&a, &b);
    println!(
        "c = a·b {:?}, each entry a row of a times a column of b:",
        c.dim()
    );
    for ((i, j), value) in c.indexed_iter() {
        let terms: Vec<String> = (0..a.ncols())
            .map(|k| format!("{}·{}", a[[i, k]], b[[k, j]]))
            .collect();
        println!("  c[{i},{j}] = {} = {value}", terms.join(" + "));
    }
    println!("ndarray's a.dot(&b):");
    print_matrix(&a.dot(&b), fixed(4, 0));
    println!("the same as by hand: {}", a.dot(&b) == c);
}

/// The shapes this chapter multiplies, and the one that does not fit.
fn print_shapes(args: &Args) {
    section("Which shapes fit");
    let spiral_rows = args.samples * args.classes;
    let cases = [
        ("batch · nnfs weights as written", (3, 4), (3, 4)),
        ("batch · their transpose", (3, 4), (4, 3)),
        ("layer 1 output · layer 2 weights", (3, 3), (3, 3)),
        ("one DLFS sample · W1", (1, 2), (2, 3)),
        (
            "spiral data · Dense(2, 3) weights",
            (spiral_rows, 2),
            (2, NEURONS),
        ),
    ];
    for (what, a, b) in cases {
        let result = match product_shape(a, b) {
            Some(c) => format!("{c:?}"),
            None => format!("no: {} columns, {} rows", a.1, b.0),
        };
        let shapes = format!("{a:?}·{b:?}");
        println!("{what:<34} {shapes:<16} = {result}");
    }
}

// ANCHOR: two_layers
/// The batch through nnfs's two layers: the first layer's output is the second's input.
fn print_two_layers() {
    section("Two layers");
    let layer1 = nnfs_layer1();
    let layer2 = nnfs_layer2();
    let output1 = layer1.forward(&nnfs_batch()); // (3, 3)
    let output2 = layer2.forward(&output1); //      (3, 3)
    println!("layer 2 output {:?}:", output2.dim());
    print_matrix(&output2, fixed(9, 5));
}
// ANCHOR_END: two_layers

/// A few values of the sigmoid.
fn print_sigmoid() {
    section("The sigmoid");
    for a in [-10.0, -2.0, -1.0, 0.0, 1.0, 2.0, 10.0] {
        println!("σ({a:>5.1}) = {:.6}", sigmoid(a));
    }
}

/// The three-layer network of Deep Learning from Scratch, layer by layer.
fn print_three_layers() {
    section("Three layers with fixed weights");
    let x = array![[1.0, 0.5]];
    let [layer1, layer2, layer3] = dlfs_network();
    let a1 = layer1.forward(&x);
    let z1 = a1.mapv(sigmoid);
    let a2 = layer2.forward(&z1);
    let z2 = a2.mapv(sigmoid);
    let y = layer3.forward(&z2);
    assert_eq!(y, dlfs_forward(&x), "the steps are dlfs_forward's");
    let stages = [
        ("x ", &x),
        ("a1", &a1),
        ("z1", &z1),
        ("a2", &a2),
        ("z2", &z2),
        ("y ", &y),
    ];
    for (name, value) in stages {
        let cells: Vec<String> = value.iter().map(|v| format!("{v:.8}")).collect();
        println!("{name} {:?} = [{}]", value.dim(), cells.join(" "));
    }
}

/// Spiral data through a fresh dense layer, in f32: the first rows of the output.
fn spiral_through_a_layer(args: &Args) -> (Array2<f32>, Array1<usize>) {
    section("A dense layer on spiral data");
    let mut rng = seeded_rng::rng(args.common.seed);
    let (x, y) = spiral_data::<f32>(&mut rng, args.samples, args.classes);
    let layer = Dense::<f32>::new(2, NEURONS, &mut rng);
    println!(
        "spiral data: x {:?}, y ({},): {} samples of each of {} classes",
        x.dim(),
        y.len(),
        args.samples,
        args.classes
    );
    let output = layer.forward(&x);
    println!(
        "Dense(2, {NEURONS}) output {:?}, first {ROWS_SHOWN} rows:",
        output.dim()
    );
    let first = output.slice(ndarray::s![..ROWS_SHOWN.min(output.nrows()), ..]);
    print_matrix(&first.to_owned(), |v: f32| format!("{v:>11.4e}"));
    (x, y)
}

/// The vertical data set: the easier one.
fn vertical_set(args: &Args) -> (Array2<f32>, Array1<usize>) {
    section("Vertical data");
    let mut rng = seeded_rng::rng(args.common.seed);
    let (x, y) = vertical_data::<f32>(&mut rng, args.samples, args.classes);
    println!("vertical data: x {:?}, y ({},)", x.dim(), y.len());
    (x, y)
}

/// The chapter's two figures: the spiral and the vertical data sets.
// The closures are needed: a figure function named alone is fixed to one backend lifetime.
#[allow(clippy::redundant_closure)]
fn draw_figures(
    out: &Path,
    args: &Args,
    spiral: &(Array2<f32>, Array1<usize>),
    vertical: &(Array2<f32>, Array1<usize>),
) -> Result<()> {
    let size = (600, 560);
    let counts = format!("{} samples × {} classes", args.samples, args.classes);
    let title = format!("Spiral data: {counts}");
    figures::write_svg(out, "spiral.svg", size, |area| {
        draw_data_set(area, &title, &spiral.0, &spiral.1)
    })?;
    let title = format!("Vertical data: {counts}");
    figures::write_svg(out, "vertical.svg", size, |area| {
        draw_data_set(area, &title, &vertical.0, &vertical.1)
    })?;
    Ok(())
}
