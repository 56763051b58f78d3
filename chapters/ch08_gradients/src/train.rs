//! The data side of *Deep Learning from Scratch*'s `train_neuralnet.py`: random mini-batches
//! of MNIST, and a split as a matrix and its labels.

use ndarray::Array2;
use seeded_rng::Rng;

/// A mini-batch of `size` images drawn at random, with replacement, from `split`: the images
/// as rows of pixels in `[0, 1]` and their labels as class indices.
///
/// NumPy (DLFS): `batch_mask = np.random.choice(train_size, batch_size)`;
/// `x_batch = x_train[batch_mask]`.
///
/// ```
/// let split = mnist::Split { images: vec![0, 255, 51, 0], labels: vec![7, 3], rows: 1, cols: 2 };
/// let (x, t) = ch08_gradients::sample_batch(&split, 5, &mut seeded_rng::rng(0));
/// assert_eq!(x.dim(), (5, 2));
/// assert!(t.iter().all(|&label| label == 7 || label == 3));
/// ```
///
/// # Panics
/// If `split` is empty.
// ANCHOR: sample_batch
pub fn sample_batch(
    split: &mnist::Split,
    size: usize,
    rng: &mut impl Rng,
) -> (Array2<f64>, Vec<usize>) {
    assert!(!split.is_empty(), "cannot draw a batch from an empty split");
    let chosen: Vec<usize> = (0..size)
        .map(|_| rng.random_range(0..split.len()))
        .collect();
    let pixels = split.rows * split.cols;
    let x = Array2::from_shape_fn((size, pixels), |(n, p)| {
        f64::from(split.image(chosen[n])[p]) / 255.0
    });
    let t = chosen
        .iter()
        .map(|&i| usize::from(split.labels[i]))
        .collect();
    (x, t)
}
// ANCHOR_END: sample_batch

/// All of `split` as a matrix of pixels in `[0, 1]`, one image per row, and its labels as
/// class indices.
///
/// ```
/// let split = mnist::Split { images: vec![0, 255, 51, 0], labels: vec![7, 3], rows: 1, cols: 2 };
/// let (x, t) = ch08_gradients::images_and_labels(&split);
/// assert_eq!(x, ndarray::array![[0.0, 1.0], [0.2, 0.0]]);
/// assert_eq!(t, [7, 3]);
/// ```
pub fn images_and_labels(split: &mnist::Split) -> (Array2<f64>, Vec<usize>) {
    let t = split.labels.iter().map(|&l| usize::from(l)).collect();
    (split.images_normalised::<f64>(), t)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_batch_is_the_chosen_images_row_by_row() {
        let split = mnist::Split {
            images: vec![0, 255, 51, 102, 204, 0],
            labels: vec![1, 2, 3],
            rows: 1,
            cols: 2,
        };
        let (x, t) = sample_batch(&split, 20, &mut seeded_rng::rng(7));
        let (all, labels) = images_and_labels(&split);
        for (row, label) in x.rows().into_iter().zip(&t) {
            let i = labels.iter().position(|l| l == label).unwrap();
            assert_eq!(row, all.row(i));
        }
        assert!((1..=3).all(|label| t.contains(&label)), "{t:?}");
    }
}
