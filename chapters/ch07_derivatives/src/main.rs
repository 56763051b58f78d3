//! The chapter's experiments: slopes, secants, forward and central differences, tangent lines,
//! and the error of a numerical derivative against its step.

use std::f64::consts::E;
use std::path::Path;
use std::process::ExitCode;

use anyhow::{Result, ensure};
use ch07_derivatives::plots::{
    draw_error_vs_h, draw_function_1_tangents, draw_secants, draw_tangents,
};
use ch07_derivatives::{
    DEFAULT_H, Difference, ErrorCurve, Line, function_1, function_1_derivative, log_steps,
    numerical_diff, numerical_diff_forward, slope, tangent_line, two_x_squared,
};
use chapter_cli::{Common, section};
use clap::Parser;

/// How many steps h the error study takes in each factor of ten.
const STEPS_PER_DECADE: u32 = 8;
/// The error study's steps run from 10^LARGEST_STEP down to 10^SMALLEST_STEP.
const LARGEST_STEP: i32 = -1;
const SMALLEST_STEP: i32 = -16;
/// Where the error study differentiates eˣ (whose derivative is eˣ again).
const ERROR_STUDY_X: f64 = 1.0;
/// The secants drawn in the secant figure.
const DRAWN_SECANTS: [f64; 3] = [1.0, 0.5, 0.25];
/// Where nnfs draws tangent lines of 2x², and *Deep Learning from Scratch* of 0.01x² + 0.1x.
const NNFS_TANGENTS: [f64; 5] = [0.0, 1.0, 2.0, 3.0, 4.0];
const DLFS_TANGENTS: [f64; 2] = [5.0, 10.0];
/// The slope nnfs prints for its two points 0.0001 apart on 2x².
const NNFS_SLOPE: f64 = 4.0001999999987845;
/// The central differences *Deep Learning from Scratch* prints at x = 5 and x = 10.
const DLFS_CENTRAL: [f64; 2] = [0.1999999999990898, 0.2999999999986347];

/// Derivatives by numbers: secants, tangents, and the error of the difference quotient.
#[derive(Parser)]
struct Args {
    #[command(flatten)]
    common: Common,

    /// Steps h per factor of ten in the study of the error against h (1 to 100)
    #[arg(long, default_value_t = STEPS_PER_DECADE, allow_negative_numbers = true)]
    steps_per_decade: u32,
}

fn main() -> ExitCode {
    chapter_cli::run(|| {
        let args = Args::parse();
        ensure!(
            (1..=100).contains(&args.steps_per_decade),
            "--steps-per-decade must be from 1 to 100, got {}",
            args.steps_per_decade
        );
        let out = args.common.out_dir(env!("CARGO_PKG_NAME"))?;
        print_straight_line();
        print_secants();
        print_nnfs_secant();
        print_step_too_small();
        print_forward_and_central();
        print_tangents();
        let curves = error_curves(args.steps_per_decade);
        print_error_table(&curves);
        print_best_steps(&curves, args.steps_per_decade);
        draw_figures(&out, &curves)
    })
}

/// A straight line has one slope: rise over run is the same between any two of its points.
fn print_straight_line() {
    section("The slope of a straight line");
    let line = |x: f64| 2.0 * x + 1.0;
    println!("y = 2x + 1");
    for (x1, x2) in [(0.0, 1.0), (1.0, 4.0), (-2.0, 3.0)] {
        let (p, q) = ((x1, line(x1)), (x2, line(x2)));
        println!(
            "from ({x1:>4.1}, {:>4.1}) to ({x2:>4.1}, {:>4.1}): rise {:>4.1}, run {:>3.1}, slope {:.1}",
            p.1,
            q.1,
            q.1 - p.1,
            x2 - x1,
            slope(p, q)
        );
    }
}

/// The slope of the secant of 2x² from x = 1 to x = 1 + h, as h shrinks.
fn print_secants() {
    section("Secants of 2x² at x = 1");
    let exact = 4.0;
    println!("{:<7} {:>16} {:>12}", "h", "secant slope", "slope − 4");
    for k in 0..=10 {
        let h = 10f64.powi(-k);
        let secant = numerical_diff_forward(two_x_squared, 1.0, h);
        println!("{h:<7.0e} {secant:>16.12} {:>12.3e}", secant - exact);
    }
}

/// nnfs's two points 0.0001 apart, and their slope to full precision.
fn print_nnfs_secant() {
    section("Two points 0.0001 apart");
    let (x1, delta) = (1.0, 0.0001);
    let x2 = x1 + delta;
    let (y1, y2) = (two_x_squared(x1), two_x_squared(x2));
    let line = Line::through((x1, y1), (x2, y2));
    println!("(x1, y1) = ({x1}, {y1}), (x2, y2) = ({x2}, {y2})");
    let forward = numerical_diff_forward(two_x_squared, x1, delta);
    println!("slope (y2 − y1) / (x2 − x1)  = {}", line.slope);
    println!(
        "nnfs prints                  = {NNFS_SLOPE} (the same number: {})",
        line.slope == NNFS_SLOPE
    );
    println!("intercept y2 − slope · x2    = {}", line.intercept);
    println!("forward difference, ÷ h      = {forward}");
    println!("x2 − x1                      = {:e}", x2 - x1);
    let exact = 4.0 + 2.0 * delta;
    println!(
        "exact secant slope 4 + 2h = {exact}: ÷ (x2 − x1) is off by {:.1e}, ÷ h by {:.1e}",
        (line.slope - exact).abs(),
        (forward - exact).abs()
    );
}

/// What a step of 10⁻⁵⁰ does in f32 and in f64.
#[allow(clippy::eq_op)] // 5.0 + 1e-50 == 5.0 is the point
fn print_step_too_small() {
    section("A step too small");
    println!("1e-50f32             = {}", 1e-50f32);
    println!("1e-50f64             = {:e}", 1e-50f64);
    println!("5.0 + 1e-50 == 5.0   : {}", 5.0 + 1e-50 == 5.0);
    println!("smallest f32 above 0 : {:.1e}", f32::from_bits(1));
    println!("next f64 after 5.0   : 5 + {:.1e}", 5f64.next_up() - 5.0);
    println!("next f32 after 5.0   : 5 + {:.1e}", 5f32.next_up() - 5.0);
    println!("forward difference of 0.01x² + 0.1x at x = 5 with h = 1e-50:");
    println!(
        "  in f64: {}",
        numerical_diff_forward(function_1::<f64>, 5.0, 1e-50)
    );
    println!(
        "  in f32: {}",
        numerical_diff_forward(function_1::<f32>, 5.0, 1e-50)
    );
}

/// Forward and central difference with h = 10⁻⁴ on 0.01x² + 0.1x, against the exact slope.
fn print_forward_and_central() {
    section("Forward and central differences");
    println!("f(x) = 0.01x² + 0.1x, h = {DEFAULT_H:e}");
    for (x, dlfs) in DLFS_TANGENTS.into_iter().zip(DLFS_CENTRAL) {
        let exact = function_1_derivative(x);
        let forward = numerical_diff_forward(function_1, x, DEFAULT_H);
        let central = numerical_diff(function_1, x, DEFAULT_H);
        println!("x = {x}: exact f′(x) = 0.02x + 0.1 = {exact:.1}");
        println!("  forward {forward:<20} error {:>9.1e}", forward - exact);
        println!("  central {central:<20} error {:>9.1e}", central - exact);
        println!(
            "  DLFS    {dlfs:<20} (the same number: {})",
            central == dlfs
        );
    }
}

/// The tangent lines the two figures draw.
fn print_tangents() {
    section("Tangent lines");
    let show = |name: &str, x: f64, tangent: Line<f64>| {
        let sign = if tangent.intercept < 0.0 { '−' } else { '+' };
        println!(
            "{name} at x = {x:>2}: y = {:>7.4}·x {sign} {:.4}",
            tangent.slope,
            tangent.intercept.abs()
        );
    };
    for x in NNFS_TANGENTS {
        show("2x²          ", x, tangent_line(two_x_squared, x));
    }
    for x in DLFS_TANGENTS {
        show("0.01x² + 0.1x", x, tangent_line(function_1, x));
    }
}

/// The error of both differences, in f64 and in f32, for eˣ at x = 1 and every step.
fn error_curves(per_decade: u32) -> Vec<ErrorCurve> {
    let steps = log_steps(LARGEST_STEP, SMALLEST_STEP, per_decade);
    let x = ERROR_STUDY_X;
    let exact = x.exp();
    let mut curves = Vec::new();
    for difference in [Difference::Forward, Difference::Central] {
        curves.push(ErrorCurve::measure::<f64>(
            difference,
            f64::exp,
            x,
            exact,
            &steps,
        ));
        curves.push(ErrorCurve::measure::<f32>(
            difference,
            f32::exp,
            x,
            exact,
            &steps,
        ));
    }
    curves
}

/// The error at each power of ten.
fn print_error_table(curves: &[ErrorCurve]) {
    section("Error against the step");
    println!("f(x) = eˣ at x = {ERROR_STUDY_X}, exact f′(x) = e = {E:.15}");
    let mut header = format!("{:<7}", "h");
    for curve in curves {
        header += &format!(
            " {:>13}",
            format!("{} {}", curve.difference.name(), curve.precision)
        );
    }
    println!("{header}");
    for k in -LARGEST_STEP..=-SMALLEST_STEP {
        let h = 10f64.powi(-k);
        let mut row = format!("{h:<7.0e}");
        for curve in curves {
            row += &format!(" {:>13.1e}", curve.error_at(h));
        }
        println!("{row}");
    }
}

/// Where each error curve is lowest, against the theory and against DLFS's h = 10⁻⁴.
fn print_best_steps(curves: &[ErrorCurve], per_decade: u32) {
    section("The best step");
    println!("steps h from 1e{LARGEST_STEP} to 1e{SMALLEST_STEP}, {per_decade} per factor of ten");
    println!(
        "{:<14} {:>9} {:>11} {:>14} {:>15}",
        "", "best h", "its error", "theory h", "error at 1e-4"
    );
    for curve in curves {
        let (h, error) = curve.best();
        let name = format!("{} {}", curve.difference.name(), curve.precision);
        let (theory, root) = match curve.difference {
            Difference::Forward => (curve.difference.optimal_step(curve.epsilon()), "√ε"),
            Difference::Central => (curve.difference.optimal_step(curve.epsilon()), "∛ε"),
        };
        println!(
            "{name:<14} {h:>9.1e} {error:>11.1e} {:>14} {:>15.1e}",
            format!("{root} = {theory:.1e}"),
            curve.error_at(DEFAULT_H)
        );
    }
    println!("ε = {:.2e} (f64), {:.2e} (f32)", f64::EPSILON, f32::EPSILON);
}

/// The chapter's four figures.
// The closures are needed: a figure function named alone is fixed to one backend lifetime.
#[allow(clippy::redundant_closure)]
fn draw_figures(out: &Path, curves: &[ErrorCurve]) -> Result<()> {
    figures::write_svg(out, "secants.svg", figures::SIZE, |area| {
        draw_secants(area, &DRAWN_SECANTS)
    })?;
    figures::write_svg(out, "tangents.svg", figures::SIZE, |area| {
        draw_tangents(area, &NNFS_TANGENTS)
    })?;
    figures::write_svg(out, "function_1_tangents.svg", figures::SIZE, |area| {
        draw_function_1_tangents(area, &DLFS_TANGENTS)
    })?;
    let title = format!("Error of the derivative of eˣ at x = {ERROR_STUDY_X}");
    figures::write_svg(out, "error_vs_h.svg", (720, 480), |area| {
        draw_error_vs_h(area, curves, &title)
    })?;
    Ok(())
}
