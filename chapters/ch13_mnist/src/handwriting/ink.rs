//! Grey levels to ink, as MNIST has it: 0 on the paper, 1 where the pen was heaviest.

use super::Image;

/// The grey level of the paper: the median of the pixels on the image's border, where
/// nobody writes.
///
/// ```
/// use ch13_mnist::handwriting::{background, Image};
/// let mut image = Image::new(3, 3, vec![0.9; 9]);
/// image.set(1, 1, 0.0); // ink in the middle
/// assert_eq!(background(&image), 0.9);
/// ```
// ANCHOR: background
pub fn background(image: &Image) -> f32 {
    let (w, h) = (image.width, image.height);
    let mut border: Vec<f32> = Vec::new();
    for x in 0..w {
        border.extend([image.at(x, 0), image.at(x, h - 1)]); // top and bottom rows
    }
    for y in 0..h {
        border.extend([image.at(0, y), image.at(w - 1, y)]); // left and right columns
    }
    border.sort_by(f32::total_cmp);
    border[border.len() / 2]
}
// ANCHOR_END: background

/// Ink as MNIST has it: 1 where the pen was heaviest, 0 on the paper. Returns the ink and
/// whether the image was inverted.
///
/// If the paper is light (its [`background`] above ½), the image is inverted, so dark strokes
/// become bright ones. Then the paper's level is taken away and the contrast stretched, so
/// the paper is exactly 0 and the heaviest stroke exactly 1 — grey paper and a grey pencil
/// end up like white ink on black, as in MNIST. An image with no contrast at all is all zeros.
///
/// ```text
/// v′ = 1 − v if the paper is light, else v
/// ink = clamp((v′ − paper′) / (max v′ − paper′), 0, 1)
/// ```
///
/// ```
/// use ch13_mnist::handwriting::{to_ink, Image};
/// let page = Image::new(4, 1, vec![1.0, 0.5, 0.0, 1.0]); // white paper, dark strokes
/// let (ink, inverted) = to_ink(&page);
/// assert!(inverted);
/// assert_eq!(ink.pixels, [0.0, 0.5, 1.0, 0.0]);
/// ```
// ANCHOR: to_ink
pub fn to_ink(image: &Image) -> (Image, bool) {
    let inverted = background(image) > 0.5;
    let mut ink = image.clone();
    if inverted {
        ink.pixels.iter_mut().for_each(|v| *v = 1.0 - *v);
    }
    let paper = background(&ink);
    let range = ink.max() - paper;
    for v in ink.pixels.iter_mut() {
        *v = if range < 1e-3 {
            0.0 // no contrast: no ink
        } else {
            ((*v - paper) / range).clamp(0.0, 1.0)
        };
    }
    (ink, inverted)
}
// ANCHOR_END: to_ink

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_light_page_is_inverted_and_a_dark_one_is_not() {
        let mut light = Image::new(20, 20, vec![1.0; 400]);
        for y in 5..15 {
            for x in 5..8 {
                light.set(x, y, 0.0);
            }
        }
        let (ink, inverted) = to_ink(&light);
        assert!(inverted);
        assert_eq!((ink.at(6, 8), ink.at(0, 0)), (1.0, 0.0));
        let dark = Image::new(20, 20, light.pixels.iter().map(|v| 1.0 - v).collect());
        let (ink, inverted) = to_ink(&dark);
        assert!(!inverted);
        assert_eq!((ink.at(6, 8), ink.at(0, 0)), (1.0, 0.0));
    }

    #[test]
    fn grey_paper_and_grey_pencil_are_stretched_to_zero_and_one() {
        let mut image = Image::new(10, 10, vec![0.8; 100]);
        image.set(5, 5, 0.5);
        let (ink, _) = to_ink(&image);
        assert_eq!((ink.at(5, 5), ink.at(1, 1)), (1.0, 0.0));
    }

    #[test]
    fn an_image_without_contrast_has_no_ink() {
        let (ink, _) = to_ink(&Image::new(10, 10, vec![0.7; 100]));
        assert!(ink.pixels.iter().all(|&v| v == 0.0));
    }
}
