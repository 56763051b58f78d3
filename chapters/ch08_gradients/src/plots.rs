//! The chapter's figures, generic over the plotters backend (SVG for the book, inline in a
//! notebook).

use std::ops::Range;

use figures::{FigureResult, LABEL_FONT, LineChart, Series, color, power_of_ten_label};
use plotters::coord::Shift;
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, Pos, VPos};

use crate::{SqrtRun, numerical_sqrt_fixed_point};

/// A point of the plane, `(x, y)`.
pub type Point = (f64, f64);

/// A point and a vector drawn from it: one arrow of a vector field.
pub type FieldArrow = (Point, Point);

/// Mid grey, for arrows and contour lines that should not compete with the data.
const GREY: RGBColor = RGBColor(110, 110, 110);

/// An arrow, in the plot's coordinates.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct ArrowShape {
    /// From the start to where the head begins.
    pub shaft: [Point; 2],
    /// The tip, then the two back corners.
    pub head: [Point; 3],
}

/// An arrow from `start` along `vector`. The head is `head` long (or the whole arrow, if that
/// is shorter) and half as wide as long.
///
/// ```
/// use ch08_gradients::plots::arrow;
/// let a = arrow((0.0, 0.0), (2.0, 0.0), 0.5);
/// assert_eq!(a.shaft, [(0.0, 0.0), (1.5, 0.0)]);
/// assert_eq!(a.head, [(2.0, 0.0), (1.5, 0.125), (1.5, -0.125)]);
/// ```
pub fn arrow(start: Point, vector: Point, head: f64) -> ArrowShape {
    let length = vector.0.hypot(vector.1);
    let tip = (start.0 + vector.0, start.1 + vector.1);
    if length == 0.0 {
        return ArrowShape {
            shaft: [start, tip],
            head: [tip; 3],
        };
    }
    let (ux, uy) = (vector.0 / length, vector.1 / length); // along the arrow
    let (nx, ny) = (-uy, ux); // across it
    let head = head.min(length);
    let base = (tip.0 - head * ux, tip.1 - head * uy);
    let half_width = head / 4.0;
    let corner = |side: f64| {
        (
            base.0 + side * half_width * nx,
            base.1 + side * half_width * ny,
        )
    };
    ArrowShape {
        shaft: [start, base],
        head: [tip, corner(1.0), corner(-1.0)],
    }
}

/// What a legend entry looks like.
#[derive(Debug, Clone, Copy)]
pub enum Key {
    /// A short line in this colour.
    Line(RGBColor),
    /// A dot in this colour.
    Dot(RGBColor),
    /// An arrow in this colour.
    Arrow(RGBColor),
}

/// The height of a legend strip, in pixels.
pub const LEGEND_STRIP: u32 = 36;

/// A legend drawn as one row across a strip of its own, so it covers none of the data.
pub fn legend_strip<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    entries: &[(Key, &str)],
) -> FigureResult
where
    DB::ErrorType: 'static,
{
    let spacing = 32;
    // The browser sets the text; about 0.55 em per character is close enough to centre it.
    let text_width =
        |text: &str| (text.chars().count() as f64 * 0.55 * f64::from(LABEL_FONT.1)) as i32;
    let total: i32 = entries
        .iter()
        .map(|(_, text)| GLYPH + GAP + text_width(text))
        .sum::<i32>()
        + spacing * (entries.len() as i32 - 1).max(0);
    let (width, height) = area.dim_in_pixel();
    let mut x = (width as i32 - total).max(0) / 2;
    let y = height as i32 / 2;
    for (key, text) in entries {
        draw_entry(area, *key, text, (x, y))?;
        x += GLYPH + GAP + text_width(text) + spacing;
    }
    Ok(())
}

/// A legend drawn as a column of entries in an area of its own, beside a chart.
pub fn legend_column<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    entries: &[(Key, &str)],
) -> FigureResult
where
    DB::ErrorType: 'static,
{
    let line_height = 24;
    let (_, height) = area.dim_in_pixel();
    let mut y = (height as i32 - line_height * entries.len() as i32) / 2 + line_height / 2;
    for (key, text) in entries {
        draw_entry(area, *key, text, (4, y))?;
        y += line_height;
    }
    Ok(())
}

/// How wide a legend glyph is, and the gap between it and its text, in pixels.
const GLYPH: i32 = 24;
const GAP: i32 = 8;

/// One legend entry: its glyph, its left end at `(x, y)`, then its text in the legend font.
fn draw_entry<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    key: Key,
    text: &str,
    (x, y): (i32, i32),
) -> FigureResult
where
    DB::ErrorType: 'static,
{
    draw_key(area, key, x, y)?;
    let font = LABEL_FONT
        .into_font()
        .color(&BLACK)
        .pos(Pos::new(HPos::Left, VPos::Center));
    area.draw(&Text::new(text.to_string(), (x + GLYPH + GAP, y), font))?;
    Ok(())
}

/// One legend glyph, [`GLYPH`] pixels wide, its left end at `(x, y)`.
fn draw_key<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    key: Key,
    x: i32,
    y: i32,
) -> FigureResult
where
    DB::ErrorType: 'static,
{
    let glyph = GLYPH;
    match key {
        Key::Line(c) => area.draw(&PathElement::new(
            [(x, y), (x + glyph, y)],
            c.stroke_width(2),
        ))?,
        Key::Dot(c) => area.draw(&Circle::new((x + glyph / 2, y), 5, c.filled()))?,
        Key::Arrow(c) => {
            area.draw(&PathElement::new(
                [(x, y), (x + glyph - 8, y)],
                c.stroke_width(2),
            ))?;
            area.draw(&Polygon::new(
                vec![
                    (x + glyph, y),
                    (x + glyph - 9, y - 4),
                    (x + glyph - 9, y + 4),
                ],
                c.filled(),
            ))?;
        }
    }
    Ok(())
}

/// Arrows drawn at points of the plane, each pointing along a vector.
pub struct Quiver<'a> {
    pub title: &'a str,
    pub x_label: &'a str,
    pub y_label: &'a str,
    pub x_range: Range<f64>,
    pub y_range: Range<f64>,
    /// `(point, vector)` pairs; the longest vector is drawn `longest` long, the others in
    /// proportion.
    pub arrows: &'a [FieldArrow],
    pub longest: f64,
    /// The legend entry for the arrows.
    pub label: &'a str,
    /// A point to mark with a black dot, and its legend entry.
    pub mark: Option<((f64, f64), &'a str)>,
}

/// Draws a [`Quiver`]: a field of arrows (matplotlib's `quiver`), from plotters' lines and
/// polygons, with its legend in a strip below.
pub fn quiver<DB: DrawingBackend>(area: &DrawingArea<DB, Shift>, plot: &Quiver) -> FigureResult
where
    DB::ErrorType: 'static,
{
    let (_, height) = area.dim_in_pixel();
    let (area, strip) = area.split_vertically(height - LEGEND_STRIP);
    let mut keys = vec![(Key::Arrow(color(0)), plot.label)];
    if let Some((_, label)) = plot.mark {
        keys.push((Key::Dot(BLACK), label));
    }
    legend_strip(&strip, &keys)?;
    let mut chart = figures::chart(&area, plot.title)
        .build_cartesian_2d(plot.x_range.clone(), plot.y_range.clone())?;
    figures::axes(&mut chart, plot.x_label, plot.y_label).draw()?;
    let largest = plot
        .arrows
        .iter()
        .map(|(_, (vx, vy))| vx.hypot(*vy))
        .fold(0.0, f64::max);
    let scale = if largest > 0.0 {
        plot.longest / largest
    } else {
        0.0
    };
    let head = plot.longest * 0.3;
    let style = color(0).stroke_width(2);
    let arrows: Vec<_> = plot
        .arrows
        .iter()
        .map(|&(point, (vx, vy))| arrow(point, (vx * scale, vy * scale), head))
        .collect();
    chart.draw_series(arrows.iter().map(|a| PathElement::new(a.shaft, style)))?;
    chart.draw_series(
        arrows
            .iter()
            .map(|a| Polygon::new(a.head.to_vec(), color(0).filled())),
    )?;
    if let Some((point, _)) = plot.mark {
        chart.draw_series(std::iter::once(Circle::new(point, 5, BLACK.filled())))?;
    }
    Ok(())
}

/// The negative gradient of `x₀² + x₁²` on a grid: every arrow points to the minimum, longer
/// the further away it starts. `field` holds `(point, gradient)` pairs.
pub fn draw_gradient_field<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    field: &[FieldArrow],
    spacing: f64,
) -> FigureResult
where
    DB::ErrorType: 'static,
{
    let arrows: Vec<_> = field
        .iter()
        .map(|&(point, (gx, gy))| (point, (-gx, -gy)))
        .collect();
    let (lo, hi) = field
        .iter()
        .fold((f64::INFINITY, f64::NEG_INFINITY), |(lo, hi), (p, _)| {
            (lo.min(p.0).min(p.1), hi.max(p.0).max(p.1))
        });
    let margin = spacing;
    quiver(
        area,
        &Quiver {
            title: "−∇f for f(x₀, x₁) = x₀² + x₁²",
            x_label: "x₀",
            y_label: "x₁",
            x_range: lo - margin..hi + margin,
            y_range: lo - margin..hi + margin,
            arrows: &arrows,
            longest: 1.2 * spacing,
            label: "−∇f, drawn with length ∝ |∇f|",
            mark: Some(((0.0, 0.0), "the minimum, (0, 0)")),
        },
    )
}

/// One panel of the descent figure: a title and the points a descent visited.
pub struct DescentPanel {
    pub title: String,
    pub path: Vec<(f64, f64)>,
}

/// How many contour circles of `x₀² + x₁²` a descent panel draws at most: one through each of
/// the first points of the path.
const CONTOURS: usize = 6;

/// Descents on `x₀² + x₁²`, one panel each: the path, with the contour circle (a level set of
/// the function) through each of its first points, so a step that crosses to a lower circle
/// went downhill and a step to a larger one went uphill.
pub fn draw_descents<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    panels: &[DescentPanel],
) -> FigureResult
where
    DB::ErrorType: 'static,
{
    let (_, height) = area.dim_in_pixel();
    let (area, strip) = area.split_vertically(height - LEGEND_STRIP);
    legend_strip(
        &strip,
        &[
            (
                Key::Line(GREY),
                "level set of f through a point of the path",
            ),
            (Key::Line(color(1)), "path"),
            (Key::Dot(BLACK), "start (−3, 4)"),
        ],
    )?;
    let areas = area.split_evenly((1, panels.len().max(1)));
    for (area, panel) in areas.iter().zip(panels) {
        draw_descent_panel(area, panel)?;
    }
    Ok(())
}

fn draw_descent_panel<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    panel: &DescentPanel,
) -> FigureResult
where
    DB::ErrorType: 'static,
{
    let radius = |p: &(f64, f64)| p.0.hypot(p.1);
    let extent = panel.path.iter().map(radius).fold(0.0, f64::max) * 1.15;
    let mut chart =
        figures::panel(area, &panel.title).build_cartesian_2d(-extent..extent, -extent..extent)?;
    figures::axes(&mut chart, "x₀", "x₁")
        .x_labels(5)
        .y_labels(5)
        .draw()?;
    let contour_style = GREY.stroke_width(1);
    let mut radii: Vec<f64> = panel.path.iter().take(CONTOURS).map(radius).collect();
    radii.dedup_by(|a, b| (*a - *b).abs() <= 1e-6 * b.abs());
    for &r in &radii {
        let circle = (0..=120).map(|k| {
            let angle = std::f64::consts::TAU * f64::from(k) / 120.0;
            (r * angle.cos(), r * angle.sin())
        });
        chart.draw_series(LineSeries::new(circle, contour_style))?;
    }
    let path_style = color(1).stroke_width(2);
    chart.draw_series(LineSeries::new(panel.path.iter().copied(), path_style))?;
    chart.draw_series(
        panel
            .path
            .iter()
            .map(|&p| Circle::new(p, 3, color(1).filled())),
    )?;
    let start = panel.path[0];
    chart.draw_series(std::iter::once(Circle::new(start, 6, BLACK.filled())))?;
    Ok(())
}

/// A line chart whose y axis is logarithmic (powers of ten), x axis linear: for errors that
/// shrink by a constant factor per step, which draw as straight lines. Points with a y that is
/// not positive and finite are left out. The legend takes the rightmost `legend_width` pixels.
pub fn semilog_y_chart<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    chart: &LineChart,
    legend_width: u32,
) -> FigureResult
where
    DB::ErrorType: 'static,
{
    let (width, _) = area.dim_in_pixel();
    let (area, legend) = area.split_horizontally(width.saturating_sub(legend_width));
    let keys: Vec<(Key, &str)> = chart
        .series
        .iter()
        .enumerate()
        .map(|(i, s)| (Key::Line(color(i)), s.label.as_str()))
        .collect();
    legend_column(&legend, &keys)?;
    let shown = |p: &(f64, f64)| p.1 > 0.0 && p.1.is_finite();
    let points = || {
        chart
            .series
            .iter()
            .flat_map(|s| s.points.iter())
            .filter(|p| shown(p))
    };
    let x_max = points().map(|p| p.0).fold(1.0, f64::max);
    let (lo, hi) = points().fold((f64::INFINITY, f64::NEG_INFINITY), |(lo, hi), p| {
        (lo.min(p.1), hi.max(p.1))
    });
    let y_range = 10f64.powf(lo.log10().floor())..10f64.powf(hi.log10().ceil());
    let mut plot =
        figures::chart(&area, &chart.title).build_cartesian_2d(0.0..x_max, y_range.log_scale())?;
    figures::axes(&mut plot, &chart.x_label, &chart.y_label)
        .y_labels(12)
        .y_label_formatter(&power_of_ten_label)
        .draw()?;
    for (i, series) in chart.series.iter().enumerate() {
        let style = color(i).stroke_width(2);
        let points: Vec<(f64, f64)> = series.points.iter().copied().filter(shown).collect();
        plot.draw_series(LineSeries::new(points, style))?;
    }
    Ok(())
}

/// The chart of the descents towards `√a`: the error against the step, one line per learning
/// rate, and the floor `√a − √(a − h²)` where the numerical gradient stops them.
pub fn sqrt_error_chart(a: f64, runs: &[SqrtRun]) -> LineChart {
    let mut series: Vec<Series> = runs
        .iter()
        .map(|run| {
            let label = match run.diverged_at {
                Some(step) => format!("η = {} (diverged, step {step})", run.lr),
                None => format!("η = {}", run.lr),
            };
            let points = run
                .errors
                .iter()
                .enumerate()
                .map(|(step, &e)| (step as f64, e))
                .collect();
            Series::new(label, points)
        })
        .collect();
    let steps = runs.iter().map(|r| r.errors.len()).max().unwrap_or(1) - 1;
    let floor = a.sqrt() - numerical_sqrt_fixed_point(a);
    series.push(Series::new(
        "√a − √(a − h²)",
        vec![(0.0, floor), (steps as f64, floor)],
    ));
    LineChart::new(
        &format!("√{a} by gradient descent on (x² − {a})²"),
        "step",
        &format!("error |x − √{a}|"),
        series,
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_arrow_ends_at_start_plus_vector() {
        let a = arrow((1.0, 1.0), (0.0, -3.0), 1.0);
        assert_eq!(a.shaft[0], (1.0, 1.0));
        assert_eq!(a.head[0], (1.0, -2.0));
        assert_eq!(a.shaft[1], (1.0, -1.0)); // where the head begins
    }

    #[test]
    fn a_short_arrow_is_all_head() {
        let a = arrow((0.0, 0.0), (0.1, 0.0), 1.0);
        assert_eq!(a.shaft[1], (0.0, 0.0));
        assert_eq!(a.head[0], (0.1, 0.0));
    }

    #[test]
    fn a_zero_arrow_is_a_point() {
        let a = arrow((2.0, 3.0), (0.0, 0.0), 1.0);
        assert_eq!(a.shaft, [(2.0, 3.0), (2.0, 3.0)]);
        assert_eq!(a.head, [(2.0, 3.0); 3]);
    }
}
