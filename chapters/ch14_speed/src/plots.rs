//! The chapter's figures: horizontal bar charts, generic over the plotters backend (SVG for the
//! book, inline in a notebook).

use figures::{FigureResult, LABEL_FONT, color};
use plotters::coord::Shift;
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, Pos, VPos};

/// One bar: its label, its length, the text written after it, and its colour (an index into
/// the book's palette).
#[derive(Debug, Clone, PartialEq)]
pub struct Bar {
    pub label: String,
    pub value: f64,
    pub note: String,
    pub color: usize,
}

/// A horizontal bar chart, first bar at the top, with an optional vertical line marking a
/// reference value (a peak).
#[derive(Debug, Clone, PartialEq)]
pub struct Bars {
    pub title: String,
    pub x_label: String,
    pub bars: Vec<Bar>,
    pub reference: Option<(f64, String)>,
}

/// Draws a [`Bars`] chart; each bar's label and note are written on it and after it.
pub fn draw_bars<DB: DrawingBackend>(area: &DrawingArea<DB, Shift>, chart: &Bars) -> FigureResult
where
    DB::ErrorType: 'static,
{
    let n = chart.bars.len().max(1) as f64;
    let longest = chart.bars.iter().map(|b| b.value).fold(0.0, f64::max);
    let reach = chart
        .reference
        .as_ref()
        .map_or(longest, |r| r.0.max(longest));
    let x_max = if reach > 0.0 { reach * 1.8 } else { 1.0 }; // room for the notes
    let mut plot = figures::chart(area, &chart.title)
        .y_label_area_size(10) // no y axis: the bars carry their labels
        .build_cartesian_2d(0.0..x_max, 0.0..n)?;
    figures::axes(&mut plot, &chart.x_label, "")
        .disable_y_mesh()
        .disable_y_axis()
        .draw()?;
    for (i, bar) in chart.bars.iter().enumerate() {
        let top = n - i as f64; // the first bar at the top
        let (y0, y1) = (top - 0.85, top - 0.15);
        let fill = color(bar.color).mix(0.75).filled();
        plot.draw_series([Rectangle::new([(0.0, y0), (bar.value, y1)], fill)])?;
        let middle = (y0 + y1) / 2.0;
        let style = TextStyle::from(LABEL_FONT.into_font()).pos(Pos::new(HPos::Left, VPos::Center));
        let text = format!("{}  {}", bar.label, bar.note);
        plot.draw_series([Text::new(text, (bar.value + x_max * 0.01, middle), style)])?;
    }
    if let Some((value, label)) = &chart.reference {
        let line = BLACK.stroke_width(2);
        plot.draw_series(DashedLineSeries::new(
            [(*value, 0.0), (*value, n)],
            6,
            4,
            line,
        ))?
        .label(label.as_str())
        .legend(figures::line_key(line));
        figures::legend(&mut plot, SeriesLabelPosition::LowerRight)?;
    }
    Ok(())
}
