//! Accuracy: the fraction of samples whose most likely class is the right one — the number we
//! report, though not the one we train on.

use ch03_layers::Float;
use ndarray::ArrayRef2;

/// The index of the largest value in each row: the class the network predicts for each sample.
/// A tie goes to the first of the largest, as in NumPy.
///
/// ndarray has no `argmax` in its core (the `ndarray-stats` crate has one), so this is a loop.
///
/// NumPy: `np.argmax(y, axis=1)`.
///
/// ```
/// use ch05_loss::argmax_rows;
/// use ndarray::array;
/// let y = array![[0.7, 0.2, 0.1], [0.5, 0.1, 0.4], [0.02, 0.9, 0.08], [0.4, 0.4, 0.2]];
/// assert_eq!(argmax_rows(&y), [0, 0, 1, 0]);
/// ```
///
/// # Panics
/// If the rows are empty (zero columns).
// ANCHOR: argmax_rows
pub fn argmax_rows<F: Float>(y: &ArrayRef2<F>) -> Vec<usize> {
    assert!(y.ncols() > 0, "rows with no columns have no largest value");
    let mut classes = Vec::new();
    for row in y.rows() {
        let mut best = 0;
        for (k, &value) in row.iter().enumerate() {
            if value > row[best] {
                best = k;
            }
        }
        classes.push(best);
    }
    classes
}
// ANCHOR_END: argmax_rows

/// The fraction of samples whose predicted class, the argmax of their row, is the target.
///
/// ```text
/// accuracy = (1/N) · #{n : argmaxₖ yₙₖ = tₙ}
/// ```
///
/// NumPy (nnfs): `np.mean(np.argmax(y, axis=1) == t)`. With one-hot targets, pass
/// `argmax_rows(&t)` as the class indices.
///
/// ```
/// use ch05_loss::accuracy;
/// use ndarray::array;
/// let y = array![[0.7, 0.2, 0.1], [0.5, 0.1, 0.4], [0.02, 0.9, 0.08]];
/// assert_eq!(accuracy(&y, &[0, 1, 1]), 2.0 / 3.0); // predictions [0, 0, 1]
/// ```
///
/// # Panics
/// If there is not one target per row, or the batch is empty.
// ANCHOR: accuracy
pub fn accuracy<F: Float>(y: &ArrayRef2<F>, t: &[usize]) -> f64 {
    assert_eq!(y.nrows(), t.len(), "one class index per row of predictions");
    assert!(!t.is_empty(), "an empty batch has no accuracy");
    let predicted = argmax_rows(y);
    let correct = predicted.iter().zip(t).filter(|(p, t)| p == t).count();
    correct as f64 / t.len() as f64
}
// ANCHOR_END: accuracy

#[cfg(test)]
mod tests {
    use super::*;
    use crate::one_hot;
    use ndarray::{Array2, array};

    #[test]
    fn accuracy_matches_nnfs() {
        let y = array![[0.7, 0.2, 0.1], [0.5, 0.1, 0.4], [0.02, 0.9, 0.08]];
        assert_eq!(argmax_rows(&y), [0, 0, 1]);
        assert!((accuracy(&y, &[0, 1, 1]) - 0.6666666666666666).abs() < 1e-15);
    }

    #[test]
    fn argmax_takes_the_first_of_equal_values() {
        assert_eq!(
            argmax_rows(&array![[1.0, 3.0, 3.0], [2.0, 2.0, 2.0]]),
            [1, 0]
        );
    }

    #[test]
    fn argmax_of_one_hot_rows_gives_back_the_indices() {
        let t = [2, 0, 1, 1];
        assert_eq!(argmax_rows(&one_hot::<f32>(&t, 3)), t);
    }

    #[test]
    #[should_panic(expected = "one class index per row of predictions")]
    fn accuracy_needs_one_target_per_row() {
        accuracy(&Array2::<f64>::zeros((2, 3)), &[0, 1, 2]);
    }

    #[test]
    #[should_panic(expected = "an empty batch has no accuracy")]
    fn an_empty_batch_has_no_accuracy() {
        accuracy(&Array2::<f64>::zeros((0, 3)), &[]);
    }

    #[test]
    #[should_panic(expected = "rows with no columns have no largest value")]
    fn rows_with_no_columns_have_no_argmax() {
        argmax_rows(&Array2::<f64>::zeros((2, 0)));
    }
}
