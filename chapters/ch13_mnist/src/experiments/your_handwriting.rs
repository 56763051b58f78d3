//! Your handwriting: a page of digits, MNIST's digits prepared again, and images refused.

use crate::*;

/// How many MNIST test digits the story prepares again as if they were handwriting.
const REDO_IMAGES: usize = 1000;

/// Reads the digits of one picture, printing what preprocessing found and what the network
/// reads (and, if its name gives its digits, how many it read right).
pub fn read_handwriting<F: Float>(
    model: &mut Mlp<F>,
    path: &Path,
    name: &str,
    recipe: Recipe,
) -> Result<Reading> {
    section("Your handwriting");
    let page = handwriting::read_image(path)?;
    let Preprocessed {
        light_paper,
        turn,
        digits,
    } = recipe(&page).with_context(|| format!("reading digits from {}", path.display()))?;
    println!("{name}: {}×{} pixels", page.width, page.height);
    let paper = match light_paper {
        true => "light, so the image is inverted (ink becomes bright)",
        false => "dark, kept as it is",
    };
    println!("paper: {paper}");
    if turn != 0.0 {
        println!(
            "page turned straight by {turn}°: columns and rows below are those of the page turned straight, as drawn"
        );
    }
    println!("digits found: {}", digits.len());
    let probabilities = model.probabilities(&handwriting::digits_matrix::<F>(&digits));
    let mut read = String::new();
    let mut captions = Vec::new();
    for (i, (digit, top)) in digits
        .iter()
        .zip(top_classes(&probabilities, 2))
        .enumerate()
    {
        let ((first, p1), (second, p2)) = (top[0], top[1]);
        let b = digit.bbox;
        println!(
            "  {}: columns {:>3}–{:<3} rows {:>3}–{:<3} → {first} ({:.2}%), then {second} ({:.2}%)",
            i + 1,
            b.left,
            b.right - 1,
            b.top,
            b.bottom - 1,
            100.0 * p1,
            100.0 * p2
        );
        read.push_str(&first.to_string());
        captions.push(format!("{first}: {:.1}%", 100.0 * p1));
    }
    println!("the network reads: {read}");
    if let Some(labels) = cli::labels_in_name(path) {
        let read: Vec<u8> = read.bytes().map(|b| b - b'0').collect();
        let right = cli::digits_right(&labels, &read);
        let said: String = labels.iter().map(|d| d.to_string()).collect();
        println!(
            "its name says: {said}; digits read right: {right} of {}",
            labels.len()
        );
    }
    let name = name.to_string();
    Ok(Reading {
        name,
        page: handwriting::turn_page(&page, turn, light_paper), // where the boxes were found
        digits,
        captions,
    })
}

/// The story's handwriting figure.
pub fn draw_handwriting_figure(out: &Path, reading: &Reading) -> Result<()> {
    figures::write_svg(out, "handwriting.svg", (760, 470), |area| {
        plots::draw_reading(area, reading)
    })?;
    Ok(())
}

/// MNIST's own test digits put through the preprocessing for handwriting: where their centre
/// of mass is, and how little the recipe changes them.
pub fn redo_mnist(model: &mut Mlp<f32>, test: &mnist::Split) {
    section("MNIST digits prepared again");
    let n = test.len() as f64;
    let (mut cx, mut cy) = (0.0, 0.0);
    for i in 0..test.len() {
        let image = Image::new(test.cols, test.rows, normalised_image(test, i));
        let (x, y) = handwriting::centre_of_mass(&image).unwrap_or((0.0, 0.0));
        cx += x / n;
        cy += y / n;
    }
    let count = test.len();
    println!("centre of mass of the {count} test digits, on average: ({cx:.2}, {cy:.2})");

    let one_row =
        |pixels: &[f32]| ndarray::Array2::from_shape_vec((1, pixels.len()), pixels.to_vec());
    let first = test.len().min(REDO_IMAGES);
    let (mut single, mut change, mut same) = (0, 0.0, 0);
    for i in 0..first {
        let original = normalised_image(test, i);
        let Some(again) = handwriting::prepare_again(&original, test.cols) else {
            continue; // not found as one digit
        };
        single += 1;
        let differences = again
            .pixels
            .iter()
            .zip(&original)
            .map(|(a, b)| f64::from((a - b).abs()));
        change += differences.sum::<f64>() / original.len() as f64;
        let before = model.classify(&one_row(&original).expect("one row"));
        let after = model.classify(&one_row(&again.pixels).expect("one row"));
        same += usize::from(before == after);
    }
    println!("the first {first} test digits, prepared again: {single} found as one digit each");
    let change = change / single.max(1) as f64;
    println!("  mean change of a pixel: {change:.4} (pixels run from 0 to 1)");
    println!("  read as the same digit as before: {same} of {single}");
}

/// Images the reader might pass by mistake, and what the program says about each.
pub fn bad_images() -> Result<()> {
    section("Images that are refused");
    let blank_page = handwriting::grey_png(40, 40, &[255; 1600])?;
    let tiny = handwriting::grey_png(5, 5, &[0; 25])?;
    let mut speck = vec![255; 1600];
    for y in 20..23 {
        speck[y * 40 + 20] = 0; // three pixels of ink
    }
    let speck = handwriting::grey_png(40, 40, &speck)?;
    let photo = chapter_cli::workspace_root().join(PHOTOS).join(STEPS_PHOTO);
    let jpeg = std::fs::read(&photo).with_context(|| format!("reading {}", photo.display()))?;
    let cut_short = &jpeg[..jpeg.len() / 2];
    let claims_huge = claiming_size(&jpeg, 11_000)?;
    let cases: [(&str, &[u8]); 7] = [
        ("an empty file", b""),
        ("a text file", b"2026\n"),
        ("a 5×5 image", &tiny),
        ("a blank page", &blank_page),
        ("a page with a speck of ink", &speck),
        ("a JPEG photo cut short at half its bytes", cut_short),
        (
            "the same photo, its header claiming 11000×11000 pixels",
            &claims_huge,
        ),
    ];
    for (what, bytes) in cases {
        let found =
            handwriting::decode_image(bytes).and_then(|page| handwriting::preprocess(&page));
        print_refusal(what, found);
    }
    Ok(())
}

/// A JPEG's bytes with the picture size in its frame header (the marker `FF C0` to `FF C2`,
/// then two bytes of length and one of precision) changed to `side`×`side`: a small file that
/// claims a huge picture.
fn claiming_size(jpeg: &[u8], side: u16) -> Result<Vec<u8>> {
    let frame = jpeg
        .windows(2)
        .position(|w| w[0] == 0xFF && (0xC0..=0xC2).contains(&w[1]))
        .context("no frame header in the JPEG")?;
    let mut bytes = jpeg.to_vec();
    for at in [frame + 5, frame + 7] {
        bytes[at..at + 2].copy_from_slice(&side.to_be_bytes()); // height, then width
    }
    Ok(bytes)
}
