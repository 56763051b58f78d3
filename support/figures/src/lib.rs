//! The book's plotting style: every figure has a title, labelled axes and a legend, dark ink on
//! a white card (so it reads the same in mdBook's light and dark themes), and colours from the
//! Okabe–Ito palette, which readers with colour-blindness can tell apart.
//!
//! Figure functions are generic over the plotters backend: the same function writes the book's
//! SVG (through [`save_svg`]) and draws inline in a Jupyter notebook (`evcxr_figure`).
//!
//! Common figures are one call ([`line_chart`], [`log_log_chart`], [`region_plot`],
//! [`scatter_plot`]). A chapter's own figure starts from [`chart`] (or [`panel`], for one of
//! several), names and numbers its axes with [`axes`], marks its series with [`line_key`] or
//! [`dot_key`] and ends with [`legend`]; text it writes itself uses [`TITLE_FONT`],
//! [`LABEL_FONT`] or [`TICK_FONT`]. So every figure has the same fonts and frame.
//!
//! ```
//! use figures::{line_chart, save_svg, LineChart, Series};
//!
//! let squares = Series::new("x²", (0..=10).map(|i| (i as f64, (i * i) as f64)).collect());
//! let chart = LineChart::new("Squares", "x", "x²", vec![squares]);
//! let path = std::env::temp_dir().join("figures-doctest-squares.svg");
//! save_svg(&path, figures::SIZE, |area| line_chart(area, &chart)).unwrap();
//! assert!(std::fs::read_to_string(&path).unwrap().contains("Squares"));
//! ```

use std::error::Error;
use std::ops::Range;
use std::path::{Path, PathBuf};

use plotters::chart::MeshStyle;
use plotters::coord::Shift;
use plotters::coord::ranged1d::ValueFormatter;
use plotters::coord::types::RangedCoordf64;
use plotters::prelude::*;

/// What a figure function returns; the error is boxed so any backend's error fits.
pub type FigureResult = Result<(), Box<dyn Error + Send + Sync>>;

/// The size of a one-panel figure, in pixels.
pub const SIZE: (u32, u32) = (640, 420);

/// The Okabe–Ito palette (without its yellow, too pale on white).
pub const COLORS: [RGBColor; 7] = [
    RGBColor(0, 114, 178),   // blue
    RGBColor(213, 94, 0),    // vermillion
    RGBColor(0, 158, 115),   // bluish green
    RGBColor(204, 121, 167), // reddish purple
    RGBColor(230, 159, 0),   // orange
    RGBColor(86, 180, 233),  // sky blue
    RGBColor(0, 0, 0),       // black
];

/// The colour of series or class `i`.
pub fn color(i: usize) -> RGBColor {
    COLORS[i % COLORS.len()]
}

/// The colours of straight lines drawn over decision regions (the regions use [`COLORS`]).
const LINE_COLORS: [RGBColor; 3] = [BLACK, COLORS[2], COLORS[3]];

/// The font of a figure's title.
pub const TITLE_FONT: (&str, u32) = ("sans-serif", 22);
/// The font of the title of one panel in a figure of several.
pub const PANEL_FONT: (&str, u32) = ("sans-serif", 18);
/// The font of axis names, legends and notes.
pub const LABEL_FONT: (&str, u32) = ("sans-serif", 16);
/// The font of the numbers along the axes, and of small print.
pub const TICK_FONT: (&str, u32) = ("sans-serif", 14);

/// A tick label: whole numbers without decimals, others to at most three decimals, and never
/// "-0".
///
/// ```
/// assert_eq!(figures::tick_label(&2.0), "2");
/// assert_eq!(figures::tick_label(&-1e-17), "0");
/// assert_eq!(figures::tick_label(&0.30000000000000004), "0.3");
/// assert_eq!(figures::tick_label(&-0.125), "-0.125");
/// ```
pub fn tick_label(v: &f64) -> String {
    let text = format!("{:.3}", v);
    let text = text.trim_end_matches('0').trim_end_matches('.');
    match text {
        "-0" => "0".to_string(),
        _ => text.to_string(),
    }
}

/// A chart with `title` above it in the book's title font, and room on the left and below for
/// the axes' numbers and names. Finish it with `build_cartesian_2d(x_range, y_range)`; a chart
/// with no y axis can take back that room with `y_label_area_size(10)` first.
///
/// ```
/// use figures::{axes, chart, color, legend, line_key, save_svg};
/// use plotters::prelude::*;
///
/// let path = std::env::temp_dir().join("figures-doctest-chart.svg");
/// save_svg(&path, figures::SIZE, |area| {
///     let mut plot = chart(area, "A straight line").build_cartesian_2d(0.0..1.0, 0.0..2.0)?;
///     axes(&mut plot, "x", "y").draw()?;
///     let style = color(0).stroke_width(2);
///     plot.draw_series(LineSeries::new([(0.0, 0.0), (1.0, 2.0)], style))?
///         .label("y = 2x")
///         .legend(line_key(style));
///     legend(&mut plot, SeriesLabelPosition::UpperLeft)
/// })
/// .unwrap();
/// let svg = std::fs::read_to_string(&path).unwrap();
/// assert!(svg.contains("A straight line") && svg.contains("y = 2x"));
/// ```
pub fn chart<'a, 'b, DB: DrawingBackend>(
    area: &'a DrawingArea<DB, Shift>,
    title: &str,
) -> ChartBuilder<'a, 'b, DB> {
    let mut builder = ChartBuilder::on(area);
    builder
        .caption(title, TITLE_FONT)
        .margin(14)
        .x_label_area_size(44)
        .y_label_area_size(60);
    builder
}

/// A [`chart`] for one panel of a figure of several: a smaller title, and less room around
/// it.
pub fn panel<'a, 'b, DB: DrawingBackend>(
    area: &'a DrawingArea<DB, Shift>,
    title: &str,
) -> ChartBuilder<'a, 'b, DB> {
    let mut builder = ChartBuilder::on(area);
    builder
        .caption(title, PANEL_FONT)
        .margin(10)
        .x_label_area_size(40)
        .y_label_area_size(56);
    builder
}

/// The axes of `chart` in the book's style: named `x_label` and `y_label`, numbered by
/// [`tick_label`], with grid lines at the numbers only. Call `.draw()` on it, after any change
/// (`.disable_mesh()` for no grid, `.x_labels(5)` for fewer numbers, another formatter).
pub fn axes<'a, 'b, X, Y, DB>(
    chart: &'b mut ChartContext<'a, DB, Cartesian2d<X, Y>>,
    x_label: &str,
    y_label: &str,
) -> MeshStyle<'a, 'b, X, Y, DB>
where
    X: Ranged<ValueType = f64> + ValueFormatter<f64>,
    Y: Ranged<ValueType = f64> + ValueFormatter<f64>,
    DB: DrawingBackend,
{
    let mut mesh = chart.configure_mesh();
    mesh.x_desc(x_label)
        .y_desc(y_label)
        .axis_desc_style(LABEL_FONT)
        .label_style(TICK_FONT)
        .x_label_formatter(&tick_label)
        .y_label_formatter(&tick_label)
        .light_line_style(WHITE.mix(0.0));
    mesh
}

/// Draws the legend of `chart` at `position`: every labelled series, on a white card with a
/// black border.
pub fn legend<'a, DB, CT>(
    chart: &mut ChartContext<'a, DB, CT>,
    position: SeriesLabelPosition,
) -> FigureResult
where
    DB: DrawingBackend + 'a,
    DB::ErrorType: 'static,
    CT: CoordTranslate,
{
    chart
        .configure_series_labels()
        .position(position)
        .background_style(WHITE.mix(0.9))
        .border_style(BLACK)
        .label_font(LABEL_FONT)
        .draw()?;
    Ok(())
}

/// A legend entry for a line: a short stroke in `style`. Pass it to a series' `.legend(…)`.
pub fn line_key(style: ShapeStyle) -> impl Fn((i32, i32)) -> PathElement<(i32, i32)> {
    move |(x, y)| PathElement::new([(x, y), (x + 20, y)], style)
}

/// A legend entry for points: a dot in `style`. Pass it to a series' `.legend(…)`.
pub fn dot_key(style: ShapeStyle) -> impl Fn((i32, i32)) -> Circle<(i32, i32), i32> {
    move |(x, y)| Circle::new((x + 10, y), 6, style)
}

/// Draws a figure into an SVG file: a white card of `size` pixels, then `draw` on it.
pub fn save_svg(
    path: &Path,
    size: (u32, u32),
    draw: impl FnOnce(&DrawingArea<SVGBackend, Shift>) -> FigureResult,
) -> FigureResult {
    let root = SVGBackend::new(path, size).into_drawing_area();
    root.fill(&WHITE)?;
    draw(&root)?;
    root.present()?;
    Ok(())
}

/// Draws a figure into the SVG file `dir/name`, says so on stderr, and returns its path.
///
/// In a Jupyter notebook (the evcxr kernel sets `EVCXR_IS_RUNTIME`) it also shows the figure
/// inline, drawing it a second time with `draw`, so the notebook and the book show the same
/// figure.
pub fn write_svg(
    dir: &Path,
    name: &str,
    size: (u32, u32),
    draw: impl Fn(&DrawingArea<SVGBackend, Shift>) -> FigureResult,
) -> anyhow::Result<PathBuf> {
    let path = dir.join(name);
    save_svg(&path, size, &draw).map_err(|e| anyhow::anyhow!("drawing {}: {e}", path.display()))?;
    eprintln!("wrote {}", path.display());
    if in_notebook() {
        show_inline(size, &draw);
    }
    Ok(path)
}

/// Whether this code runs inside an evcxr (Jupyter) kernel.
fn in_notebook() -> bool {
    std::env::var_os("EVCXR_IS_RUNTIME").is_some()
}

/// The figures drawn so far in the running notebook cell, each as the HTML that shows it.
///
/// evcxr compiles every cell into a library of its own, with its own copy of this list, so the
/// list starts empty in each cell.
static SHOWN_IN_CELL: std::sync::Mutex<Vec<String>> = std::sync::Mutex::new(Vec::new());

/// Shows a figure inline in the notebook, drawn through plotters' `evcxr_figure`.
///
/// evcxr keeps only the last display of a cell, so each display shows every figure the cell
/// has drawn so far: when the cell ends, all of them are shown, in order.
fn show_inline(size: (u32, u32), draw: impl Fn(&DrawingArea<SVGBackend, Shift>) -> FigureResult) {
    let figure = evcxr_figure(size, |root| {
        root.fill(&WHITE)?;
        draw(&root).map_err(|e| e as Box<dyn Error>)?;
        root.present()?;
        Ok(())
    });
    // Its display is `EVCXR_BEGIN_CONTENT text/html`, the HTML, then `EVCXR_END_CONTENT`.
    let display = format!("{figure:?}");
    let mut lines: Vec<&str> = display.lines().collect();
    let html = if lines.len() >= 2 {
        lines.pop();
        lines[1..].join("\n")
    } else {
        display.clone()
    };
    let mut shown = SHOWN_IN_CELL.lock().unwrap_or_else(|e| e.into_inner());
    shown.push(html);
    println!(
        "EVCXR_BEGIN_CONTENT text/html\n{}\nEVCXR_END_CONTENT",
        shown.join("\n")
    );
}

/// One named line of a [`LineChart`].
#[derive(Debug, Clone)]
pub struct Series {
    pub label: String,
    pub points: Vec<(f64, f64)>,
}

impl Series {
    pub fn new(label: impl Into<String>, points: Vec<(f64, f64)>) -> Self {
        Series {
            label: label.into(),
            points,
        }
    }
}

/// A line chart: a title, axis labels and one or more series.
#[derive(Clone)]
pub struct LineChart {
    pub title: String,
    pub x_label: String,
    pub y_label: String,
    pub series: Vec<Series>,
    /// Where the legend goes (top right unless the lines need that corner).
    pub legend: SeriesLabelPosition,
}

impl LineChart {
    pub fn new(title: &str, x_label: &str, y_label: &str, series: Vec<Series>) -> Self {
        LineChart {
            title: title.into(),
            x_label: x_label.into(),
            y_label: y_label.into(),
            series,
            legend: SeriesLabelPosition::UpperRight,
        }
    }

    /// The same chart with its legend at `position`.
    pub fn legend_at(mut self, position: SeriesLabelPosition) -> Self {
        self.legend = position;
        self
    }

    /// The smallest ranges that hold every point, with a little room around them.
    fn ranges(&self) -> (Range<f64>, Range<f64>) {
        let points = self.series.iter().flat_map(|s| s.points.iter());
        let xs = span(points.clone().map(|p| p.0));
        let ys = span(points.map(|p| p.1));
        (xs, pad(ys, 0.05))
    }
}

/// The range from the smallest to the largest of `values` (`0..1` when there are none).
fn span(values: impl Iterator<Item = f64>) -> Range<f64> {
    let (lo, hi) = values.fold((f64::INFINITY, f64::NEG_INFINITY), |(lo, hi), v| {
        (lo.min(v), hi.max(v))
    });
    if lo > hi {
        0.0..1.0
    } else if lo == hi {
        lo - 0.5..hi + 0.5
    } else {
        lo..hi
    }
}

/// `range` widened by `fraction` of its length on each side.
fn pad(range: Range<f64>, fraction: f64) -> Range<f64> {
    let margin = (range.end - range.start) * fraction;
    range.start - margin..range.end + margin
}

/// Draws a [`LineChart`] on `area`.
pub fn line_chart<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    chart: &LineChart,
) -> FigureResult
where
    DB::ErrorType: 'static,
{
    let (x_range, y_range) = chart.ranges();
    let mut plot = self::chart(area, &chart.title).build_cartesian_2d(x_range, y_range)?;
    axes(&mut plot, &chart.x_label, &chart.y_label).draw()?;
    for (i, series) in chart.series.iter().enumerate() {
        let style = color(i).stroke_width(2);
        plot.draw_series(LineSeries::new(series.points.iter().copied(), style))?
            .label(&series.label)
            .legend(line_key(style));
    }
    legend(&mut plot, chart.legend.clone())
}

/// A tick label for a logarithmic axis: a power of ten as `10⁻⁴` (but `1` and `10` as
/// themselves), anything else in scientific notation.
///
/// ```
/// use figures::power_of_ten_label;
/// assert_eq!(power_of_ten_label(&1e-4), "10⁻⁴");
/// assert_eq!(power_of_ten_label(&1.0000000000000002e-14), "10⁻¹⁴");
/// assert_eq!(power_of_ten_label(&100.0), "10²");
/// assert_eq!(power_of_ten_label(&1.0), "1");
/// assert_eq!(power_of_ten_label(&0.02), "2e-2");
/// ```
pub fn power_of_ten_label(v: &f64) -> String {
    let exponent = v.log10().round();
    let is_power = v.is_finite() && *v > 0.0 && (v / 10f64.powf(exponent) - 1.0).abs() < 1e-9;
    match (is_power, exponent as i32) {
        (true, 0) => "1".to_string(),
        (true, 1) => "10".to_string(),
        (true, n) => format!("10{}", superscript(n)),
        (false, _) => format!("{v:e}"),
    }
}

/// An integer in superscript digits: `-16` → `⁻¹⁶`.
fn superscript(n: i32) -> String {
    const DIGITS: [char; 10] = ['⁰', '¹', '²', '³', '⁴', '⁵', '⁶', '⁷', '⁸', '⁹'];
    n.to_string()
        .chars()
        .map(|c| match c.to_digit(10) {
            Some(d) => DIGITS[d as usize],
            None => '⁻',
        })
        .collect()
}

/// The whole powers of ten that enclose the positive, finite `values` (`1..10` when there are
/// none).
fn decades(values: impl Iterator<Item = f64>) -> Range<f64> {
    let positive = values.filter(|v| v.is_finite() && *v > 0.0);
    let range = span(positive.map(f64::log10));
    10f64.powf(range.start.floor())..10f64.powf(range.end.ceil())
}

/// Draws a [`LineChart`] with both axes logarithmic, each spanning whole powers of ten around
/// the data, and a dot at each of `marks`, mark `i` in the colour of series `i` (to point out,
/// say, where each line is lowest).
///
/// A point with a zero, negative or infinite coordinate has no place on a logarithmic axis: it
/// is left out, and its neighbours are joined.
///
/// ```
/// use figures::{log_log_chart, save_svg, LineChart, Series};
///
/// let steps: Vec<f64> = (0..=8).map(|i| 10f64.powi(-i)).collect();
/// let errors = Series::new("error = h", steps.iter().map(|&h| (h, h)).collect());
/// let chart = LineChart::new("Error against step", "step h", "error", vec![errors]);
/// let path = std::env::temp_dir().join("figures-doctest-log-log.svg");
/// save_svg(&path, figures::SIZE, |area| log_log_chart(area, &chart, &[(1e-8, 1e-8)])).unwrap();
/// assert!(std::fs::read_to_string(&path).unwrap().contains("10⁻⁸"));
/// ```
pub fn log_log_chart<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    chart: &LineChart,
    marks: &[(f64, f64)],
) -> FigureResult
where
    DB::ErrorType: 'static,
{
    let shown = |p: &(f64, f64)| p.0 > 0.0 && p.1 > 0.0 && p.0.is_finite() && p.1.is_finite();
    let all = || {
        chart
            .series
            .iter()
            .flat_map(|s| s.points.iter())
            .chain(marks)
            .copied()
            .filter(shown)
    };
    let x_range = decades(all().map(|p| p.0));
    let y_range = decades(all().map(|p| p.1));
    let mut plot = self::chart(area, &chart.title)
        .build_cartesian_2d(x_range.log_scale(), y_range.log_scale())?;
    axes(&mut plot, &chart.x_label, &chart.y_label)
        .x_labels(9)
        .y_labels(9)
        .x_label_formatter(&power_of_ten_label)
        .y_label_formatter(&power_of_ten_label)
        .draw()?;
    for (i, series) in chart.series.iter().enumerate() {
        let style = color(i).stroke_width(2);
        let points: Vec<(f64, f64)> = series.points.iter().copied().filter(shown).collect();
        plot.draw_series(LineSeries::new(points, style))?
            .label(&series.label)
            .legend(line_key(style));
    }
    let dots = marks.iter().enumerate().filter(|(_, p)| shown(p));
    plot.draw_series(dots.map(|(i, &p)| Circle::new(p, 5, color(i).filled())))?;
    legend(&mut plot, chart.legend.clone())
}

/// A labelled point of a [`RegionPlot`]: `(x, y, class)`.
pub type ClassPoint = (f64, f64, usize);

/// A decision-region plot: the plane coloured by the class a model gives each spot, the data
/// points on top (coloured by their true class) and, optionally, straight boundary lines.
pub struct RegionPlot<'a, C: Fn(f64, f64) -> usize> {
    pub title: &'a str,
    pub x_label: &'a str,
    pub y_label: &'a str,
    pub x_range: Range<f64>,
    pub y_range: Range<f64>,
    /// The model: which class it gives the point `(x, y)`.
    pub classify: C,
    /// A name for each class, shown in the legend.
    pub class_names: &'a [&'a str],
    pub points: &'a [ClassPoint],
    /// Lines to draw, each as a label and two end points.
    pub lines: &'a [(&'a str, [(f64, f64); 2])],
}

/// How many cells across and down the plane is coloured in.
const REGION_CELLS: usize = 120;

/// Draws a [`RegionPlot`] on `area`.
pub fn region_plot<DB, C>(area: &DrawingArea<DB, Shift>, plot: &RegionPlot<C>) -> FigureResult
where
    DB: DrawingBackend,
    DB::ErrorType: 'static,
    C: Fn(f64, f64) -> usize,
{
    let mut chart = self::chart(area, plot.title)
        .build_cartesian_2d(plot.x_range.clone(), plot.y_range.clone())?;
    axes(&mut chart, plot.x_label, plot.y_label)
        .disable_mesh()
        .draw()?;

    let (x0, y0) = (plot.x_range.start, plot.y_range.start);
    let dx = (plot.x_range.end - x0) / REGION_CELLS as f64;
    let dy = (plot.y_range.end - y0) / REGION_CELLS as f64;
    let cells = (0..REGION_CELLS).flat_map(|i| (0..REGION_CELLS).map(move |j| (i, j)));
    chart.draw_series(cells.map(|(i, j)| {
        let (x, y) = (x0 + i as f64 * dx, y0 + j as f64 * dy);
        let class = (plot.classify)(x + dx / 2.0, y + dy / 2.0);
        Rectangle::new([(x, y), (x + dx, y + dy)], color(class).mix(0.22).filled())
    }))?;

    for (i, (label, ends)) in plot.lines.iter().enumerate() {
        let style = LINE_COLORS[i % LINE_COLORS.len()].stroke_width(2);
        chart
            .draw_series(LineSeries::new(ends.iter().copied(), style))?
            .label(*label)
            .legend(line_key(style));
    }
    draw_class_points(&mut chart, plot.points, plot.class_names, 6)
}

/// A scatter plot of labelled points, coloured by class.
pub struct ScatterPlot<'a> {
    pub title: &'a str,
    pub x_label: &'a str,
    pub y_label: &'a str,
    pub points: &'a [ClassPoint],
    /// A name for each class, shown in the legend.
    pub class_names: &'a [&'a str],
}

/// Draws a [`ScatterPlot`] on `area`, its axes fitted to the points.
pub fn scatter_plot<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    plot: &ScatterPlot,
) -> FigureResult
where
    DB::ErrorType: 'static,
{
    let x_range = pad(span(plot.points.iter().map(|p| p.0)), 0.05);
    let y_range = pad(span(plot.points.iter().map(|p| p.1)), 0.05);
    let mut chart = self::chart(area, plot.title).build_cartesian_2d(x_range, y_range)?;
    axes(&mut chart, plot.x_label, plot.y_label).draw()?;
    draw_class_points(&mut chart, plot.points, plot.class_names, 3)
}

/// The points of each class in its colour, with a legend entry per class.
fn draw_class_points<'a, DB: DrawingBackend + 'a>(
    chart: &mut ChartContext<'a, DB, Cartesian2d<RangedCoordf64, RangedCoordf64>>,
    points: &[ClassPoint],
    class_names: &[&str],
    radius: i32,
) -> FigureResult
where
    DB::ErrorType: 'static,
{
    for (class, name) in class_names.iter().enumerate() {
        let style = color(class).filled();
        let of_class = points.iter().filter(|p| p.2 == class);
        chart
            .draw_series(of_class.map(|&(x, y, _)| Circle::new((x, y), radius, style)))?
            .label(*name)
            .legend(dot_key(style));
    }
    legend(chart, SeriesLabelPosition::UpperRight)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn span_covers_all_values() {
        assert_eq!(span([3.0, -1.0, 2.0].into_iter()), -1.0..3.0);
        assert_eq!(span([2.0].into_iter()), 1.5..2.5);
        assert_eq!(span(std::iter::empty()), 0.0..1.0);
    }

    #[test]
    fn decades_enclose_the_positive_values() {
        let r = decades([3e-7, 0.0, -1.0, 0.02, f64::INFINITY].into_iter());
        assert!((r.start / 1e-7 - 1.0).abs() < 1e-12 && (r.end / 0.1 - 1.0).abs() < 1e-12);
        let r = decades([1e-3].into_iter());
        assert!((r.start / 1e-4 - 1.0).abs() < 1e-12 && (r.end / 1e-2 - 1.0).abs() < 1e-12);
    }

    #[test]
    fn region_plot_writes_titled_svg_with_every_class() {
        let dir = std::env::temp_dir().join("figures-test-regions");
        std::fs::create_dir_all(&dir).unwrap();
        let path = dir.join("regions.svg");
        let plot = RegionPlot {
            title: "Left or right",
            x_label: "x",
            y_label: "y",
            x_range: -1.0..1.0,
            y_range: -1.0..1.0,
            classify: |x, _| usize::from(x > 0.0),
            class_names: &["left", "right"],
            points: &[(-0.5, 0.0, 0), (0.5, 0.0, 1)],
            lines: &[("x = 0", [(0.0, -1.0), (0.0, 1.0)])],
        };
        save_svg(&path, SIZE, |area| region_plot(area, &plot)).unwrap();
        let svg = std::fs::read_to_string(&path).unwrap();
        for text in ["Left or right", "left", "right", "x = 0"] {
            assert!(svg.contains(text), "{text} missing from the SVG");
        }
    }
}
