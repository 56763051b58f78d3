//! Where the timings go: a `timed/` folder beside the figures, and standard error. Timings
//! differ from run to run, so they stay out of standard output, which the book checks byte
//! for byte.

use std::path::{Path, PathBuf};
use std::time::Instant;

use anyhow::{Context, Result};
use figures::FigureResult;
use plotters::coord::Shift;
use plotters::prelude::*;

/// The `timed/` folder inside `out`, created if it does not exist.
pub fn timed_dir(out: &Path) -> Result<PathBuf> {
    let dir = out.join("timed");
    std::fs::create_dir_all(&dir)
        .with_context(|| format!("creating the folder for timings {}", dir.display()))?;
    Ok(dir)
}

/// Writes `text` to `dir/name` and to standard error.
pub fn write_timed(dir: &Path, name: &str, text: &str) -> Result<()> {
    let path = dir.join(name);
    std::fs::write(&path, text).with_context(|| format!("writing {}", path.display()))?;
    eprint!("{text}");
    Ok(())
}

/// Draws a figure of timings into `dir/name` (SVG). Unlike the chapter's other figures it is
/// not shown in a notebook: its numbers are this run's, not the book's.
pub fn draw_timed(
    dir: &Path,
    name: &str,
    size: (u32, u32),
    draw: impl FnOnce(&DrawingArea<SVGBackend, Shift>) -> FigureResult,
) -> Result<()> {
    let path = dir.join(name);
    figures::save_svg(&path, size, draw)
        .map_err(|e| anyhow::anyhow!("drawing {}: {e}", path.display()))?;
    eprintln!("wrote {}", path.display());
    Ok(())
}

/// Seconds per call of `f`: `f` is called again and again for at least `seconds` (and twice at
/// least), in each of `windows` windows, and the best window's average is kept: a busy machine
/// only ever makes things slower, and a short window is likely to run undisturbed.
pub fn seconds_per_call(mut f: impl FnMut(), seconds: f64, windows: usize) -> f64 {
    let mut best = f64::INFINITY;
    for _ in 0..windows.max(1) {
        let started = Instant::now();
        let mut calls = 0u32;
        while calls < 2 || started.elapsed().as_secs_f64() < seconds {
            f();
            calls += 1;
        }
        best = best.min(started.elapsed().as_secs_f64() / f64::from(calls));
    }
    best
}
