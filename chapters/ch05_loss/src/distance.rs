//! Two distances between a prediction and its target: Euclidean (mean squared error is half its
//! square) and Manhattan (the mean absolute error of regression).

use ch03_layers::Float;
use ndarray::ArrayRef1;

/// The Euclidean distance between two vectors: the length of the straight line from one to
/// the other. Half its square is [`mean_squared_error`](crate::mean_squared_error).
///
/// ```text
/// d₂(a, b) = √(Σₖ (aₖ − bₖ)²)
/// ```
///
/// NumPy: `np.linalg.norm(a - b)`.
///
/// ```
/// use ch05_loss::euclidean_distance;
/// use ndarray::array;
/// assert_eq!(euclidean_distance(&array![0.0, 0.0], &array![3.0, 4.0]), 5.0);
/// ```
///
/// # Panics
/// If `a` and `b` have different lengths (the message names both shapes).
// ANCHOR: euclidean_distance
pub fn euclidean_distance<F: Float>(a: &ArrayRef1<F>, b: &ArrayRef1<F>) -> F {
    assert_eq!(a.shape(), b.shape(), "a and b differ in shape");
    let d = a - b;
    (&d * &d).sum().sqrt()
}
// ANCHOR_END: euclidean_distance

/// The Manhattan distance between two vectors: the sum of the absolute differences, the way a
/// taxi drives through a grid of streets.
///
/// ```text
/// d₁(a, b) = Σₖ |aₖ − bₖ|
/// ```
///
/// NumPy: `np.sum(np.abs(a - b))`.
///
/// ```
/// use ch05_loss::manhattan_distance;
/// use ndarray::array;
/// assert_eq!(manhattan_distance(&array![0.0, 0.0], &array![3.0, -4.0]), 7.0);
/// ```
///
/// # Panics
/// If `a` and `b` have different lengths (the message names both shapes).
// ANCHOR: manhattan_distance
pub fn manhattan_distance<F: Float>(a: &ArrayRef1<F>, b: &ArrayRef1<F>) -> F {
    assert_eq!(a.shape(), b.shape(), "a and b differ in shape");
    (a - b).mapv(F::abs).sum()
}
// ANCHOR_END: manhattan_distance

#[cfg(test)]
mod tests {
    use super::*;
    use ndarray::array;

    #[test]
    fn distances_work_on_views_and_owned_arrays() {
        let x = array![[1.0, 2.0], [4.0, 6.0]];
        assert_eq!(euclidean_distance(&x.row(0), &x.row(1)), 5.0);
        assert_eq!(manhattan_distance(&x.row(1).to_owned(), &x.row(0)), 7.0);
    }

    #[test]
    #[should_panic(expected = "a and b differ in shape")]
    fn distances_refuse_vectors_of_different_lengths() {
        manhattan_distance(&array![1.0], &array![1.0, 2.0]);
    }
}
