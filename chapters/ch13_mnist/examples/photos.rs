//! Makes `data/handwriting/photos/`: photo-like pictures of lines of handwritten digits, with
//! their labels in their names (`03-ruled-marker-5-2-8-0.jpg` holds 5, 2, 8, 0).
//!
//! The digits are MNIST *test* digits — handwriting the network never trained on — picked at
//! random, enlarged 7 to 18 times (a picture's digit height over MNIST's 20 pixels, each digit
//! ±12%), smoothed and cut at an ink level that makes the strokes thinner (a felt pen) or
//! thicker (a marker). Each picture then gets what a phone photo of a page has:
//! tinted paper with a little texture, ruled or squared lines, ink of some colour, the page
//! turned a few degrees, light falling off across it and a shadow, blur, sensor noise, and JPEG
//! compression (or PNG). One is saved sideways with an EXIF orientation, as a phone held on
//! its side saves it.
//!
//! Run it to make the files again (it writes the same bytes every time):
//!
//! ```console
//! $ cargo run --release -p ch13_mnist --example photos
//! ```
//!
//! or pass another folder: `cargo run --release -p ch13_mnist --example photos -- my-folder`.

use std::path::{Path, PathBuf};

use anyhow::{Context, Result};
use image::codecs::jpeg::JpegEncoder;
use image::codecs::png::PngEncoder;
use image::{ExtendedColorType, ImageEncoder};
use seeded_rng::Rng;

/// The kind of paper: plain, ruled (horizontal lines) or squared (a grid).
#[derive(Clone, Copy)]
enum Lines {
    Plain,
    Ruled,
    Squared,
}

/// How the picture is saved: JPEG at a quality, or PNG.
#[derive(Clone, Copy)]
enum Format {
    Jpeg(u8),
    Png,
}

/// One picture: how many digits, how large (pixels), how far apart (a fraction of the height),
/// the ink level the strokes are cut at (low: thick strokes), the paper, its lines and how
/// dark they are (0 to 1), the ink, the page's turn (degrees), the shadow's depth, the blur
/// (pixels), the noise (standard deviation), the format, and whether it is saved sideways.
struct Photo {
    name: &'static str,
    digits: usize,
    height: f64,
    gap: f64,
    cut: f64,
    paper: [f64; 3],
    lines: Lines,
    line_darkness: f64,
    ink: [f64; 3],
    turn: f64,
    shadow: f64,
    blur: usize,
    noise: f64,
    format: Format,
    sideways: bool,
}

const WHITE: [f64; 3] = [0.96, 0.96, 0.95];
const CREAM: [f64; 3] = [0.95, 0.92, 0.82];
const GREYISH: [f64; 3] = [0.86, 0.87, 0.88];
const BLUE_INK: [f64; 3] = [0.12, 0.16, 0.45];
const BLACK_INK: [f64; 3] = [0.08, 0.08, 0.10];
const PENCIL: [f64; 3] = [0.38, 0.38, 0.40];

#[rustfmt::skip]
const PHOTOS: [Photo; 12] = [
    Photo { name: "plain-felt-pen", digits: 5, height: 260.0, gap: 0.45, cut: 0.62, paper: WHITE, lines: Lines::Plain, line_darkness: 0.7, ink: BLUE_INK, turn: 0.0, shadow: 0.0, blur: 1, noise: 0.01, format: Format::Jpeg(85), sideways: false },
    Photo { name: "ruled-felt-pen", digits: 6, height: 240.0, gap: 0.35, cut: 0.65, paper: WHITE, lines: Lines::Ruled, line_darkness: 1.0, ink: BLUE_INK, turn: 2.0, shadow: 0.25, blur: 1, noise: 0.015, format: Format::Jpeg(80), sideways: false },
    Photo { name: "ruled-marker", digits: 4, height: 320.0, gap: 0.4, cut: 0.15, paper: CREAM, lines: Lines::Ruled, line_darkness: 0.7, ink: BLACK_INK, turn: -3.0, shadow: 0.3, blur: 2, noise: 0.02, format: Format::Jpeg(70), sideways: false },
    Photo { name: "squared-pen", digits: 7, height: 220.0, gap: 0.3, cut: 0.5, paper: WHITE, lines: Lines::Squared, line_darkness: 1.0, ink: BLACK_INK, turn: 1.0, shadow: 0.35, blur: 1, noise: 0.015, format: Format::Jpeg(75), sideways: false },
    Photo { name: "squared-felt-pen", digits: 5, height: 170.0, gap: 0.35, cut: 0.62, paper: CREAM, lines: Lines::Squared, line_darkness: 0.7, ink: BLUE_INK, turn: -2.0, shadow: 0.2, blur: 2, noise: 0.0, format: Format::Png, sideways: false },
    Photo { name: "shadow-pencil", digits: 6, height: 250.0, gap: 0.4, cut: 0.45, paper: GREYISH, lines: Lines::Plain, line_darkness: 0.7, ink: PENCIL, turn: 0.5, shadow: 0.5, blur: 1, noise: 0.02, format: Format::Jpeg(80), sideways: false },
    Photo { name: "close-together", digits: 8, height: 230.0, gap: 0.03, cut: 0.45, paper: WHITE, lines: Lines::Plain, line_darkness: 0.7, ink: BLUE_INK, turn: -1.0, shadow: 0.15, blur: 1, noise: 0.01, format: Format::Jpeg(85), sideways: false },
    Photo { name: "turned", digits: 5, height: 260.0, gap: 0.45, cut: 0.5, paper: WHITE, lines: Lines::Ruled, line_darkness: 0.7, ink: BLACK_INK, turn: 6.0, shadow: 0.2, blur: 1, noise: 0.015, format: Format::Jpeg(80), sideways: false },
    Photo { name: "blurred", digits: 4, height: 300.0, gap: 0.4, cut: 0.4, paper: CREAM, lines: Lines::Plain, line_darkness: 0.7, ink: BLUE_INK, turn: -1.5, shadow: 0.25, blur: 5, noise: 0.01, format: Format::Jpeg(75), sideways: false },
    Photo { name: "noisy", digits: 4, height: 260.0, gap: 0.5, cut: 0.5, paper: GREYISH, lines: Lines::Plain, line_darkness: 0.7, ink: BLACK_INK, turn: 1.5, shadow: 0.3, blur: 1, noise: 0.07, format: Format::Jpeg(60), sideways: false },
    Photo { name: "thick-marker", digits: 6, height: 160.0, gap: 0.3, cut: 0.08, paper: WHITE, lines: Lines::Squared, line_darkness: 0.7, ink: BLACK_INK, turn: -0.5, shadow: 0.2, blur: 2, noise: 0.0, format: Format::Png, sideways: false },
    Photo { name: "sideways", digits: 5, height: 250.0, gap: 0.4, cut: 0.55, paper: WHITE, lines: Lines::Ruled, line_darkness: 0.7, ink: BLUE_INK, turn: 1.0, shadow: 0.2, blur: 1, noise: 0.015, format: Format::Jpeg(80), sideways: true },
];

/// A colour picture, RGB in `[0, 1]`, row by row.
struct Picture {
    width: usize,
    height: usize,
    rgb: Vec<[f64; 3]>,
}

/// One digit's ink on the page: the MNIST image (28×28, `[0, 1]`), where its top left corner
/// lands, how many page pixels one MNIST pixel becomes, and how far it leans.
struct Placed {
    pixels: Vec<f64>,
    left: f64,
    top: f64,
    scale: f64,
    slant: f64,
}

/// An MNIST pixel at a point between pixels, bilinearly (0 outside the image).
fn sample(pixels: &[f64], x: f64, y: f64) -> f64 {
    let at = |x: isize, y: isize| {
        if (0..28).contains(&x) && (0..28).contains(&y) {
            pixels[y as usize * 28 + x as usize]
        } else {
            0.0
        }
    };
    let (x0, y0) = (x.floor(), y.floor());
    let (fx, fy) = (x - x0, y - y0);
    let (x0, y0) = (x0 as isize, y0 as isize);
    let top = at(x0, y0) * (1.0 - fx) + at(x0 + 1, y0) * fx;
    let bottom = at(x0, y0 + 1) * (1.0 - fx) + at(x0 + 1, y0 + 1) * fx;
    top * (1.0 - fy) + bottom * fy
}

/// A 28×28 image smoothed by a 3×3 blur, so that enlarging it gives round strokes, and
/// brightened so that its heaviest pixel is 1 (a faint digit's strokes are not lost at a high cut).
fn smoothed(pixels: &[u8]) -> Vec<f64> {
    let weights = [[1.0, 2.0, 1.0], [2.0, 4.0, 2.0], [1.0, 2.0, 1.0]];
    let mut out = vec![0.0; 28 * 28];
    for y in 0..28 {
        for x in 0..28 {
            let mut sum = 0.0;
            for (dy, row) in weights.iter().enumerate() {
                for (dx, w) in row.iter().enumerate() {
                    let (sx, sy) = (x + dx, y + dy);
                    if (1..29).contains(&sx) && (1..29).contains(&sy) {
                        sum += w * f64::from(pixels[(sy - 1) * 28 + sx - 1]) / 255.0;
                    }
                }
            }
            out[y * 28 + x] = sum / 16.0;
        }
    }
    let max = out.iter().copied().fold(0.0, f64::max);
    out.iter().map(|v| v / max).collect()
}

/// The ink of a stroke from the smoothed MNIST level `v`: full above the cut, none well below,
/// a soft edge between.
fn ink_at(v: f64, cut: f64) -> f64 {
    ((v - cut) / 0.08 + 0.5).clamp(0.0, 1.0)
}

/// Smooth value noise in `[-1, 1]`: random values on a grid `cell` pixels apart, bilinearly
/// blended. `grid` holds the values, `across` of them per row.
fn value_noise(grid: &[f64], across: usize, cell: f64, x: f64, y: f64) -> f64 {
    let (gx, gy) = (x / cell, y / cell);
    let (i, j) = (gx.floor() as usize, gy.floor() as usize);
    let (fx, fy) = (gx - gx.floor(), gy - gy.floor());
    let v = |i: usize, j: usize| grid[(j * across + i) % grid.len()];
    let top = v(i, j) * (1.0 - fx) + v(i + 1, j) * fx;
    let bottom = v(i, j + 1) * (1.0 - fx) + v(i + 1, j + 1) * fx;
    top * (1.0 - fy) + bottom * fy
}

/// A standard normal number (Box–Muller).
fn normal(rng: &mut impl Rng) -> f64 {
    let (u, v): (f64, f64) = (rng.random(), rng.random());
    (-2.0 * (1.0 - u).ln()).sqrt() * (std::f64::consts::TAU * v).cos()
}

/// Draws one photo of the given digits (their MNIST test images and labels).
fn draw(photo: &Photo, digits: &[(&[u8], u8)], rng: &mut impl Rng) -> Picture {
    let h = photo.height;
    // lay the digits out left to right, each a little larger or smaller, higher or lower
    let margin = 0.8 * h;
    let mut placed = Vec::new();
    let mut x = margin;
    for (pixels, _) in digits {
        let scale = h / 20.0 * rng.random_range(0.88..1.12);
        let slant = rng.random_range(-0.15..0.2);
        let top = margin * 0.6 + rng.random_range(-0.08..0.08) * h - 4.0 * scale;
        let columns: Vec<usize> = (0..28)
            .filter(|&c| (0..28).any(|r| pixels[r * 28 + c] > 40))
            .collect();
        let (first, last) = (columns[0] as f64, *columns.last().unwrap() as f64 + 1.0);
        let left = x - first * scale;
        placed.push(Placed {
            pixels: smoothed(pixels),
            left,
            top,
            scale,
            slant,
        });
        x += (last - first) * scale + photo.gap * h;
    }
    let width = (x - photo.gap * h + margin).round() as usize;
    let height = (1.9 * h).round() as usize;

    let texture: Vec<f64> = (0..4096).map(|_| rng.random_range(-1.0..1.0)).collect();
    let (cx, cy) = (width as f64 / 2.0, height as f64 / 2.0);
    let (sin, cos) = photo.turn.to_radians().sin_cos();
    let line_gap = match photo.lines {
        Lines::Squared => 0.28 * h,
        _ => 0.62 * h,
    };
    // the shadow: a soft-edged band darkening one side, at a random angle
    let shadow_angle: f64 = rng.random_range(0.3..1.2);
    let shadow_at = rng.random_range(0.3..0.7) * width as f64;
    let falloff = rng.random_range(0.1..0.25);
    let mut rgb = Vec::with_capacity(width * height);
    for py in 0..height {
        for px in 0..width {
            // the point of the page under this pixel (the page is turned about the centre)
            let (dx, dy) = (px as f64 - cx, py as f64 - cy);
            let (x, y) = (cx + cos * dx + sin * dy, cy - sin * dx + cos * dy);
            let grain = 0.025 * value_noise(&texture, 64, 24.0, x, y)
                + 0.012 * value_noise(&texture[7..], 64, 3.0, x, y);
            let mut colour = photo.paper.map(|c| c * (1.0 + grain));
            let on_line = |position: f64| {
                let d = position.rem_euclid(line_gap);
                (1.6 - d.min(line_gap - d)).clamp(0.0, 1.0) // lines about 3 pixels wide
            };
            let line = match photo.lines {
                Lines::Plain => 0.0,
                Lines::Ruled => on_line(y + 0.11 * h),
                Lines::Squared => on_line(y + 0.11 * h).max(on_line(x)),
            };
            // light blue lines, or printed ones as dark as a pen's
            let line_colour = [0.55, 0.68, 0.85].map(|c| c * (1.7 - photo.line_darkness));
            for (c, l) in colour.iter_mut().zip(line_colour) {
                *c += photo.line_darkness * line * (l - *c);
            }
            let mut ink: f64 = 0.0;
            for d in &placed {
                let my = (y - d.top) / d.scale;
                let mx = (x - d.left) / d.scale + d.slant * (my - 14.0);
                if (-1.0..29.0).contains(&mx) && (-1.0..29.0).contains(&my) {
                    ink = ink.max(ink_at(sample(&d.pixels, mx, my), photo.cut));
                }
            }
            for (c, i) in colour.iter_mut().zip(photo.ink) {
                *c += ink * (i - *c);
            }
            // light falling off towards one corner, and the shadow
            let light =
                1.0 - falloff * (px as f64 / width as f64 + 0.5 * py as f64 / height as f64);
            let across =
                (px as f64 - shadow_at) * shadow_angle.cos() + py as f64 * shadow_angle.sin();
            let shade = 1.0 - photo.shadow / (1.0 + (-across / (0.15 * h)).exp());
            rgb.push(colour.map(|c| c * light * shade));
        }
    }
    let mut picture = Picture { width, height, rgb };
    for _ in 0..2 {
        box_blur(&mut picture, photo.blur);
    }
    for px in picture.rgb.iter_mut() {
        for c in px.iter_mut() {
            *c = (*c + photo.noise * normal(rng)).clamp(0.0, 1.0);
        }
    }
    picture
}

/// Blurs a picture with a box `2r + 1` pixels wide, across then down.
fn box_blur(picture: &mut Picture, r: usize) {
    if r == 0 {
        return;
    }
    let (w, h) = (picture.width, picture.height);
    for (step, count, lines, stride) in [(1, w, h, w), (w, h, w, 1)] {
        for line in 0..lines {
            let start = line * stride;
            let old: Vec<[f64; 3]> = (0..count).map(|i| picture.rgb[start + i * step]).collect();
            for i in 0..count {
                let (a, b) = (i.saturating_sub(r), (i + r + 1).min(count));
                let mut sum = [0.0; 3];
                for px in &old[a..b] {
                    for c in 0..3 {
                        sum[c] += px[c];
                    }
                }
                picture.rgb[start + i * step] = sum.map(|s| s / (b - a) as f64);
            }
        }
    }
}

/// The picture turned a quarter turn anticlockwise, as a phone held on its side stores it.
fn stored_sideways(picture: &Picture) -> Picture {
    let (w, h) = (picture.width, picture.height);
    let mut rgb = Vec::with_capacity(w * h);
    for y in 0..w {
        for x in 0..h {
            rgb.push(picture.rgb[x * w + (w - 1 - y)]);
        }
    }
    Picture {
        width: h,
        height: w,
        rgb,
    }
}

/// EXIF saying "turn a quarter turn clockwise to show" (orientation 6): a TIFF header and one
/// entry, big-endian.
const EXIF_TURN_CLOCKWISE: [u8; 26] = [
    b'M', b'M', 0, 42, 0, 0, 0, 8, // header, first entry list at byte 8
    0, 1, // one entry
    0x01, 0x12, 0, 3, 0, 0, 0, 1, 0, 6, 0, 0, // orientation, a short, 6
    0, 0, 0, 0, // no next list
];

/// Saves a picture as JPEG (with EXIF when `exif` is not empty) or PNG.
fn save(picture: &Picture, format: Format, exif: &[u8], path: &Path) -> Result<()> {
    let bytes: Vec<u8> = picture
        .rgb
        .iter()
        .flat_map(|px| px.map(|c| (c * 255.0).round() as u8))
        .collect();
    let (w, h) = (picture.width as u32, picture.height as u32);
    let mut file = Vec::new();
    match format {
        Format::Jpeg(quality) => {
            let mut encoder = JpegEncoder::new_with_quality(&mut file, quality);
            if !exif.is_empty() {
                encoder.set_exif_metadata(exif.to_vec())?;
            }
            encoder.write_image(&bytes, w, h, ExtendedColorType::Rgb8)?;
        }
        Format::Png => {
            // a photo's PNG in grey: colour would triple its size and add nothing here
            let grey: Vec<u8> = bytes
                .chunks(3)
                .map(|p| {
                    (0.299 * f64::from(p[0]) + 0.587 * f64::from(p[1]) + 0.114 * f64::from(p[2]))
                        .round() as u8
                })
                .collect();
            PngEncoder::new(&mut file).write_image(&grey, w, h, ExtendedColorType::L8)?;
        }
    }
    std::fs::write(path, file).with_context(|| format!("writing {}", path.display()))
}

fn main() -> Result<()> {
    let folder = std::env::args()
        .nth(1)
        .map(PathBuf::from)
        .unwrap_or_else(|| chapter_cli::workspace_root().join("data/handwriting/photos"));
    std::fs::create_dir_all(&folder)?;
    let mnist = mnist::load().context("loading MNIST")?;
    let test = &mnist.test;
    let mut rng = seeded_rng::rng(2026);
    for (n, photo) in PHOTOS.iter().enumerate() {
        let chosen: Vec<(&[u8], u8)> = (0..photo.digits)
            .map(|_| {
                let i = rng.random_range(0..test.len());
                (test.image(i), test.labels[i])
            })
            .collect();
        let picture = draw(photo, &chosen, &mut rng);
        let labels: Vec<String> = chosen.iter().map(|(_, l)| l.to_string()).collect();
        let extension = match photo.format {
            Format::Jpeg(_) => "jpg",
            Format::Png => "png",
        };
        let name = format!(
            "{:02}-{}-{}.{extension}",
            n + 1,
            photo.name,
            labels.join("-")
        );
        let path = folder.join(&name);
        if photo.sideways {
            save(
                &stored_sideways(&picture),
                photo.format,
                &EXIF_TURN_CLOCKWISE,
                &path,
            )?;
        } else {
            save(&picture, photo.format, &[], &path)?;
        }
        let size = std::fs::metadata(&path)?.len();
        println!(
            "{name}: {}×{} pixels, {size} bytes",
            picture.width, picture.height
        );
    }
    Ok(())
}
