//! The data: MNIST's four files, read by the book's `mnist` crate; its training images split
//! into the images we train on and the validation images we choose with; the three sets
//! normalised; and the few facts about them that the story prints.

use ch03_layers::Float;
use ndarray::{Array2, s};
use seeded_rng::Rng;

use crate::train::permutation;

/// Pixels per MNIST image: 28 × 28.
pub const PIXELS: usize = 28 * 28;
/// The ten digits.
pub const CLASSES: usize = 10;

/// How many of MNIST's 60,000 training images are held out as validation images: 10,000, as
/// in Nielsen's book, which leaves 50,000 to train on.
pub const VALIDATION_SIZE: usize = 10_000;

/// The training images split in two at random: `n` of them held out as validation images, the
/// others left to train on. Returns `(train, validation)`.
///
/// NumPy: `order = np.random.permutation(len(labels)); validation, train = order[:n], order[n:]`.
///
/// ```
/// let split = mnist::Split { images: (0..5).collect(), labels: vec![0, 1, 2, 3, 4], rows: 1, cols: 1 };
/// let (train, validation) = ch13_mnist::hold_out(&split, 2, &mut seeded_rng::rng(0));
/// assert_eq!((train.len(), validation.len()), (3, 2));
/// let mut every = [train.labels, validation.labels].concat();
/// every.sort();
/// assert_eq!(every, [0, 1, 2, 3, 4]); // each image in one part only
/// ```
///
/// # Panics
/// If `n` is larger than the number of images.
// ANCHOR: hold_out
pub fn hold_out(
    images: &mnist::Split,
    n: usize,
    rng: &mut impl Rng,
) -> (mnist::Split, mnist::Split) {
    assert!(
        n <= images.len(),
        "cannot hold out {n} of {} images",
        images.len()
    );
    let order = permutation(images.len(), rng);
    let (validation, train) = order.split_at(n);
    (select(images, train), select(images, validation))
}
// ANCHOR_END: hold_out

/// The images `indices` of a split, with their labels, in that order.
///
/// NumPy: `images[indices], labels[indices]`.
///
/// ```
/// let split = mnist::Split { images: vec![10, 11, 12], labels: vec![0, 1, 2], rows: 1, cols: 1 };
/// let picked = ch13_mnist::data::select(&split, &[2, 0]);
/// assert_eq!((picked.images, picked.labels), (vec![12, 10], vec![2, 0]));
/// ```
pub fn select(split: &mnist::Split, indices: &[usize]) -> mnist::Split {
    let mut images = Vec::with_capacity(indices.len() * split.rows * split.cols);
    for &i in indices {
        images.extend_from_slice(split.image(i));
    }
    mnist::Split {
        images,
        labels: indices.iter().map(|&i| split.labels[i]).collect(),
        rows: split.rows,
        cols: split.cols,
    }
}

/// The three sets as the network wants them: one image per row, each pixel divided by 255, and
/// the labels as class indices (the backprop chapter's `MnistData`, with validation images).
///
/// NumPy (Nielsen): `training_data, validation_data, test_data = load_data()`.
///
/// ```
/// let split = |n| mnist::Split { images: vec![255; n * 4], labels: vec![7; n], rows: 2, cols: 2 };
/// let data = ch13_mnist::Datasets::<f32>::new(&split(3), &split(2), &split(1));
/// assert_eq!(data.x_train.dim(), (3, 4));
/// assert_eq!((data.t_val, data.x_test[[0, 3]]), (vec![7, 7], 1.0));
/// ```
// ANCHOR: datasets
pub struct Datasets<F> {
    pub x_train: Array2<F>, // (50000, 784): to train on
    pub t_train: Vec<usize>,
    pub x_val: Array2<F>, // (10000, 784): to choose with
    pub t_val: Vec<usize>,
    pub x_test: Array2<F>, // (10000, 784): to measure once, at the end
    pub t_test: Vec<usize>,
}

impl<F: Float + From<u8>> Datasets<F> {
    pub fn new(train: &mnist::Split, validation: &mnist::Split, test: &mnist::Split) -> Self {
        let labels = |split: &mnist::Split| split.labels.iter().map(|&l| usize::from(l)).collect();
        Datasets {
            x_train: train.images_normalised(),
            t_train: labels(train),
            x_val: validation.images_normalised(),
            t_val: labels(validation),
            x_test: test.images_normalised(),
            t_test: labels(test),
        }
    }
}
// ANCHOR_END: datasets

impl<F: Float> Datasets<F> {
    /// The same sets with only the first `n` training images (all of them if `n` is larger):
    /// for short runs.
    ///
    /// ```
    /// let split = |n| mnist::Split { images: vec![0; n], labels: vec![1; n], rows: 1, cols: 1 };
    /// let data = ch13_mnist::Datasets::<f32>::new(&split(5), &split(2), &split(3));
    /// let fewer = data.with_training_subset(4);
    /// assert_eq!((fewer.t_train.len(), fewer.t_val.len(), fewer.t_test.len()), (4, 2, 3));
    /// ```
    pub fn with_training_subset(&self, n: usize) -> Datasets<F> {
        let n = n.min(self.t_train.len());
        Datasets {
            x_train: self.x_train.slice(s![..n, ..]).to_owned(),
            t_train: self.t_train[..n].to_vec(),
            x_val: self.x_val.clone(),
            t_val: self.t_val.clone(),
            x_test: self.x_test.clone(),
            t_test: self.t_test.clone(),
        }
    }
}

/// The darkest and the brightest pixel of a split, as stored (0 to 255).
///
/// ```
/// let split = mnist::Split { images: vec![3, 200, 17, 9], labels: vec![0], rows: 2, cols: 2 };
/// assert_eq!(ch13_mnist::data::pixel_range(&split), (3, 200));
/// ```
pub fn pixel_range(split: &mnist::Split) -> (u8, u8) {
    let lo = split.images.iter().copied().min().unwrap_or(0);
    let hi = split.images.iter().copied().max().unwrap_or(0);
    (lo, hi)
}

/// The mean pixel of a split, normalised to `[0, 1]` (pixel / 255).
///
/// ```
/// let split = mnist::Split { images: vec![0, 255, 0, 255], labels: vec![0], rows: 2, cols: 2 };
/// assert_eq!(ch13_mnist::data::mean_pixel(&split), 0.5);
/// ```
pub fn mean_pixel(split: &mnist::Split) -> f64 {
    let sum: f64 = split.images.iter().map(|&p| f64::from(p)).sum();
    sum / (255.0 * split.images.len().max(1) as f64)
}

/// How many images of each digit a split holds.
///
/// NumPy: `np.bincount(labels, minlength=10)`.
///
/// ```
/// let split = mnist::Split { images: vec![0; 3], labels: vec![7, 1, 7], rows: 1, cols: 1 };
/// assert_eq!(ch13_mnist::data::label_counts(&split), [0, 1, 0, 0, 0, 0, 0, 2, 0, 0]);
/// ```
pub fn label_counts(split: &mnist::Split) -> [usize; CLASSES] {
    let mut counts = [0; CLASSES];
    for &label in &split.labels {
        counts[usize::from(label)] += 1;
    }
    counts
}

/// Image `i` of a split, each pixel divided by 255: ink in `[0, 1]`, row by row.
///
/// ```
/// let split = mnist::Split { images: vec![0, 255, 51, 0], labels: vec![0], rows: 2, cols: 2 };
/// assert_eq!(ch13_mnist::data::normalised_image(&split, 0), [0.0, 1.0, 0.2, 0.0]);
/// ```
pub fn normalised_image(split: &mnist::Split, i: usize) -> Vec<f32> {
    split
        .image(i)
        .iter()
        .map(|&p| f32::from(p) / 255.0)
        .collect()
}
