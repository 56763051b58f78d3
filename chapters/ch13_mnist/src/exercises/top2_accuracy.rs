//! Exercise: top-2 accuracy — was the right digit at least the network's second guess?

use ndarray::Array2;

// ANCHOR: exercise
// ANCHOR: signature
/// The fraction of rows of `probabilities` (one row per image, one column per digit) whose
/// true class `t` is among the two most probable.
///
/// ```text
/// top-2 accuracy = (1/N) · #{n : tₙ is one of the two largest entries of row n}
/// ```
pub fn top2_accuracy(probabilities: &Array2<f32>, t: &[usize]) -> f64 {
    // ANCHOR_END: signature
    // ANCHOR: solution
    let mut hits = 0;
    for (row, &target) in probabilities.rows().into_iter().zip(t) {
        // the true class is in the top two if at most one class beats it
        let beaten_by = row.iter().filter(|&&p| p > row[target]).count();
        if beaten_by <= 1 {
            hits += 1;
        }
    }
    hits as f64 / t.len() as f64
    // ANCHOR_END: solution
}
// ANCHOR_END: exercise

// ANCHOR: tests
#[cfg(test)]
mod tests {
    use super::top2_accuracy;
    use ndarray::array;

    #[test]
    fn the_first_guess_counts() {
        let p = array![[0.1, 0.7, 0.2]];
        assert_eq!(top2_accuracy(&p, &[1]), 1.0);
    }

    #[test]
    fn the_second_guess_counts_and_the_third_does_not() {
        let p = array![[0.1, 0.6, 0.3], [0.1, 0.6, 0.3]];
        assert_eq!(top2_accuracy(&p, &[2, 0]), 0.5);
    }

    #[test]
    fn top2_accuracy_is_at_least_the_accuracy() {
        let p = array![[0.5, 0.3, 0.2], [0.2, 0.2, 0.6], [0.4, 0.35, 0.25]];
        let t = [0, 1, 1];
        let accuracy = ch05_loss::accuracy(&p, &t);
        assert!(top2_accuracy(&p, &t) >= accuracy);
        assert_eq!(top2_accuracy(&p, &t), 1.0);
    }
}
// ANCHOR_END: tests
