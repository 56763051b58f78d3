//! A photo of digits is harder than a drawing: the light falls unevenly, the paper has lines and
//! specks, the page is turned a little, pens are thin or thick, digits crowd together. Each step
//! here undoes one of those, on a mask of ink (1) and paper (0), before the digits are cut out
//! and prepared as MNIST's were.

use anyhow::{Result, ensure};

use super::{
    BOX, BoundingBox, Component, Digit, FIELD, Image, MIN_DIGIT_HEIGHT, Preprocessed,
    centre_by_mass, connected_components, crop_digit, find_digits, fit_in_box,
};

/// Sauvola's constants: how far below the local mean ink must be, and the largest standard
/// deviation of grey levels in `[0, 1]`.
pub const SAUVOLA_K: f32 = 0.2;
pub const SAUVOLA_R: f32 = 0.5;
/// The window of the local threshold reaches this fraction of the image's shorter side.
pub const WINDOW_FRACTION: f64 = 0.12;
/// A row (or column) holds a ruled line when thin ink covers at least this fraction of it (a
/// digit, with a margin of its height around it as the page asks, covers at most a third)...
pub const LINE_LENGTH_FRACTION: f64 = 0.5;
/// ... thin meaning at most this many pixels thick across the row.
pub const LINE_THICKNESS: usize = 8;
/// The steepest turn of the page looked for, in degrees, and the step.
pub const MAX_TURN: f64 = 8.0;
pub const TURN_STEP: f64 = 0.25;
/// MNIST's strokes are this many pixels wide, in digits that fit a 20×20 box (measured by
/// [`stroke_width`] on its first 1000 test digits, pixels of at least ½ counted as ink; see the
/// tests).
pub const MNIST_STROKE: f64 = 1.95;
/// A mark wider than this many times its height holds digits that touch.
pub const TOUCHING_RATIO: f64 = 1.5;

/// Sums of `values` over rectangles in constant time: `sums[(y)(w+1) + x]` is the sum of the
/// values above and to the left of pixel `(x, y)` (an integral image).
///
/// ```
/// use ch13_mnist::handwriting::IntegralImage;
/// let sums = IntegralImage::new(3, 2, &[1.0, 2.0, 3.0, 4.0, 5.0, 6.0]);
/// assert_eq!(sums.sum(0, 0, 3, 2), 21.0);
/// assert_eq!(sums.sum(1, 1, 3, 2), 11.0); // 5 + 6
/// ```
// ANCHOR: integral
pub struct IntegralImage {
    width: usize,
    sums: Vec<f64>,
}

impl IntegralImage {
    pub fn new(width: usize, height: usize, values: &[f32]) -> Self {
        let mut sums = vec![0.0; (width + 1) * (height + 1)];
        for y in 0..height {
            let mut row = 0.0;
            for x in 0..width {
                row += f64::from(values[y * width + x]);
                sums[(y + 1) * (width + 1) + x + 1] = sums[y * (width + 1) + x + 1] + row;
            }
        }
        IntegralImage { width, sums }
    }

    /// The sum over columns `left..right`, rows `top..bottom`.
    pub fn sum(&self, left: usize, top: usize, right: usize, bottom: usize) -> f64 {
        let at = |x: usize, y: usize| self.sums[y * (self.width + 1) + x];
        at(right, bottom) - at(left, bottom) - at(right, top) + at(left, top)
    }
}
// ANCHOR_END: integral

/// Ink by a local threshold (Sauvola's): a pixel is ink when it is darker than a threshold set
/// by the mean `m` and standard deviation `s` of the grey levels in a window around it, so a
/// shadow or light falling off across the page moves the threshold with it. A dark page is
/// inverted first ([`light_paper`]). Returns the mask, 1 for ink and 0 for paper.
///
/// ```text
/// T = m · (1 + k · (s / R − 1))        ink where v < T
/// ```
///
/// ```
/// use ch13_mnist::handwriting::{local_threshold, Image};
/// // paper darkening from 0.9 to 0.4 across, one stroke a little darker than its paper
/// let mut photo = Image::new(60, 20, (0..1200).map(|i| 0.9 - (i % 60) as f32 / 120.0).collect());
/// for y in 0..20 {
///     photo.set(50, y, 0.2);
/// }
/// let ink = local_threshold(&photo);
/// assert_eq!((ink.at(50, 10), ink.at(45, 10), ink.at(5, 10)), (1.0, 0.0, 0.0));
/// ```
// ANCHOR: local_threshold
pub fn local_threshold(image: &Image) -> Image {
    let (w, h) = (image.width, image.height);
    let (means, deviations) = local_mean_and_deviation(image, window_radius(image));
    let light_paper = light_paper(image);
    let mut ink = Image::zeros(w, h);
    for (i, &v) in image.pixels.iter().enumerate() {
        let (v, m) = match light_paper {
            true => (v, means[i]),
            false => (1.0 - v, 1.0 - means[i]), // a dark page, inverted
        };
        let threshold = m * (1.0 + SAUVOLA_K * (deviations[i] / SAUVOLA_R - 1.0));
        if v < threshold {
            ink.pixels[i] = 1.0;
        }
    }
    ink
}
// ANCHOR_END: local_threshold

/// Whether the paper is lighter than the ink. The marks are the few pixels far from the level
/// of their surroundings, so the cubes of the differences from the local mean add up to a
/// negative sum when they are darker (light paper) and to a positive one when they are lighter
/// (a dark page); the cube makes the marks count more than shadows and noise.
///
/// ```text
/// light paper  ⇔  Σ (v − m)³ ≤ 0
/// ```
///
/// ```
/// use ch13_mnist::handwriting::{light_paper, Image};
/// let mut page = Image::new(40, 40, vec![0.3; 1600]); // grey paper in shadow...
/// page.set(20, 20, 0.05); // ...and a darker mark
/// assert!(light_paper(&page));
/// page.set(20, 20, 0.9); // a lighter one: chalk on a board
/// assert!(!light_paper(&page));
/// ```
// ANCHOR: light_paper
pub fn light_paper(image: &Image) -> bool {
    let (means, _) = local_mean_and_deviation(image, window_radius(image));
    let cubes = image
        .pixels
        .iter()
        .zip(&means)
        .map(|(v, m)| f64::from(v - m).powi(3));
    cubes.sum::<f64>() <= 0.0
}
// ANCHOR_END: light_paper

/// The local threshold's window reaches this many pixels around each pixel.
fn window_radius(image: &Image) -> usize {
    ((image.width.min(image.height) as f64 * WINDOW_FRACTION) as usize).max(3)
}

/// The mean and standard deviation of the grey levels in the window reaching `r` pixels around
/// each pixel, from two integral images.
fn local_mean_and_deviation(image: &Image, r: usize) -> (Vec<f32>, Vec<f32>) {
    let (w, h) = (image.width, image.height);
    let squares: Vec<f32> = image.pixels.iter().map(|v| v * v).collect();
    let sums = IntegralImage::new(w, h, &image.pixels);
    let sums_of_squares = IntegralImage::new(w, h, &squares);
    let (mut means, mut deviations) = (Vec::with_capacity(w * h), Vec::with_capacity(w * h));
    for y in 0..h {
        let (top, bottom) = (y.saturating_sub(r), (y + r + 1).min(h));
        for x in 0..w {
            let (left, right) = (x.saturating_sub(r), (x + r + 1).min(w));
            let n = ((right - left) * (bottom - top)) as f64;
            let m = sums.sum(left, top, right, bottom) / n;
            let variance = sums_of_squares.sum(left, top, right, bottom) / n - m * m;
            means.push(m as f32);
            deviations.push(variance.max(0.0).sqrt() as f32);
        }
    }
    (means, deviations)
}

/// The mask turned by `degrees` about its centre (positive: anticlockwise on the screen, with
/// y growing downwards), each new pixel the old pixel nearest to where it came from.
///
/// ```
/// use ch13_mnist::handwriting::{rotate, Image};
/// let mut mask = Image::zeros(5, 5);
/// mask.set(4, 2, 1.0); // right of the centre
/// assert_eq!(rotate(&mask, 90.0).at(2, 0), 1.0); // now above it
/// ```
// ANCHOR: rotate
pub fn rotate(mask: &Image, degrees: f64) -> Image {
    let (sin, cos) = degrees.to_radians().sin_cos();
    let (cx, cy) = (
        (mask.width - 1) as f64 / 2.0,
        (mask.height - 1) as f64 / 2.0,
    );
    let mut out = Image::zeros(mask.width, mask.height);
    for y in 0..mask.height {
        for x in 0..mask.width {
            let (dx, dy) = (x as f64 - cx, y as f64 - cy);
            // where this pixel was before the turn
            let (ox, oy) = (cx + cos * dx - sin * dy, cy + sin * dx + cos * dy);
            let (ox, oy) = (ox.round(), oy.round());
            if ox >= 0.0 && oy >= 0.0 && (ox as usize) < mask.width && (oy as usize) < mask.height {
                out.set(x, y, mask.at(ox as usize, oy as usize));
            }
        }
    }
    out
}
// ANCHOR_END: rotate

/// The grey picture turned by `degrees` as [`rotate`] turns a mask, so that it matches the
/// mask the digits' boxes were found in; the corners the turn uncovers are white on light paper
/// (its negative is turned, and turned back) and black on dark paper.
///
/// ```
/// use ch13_mnist::handwriting::{turn_page, Image};
/// let page = Image::new(9, 5, vec![0.9; 45]);
/// let turned = turn_page(&page, 30.0, true);
/// assert_eq!((turned.at(4, 2), turned.at(0, 0)), (0.9, 1.0)); // the page, and a corner
/// ```
pub fn turn_page(page: &Image, degrees: f64, light_paper: bool) -> Image {
    let negative = |image: &Image| {
        let pixels = image.pixels.iter().map(|v| 1.0 - v).collect();
        Image::new(image.width, image.height, pixels)
    };
    match (degrees == 0.0, light_paper) {
        (true, _) => page.clone(),
        (false, true) => negative(&rotate(&negative(page), degrees)),
        (false, false) => rotate(page, degrees),
    }
}

/// How far the page is turned, in degrees: the turn that makes the ink's rows sharpest. Ruled
/// lines and the digits' line run along the page, so when the page is straight the ink sums to
/// a few high rows and many empty ones; the sum of the squared row sums is then largest.
///
/// ```
/// use ch13_mnist::handwriting::{page_turn, rotate, Image};
/// let mut mask = Image::zeros(200, 60);
/// for x in 10..190 {
///     mask.set(x, 30, 1.0); // a ruled line
/// }
/// let turned = rotate(&mask, -4.0);
/// assert!((page_turn(&turned) - 4.0).abs() <= 0.25);
/// ```
// ANCHOR: page_turn
pub fn page_turn(mask: &Image) -> f64 {
    let ink: Vec<(f64, f64)> = (0..mask.pixels.len())
        .filter(|&i| mask.pixels[i] > 0.5)
        .map(|i| ((i % mask.width) as f64, (i / mask.width) as f64))
        .collect();
    let steps = (MAX_TURN / TURN_STEP) as i32;
    let sharpness = |degrees: f64| {
        let (sin, cos) = degrees.to_radians().sin_cos();
        let mut rows = vec![0.0; 2 * (mask.width + mask.height)];
        for &(x, y) in &ink {
            // the row this pixel falls in once the page is turned by `degrees`
            let row = -sin * x + cos * y + mask.width as f64;
            rows[row.round() as usize] += 1.0;
        }
        rows.iter().map(|r| r * r).sum::<f64>()
    };
    let turns = (-steps..=steps).map(|i| f64::from(i) * TURN_STEP);
    turns
        .max_by(|&a, &b| sharpness(a).total_cmp(&sharpness(b)))
        .unwrap_or(0.0)
}
// ANCHOR_END: page_turn

/// The mask with the ruled or squared paper's lines taken out: in every row (or column) where
/// thin ink — no more than [`LINE_THICKNESS`] pixels thick across the row — covers at least
/// [`LINE_LENGTH_FRACTION`] of it, wherever the threshold has broken the line, the thin ink is
/// removed. Where a digit's stroke crosses a line, the ink across is thick, so the stroke
/// stays.
///
/// ```
/// use ch13_mnist::handwriting::{remove_lines, Image};
/// let mut mask = Image::zeros(100, 40);
/// for x in 0..100 {
///     mask.set(x, 20, 1.0); // a ruled line
/// }
/// for y in 12..28 {
///     mask.set(50, y, 1.0); // a "1" across it
/// }
/// let clean = remove_lines(&mask);
/// assert_eq!((clean.at(10, 20), clean.at(50, 20), clean.at(50, 25)), (0.0, 1.0, 1.0));
/// ```
// ANCHOR: remove_lines
pub fn remove_lines(mask: &Image) -> Image {
    let rows = remove_runs(mask, false);
    let columns = remove_runs(mask, true);
    let pixels = rows
        .pixels
        .iter()
        .zip(&columns.pixels)
        .map(|(a, b)| a.min(*b))
        .collect();
    Image::new(mask.width, mask.height, pixels)
}

/// [`remove_lines`] along the rows, or along the columns if `down`.
fn remove_runs(mask: &Image, down: bool) -> Image {
    let (along, across) = match down {
        false => (mask.width, mask.height),
        true => (mask.height, mask.width),
    };
    let at = |i: usize, j: usize| if down { mask.at(j, i) } else { mask.at(i, j) };
    // how thick the ink is across the row at (i, j)
    let thickness = |i: usize, j: usize| {
        let up = (0..j).rev().take_while(|&k| at(i, k) > 0.5).count();
        let below = (j + 1..across).take_while(|&k| at(i, k) > 0.5).count();
        up + 1 + below
    };
    let thin: Vec<Vec<bool>> = (0..across)
        .map(|j| {
            (0..along)
                .map(|i| at(i, j) > 0.5 && thickness(i, j) <= LINE_THICKNESS)
                .collect()
        })
        .collect();
    let mut out = mask.clone();
    for j in 0..across {
        // a line left a little slanted runs through neighbouring rows: count them together
        let band = j.saturating_sub(1)..(j + 2).min(across);
        let covered = (0..along)
            .filter(|&i| band.clone().any(|k| thin[k][i]))
            .count();
        if covered as f64 >= LINE_LENGTH_FRACTION * along as f64 {
            for i in (0..along).filter(|&i| thin[j][i]) {
                let (x, y) = if down { (j, i) } else { (i, j) };
                out.set(x, y, 0.0);
            }
        }
    }
    out
}
// ANCHOR_END: remove_lines

/// The stroke width of a mask of ink, in pixels: twice its area over its perimeter (a stroke of
/// width `w` and length `ℓ` has area `w ℓ` and a perimeter of about `2ℓ`). The perimeter counts
/// the ink pixels' sides that face paper.
///
/// ```
/// use ch13_mnist::handwriting::{stroke_width, Image};
/// let mut mask = Image::zeros(60, 60);
/// for y in 5..55 {
///     for x in 20..26 {
///         mask.set(x, y, 1.0); // a stroke 6 wide, 50 long
///     }
/// }
/// assert!((stroke_width(&mask) - 6.0).abs() < 0.8);
/// ```
// ANCHOR: stroke_width
pub fn stroke_width(mask: &Image) -> f64 {
    let ink = |x: isize, y: isize| {
        x >= 0
            && y >= 0
            && (x as usize) < mask.width
            && (y as usize) < mask.height
            && mask.at(x as usize, y as usize) > 0.5
    };
    let (mut area, mut perimeter) = (0.0, 0.0);
    for y in 0..mask.height as isize {
        for x in 0..mask.width as isize {
            if ink(x, y) {
                area += 1.0;
                let sides = [(x - 1, y), (x + 1, y), (x, y - 1), (x, y + 1)];
                perimeter += sides.iter().filter(|&&(a, b)| !ink(a, b)).count() as f64;
            }
        }
    }
    if perimeter > 0.0 {
        2.0 * area / perimeter
    } else {
        0.0
    }
}
// ANCHOR_END: stroke_width

/// The mask's strokes made `by` pixels thicker on every side (positive) or thinner (negative):
/// each pixel takes the largest (or smallest) value within `|by|` pixels across and down.
///
/// ```
/// use ch13_mnist::handwriting::{thicken, Image};
/// let mut mask = Image::zeros(9, 9);
/// mask.set(4, 4, 1.0);
/// let thick = thicken(&mask, 1);
/// assert_eq!(thick.pixels.iter().sum::<f32>(), 9.0); // a 3×3 square
/// assert_eq!(thicken(&thick, -1), mask);
/// ```
// ANCHOR: thicken
pub fn thicken(mask: &Image, by: isize) -> Image {
    let r = by.unsigned_abs();
    let pick = |a: f32, b: f32| if by > 0 { a.max(b) } else { a.min(b) };
    let (w, h) = (mask.width, mask.height);
    let mut across = mask.clone();
    for y in 0..h {
        for x in 0..w {
            let near = x.saturating_sub(r)..(x + r + 1).min(w);
            across.set(
                x,
                y,
                near.map(|nx| mask.at(nx, y)).reduce(pick).unwrap_or(0.0),
            );
        }
    }
    let mut out = across.clone();
    for y in 0..h {
        for x in 0..w {
            let near = y.saturating_sub(r)..(y + r + 1).min(h);
            out.set(
                x,
                y,
                near.map(|ny| across.at(x, ny)).reduce(pick).unwrap_or(0.0),
            );
        }
    }
    out
}
// ANCHOR_END: thicken

/// A digit's mask with strokes that are too thin for its size thickened to MNIST's: once the
/// digit is scaled to fit 20×20, its strokes should be [`MNIST_STROKE`] pixels wide. Strokes
/// that are too thick are left as they are: thinning them (by [`thicken`] with a negative
/// width) closed loops and cost more digits on the shipped photos than it saved.
///
/// ```
/// use ch13_mnist::handwriting::{normalise_stroke, stroke_width, Image, MNIST_STROKE};
/// let mut thin = Image::zeros(60, 100);
/// for y in 5..95 {
///     thin.set(30, y, 1.0); // a "1" one pixel wide, 90 tall
/// }
/// let normal = normalise_stroke(&thin);
/// let wanted = MNIST_STROKE * 90.0 / 20.0;
/// assert!((stroke_width(&normal) - wanted).abs() < 3.0);
/// ```
// ANCHOR: normalise_stroke
pub fn normalise_stroke(digit: &Image) -> Image {
    let wanted = MNIST_STROKE * digit.width.max(digit.height) as f64 / BOX as f64;
    let width = stroke_width(digit);
    let by = ((wanted - width) / 2.0).round() as isize; // on each side
    if by < 1 || width == 0.0 {
        return digit.clone(); // thick enough
    }
    thicken(&pad(digit, by.unsigned_abs()), by)
}

/// The image with `r` columns of paper added on each side, and `r` rows above and below.
fn pad(image: &Image, r: usize) -> Image {
    let mut out = Image::zeros(image.width + 2 * r, image.height + 2 * r);
    for y in 0..image.height {
        for x in 0..image.width {
            out.set(x + r, y + r, image.at(x, y));
        }
    }
    out
}
// ANCHOR_END: normalise_stroke

/// A mark holding several digits that touch, split where the ink is thinnest. A mark wider than
/// [`TOUCHING_RATIO`] times `height` (a digit's usual height) is cut into as many pieces as fit,
/// each cut at the column with the least ink near where an even split would put it.
///
/// ```
/// use ch13_mnist::handwriting::{connected_components, split_touching, Image};
/// let mut ink = Image::zeros(80, 40);
/// for x in 5..75 {
///     ink.set(x, 20, 1.0); // a thin join...
/// }
/// for y in 5..35 {
///     for x in [8, 9, 10, 30, 31, 48, 49, 50, 70, 71] {
///         ink.set(x, y, 1.0); // ...between two "0"-like marks
///     }
/// }
/// let mark = connected_components(&ink, 0.5).remove(0);
/// assert_eq!(split_touching(mark, 40).len(), 2);
/// ```
// ANCHOR: split_touching
pub fn split_touching(mark: Component, height: usize) -> Vec<Component> {
    let b = mark.bbox;
    let pieces = (b.width() as f64 / (0.75 * height as f64)).round() as usize;
    if (b.width() as f64) < TOUCHING_RATIO * height as f64 || pieces < 2 {
        return vec![mark];
    }
    let mut ink_in_column = vec![0usize; b.width()];
    for &(x, _) in &mark.pixels {
        ink_in_column[x - b.left] += 1;
    }
    let step = b.width() / pieces;
    let mut cuts = vec![b.left];
    for p in 1..pieces {
        let near = p * step - step / 3..p * step + step / 3; // around the even split
        let thinnest = near.min_by_key(|&c| ink_in_column[c]).unwrap_or(p * step);
        cuts.push(b.left + thinnest);
    }
    cuts.push(b.right);
    cuts.windows(2)
        .filter_map(|cut| {
            let pixels: Vec<(usize, usize)> = mark
                .pixels
                .iter()
                .copied()
                .filter(|&(x, _)| (cut[0]..cut[1]).contains(&x))
                .collect();
            let first = *pixels.first()?;
            let bbox = pixels
                .iter()
                .fold(BoundingBox::at(first.0, first.1), |b, &(x, y)| {
                    b.union(&BoundingBox::at(x, y))
                });
            Some(Component { pixels, bbox })
        })
        .collect()
}
// ANCHOR_END: split_touching

/// The mask with its specks removed: marks with fewer than a tenth as many pixels as the median
/// of the marks at least a tenth as large as the largest (the digits).
///
/// ```
/// use ch13_mnist::handwriting::{remove_specks, Image};
/// let mut mask = Image::zeros(40, 20);
/// for y in 2..18 {
///     mask.set(5, y, 1.0);
///     mask.set(30, y, 1.0);
/// }
/// mask.set(18, 10, 1.0); // a speck
/// let clean = remove_specks(&mask);
/// assert_eq!((clean.at(18, 10), clean.at(5, 10)), (0.0, 1.0));
/// ```
// ANCHOR: remove_specks
pub fn remove_specks(mask: &Image) -> Image {
    let marks = connected_components(mask, 0.5);
    let largest = marks.iter().map(|m| m.pixels.len()).max().unwrap_or(0);
    let mut sizes: Vec<usize> = marks
        .iter()
        .map(|m| m.pixels.len())
        .filter(|&n| 10 * n >= largest)
        .collect();
    sizes.sort();
    let typical = sizes.get(sizes.len() / 2).copied().unwrap_or(0);
    let mut clean = Image::zeros(mask.width, mask.height);
    for mark in marks.iter().filter(|m| 10 * m.pixels.len() >= typical) {
        for &(x, y) in &mark.pixels {
            clean.set(x, y, 1.0);
        }
    }
    clean
}
// ANCHOR_END: remove_specks

/// The photo as a clean mask of ink: thresholded locally, turned straight, its paper's lines and
/// its specks removed. Returns the mask and the turn it was given, in degrees.
// ANCHOR: clean_ink
pub fn clean_ink(image: &Image) -> (Image, f64) {
    let ink = local_threshold(image);
    let turn = page_turn(&ink);
    let straight = if turn == 0.0 { ink } else { rotate(&ink, turn) };
    (remove_specks(&remove_lines(&straight)), turn)
}
// ANCHOR_END: clean_ink

/// Prepares every digit of a photo as MNIST prepared its digits, the photo's troubles undone
/// first: [`clean_ink`], the digits found (those that touch split apart), each cut out, its
/// strokes made as wide as MNIST's, scaled to fit 20×20 and centred by mass in 28×28.
///
/// ```
/// use ch13_mnist::handwriting::{preprocess_photo, Image};
/// let mut page = Image::new(60, 40, vec![0.9; 2400]);
/// for y in 12..28 {
///     for x in 28..31 {
///         page.set(x, y, 0.1); // a "1"
///     }
/// }
/// assert_eq!(preprocess_photo(&page)?.digits.len(), 1);
/// # Ok::<(), anyhow::Error>(())
/// ```
// ANCHOR: preprocess_photo
pub fn preprocess_photo(image: &Image) -> Result<Preprocessed> {
    let (ink, turn) = clean_ink(image);
    let marks = find_digits(&ink);
    ensure!(
        !marks.is_empty(),
        "found no ink: the image is blank (a digit needs strokes that stand out from the paper)"
    );
    let mut heights: Vec<usize> = marks.iter().map(|m| m.bbox.height()).collect();
    heights.sort();
    let (tallest, typical) = (heights[heights.len() - 1], heights[heights.len() / 2]);
    ensure!(
        tallest >= MIN_DIGIT_HEIGHT,
        "the tallest mark is {tallest} pixels high: too small to be a digit \
         (write digits at least {MIN_DIGIT_HEIGHT} pixels tall)"
    );
    let mut digits = Vec::new();
    for mark in marks.into_iter().flat_map(|m| split_touching(m, typical)) {
        let cut = normalise_stroke(&crop_digit(&ink, &mark));
        let image = centre_by_mass(&fit_in_box(&cut, BOX), FIELD);
        digits.push(Digit {
            bbox: mark.bbox,
            image,
        });
    }
    Ok(Preprocessed {
        light_paper: light_paper(image),
        turn,
        digits,
    })
}
// ANCHOR_END: preprocess_photo

#[cfg(test)]
mod tests;
