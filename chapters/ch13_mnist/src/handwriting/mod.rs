//! Reading the reader's own handwriting: a PNG or JPEG in, MNIST-style 28×28 digits out.
//!
//! MNIST's digits were not simply shrunk to 28×28. Each was scanned, cropped to the digit,
//! scaled to fit a 20×20 box keeping its aspect ratio (which left grey, anti-aliased edges),
//! and placed in a 28×28 field so that its centre of mass sat at the centre. A network trained
//! on those images expects that: a digit drawn large in a corner, or black on white, is far
//! from anything it has seen. So we prepare a photo or a drawing the same way, step by step:
//!
//! | module | step |
//! |---|---|
//! | [`decode`] | the PNG or JPEG file to grey levels (the machine room: turned upright, scaled, checked) |
//! | [`ink`] | grey levels to ink: paper 0, the heaviest stroke 1 |
//! | [`components`] | the digits found as connected marks of ink |
//! | [`preprocess`](mod@preprocess) | each digit cropped, scaled to fit 20×20, centred by mass in 28×28 |
//! | [`photo`] | a photo's troubles undone first: uneven light, paper lines, specks, a turned page, pens thin or thick, digits that touch |

pub mod components;
pub mod decode;
pub mod ink;
pub mod photo;
pub mod preprocess;

pub use components::{Component, INK_THRESHOLD, SPECK_FRACTION, connected_components, find_digits};
pub use decode::{
    MAX_DECODE_BYTES, MAX_FILE_BYTES, MAX_SIDE, MIN_SIDE, WORKING_SIDE, decode_image, grey_png,
    jpeg_is_complete, read_image,
};
pub use ink::{background, to_ink};
pub use photo::{
    IntegralImage, MNIST_STROKE, clean_ink, light_paper, local_threshold, normalise_stroke,
    page_turn, preprocess_photo, remove_lines, remove_specks, rotate, split_touching, stroke_width,
    thicken, turn_page,
};
pub use preprocess::{
    BOX, Digit, EDGE, FIELD, MIN_DIGIT_HEIGHT, Preprocessed, centre_by_mass, centre_of_mass,
    crop_digit, digits_matrix, fit_in_box, prepare_again, preprocess, resize,
};

/// A grey image: `pixels[y · width + x]` in `[0, 1]`, row by row.
///
/// ```
/// use ch13_mnist::handwriting::Image;
/// let mut image = Image::zeros(3, 2);
/// image.set(2, 1, 0.5);
/// assert_eq!(image.at(2, 1), 0.5);
/// assert_eq!(image.pixels, [0.0, 0.0, 0.0, 0.0, 0.0, 0.5]);
/// assert_eq!(image.max(), 0.5);
/// ```
///
/// # Panics
/// [`Image::new`] panics if there are not `width · height` pixels.
// ANCHOR: image
#[derive(Debug, Clone, PartialEq)]
pub struct Image {
    pub width: usize,
    pub height: usize,
    pub pixels: Vec<f32>,
}

impl Image {
    /// The pixel in column `x`, row `y`.
    pub fn at(&self, x: usize, y: usize) -> f32 {
        self.pixels[y * self.width + x]
    }
    // ANCHOR_END: image

    /// An image of the given size and pixels.
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
///
/// ```
/// use ch13_mnist::handwriting::BoundingBox;
/// let b = BoundingBox::at(2, 3).union(&BoundingBox::at(5, 1));
/// assert_eq!((b.left, b.top, b.right, b.bottom), (2, 1, 6, 4));
/// assert_eq!((b.width(), b.height()), (4, 3));
/// ```
// ANCHOR: bounding_box
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct BoundingBox {
    pub left: usize,
    pub top: usize,
    pub right: usize,
    pub bottom: usize,
}

impl BoundingBox {
    /// The smallest box holding both.
    pub fn union(&self, other: &BoundingBox) -> BoundingBox {
        BoundingBox {
            left: self.left.min(other.left),
            top: self.top.min(other.top),
            right: self.right.max(other.right),
            bottom: self.bottom.max(other.bottom),
        }
    }
    // ANCHOR_END: bounding_box

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
}
