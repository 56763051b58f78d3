//! MNIST: 70,000 handwritten digits, 28×28 grey pixels each, read from the IDX files in
//! `data/mnist`.
//!
//! ```
//! let mnist = mnist::load()?;
//! assert_eq!((mnist.train.len(), mnist.test.len()), (60_000, 10_000));
//! println!("the first training image is a {}", mnist.train.labels[0]); // a 5
//! let x = mnist.train.first(100).images_normalised::<f32>(); // (100, 784), pixels in [0, 1]
//! let t = mnist.train.first(100).labels_one_hot::<f32>(); //    (100, 10)
//! assert_eq!((x.dim(), t.dim()), ((100, 784), (100, 10)));
//! # Ok::<(), mnist::MnistError>(())
//! ```
//!
//! [`load`] reads the folder [`data_dir`] (`data/mnist` of this repository, or the `MNIST_DIR`
//! environment variable), checks each file's SHA-256 against the digests compiled into this
//! crate, then unpacks and parses it. Every error says which file, what was wrong and how to fix
//! it (see [`MnistError`]).
//!
//! # The IDX format
//!
//! Each `.gz` file unpacks to one IDX file: a header of big-endian `u32`s, then unsigned bytes.
//!
//! | offset | images (`…-images-idx3-ubyte`) | labels (`…-labels-idx1-ubyte`) |
//! |-------:|--------------------------------|--------------------------------|
//! | 0      | magic `0x00000803`             | magic `0x00000801`             |
//! | 4      | count (60,000 or 10,000)       | count (60,000 or 10,000)       |
//! | 8      | rows (28)                      | *the labels start here*        |
//! | 12     | cols (28)                      |                                |
//! | 16     | *the pixels start here*        |                                |
//!
//! The magic number reads: two zero bytes, `08` = the data are unsigned bytes, then the number
//! of dimensions (3: count, rows, cols; or 1: count). Pixels run image after image, row after
//! row, 0 = background to 255 = ink. Labels are digits 0–9, one per image, in the same order.
//!
//! # Credit
//!
//! The MNIST database is by Yann LeCun, Corinna Cortes and Christopher J.C. Burges
//! (<http://yann.lecun.com/exdb/mnist/>), available under the terms of the Creative Commons
//! Attribution-Share Alike 3.0 license (CC BY-SA 3.0).

mod error;
mod idx;

use std::ffi::OsString;
use std::fmt;
use std::ops::Div;
use std::path::{Path, PathBuf};

use ndarray::Array2;
use sha2::{Digest, Sha256};

pub use error::{IdxKind, MnistError};
pub use idx::{Images, MAX_BODY_BYTES, MAX_GZ_BYTES, MAX_RATIO, read_images, read_labels};

/// File name of the 60,000 training images.
pub const TRAIN_IMAGES: &str = "train-images-idx3-ubyte.gz";
/// File name of the 60,000 training labels.
pub const TRAIN_LABELS: &str = "train-labels-idx1-ubyte.gz";
/// File name of the 10,000 test images.
pub const TEST_IMAGES: &str = "t10k-images-idx3-ubyte.gz";
/// File name of the 10,000 test labels.
pub const TEST_LABELS: &str = "t10k-labels-idx1-ubyte.gz";

/// SHA-256 of each original `.gz` file, as in `data/mnist/SHA256SUMS`.
pub const SHA256: [(&str, &str); 4] = [
    (
        TRAIN_IMAGES,
        "0b367032e93c5d0cea0925647cfdb18614af8ee15f83e6f2fc2ad904a6835971",
    ),
    (
        TRAIN_LABELS,
        "1787548bbe0bff1ec2ecdc0ef292b02df999e2d1a6002d27500982c652b17203",
    ),
    (
        TEST_IMAGES,
        "1a1a05eab793c14bb050b398624a11b0ffd1a2953baed553b1b9bd079e2a20be",
    ),
    (
        TEST_LABELS,
        "b91679a0acfe4ba0e50a2437a903084cba1f5f92592b016a25a7dfd00455798b",
    ),
];

/// One part of MNIST (training or test): images and their labels.
#[derive(Clone, PartialEq, Eq)]
pub struct Split {
    /// `len() * rows * cols` pixels (0–255), image after image, row-major.
    pub images: Vec<u8>,
    /// One digit 0–9 per image.
    pub labels: Vec<u8>,
    /// Pixel rows per image (28).
    pub rows: usize,
    /// Pixel columns per image (28).
    pub cols: usize,
}

impl Split {
    /// Number of images (and labels).
    pub fn len(&self) -> usize {
        self.labels.len()
    }

    /// True when the split holds no images.
    pub fn is_empty(&self) -> bool {
        self.labels.is_empty()
    }

    /// The pixels of image `i`, `rows * cols` bytes, row-major.
    ///
    /// ```
    /// let split = mnist::Split { images: vec![1, 2, 3, 4, 5, 6], labels: vec![0, 1, 2], rows: 1, cols: 2 };
    /// assert_eq!(split.image(1), [3, 4]);
    /// ```
    ///
    /// # Panics
    /// If `i >= self.len()`.
    pub fn image(&self, i: usize) -> &[u8] {
        assert!(
            i < self.len(),
            "image {i} out of range: the split holds {} images",
            self.len()
        );
        let size = self.rows * self.cols;
        &self.images[i * size..(i + 1) * size]
    }

    /// The first `n` images and labels (all of them if `n >= len()`), for quick runs.
    ///
    /// ```
    /// let split = mnist::Split { images: vec![1, 2, 3, 4, 5, 6], labels: vec![0, 1, 2], rows: 1, cols: 2 };
    /// assert_eq!(split.first(2).images, [1, 2, 3, 4]);
    /// assert_eq!(split.first(99).len(), 3);
    /// ```
    pub fn first(&self, n: usize) -> Split {
        let n = n.min(self.len());
        Split {
            images: self.images[..n * self.rows * self.cols].to_vec(),
            labels: self.labels[..n].to_vec(),
            rows: self.rows,
            cols: self.cols,
        }
    }

    /// The images as a matrix, one flattened image per row, pixels scaled to `[0, 1]`.
    ///
    /// ```text
    /// x[i, r·cols + c] = pixel(i, r, c) / 255        shape (n, rows·cols)
    /// ```
    /// NumPy: `x = images.reshape(n, -1) / 255.0`
    ///
    /// ```
    /// use ndarray::array;
    /// let split = mnist::Split { images: vec![0, 51, 255, 102], labels: vec![3, 8], rows: 1, cols: 2 };
    /// assert_eq!(split.images_normalised::<f64>(), array![[0.0, 0.2], [1.0, 0.4]]);
    /// ```
    pub fn images_normalised<F>(&self) -> Array2<F>
    where
        F: From<u8> + Copy + Div<Output = F>,
    {
        let max = F::from(255);
        let x = self.images.iter().map(|&p| F::from(p) / max).collect();
        Array2::from_shape_vec((self.len(), self.rows * self.cols), x) // (n, rows·cols)
            .expect("images.len() should be len() * rows * cols")
    }

    /// The labels one-hot encoded: row `i` is all zeros but a 1 in column `labels[i]`.
    ///
    /// ```text
    /// t[i, k] = 1 if labels[i] = k, else 0        shape (n, 10)
    /// ```
    /// NumPy: `t = np.eye(10)[labels]`
    ///
    /// ```
    /// use ndarray::array;
    /// let split = mnist::Split { images: vec![0, 0], labels: vec![3, 0], rows: 1, cols: 1 };
    /// let t = split.labels_one_hot::<f32>();
    /// assert_eq!(t.row(0), array![0., 0., 0., 1., 0., 0., 0., 0., 0., 0.]);
    /// assert_eq!(t.row(1), array![1., 0., 0., 0., 0., 0., 0., 0., 0., 0.]);
    /// ```
    ///
    /// # Panics
    /// If a label is above 9 (never for a split returned by [`load`]).
    pub fn labels_one_hot<F>(&self) -> Array2<F>
    where
        F: From<u8> + Clone,
    {
        let mut t = Array2::from_elem((self.len(), 10), F::from(0)); // (n, 10)
        for (i, &label) in self.labels.iter().enumerate() {
            t[[i, label as usize]] = F::from(1);
        }
        t
    }
}

impl fmt::Debug for Split {
    /// Summarises instead of printing 47 million pixels.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "Split {{ {} images of {}×{} }}",
            self.len(),
            self.rows,
            self.cols
        )
    }
}

/// The whole of MNIST: 60,000 training and 10,000 test digits.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Mnist {
    pub train: Split,
    pub test: Split,
}

/// The folder that holds the four MNIST `.gz` files: `MNIST_DIR` if set, else `data/mnist`
/// of this repository.
pub fn data_dir() -> PathBuf {
    data_dir_from(std::env::var_os("MNIST_DIR"))
}

/// [`data_dir`], given the value of `MNIST_DIR` (`None` or empty: unset).
///
/// ```
/// use std::path::PathBuf;
/// assert_eq!(mnist::data_dir_from(Some("/tmp/digits".into())), PathBuf::from("/tmp/digits"));
/// assert!(mnist::data_dir_from(None).ends_with("data/mnist"));
/// ```
pub fn data_dir_from(mnist_dir: Option<OsString>) -> PathBuf {
    match mnist_dir {
        Some(dir) if !dir.is_empty() => PathBuf::from(dir),
        _ => workspace_root().join("data").join("mnist"),
    }
}

/// This crate lives in `support/mnist`, two folders below the workspace root.
fn workspace_root() -> PathBuf {
    let manifest_dir = Path::new(env!("CARGO_MANIFEST_DIR"));
    manifest_dir
        .parent()
        .and_then(Path::parent)
        .expect("support/mnist sits two folders below the workspace root")
        .to_path_buf()
}

/// Loads MNIST from [`data_dir`], checking every file first.
///
/// ```
/// let mnist = mnist::load()?;
/// assert_eq!(mnist.test.labels[..10], [7, 2, 1, 0, 4, 1, 4, 9, 5, 9]);
/// # Ok::<(), mnist::MnistError>(())
/// ```
pub fn load() -> Result<Mnist, MnistError> {
    load_from(&data_dir())
}

/// Loads MNIST from the four `.gz` files in `dir`: checks each file's SHA-256, unpacks and
/// parses it, and checks that each split has as many labels as images.
pub fn load_from(dir: &Path) -> Result<Mnist, MnistError> {
    Ok(Mnist {
        train: load_split(dir, TRAIN_IMAGES, TRAIN_LABELS)?,
        test: load_split(dir, TEST_IMAGES, TEST_LABELS)?,
    })
}

/// Reads one split from any pair of gzipped IDX files, without checksums
/// (Fashion-MNIST has the same format).
pub fn read_split(images_path: &Path, labels_path: &Path) -> Result<Split, MnistError> {
    let images = read_images(images_path)?;
    let labels = read_labels(labels_path)?;
    pair_up(images, images_path, labels, labels_path)
}

fn load_split(dir: &Path, images_name: &str, labels_name: &str) -> Result<Split, MnistError> {
    let images_path = dir.join(images_name);
    let labels_path = dir.join(labels_name);
    let images = read_verified(&images_path, images_name, IdxKind::Images)?;
    let labels = read_verified(&labels_path, labels_name, IdxKind::Labels)?;
    let images = idx::images(images)?;
    let labels = idx::labels(&labels_path, labels)?;
    pair_up(images, &images_path, labels, &labels_path)
}

/// The largest of the four original `.gz` files, the training images, is 9,912,422 bytes: a
/// larger file cannot be one of them, and is refused before it is read to its end.
const MAX_ORIGINAL_BYTES: u64 = 16 << 20;

/// Reads a whole `.gz` file, checks its SHA-256 against [`SHA256`], and unpacks it.
fn read_verified(
    path: &Path,
    name: &str,
    kind: IdxKind,
) -> Result<(Vec<usize>, Vec<u8>), MnistError> {
    let gz = idx::read_file(path, MAX_ORIGINAL_BYTES)?;
    let expected = SHA256
        .iter()
        .find(|(file, _)| *file == name)
        .map(|(_, digest)| *digest)
        .expect("name should be one of the four MNIST files");
    let found = format!("{:x}", Sha256::digest(&gz));
    if found != expected {
        return Err(MnistError::Checksum {
            path: path.to_path_buf(),
            found,
            expected,
        });
    }
    idx::unpack(path, kind, &gz[..], Some(gz.len() as u64))
}

/// Joins images and labels into a [`Split`] if they are equally many.
fn pair_up(
    images: Images,
    images_path: &Path,
    labels: Vec<u8>,
    labels_path: &Path,
) -> Result<Split, MnistError> {
    if images.count != labels.len() {
        return Err(MnistError::CountMismatch {
            images_path: images_path.to_path_buf(),
            images: images.count,
            labels_path: labels_path.to_path_buf(),
            labels: labels.len(),
        });
    }
    Ok(Split {
        images: images.pixels,
        labels,
        rows: images.rows,
        cols: images.cols,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::idx::tests::{idx_images, idx_labels, write_gz};

    #[test]
    fn load_from_an_empty_folder_names_the_first_missing_file() {
        let dir = tempfile::tempdir().unwrap();
        let err = load_from(dir.path()).unwrap_err();
        let path = dir.path().join(TRAIN_IMAGES);
        assert!(matches!(&err, MnistError::NotFound { path: p, .. } if *p == path));
        assert!(err.to_string().contains(&dir.path().display().to_string()));
    }

    #[test]
    fn a_crafted_file_under_the_real_name_fails_the_checksum() {
        let dir = tempfile::tempdir().unwrap();
        write_gz(dir.path(), TRAIN_IMAGES, &idx_images(1, 28, 28, &[0; 784]));
        let err = load_from(dir.path()).unwrap_err();
        let MnistError::Checksum {
            path,
            found,
            expected,
        } = &err
        else {
            panic!("expected a checksum error, got {err:?}");
        };
        assert_eq!(*path, dir.path().join(TRAIN_IMAGES));
        assert_eq!(*expected, SHA256[0].1);
        assert_eq!(found.len(), 64);
        assert!(err.to_string().contains("git checkout data/mnist"));
    }

    #[test]
    fn a_real_file_with_one_byte_changed_fails_the_checksum() {
        let dir = tempfile::tempdir().unwrap();
        let mut gz = std::fs::read(data_dir_from(None).join(TRAIN_IMAGES)).unwrap();
        gz[1000] ^= 1;
        std::fs::write(dir.path().join(TRAIN_IMAGES), gz).unwrap();
        let err = load_from(dir.path()).unwrap_err();
        assert!(matches!(err, MnistError::Checksum { .. }), "{err:?}");
    }

    #[test]
    fn an_endless_file_under_the_real_name_is_refused_quickly() {
        let dir = tempfile::tempdir().unwrap();
        std::os::unix::fs::symlink("/dev/zero", dir.path().join(TRAIN_IMAGES)).unwrap();
        let err = load_from(dir.path()).unwrap_err();
        assert!(matches!(err, MnistError::FileTooLarge { .. }), "{err:?}");
    }

    #[test]
    fn image_and_label_counts_that_disagree_are_an_error() {
        let dir = tempfile::tempdir().unwrap();
        let images = write_gz(dir.path(), "i.gz", &idx_images(3, 1, 1, &[0, 1, 2]));
        let labels = write_gz(dir.path(), "l.gz", &idx_labels(2, &[5, 6]));
        let err = read_split(&images, &labels).unwrap_err();
        assert!(matches!(
            err,
            MnistError::CountMismatch {
                images: 3,
                labels: 2,
                ..
            }
        ));
        assert!(
            err.to_string()
                .starts_with("images (3) and labels (2) disagree")
        );
    }

    #[test]
    fn read_split_pairs_images_with_labels() {
        let dir = tempfile::tempdir().unwrap();
        let images = write_gz(dir.path(), "i.gz", &idx_images(2, 1, 2, &[0, 255, 51, 0]));
        let labels = write_gz(dir.path(), "l.gz", &idx_labels(2, &[5, 6]));
        let split = read_split(&images, &labels).unwrap();
        assert_eq!(split.image(1), [51, 0]);
        assert_eq!(split.labels, [5, 6]);
    }

    #[test]
    #[should_panic(expected = "image 2 out of range")]
    fn image_out_of_range_panics() {
        let split = Split {
            images: vec![0; 4],
            labels: vec![0, 1],
            rows: 1,
            cols: 2,
        };
        split.image(2);
    }

    #[test]
    fn empty_mnist_dir_means_unset() {
        assert_eq!(data_dir_from(Some(OsString::new())), data_dir_from(None));
    }
}
