//! # Draw a digit
//!
//! The capstone's network and handwriting preprocessing, compiled to WebAssembly for the
//! canvas on the chapter's page: the reader draws a digit, and the page shows the 28×28 input
//! the network receives and the ten probabilities it gives. Nothing here is new: the drawing
//! goes through the chapter's own steps (grey levels to ink, the marks found, cropped, fitted
//! in 20×20, centred by mass in 28×28) and the chapter's own [`Mlp`], loaded from the
//! safetensors file the chapter's program trained.
//!
//! `cargo xtask book` builds it (`--target wasm32-unknown-unknown`, then `wasm-bindgen
//! --target no-modules`) and puts it beside the page.

use anyhow::{Context, Result, ensure};
use ch13_mnist::Mlp;
use ch13_mnist::handwriting::{
    BOX, Component, FIELD, Image, MIN_DIGIT_HEIGHT, centre_by_mass, crop_digit, find_digits,
    fit_in_box, to_ink,
};
use ndarray::Array2;
use wasm_bindgen::prelude::wasm_bindgen;

/// The canvas as a grey image, `[0, 1]`: each RGBA pixel's grey level, `(r + g + b) / 3`,
/// laid over white paper by its alpha (a pixel nobody drew on is transparent, so white).
///
/// ```text
/// v = (1 − a) · 1 + a · (r + g + b) / 3          (all in [0, 1])
/// ```
///
/// ```
/// let rgba = [0, 0, 0, 255, /* */ 0, 0, 0, 0, /* */ 255, 255, 255, 255, /* */ 0, 0, 0, 51];
/// let page = ch13_mnist_canvas::grey_from_rgba(&rgba, 2, 2)?;
/// assert_eq!(page.pixels, [0.0, 1.0, 1.0, 0.8]);
/// # Ok::<(), anyhow::Error>(())
/// ```
pub fn grey_from_rgba(rgba: &[u8], width: usize, height: usize) -> Result<Image> {
    ensure!(
        rgba.len() == 4 * width * height && width > 0 && height > 0,
        "a {width}×{height} canvas has {} RGBA bytes, not {}",
        4 * width * height,
        rgba.len()
    );
    let grey = |p: &[u8]| {
        let level = (f32::from(p[0]) + f32::from(p[1]) + f32::from(p[2])) / (3.0 * 255.0);
        let alpha = f32::from(p[3]) / 255.0;
        (1.0 - alpha) + alpha * level
    };
    let pixels = rgba.chunks_exact(4).map(grey).collect();
    Ok(Image::new(width, height, pixels))
}

/// The drawing as the network's input, prepared as the chapter prepares a page of handwriting
/// ([`ch13_mnist::handwriting::preprocess`]), with one difference: a canvas holds one digit, so
/// every mark found on it is part of that digit (a 4 or a 5 drawn in strokes that do not
/// touch), where on a page marks side by side are digits of their own.
///
/// ```
/// use ch13_mnist::handwriting::{Image, centre_of_mass};
/// let mut page = Image::new(100, 100, vec![1.0; 100 * 100]); // white paper
/// for y in 20..80 {
///     for x in 70..76 {
///         page.set(x, y, 0.0); // a black bar off to the right: a "1"
///     }
/// }
/// let input = ch13_mnist_canvas::prepare_drawing(&page)?;
/// assert_eq!((input.width, input.height), (28, 28));
/// let (x, y) = centre_of_mass(&input).unwrap();
/// assert!((x - 14.0).abs() <= 0.5 && (y - 14.0).abs() <= 0.5); // centred by mass
/// # Ok::<(), anyhow::Error>(())
/// ```
// ANCHOR: prepare_drawing
pub fn prepare_drawing(page: &Image) -> Result<Image> {
    let (ink, _) = to_ink(page);
    let digit = find_digits(&ink)
        .into_iter()
        .reduce(join)
        .context("no digit yet: draw one on the canvas")?;
    ensure!(
        digit.bbox.height() >= MIN_DIGIT_HEIGHT,
        "the drawing is {} pixels high: too small to be a digit",
        digit.bbox.height()
    );
    let fitted = fit_in_box(&crop_digit(&ink, &digit), BOX);
    Ok(centre_by_mass(&fitted, FIELD))
}

/// Two marks as one: their stroke pixels together, in one bounding box.
fn join(mut a: Component, b: Component) -> Component {
    a.bbox = a.bbox.union(&b.bbox);
    a.pixels.extend(b.pixels);
    a
}
// ANCHOR_END: prepare_drawing

/// What the network reads in a drawing: the 28×28 input it receives (row by row, ink in
/// `[0, 1]`) and the probability it gives each digit, 0 to 9.
#[wasm_bindgen]
#[derive(Debug)]
pub struct Reading {
    input: Vec<f32>,
    probabilities: Vec<f32>,
}

#[wasm_bindgen]
impl Reading {
    /// The 784 pixels of the network's input, row by row (a `Float32Array` in JavaScript).
    pub fn input(&self) -> Vec<f32> {
        self.input.clone()
    }

    /// The ten probabilities, digit 0 first.
    pub fn probabilities(&self) -> Vec<f32> {
        self.probabilities.clone()
    }

    /// The digit with the highest probability.
    pub fn digit(&self) -> usize {
        let best = |a: &(usize, &f32), b: &(usize, &f32)| a.1.total_cmp(b.1);
        let top = self.probabilities.iter().enumerate().max_by(best);
        top.map_or(0, |(digit, _)| digit)
    }
}

/// The chapter's trained network, ready to read drawings.
#[wasm_bindgen]
#[derive(Debug)]
pub struct DigitReader {
    model: Mlp<f32>,
}

#[wasm_bindgen]
impl DigitReader {
    /// The network saved in `weights`, the bytes of a safetensors file written by the
    /// chapter's program; an error (a message) if they are not a model that reads MNIST.
    #[wasm_bindgen(constructor)]
    pub fn new(weights: &[u8]) -> Result<DigitReader, String> {
        DigitReader::load(weights).map_err(|e| format!("{e:#}"))
    }

    /// The layer sizes, as the page writes them: `784-256-128-10`.
    pub fn architecture(&self) -> String {
        self.model.architecture()
    }

    /// What the network reads in a canvas of `width × height` RGBA pixels (as
    /// `getImageData` gives them); an error (a message) if there is no digit to read.
    pub fn read(&mut self, rgba: &[u8], width: usize, height: usize) -> Result<Reading, String> {
        self.read_canvas(rgba, width, height)
            .map_err(|e| format!("{e:#}"))
    }
}

impl DigitReader {
    /// [`DigitReader::new`], with the error as it is.
    pub fn load(weights: &[u8]) -> Result<Self> {
        let model = Mlp::<f32>::from_safetensors(weights)?;
        let (inputs, outputs) = (model.sizes[0], model.sizes[model.sizes.len() - 1]);
        ensure!(
            inputs == FIELD * FIELD && outputs == 10,
            "the model {} does not read MNIST digits: it needs {} inputs and 10 outputs",
            model.architecture(),
            FIELD * FIELD
        );
        Ok(DigitReader { model })
    }

    /// [`DigitReader::read`], with the error as it is.
    pub fn read_canvas(&mut self, rgba: &[u8], width: usize, height: usize) -> Result<Reading> {
        let input = prepare_drawing(&grey_from_rgba(rgba, width, height)?)?.pixels;
        let x = Array2::from_shape_vec((1, input.len()), input.clone())?; // a batch of one
        let probabilities = self.model.probabilities(&x);
        Ok(Reading {
            input,
            probabilities: probabilities.iter().copied().collect(),
        })
    }
}
