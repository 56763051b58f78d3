//! Exercise: the gradient of a whole batch from the gradients of its parts, for any number of
//! parts (one per core).

use ndarray::Array1;

// ANCHOR: exercise
// ANCHOR: signature
/// The mean gradient of a batch cut into parts, from each part's mean gradient and its number
/// of rows: `parts` holds `(gradient, rows)` for each part.
pub fn gradient_from_parts(parts: &[(Array1<f64>, usize)]) -> Array1<f64> {
    // ANCHOR_END: signature
    // ANCHOR: solution
    todo!("exercise gradient_from_parts")
    // ANCHOR_END: solution
}
// ANCHOR_END: exercise

// ANCHOR: tests
#[cfg(test)]
mod tests {
    use super::gradient_from_parts;
    use ndarray::{Array1, array};

    #[test]
    fn two_equal_halves_give_their_mean() {
        let g = gradient_from_parts(&[(array![2.0, 0.0], 50), (array![4.0, 2.0], 50)]);
        assert_eq!(g, array![3.0, 1.0]);
    }

    #[test]
    fn a_bigger_part_weighs_more() {
        let g = gradient_from_parts(&[(array![1.0], 1), (array![4.0], 3)]);
        assert_eq!(g, array![3.25]); // (1·1 + 3·4) / 4
    }

    #[test]
    fn the_parts_of_a_mean_loss_give_the_whole_batchs_gradient() {
        // the loss (1/N) Σₙ (θ − xₙ)²/2 has the gradient (1/N) Σₙ (θ − xₙ)
        let x = [1.0, 2.0, 4.0, 8.0, 16.0];
        let theta = 3.0;
        let mean_gradient = |xs: &[f64]| {
            let sum: f64 = xs.iter().map(|x| theta - x).sum();
            Array1::from_elem(1, sum / xs.len() as f64)
        };
        let (first, rest) = x.split_at(2);
        let (second, third) = rest.split_at(1);
        let parts = [first, second, third].map(|p| (mean_gradient(p), p.len()));
        let whole = gradient_from_parts(&parts);
        assert!((whole[0] - mean_gradient(&x)[0]).abs() < 1e-12);
    }
}
// ANCHOR_END: tests
