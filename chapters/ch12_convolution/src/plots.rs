//! The chapter's figures, generic over the plotters backend (SVG for the book, inline in a
//! notebook): training curves, grids of small images (filters, feature maps, digits) and the
//! confusion matrix.

use figures::{FigureResult, LABEL_FONT, PANEL_FONT, TICK_FONT, TITLE_FONT};
use plotters::coord::Shift;
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, Pos, VPos};

/// A small image to draw in a grid: its values row by row, `width` to a row, and a caption.
#[derive(Debug, Clone, PartialEq)]
pub struct Tile {
    pub values: Vec<f64>,
    pub width: usize,
    pub caption: String,
    /// Whether to draw the caption in the colour of a mistake.
    pub wrong: bool,
}

impl Tile {
    pub fn new(values: Vec<f64>, width: usize, caption: impl Into<String>) -> Self {
        Tile {
            values,
            width,
            caption: caption.into(),
            wrong: false,
        }
    }
}

/// A row of tiles under a heading.
#[derive(Debug, Clone, PartialEq)]
pub struct TileRow {
    pub heading: String,
    pub tiles: Vec<Tile>,
}

/// Grey levels a tile is drawn with: enough for smooth shades, few enough that neighbouring
/// pixels of one level merge and the SVG stays small.
const LEVELS: f64 = 12.0;

/// Draws `values` (`width` to a row) scaled from their smallest (white) to their largest
/// (black), in the square `side` pixels wide at `(left, top)` of `area`.
fn draw_tile<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    tile: &Tile,
    (left, top): (f64, f64),
    side: f64,
) -> FigureResult
where
    DB::ErrorType: 'static,
{
    let width = tile.width.max(1);
    let rows = tile.values.len() / width;
    let lo = tile.values.iter().copied().fold(f64::INFINITY, f64::min);
    let hi = tile
        .values
        .iter()
        .copied()
        .fold(f64::NEG_INFINITY, f64::max);
    let span = if hi > lo { hi - lo } else { 1.0 };
    let pixel = side / width.max(rows) as f64;
    let at = |x: usize, y: usize| {
        let px = left + pixel * x as f64;
        let py = top + pixel * y as f64;
        (px.round() as i32, py.round() as i32)
    };
    let level = |v: f64| ((v - lo) / span * LEVELS).round();
    for y in 0..rows {
        let row = &tile.values[y * width..(y + 1) * width];
        let mut x = 0;
        while x < width {
            let l = level(row[x]);
            let start = x;
            while x < width && level(row[x]) == l {
                x += 1;
            }
            if l > 0.0 {
                let grey = (255.0 * (1.0 - l / LEVELS)).round() as u8;
                let colour = RGBColor(grey, grey, grey);
                area.draw(&Rectangle::new(
                    [at(start, y), at(x, y + 1)],
                    colour.filled(),
                ))?;
            }
        }
    }
    let frame = RGBColor(190, 190, 190).stroke_width(1);
    let (right, bottom) = at(width, rows);
    let (l, t) = at(0, 0);
    area.draw(&Rectangle::new(
        [(l - 1, t - 1), (right + 1, bottom + 1)],
        frame,
    ))?;
    Ok(())
}

/// Rows of tiles, each row under its heading, each tile `side` pixels wide with its caption
/// under it, under a title.
pub fn draw_tile_rows<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    title: &str,
    rows: &[TileRow],
    side: f64,
) -> FigureResult
where
    DB::ErrorType: 'static,
{
    let area = area.titled(title, TITLE_FONT)?;
    let bands = area.split_evenly((rows.len().max(1), 1));
    for (row, band) in rows.iter().zip(&bands) {
        let band = band.titled(&row.heading, PANEL_FONT)?;
        let (w, _) = band.dim_in_pixel();
        let captioned = row.tiles.iter().any(|t| !t.caption.is_empty());
        let cell = side + 8.0;
        let columns = ((f64::from(w) - 16.0) / cell).floor().max(1.0) as usize;
        let line_height = cell + if captioned { 20.0 } else { 0.0 };
        for (k, tile) in row.tiles.iter().enumerate() {
            let (col, line) = (k % columns, k / columns);
            let left = 8.0 + cell * col as f64;
            let top = 4.0 + line_height * line as f64;
            draw_tile(&band, tile, (left, top), side)?;
            if captioned {
                let colour = if tile.wrong { figures::color(1) } else { BLACK };
                let style = TextStyle::from(TICK_FONT.into_font())
                    .color(&colour)
                    .pos(Pos::new(HPos::Center, VPos::Top));
                let centre = (left + side / 2.0) as i32;
                band.draw_text(&tile.caption, &style, (centre, (top + side + 4.0) as i32))?;
            }
        }
    }
    Ok(())
}

/// The confusion matrix as a heat map: true digit down, predicted digit across, the count in
/// every cell; right answers shaded blue by their count, mistakes vermillion by theirs (on a
/// scale of their own, or they would all look white next to the diagonal).
pub fn draw_confusion<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    title: &str,
    confusion: &[[usize; 10]; 10],
) -> FigureResult
where
    DB::ErrorType: 'static,
{
    let max_right = (0..10).map(|k| confusion[k][k]).max().unwrap_or(1).max(1);
    let wrong = (0..10).flat_map(|t| (0..10).filter(move |&p| p != t).map(move |p| (t, p)));
    let max_wrong = wrong
        .map(|(t, p)| confusion[t][p])
        .max()
        .unwrap_or(1)
        .max(1);
    let mut chart = figures::chart(area, title).build_cartesian_2d(-0.5..9.5, -0.5..9.5)?;
    figures::axes(&mut chart, "predicted digit", "true digit")
        .disable_mesh()
        .x_labels(10)
        .y_labels(10)
        .x_label_formatter(&|v: &f64| format!("{}", v.round()))
        .y_label_formatter(&|v: &f64| format!("{}", 9.0 - v.round())) // 0 at the top
        .draw()?;
    for (t, row) in confusion.iter().enumerate() {
        for (p, &count) in row.iter().enumerate() {
            let (x, y) = (p as f64, 9.0 - t as f64);
            let (colour, strength) = if t == p {
                (figures::color(0), count as f64 / max_right as f64)
            } else {
                (figures::color(1), (count as f64 / max_wrong as f64).sqrt())
            };
            let cell = [(x - 0.5, y - 0.5), (x + 0.5, y + 0.5)];
            chart.draw_series([Rectangle::new(cell, colour.mix(0.9 * strength).filled())])?;
            let ink = if strength > 0.55 { WHITE } else { BLACK };
            let style = TextStyle::from(LABEL_FONT.into_font())
                .color(&ink)
                .pos(Pos::new(HPos::Center, VPos::Center));
            chart.draw_series([Text::new(count.to_string(), (x, y), style)])?;
        }
    }
    Ok(())
}
