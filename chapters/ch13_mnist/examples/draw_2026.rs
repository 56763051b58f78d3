//! Draws `data/handwriting/2026.png`: "2026" written with a round pen in dark blue ink on
//! off-white paper, 400×120 pixels.
//!
//! It stands in for a photo of the reader's handwriting, and gives the preprocessing real work
//! to do: the paper is light (so it must be inverted), the digits are 3 to 4 times larger than
//! MNIST's, lean a little, differ in size, sit off-centre and lower or higher than each other,
//! and the pen's pressure varies along each stroke.
//!
//! Each digit is a few strokes; each stroke is a chain of cubic Bézier curves in a box one
//! unit high (y grows downwards, as in images), drawn with a pen whose radius changes along
//! the stroke. A pixel's ink is how much of it the pen covered (anti-aliased edges).
//!
//! Run it to make the file again (it writes the same bytes every time):
//!
//! ```console
//! $ cargo run -p ch13_mnist --example draw_2026
//! ```
//!
//! or pass another path: `cargo run -p ch13_mnist --example draw_2026 -- my.png`.

use std::path::PathBuf;

use anyhow::{Context, Result};

/// The canvas.
const WIDTH: usize = 400;
const HEIGHT: usize = 120;
/// Off-white paper and dark blue ink, RGB.
const PAPER: [f64; 3] = [246.0, 243.0, 234.0];
const INK: [f64; 3] = [32.0, 42.0, 105.0];
/// How far the writing leans: x moves right by this fraction of the height above the baseline.
const SLANT: f64 = 0.12;
/// Points per Bézier curve when it is drawn as short straight pieces.
const PIECES: usize = 48;

type Point = (f64, f64);
/// A cubic Bézier curve: start, two control points, end.
type Curve = [Point; 4];

/// The strokes of each digit, in a box 1 unit high and about 0.6 wide.
fn strokes(digit: char) -> Vec<Vec<Curve>> {
    match digit {
        // a hook over the top, a long curve down to the left, a line along the bottom
        '2' => vec![vec![
            [(0.06, 0.27), (0.08, 0.02), (0.56, -0.03), (0.55, 0.27)],
            [(0.55, 0.27), (0.54, 0.50), (0.22, 0.70), (0.03, 0.96)],
            [(0.03, 0.96), (0.22, 0.95), (0.42, 0.94), (0.62, 0.95)],
        ]],
        // one closed loop, started at the top and carried a little past it
        '0' => vec![vec![
            [(0.32, 0.02), (0.02, 0.02), (0.00, 0.98), (0.30, 0.98)],
            [(0.30, 0.98), (0.62, 0.98), (0.62, 0.02), (0.28, 0.04)],
        ]],
        // a stem curving down from the top right into a loop at the bottom
        '6' => vec![vec![
            [(0.52, 0.04), (0.22, 0.08), (0.04, 0.45), (0.08, 0.74)],
            [(0.08, 0.74), (0.12, 1.02), (0.56, 1.02), (0.56, 0.72)],
            [(0.56, 0.72), (0.56, 0.46), (0.16, 0.44), (0.10, 0.68)],
        ]],
        _ => Vec::new(),
    }
}

/// Where and how large each digit is written: the character, its left edge and top in pixels,
/// its height in pixels, and the pen's radius in pixels.
const LAYOUT: [(char, f64, f64, f64, f64); 4] = [
    ('2', 38.0, 24.0, 74.0, 4.6),
    ('0', 122.0, 16.0, 82.0, 5.0),
    ('2', 212.0, 30.0, 70.0, 4.4),
    ('6', 290.0, 14.0, 86.0, 5.2),
];

/// The point of a cubic Bézier curve at `t` in `[0, 1]`.
fn bezier([p0, p1, p2, p3]: &Curve, t: f64) -> Point {
    let u = 1.0 - t;
    let (a, b, c, d) = (u * u * u, 3.0 * u * u * t, 3.0 * u * t * t, t * t * t);
    (
        a * p0.0 + b * p1.0 + c * p2.0 + d * p3.0,
        a * p0.1 + b * p1.1 + c * p2.1 + d * p3.1,
    )
}

/// The distance from `p` to the segment `a`–`b`, and where along it the nearest point lies
/// (0 at `a`, 1 at `b`).
fn distance_to_segment(p: Point, a: Point, b: Point) -> (f64, f64) {
    let (dx, dy) = (b.0 - a.0, b.1 - a.1);
    let length2 = dx * dx + dy * dy;
    let t = if length2 == 0.0 {
        0.0
    } else {
        (((p.0 - a.0) * dx + (p.1 - a.1) * dy) / length2).clamp(0.0, 1.0)
    };
    let (nx, ny) = (a.0 + t * dx, a.1 + t * dy);
    (((p.0 - nx).powi(2) + (p.1 - ny).powi(2)).sqrt(), t)
}

/// One stroke as pen positions on the canvas, each with the pen's radius there: pressing
/// harder in the middle of the stroke than at its ends.
fn pen_path(curves: &[Curve], left: f64, top: f64, height: f64, radius: f64) -> Vec<(Point, f64)> {
    let n = curves.len() * PIECES;
    let mut path = Vec::with_capacity(n + 1);
    for (c, curve) in curves.iter().enumerate() {
        for i in 0..=PIECES {
            if c > 0 && i == 0 {
                continue; // the previous curve ended here
            }
            let (x, y) = bezier(curve, i as f64 / PIECES as f64);
            let along = (c * PIECES + i) as f64 / n as f64;
            let pressure = 0.8 + 0.35 * (std::f64::consts::PI * along).sin();
            let canvas = (left + (x + SLANT * (1.0 - y)) * height, top + y * height);
            path.push((canvas, radius * pressure));
        }
    }
    path
}

/// How much ink lands on each pixel (0 to 1) when every path is drawn.
fn ink(paths: &[Vec<(Point, f64)>]) -> Vec<f64> {
    let mut ink = vec![0.0; WIDTH * HEIGHT];
    for path in paths {
        for pair in path.windows(2) {
            let ((a, ra), (b, rb)) = (pair[0], pair[1]);
            let reach = ra.max(rb) + 1.0;
            let x0 = (a.0.min(b.0) - reach).floor().max(0.0) as usize;
            let x1 = ((a.0.max(b.0) + reach).ceil() as usize).min(WIDTH);
            let y0 = (a.1.min(b.1) - reach).floor().max(0.0) as usize;
            let y1 = ((a.1.max(b.1) + reach).ceil() as usize).min(HEIGHT);
            for y in y0..y1 {
                for x in x0..x1 {
                    let centre = (x as f64 + 0.5, y as f64 + 0.5);
                    let (d, t) = distance_to_segment(centre, a, b);
                    let r = ra + t * (rb - ra);
                    let covered = (r + 0.5 - d).clamp(0.0, 1.0); // a soft edge one pixel wide
                    let pixel = &mut ink[y * WIDTH + x];
                    *pixel = f64::max(*pixel, covered);
                }
            }
        }
    }
    ink
}

fn main() -> Result<()> {
    let path = std::env::args_os()
        .nth(1)
        .map(PathBuf::from)
        .unwrap_or_else(|| {
            chapter_cli::workspace_root()
                .join("data")
                .join("handwriting")
                .join("2026.png")
        });
    let paths: Vec<Vec<(Point, f64)>> = LAYOUT
        .iter()
        .flat_map(|&(digit, left, top, height, radius)| {
            strokes(digit)
                .into_iter()
                .map(move |stroke| pen_path(&stroke, left, top, height, radius))
        })
        .collect();
    let ink = ink(&paths);
    let rgb: Vec<u8> = ink
        .iter()
        .flat_map(|&v| (0..3).map(move |c| (PAPER[c] + v * (INK[c] - PAPER[c])).round() as u8))
        .collect();

    let file =
        std::fs::File::create(&path).with_context(|| format!("creating {}", path.display()))?;
    let mut encoder = png::Encoder::new(std::io::BufWriter::new(file), WIDTH as u32, HEIGHT as u32);
    encoder.set_color(png::ColorType::Rgb);
    encoder.set_depth(png::BitDepth::Eight);
    let mut writer = encoder.write_header()?;
    writer.write_image_data(&rgb)?;
    writer.finish()?;
    eprintln!("wrote {}", path.display());
    Ok(())
}
