//! What a trained network gets wrong: the confusion matrix and the misread digits.

/// How often each digit was read as each digit: `matrix[true][predicted]`.
///
/// ```
/// let m = ch12_convolution::confusion_matrix(&[3, 3, 5], &[3, 5, 5]);
/// assert_eq!((m[3][3], m[5][3], m[5][5]), (1, 1, 1));
/// ```
///
/// # Panics
/// If a class is not a digit, or the two lists differ in length.
pub fn confusion_matrix(predicted: &[usize], t: &[usize]) -> [[usize; 10]; 10] {
    assert_eq!(predicted.len(), t.len(), "one prediction per label");
    let mut matrix = [[0; 10]; 10];
    for (&p, &t) in predicted.iter().zip(t) {
        matrix[t][p] += 1;
    }
    matrix
}

/// The most frequent mistakes, `(true, predicted, count)`, most frequent first (ties by
/// digit), at most `n`.
///
/// ```
/// let mut m = [[0; 10]; 10];
/// (m[4][9], m[7][2], m[1][1]) = (5, 2, 100);
/// assert_eq!(ch12_convolution::most_confused(&m, 5), [(4, 9, 5), (7, 2, 2)]);
/// ```
pub fn most_confused(matrix: &[[usize; 10]; 10], n: usize) -> Vec<(usize, usize, usize)> {
    let mut mistakes: Vec<(usize, usize, usize)> = (0..10)
        .flat_map(|t| (0..10).map(move |p| (t, p)))
        .filter(|&(t, p)| t != p && matrix[t][p] > 0)
        .map(|(t, p)| (t, p, matrix[t][p]))
        .collect();
    mistakes.sort_by_key(|&(t, p, count)| (std::cmp::Reverse(count), t, p));
    mistakes.truncate(n);
    mistakes
}
