//! Loads the real MNIST files shipped in data/mnist and checks facts about them
//! that anyone can look up.

use std::ffi::OsString;
use std::path::PathBuf;
use std::sync::OnceLock;

use mnist::Mnist;

/// Loading takes a fraction of a second, but once is enough for all the tests here.
fn mnist() -> &'static Mnist {
    static MNIST: OnceLock<Mnist> = OnceLock::new();
    MNIST.get_or_init(|| mnist::load_from(&mnist::data_dir_from(None)).unwrap())
}

/// How many labels of each digit 0–9.
fn counts(labels: &[u8]) -> [usize; 10] {
    let mut counts = [0; 10];
    for &label in labels {
        counts[label as usize] += 1;
    }
    counts
}

#[test]
fn splits_have_the_published_sizes() {
    let mnist = mnist();
    assert_eq!(mnist.train.len(), 60_000);
    assert_eq!(mnist.test.len(), 10_000);
    for split in [&mnist.train, &mnist.test] {
        assert_eq!((split.rows, split.cols), (28, 28));
        assert_eq!(split.images.len(), split.len() * 28 * 28);
    }
}

#[test]
fn first_labels_match() {
    let mnist = mnist();
    assert_eq!(mnist.train.labels[..10], [5, 0, 4, 1, 9, 2, 1, 3, 1, 4]);
    assert_eq!(mnist.test.labels[..10], [7, 2, 1, 0, 4, 1, 4, 9, 5, 9]);
}

#[test]
fn digit_counts_match() {
    let mnist = mnist();
    assert_eq!(
        counts(&mnist.train.labels),
        [5923, 6742, 5958, 6131, 5842, 5421, 5918, 6265, 5851, 5949]
    );
    assert_eq!(
        counts(&mnist.test.labels),
        [980, 1135, 1032, 1010, 982, 892, 958, 1028, 974, 1009]
    );
}

#[test]
fn pixels_use_the_whole_byte_range() {
    let image = mnist().train.image(0);
    assert_eq!(image.len(), 784);
    assert_eq!(image.iter().min(), Some(&0));
    assert_eq!(image.iter().max(), Some(&255));
}

#[test]
fn normalised_images_lie_in_zero_to_one() {
    let x = mnist().test.images_normalised::<f32>();
    assert_eq!(x.dim(), (10_000, 784));
    let min = x.iter().copied().fold(f32::INFINITY, f32::min);
    let max = x.iter().copied().fold(f32::NEG_INFINITY, f32::max);
    assert_eq!((min, max), (0.0, 1.0));
    let x64 = mnist().train.first(5).images_normalised::<f64>();
    assert_eq!(x64[[0, 0]], 0.0);
}

#[test]
fn one_hot_rows_sum_to_one_at_the_label() {
    let split = mnist().train.first(1000);
    let t = split.labels_one_hot::<f64>();
    assert_eq!(t.dim(), (1000, 10));
    for (row, &label) in t.rows().into_iter().zip(&split.labels) {
        assert_eq!(row.sum(), 1.0);
        assert_eq!(row[label as usize], 1.0);
    }
}

#[test]
fn first_is_a_prefix() {
    let train = &mnist().train;
    let head = train.first(3);
    assert_eq!(head.labels, [5, 0, 4]);
    assert_eq!(head.image(2), train.image(2));
}

#[test]
fn compiled_digests_match_sha256sums() {
    let sums = std::fs::read_to_string(mnist::data_dir_from(None).join("SHA256SUMS")).unwrap();
    for (name, digest) in mnist::SHA256 {
        assert!(
            sums.lines().any(|line| line == format!("{digest}  {name}")),
            "{name}: {digest} not in SHA256SUMS"
        );
    }
}

#[test]
fn mnist_dir_is_honoured() {
    let dir = mnist::data_dir_from(Some(OsString::from("/somewhere/else")));
    assert_eq!(dir, PathBuf::from("/somewhere/else"));
    let err = mnist::load_from(&dir).unwrap_err();
    assert!(
        err.to_string()
            .contains("/somewhere/else/train-images-idx3-ubyte.gz")
    );
}

#[test]
fn default_dir_is_the_repository_data_folder() {
    let dir = mnist::data_dir_from(None);
    assert!(dir.ends_with("data/mnist"), "{}", dir.display());
    assert!(!dir.to_string_lossy().contains(".."), "{}", dir.display());
    assert!(dir.join(mnist::TRAIN_IMAGES).is_file());
}
