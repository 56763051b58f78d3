//! The chapter's figures, generic over the plotters backend (SVG for the book, inline in a
//! notebook).

use figures::{FigureResult, LineChart, Series, line_chart, log_log_chart};
use plotters::coord::Shift;
use plotters::prelude::*;

use crate::{ErrorCurve, Line, function_1, tangent_line, two_x_squared};

/// `count + 1` evenly spaced points of `f` from `x0` to `x1`.
///
/// ```
/// let points = ch07_derivatives::plots::sample(|x| 2.0 * x, 0.0, 1.0, 4);
/// assert_eq!(points, vec![(0.0, 0.0), (0.25, 0.5), (0.5, 1.0), (0.75, 1.5), (1.0, 2.0)]);
/// ```
pub fn sample(f: impl Fn(f64) -> f64, x0: f64, x1: f64, count: usize) -> Vec<(f64, f64)> {
    (0..=count)
        .map(|i| {
            let x = x0 + (x1 - x0) * i as f64 / count as f64;
            (x, f(x))
        })
        .collect()
}

/// A line drawn from `x0` to `x1`.
fn segment(line: &Line<f64>, x0: f64, x1: f64) -> Vec<(f64, f64)> {
    vec![(x0, line.at(x0)), (x1, line.at(x1))]
}

/// How many pieces a curve is drawn with.
const CURVE_POINTS: usize = 200;

/// The secants of `2x²` from `x = 1` to `x = 1 + h`, for each of `steps`, closing in on the
/// tangent at `x = 1`.
pub fn draw_secants<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    steps: &[f64],
) -> FigureResult
where
    DB::ErrorType: 'static,
{
    let (x0, x1) = (0.0, 2.2);
    let mut series = vec![Series::new(
        "f(x) = 2x²",
        sample(two_x_squared, x0, x1, CURVE_POINTS),
    )];
    for &h in steps {
        let secant = Line::through((1.0, two_x_squared(1.0)), (1.0 + h, two_x_squared(1.0 + h)));
        series.push(Series::new(
            format!("secant, h = {h}: slope {:.2}", secant.slope),
            segment(&secant, x0, x1),
        ));
    }
    let tangent = tangent_line(two_x_squared, 1.0);
    series.push(Series::new(
        format!("tangent at x = 1: slope {:.2}", tangent.slope),
        segment(&tangent, x0, x1),
    ));
    let chart = LineChart::new(
        "Secants from x = 1 close in on the tangent",
        "x",
        "y",
        series,
    )
    .legend_at(SeriesLabelPosition::UpperLeft);
    line_chart(area, &chart)
}

/// nnfs's figure: `2x²` and its tangent lines at `x = 0, 1, 2, 3, 4`, each drawn 0.9 to
/// either side of where it touches.
pub fn draw_tangents<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    points: &[f64],
) -> FigureResult
where
    DB::ErrorType: 'static,
{
    let mut series = vec![Series::new(
        "f(x) = 2x²",
        sample(two_x_squared, 0.0, 5.0, CURVE_POINTS),
    )];
    for &x in points {
        let tangent = tangent_line(two_x_squared, x);
        series.push(Series::new(
            format!("tangent at x = {x}: slope {:.1}", tangent.slope),
            segment(&tangent, x - 0.9, x + 0.9),
        ));
    }
    let chart = LineChart::new("Tangent lines of 2x²", "x", "y", series)
        .legend_at(SeriesLabelPosition::UpperLeft);
    line_chart(area, &chart)
}

/// *Deep Learning from Scratch*'s figure: `0.01x² + 0.1x` from 0 to 20 with its tangents.
pub fn draw_function_1_tangents<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    points: &[f64],
) -> FigureResult
where
    DB::ErrorType: 'static,
{
    let (x0, x1) = (0.0, 20.0);
    let mut series = vec![Series::new(
        "f(x) = 0.01x² + 0.1x",
        sample(function_1, x0, x1, CURVE_POINTS),
    )];
    for &x in points {
        let tangent = tangent_line(function_1, x);
        series.push(Series::new(
            format!("tangent at x = {x}: slope {:.3}", tangent.slope),
            segment(&tangent, x0, x1),
        ));
    }
    let chart = LineChart::new("Tangent lines of 0.01x² + 0.1x", "x", "f(x)", series)
        .legend_at(SeriesLabelPosition::UpperLeft);
    line_chart(area, &chart)
}

/// The error of each difference against the step `h`, on log-log axes, with a dot where each
/// curve is lowest.
pub fn draw_error_vs_h<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    curves: &[ErrorCurve],
    title: &str,
) -> FigureResult
where
    DB::ErrorType: 'static,
{
    let series = curves
        .iter()
        .map(|c| {
            let label = format!("{} difference, {}", c.difference.name(), c.precision);
            Series::new(label, c.points.clone())
        })
        .collect();
    let marks: Vec<(f64, f64)> = curves.iter().map(ErrorCurve::best).collect();
    let chart = LineChart::new(title, "step h", "error |estimate − exact|", series)
        .legend_at(SeriesLabelPosition::LowerLeft);
    log_log_chart(area, &chart, &marks)
}
