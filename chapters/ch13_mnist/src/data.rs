//! The data: MNIST's four files, read by the book's `mnist` crate and normalised by the backprop
//! chapter's `MnistData`, and the few facts about them that the story prints.

/// Pixels per MNIST image: 28 × 28.
pub const PIXELS: usize = 28 * 28;
/// The ten digits.
pub const CLASSES: usize = 10;

/// The first `n` training images of `mnist` (all of them if `n` is larger), with the whole
/// test set: for quick runs.
///
/// ```
/// let tiny = mnist::Mnist {
///     train: mnist::Split { images: vec![0; 3 * 4], labels: vec![1, 2, 3], rows: 2, cols: 2 },
///     test: mnist::Split { images: vec![0; 4], labels: vec![7], rows: 2, cols: 2 },
/// };
/// let first = ch13_mnist::with_training_subset(&tiny, 2);
/// assert_eq!((first.train.len(), first.test.len()), (2, 1));
/// ```
pub fn with_training_subset(mnist: &mnist::Mnist, n: usize) -> mnist::Mnist {
    mnist::Mnist {
        train: mnist.train.first(n),
        test: mnist.test.clone(),
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
