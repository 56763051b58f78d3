//! The figures of the first half of the chapter, generic over the plotters backend (SVG for the
//! book, inline in a notebook).

use std::ops::Range;

use figures::{ClassPoint, FigureResult, RegionPlot, Series, TITLE_FONT, color};
use plotters::coord::Shift;
use plotters::prelude::*;

/// Points `(epoch, value)` as a series to draw, the epoch as x.
///
/// ```
/// use ch11_generalization::plots::series;
/// assert_eq!(series("train", &[(0, 0.1), (10, 0.9)]).points, [(0.0, 0.1), (10.0, 0.9)]);
/// ```
pub fn series(label: impl Into<String>, points: &[(usize, f64)]) -> Series {
    Series::new(label, points.iter().map(|&(x, y)| (x as f64, y)).collect())
}

/// Curves of one run on an accuracy axis from `low` to 1, against the epoch.
fn draw_accuracy_panel<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    title: &str,
    curves: &[Series],
    low: f64,
) -> FigureResult
where
    DB::ErrorType: 'static,
{
    let points = curves.iter().flat_map(|s| s.points.iter());
    let last_epoch = points.map(|p| p.0).fold(1.0, f64::max);
    let mut chart = figures::panel(area, title).build_cartesian_2d(0f64..last_epoch, low..1f64)?;
    figures::axes(&mut chart, "epoch", "accuracy").draw()?;
    for (i, series) in curves.iter().enumerate() {
        let style = color(i).stroke_width(2);
        chart
            .draw_series(LineSeries::new(series.points.iter().copied(), style))?
            .label(&series.label)
            .legend(figures::line_key(style));
    }
    figures::legend(&mut chart, SeriesLabelPosition::LowerRight)
}

/// Accuracy curves of several runs, `(name, curves)`, one panel per run, side by side, each on
/// an axis from 0 to 1.
pub fn draw_accuracy_panels<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    title: &str,
    runs: &[(String, Vec<Series>)],
) -> FigureResult
where
    DB::ErrorType: 'static,
{
    let area = area.titled(title, TITLE_FONT)?;
    let panels = area.split_evenly((1, runs.len().max(1)));
    for (panel, (name, curves)) in panels.iter().zip(runs) {
        draw_accuracy_panel(panel, name, curves, 0.0)?;
    }
    Ok(())
}

/// Accuracy curves in a grid of `rows × columns` small panels, one run each, `(name, curves)`.
pub fn draw_accuracy_grid<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    title: &str,
    (rows, columns): (usize, usize),
    runs: &[(String, Vec<Series>)],
) -> FigureResult
where
    DB::ErrorType: 'static,
{
    let area = area.titled(title, TITLE_FONT)?;
    let panels = area.split_evenly((rows, columns));
    for (panel, (name, curves)) in panels.iter().zip(runs) {
        draw_accuracy_panel(panel, name, curves, 0.0)?;
    }
    Ok(())
}

/// A model's decision regions on the plane, twice side by side: with the points it trained on,
/// and with fresh points, `(title, points)` each.
pub fn draw_regions_twice<DB, C>(
    area: &DrawingArea<DB, Shift>,
    classify: C,
    class_names: &[&str],
    sides: [(&str, &[ClassPoint]); 2],
) -> FigureResult
where
    DB: DrawingBackend,
    DB::ErrorType: 'static,
    C: Fn(f64, f64) -> usize,
{
    let panels = area.split_evenly((1, 2));
    for (panel, (title, points)) in panels.iter().zip(sides) {
        let plot = RegionPlot {
            title,
            x_label: "x₀",
            y_label: "x₁",
            x_range: -1.1..1.1,
            y_range: -1.1..1.1,
            classify: &classify,
            class_names,
            points,
            lines: &[],
        };
        figures::region_plot(panel, &plot)?;
    }
    Ok(())
}

/// One panel of [`draw_strengths`]: accuracies against a penalty's strength λ, and levels to
/// compare them with (the accuracies without a penalty), drawn dashed in the colour of the
/// series of the same position.
pub struct StrengthPanel {
    pub title: String,
    pub series: Vec<Series>,
    pub levels: Vec<f64>,
}

/// Accuracy against a penalty's strength, one panel per penalty, on a logarithmic λ axis over
/// `lambdas` and an accuracy axis from 0 to 1.
pub fn draw_strengths<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    title: &str,
    lambdas: Range<f64>,
    panels: &[StrengthPanel],
) -> FigureResult
where
    DB::ErrorType: 'static,
{
    let area = area.titled(title, TITLE_FONT)?;
    for (part, panel) in area
        .split_evenly((1, panels.len().max(1)))
        .iter()
        .zip(panels)
    {
        let mut chart = figures::panel(part, &panel.title)
            .build_cartesian_2d(lambdas.clone().log_scale(), 0.0..1.0)?;
        figures::axes(&mut chart, "λ", "accuracy")
            .x_label_formatter(&figures::power_of_ten_label)
            .draw()?;
        for (i, s) in panel.series.iter().enumerate() {
            let style = color(i).stroke_width(2);
            chart
                .draw_series(LineSeries::new(s.points.iter().copied(), style))?
                .label(&s.label)
                .legend(figures::line_key(style));
            chart.draw_series(
                s.points
                    .iter()
                    .map(|&p| Circle::new(p, 4, color(i).filled())),
            )?;
        }
        for (i, &level) in panel.levels.iter().enumerate() {
            let style = color(i).stroke_width(1);
            let ends = [(lambdas.start, level), (lambdas.end, level)];
            chart.draw_series(DashedLineSeries::new(ends, 6, 6, style))?;
        }
        figures::legend(&mut chart, SeriesLabelPosition::LowerLeft)?;
    }
    Ok(())
}
