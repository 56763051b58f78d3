//! The figures of the second half of the chapter — gradients per layer, the learning
//! slowdown, early stopping, augmented digits and the hyperparameter search — generic over the
//! plotters backend (SVG for the book, inline in a notebook).

use std::ops::Range;

use figures::{FigureResult, Series, TITLE_FONT, color, power_of_ten_label};
use plotters::coord::Shift;
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, Pos, VPos};

use crate::augment::SIDE;

/// The whole powers of ten around the y values of `series` (see [`decades_of`]).
fn decades<'a>(series: impl Iterator<Item = &'a Series>) -> Range<f64> {
    decades_of(series.flat_map(|s| s.points.iter().map(|p| p.1)))
}

/// The whole powers of ten around the positive, finite `values`, at least one decade (`1..10`
/// if there are none).
fn decades_of(values: impl Iterator<Item = f64>) -> Range<f64> {
    let logs = values.filter(|v| v.is_finite() && *v > 0.0).map(f64::log10);
    let (lo, hi) = logs.fold((f64::INFINITY, f64::NEG_INFINITY), |(lo, hi), v| {
        (lo.min(v), hi.max(v))
    });
    if lo > hi {
        return 1.0..10.0;
    }
    10f64.powf(lo.floor())..10f64.powf(hi.ceil().max(lo.floor() + 1.0))
}

/// The largest x of `series` (at least 1).
fn last_x(series: &[Series]) -> f64 {
    let xs = series.iter().flat_map(|s| s.points.iter().map(|p| p.0));
    xs.fold(1.0, f64::max)
}

/// One panel of lines against the epoch on the logarithmic y axis `y_range`, with a dashed
/// vertical line at each of `marks`, the legend at `legend`.
fn draw_log_panel<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    (title, y_label): (&str, &str),
    (series, marks): (&[Series], &[(f64, String)]),
    y_range: Range<f64>,
    legend: SeriesLabelPosition,
) -> FigureResult
where
    DB::ErrorType: 'static,
{
    let mut chart = figures::panel(area, title)
        .y_label_area_size(64)
        .build_cartesian_2d(0f64..last_x(series), y_range.clone().log_scale())?;
    figures::axes(&mut chart, "epoch", y_label)
        .y_label_formatter(&power_of_ten_label)
        .draw()?;
    for (i, s) in series.iter().enumerate() {
        let style = color(i).stroke_width(2);
        chart
            .draw_series(LineSeries::new(s.points.iter().copied(), style))?
            .label(&s.label)
            .legend(figures::line_key(style));
    }
    draw_marks(
        &mut chart,
        marks,
        (y_range.start, y_range.end),
        series.len(),
    )?;
    figures::legend(&mut chart, legend)
}

/// How fast each layer learns, `(name, one series per layer)` for each network, one panel per
/// network side by side, on a shared logarithmic axis of `‖∂L/∂b‖`.
pub fn draw_layer_speeds<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    title: &str,
    networks: &[(String, Vec<Series>)],
) -> FigureResult
where
    DB::ErrorType: 'static,
{
    let area = area.titled(title, TITLE_FONT)?;
    let panels = area.split_evenly((1, networks.len().max(1)));
    let y_range = decades(networks.iter().flat_map(|(_, s)| s.iter()));
    for (panel, (name, series)) in panels.iter().zip(networks) {
        let labels = (name.as_str(), "speed of learning ‖∂L/∂b‖");
        let legend = SeriesLabelPosition::LowerRight;
        draw_log_panel(panel, labels, (series, &[]), y_range.clone(), legend)?;
    }
    Ok(())
}

/// Lines on a linear y axis from `y_range`, against `x_label`, in one panel.
fn draw_linear_panel<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    (title, x_label, y_label): (&str, &str, &str),
    series: &[Series],
    (x_range, y_range): (Range<f64>, Range<f64>),
    legend: SeriesLabelPosition,
) -> FigureResult
where
    DB::ErrorType: 'static,
{
    let mut chart = figures::panel(area, title).build_cartesian_2d(x_range, y_range)?;
    figures::axes(&mut chart, x_label, y_label).draw()?;
    for (i, s) in series.iter().enumerate() {
        let style = color(i).stroke_width(2);
        chart
            .draw_series(LineSeries::new(s.points.iter().copied(), style))?
            .label(&s.label)
            .legend(figures::line_key(style));
    }
    figures::legend(&mut chart, legend)
}

/// The learning slowdown: the neuron's output against the epoch from each start, `(name, one
/// series per cost)`, one panel each, and a last panel of `δ = ∂C/∂z` against the output `a`
/// (`deltas`, one series per cost).
pub fn draw_slowdown<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    title: &str,
    starts: &[(String, Vec<Series>)],
    deltas: &[Series],
) -> FigureResult
where
    DB::ErrorType: 'static,
{
    let area = area.titled(title, TITLE_FONT)?;
    let panels = area.split_evenly((1, starts.len() + 1));
    for (panel, (name, series)) in panels.iter().zip(starts) {
        let labels = (name.as_str(), "epoch", "output a (target 0)");
        let ranges = (0.0..last_x(series), 0.0..1.0);
        draw_linear_panel(
            panel,
            labels,
            series,
            ranges,
            SeriesLabelPosition::UpperRight,
        )?;
    }
    if let Some(panel) = panels.get(starts.len()) {
        let labels = ("the push δ = ∂C/∂z, target 0", "output a", "δ");
        let ranges = (0.0..1.0, 0.0..1.0);
        draw_linear_panel(
            panel,
            labels,
            deltas,
            ranges,
            SeriesLabelPosition::UpperLeft,
        )?;
    }
    Ok(())
}

/// Dashed vertical lines at `marks`, `(x, label)`, across the y range `(low, high)`, in the
/// colours after the curves' (`first_color` on).
fn draw_marks<DB, X, Y>(
    chart: &mut ChartContext<'_, DB, Cartesian2d<X, Y>>,
    marks: &[(f64, String)],
    (low, high): (f64, f64),
    first_color: usize,
) -> FigureResult
where
    DB: DrawingBackend,
    DB::ErrorType: 'static,
    X: Ranged<ValueType = f64>,
    Y: Ranged<ValueType = f64>,
{
    for (i, (x, label)) in marks.iter().enumerate() {
        let style = color(first_color + i).stroke_width(2);
        let steps = 40;
        let dashes = (0..steps).step_by(2).map(move |k| {
            let at = |k: usize| low * (high / low).powf(k as f64 / steps as f64);
            PathElement::new([(*x, at(k)), (*x, at(k + 1))], style)
        });
        chart
            .draw_series(dashes)?
            .label(label)
            .legend(figures::line_key(style));
    }
    Ok(())
}

/// Early stopping: training and validation loss against the epoch (logarithmic axis), with a
/// dashed line at each of `marks` (the best epoch, the epoch it stopped), and the validation
/// accuracy beside it.
pub fn draw_early_stopping<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    title: &str,
    losses: &[Series],
    accuracy: &Series,
    marks: &[(f64, String)],
) -> FigureResult
where
    DB::ErrorType: 'static,
{
    let area = area.titled(title, TITLE_FONT)?;
    let panels = area.split_evenly((1, 2));
    let labels = ("loss", "mean loss");
    let legend = SeriesLabelPosition::LowerLeft;
    draw_log_panel(
        &panels[0],
        labels,
        (losses, marks),
        decades(losses.iter()),
        legend,
    )?;

    let ys = accuracy.points.iter().map(|p| p.1).filter(|v| *v > 0.5);
    let low = (ys.fold(1.0, f64::min) * 20.0).floor() / 20.0; // down to a multiple of 0.05
    let labels = ("validation accuracy", "epoch", "accuracy");
    let ranges = (0.0..last_x(std::slice::from_ref(accuracy)), low..1.0);
    let curve = std::slice::from_ref(accuracy);
    draw_linear_panel(
        &panels[1],
        labels,
        curve,
        ranges,
        SeriesLabelPosition::LowerRight,
    )
}

/// The grey levels digits are drawn with: ink in `[0, 1]` rounds to one of these many shades.
const GREY_LEVELS: f64 = 8.0;

/// One digit (`SIDE · SIDE` pixels, row after row, ink in `[0, 1]`) as squares of side `cell`
/// from the pixel `origin`, dark where the ink is; runs of one shade along a row become one
/// rectangle, and the background is left white.
fn draw_digit<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    pixels: &[f32],
    origin: (i32, i32),
    cell: i32,
) -> FigureResult
where
    DB::ErrorType: 'static,
{
    let shade = |v: f32| (f64::from(v.clamp(0.0, 1.0)) * GREY_LEVELS).round() as u8;
    for (y, row) in pixels.chunks(SIDE).enumerate() {
        let mut x = 0;
        while x < row.len() {
            let (level, start) = (shade(row[x]), x);
            while x < row.len() && shade(row[x]) == level {
                x += 1;
            }
            if level > 0 {
                let grey = (255.0 * (1.0 - f64::from(level) / GREY_LEVELS)).round() as u8;
                let (x0, y0) = (origin.0 + start as i32 * cell, origin.1 + y as i32 * cell);
                let corner = (origin.0 + x as i32 * cell, y0 + cell);
                let style = RGBColor(grey, grey, grey).filled();
                area.draw(&Rectangle::new([(x0, y0), corner], style))?;
            }
        }
    }
    Ok(())
}

/// Digits in a grid, one row per entry of `rows` (`(caption, images)`): the caption on the
/// left, then the images, each in a thin frame.
pub fn draw_digit_rows<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    title: &str,
    rows: &[(String, Vec<Vec<f32>>)],
) -> FigureResult
where
    DB::ErrorType: 'static,
{
    let area = area.titled(title, TITLE_FONT)?;
    let (width, height) = area.dim_in_pixel();
    let columns = rows
        .iter()
        .map(|(_, images)| images.len())
        .max()
        .unwrap_or(1);
    let caption_width = 70;
    let gap = 8;
    let across = (width as i32 - caption_width - gap) / columns.max(1) as i32 - gap;
    let down = height as i32 / rows.len().max(1) as i32 - gap;
    let cell = (across.min(down) / SIDE as i32).max(1);
    let side = cell * SIDE as i32;
    let font =
        TextStyle::from(figures::LABEL_FONT.into_font()).pos(Pos::new(HPos::Left, VPos::Center));
    for (r, (caption, images)) in rows.iter().enumerate() {
        let top = r as i32 * (side + gap) + gap / 2;
        area.draw_text(caption, &font, (8, top + side / 2))?;
        for (c, image) in images.iter().enumerate() {
            let left = caption_width + c as i32 * (side + gap);
            let frame = [(left - 1, top - 1), (left + side, top + side)];
            let grey = RGBColor(190, 190, 190).stroke_width(1);
            area.draw(&Rectangle::new(frame, grey))?;
            draw_digit(&area, image, (left, top), cell)?;
        }
    }
    Ok(())
}

/// A trial of the search as a point: its learning rate, its weight-decay strength and its
/// validation accuracy.
pub type TrialPoint = (f64, f64, f64);

/// Validation accuracy against one hyperparameter on a logarithmic x axis, every trial a dot,
/// the `best` first trials in their own colour.
fn draw_trials_against<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    (title, x_label): (&str, &str),
    points: &[(f64, f64)],
    best: usize,
) -> FigureResult
where
    DB::ErrorType: 'static,
{
    let x_range = decades_of(points.iter().map(|p| p.0));
    let mut chart =
        figures::panel(area, title).build_cartesian_2d(x_range.log_scale(), 0f64..1f64)?;
    figures::axes(&mut chart, x_label, "validation accuracy")
        .x_label_formatter(&power_of_ten_label)
        .draw()?;
    let (top, rest) = points.split_at(best.min(points.len()));
    let style = color(0).mix(0.6).filled();
    chart
        .draw_series(rest.iter().map(|&p| Circle::new(p, 4, style)))?
        .label("a trial")
        .legend(figures::dot_key(style));
    let style = color(1).filled();
    chart
        .draw_series(top.iter().map(|&p| Circle::new(p, 5, style)))?
        .label(format!("the best {best}"))
        .legend(figures::dot_key(style));
    figures::legend(&mut chart, SeriesLabelPosition::UpperLeft)
}

/// Every trial of a search, best first, `(learning rate, weight decay, validation accuracy)`:
/// validation accuracy against the learning rate and against the weight-decay strength, side
/// by side, the `best` first trials marked.
pub fn draw_search<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    title: &str,
    trials: &[TrialPoint],
    best: usize,
) -> FigureResult
where
    DB::ErrorType: 'static,
{
    let area = area.titled(title, TITLE_FONT)?;
    let panels = area.split_evenly((1, 2));
    let by_lr: Vec<(f64, f64)> = trials.iter().map(|&(lr, _, acc)| (lr, acc)).collect();
    let by_wd: Vec<(f64, f64)> = trials.iter().map(|&(_, wd, acc)| (wd, acc)).collect();
    draw_trials_against(
        &panels[0],
        ("against the learning rate", "learning rate η"),
        &by_lr,
        best,
    )?;
    draw_trials_against(
        &panels[1],
        ("against the weight decay", "weight decay λ"),
        &by_wd,
        best,
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn decades_enclose_the_positive_values() {
        let s = Series::new("", vec![(0.0, 3e-4), (1.0, 0.2), (2.0, 0.0)]);
        assert_eq!(decades(std::iter::once(&s)), 1e-4..1.0);
        let flat = Series::new("", vec![(0.0, 1.0)]);
        assert_eq!(decades(std::iter::once(&flat)), 1.0..10.0);
    }
}
