//! The chapter's experiments: one neuron and a layer by hand, the dot product, the same layer
//! with ndarray and with nalgebra, the shape errors ndarray reports, figures.

use std::path::Path;
use std::process::ExitCode;

use anyhow::Result;
use ch02_neurons::plots::{draw_layer_sums, draw_weight_and_bias};
use ch02_neurons::{
    BIAS, INPUTS, LAYER_BIASES, LAYER_WEIGHTS, WEIGHTS, dot, layer, layer_nalgebra, layer_ndarray,
    neuron, panic_message,
};
use chapter_cli::{Common, section};
use clap::Parser;
use nalgebra::{SMatrix, SVector};
use ndarray::{Array1, arr1, arr2};

/// Neurons: one neuron and a layer of them, by hand, with ndarray and with nalgebra.
#[derive(Parser)]
struct Args {
    #[command(flatten)]
    common: Common,
}

fn main() -> ExitCode {
    chapter_cli::run(|| {
        let args = Args::parse();
        let out = args.common.out_dir(env!("CARGO_PKG_NAME"))?;
        print_one_neuron();
        print_layer_by_hand();
        print_dot_product();
        print_side_by_side();
        print_shapes();
        print_shape_errors();
        draw_figures(&out)
    })
}

/// The single neuron, one product at a time.
fn print_one_neuron() {
    section("One neuron");
    for (i, (x, w)) in INPUTS.iter().zip(WEIGHTS).enumerate() {
        let n = i + 1;
        println!("x{n}·w{n} = {x:5.2} · {w:5.2} = {:6.3}", x * w);
    }
    println!("b     = {:>21.3}", BIAS);
    println!("y     = {:>21.3}", neuron(&INPUTS, &WEIGHTS, BIAS));
}

/// The layer of three neurons, computed neuron by neuron.
fn print_layer_by_hand() {
    section("A layer of three neurons, by hand");
    println!("inputs {}", list(&INPUTS, 2));
    let outputs = layer(&INPUTS, &LAYER_WEIGHTS, &LAYER_BIASES);
    for (j, ((weights, bias), y)) in LAYER_WEIGHTS
        .iter()
        .zip(LAYER_BIASES)
        .zip(&outputs)
        .enumerate()
    {
        println!(
            "neuron {}: weights {}  bias {bias:.2}  ->  y = {y:.3}",
            j + 1,
            list(weights, 2)
        );
    }
    println!("outputs {}", list(&outputs, 3));
}

/// The neuron again, as a dot product plus a bias.
fn print_dot_product() {
    section("The dot product");
    let product = dot(&WEIGHTS, &INPUTS);
    println!("weights · inputs              = {product:.3}");
    println!("weights · inputs + bias       = {:.3}", product + BIAS);
    println!(
        "neuron(inputs, weights, bias) = {:.3}",
        neuron(&INPUTS, &WEIGHTS, BIAS)
    );
}

/// The layer by hand, with ndarray and with nalgebra, in three columns.
fn print_side_by_side() {
    section("By hand, with ndarray and with nalgebra");
    let by_hand = layer(&INPUTS, &LAYER_WEIGHTS, &LAYER_BIASES);
    let with_ndarray = layer_ndarray(&arr2(&LAYER_WEIGHTS), &arr1(&INPUTS), &arr1(&LAYER_BIASES));
    let with_nalgebra = layer_nalgebra(
        &SMatrix::<f64, 3, 4>::from_row_slice(LAYER_WEIGHTS.as_flattened()),
        &SVector::<f64, 4>::from(INPUTS),
        &SVector::<f64, 3>::from(LAYER_BIASES),
    );
    println!("neuron   by hand   ndarray  nalgebra");
    for (j, ((a, b), c)) in by_hand
        .iter()
        .zip(&with_ndarray)
        .zip(&with_nalgebra)
        .enumerate()
    {
        println!("{:<6} {a:9.3} {b:9.3} {c:9.3}", j + 1);
    }
    let same_bits = by_hand
        .iter()
        .zip(&with_ndarray)
        .zip(&with_nalgebra)
        .all(|((a, b), c)| a.to_bits() == b.to_bits() && b.to_bits() == c.to_bits());
    println!(
        "equal to the last bit: {}",
        if same_bits { "yes" } else { "no" }
    );
}

/// The shapes of the ndarray version of the layer.
fn print_shapes() {
    section("Shapes");
    let weights = arr2(&LAYER_WEIGHTS);
    let inputs = arr1(&INPUTS);
    let biases = arr1(&LAYER_BIASES);
    let outputs = layer_ndarray(&weights, &inputs, &biases);
    println!("weights  {:?}", weights.shape());
    println!("inputs   {:?}", inputs.shape());
    println!("biases   {:?}", biases.shape());
    println!("outputs  {:?}", outputs.shape());
}

/// What happens when the shapes do not fit: each check panics, and we print its message.
fn print_shape_errors() {
    section("Shape errors at run time");
    let weights = arr2(&LAYER_WEIGHTS);
    let three_inputs: Array1<f64> = arr1(&INPUTS[..3]);
    let two_biases: Array1<f64> = arr1(&LAYER_BIASES[..2]);

    // ANCHOR: catch
    println!("dot, 4 weights and 3 inputs:");
    report(panic_message(|| dot(&WEIGHTS, &INPUTS[..3])));
    // ANCHOR_END: catch
    println!(
        "ndarray, weights {:?} times inputs {:?}:",
        weights.shape(),
        three_inputs.shape()
    );
    report(panic_message(|| {
        layer_ndarray(&weights, &three_inputs, &arr1(&LAYER_BIASES))
    }));
    let outputs = weights.dot(&arr1(&INPUTS));
    println!(
        "ndarray, outputs {:?} plus biases {:?}:",
        outputs.shape(),
        two_biases.shape()
    );
    report(panic_message(|| &outputs + &two_biases));
    println!("layer_ndarray, the same biases:");
    report(panic_message(|| {
        layer_ndarray(&weights, &arr1(&INPUTS), &two_biases)
    }));
}

/// Prints a panic's message, indented, or says there was none.
fn report(message: Option<String>) {
    match message {
        Some(message) => println!("    {message}"),
        None => println!("    (no error)"),
    }
}

/// Numbers as a list at fixed precision, aligned for a minus sign: `[ 1.00, -2.00]`.
fn list(values: &[f64], decimals: usize) -> String {
    let cells: Vec<String> = values
        .iter()
        .map(|v| format!("{v:width$.decimals$}", width = decimals + 3))
        .collect();
    format!("[{}]", cells.join(", "))
}

/// The chapter's two figures.
// The closures are needed: a figure function named alone is fixed to one backend lifetime.
#[allow(clippy::redundant_closure)]
fn draw_figures(out: &Path) -> Result<()> {
    figures::write_svg(out, "slope_and_offset.svg", (1000, 440), |area| {
        draw_weight_and_bias(area)
    })?;
    figures::write_svg(out, "layer_sums.svg", (760, 460), |area| {
        draw_layer_sums(area, &INPUTS, &LAYER_WEIGHTS, &LAYER_BIASES)
    })?;
    Ok(())
}
