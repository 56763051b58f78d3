//! The chapter's figures, generic over the plotters backend (SVG for the book, inline in a
//! notebook).

use figures::{FigureResult, LineChart, Series, color, line_chart};
use plotters::coord::Shift;
use plotters::prelude::*;

use crate::SweepPoint;

/// The smallest probability the −ln p curve starts from.
const P_FROM: f64 = 0.001;
/// How many points draw the curve.
const CURVE_POINTS: usize = 1000;

/// Minus the logarithm of the probability given to the right class, from 0.001 to 1, with the
/// two answers of the worked example marked: `p = 0.6` (answer 2) and `p = 0.1` (answer 7).
pub fn draw_minus_log<DB: DrawingBackend>(area: &DrawingArea<DB, Shift>) -> FigureResult
where
    DB::ErrorType: 'static,
{
    let curve: Vec<(f64, f64)> = (0..CURVE_POINTS)
        .map(|i| {
            // evenly spaced in ln p, so the steep end near 0 gets as many points as the rest
            let s = i as f64 / (CURVE_POINTS - 1) as f64;
            let p = P_FROM.powf(1.0 - s);
            (p, -p.ln())
        })
        .collect();
    let marked = [("answer 2", 0.6), ("answer 7", 0.1)];
    let top = -P_FROM.ln();

    let mut chart = figures::chart(area, "Cross-entropy of one sample: −ln p")
        .build_cartesian_2d(0.0..1.0, 0.0..top * 1.05)?;
    figures::axes(
        &mut chart,
        "p, the probability given to the right class",
        "loss −ln p",
    )
    .draw()?;
    let style = color(0).stroke_width(2);
    chart
        .draw_series(LineSeries::new(curve, style))?
        .label("−ln p")
        .legend(figures::line_key(style));
    for (i, (name, p)) in marked.into_iter().enumerate() {
        let point = (p, -f64::ln(p));
        let style = color(i + 1).filled();
        let label = format!("{name}: p = {p}, −ln p = {:.4}", point.1);
        chart
            .draw_series([Circle::new(point, 6, style)])?
            .label(label)
            .legend(figures::dot_key(style));
    }
    figures::legend(&mut chart, SeriesLabelPosition::UpperRight)
}

/// The loss (above) and the accuracy (below) of a network as one weight moves: a smooth
/// valley, and a staircase.
pub fn draw_sweep<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    sweep: &[SweepPoint],
) -> FigureResult
where
    DB::ErrorType: 'static,
{
    let panels = area.split_evenly((2, 1));
    let loss = Series::new(
        "cross-entropy loss",
        sweep.iter().map(|p| (p.weight, p.loss)).collect(),
    );
    let accuracy = Series::new(
        "accuracy",
        sweep.iter().map(|p| (p.weight, p.accuracy)).collect(),
    );
    line_chart(
        &panels[0],
        &LineChart::new(
            "Loss as one weight moves: smooth",
            "weight w",
            "loss",
            vec![loss],
        )
        .legend_at(SeriesLabelPosition::UpperMiddle),
    )?;
    line_chart(
        &panels[1],
        &LineChart::new(
            "Accuracy as the same weight moves: steps",
            "weight w",
            "accuracy",
            vec![accuracy],
        ),
    )
}
