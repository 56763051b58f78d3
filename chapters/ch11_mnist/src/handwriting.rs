//! Reading the reader's own handwriting: a PNG in, MNIST-style 28×28 digits out.
//!
//! MNIST's digits were not simply shrunk to 28×28. Each was scanned, cropped to the digit,
//! scaled to fit a 20×20 box keeping its aspect ratio (which left grey, anti-aliased edges),
//! and placed in a 28×28 field so that its centre of mass sat at the centre. A network trained
//! on those images expects that: a digit drawn large in a corner, or black on white, is far
//! from anything it has seen. So we prepare a photo or a drawing the same way, step by step.

use std::io::Cursor;
use std::path::Path;

use anyhow::{bail, ensure, Context, Result};
use ch03_layers::{float, Float};
use ndarray::Array2;

/// Images with a side shorter than this are refused: too small to hold a digit.
pub const MIN_SIDE: usize = 8;
/// Images with a side longer than this are refused: larger than any page of digits needs.
pub const MAX_SIDE: usize = 4096;
/// Files larger than this are refused before they are read.
pub const MAX_FILE_BYTES: u64 = 64 * 1024 * 1024;
/// After the background is removed, a pixel with at least this much ink belongs to a stroke.
pub const INK_THRESHOLD: f32 = 0.3;
/// Marks with fewer stroke pixels than this fraction of the largest mark are specks, not digits.
pub const SPECK_FRACTION: f64 = 0.1;
/// The shortest mark, in pixels, that can be a digit.
pub const MIN_DIGIT_HEIGHT: usize = 6;
/// The box MNIST scales each digit to fit, and the field it centres it in.
pub const BOX: usize = 20;
pub const FIELD: usize = 28;

// ANCHOR: image
/// A grey image: `pixels[y · width + x]` in `[0, 1]`, row by row.
#[derive(Debug, Clone, PartialEq)]
pub struct Image {
    pub width: usize,
    pub height: usize,
    pub pixels: Vec<f32>,
}

impl Image {
    /// An image of the given size and pixels.
    ///
    /// # Panics
    /// If there are not `width · height` pixels.
    pub fn new(width: usize, height: usize, pixels: Vec<f32>) -> Self {
        assert_eq!(
            pixels.len(),
            width * height,
            "a {width}×{height} image needs {} pixels, got {}",
            width * height,
            pixels.len()
        );
        Image {
            width,
            height,
            pixels,
        }
    }

    /// An image of zeros.
    pub fn zeros(width: usize, height: usize) -> Self {
        Image::new(width, height, vec![0.0; width * height])
    }

    /// The pixel in column `x`, row `y`.
    pub fn at(&self, x: usize, y: usize) -> f32 {
        self.pixels[y * self.width + x]
    }

    /// Sets the pixel in column `x`, row `y`.
    pub fn set(&mut self, x: usize, y: usize, value: f32) {
        self.pixels[y * self.width + x] = value;
    }

    /// The brightest (or most inked) pixel.
    pub fn max(&self) -> f32 {
        self.pixels.iter().copied().fold(0.0, f32::max)
    }
}

/// A rectangle of pixels: columns `left..right`, rows `top..bottom` (the right and bottom
/// edges are not included).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct BoundingBox {
    pub left: usize,
    pub top: usize,
    pub right: usize,
    pub bottom: usize,
}

impl BoundingBox {
    /// A one-pixel box.
    pub fn at(x: usize, y: usize) -> Self {
        BoundingBox {
            left: x,
            top: y,
            right: x + 1,
            bottom: y + 1,
        }
    }

    pub fn width(&self) -> usize {
        self.right - self.left
    }

    pub fn height(&self) -> usize {
        self.bottom - self.top
    }

    /// The smallest box holding both.
    pub fn union(&self, other: &BoundingBox) -> BoundingBox {
        BoundingBox {
            left: self.left.min(other.left),
            top: self.top.min(other.top),
            right: self.right.max(other.right),
            bottom: self.bottom.max(other.bottom),
        }
    }
}
// ANCHOR_END: image

// ANCHOR: decode
/// Decodes a PNG into grey levels in `[0, 1]` (0 black, 1 white), whatever its colour type:
/// grey, grey with alpha, RGB, RGBA or a palette, 1 to 16 bits per sample.
///
/// The png crate's `EXPAND` turns palettes and low bit depths into 8-bit samples and
/// `STRIP_16` turns 16-bit samples into 8-bit ones; colour becomes grey by the luma formula;
/// transparent pixels are laid over white paper.
///
/// ```text
/// grey = 0.299 R + 0.587 G + 0.114 B        over white: grey·α + 1·(1 − α)
/// ```
///
/// Python (PIL): `Image.open(path).convert("L")`.
///
/// ```
/// use ch11_mnist::handwriting::decode_png;
/// let error = decode_png(b"GIF89a...").unwrap_err();
/// assert!(error.to_string().contains("not a PNG"));
/// ```
pub fn decode_png(bytes: &[u8]) -> Result<Image> {
    const SIGNATURE: &[u8] = b"\x89PNG\r\n\x1a\n";
    ensure!(!bytes.is_empty(), "the file is empty");
    ensure!(
        bytes.starts_with(SIGNATURE),
        "not a PNG file: it does not start with the 8 bytes every PNG starts with"
    );
    let mut decoder = png::Decoder::new(Cursor::new(bytes));
    decoder.set_transformations(png::Transformations::normalize_to_color8());
    let header = decoder
        .read_header_info()
        .context("reading the PNG header")?;
    let (width, height) = (header.width as usize, header.height as usize);
    ensure!(
        width >= MIN_SIDE && height >= MIN_SIDE,
        "the image is {width}×{height} pixels: too small to hold a digit \
         (each side needs at least {MIN_SIDE})"
    );
    ensure!(
        width <= MAX_SIDE && height <= MAX_SIDE,
        "the image is {width}×{height} pixels: too large (each side may be at most {MAX_SIDE})"
    );
    let mut reader = decoder.read_info().context("reading the PNG")?;
    let size = reader
        .output_buffer_size()
        .context("the PNG is too large to decode")?;
    let mut buffer = vec![0; size];
    let frame = reader
        .next_frame(&mut buffer)
        .context("decoding the PNG's pixels")?;
    let channels = frame.color_type.samples();
    let mut pixels = Vec::with_capacity(width * height);
    for row in buffer.chunks(frame.line_size).take(height) {
        for px in row.chunks_exact(channels).take(width) {
            let v = |i: usize| f32::from(px[i]) / 255.0;
            let (grey, alpha) = match px.len() {
                1 => (v(0), 1.0),
                2 => (v(0), v(1)),
                3 => (0.299 * v(0) + 0.587 * v(1) + 0.114 * v(2), 1.0),
                _ => (0.299 * v(0) + 0.587 * v(1) + 0.114 * v(2), v(3)),
            };
            pixels.push(grey * alpha + (1.0 - alpha)); // over white paper
        }
    }
    Ok(Image::new(width, height, pixels))
}

/// Reads and decodes the PNG file at `path` (see [`decode_png`]).
pub fn read_png(path: &Path) -> Result<Image> {
    let context = || format!("reading the image {}", path.display());
    let size = std::fs::metadata(path).with_context(context)?.len();
    ensure!(
        size <= MAX_FILE_BYTES,
        "{}: the file has {size} bytes, more than the {MAX_FILE_BYTES} an image of digits needs",
        path.display()
    );
    let bytes = std::fs::read(path).with_context(context)?;
    decode_png(&bytes).with_context(context)
}
// ANCHOR_END: decode

// ANCHOR: ink
/// The grey level of the paper: the median of the pixels on the image's border, where
/// nobody writes.
///
/// ```
/// use ch11_mnist::handwriting::{background, Image};
/// let mut image = Image::new(3, 3, vec![0.9; 9]);
/// image.set(1, 1, 0.0); // ink in the middle
/// assert_eq!(background(&image), 0.9);
/// ```
pub fn background(image: &Image) -> f32 {
    let (w, h) = (image.width, image.height);
    let mut border: Vec<f32> = (0..w)
        .flat_map(|x| [image.at(x, 0), image.at(x, h - 1)])
        .chain((0..h).flat_map(|y| [image.at(0, y), image.at(w - 1, y)]))
        .collect();
    border.sort_by(f32::total_cmp);
    border[border.len() / 2]
}

/// Ink as MNIST has it: 1 where the pen was heaviest, 0 on the paper. Returns the ink and
/// whether the image was inverted.
///
/// If the paper is light (its [`background`] above ½), the image is inverted, so dark strokes
/// become bright ones. Then the paper's level is taken away and the contrast stretched, so
/// the paper is exactly 0 and the heaviest stroke exactly 1 — grey paper and a grey pencil
/// end up like white ink on black, as in MNIST. An image with no contrast at all is all zeros.
///
/// ```text
/// v′ = 1 − v if the paper is light, else v
/// ink = clamp((v′ − paper′) / (max v′ − paper′), 0, 1)
/// ```
///
/// ```
/// use ch11_mnist::handwriting::{to_ink, Image};
/// let page = Image::new(4, 1, vec![1.0, 0.5, 0.0, 1.0]); // white paper, dark strokes
/// let (ink, inverted) = to_ink(&page);
/// assert!(inverted);
/// assert_eq!(ink.pixels, [0.0, 0.5, 1.0, 0.0]);
/// ```
pub fn to_ink(image: &Image) -> (Image, bool) {
    let inverted = background(image) > 0.5;
    let flipped: Vec<f32> = if inverted {
        image.pixels.iter().map(|v| 1.0 - v).collect()
    } else {
        image.pixels.clone()
    };
    let flipped = Image::new(image.width, image.height, flipped);
    let paper = background(&flipped);
    let range = flipped.max() - paper;
    let pixels = if range < 1e-3 {
        vec![0.0; flipped.pixels.len()] // no contrast: no ink
    } else {
        flipped
            .pixels
            .iter()
            .map(|v| ((v - paper) / range).clamp(0.0, 1.0))
            .collect()
    };
    (Image::new(image.width, image.height, pixels), inverted)
}
// ANCHOR_END: ink

// ANCHOR: components
/// A connected mark of ink: its stroke pixels `(x, y)` and its bounding box.
#[derive(Debug, Clone, PartialEq)]
pub struct Component {
    pub pixels: Vec<(usize, usize)>,
    pub bbox: BoundingBox,
}

/// The connected components of the pixels with at least `threshold` ink: two stroke pixels
/// belong together when they touch, sides or corners (8-connectivity). Found by flood fill,
/// in the order their first pixel comes in reading order.
///
/// SciPy: `scipy.ndimage.label(ink >= threshold, structure=np.ones((3, 3)))`.
///
/// ```
/// use ch11_mnist::handwriting::{connected_components, Image};
/// #[rustfmt::skip]
/// let ink = Image::new(5, 3, vec![
///     1.0, 0.0, 0.0, 1.0, 1.0,
///     0.0, 1.0, 0.0, 0.0, 1.0,
///     0.0, 0.0, 0.0, 0.0, 0.0,
/// ]);
/// let marks = connected_components(&ink, 0.5);
/// assert_eq!(marks.len(), 2); // the diagonal pair touches at a corner
/// assert_eq!(marks[0].pixels, [(0, 0), (1, 1)]);
/// assert_eq!((marks[1].bbox.left, marks[1].bbox.right), (3, 5));
/// ```
pub fn connected_components(ink: &Image, threshold: f32) -> Vec<Component> {
    let (w, h) = (ink.width, ink.height);
    let mut seen = vec![false; w * h];
    let mut components = Vec::new();
    for start in 0..w * h {
        if seen[start] || ink.pixels[start] < threshold {
            continue;
        }
        seen[start] = true;
        let mut stack = vec![(start % w, start / w)];
        let mut pixels = Vec::new();
        let mut bbox = BoundingBox::at(start % w, start / w);
        while let Some((x, y)) = stack.pop() {
            pixels.push((x, y));
            bbox = bbox.union(&BoundingBox::at(x, y));
            for ny in y.saturating_sub(1)..(y + 2).min(h) {
                for nx in x.saturating_sub(1)..(x + 2).min(w) {
                    let i = ny * w + nx;
                    if !seen[i] && ink.pixels[i] >= threshold {
                        seen[i] = true;
                        stack.push((nx, ny));
                    }
                }
            }
        }
        pixels.sort_by_key(|&(x, y)| (y, x));
        components.push(Component { pixels, bbox });
    }
    components
}

/// The digits among the marks of `ink`, left to right.
///
/// Specks (marks with fewer than [`SPECK_FRACTION`] of the largest mark's pixels) are
/// dropped. Marks whose columns overlap by more than half the narrower one's width are one
/// digit written in two strokes (the bar of a 5, the stem of a 4), and are joined.
///
/// ```
/// use ch11_mnist::handwriting::{find_digits, Image};
/// let mut ink = Image::zeros(30, 14);
/// for y in 1..13 {
///     ink.set(4, y, 1.0); // a "1"
///     ink.set(20, y, 1.0); // another
/// }
/// ink.set(12, 5, 1.0); // a speck between them
/// let digits = find_digits(&ink);
/// assert_eq!(digits.len(), 2);
/// assert_eq!(digits[1].bbox.left, 20);
/// ```
pub fn find_digits(ink: &Image) -> Vec<Component> {
    let mut marks = connected_components(ink, INK_THRESHOLD);
    let largest = marks.iter().map(|m| m.pixels.len()).max().unwrap_or(0);
    marks.retain(|m| m.pixels.len() as f64 >= SPECK_FRACTION * largest as f64);
    marks.sort_by_key(|m| (m.bbox.left, m.bbox.top));
    let mut digits: Vec<Component> = Vec::new();
    for mark in marks {
        if let Some(last) = digits.last_mut() {
            let overlap = last.bbox.right.min(mark.bbox.right) as isize
                - last.bbox.left.max(mark.bbox.left) as isize;
            let narrower = last.bbox.width().min(mark.bbox.width());
            if 2 * overlap > narrower as isize {
                last.bbox = last.bbox.union(&mark.bbox);
                last.pixels.extend(mark.pixels);
                continue;
            }
        }
        digits.push(mark);
    }
    digits
}
// ANCHOR_END: components

// ANCHOR: crop
/// How far (in pixels) around its strokes a digit keeps the ink when it is cut out: enough
/// for the soft edge of a stroke, too little to bring in a neighbour.
pub const EDGE: usize = 2;

/// Cuts the digit `component` out of `ink`: the pixels of its bounding box, keeping only the
/// ink within [`EDGE`] pixels of one of its own strokes (so a neighbour's stroke that reaches
/// into the box is left out).
///
/// ```
/// use ch11_mnist::handwriting::{connected_components, crop_digit, Image};
/// let mut ink = Image::zeros(10, 10);
/// ink.set(3, 4, 1.0);
/// ink.set(4, 4, 0.8);
/// let mark = &connected_components(&ink, 0.5)[0];
/// let digit = crop_digit(&ink, mark);
/// assert_eq!((digit.width, digit.height), (2, 1));
/// assert_eq!(digit.pixels, [1.0, 0.8]);
/// ```
pub fn crop_digit(ink: &Image, component: &Component) -> Image {
    let b = component.bbox;
    let mut near = vec![false; b.width() * b.height()];
    for &(x, y) in &component.pixels {
        let (x0, x1) = (
            x.saturating_sub(EDGE).max(b.left),
            (x + EDGE + 1).min(b.right),
        );
        let (y0, y1) = (
            y.saturating_sub(EDGE).max(b.top),
            (y + EDGE + 1).min(b.bottom),
        );
        for ny in y0..y1 {
            for nx in x0..x1 {
                near[(ny - b.top) * b.width() + (nx - b.left)] = true;
            }
        }
    }
    let mut digit = Image::zeros(b.width(), b.height());
    for y in 0..b.height() {
        for x in 0..b.width() {
            if near[y * b.width() + x] {
                digit.set(x, y, ink.at(b.left + x, b.top + y));
            }
        }
    }
    digit
}
// ANCHOR_END: crop

// ANCHOR: fit
/// The image resized to `width × height` by area averaging: each new pixel is the mean of the
/// part of the old image it covers, partly covered pixels weighted by how much of them it
/// covers. Shrinking a sharp stroke this way gives the soft grey edges MNIST's digits have.
///
/// ```
/// use ch11_mnist::handwriting::{resize, Image};
/// let image = Image::new(4, 2, vec![1.0, 1.0, 0.0, 0.0, 1.0, 1.0, 0.0, 1.0]);
/// assert_eq!(resize(&image, 2, 1).pixels, [1.0, 0.25]);
/// ```
///
/// # Panics
/// If a size is zero.
pub fn resize(image: &Image, width: usize, height: usize) -> Image {
    assert!(
        width > 0 && height > 0 && image.width > 0 && image.height > 0,
        "cannot resize a {}×{} image to {width}×{height}",
        image.width,
        image.height
    );
    let sx = image.width as f64 / width as f64; // old pixels per new pixel
    let sy = image.height as f64 / height as f64;
    // How much of old pixel `i` lies within `[start, end)`.
    let overlap =
        |i: usize, start: f64, end: f64| ((i + 1) as f64).min(end) - (i as f64).max(start);
    let mut out = Image::zeros(width, height);
    for y in 0..height {
        let (y0, y1) = (y as f64 * sy, (y + 1) as f64 * sy);
        for x in 0..width {
            let (x0, x1) = (x as f64 * sx, (x + 1) as f64 * sx);
            let mut sum = 0.0;
            for oy in y0.floor() as usize..(y1.ceil() as usize).min(image.height) {
                let wy = overlap(oy, y0, y1);
                for ox in x0.floor() as usize..(x1.ceil() as usize).min(image.width) {
                    sum += wy * overlap(ox, x0, x1) * f64::from(image.at(ox, oy));
                }
            }
            out.set(x, y, (sum / (sx * sy)) as f32);
        }
    }
    out
}

/// Scales a digit to fit a `size × size` box, keeping its aspect ratio: the longer side
/// becomes `size` pixels. The result is then brightened so its heaviest pixel is 1, as in
/// MNIST, where every stroke is fully inked in the middle.
///
/// ```
/// use ch11_mnist::handwriting::{fit_in_box, Image};
/// let tall = Image::new(10, 40, vec![1.0; 400]);
/// let fitted = fit_in_box(&tall, 20);
/// assert_eq!((fitted.width, fitted.height), (5, 20)); // still 1 : 4
/// ```
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

// ANCHOR: centre
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
/// use ch11_mnist::handwriting::{centre_of_mass, Image};
/// let image = Image::new(4, 1, vec![0.0, 1.0, 0.0, 3.0]);
/// assert_eq!(centre_of_mass(&image), Some((2.5, 0.0))); // (1·1 + 3·3) / 4
/// assert_eq!(centre_of_mass(&Image::zeros(3, 3)), None);
/// ```
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
    (mass > 0.0).then(|| (sx / mass, sy / mass))
}

/// Places `digit` in a `field × field` image so that its centre of mass falls on the pixel
/// `(field/2, field/2)` — `(14, 14)` in MNIST's 28×28 — to the nearest whole pixel, so within
/// half a pixel. Ink pushed past the edge is lost, which a digit fitted in a box 8 pixels
/// smaller than the field almost never has.
///
/// ```
/// use ch11_mnist::handwriting::{centre_by_mass, centre_of_mass, Image};
/// let mut dot = Image::zeros(3, 3);
/// dot.set(0, 0, 1.0);
/// let centred = centre_by_mass(&dot, 28);
/// assert_eq!(centre_of_mass(&centred), Some((14.0, 14.0)));
/// assert_eq!(centred.at(14, 14), 1.0);
/// ```
pub fn centre_by_mass(digit: &Image, field: usize) -> Image {
    let mut out = Image::zeros(field, field);
    let centre = (field / 2) as f64;
    let (cx, cy) =
        centre_of_mass(digit).unwrap_or((digit.width as f64 / 2.0, digit.height as f64 / 2.0));
    let dx = (centre - cx).round() as isize; // where the digit's left column lands
    let dy = (centre - cy).round() as isize;
    for y in 0..digit.height {
        for x in 0..digit.width {
            let (fx, fy) = (x as isize + dx, y as isize + dy);
            if (0..field as isize).contains(&fx) && (0..field as isize).contains(&fy) {
                out.set(fx as usize, fy as usize, digit.at(x, y));
            }
        }
    }
    out
}
// ANCHOR_END: centre

// ANCHOR: preprocess
/// A digit found in an image: where it was, and how the network will see it.
#[derive(Debug, Clone, PartialEq)]
pub struct Digit {
    /// Its bounding box in the original image.
    pub bbox: BoundingBox,
    /// 28×28, ink in `[0, 1]`, centred by mass: an MNIST image.
    pub image: Image,
}

/// What preprocessing found in an image.
#[derive(Debug, Clone, PartialEq)]
pub struct Preprocessed {
    /// Whether the paper was light and the image was inverted.
    pub inverted: bool,
    /// The digits, left to right.
    pub digits: Vec<Digit>,
}

/// Prepares every digit of `image` as MNIST prepared its digits: grey levels to ink
/// (inverting a light page), the digits found as connected marks, each cropped to its
/// bounding box, scaled to fit 20×20 keeping its aspect ratio, and centred by its centre of
/// mass in a 28×28 field.
///
/// An image without ink, or whose marks are too small to be digits, is an error that says so.
///
/// ```
/// use ch11_mnist::handwriting::{preprocess, Image};
/// let mut page = Image::new(40, 40, vec![1.0; 1600]); // white paper
/// for y in 5..35 {
///     for x in 30..34 {
///         page.set(x, y, 0.0); // a black bar, off to the right: a "1"
///     }
/// }
/// let found = preprocess(&page)?;
/// assert!(found.inverted);
/// assert_eq!(found.digits.len(), 1);
/// assert_eq!((found.digits[0].image.width, found.digits[0].image.height), (28, 28));
/// assert!(preprocess(&Image::new(40, 40, vec![1.0; 1600])).is_err()); // a blank page
/// # Ok::<(), anyhow::Error>(())
/// ```
pub fn preprocess(image: &Image) -> Result<Preprocessed> {
    let (ink, inverted) = to_ink(image);
    let digits = find_digits(&ink);
    if digits.is_empty() {
        bail!(
            "found no ink: the image is blank (a digit needs strokes that stand out from the paper)"
        );
    }
    let tallest = digits.iter().map(|d| d.bbox.height()).max().unwrap_or(0);
    ensure!(
        tallest >= MIN_DIGIT_HEIGHT,
        "the tallest mark is {tallest} pixels high: too small to be a digit \
         (write digits at least {MIN_DIGIT_HEIGHT} pixels tall)"
    );
    let digits = digits
        .iter()
        .map(|component| Digit {
            bbox: component.bbox,
            image: centre_by_mass(&fit_in_box(&crop_digit(&ink, component), BOX), FIELD),
        })
        .collect();
    Ok(Preprocessed { inverted, digits })
}

/// The digits as the network's input: one row of 784 pixels per digit.
pub fn digits_matrix<F: Float>(digits: &[Digit]) -> Array2<F> {
    Array2::from_shape_fn((digits.len(), FIELD * FIELD), |(i, p)| {
        float(f64::from(digits[i].image.pixels[p]))
    })
}
// ANCHOR_END: preprocess

#[cfg(test)]
mod tests {
    use super::*;

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
        assert!(
            (x - 14.0).abs() <= 0.5 && (y - 14.0).abs() <= 0.5,
            "({x}, {y})"
        );
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
    fn a_light_page_is_inverted_and_a_dark_one_is_not() {
        let light = page(20, 20, &[(5, 5, 3, 10)]);
        let (ink, inverted) = to_ink(&light);
        assert!(inverted);
        assert_eq!((ink.at(6, 8), ink.at(0, 0)), (1.0, 0.0));
        let dark = Image::new(20, 20, light.pixels.iter().map(|v| 1.0 - v).collect());
        let (ink, inverted) = to_ink(&dark);
        assert!(!inverted);
        assert_eq!((ink.at(6, 8), ink.at(0, 0)), (1.0, 0.0));
    }

    #[test]
    fn grey_paper_and_grey_pencil_are_stretched_to_zero_and_one() {
        let mut image = Image::new(10, 10, vec![0.8; 100]);
        image.set(5, 5, 0.5);
        let (ink, _) = to_ink(&image);
        assert_eq!((ink.at(5, 5), ink.at(1, 1)), (1.0, 0.0));
    }

    #[test]
    fn a_strip_of_four_digits_splits_into_four() {
        // four marks in a row, one of them written in two strokes (a bar over a stem)
        let image = page(
            112,
            28,
            &[
                (4, 4, 4, 20),
                (30, 4, 16, 4),
                (36, 10, 4, 14),
                (60, 4, 14, 20),
                (90, 4, 4, 20),
            ],
        );
        let digits = preprocess(&image).unwrap().digits;
        assert_eq!(digits.len(), 4);
        let lefts: Vec<usize> = digits.iter().map(|d| d.bbox.left).collect();
        assert_eq!(lefts, [4, 30, 60, 90]);
    }

    #[test]
    fn the_shipped_2026_splits_into_four_digits() {
        let path = chapter_cli::workspace_root().join("data/handwriting/2026.png");
        let found = preprocess(&read_png(&path).unwrap()).unwrap();
        assert!(found.inverted);
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
        assert!(
            error.to_string().contains("too small to be a digit"),
            "{error}"
        );
    }

    /// Encodes an image as a PNG of the given colour type and depth.
    fn encode(
        width: u32,
        height: u32,
        color: png::ColorType,
        depth: png::BitDepth,
        data: &[u8],
    ) -> Vec<u8> {
        let mut bytes = Vec::new();
        let mut encoder = png::Encoder::new(&mut bytes, width, height);
        encoder.set_color(color);
        encoder.set_depth(depth);
        let mut writer = encoder.write_header().unwrap();
        writer.write_image_data(data).unwrap();
        writer.finish().unwrap();
        bytes
    }

    #[test]
    fn every_colour_type_decodes_to_the_same_grey() {
        use png::{BitDepth, ColorType};
        let (w, h) = (8, 8);
        let n = (w * h) as usize;
        let grey = encode(w, h, ColorType::Grayscale, BitDepth::Eight, &vec![51; n]);
        let grey16 = encode(
            w,
            h,
            ColorType::Grayscale,
            BitDepth::Sixteen,
            &[51, 0].repeat(n),
        );
        let rgb = encode(
            w,
            h,
            ColorType::Rgb,
            BitDepth::Eight,
            &[51, 51, 51].repeat(n),
        );
        let rgba = encode(
            w,
            h,
            ColorType::Rgba,
            BitDepth::Eight,
            &[51, 51, 51, 255].repeat(n),
        );
        let grey_alpha = encode(
            w,
            h,
            ColorType::GrayscaleAlpha,
            BitDepth::Eight,
            &[51, 255].repeat(n),
        );
        for bytes in [grey, grey16, rgb, rgba, grey_alpha] {
            let image = decode_png(&bytes).unwrap();
            assert_eq!((image.width, image.height), (8, 8));
            assert!(
                image.pixels.iter().all(|&v| (v - 0.2).abs() < 1e-3),
                "{:?}",
                image.pixels[0]
            );
        }
    }

    #[test]
    fn a_palette_image_and_transparency_decode() {
        let mut bytes = Vec::new();
        let mut encoder = png::Encoder::new(&mut bytes, 8, 8);
        encoder.set_color(png::ColorType::Indexed);
        encoder.set_depth(png::BitDepth::Eight);
        encoder.set_palette(vec![0, 0, 0, 255, 255, 255]);
        let mut writer = encoder.write_header().unwrap();
        let mut data = vec![1u8; 64];
        data[9] = 0; // one black pixel
        writer.write_image_data(&data).unwrap();
        writer.finish().unwrap();
        let image = decode_png(&bytes).unwrap();
        assert_eq!((image.at(1, 1), image.at(0, 0)), (0.0, 1.0));

        // fully transparent black is white paper
        let clear = encode(
            8,
            8,
            png::ColorType::Rgba,
            png::BitDepth::Eight,
            &[0, 0, 0, 0].repeat(64),
        );
        assert!(decode_png(&clear).unwrap().pixels.iter().all(|&v| v == 1.0));
    }

    #[test]
    fn bad_inputs_are_clear_errors() {
        let empty = decode_png(b"").unwrap_err().to_string();
        assert!(empty.contains("empty"), "{empty}");
        let text = decode_png(b"hello, I am not a picture")
            .unwrap_err()
            .to_string();
        assert!(text.contains("not a PNG file"), "{text}");
        let tiny = encode(
            4,
            4,
            png::ColorType::Grayscale,
            png::BitDepth::Eight,
            &[0; 16],
        );
        let tiny = decode_png(&tiny).unwrap_err().to_string();
        assert!(tiny.contains("4×4 pixels: too small"), "{tiny}");
        let huge = encode(
            5000,
            8,
            png::ColorType::Grayscale,
            png::BitDepth::Eight,
            &vec![0; 40_000],
        );
        let huge = decode_png(&huge).unwrap_err().to_string();
        assert!(huge.contains("5000×8 pixels: too large"), "{huge}");
        let mut cut = encode(
            20,
            20,
            png::ColorType::Grayscale,
            png::BitDepth::Eight,
            &[128; 400],
        );
        cut.truncate(cut.len() - 20);
        assert!(decode_png(&cut).is_err());
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
