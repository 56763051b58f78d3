//! The machine room: a PNG or JPEG file to grey levels — whatever kind of PNG, a phone's photo
//! turned the way it was taken and scaled down to a working size — with a clear error for
//! anything that is not a picture of digits.

use std::io::{Cursor, Read};
use std::path::Path;

use anyhow::{Context, Result, bail, ensure};
use image::metadata::Orientation;
use image::{DynamicImage, ImageDecoder, ImageFormat, ImageReader, Limits};

use super::Image;

/// Images with a side shorter than this are refused: too small to hold a digit.
pub const MIN_SIDE: usize = 8;
/// Images with a side longer than this are refused before they are decoded: larger than any
/// camera's photo (a phone's is about 4000×3000), and a guard against a small file that says
/// it holds a huge picture.
pub const MAX_SIDE: usize = 12_000;
/// The most memory the decoded picture may take, in bytes: a 12-megapixel colour photo takes
/// 36 MB, a 48-megapixel one 144 MB.
pub const MAX_DECODE_BYTES: u64 = 256 * 1024 * 1024;
/// A larger picture is scaled down so that its longer side has this many pixels: plenty for a
/// line of digits, and quick to work on.
pub const WORKING_SIDE: usize = 1600;
/// Files larger than this are refused before they are read.
pub const MAX_FILE_BYTES: u64 = 64 * 1024 * 1024;

/// Decodes a PNG or a JPEG into grey levels in `[0, 1]` (0 black, 1 white), with the `image`
/// crate: any kind of PNG (grey, colour, palette, 1 to 16 bits, transparency) and the JPEGs
/// phones save. A photo is turned the way its EXIF orientation says it was taken, and one whose
/// longer side is over [`WORKING_SIDE`] is scaled down to it (by averaging, the image crate's
/// `thumbnail`).
///
/// Colour becomes grey by the luma formula; transparent pixels are laid over white paper.
///
/// ```text
/// grey = 0.299 R + 0.587 G + 0.114 B        over white: grey·α + 1·(1 − α)
/// ```
///
/// Python (PIL): `ImageOps.exif_transpose(Image.open(path)).convert("L")`.
///
/// ```
/// use ch13_mnist::handwriting::decode_image;
/// let error = decode_image(b"GIF89a...").unwrap_err();
/// assert!(error.to_string().contains("not a PNG or JPEG"));
/// ```
pub fn decode_image(bytes: &[u8]) -> Result<Image> {
    ensure!(!bytes.is_empty(), "the file is empty");
    let mut reader = ImageReader::new(Cursor::new(bytes)).with_guessed_format()?;
    let format = reader.format();
    if !matches!(format, Some(ImageFormat::Png | ImageFormat::Jpeg)) {
        bail!("not a PNG or JPEG file: its first bytes are not those of either");
    }
    if format == Some(ImageFormat::Jpeg) {
        ensure!(
            jpeg_is_complete(bytes),
            "the JPEG is cut short: its last scan has no end marker (an incomplete download or copy?)"
        );
    }
    let mut limits = Limits::default();
    limits.max_image_width = Some(MAX_SIDE as u32 + 1); // so that our own message says it
    limits.max_image_height = Some(MAX_SIDE as u32 + 1);
    limits.max_alloc = Some(MAX_DECODE_BYTES);
    reader.limits(limits);
    let mut decoder = reader
        .into_decoder()
        .context("reading the image's header")?;
    let (width, height) = decoder.dimensions();
    let (width, height) = (width as usize, height as usize);
    ensure!(
        width >= MIN_SIDE && height >= MIN_SIDE,
        "the image is {width}×{height} pixels: too small to hold a digit \
         (each side needs at least {MIN_SIDE})"
    );
    ensure!(
        width <= MAX_SIDE && height <= MAX_SIDE,
        "the image is {width}×{height} pixels: too large (each side may be at most {MAX_SIDE})"
    );
    ensure!(
        decoder.total_bytes() <= MAX_DECODE_BYTES,
        "the image is {width}×{height} pixels: too large to decode in the \
         {MAX_DECODE_BYTES} bytes allowed"
    );
    let orientation = decoder.orientation().unwrap_or(Orientation::NoTransforms);
    let mut picture = DynamicImage::from_decoder(decoder).context("decoding the image's pixels")?;
    picture.apply_orientation(orientation); // a phone held sideways
    if picture.width().max(picture.height()) as usize > WORKING_SIDE {
        let side = WORKING_SIDE as u32;
        picture = picture.thumbnail(side, side); // scaled down, the aspect ratio kept
    }
    Ok(to_grey(&picture))
}

/// Whether a JPEG's last scan is followed by its end marker, `FF D9`. The JPEG decoder fills in
/// what is missing from a file cut short; this refuses it instead. (Inside a scan, a byte `FF`
/// is always followed by `00`, so `FF D9` there is the marker; a thumbnail's own end marker comes
/// before the picture's last scan, and a phone's trailer data after the marker is allowed.)
///
/// ```
/// use ch13_mnist::handwriting::jpeg_is_complete;
/// assert!(jpeg_is_complete(&[0xFF, 0xD8, 0xFF, 0xDA, 1, 2, 0xFF, 0xD9, 7]));
/// assert!(!jpeg_is_complete(&[0xFF, 0xD8, 0xFF, 0xDA, 1, 2, 0xFF, 0x00]));
/// ```
pub fn jpeg_is_complete(bytes: &[u8]) -> bool {
    let marker = |code: u8| move |pair: &[u8]| pair == [0xFF, code];
    let last_scan = bytes.windows(2).rposition(marker(0xDA));
    let last_end = bytes.windows(2).rposition(marker(0xD9));
    matches!((last_scan, last_end), (Some(scan), Some(end)) if end > scan)
}

/// A decoded picture in grey levels, transparent pixels laid over white paper.
fn to_grey(picture: &DynamicImage) -> Image {
    let rgba = picture.to_rgba32f();
    let pixels = rgba
        .pixels()
        .map(|p| {
            let [r, g, b, alpha] = p.0;
            let grey = 0.299 * r + 0.587 * g + 0.114 * b;
            grey * alpha + (1.0 - alpha) // over white paper
        })
        .collect();
    Image::new(rgba.width() as usize, rgba.height() as usize, pixels)
}

/// Reads and decodes the PNG or JPEG file at `path` (see [`decode_image`]), reading at most
/// [`MAX_FILE_BYTES`] of it (a file that says it is small may still be endless: `/dev/zero`).
pub fn read_image(path: &Path) -> Result<Image> {
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
    decode_image(&bytes).with_context(context)
}

/// The bytes of an 8-bit greyscale PNG of the given pixels (0 black, 255 white), row by row.
///
/// ```
/// use ch13_mnist::handwriting::{decode_image, grey_png};
/// let image = decode_image(&grey_png(8, 8, &[255; 64])?)?;
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
            let image = decode_image(&bytes).unwrap();
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
        let image = decode_image(&bytes).unwrap();
        assert_eq!((image.at(1, 1), image.at(0, 0)), (0.0, 1.0));

        // fully transparent black is white paper
        let clear = png_of(
            8,
            8,
            ColorType::Rgba,
            BitDepth::Eight,
            &[0, 0, 0, 0].repeat(64),
        );
        assert!(
            decode_image(&clear)
                .unwrap()
                .pixels
                .iter()
                .all(|&v| v == 1.0)
        );
    }

    #[test]
    fn bad_inputs_are_clear_errors() {
        let error = |bytes: &[u8]| decode_image(bytes).unwrap_err().to_string();
        let empty = error(b"");
        assert!(empty.contains("empty"), "{empty}");
        let text = error(b"hello, I am not a picture");
        assert!(text.contains("not a PNG or JPEG file"), "{text}");
        let tiny = error(&grey_png(4, 4, &[0; 16]).unwrap());
        assert!(tiny.contains("4×4 pixels: too small"), "{tiny}");
        let huge = error(&grey_png(12_001, 8, &vec![0; 96_008]).unwrap());
        assert!(huge.contains("12001×8 pixels: too large"), "{huge}");
        let started = std::time::Instant::now();
        let endless = read_image(Path::new("/dev/zero")).unwrap_err();
        let endless = format!("{endless:#}");
        assert!(
            endless.contains("more than the 67108864 bytes"),
            "{endless}"
        );
        assert!(started.elapsed().as_secs_f64() < 2.0);
        let mut cut = grey_png(20, 20, &[128; 400]).unwrap();
        cut.truncate(cut.len() - 20);
        assert!(decode_image(&cut).is_err());
    }
}

#[cfg(test)]
mod photo_tests {
    use super::*;

    #[test]
    fn a_sideways_phone_photo_is_turned_upright_by_its_exif() {
        let folder = chapter_cli::workspace_root().join("data/handwriting/photos");
        let path = std::fs::read_dir(folder)
            .unwrap()
            .map(|e| e.unwrap().path())
            .find(|p| p.to_string_lossy().contains("sideways"))
            .unwrap();
        // stored taller than wide, as the phone held it
        let bytes = std::fs::read(&path).unwrap();
        let stored = ImageReader::new(Cursor::new(&bytes))
            .with_guessed_format()
            .unwrap();
        let (w, h) = stored.into_decoder().unwrap().dimensions();
        assert!(h > w);
        let upright = decode_image(&bytes).unwrap();
        assert!(upright.width > upright.height);
    }

    #[test]
    fn a_jpeg_cut_short_is_refused() {
        let folder = chapter_cli::workspace_root().join("data/handwriting/photos");
        let bytes = std::fs::read(folder.join("06-shadow-pencil-5-7-2-0-0-0.jpg")).unwrap();
        assert!(decode_image(&bytes).is_ok());
        let error = decode_image(&bytes[..bytes.len() / 2]).unwrap_err();
        assert!(error.to_string().contains("cut short"), "{error}");
    }

    #[test]
    fn a_large_photo_is_scaled_to_the_working_size_and_a_jpeg_decodes() {
        let (w, h) = (3000u32, 1000u32);
        let pixels = vec![200u8; (w * h * 3) as usize];
        let mut jpeg = Vec::new();
        let encoder = image::codecs::jpeg::JpegEncoder::new_with_quality(&mut jpeg, 80);
        image::ImageEncoder::write_image(encoder, &pixels, w, h, image::ExtendedColorType::Rgb8)
            .unwrap();
        let image = decode_image(&jpeg).unwrap();
        assert_eq!((image.width, image.height), (WORKING_SIDE, 533));
        assert!(
            image
                .pixels
                .iter()
                .all(|&v| (v - 200.0 / 255.0).abs() < 0.02)
        );
    }
}
