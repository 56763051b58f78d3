//! The test set, looked at closely: the confusion matrix, the most frequent mistakes, and the
//! network's first guesses.

use ch03_layers::Float;
use ndarray::Array2;

use crate::data::CLASSES;

/// A confusion matrix: `counts[t][p]` is how many images of the digit `t` the network called
/// `p`. The diagonal holds the right answers.
///
/// NumPy: `np.add.at(confusion, (t, predicted), 1)`.
///
/// ```
/// let confusion = ch13_mnist::confusion_matrix(&[3, 5, 5, 1], &[3, 3, 5, 1]);
/// assert_eq!(confusion[3][3], 1);
/// assert_eq!(confusion[3][5], 1); // a 3 called 5
/// assert_eq!(confusion[5][5], 1);
/// assert_eq!(confusion[1][1], 1);
/// ```
///
/// # Panics
/// If the two lists differ in length or a class is 10 or more.
// ANCHOR: confusion
pub type Confusion = [[usize; CLASSES]; CLASSES];

pub fn confusion_matrix(predicted: &[usize], t: &[usize]) -> Confusion {
    assert_eq!(predicted.len(), t.len(), "one prediction per label");
    let mut counts = [[0; CLASSES]; CLASSES];
    for (&p, &t) in predicted.iter().zip(t) {
        counts[t][p] += 1;
    }
    counts
}
// ANCHOR_END: confusion

/// The `k` most frequent mistakes, as `(true, predicted, count)`, the most frequent first (ties
/// in order of the true, then the predicted digit).
///
/// ```
/// let mut confusion = [[0; 10]; 10];
/// confusion[4][9] = 7;
/// confusion[7][2] = 7;
/// confusion[3][5] = 2;
/// confusion[1][1] = 1000; // right answers are not mistakes
/// assert_eq!(ch13_mnist::most_confused(&confusion, 2), [(4, 9, 7), (7, 2, 7)]);
/// ```
pub fn most_confused(confusion: &Confusion, k: usize) -> Vec<(usize, usize, usize)> {
    let mut mistakes = Vec::new();
    for (t, row) in confusion.iter().enumerate() {
        for (p, &count) in row.iter().enumerate() {
            if t != p && count > 0 {
                mistakes.push((t, p, count));
            }
        }
    }
    mistakes.sort_by(|a, b| b.2.cmp(&a.2).then((a.0, a.1).cmp(&(b.0, b.1))));
    mistakes.truncate(k);
    mistakes
}

/// The right answers: the sum of the confusion matrix's diagonal.
///
/// ```
/// let confusion = ch13_mnist::confusion_matrix(&[3, 5, 5, 1], &[3, 3, 5, 1]);
/// assert_eq!(ch13_mnist::evaluate::right_answers(&confusion), 3);
/// ```
pub fn right_answers(confusion: &Confusion) -> usize {
    (0..CLASSES).map(|k| confusion[k][k]).sum()
}

/// The indices of the images whose prediction is not their label.
///
/// ```
/// assert_eq!(ch13_mnist::evaluate::mistakes(&[3, 5, 5, 1], &[3, 3, 5, 2]), [1, 3]);
/// ```
pub fn mistakes(predicted: &[usize], t: &[usize]) -> Vec<usize> {
    (0..t.len()).filter(|&i| predicted[i] != t[i]).collect()
}

/// The `k` most probable classes of each row of `probabilities`, with their probabilities, the
/// most probable first (ties in order of the class).
///
/// ```
/// let p = ndarray::array![[0.1f32, 0.7, 0.2]];
/// let top = ch13_mnist::top_classes(&p, 2);
/// assert_eq!(top[0][0].0, 1);
/// assert_eq!(top[0][1].0, 2);
/// ```
pub fn top_classes<F: Float>(probabilities: &Array2<F>, k: usize) -> Vec<Vec<(usize, f64)>> {
    probabilities
        .rows()
        .into_iter()
        .map(|row| {
            let mut ranked: Vec<(usize, f64)> = row
                .iter()
                .map(|v| v.to_f64().unwrap_or(f64::NAN))
                .enumerate()
                .collect();
            ranked.sort_by(|a, b| b.1.total_cmp(&a.1).then(a.0.cmp(&b.0)));
            ranked.truncate(k);
            ranked
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_confusion_matrix_counts_every_image_once() {
        let t = [0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 9];
        let predicted = [0, 1, 2, 3, 4, 5, 6, 7, 8, 4, 9];
        let confusion = confusion_matrix(&predicted, &t);
        assert_eq!(confusion.iter().flatten().sum::<usize>(), t.len());
        assert_eq!(confusion[9][4], 1);
        assert_eq!(right_answers(&confusion), 10);
        assert_eq!(most_confused(&confusion, 5), [(9, 4, 1)]);
    }
}
