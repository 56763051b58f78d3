//! Finding the digits in a picture: the connected marks of ink, specks dropped, the strokes of
//! one digit joined.

use super::{BoundingBox, Image};

/// After the background is removed, a pixel with at least this much ink belongs to a stroke.
pub const INK_THRESHOLD: f32 = 0.3;
/// Marks with fewer stroke pixels than this fraction of the largest mark are specks, not digits.
pub const SPECK_FRACTION: f64 = 0.1;

/// A connected mark of ink: its stroke pixels `(x, y)` and its bounding box.
#[derive(Debug, Clone, PartialEq)]
pub struct Component {
    pub pixels: Vec<(usize, usize)>,
    pub bbox: BoundingBox,
}

/// The connected components of the pixels with at least `threshold` ink: two stroke pixels
/// belong together when they touch, sides or corners (8-connectivity). Found by flood fill,
/// in the order their first pixel comes in reading order; each component's pixels are listed
/// in reading order too.
///
/// SciPy: `scipy.ndimage.label(ink >= threshold, structure=np.ones((3, 3)))`.
///
/// ```
/// use ch13_mnist::handwriting::{connected_components, Image};
/// #[rustfmt::skip]
/// let ink = Image::new(5, 3, vec![
///     1.0, 0.0, 0.0, 1.0, 1.0,
///     0.0, 1.0, 0.0, 0.0, 1.0,
///     0.0, 0.0, 0.0, 0.0, 0.0,
/// ]);
/// let marks = connected_components(&ink, 0.5);
/// assert_eq!(marks.len(), 2); // the diagonal pair touches at a corner
/// assert_eq!(marks[0].pixels, [(0, 0), (1, 1)]);
/// assert_eq!((marks[1].bbox.left, marks[1].bbox.right), (3, 5));
/// ```
// ANCHOR: connected_components
pub fn connected_components(ink: &Image, threshold: f32) -> Vec<Component> {
    let (w, h) = (ink.width, ink.height);
    let is_stroke = |x: usize, y: usize| ink.at(x, y) >= threshold;
    let mut seen = vec![false; w * h];
    let mut components = Vec::new();
    for start in 0..w * h {
        let (x0, y0) = (start % w, start / w); // in reading order
        if seen[start] || !is_stroke(x0, y0) {
            continue;
        }
        seen[start] = true;
        let mut to_visit = vec![(x0, y0)]; // a new mark: flood it
        let mut pixels = Vec::new();
        let mut bbox = BoundingBox::at(x0, y0);
        while let Some((x, y)) = to_visit.pop() {
            pixels.push((x, y));
            bbox = bbox.union(&BoundingBox::at(x, y));
            for ny in y.saturating_sub(1)..(y + 2).min(h) {
                for nx in x.saturating_sub(1)..(x + 2).min(w) {
                    if !seen[ny * w + nx] && is_stroke(nx, ny) {
                        seen[ny * w + nx] = true;
                        to_visit.push((nx, ny));
                    }
                }
            }
        }
        pixels.sort_by_key(|&(x, y)| (y, x));
        components.push(Component { pixels, bbox });
    }
    components
}
// ANCHOR_END: connected_components

/// The digits among the marks of `ink`, left to right.
///
/// Specks (marks with fewer than [`SPECK_FRACTION`] of the largest mark's pixels) are
/// dropped. Marks whose columns overlap by more than half the narrower one's width are one
/// digit written in two strokes (the bar of a 5, the stem of a 4), and are joined.
///
/// ```
/// use ch13_mnist::handwriting::{find_digits, Image};
/// let mut ink = Image::zeros(30, 14);
/// for y in 1..13 {
///     ink.set(4, y, 1.0); // a "1"
///     ink.set(20, y, 1.0); // another
/// }
/// ink.set(12, 5, 1.0); // a speck between them
/// let digits = find_digits(&ink);
/// assert_eq!(digits.len(), 2);
/// assert_eq!(digits[1].bbox.left, 20);
/// ```
// ANCHOR: find_digits
pub fn find_digits(ink: &Image) -> Vec<Component> {
    let mut marks = connected_components(ink, INK_THRESHOLD);
    let largest = marks.iter().map(|m| m.pixels.len()).max().unwrap_or(0);
    marks.retain(|m| m.pixels.len() as f64 >= SPECK_FRACTION * largest as f64);
    marks.sort_by_key(|m| (m.bbox.left, m.bbox.top));
    let mut digits: Vec<Component> = Vec::new();
    for mark in marks {
        if let Some(last) = digits.last_mut()
            && same_digit(&last.bbox, &mark.bbox)
        {
            last.bbox = last.bbox.union(&mark.bbox);
            last.pixels.extend(mark.pixels);
            continue;
        }
        digits.push(mark);
    }
    digits
}

/// Whether two marks are strokes of one digit: their columns overlap by more than half the
/// narrower one's width.
fn same_digit(a: &BoundingBox, b: &BoundingBox) -> bool {
    let overlap = a.right.min(b.right) as isize - a.left.max(b.left) as isize;
    2 * overlap > a.width().min(b.width()) as isize
}
// ANCHOR_END: find_digits

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn marks_that_touch_only_at_a_corner_are_one() {
        let mut ink = Image::zeros(6, 6);
        for i in 0..6 {
            ink.set(i, i, 1.0); // a diagonal line
        }
        let marks = connected_components(&ink, 0.5);
        assert_eq!(marks.len(), 1);
        assert_eq!(marks[0].pixels.len(), 6);
        assert_eq!(
            marks[0].bbox,
            BoundingBox {
                left: 0,
                top: 0,
                right: 6,
                bottom: 6
            }
        );
    }

    #[test]
    fn a_bar_over_a_stem_is_one_digit() {
        let mut ink = Image::zeros(20, 20);
        for x in 4..16 {
            ink.set(x, 2, 1.0); // the bar of a 5
        }
        for y in 5..18 {
            ink.set(8, y, 1.0); // a stroke below it, not touching
        }
        assert_eq!(connected_components(&ink, 0.5).len(), 2);
        assert_eq!(find_digits(&ink).len(), 1);
    }
}
