//! The chapter's figures, generic over the plotters backend (SVG for the book, inline in a
//! notebook).

use std::ops::Range;

use figures::{FigureResult, LineChart, Series, TITLE_FONT, color, line_chart, power_of_ten_label};
use ndarray::Array2;
use plotters::coord::Shift;
use plotters::prelude::*;

use crate::{bowl, decayed_learning_rate};

/// The part of the plane the path panels show.
const PATH_X: Range<f64> = -10.0..10.0;
const PATH_Y: Range<f64> = -3.0..3.0;
/// The levels of the contour lines of the bowl: every ellipse fits inside the panel.
const BOWL_LEVELS: [f64; 5] = [0.25, 1.0, 2.0, 3.0, 4.5];

/// A named path in the plane: the points an optimizer visited.
#[derive(Debug, Clone, PartialEq)]
pub struct Path2d {
    pub label: String,
    pub points: Vec<(f64, f64)>,
}

/// The contour line `x²/20 + y² = level`: an ellipse with half-axes `√(20·level)` and
/// `√level`, as a closed polyline of `n` segments.
///
/// ```
/// use ch10_optimizers::{bowl, plots::bowl_contour};
/// let ellipse = bowl_contour(1.0, 64);
/// assert_eq!(ellipse.len(), 65);
/// assert!(ellipse.iter().all(|&(x, y)| (bowl(x, y) - 1.0).abs() < 1e-12));
/// ```
pub fn bowl_contour(level: f64, n: usize) -> Vec<(f64, f64)> {
    let (a, b) = ((20.0 * level).sqrt(), level.sqrt());
    (0..=n)
        .map(|i| {
            let theta = std::f64::consts::TAU * i as f64 / n as f64;
            (a * theta.cos(), b * theta.sin())
        })
        .collect()
}

/// One optimizer's path over the contour lines of the bowl, in colour `i`.
pub fn draw_path<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    path: &Path2d,
    i: usize,
) -> FigureResult
where
    DB::ErrorType: 'static,
{
    let mut chart = figures::panel(area, &path.label).build_cartesian_2d(PATH_X, PATH_Y)?;
    figures::axes(&mut chart, "x", "y").disable_mesh().draw()?;
    for level in BOWL_LEVELS {
        chart.draw_series(LineSeries::new(
            bowl_contour(level, 200),
            RGBColor(170, 170, 170).stroke_width(1),
        ))?;
    }
    let inside = |&(x, y): &(f64, f64)| PATH_X.contains(&x) && PATH_Y.contains(&y);
    let style = color(i).stroke_width(2);
    chart.draw_series(LineSeries::new(path.points.iter().copied(), style))?;
    chart.draw_series(
        path.points
            .iter()
            .filter(|p| inside(p))
            .map(|&p| Circle::new(p, 3, color(i).filled())),
    )?;
    chart.draw_series([Cross::new((0.0, 0.0), 6, BLACK.stroke_width(2))])?;
    Ok(())
}

/// The value of the bowl at every step of each path, on a logarithmic axis.
pub fn draw_values_along_paths<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    paths: &[Path2d],
) -> FigureResult
where
    DB::ErrorType: 'static,
{
    let values: Vec<Vec<(f64, f64)>> = paths
        .iter()
        .map(|p| {
            p.points
                .iter()
                .enumerate()
                .map(|(step, &(x, y))| (step as f64, bowl(x, y)))
                .collect()
        })
        .collect();
    let lowest = values
        .iter()
        .flatten()
        .map(|p| p.1)
        .filter(|v| *v > 0.0)
        .fold(f64::INFINITY, f64::min);
    let highest = values.iter().flatten().map(|p| p.1).fold(0.0, f64::max);
    let y_range = 10f64.powf(lowest.log10().floor())..10f64.powf(highest.log10().ceil());
    let steps = paths.iter().map(|p| p.points.len()).max().unwrap_or(1) - 1;
    let mut chart = figures::panel(area, "f(x, y) after each step")
        .build_cartesian_2d(0f64..steps as f64, y_range.log_scale())?;
    figures::axes(&mut chart, "step", "f(x, y)")
        .y_label_formatter(&power_of_ten_label)
        .draw()?;
    for (i, (path, points)) in paths.iter().zip(values).enumerate() {
        let style = color(i).stroke_width(2);
        let label = path.label.split(',').next().unwrap_or_default().to_string();
        chart
            .draw_series(LineSeries::new(points, style))?
            .label(label)
            .legend(figures::line_key(style));
    }
    figures::legend(&mut chart, SeriesLabelPosition::LowerLeft)
}

/// Every optimizer's path on the bowl `x²/20 + y²`, one panel each, and the value of the
/// bowl along the paths in the last panel (two rows of three).
pub fn draw_paths<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    paths: &[Path2d],
) -> FigureResult
where
    DB::ErrorType: 'static,
{
    let area = area.titled(
        "Optimizers on f(x, y) = x²/20 + y², from (−7, 2)",
        TITLE_FONT,
    )?;
    let panels = area.split_evenly((2, 3));
    for (i, (panel, path)) in panels.iter().zip(paths).enumerate() {
        draw_path(panel, path, i)?;
    }
    if let Some(last) = panels.get(paths.len()) {
        draw_values_along_paths(last, paths)?;
    }
    Ok(())
}

/// The learning rate `η/(1 + decay·t)` over `steps` steps, one line per decay rate.
pub fn draw_lr_decay<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    decays: &[f64],
    steps: usize,
) -> FigureResult
where
    DB::ErrorType: 'static,
{
    let series = decays
        .iter()
        .map(|&decay| {
            let points = (0..=steps)
                .step_by((steps / 200).max(1))
                .map(|t| (t as f64, decayed_learning_rate(1.0, decay, t)))
                .collect();
            Series::new(format!("decay {decay:e}"), points)
        })
        .collect();
    let chart = LineChart::new(
        "Learning-rate decay: η / (1 + decay·t), η = 1",
        "step t",
        "learning rate",
        series,
    )
    .legend_at(SeriesLabelPosition::MiddleRight);
    line_chart(area, &chart)
}

/// A line chart of `series` (training curves), with the legend at `legend`.
pub fn draw_curves<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    title: &str,
    (x_label, y_label): (&str, &str),
    series: &[Series],
    legend: SeriesLabelPosition,
) -> FigureResult
where
    DB::ErrorType: 'static,
{
    let chart = LineChart::new(title, x_label, y_label, series.to_vec()).legend_at(legend);
    line_chart(area, &chart)
}

/// Points `(step, value)` as a series to draw, the step as x.
///
/// ```
/// use ch10_optimizers::plots::series;
/// assert_eq!(series("loss", &[(0, 2.3), (10, 1.1)]).points, [(0.0, 2.3), (10.0, 1.1)]);
/// ```
pub fn series(label: impl Into<String>, points: &[(usize, f64)]) -> Series {
    Series::new(label, points.iter().map(|&(x, y)| (x as f64, y)).collect())
}

/// A noisy loss curve made readable: the mean of every block of `window` losses, at the
/// iteration (counting from 1) that ends the block.
///
/// ```
/// use ch10_optimizers::plots::loss_series;
/// let curve = loss_series("SGD", &[4.0, 2.0, 1.0, 1.0, 0.5], 2);
/// assert_eq!(curve.points, [(2.0, 3.0), (4.0, 1.0), (5.0, 0.5)]);
/// ```
pub fn loss_series(label: impl Into<String>, losses: &[f64], window: usize) -> Series {
    let means = crate::block_means(losses, window);
    let points = means.into_iter().map(|(i, mean)| ((i + 1) as f64, mean));
    Series::new(label, points.collect())
}

/// How many bins each histogram of activations has.
pub const HISTOGRAM_BINS: usize = 30;

/// One row of a histogram figure: an initialisation, and the histogram of each layer's
/// activations (counts of equal bins over the figure's x range).
#[derive(Debug, Clone, PartialEq)]
pub struct HistogramRow {
    pub label: String,
    pub counts: Vec<Vec<usize>>,
}

impl HistogramRow {
    /// The histograms of each layer's activations over `range`, in [`HISTOGRAM_BINS`] bins,
    /// leaving out exact zeros if `skip_zeros` (half of every ReLU layer's outputs).
    pub fn new(label: String, layers: &[Array2<f64>], range: Range<f64>, skip_zeros: bool) -> Self {
        let counts = layers
            .iter()
            .map(|a| {
                let values = a.iter().copied().filter(|&v| !(skip_zeros && v == 0.0));
                histogram(values, range.clone(), HISTOGRAM_BINS)
            })
            .collect();
        HistogramRow { label, counts }
    }
}

/// Counts how many of `values` fall in each of `bins` equal bins spanning `range`. Values
/// outside the range are not counted; the last bin includes the range's end, as NumPy's does.
///
/// NumPy: `np.histogram(values, bins, range=(start, end))[0]`.
///
/// ```
/// use ch10_optimizers::plots::histogram;
/// let counts = histogram([0.05, 0.1, 0.5, 0.95, 1.0, 1.5], 0.0..1.0, 4);
/// assert_eq!(counts, [2, 0, 1, 2]); // 1.5 is outside; 1.0 goes in the last bin
/// ```
///
/// # Panics
/// If `bins` is zero or the range is empty.
pub fn histogram(
    values: impl IntoIterator<Item = f64>,
    range: Range<f64>,
    bins: usize,
) -> Vec<usize> {
    assert!(
        bins > 0 && range.end > range.start,
        "a histogram needs at least one bin and a non-empty range, got {bins} bins over {range:?}"
    );
    let width = (range.end - range.start) / bins as f64;
    let mut counts = vec![0; bins];
    for v in values {
        if v < range.start || v > range.end {
            continue;
        }
        let bin = (((v - range.start) / width) as usize).min(bins - 1);
        counts[bin] += 1;
    }
    counts
}

/// One panel of a histogram figure.
struct HistogramPanel<'a> {
    caption: &'a str,
    counts: &'a [usize],
    x_range: Range<f64>,
    y_max: f64,
    /// The colour of the bars.
    color: usize,
    /// Whether to name the axes (the bottom row names x, the left column y).
    x_desc: bool,
    y_desc: bool,
}

/// One histogram: bars of equal bins over the x range.
fn draw_histogram<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    panel: &HistogramPanel,
) -> FigureResult
where
    DB::ErrorType: 'static,
{
    let mut chart = figures::panel(area, panel.caption)
        .margin(6)
        .x_label_area_size(if panel.x_desc { 40 } else { 24 })
        .y_label_area_size(if panel.y_desc { 66 } else { 52 })
        .build_cartesian_2d(panel.x_range.clone(), 0f64..panel.y_max)?;
    let x_desc = if panel.x_desc { "activation" } else { "" };
    let y_desc = if panel.y_desc { "count" } else { "" };
    figures::axes(&mut chart, x_desc, y_desc)
        .x_labels(4)
        .y_labels(4)
        .y_label_formatter(&|v| format!("{v:.0}"))
        .disable_mesh()
        .draw()?;
    let start = panel.x_range.start;
    let width = (panel.x_range.end - start) / panel.counts.len() as f64;
    let style = color(panel.color).filled();
    chart.draw_series(panel.counts.iter().enumerate().map(|(bin, &count)| {
        let x = start + bin as f64 * width;
        Rectangle::new([(x, 0.0), (x + width, count as f64)], style)
    }))?;
    Ok(())
}

/// A grid of histograms over `x_range`: one row per initialisation, one column per layer.
/// Each row has its own y scale, so that its layers can be compared with each other.
pub fn draw_activation_histograms<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    title: &str,
    rows: &[HistogramRow],
    x_range: Range<f64>,
) -> FigureResult
where
    DB::ErrorType: 'static,
{
    let area = area.titled(title, TITLE_FONT)?;
    let layers = rows.iter().map(|r| r.counts.len()).max().unwrap_or(1);
    let panels = area.split_evenly((rows.len(), layers));
    for (r, row) in rows.iter().enumerate() {
        let y_max = row
            .counts
            .iter()
            .flatten()
            .copied()
            .max()
            .unwrap_or(1)
            .max(1) as f64
            * 1.05;
        for (layer, counts) in row.counts.iter().enumerate() {
            let caption = format!("{}: layer {}", row.label, layer + 1);
            let panel = HistogramPanel {
                caption: &caption,
                counts,
                x_range: x_range.clone(),
                y_max,
                color: r,
                x_desc: r + 1 == rows.len(),
                y_desc: layer == 0,
            };
            draw_histogram(&panels[r * layers + layer], &panel)?;
        }
    }
    Ok(())
}
