//! The chapter's figures, generic over the plotters backend (SVG for the book, inline in a
//! notebook).

use std::ops::Range;

use figures::{ClassPoint, FigureResult, LineChart, RegionPlot, Series, line_chart, region_plot};
use plotters::coord::Shift;
use plotters::prelude::*;

use crate::{AND, INPUTS, NAND, OR, Perceptron, Training, and};

/// The part of the plane the figures show: the four inputs with room around them.
const X_RANGE: Range<f64> = -0.5..1.5;
const Y_RANGE: Range<f64> = -0.5..1.5;

/// The segment of the line `w₁x₁ + w₂x₂ + b = 0` that lies inside the box `x_range × y_range`,
/// or `None` if the line misses the box (or the weights are both zero).
///
/// ```
/// use ch01_perceptron::{plots::boundary_in_box, AND};
/// // AND's boundary is x₂ = 1.4 − x₁: it enters at (−0.1, 1.5) and leaves at (1.5, −0.1).
/// let [a, b] = boundary_in_box(&AND, -0.5..1.5, -0.5..1.5).unwrap();
/// assert!((a.0 + 0.1).abs() < 1e-12 && (a.1 - 1.5).abs() < 1e-12);
/// assert!((b.0 - 1.5).abs() < 1e-12 && (b.1 + 0.1).abs() < 1e-12);
/// ```
pub fn boundary_in_box(
    p: &Perceptron,
    x_range: Range<f64>,
    y_range: Range<f64>,
) -> Option<[(f64, f64); 2]> {
    let [w1, w2] = p.w;
    let inside = |(x, y): (f64, f64)| {
        let eps = 1e-9;
        x >= x_range.start - eps
            && x <= x_range.end + eps
            && y >= y_range.start - eps
            && y <= y_range.end + eps
    };
    let mut crossings = Vec::new();
    if w2 != 0.0 {
        // where the line meets the left and right edges
        for x in [x_range.start, x_range.end] {
            crossings.push((x, -(w1 * x + p.b) / w2));
        }
    }
    if w1 != 0.0 {
        // where it meets the bottom and top edges
        for y in [y_range.start, y_range.end] {
            crossings.push((-(w2 * y + p.b) / w1, y));
        }
    }
    crossings.retain(|&point| inside(point));
    crossings.sort_by(|a, b| a.0.total_cmp(&b.0).then(b.1.total_cmp(&a.1)));
    crossings.dedup_by(|a, b| (a.0 - b.0).abs() < 1e-9 && (a.1 - b.1).abs() < 1e-9);
    match crossings.as_slice() {
        [first, .., last] => Some([*first, *last]),
        _ => None,
    }
}

/// The boundary's equation, signs folded in: `0.5x₁ + 0.5x₂ − 0.7 = 0`.
///
/// ```
/// use ch01_perceptron::{plots::boundary_label, NAND};
/// assert_eq!(boundary_label(&NAND), "−0.5x₁ − 0.5x₂ + 0.7 = 0");
/// ```
pub fn boundary_label(p: &Perceptron) -> String {
    let signed = |v: f64, first: bool| match (v < 0.0, first) {
        (true, true) => format!("−{}", -v),
        (false, true) => format!("{v}"),
        (true, false) => format!(" − {}", -v),
        (false, false) => format!(" + {v}"),
    };
    format!(
        "{}x₁{}x₂{} = 0",
        signed(p.w[0], true),
        signed(p.w[1], false),
        signed(p.b, false)
    )
}

/// The four inputs as points, each coloured by the gate's output on it.
fn gate_points(table: [u8; 4]) -> Vec<ClassPoint> {
    INPUTS
        .iter()
        .zip(table)
        .map(|([x1, x2], y)| (f64::from(*x1), f64::from(*x2), usize::from(y)))
        .collect()
}

/// One gate: where its perceptron fires, its boundary line, and the four inputs.
pub fn draw_gate<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    name: &str,
    p: &Perceptron,
) -> FigureResult
where
    DB::ErrorType: 'static,
{
    let table = crate::truth_table(|x1, x2| p.gate(x1, x2));
    let boundary = boundary_in_box(p, X_RANGE, Y_RANGE);
    let line_label = boundary_label(p);
    let lines: Vec<(&str, [(f64, f64); 2])> = boundary
        .map(|b| (line_label.as_str(), b))
        .into_iter()
        .collect();
    region_plot(
        area,
        &RegionPlot {
            title: name,
            x_label: "x₁",
            y_label: "x₂",
            x_range: X_RANGE,
            y_range: Y_RANGE,
            classify: |x, y| usize::from(p.fire([x, y])),
            class_names: &["output 0", "output 1"],
            points: &gate_points(table),
            lines: &lines,
        },
    )
}

/// AND, NAND and OR side by side.
pub fn draw_gates<DB: DrawingBackend>(area: &DrawingArea<DB, Shift>) -> FigureResult
where
    DB::ErrorType: 'static,
{
    let panels = area.split_evenly((1, 3));
    for (panel, (name, p)) in panels
        .iter()
        .zip([("AND", AND), ("NAND", NAND), ("OR", OR)])
    {
        draw_gate(panel, name, &p)?;
    }
    Ok(())
}

/// XOR from two layers: the region where NAND and OR both fire, with both boundary lines.
pub fn draw_xor<DB: DrawingBackend>(area: &DrawingArea<DB, Shift>) -> FigureResult
where
    DB::ErrorType: 'static,
{
    let nand_line = boundary_in_box(&NAND, X_RANGE, Y_RANGE).expect("NAND's line crosses the box");
    let or_line = boundary_in_box(&OR, X_RANGE, Y_RANGE).expect("OR's line crosses the box");
    region_plot(
        area,
        &RegionPlot {
            title: "XOR = AND(NAND, OR): two lines, one region between them",
            x_label: "x₁",
            y_label: "x₂",
            x_range: X_RANGE,
            y_range: Y_RANGE,
            classify: |x, y| usize::from(and(NAND.fire([x, y]), OR.fire([x, y]))),
            class_names: &["output 0", "output 1"],
            points: &gate_points(crate::truth_table(crate::xor)),
            lines: &[("NAND boundary", nand_line), ("OR boundary", or_line)],
        },
    )
}

/// Errors per epoch of the learning rule, one line per gate.
pub fn draw_learning<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    runs: &[(&str, &Training)],
) -> FigureResult
where
    DB::ErrorType: 'static,
{
    let series = runs
        .iter()
        .map(|(name, training)| {
            let points = training
                .errors_per_epoch
                .iter()
                .enumerate()
                .map(|(epoch, &errors)| ((epoch + 1) as f64, errors as f64))
                .collect();
            Series::new(*name, points)
        })
        .collect();
    let chart = LineChart::new(
        "The perceptron learning rule: errors per epoch",
        "epoch",
        "wrong answers (of 4)",
        series,
    )
    .legend_at(SeriesLabelPosition::MiddleRight);
    line_chart(area, &chart)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_vertical_boundary_is_found() {
        let p = Perceptron {
            w: [1.0, 0.0],
            b: -0.5,
        }; // x₁ = 0.5
        assert_eq!(
            boundary_in_box(&p, 0.0..1.0, 0.0..1.0),
            Some([(0.5, 1.0), (0.5, 0.0)])
        );
    }

    #[test]
    fn a_line_outside_the_box_is_none() {
        let p = Perceptron {
            w: [1.0, 1.0],
            b: -10.0,
        }; // x₁ + x₂ = 10
        assert_eq!(boundary_in_box(&p, 0.0..1.0, 0.0..1.0), None);
        let no_line = Perceptron {
            w: [0.0, 0.0],
            b: 1.0,
        };
        assert_eq!(boundary_in_box(&no_line, 0.0..1.0, 0.0..1.0), None);
    }

    #[test]
    fn a_diagonal_through_corners_is_one_segment() {
        let p = Perceptron {
            w: [1.0, -1.0],
            b: 0.0,
        }; // x₂ = x₁
        assert_eq!(
            boundary_in_box(&p, 0.0..1.0, 0.0..1.0),
            Some([(0.0, 0.0), (1.0, 1.0)])
        );
    }
}
