//! The chapter's figures, generic over the plotters backend (SVG for the book, inline in a
//! notebook).

use std::ops::Range;

use ch03_layers::Dense;
use figures::{FigureResult, LineChart, Series, color, line_chart};
use ndarray::Array2;
use plotters::coord::Shift;
use plotters::prelude::*;

use crate::{identity, relu, sigmoid, two_layers};

/// The inputs the activation figures show.
const A_RANGE: Range<f64> = -5.0..5.0;
/// The inputs the random-network figure shows.
const X_RANGE: Range<f64> = -3.0..3.0;
/// How many points each curve is drawn through.
const POINTS: usize = 1001;

/// `n` evenly spaced numbers from `range.start` to `range.end`, both included.
///
/// NumPy: `np.linspace(start, end, n)`.
///
/// ```
/// assert_eq!(ch04_activations::plots::linspace(-1.0..1.0, 5), [-1.0, -0.5, 0.0, 0.5, 1.0]);
/// ```
pub fn linspace(range: Range<f64>, n: usize) -> Vec<f64> {
    let step = (range.end - range.start) / (n.max(2) - 1) as f64;
    (0..n).map(|i| range.start + step * i as f64).collect()
}

/// An activation function and its derivative, with the labels their curves carry.
pub struct Activation<'a> {
    /// Its short name: "ReLU", "sigmoid", …
    pub name: &'a str,
    /// The figure's title.
    pub title: &'a str,
    /// The function's label in the legend: "relu(a) = max(0, a)".
    pub label: &'a str,
    /// The derivative's label in the legend: "relu′(a)".
    pub derivative_label: &'a str,
    pub f: fn(f64) -> f64,
    pub derivative: fn(f64) -> f64,
    /// Where the legend goes, clear of the curves.
    pub legend: SeriesLabelPosition,
}

/// One activation function (solid) and its derivative (dashed), over −5 ≤ a ≤ 5, with the axes
/// through the origin drawn in grey.
pub fn draw_activation<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    activation: &Activation,
) -> FigureResult
where
    DB::ErrorType: 'static,
{
    let a = linspace(A_RANGE, POINTS);
    let curve = |g: fn(f64) -> f64| a.iter().map(|&a| (a, g(a))).collect::<Vec<_>>();
    let (f, df) = (curve(activation.f), curve(activation.derivative));
    let values = f.iter().chain(&df).map(|p| p.1);
    let (lo, hi) = values.fold((0.0f64, 1.0f64), |(lo, hi), v| (lo.min(v), hi.max(v)));
    let margin = 0.08 * (hi - lo);

    let mut chart = figures::chart(area, activation.title)
        .build_cartesian_2d(A_RANGE, lo - margin..hi + margin)?;
    figures::axes(&mut chart, "a", "h(a) and h′(a)").draw()?;

    let grey = RGBColor(170, 170, 170).stroke_width(1);
    chart.draw_series(LineSeries::new(
        [(A_RANGE.start, 0.0), (A_RANGE.end, 0.0)],
        grey,
    ))?;
    chart.draw_series(LineSeries::new(
        [(0.0, lo - margin), (0.0, hi + margin)],
        grey,
    ))?;

    let solid = color(0).stroke_width(3);
    chart
        .draw_series(LineSeries::new(f, solid))?
        .label(activation.label)
        .legend(figures::line_key(solid));
    let dashed = color(1).stroke_width(2);
    chart
        .draw_series(DashedLineSeries::new(df, 8, 5, dashed))?
        .label(activation.derivative_label)
        .legend(move |(x, y)| PathElement::new([(x, y), (x + 8, y)], dashed));
    figures::legend(&mut chart, activation.legend.clone())
}

/// The output of the network `dense1 → h → dense2` (one input, one output) over −3 ≤ x ≤ 3.
fn network_curve(dense1: &Dense<f64>, h: fn(f64) -> f64, dense2: &Dense<f64>) -> Vec<(f64, f64)> {
    let xs = linspace(X_RANGE, POINTS);
    let x = Array2::from_shape_vec((xs.len(), 1), xs.clone()).expect("one column of inputs");
    let y = two_layers(&x, dense1, h, dense2); // (points, 1)
    xs.into_iter().zip(y.column(0).iter().copied()).collect()
}

/// The same random networks (one input, one output) with three activations between their two
/// layers, one panel each: the identity draws only straight lines, ReLU bends them, the sigmoid
/// curves them.
///
/// # Panics
/// If a network does not take one input to one output.
pub fn draw_random_networks<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    networks: &[(Dense<f64>, Dense<f64>)],
) -> FigureResult
where
    DB::ErrorType: 'static,
{
    let panels = area.split_evenly((1, 3));
    let activations = [
        (
            "identity between the layers: lines",
            identity as fn(f64) -> f64,
        ),
        ("ReLU between the layers: bent lines", relu),
        ("sigmoid between the layers: curves", sigmoid),
    ];
    for (panel, (title, h)) in panels.iter().zip(activations) {
        let series = networks
            .iter()
            .enumerate()
            .map(|(i, (dense1, dense2))| {
                Series::new(
                    format!("network {}", i + 1),
                    network_curve(dense1, h, dense2),
                )
            })
            .collect();
        let chart = LineChart::new(title, "input x", "output y", series)
            .legend_at(SeriesLabelPosition::LowerRight);
        line_chart(panel, &chart)?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn linspace_includes_both_ends() {
        let xs = linspace(-5.0..5.0, 1001);
        assert_eq!((xs[0], xs[1000]), (-5.0, 5.0));
        assert!((xs[500]).abs() < 1e-12);
    }

    #[test]
    fn an_identity_network_draws_a_straight_line() {
        let mut rng = seeded_rng::rng(0);
        let dense1 = crate::randn_dense(1, 8, &mut rng);
        let dense2 = crate::randn_dense(8, 1, &mut rng);
        let curve = network_curve(&dense1, identity, &dense2);
        let slope = (curve[1].1 - curve[0].1) / (curve[1].0 - curve[0].0);
        for pair in curve.windows(2) {
            let s = (pair[1].1 - pair[0].1) / (pair[1].0 - pair[0].0);
            assert!((s - slope).abs() < 1e-9, "slope {s} vs {slope}");
        }
    }
}
