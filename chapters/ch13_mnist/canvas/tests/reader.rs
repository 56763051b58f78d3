//! The canvas's reader, on the host: the weights the book ships, and MNIST digits drawn large.

use ch13_mnist_canvas::DigitReader;

/// The weights `cargo xtask book` puts beside the page, as the chapter's program saved them.
fn shipped_weights() -> Vec<u8> {
    let path = chapter_cli::workspace_root().join("book/generated/ch13_mnist/model.safetensors");
    std::fs::read(&path).unwrap_or_else(|e| panic!("reading {}: {e}", path.display()))
}

/// A 28×28 digit (ink in [0, 1]) drawn `scale` times larger as canvas pixels: black ink on
/// white, RGBA.
fn as_canvas(pixels: &[f32], scale: usize) -> Vec<u8> {
    let side = 28 * scale;
    let mut rgba = Vec::with_capacity(4 * side * side);
    for y in 0..side {
        for x in 0..side {
            let grey = (255.0 * (1.0 - pixels[(y / scale) * 28 + x / scale])).round() as u8;
            rgba.extend([grey, grey, grey, 255]);
        }
    }
    rgba
}

#[test]
fn the_shipped_weights_are_the_network_the_page_describes() {
    let reader = DigitReader::load(&shipped_weights()).unwrap();
    let page = chapter_cli::workspace_root().join("book/generated/ch13_mnist/the-network.txt");
    let network = std::fs::read_to_string(page).unwrap();
    let layers = network
        .lines()
        .find_map(|line| line.strip_prefix("layers: "))
        .and_then(|rest| rest.split(' ').next())
        .expect("the page's network section gives its layers");
    assert_eq!(reader.architecture(), layers);
}

#[test]
fn mnist_test_digits_drawn_ten_times_larger_are_read() {
    let mut reader = DigitReader::load(&shipped_weights()).unwrap();
    let test = mnist::load().unwrap().test;
    let n = 200;
    let mut right = 0;
    for i in 0..n {
        let pixels = ch13_mnist::data::normalised_image(&test, i);
        let reading = reader.read_canvas(&as_canvas(&pixels, 10), 280, 280);
        right += usize::from(reading.is_ok_and(|r| r.digit() == usize::from(test.labels[i])));
    }
    // The network reads about 98% of the test digits as they are: drawn on a canvas and
    // prepared again, they must still be read nearly as well.
    assert!(right >= 190, "{right} of {n} read right");
}

#[test]
fn the_reading_is_an_mnist_input_and_ten_probabilities() {
    let mut reader = DigitReader::load(&shipped_weights()).unwrap();
    let mut pixels = vec![0.0; 28 * 28];
    for y in 4..24 {
        for x in 13..16 {
            pixels[y * 28 + x] = 1.0; // a "1"
        }
    }
    let reading = reader
        .read_canvas(&as_canvas(&pixels, 10), 280, 280)
        .unwrap();
    assert_eq!(reading.input().len(), 28 * 28);
    let probabilities = reading.probabilities();
    assert_eq!(probabilities.len(), 10);
    assert!((probabilities.iter().sum::<f32>() - 1.0).abs() < 1e-5);
    assert_eq!(reading.digit(), 1);
}

#[test]
fn a_blank_canvas_and_bad_input_are_clear_errors() {
    let mut reader = DigitReader::load(&shipped_weights()).unwrap();
    let blank = vec![255; 4 * 50 * 50];
    let error = reader.read_canvas(&blank, 50, 50).unwrap_err().to_string();
    assert!(error.contains("no digit yet"), "{error}");
    let error = reader.read_canvas(&blank, 40, 50).unwrap_err().to_string();
    assert!(
        error.contains("a 40×50 canvas has 8000 RGBA bytes, not 10000"),
        "{error}"
    );
    let error = DigitReader::load(b"not a model").unwrap_err().to_string();
    assert!(error.starts_with("not a safetensors file"), "{error}");
}
