//! Each digit made to look like an MNIST digit: cropped to its bounding box, scaled to fit a
//! 20×20 box keeping its aspect ratio, and centred by its centre of mass in a 28×28 field.

use anyhow::{Result, ensure};
use ch03_layers::{Float, float};
use ndarray::Array2;

use super::{BoundingBox, Component, Image, find_digits, to_ink};

/// The shortest mark, in pixels, that can be a digit.
pub const MIN_DIGIT_HEIGHT: usize = 6;
/// The box MNIST scales each digit to fit, and the field it centres it in.
pub const BOX: usize = 20;
pub const FIELD: usize = 28;
/// How far (in pixels) around its strokes a digit keeps the ink when it is cut out: enough
/// for the soft edge of a stroke, too little to bring in a neighbour.
pub const EDGE: usize = 2;

/// Cuts the digit `component` out of `ink`: the pixels of its bounding box, keeping only the
/// ink within [`EDGE`] pixels of one of its own strokes (so a neighbour's stroke that reaches
/// into the box is left out).
///
/// ```
/// use ch13_mnist::handwriting::{connected_components, crop_digit, Image};
/// let mut ink = Image::zeros(10, 10);
/// ink.set(3, 4, 1.0);
/// ink.set(4, 4, 0.8);
/// let mark = &connected_components(&ink, 0.5)[0];
/// let digit = crop_digit(&ink, mark);
/// assert_eq!((digit.width, digit.height), (2, 1));
/// assert_eq!(digit.pixels, [1.0, 0.8]);
/// ```
// ANCHOR: crop
pub fn crop_digit(ink: &Image, component: &Component) -> Image {
    let b = component.bbox;
    let mut digit = Image::zeros(b.width(), b.height());
    for &(x, y) in &component.pixels {
        // the ink within EDGE pixels of this stroke pixel, inside the box
        for ny in y.saturating_sub(EDGE).max(b.top)..(y + EDGE + 1).min(b.bottom) {
            for nx in x.saturating_sub(EDGE).max(b.left)..(x + EDGE + 1).min(b.right) {
                digit.set(nx - b.left, ny - b.top, ink.at(nx, ny));
            }
        }
    }
    digit
}
// ANCHOR_END: crop

/// The image resized to `width × height` by area averaging: each new pixel is the mean of the
/// part of the old image it covers, partly covered pixels weighted by how much of them it
/// covers. Shrinking a sharp stroke this way gives the soft grey edges MNIST's digits have.
///
/// ```
/// use ch13_mnist::handwriting::{resize, Image};
/// let image = Image::new(4, 2, vec![1.0, 1.0, 0.0, 0.0, 1.0, 1.0, 0.0, 1.0]);
/// assert_eq!(resize(&image, 2, 1).pixels, [1.0, 0.25]);
/// ```
///
/// # Panics
/// If a size is zero.
// ANCHOR: resize
pub fn resize(image: &Image, width: usize, height: usize) -> Image {
    assert!(width > 0 && height > 0 && image.width > 0 && image.height > 0);
    let sx = image.width as f64 / width as f64; // old pixels per new pixel
    let sy = image.height as f64 / height as f64;
    // how much of old pixel `i` lies within `[start, end)`
    let overlap =
        |i: usize, start: f64, end: f64| (i as f64 + 1.0).min(end) - (i as f64).max(start);
    let mut out = Image::zeros(width, height);
    for y in 0..height {
        let (y0, y1) = (y as f64 * sy, (y + 1) as f64 * sy);
        for x in 0..width {
            let (x0, x1) = (x as f64 * sx, (x + 1) as f64 * sx);
            let mut sum = 0.0;
            for oy in y0.floor() as usize..(y1.ceil() as usize).min(image.height) {
                for ox in x0.floor() as usize..(x1.ceil() as usize).min(image.width) {
                    let covered = overlap(oy, y0, y1) * overlap(ox, x0, x1);
                    sum += covered * f64::from(image.at(ox, oy));
                }
            }
            out.set(x, y, (sum / (sx * sy)) as f32);
        }
    }
    out
}
// ANCHOR_END: resize

/// Scales a digit to fit a `size × size` box, keeping its aspect ratio: the longer side
/// becomes `size` pixels. The result is then brightened so its heaviest pixel is 1, as in
/// MNIST, where every stroke is fully inked in the middle.
///
/// ```
/// use ch13_mnist::handwriting::{fit_in_box, Image};
/// let tall = Image::new(10, 40, vec![1.0; 400]);
/// let fitted = fit_in_box(&tall, 20);
/// assert_eq!((fitted.width, fitted.height), (5, 20)); // still 1 : 4
/// ```
// ANCHOR: fit
pub fn fit_in_box(digit: &Image, size: usize) -> Image {
    let scale = size as f64 / digit.width.max(digit.height) as f64;
    let width = ((digit.width as f64 * scale).round() as usize).clamp(1, size);
    let height = ((digit.height as f64 * scale).round() as usize).clamp(1, size);
    let mut fitted = resize(digit, width, height);
    let max = fitted.max();
    if max > 0.0 {
        fitted.pixels.iter_mut().for_each(|v| *v /= max);
    }
    fitted
}
// ANCHOR_END: fit

/// The centre of mass of an image's ink, `(x, y)`, in pixel coordinates: pixel `(x, y)` is at
/// column `x`, row `y`, counting from 0 at the top left. `None` for an image without ink.
///
/// ```text
/// x̄ = Σ vₓᵧ · x / Σ vₓᵧ       ȳ = Σ vₓᵧ · y / Σ vₓᵧ
/// ```
///
/// SciPy: `scipy.ndimage.center_of_mass(image)` (which returns `(ȳ, x̄)`, rows first).
///
/// ```
/// use ch13_mnist::handwriting::{centre_of_mass, Image};
/// let image = Image::new(4, 1, vec![0.0, 1.0, 0.0, 3.0]);
/// assert_eq!(centre_of_mass(&image), Some((2.5, 0.0))); // (1·1 + 3·3) / 4
/// assert_eq!(centre_of_mass(&Image::zeros(3, 3)), None);
/// ```
// ANCHOR: centre_of_mass
pub fn centre_of_mass(image: &Image) -> Option<(f64, f64)> {
    let (mut mass, mut sx, mut sy) = (0.0, 0.0, 0.0);
    for y in 0..image.height {
        for x in 0..image.width {
            let v = f64::from(image.at(x, y));
            mass += v;
            sx += v * x as f64;
            sy += v * y as f64;
        }
    }
    if mass > 0.0 {
        Some((sx / mass, sy / mass))
    } else {
        None // no ink
    }
}
// ANCHOR_END: centre_of_mass

/// Places `digit` in a `field × field` image so that its centre of mass falls on the pixel
/// `(field/2, field/2)` — `(14, 14)` in MNIST's 28×28 — to the nearest whole pixel, so within
/// half a pixel. Ink pushed past the edge is lost, which a digit fitted in a box 8 pixels
/// smaller than the field almost never has.
///
/// ```
/// use ch13_mnist::handwriting::{centre_by_mass, centre_of_mass, Image};
/// let mut dot = Image::zeros(3, 3);
/// dot.set(0, 0, 1.0);
/// let centred = centre_by_mass(&dot, 28);
/// assert_eq!(centre_of_mass(&centred), Some((14.0, 14.0)));
/// assert_eq!(centred.at(14, 14), 1.0);
/// ```
// ANCHOR: centre_by_mass
pub fn centre_by_mass(digit: &Image, field: usize) -> Image {
    let centre = (field / 2) as f64;
    let middle = (digit.width as f64 / 2.0, digit.height as f64 / 2.0);
    let (cx, cy) = centre_of_mass(digit).unwrap_or(middle);
    let dx = (centre - cx).round() as isize; // where the digit's left column lands
    let dy = (centre - cy).round() as isize; // and its top row
    let inside = |v: isize| (0..field as isize).contains(&v);
    let mut out = Image::zeros(field, field);
    for y in 0..digit.height {
        for x in 0..digit.width {
            let (fx, fy) = (x as isize + dx, y as isize + dy);
            if inside(fx) && inside(fy) {
                out.set(fx as usize, fy as usize, digit.at(x, y));
            }
        }
    }
    out
}
// ANCHOR_END: centre_by_mass

/// A digit found in an image: its bounding box in the original image, and how the network will
/// see it: 28×28, ink in `[0, 1]`, centred by mass, as an MNIST image. And what preprocessing
/// found in an image: whether the paper was light (and so the image inverted), how far the page
/// was turned to make it straight (the boxes are in the picture turned straight), and the
/// digits, left to right.
// ANCHOR: digit
#[derive(Debug, Clone, PartialEq)]
pub struct Digit {
    pub bbox: BoundingBox,
    pub image: Image, // 28×28
}

#[derive(Debug, Clone, PartialEq)]
pub struct Preprocessed {
    pub light_paper: bool,
    pub turn: f64, // degrees; 0 unless the steps for photos turned the page
    pub digits: Vec<Digit>,
}
// ANCHOR_END: digit

/// Prepares every digit of `image` as MNIST prepared its digits: grey levels to ink
/// (inverting a light page), the digits found as connected marks, each cropped to its
/// bounding box, scaled to fit 20×20 keeping its aspect ratio, and centred by its centre of
/// mass in a 28×28 field.
///
/// An image without ink, or whose marks are too small to be digits, is an error that says so.
///
/// ```
/// use ch13_mnist::handwriting::{preprocess, Image};
/// let mut page = Image::new(40, 40, vec![1.0; 1600]); // white paper
/// for y in 5..35 {
///     for x in 30..34 {
///         page.set(x, y, 0.0); // a black bar, off to the right: a "1"
///     }
/// }
/// let found = preprocess(&page)?;
/// assert!(found.light_paper);
/// assert_eq!(found.digits.len(), 1);
/// assert_eq!((found.digits[0].image.width, found.digits[0].image.height), (28, 28));
/// assert!(preprocess(&Image::new(40, 40, vec![1.0; 1600])).is_err()); // a blank page
/// # Ok::<(), anyhow::Error>(())
/// ```
// ANCHOR: preprocess
pub fn preprocess(image: &Image) -> Result<Preprocessed> {
    let (ink, light_paper) = to_ink(image);
    let marks = find_digits(&ink);
    ensure!(
        !marks.is_empty(),
        "found no ink: the image is blank (a digit needs strokes that stand out from the paper)"
    );
    let tallest = marks.iter().map(|m| m.bbox.height()).max().unwrap_or(0);
    ensure!(
        tallest >= MIN_DIGIT_HEIGHT,
        "the tallest mark is {tallest} pixels high: too small to be a digit \
         (write digits at least {MIN_DIGIT_HEIGHT} pixels tall)"
    );
    let mut digits = Vec::new();
    for mark in &marks {
        let fitted = fit_in_box(&crop_digit(&ink, mark), BOX);
        let image = centre_by_mass(&fitted, FIELD);
        digits.push(Digit {
            bbox: mark.bbox,
            image,
        });
    }
    Ok(Preprocessed {
        light_paper,
        turn: 0.0,
        digits,
    })
}
// ANCHOR_END: preprocess

/// The digits as the network's input: one row of 784 pixels per digit.
///
/// ```
/// use ch13_mnist::handwriting::{digits_matrix, Digit, BoundingBox, Image};
/// let digit = Digit { bbox: BoundingBox::at(0, 0), image: Image::zeros(28, 28) };
/// assert_eq!(digits_matrix::<f32>(&[digit.clone(), digit]).dim(), (2, 784));
/// ```
pub fn digits_matrix<F: Float>(digits: &[Digit]) -> Array2<F> {
    Array2::from_shape_fn((digits.len(), FIELD * FIELD), |(i, p)| {
        float(f64::from(digits[i].image.pixels[p]))
    })
}

/// An MNIST digit (`pixels`, ink in `[0, 1]`, `width` per row) put through [`preprocess`] as
/// if it were handwriting: the digit it comes out as, if preprocessing finds exactly one.
///
/// ```
/// let mut pixels = vec![0.0; 28 * 28];
/// for y in 4..24 {
///     pixels[y * 28 + 14] = 1.0; // a "1", a pixel wide and 20 tall
/// }
/// let again = ch13_mnist::handwriting::prepare_again(&pixels, 28).unwrap();
/// assert_eq!((again.width, again.height), (28, 28));
/// ```
pub fn prepare_again(pixels: &[f32], width: usize) -> Option<Image> {
    let image = Image::new(width, pixels.len() / width, pixels.to_vec());
    let mut found = preprocess(&image).ok()?;
    if found.digits.len() == 1 {
        found.digits.pop().map(|d| d.image)
    } else {
        None // a digit written in pieces that do not overlap
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::handwriting::read_image;

    /// A white page with dark rectangles (x, y, w, h) on it.
    fn page(width: usize, height: usize, rects: &[(usize, usize, usize, usize)]) -> Image {
        let mut image = Image::new(width, height, vec![1.0; width * height]);
        for &(x0, y0, w, h) in rects {
            for y in y0..y0 + h {
                for x in x0..x0 + w {
                    image.set(x, y, 0.0);
                }
            }
        }
        image
    }

    #[test]
    fn the_centre_of_mass_lands_at_the_centre_of_the_field() {
        // an L-shaped digit, placed off-centre on a large page
        let image = page(300, 200, &[(200, 20, 12, 120), (200, 128, 70, 12)]);
        let digit = &preprocess(&image).unwrap().digits[0];
        let (x, y) = centre_of_mass(&digit.image).unwrap();
        let centred = (x - 14.0).abs() <= 0.5 && (y - 14.0).abs() <= 0.5;
        assert!(centred, "({x}, {y})");
    }

    #[test]
    fn scaling_keeps_the_aspect_ratio() {
        let image = page(200, 200, &[(50, 20, 40, 160)]); // 1 : 4
        let ink = to_ink(&image).0;
        let digits = find_digits(&ink);
        let fitted = fit_in_box(&crop_digit(&ink, &digits[0]), BOX);
        assert_eq!((fitted.width, fitted.height), (5, 20));
        let wide = page(200, 200, &[(20, 50, 160, 80)]); // 2 : 1
        let ink = to_ink(&wide).0;
        let fitted = fit_in_box(&crop_digit(&ink, &find_digits(&ink)[0]), BOX);
        assert_eq!((fitted.width, fitted.height), (20, 10));
    }

    #[test]
    fn a_neighbours_stroke_reaching_into_the_box_is_left_out() {
        let mut ink = Image::zeros(20, 10);
        for y in 0..10 {
            ink.set(2, y, 1.0); // a stroke
        }
        for x in 2..12 {
            ink.set(x, 9, 1.0); // the same mark's foot, reaching right
        }
        let mark = &find_digits(&ink)[0];
        ink.set(10, 1, 1.0); // a neighbour's speck inside the box, far from the strokes
        let digit = crop_digit(&ink, mark);
        assert_eq!(digit.at(8, 1), 0.0);
        assert_eq!(digit.at(0, 0), 1.0);
    }

    #[test]
    fn a_strip_of_four_digits_splits_into_four() {
        // four marks in a row, one of them written in two strokes (a bar over a stem)
        let strokes = [
            (4, 4, 4, 20),
            (30, 4, 16, 4),
            (36, 10, 4, 14),
            (60, 4, 14, 20),
            (90, 4, 4, 20),
        ];
        let digits = preprocess(&page(112, 28, &strokes)).unwrap().digits;
        let lefts: Vec<usize> = digits.iter().map(|d| d.bbox.left).collect();
        assert_eq!(lefts, [4, 30, 60, 90]);
    }

    #[test]
    fn the_shipped_2026_splits_into_four_digits() {
        let path = chapter_cli::workspace_root().join("data/handwriting/2026.png");
        let found = preprocess(&read_image(&path).unwrap()).unwrap();
        assert!(found.light_paper);
        assert_eq!(found.digits.len(), 4);
    }

    #[test]
    fn a_blank_image_is_a_clear_error() {
        let error = preprocess(&Image::new(50, 50, vec![1.0; 2500])).unwrap_err();
        assert!(error.to_string().contains("found no ink"), "{error}");
    }

    #[test]
    fn a_tiny_mark_is_not_a_digit() {
        let error = preprocess(&page(50, 50, &[(20, 20, 3, 3)])).unwrap_err();
        let message = error.to_string();
        assert!(message.contains("too small to be a digit"), "{message}");
    }

    #[test]
    fn resizing_keeps_the_mean() {
        let image = Image::new(7, 5, (0..35).map(|i| (i % 3) as f32 / 2.0).collect());
        let mean = |im: &Image| im.pixels.iter().sum::<f32>() / im.pixels.len() as f32;
        for (w, h) in [(3, 2), (14, 10), (5, 5)] {
            let resized = resize(&image, w, h);
            assert!((mean(&resized) - mean(&image)).abs() < 1e-5, "{w}×{h}");
        }
    }
}
