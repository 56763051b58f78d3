//! The chapter's figures, generic over the plotters backend (SVG for the book, inline in a
//! notebook): grids of digits, training curves, the confusion matrix and the handwriting.

use figures::{FigureResult, LABEL_FONT, LineChart, Series, TICK_FONT, TITLE_FONT};
use plotters::coord::Shift;
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, Pos, VPos};

use crate::handwriting::{BoundingBox, Digit, Image};
use crate::{CLASSES, Confusion, History};

/// How many grey levels a digit is drawn with: enough for the soft edges, few enough that
/// neighbouring pixels of one level merge into one rectangle and the SVG stays small.
const GREY_LEVELS: f32 = 8.0;
/// How many cells across the photo of the figure of the steps for photos is drawn with.
const PHOTO_CELLS: usize = 160;
/// The colour of the frame around each digit.
const FRAME: RGBColor = RGBColor(200, 200, 200);

/// One digit of a grid: its pixels (ink in `[0, 1]`, row by row, `width` per row), a caption
/// under it, and whether to draw the caption as a mistake (in the palette's vermillion).
#[derive(Debug, Clone, PartialEq)]
pub struct Tile {
    pub pixels: Vec<f32>,
    pub width: usize,
    pub caption: String,
    pub wrong: bool,
}

impl Tile {
    /// A tile of a 28×28 (or any square) image.
    pub fn new(pixels: &[f32], caption: impl Into<String>) -> Self {
        let width = (pixels.len() as f64).sqrt().round() as usize;
        Tile {
            pixels: pixels.to_vec(),
            width,
            caption: caption.into(),
            wrong: false,
        }
    }

    /// The same tile with its caption marked as a mistake.
    pub fn wrong(mut self) -> Self {
        self.wrong = true;
        self
    }
}

/// Tiles of the images `indices` of `split`, each captioned by `caption(i)`.
pub fn tiles_of(
    split: &mnist::Split,
    indices: impl IntoIterator<Item = usize>,
    caption: impl Fn(usize) -> String,
) -> Vec<Tile> {
    indices
        .into_iter()
        .map(|i| Tile::new(&crate::data::normalised_image(split, i), caption(i)))
        .collect()
}

/// Tiles of the misclassified images `wrong` (rows of `x`), captioned `predicted/true` in the
/// colour of a mistake.
pub fn mistake_tiles<F: ch03_layers::Float>(
    x: &ndarray::Array2<F>,
    predicted: &[usize],
    t: &[usize],
    wrong: &[usize],
) -> Vec<Tile> {
    wrong
        .iter()
        .map(|&i| {
            let pixels: Vec<f32> = x.row(i).iter().map(|v| v.to_f32().unwrap_or(0.0)).collect();
            Tile::new(&pixels, format!("{}/{}", predicted[i], t[i])).wrong()
        })
        .collect()
}

/// Draws ink (`[0, 1]`, `width` pixels per row) dark on white, each pixel a `cell`-sized
/// square with its top-left corner at `origin`. Runs of pixels of the same grey level along
/// a row become one rectangle; empty pixels are not drawn.
fn draw_ink<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    pixels: &[f32],
    width: usize,
    origin: (f64, f64),
    cell: f64,
) -> FigureResult
where
    DB::ErrorType: 'static,
{
    let level = |v: f32| (v.clamp(0.0, 1.0) * GREY_LEVELS).round() as u8;
    let at = |x: usize, y: usize| {
        (
            (origin.0 + x as f64 * cell).round() as i32,
            (origin.1 + y as f64 * cell).round() as i32,
        )
    };
    for (y, row) in pixels.chunks(width).enumerate() {
        let mut x = 0;
        while x < row.len() {
            let l = level(row[x]);
            let start = x;
            while x < row.len() && level(row[x]) == l {
                x += 1;
            }
            if l == 0 {
                continue;
            }
            let grey = 255 - (f32::from(l) / GREY_LEVELS * 255.0).round() as u8;
            let colour = RGBColor(grey, grey, grey);
            area.draw(&Rectangle::new(
                [at(start, y), at(x, y + 1)],
                colour.filled(),
            ))?;
        }
    }
    Ok(())
}

/// A grid of digits with a caption under each, `columns` to a row, under a title.
pub fn draw_digit_grid<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    title: &str,
    tiles: &[Tile],
    columns: usize,
) -> FigureResult
where
    DB::ErrorType: 'static,
{
    let area = area.titled(title, TITLE_FONT)?;
    let rows = tiles.len().div_ceil(columns.max(1)).max(1);
    let cells = area.margin(4, 4, 8, 8).split_evenly((rows, columns.max(1)));
    for (tile, cell) in tiles.iter().zip(&cells) {
        let (w, h) = cell.dim_in_pixel();
        let caption_height = 20.0;
        let side = (f64::from(w) - 6.0)
            .min(f64::from(h) - caption_height - 4.0)
            .max(1.0);
        let rows_of_tile = tile.pixels.len() / tile.width.max(1);
        let pixel = side / tile.width.max(rows_of_tile).max(1) as f64;
        let left = (f64::from(w) - pixel * tile.width as f64) / 2.0;
        let top = 2.0;
        let (right, bottom) = (
            left + pixel * tile.width as f64,
            top + pixel * rows_of_tile as f64,
        );
        cell.draw(&Rectangle::new(
            [
                (left.round() as i32 - 1, top as i32 - 1),
                (right.round() as i32 + 1, bottom.round() as i32 + 1),
            ],
            FRAME.stroke_width(1),
        ))?;
        draw_ink(cell, &tile.pixels, tile.width, (left, top), pixel)?;
        let colour = if tile.wrong { figures::color(1) } else { BLACK };
        let style = TextStyle::from(LABEL_FONT.into_font())
            .color(&colour)
            .pos(Pos::new(HPos::Center, VPos::Top));
        cell.draw_text(
            &tile.caption,
            &style,
            ((f64::from(w) / 2.0) as i32, (bottom + 4.0) as i32),
        )?;
    }
    Ok(())
}

/// The training loss: the mean of every `window` batches, against the epoch (fractions of an
/// epoch between the whole numbers).
pub fn loss_chart(history: &History, window: usize) -> LineChart {
    let batches_per_epoch = history.batch_losses.len() as f64 / history.epochs.len().max(1) as f64;
    let points = ch10_optimizers::block_means(&history.batch_losses, window)
        .into_iter()
        .map(|(last, mean)| ((last + 1) as f64 / batches_per_epoch, mean))
        .collect();
    LineChart::new(
        "Training loss",
        "epoch",
        "cross-entropy loss",
        vec![Series::new(
            format!("mean of every {window} batches"),
            points,
        )],
    )
}

/// Training and validation accuracy after each epoch (training accuracy as the epoch's batches
/// measured it, while the weights were still moving), and a flat line at `target`.
pub fn accuracy_chart(history: &History, target: f64) -> LineChart {
    let series = |label: &str, value: fn(&crate::EpochRecord) -> f64| {
        let points = history
            .epochs
            .iter()
            .map(|e| (e.epoch as f64, value(e)))
            .collect();
        Series::new(label, points)
    };
    LineChart::new(
        "Accuracy after each epoch",
        "epoch",
        "accuracy",
        vec![
            series("training images (during the epoch)", |e| e.train_accuracy),
            series("validation images (after the epoch)", |e| {
                e.validation_accuracy
            }),
            Series::new(
                format!("the target on the test images, {:.0}%", 100.0 * target),
                vec![(1.0, target), (history.epochs.len().max(1) as f64, target)],
            ),
        ],
    )
    .legend_at(SeriesLabelPosition::LowerRight)
}

/// The confusion matrix as a heat map: true digit down, predicted digit across, the count in
/// every cell. Right answers (the diagonal) are shaded blue by their count, mistakes vermillion
/// by theirs (on a scale of their own, or they would all look white next to the diagonal).
pub fn draw_confusion<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    confusion: &Confusion,
) -> FigureResult
where
    DB::ErrorType: 'static,
{
    let total: usize = confusion.iter().flatten().sum();
    let max_right = (0..CLASSES)
        .map(|k| confusion[k][k])
        .max()
        .unwrap_or(1)
        .max(1);
    let max_wrong = (0..CLASSES)
        .flat_map(|t| {
            (0..CLASSES)
                .filter(move |&p| p != t)
                .map(move |p| confusion[t][p])
        })
        .max()
        .unwrap_or(1)
        .max(1);
    let last = (CLASSES - 1) as f64;
    let title = format!("Confusion matrix, {total} test images");
    let mut chart =
        figures::chart(area, &title).build_cartesian_2d(-0.5..last + 0.5, -0.5..last + 0.5)?;
    figures::axes(&mut chart, "predicted digit", "true digit")
        .disable_mesh()
        .x_labels(CLASSES)
        .y_labels(CLASSES)
        .x_label_formatter(&|v| format!("{}", v.round()))
        .y_label_formatter(&|v| format!("{}", last - v.round())) // 0 at the top
        .draw()?;
    let blue = figures::color(0);
    let vermillion = figures::color(1);
    for (t, row) in confusion.iter().enumerate() {
        for (p, &count) in row.iter().enumerate() {
            let (x, y) = (p as f64, last - t as f64);
            let (colour, strength) = if t == p {
                (blue, count as f64 / max_right as f64)
            } else {
                (vermillion, (count as f64 / max_wrong as f64).sqrt())
            };
            chart.draw_series([Rectangle::new(
                [(x - 0.5, y - 0.5), (x + 0.5, y + 0.5)],
                colour.mix(0.9 * strength).filled(),
            )])?;
            let ink = if strength > 0.55 { WHITE } else { BLACK };
            let style = TextStyle::from(TICK_FONT.into_font())
                .color(&ink)
                .pos(Pos::new(HPos::Center, VPos::Center));
            chart.draw_series([Text::new(count.to_string(), (x, y), style)])?;
        }
    }
    Ok(())
}

/// The reader's page as the program saw it, with a numbered box around each digit it found,
/// and below it each digit as the network sees it (28×28, centred by mass) with the
/// network's answer.
///
/// `page` holds grey levels (0 black, 1 white); it is drawn shrunk to fit.
pub fn draw_handwriting<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    title: &str,
    page: &Image,
    boxes: &[BoundingBox],
    tiles: &[Tile],
) -> FigureResult
where
    DB::ErrorType: 'static,
{
    let area = area.titled(title, TITLE_FONT)?;
    let (_, h) = area.dim_in_pixel();
    let (top, bottom) = area.split_vertically(h * 11 / 20);
    let caption = format!(
        "the image, {}×{} pixels, and the digits found in it",
        page.width, page.height
    );
    draw_page(&top, &caption, page, boxes)?;
    draw_tiles_below(&bottom, tiles)
}

/// The photo, then paper and ink as the steps for photos leave them with a numbered box around
/// each digit found, then each digit as the network sees it with the network's answer.
/// `photo` holds grey levels (0 black, 1 white), `ink` the mask (1 ink, 0 paper).
pub fn draw_photo_steps<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    title: &str,
    photo: &Image,
    ink: &Image,
    boxes: &[BoundingBox],
    tiles: &[Tile],
) -> FigureResult
where
    DB::ErrorType: 'static,
{
    let area = area.titled(title, TITLE_FONT)?;
    let (_, h) = area.dim_in_pixel();
    let (first, rest) = area.split_vertically(h * 3 / 8);
    let (second, third) = rest.split_vertically(h * 3 / 8);
    let caption = format!(
        "the photo, {}×{} pixels once scaled, in grey levels",
        photo.width, photo.height
    );
    // drawn coarser than the mask below: a photo's noise and shadows would take thousands of
    // rectangles at full size
    let across = photo.width.min(PHOTO_CELLS);
    let down = (photo.height * across / photo.width).max(1);
    let coarse = crate::handwriting::resize(photo, across, down);
    draw_page(&first, &caption, &coarse, &[])?;
    let paper = Image::new(
        ink.width,
        ink.height,
        ink.pixels.iter().map(|v| 1.0 - v).collect(),
    );
    let caption =
        "paper and ink: threshold set locally, page turned straight, lines and specks gone";
    draw_page(&second, caption, &paper, boxes)?;
    draw_tiles_below(&third, tiles)
}

/// A page shrunk to fit `top`, with `caption` above it and a numbered box around each of
/// `boxes`.
fn draw_page<DB: DrawingBackend>(
    top: &DrawingArea<DB, Shift>,
    caption: &str,
    page: &Image,
    boxes: &[BoundingBox],
) -> FigureResult
where
    DB::ErrorType: 'static,
{
    let (w, _) = top.dim_in_pixel();
    let (tw, th) = top.dim_in_pixel();
    let scale = (f64::from(tw) - 40.0) / page.width as f64;
    let scale = scale.min((f64::from(th) - 30.0) / page.height as f64);
    // draw the page at most one cell per screen pixel or so
    let cells_across = ((page.width as f64 * scale).round() as usize).clamp(1, page.width);
    let factor = page.width as f64 / cells_across as f64;
    let cells_down = ((page.height as f64 / factor).round() as usize).clamp(1, page.height);
    let shrunk = crate::handwriting::resize(page, cells_across, cells_down);
    let darkness: Vec<f32> = shrunk.pixels.iter().map(|v| 1.0 - v).collect();
    let left = (f64::from(tw) - page.width as f64 * scale) / 2.0;
    let upper = 22.0;
    let cell = page.width as f64 * scale / cells_across as f64;
    let to_screen = |x: usize, y: usize| {
        (
            (left + x as f64 * scale).round() as i32,
            (upper + y as f64 * scale).round() as i32,
        )
    };
    top.draw(&Rectangle::new(
        [to_screen(0, 0), to_screen(page.width, page.height)],
        FRAME.stroke_width(1),
    ))?;
    draw_ink(top, &darkness, cells_across, (left, upper), cell)?;
    top.draw_text(
        caption,
        &TextStyle::from(LABEL_FONT.into_font()).pos(Pos::new(HPos::Center, VPos::Top)),
        ((f64::from(w) / 2.0) as i32, 0),
    )?;
    for (i, b) in boxes.iter().enumerate() {
        let colour = figures::color(i + 1);
        top.draw(&Rectangle::new(
            [to_screen(b.left, b.top), to_screen(b.right, b.bottom)],
            colour.stroke_width(2),
        ))?;
        let (x, y) = to_screen(b.left, b.top);
        top.draw_text(
            &format!("{}", i + 1),
            &TextStyle::from(LABEL_FONT.into_font())
                .color(&colour)
                .pos(Pos::new(HPos::Left, VPos::Bottom)),
            (x, y - 2),
        )?;
    }
    Ok(())
}

/// Each digit as the network sees it, side by side, under a caption.
fn draw_tiles_below<DB: DrawingBackend>(
    bottom: &DrawingArea<DB, Shift>,
    tiles: &[Tile],
) -> FigureResult
where
    DB::ErrorType: 'static,
{
    let (bw, _) = bottom.dim_in_pixel();
    let width = (tiles.len().max(1) as u32 * 130).min(bw);
    let pad = (bw - width) / 2;
    let row = bottom.margin(4, 4, pad, pad);
    row.draw_text(
        "each digit as the network sees it: 28×28, centred by mass",
        &TextStyle::from(LABEL_FONT.into_font()).pos(Pos::new(HPos::Center, VPos::Top)),
        ((width / 2) as i32, 0),
    )?;
    let row = row.margin(22, 0, 0, 0);
    draw_digit_row(&row, tiles)
}

/// Tiles side by side, without a title.
fn draw_digit_row<DB: DrawingBackend>(area: &DrawingArea<DB, Shift>, tiles: &[Tile]) -> FigureResult
where
    DB::ErrorType: 'static,
{
    let cells = area.split_evenly((1, tiles.len().max(1)));
    for (i, (tile, cell)) in tiles.iter().zip(&cells).enumerate() {
        let (w, h) = cell.dim_in_pixel();
        let side = (f64::from(w) - 16.0).min(f64::from(h) - 26.0).max(1.0);
        let pixel = side / tile.width.max(1) as f64;
        let left = (f64::from(w) - side) / 2.0;
        cell.draw(&Rectangle::new(
            [
                (left.round() as i32 - 1, 1),
                ((left + side).round() as i32 + 1, side.round() as i32 + 3),
            ],
            figures::color(i + 1).stroke_width(2),
        ))?;
        draw_ink(cell, &tile.pixels, tile.width, (left, 2.0), pixel)?;
        cell.draw_text(
            &tile.caption,
            &TextStyle::from(LABEL_FONT.into_font()).pos(Pos::new(HPos::Center, VPos::Top)),
            ((f64::from(w) / 2.0) as i32, (side + 8.0) as i32),
        )?;
    }
    Ok(())
}

/// What the network read in a picture, as its figure shows it: the picture's name and grey
/// levels, the digits found in it, and a caption for each (the digit read, its probability).
pub struct Reading {
    pub name: String,
    pub page: Image,
    pub digits: Vec<Digit>,
    pub captions: Vec<String>,
}

/// The figure of a [`Reading`]: the picture with its digits boxed, and each digit as the
/// network saw it.
pub fn draw_reading<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    reading: &Reading,
) -> FigureResult
where
    DB::ErrorType: 'static,
{
    let boxes: Vec<BoundingBox> = reading.digits.iter().map(|d| d.bbox).collect();
    let tiles: Vec<Tile> = reading
        .digits
        .iter()
        .zip(&reading.captions)
        .map(|(d, caption)| Tile::new(&d.image.pixels, caption.clone()))
        .collect();
    let title = format!("Reading {}", reading.name);
    draw_handwriting(area, &title, &reading.page, &boxes, &tiles)
}
