//! Photos: the shipped photos read with and without the steps for photos, and those steps.

use crate::*;

/// The shipped photos read with MNIST's recipe alone and with the steps for photos first: the
/// digits each reads right, and the figure of the steps for one photo.
pub fn read_photos(model: &mut Mlp<f32>, out: &Path) -> Result<()> {
    section("Photos of handwriting");
    let folder = chapter_cli::workspace_root().join(PHOTOS);
    let mut paths: Vec<_> = std::fs::read_dir(&folder)
        .with_context(|| format!("reading {}", folder.display()))?
        .map(|entry| entry.map(|e| e.path()))
        .collect::<std::io::Result<_>>()?;
    paths.retain(|p| cli::labels_in_name(p).is_some());
    paths.sort();
    let recipes: [Recipe; 2] = [handwriting::preprocess, handwriting::preprocess_photo];
    let (mut right, mut wrong_count, mut digits) = ([0; 2], [0; 2], 0);
    let header = (
        "photo",
        "digits",
        "MNIST's recipe",
        "with the steps for photos",
    );
    println!(
        "{:<40} {:<9} {:<20} {}",
        header.0, header.1, header.2, header.3
    );
    for path in &paths {
        let labels = cli::labels_in_name(path).expect("kept only labelled photos");
        let photo = handwriting::read_image(path)?;
        let mut row = format!("{:<40} {:<9} ", cli::file_stem(path), as_text(&labels));
        for (r, recipe) in recipes.iter().enumerate() {
            let read = match recipe(&photo) {
                Ok(found) => read_digits(model, &found.digits),
                Err(_) => Vec::new(), // no digits found
            };
            let n = cli::digits_right(&labels, &read);
            right[r] += n;
            wrong_count[r] += usize::from(read.len() != labels.len());
            let cell = format!("{:<9} {n} right", as_text(&read));
            row.push_str(&format!("{cell:<21}"));
        }
        digits += labels.len();
        println!("{}", row.trim_end());
    }
    let share = |n: usize| format!("{n} of {digits} ({:.1}%)", 100.0 * n as f64 / digits as f64);
    let (first, second) = (share(right[0]), share(right[1]));
    println!("{:<51}{first:<21}{second}", "digits read right:");
    let count = paths.len();
    let first = format!("{} of {count}", wrong_count[0]);
    let second = format!("{} of {count}", wrong_count[1]);
    println!(
        "{:<51}{first:<21}{second}",
        "photos with too many or too few digits:"
    );
    draw_photo_steps(model, &folder.join(STEPS_PHOTO), out)
}

/// Digits as text: `[2, 0, 2, 6]` as `2026`.
fn as_text(digits: &[u8]) -> String {
    digits.iter().map(|d| d.to_string()).collect()
}

/// The figure of the steps for photos: the photo, its paper and ink with the digits found, and
/// each digit as the network sees it.
fn draw_photo_steps(model: &mut Mlp<f32>, path: &Path, out: &Path) -> Result<()> {
    let photo = handwriting::read_image(path)?;
    let (ink, _) = handwriting::clean_ink(&photo);
    let found = handwriting::preprocess_photo(&photo)?;
    let probabilities = model.probabilities(&handwriting::digits_matrix::<f32>(&found.digits));
    let tiles: Vec<plots::Tile> = found
        .digits
        .iter()
        .zip(top_classes(&probabilities, 1))
        .map(|(d, top)| {
            plots::Tile::new(
                &d.image.pixels,
                format!("{}: {:.1}%", top[0].0, 100.0 * top[0].1),
            )
        })
        .collect();
    let boxes: Vec<_> = found.digits.iter().map(|d| d.bbox).collect();
    let title = format!("Reading {}", cli::file_stem(path));
    figures::write_svg(out, "photo-steps.svg", (760, 620), |area| {
        plots::draw_photo_steps(area, &title, &photo, &ink, &boxes, &tiles)
    })?;
    Ok(())
}
