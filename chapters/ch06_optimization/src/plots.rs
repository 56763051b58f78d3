//! The chapter's figures, generic over the plotters backend (SVG for the book, inline in a
//! notebook).

use std::ops::Range;

use ch03_layers::plots::class_points;
use ch03_layers::{Float, float};
use figures::{FigureResult, LineChart, RegionPlot, Series, line_chart, region_plot};
use ndarray::{Array1, Array2, array};
use plotters::coord::Shift;
use plotters::prelude::*;

use crate::{Network, SearchLog};

/// The corners of a staircase that holds each value until the next one: `values[i]` is the
/// height after iteration `i`, and a point is kept only where the height changes (and at both
/// ends), so 10,000 iterations with a few hundred improvements draw as a few hundred points.
///
/// ```
/// use ch06_optimization::plots::steps;
/// let corners = steps(&[3.0, 3.0, 2.0, 2.0, 2.0, 1.0]);
/// assert_eq!(
///     corners,
///     [(0.0, 3.0), (2.0, 3.0), (2.0, 2.0), (5.0, 2.0), (5.0, 1.0)]
/// );
/// ```
pub fn steps(values: &[f64]) -> Vec<(f64, f64)> {
    let mut corners = Vec::new();
    for (i, &v) in values.iter().enumerate() {
        match corners.last() {
            None => corners.push((i as f64, v)),
            Some(&(_, previous)) if previous != v => {
                corners.push((i as f64, previous));
                corners.push((i as f64, v));
            }
            Some(_) => {}
        }
    }
    if let (Some(&(x, v)), Some(last)) = (corners.last(), values.len().checked_sub(1))
        && x < last as f64
    {
        corners.push((last as f64, v));
    }
    corners
}

/// The lowest loss so far (above) and the accuracy of the network that has it (below), after
/// each iteration of each search on one data set. `searches` pairs a name with a search log.
pub fn draw_search_curves<DB: DrawingBackend, F: Float>(
    area: &DrawingArea<DB, Shift>,
    data_name: &str,
    searches: &[(&str, &SearchLog<F>)],
) -> FigureResult
where
    DB::ErrorType: 'static,
{
    let panels = area.split_evenly((2, 1));
    let series = |values: fn(&SearchLog<F>) -> &[f64]| -> Vec<Series> {
        searches
            .iter()
            .map(|(name, log)| Series::new(*name, steps(values(log))))
            .collect()
    };
    line_chart(
        &panels[0],
        &LineChart::new(
            &format!("{data_name} data: the lowest loss so far"),
            "iteration",
            "loss",
            series(|log| &log.best_losses),
        )
        .legend_at(SeriesLabelPosition::MiddleRight),
    )?;
    line_chart(
        &panels[1],
        &LineChart::new(
            &format!("{data_name} data: accuracy of the best network so far"),
            "iteration",
            "accuracy",
            series(|log| &log.best_accuracies),
        )
        .legend_at(SeriesLabelPosition::MiddleRight),
    )
}

/// The range from the smallest to the largest of `values`, widened by `margin` on each side.
fn padded_range(values: impl Iterator<Item = f64>, margin: f64) -> Range<f64> {
    let (lo, hi) = values.fold((f64::INFINITY, f64::NEG_INFINITY), |(lo, hi), v| {
        (lo.min(v), hi.max(v))
    });
    lo - margin..hi + margin
}

/// The class a network gives each spot of the plane, with the data on top.
///
/// # Panics
/// If `x` does not have two columns, or `t` does not give one class per row of `x`.
pub fn draw_regions<DB: DrawingBackend, F: Float>(
    area: &DrawingArea<DB, Shift>,
    title: &str,
    network: &Network<F>,
    x: &Array2<F>,
    t: &Array1<usize>,
) -> FigureResult
where
    DB::ErrorType: 'static,
{
    let points = class_points(x, t);
    let margin = 0.1;
    let x_range = padded_range(points.iter().map(|p| p.0), margin);
    let y_range = padded_range(points.iter().map(|p| p.1), margin);
    // room above the data for the legend
    let y_range = y_range.start..y_range.end + 0.3 * (y_range.end - y_range.start);
    let classes = t.iter().max().map_or(0, |&c| c + 1);
    let names: Vec<String> = (0..classes).map(|c| format!("class {c}")).collect();
    let names: Vec<&str> = names.iter().map(String::as_str).collect();
    region_plot(
        area,
        &RegionPlot {
            title,
            x_label: "feature x₀",
            y_label: "feature x₁",
            x_range,
            y_range,
            classify: |a, b| {
                let spot = array![[float::<F>(a), float::<F>(b)]]; // (1, 2): one sample
                network.predict(&spot)[0]
            },
            class_names: &names,
            points: &points,
            lines: &[],
        },
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_constant_staircase_is_one_flat_line() {
        assert_eq!(steps(&[1.0, 1.0, 1.0]), [(0.0, 1.0), (2.0, 1.0)]);
        assert_eq!(steps(&[1.0]), [(0.0, 1.0)]);
        assert!(steps(&[]).is_empty());
    }

    #[test]
    fn a_change_at_the_last_iteration_ends_the_staircase() {
        assert_eq!(
            steps(&[2.0, 2.0, 1.0]),
            [(0.0, 2.0), (2.0, 2.0), (2.0, 1.0)]
        );
    }

    #[test]
    fn padded_ranges_hold_every_value() {
        assert_eq!(padded_range([0.5, -1.0, 2.0].into_iter(), 0.5), -1.5..2.5);
    }
}
