//! The machine room: a PNG file to grey levels, whatever kind of PNG it is, with a clear error
//! for anything that is not a picture of digits.

use std::io::{Cursor, Read};
use std::path::Path;

use anyhow::{Context, Result, ensure};

use super::Image;

/// Images with a side shorter than this are refused: too small to hold a digit.
pub const MIN_SIDE: usize = 8;
/// Images with a side longer than this are refused: larger than any page of digits needs.
pub const MAX_SIDE: usize = 4096;
/// Files larger than this are refused before they are read.
pub const MAX_FILE_BYTES: u64 = 64 * 1024 * 1024;

/// Decodes a PNG into grey levels in `[0, 1]` (0 black, 1 white), whatever its colour type:
/// grey, grey with alpha, RGB, RGBA or a palette, 1 to 16 bits per sample.
///
/// The png crate's `normalize_to_color8` turns palettes, low bit depths and 16-bit samples
/// into 8-bit samples; colour becomes grey by the luma formula; transparent pixels are laid
/// over white paper.
///
/// ```text
/// grey = 0.299 R + 0.587 G + 0.114 B        over white: grey·α + 1·(1 − α)
/// ```
///
/// Python (PIL): `Image.open(path).convert("L")`.
///
/// ```
/// use ch13_mnist::handwriting::decode_png;
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

/// Reads and decodes the PNG file at `path` (see [`decode_png`]), reading at most
/// [`MAX_FILE_BYTES`] of it (a file that says it is small may still be endless: `/dev/zero`).
pub fn read_png(path: &Path) -> Result<Image> {
    let context = || format!("reading the image {}", path.display());
    let file = std::fs::File::open(path).with_context(context)?;
    let mut bytes = Vec::new();
    file.take(MAX_FILE_BYTES + 1)
        .read_to_end(&mut bytes)
        .with_context(context)?;
    ensure!(
        bytes.len() as u64 <= MAX_FILE_BYTES,
        "{}: the file has more than the {MAX_FILE_BYTES} bytes an image of digits needs",
        path.display()
    );
    decode_png(&bytes).with_context(context)
}

/// The bytes of an 8-bit greyscale PNG of the given pixels (0 black, 255 white), row by row.
///
/// ```
/// use ch13_mnist::handwriting::{decode_png, grey_png};
/// let image = decode_png(&grey_png(8, 8, &[255; 64])?)?;
/// assert!(image.pixels.iter().all(|&v| v == 1.0));
/// # Ok::<(), anyhow::Error>(())
/// ```
pub fn grey_png(width: u32, height: u32, pixels: &[u8]) -> Result<Vec<u8>> {
    encode(
        width,
        height,
        png::ColorType::Grayscale,
        png::BitDepth::Eight,
        pixels,
    )
}

/// The bytes of a PNG of the given colour type, depth and samples.
fn encode(
    width: u32,
    height: u32,
    color: png::ColorType,
    depth: png::BitDepth,
    data: &[u8],
) -> Result<Vec<u8>> {
    let mut bytes = Vec::new();
    let mut encoder = png::Encoder::new(&mut bytes, width, height);
    encoder.set_color(color);
    encoder.set_depth(depth);
    let mut writer = encoder.write_header()?;
    writer.write_image_data(data)?;
    writer.finish()?;
    Ok(bytes)
}

#[cfg(test)]
mod tests {
    use super::*;
    use png::{BitDepth, ColorType};

    fn png_of(w: u32, h: u32, color: ColorType, depth: BitDepth, data: &[u8]) -> Vec<u8> {
        encode(w, h, color, depth, data).unwrap()
    }

    #[test]
    fn every_colour_type_decodes_to_the_same_grey() {
        let (w, h) = (8, 8);
        let n = (w * h) as usize;
        let grey = png_of(w, h, ColorType::Grayscale, BitDepth::Eight, &vec![51; n]);
        let grey16 = png_of(
            w,
            h,
            ColorType::Grayscale,
            BitDepth::Sixteen,
            &[51, 0].repeat(n),
        );
        let rgb = png_of(
            w,
            h,
            ColorType::Rgb,
            BitDepth::Eight,
            &[51, 51, 51].repeat(n),
        );
        let rgba = png_of(
            w,
            h,
            ColorType::Rgba,
            BitDepth::Eight,
            &[51, 51, 51, 255].repeat(n),
        );
        let grey_alpha = png_of(
            w,
            h,
            ColorType::GrayscaleAlpha,
            BitDepth::Eight,
            &[51, 255].repeat(n),
        );
        for bytes in [grey, grey16, rgb, rgba, grey_alpha] {
            let image = decode_png(&bytes).unwrap();
            assert_eq!((image.width, image.height), (8, 8));
            let close = image.pixels.iter().all(|&v| (v - 0.2).abs() < 1e-3);
            assert!(close, "{:?}", image.pixels[0]);
        }
    }

    #[test]
    fn a_palette_image_and_transparency_decode() {
        let mut bytes = Vec::new();
        let mut encoder = png::Encoder::new(&mut bytes, 8, 8);
        encoder.set_color(ColorType::Indexed);
        encoder.set_depth(BitDepth::Eight);
        encoder.set_palette(vec![0, 0, 0, 255, 255, 255]);
        let mut writer = encoder.write_header().unwrap();
        let mut data = vec![1u8; 64];
        data[9] = 0; // one black pixel
        writer.write_image_data(&data).unwrap();
        writer.finish().unwrap();
        let image = decode_png(&bytes).unwrap();
        assert_eq!((image.at(1, 1), image.at(0, 0)), (0.0, 1.0));

        // fully transparent black is white paper
        let clear = png_of(
            8,
            8,
            ColorType::Rgba,
            BitDepth::Eight,
            &[0, 0, 0, 0].repeat(64),
        );
        assert!(decode_png(&clear).unwrap().pixels.iter().all(|&v| v == 1.0));
    }

    #[test]
    fn bad_inputs_are_clear_errors() {
        let error = |bytes: &[u8]| decode_png(bytes).unwrap_err().to_string();
        let empty = error(b"");
        assert!(empty.contains("empty"), "{empty}");
        let text = error(b"hello, I am not a picture");
        assert!(text.contains("not a PNG file"), "{text}");
        let tiny = error(&grey_png(4, 4, &[0; 16]).unwrap());
        assert!(tiny.contains("4×4 pixels: too small"), "{tiny}");
        let huge = error(&grey_png(5000, 8, &vec![0; 40_000]).unwrap());
        assert!(huge.contains("5000×8 pixels: too large"), "{huge}");
        let started = std::time::Instant::now();
        let endless = read_png(Path::new("/dev/zero")).unwrap_err();
        let endless = format!("{endless:#}");
        assert!(
            endless.contains("more than the 67108864 bytes"),
            "{endless}"
        );
        assert!(started.elapsed().as_secs_f64() < 2.0);
        let mut cut = grey_png(20, 20, &[128; 400]).unwrap();
        cut.truncate(cut.len() - 20);
        assert!(decode_png(&cut).is_err());
    }
}
