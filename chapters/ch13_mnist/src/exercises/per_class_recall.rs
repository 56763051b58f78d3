//! Exercise: how often each digit is recognised, from the confusion matrix.

use crate::{CLASSES, Confusion};

// ANCHOR: exercise
// ANCHOR: signature
/// For each digit `t`, the fraction of the images of `t` that the network called `t`: the
/// diagonal count over the count of its row. A digit with no images at all gets 0.
///
/// ```text
/// recall[t] = counts[t][t] / Σₚ counts[t][p]
/// ```
pub fn per_class_recall(confusion: &Confusion) -> [f64; CLASSES] {
    // ANCHOR_END: signature
    // ANCHOR: solution
    let mut recall = [0.0; CLASSES];
    for (t, row) in confusion.iter().enumerate() {
        let images: usize = row.iter().sum();
        if images > 0 {
            recall[t] = row[t] as f64 / images as f64;
        }
    }
    recall
    // ANCHOR_END: solution
}
// ANCHOR_END: exercise

// ANCHOR: tests
#[cfg(test)]
mod tests {
    use super::per_class_recall;

    #[test]
    fn a_perfect_network_recalls_every_digit() {
        let mut confusion = [[0; 10]; 10];
        for (k, row) in confusion.iter_mut().enumerate() {
            row[k] = 100 + k;
        }
        assert_eq!(per_class_recall(&confusion), [1.0; 10]);
    }

    #[test]
    fn recall_divides_the_diagonal_by_its_row() {
        let mut confusion = [[0; 10]; 10];
        confusion[4] = [0, 0, 0, 0, 30, 0, 0, 0, 0, 10]; // 30 fours right, 10 called nine
        confusion[9][4] = 50; // nines called four do not change the recall of four
        assert_eq!(per_class_recall(&confusion)[4], 0.75);
        assert_eq!(per_class_recall(&confusion)[9], 0.0);
    }

    #[test]
    fn a_digit_without_images_gets_zero() {
        let confusion = [[0; 10]; 10];
        assert_eq!(per_class_recall(&confusion), [0.0; 10]);
    }
}
// ANCHOR_END: tests
