//! Exercise: the bounding box of the ink in an image.

use crate::handwriting::{BoundingBox, Image};

// ANCHOR: exercise
// ANCHOR: signature
/// The smallest box that holds every pixel with at least `threshold` ink (columns
/// `left..right`, rows `top..bottom`, right and bottom not included), or `None` if no pixel
/// has that much.
pub fn ink_bounding_box(image: &Image, threshold: f32) -> Option<BoundingBox> {
    // ANCHOR_END: signature
    // ANCHOR: solution
    let mut found: Option<BoundingBox> = None;
    for y in 0..image.height {
        for x in 0..image.width {
            if image.at(x, y) >= threshold {
                let pixel = BoundingBox::at(x, y);
                found = Some(match found {
                    Some(b) => b.union(&pixel),
                    None => pixel,
                });
            }
        }
    }
    found
    // ANCHOR_END: solution
}
// ANCHOR_END: exercise

// ANCHOR: tests
#[cfg(test)]
mod tests {
    use super::ink_bounding_box;
    use crate::handwriting::{BoundingBox, Image};

    #[test]
    fn the_box_holds_every_inked_pixel_and_no_more() {
        let mut image = Image::zeros(10, 8);
        image.set(2, 5, 1.0);
        image.set(6, 1, 0.7);
        image.set(4, 3, 0.9);
        let expected = BoundingBox {
            left: 2,
            top: 1,
            right: 7,
            bottom: 6,
        };
        assert_eq!(ink_bounding_box(&image, 0.5), Some(expected));
    }

    #[test]
    fn faint_pixels_below_the_threshold_are_left_out() {
        let mut image = Image::zeros(10, 8);
        image.set(3, 3, 1.0);
        image.set(9, 7, 0.2);
        assert_eq!(ink_bounding_box(&image, 0.5), Some(BoundingBox::at(3, 3)));
    }

    #[test]
    fn an_image_without_ink_has_no_box() {
        assert_eq!(ink_bounding_box(&Image::zeros(5, 5), 0.5), None);
    }
}
// ANCHOR_END: tests
