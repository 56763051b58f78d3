//! The chapter's figures, generic over the plotters backend (SVG for the book, inline in a
//! notebook).

use figures::{ClassPoint, FigureResult, ScatterPlot, scatter_plot};
use ndarray::{Array1, Array2};
use plotters::coord::Shift;
use plotters::prelude::*;

use crate::Float;

/// The rows of a two-feature data set as plot points `(x₀, x₁, class)`.
///
/// ```
/// use ch03_layers::plots::class_points;
/// use ndarray::array;
/// let points = class_points(&array![[0.5f32, -1.0], [2.0, 0.25]], &array![0, 2]);
/// assert_eq!(points, vec![(0.5, -1.0, 0), (2.0, 0.25, 2)]);
/// ```
///
/// # Panics
/// If `x` does not have two columns, or `y` does not give one class per row of `x`.
pub fn class_points<F: Float>(x: &Array2<F>, y: &Array1<usize>) -> Vec<ClassPoint> {
    assert!(
        x.ncols() == 2 && x.nrows() == y.len(),
        "a scatter plot needs samples of shape (n, 2) and n classes, got {:?} and {:?}",
        x.dim(),
        y.dim()
    );
    x.rows()
        .into_iter()
        .zip(y)
        .map(|(row, &class)| {
            let coordinate = |v: F| v.to_f64().expect("a float converts to f64");
            (coordinate(row[0]), coordinate(row[1]), class)
        })
        .collect()
}

/// A data set of two features as a scatter plot, one colour per class.
pub fn draw_data_set<DB: DrawingBackend, F: Float>(
    area: &DrawingArea<DB, Shift>,
    title: &str,
    x: &Array2<F>,
    y: &Array1<usize>,
) -> FigureResult
where
    DB::ErrorType: 'static,
{
    let classes = y.iter().max().map_or(0, |&c| c + 1);
    let names: Vec<String> = (0..classes).map(|c| format!("class {c}")).collect();
    let names: Vec<&str> = names.iter().map(String::as_str).collect();
    scatter_plot(
        area,
        &ScatterPlot {
            title,
            x_label: "feature x₀",
            y_label: "feature x₁",
            points: &class_points(x, y),
            class_names: &names,
        },
    )
}
