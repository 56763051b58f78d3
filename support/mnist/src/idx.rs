//! Reading IDX files: gunzip the whole file into memory, check the header, slice the body.
//!
//! These readers work on any gzipped IDX file of unsigned bytes (MNIST, Fashion-MNIST, …);
//! they do not check checksums, [`crate::load_from`] does.

use std::fs;
use std::io::{self, Read};
use std::path::{Path, PathBuf};

use flate2::read::GzDecoder;

use crate::error::{IdxKind, MnistError};

/// The images of one IDX image file: `count` images of `rows × cols` pixels.
#[derive(Clone, PartialEq, Eq)]
pub struct Images {
    /// `count * rows * cols` pixels, 0 (white) to 255 (black), image after image, row-major.
    pub pixels: Vec<u8>,
    /// Number of images.
    pub count: usize,
    /// Pixel rows per image (28 for MNIST).
    pub rows: usize,
    /// Pixel columns per image (28 for MNIST).
    pub cols: usize,
}

impl std::fmt::Debug for Images {
    /// Summarises instead of printing every pixel.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "Images {{ {} of {}×{} }}",
            self.count, self.rows, self.cols
        )
    }
}

/// Reads a gzipped IDX image file (magic number `0x00000803`).
///
/// ```
/// let path = mnist::data_dir().join(mnist::TEST_IMAGES);
/// let images = mnist::read_images(&path)?;
/// assert_eq!((images.count, images.rows, images.cols), (10_000, 28, 28));
/// assert_eq!(images.pixels.len(), 10_000 * 28 * 28);
/// # Ok::<(), mnist::MnistError>(())
/// ```
pub fn read_images(path: &Path) -> Result<Images, MnistError> {
    let gz = read_file(path)?;
    parse_images(path, gunzip(path, &gz)?)
}

/// Reads a gzipped IDX label file (magic number `0x00000801`); every label must be 0–9.
///
/// ```
/// let path = mnist::data_dir().join(mnist::TEST_LABELS);
/// let labels = mnist::read_labels(&path)?;
/// assert_eq!(labels[..5], [7, 2, 1, 0, 4]);
/// # Ok::<(), mnist::MnistError>(())
/// ```
pub fn read_labels(path: &Path) -> Result<Vec<u8>, MnistError> {
    let gz = read_file(path)?;
    parse_labels(path, gunzip(path, &gz)?)
}

/// Reads a whole file into memory; a missing file gets its own, friendlier error.
pub(crate) fn read_file(path: &Path) -> Result<Vec<u8>, MnistError> {
    fs::read(path).map_err(|source| match source.kind() {
        io::ErrorKind::NotFound => MnistError::NotFound {
            path: path.to_path_buf(),
            dir: match path.parent() {
                Some(dir) if !dir.as_os_str().is_empty() => dir.to_path_buf(),
                _ => PathBuf::from("."),
            },
        },
        _ => MnistError::Io {
            path: path.to_path_buf(),
            source,
        },
    })
}

/// Decompresses a whole gzip file held in memory.
pub(crate) fn gunzip(path: &Path, gz: &[u8]) -> Result<Vec<u8>, MnistError> {
    if !gz.starts_with(&[0x1f, 0x8b]) {
        return Err(MnistError::NotGzip {
            path: path.to_path_buf(),
        });
    }
    let mut bytes = Vec::with_capacity(size_hint(gz));
    GzDecoder::new(gz)
        .read_to_end(&mut bytes)
        .map_err(|source| MnistError::CorruptGzip {
            path: path.to_path_buf(),
            source,
        })?;
    Ok(bytes)
}

/// The uncompressed size a gzip file announces in its last four bytes (little-endian),
/// capped at 256 MiB so a damaged file cannot make us reserve gigabytes up front.
fn size_hint(gz: &[u8]) -> usize {
    let Some(tail) = gz.last_chunk::<4>() else {
        return 0;
    };
    (u32::from_le_bytes(*tail) as usize).min(256 << 20)
}

/// Checks the header of an unpacked IDX image file and keeps its pixels.
pub(crate) fn parse_images(path: &Path, bytes: Vec<u8>) -> Result<Images, MnistError> {
    let (dims, pixels) = parse_idx(path, IdxKind::Images, bytes)?;
    Ok(Images {
        pixels,
        count: dims[0],
        rows: dims[1],
        cols: dims[2],
    })
}

/// Checks the header of an unpacked IDX label file and that every label is a digit.
pub(crate) fn parse_labels(path: &Path, bytes: Vec<u8>) -> Result<Vec<u8>, MnistError> {
    let (_dims, labels) = parse_idx(path, IdxKind::Labels, bytes)?;
    if let Some(index) = labels.iter().position(|&label| label > 9) {
        return Err(MnistError::BadLabel {
            path: path.to_path_buf(),
            index,
            label: labels[index],
        });
    }
    Ok(labels)
}

/// Splits an unpacked IDX file into its dimensions and its body, checking
/// the magic number and that the body is exactly as long as the dimensions promise.
///
/// ```text
/// offset  type  value
/// 0       u32   magic number (0x00000803 images, 0x00000801 labels), big-endian
/// 4       u32   count, big-endian
/// 8       u32   rows   (images only)
/// 12      u32   cols   (images only)
/// 16/8    u8…   the data: count × rows × cols pixels, or count labels
/// ```
fn parse_idx(
    path: &Path,
    kind: IdxKind,
    mut bytes: Vec<u8>,
) -> Result<(Vec<usize>, Vec<u8>), MnistError> {
    let header_len = kind.header_len();
    // The magic number first: for a label file read as images it is the more helpful message.
    let magic = bytes
        .first_chunk::<4>()
        .map(|word| u32::from_be_bytes(*word));
    if let Some(found) = magic.filter(|&found| found != kind.magic()) {
        return Err(MnistError::BadMagic {
            path: path.to_path_buf(),
            kind,
            found,
        });
    }
    if bytes.len() < header_len {
        return Err(MnistError::TruncatedHeader {
            path: path.to_path_buf(),
            kind,
            found_bytes: bytes.len(),
        });
    }
    let words: Vec<u32> = bytes[..header_len]
        .chunks_exact(4)
        .map(|word| u32::from_be_bytes([word[0], word[1], word[2], word[3]]))
        .collect();
    let dims: Vec<usize> = words[1..].iter().map(|&d| d as usize).collect();
    // u128: three u32 dimensions multiply to at most 2^96, so this cannot overflow.
    let expected_bytes: u128 = dims.iter().map(|&d| d as u128).product();
    let found_bytes = bytes.len() - header_len;
    if (found_bytes as u128) != expected_bytes {
        let (path, dims) = (path.to_path_buf(), dims);
        return Err(if (found_bytes as u128) < expected_bytes {
            MnistError::Truncated {
                path,
                kind,
                dims,
                expected_bytes,
                found_bytes,
            }
        } else {
            MnistError::TrailingBytes {
                path,
                kind,
                dims,
                expected_bytes,
                found_bytes,
            }
        });
    }
    bytes.drain(..header_len);
    Ok((dims, bytes))
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;
    use flate2::{Compression, write::GzEncoder};
    use std::io::Write;

    /// The bytes of an IDX image file: header, then `pixels` as given.
    pub(crate) fn idx_images(count: u32, rows: u32, cols: u32, pixels: &[u8]) -> Vec<u8> {
        let mut bytes = Vec::new();
        for word in [0x803, count, rows, cols] {
            bytes.extend_from_slice(&word.to_be_bytes());
        }
        bytes.extend_from_slice(pixels);
        bytes
    }

    /// The bytes of an IDX label file: header, then `labels` as given.
    pub(crate) fn idx_labels(count: u32, labels: &[u8]) -> Vec<u8> {
        let mut bytes = Vec::new();
        for word in [0x801, count] {
            bytes.extend_from_slice(&word.to_be_bytes());
        }
        bytes.extend_from_slice(labels);
        bytes
    }

    /// Gzips `bytes` into `dir/name` and returns the path.
    pub(crate) fn write_gz(dir: &Path, name: &str, bytes: &[u8]) -> PathBuf {
        let path = dir.join(name);
        let mut encoder = GzEncoder::new(fs::File::create(&path).unwrap(), Compression::fast());
        encoder.write_all(bytes).unwrap();
        encoder.finish().unwrap();
        path
    }

    #[test]
    fn reads_a_small_image_file() {
        let dir = tempfile::tempdir().unwrap();
        let pixels: Vec<u8> = (0..12).collect();
        let path = write_gz(dir.path(), "x.gz", &idx_images(2, 2, 3, &pixels));
        let images = read_images(&path).unwrap();
        assert_eq!((images.count, images.rows, images.cols), (2, 2, 3));
        assert_eq!(images.pixels, pixels);
    }

    #[test]
    fn reads_a_small_label_file() {
        let dir = tempfile::tempdir().unwrap();
        let path = write_gz(dir.path(), "y.gz", &idx_labels(3, &[7, 0, 9]));
        assert_eq!(read_labels(&path).unwrap(), [7, 0, 9]);
    }

    #[test]
    fn missing_file_names_the_path_and_the_folder() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("train-images-idx3-ubyte.gz");
        let err = read_images(&path).unwrap_err();
        assert!(matches!(&err, MnistError::NotFound { dir: d, .. } if d == dir.path()));
        let message = err.to_string();
        assert!(message.starts_with(&format!("MNIST file not found: {}.", path.display())));
        assert!(message.contains("MNIST_DIR"));
    }

    #[test]
    fn a_folder_instead_of_a_file_is_an_io_error_with_the_path() {
        let dir = tempfile::tempdir().unwrap();
        let err = read_labels(dir.path()).unwrap_err();
        assert!(matches!(err, MnistError::Io { .. }), "{err:?}");
        assert!(err.to_string().contains(&dir.path().display().to_string()));
    }

    #[test]
    fn label_file_read_as_images_is_a_bad_magic_number() {
        let dir = tempfile::tempdir().unwrap();
        let path = write_gz(dir.path(), "labels.gz", &idx_labels(2, &[1, 2]));
        let err = read_images(&path).unwrap_err();
        assert!(matches!(err, MnistError::BadMagic { found: 0x801, .. }));
        assert!(err.to_string().contains("is this a label file"));
    }

    #[test]
    fn image_file_read_as_labels_is_a_bad_magic_number() {
        let dir = tempfile::tempdir().unwrap();
        let path = write_gz(dir.path(), "images.gz", &idx_images(1, 1, 1, &[0]));
        let err = read_labels(&path).unwrap_err();
        assert!(matches!(err, MnistError::BadMagic { found: 0x803, .. }));
        assert!(err.to_string().contains("is this an image file"));
    }

    #[test]
    fn fewer_pixels_than_promised_is_truncated() {
        let dir = tempfile::tempdir().unwrap();
        let path = write_gz(dir.path(), "x.gz", &idx_images(3, 2, 2, &[0; 10]));
        let err = read_images(&path).unwrap_err();
        assert!(matches!(
            err,
            MnistError::Truncated {
                expected_bytes: 12,
                found_bytes: 10,
                ..
            }
        ));
        assert!(err.to_string().contains(
            "is truncated: header promises 3 images of 2×2 (12 bytes) but only 10 bytes follow"
        ));
    }

    #[test]
    fn fewer_labels_than_promised_is_truncated() {
        let dir = tempfile::tempdir().unwrap();
        let path = write_gz(dir.path(), "y.gz", &idx_labels(5, &[1, 2]));
        let err = read_labels(&path).unwrap_err();
        assert!(
            err.to_string()
                .contains("header promises 5 labels (5 bytes) but only 2 bytes follow")
        );
    }

    #[test]
    fn huge_dimensions_do_not_overflow() {
        let dir = tempfile::tempdir().unwrap();
        let path = write_gz(
            dir.path(),
            "x.gz",
            &idx_images(u32::MAX, u32::MAX, 2, &[0; 4]),
        );
        let err = read_images(&path).unwrap_err();
        assert!(matches!(err, MnistError::Truncated { .. }), "{err:?}");
    }

    #[test]
    fn a_file_shorter_than_the_header_is_truncated() {
        let dir = tempfile::tempdir().unwrap();
        let path = write_gz(dir.path(), "x.gz", &[0, 0, 8, 3, 0, 0]);
        let err = read_images(&path).unwrap_err();
        assert!(matches!(
            err,
            MnistError::TruncatedHeader { found_bytes: 6, .. }
        ));
        assert!(err.to_string().contains("16-byte header"));
    }

    #[test]
    fn more_bytes_than_promised_is_an_error() {
        let dir = tempfile::tempdir().unwrap();
        let path = write_gz(dir.path(), "y.gz", &idx_labels(2, &[1, 2, 3]));
        let err = read_labels(&path).unwrap_err();
        assert!(matches!(
            err,
            MnistError::TrailingBytes {
                expected_bytes: 2,
                found_bytes: 3,
                ..
            }
        ));
    }

    #[test]
    fn a_label_above_nine_is_rejected() {
        let dir = tempfile::tempdir().unwrap();
        let path = write_gz(dir.path(), "y.gz", &idx_labels(3, &[1, 10, 2]));
        let err = read_labels(&path).unwrap_err();
        assert!(matches!(
            err,
            MnistError::BadLabel {
                index: 1,
                label: 10,
                ..
            }
        ));
    }

    #[test]
    fn an_unpacked_file_is_not_gzip() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("train-labels-idx1-ubyte.gz");
        fs::write(&path, idx_labels(1, &[3])).unwrap();
        let err = read_labels(&path).unwrap_err();
        assert!(matches!(err, MnistError::NotGzip { .. }));
        assert!(err.to_string().contains("is not a gzip file"));
    }

    #[test]
    fn a_cut_gzip_stream_is_corrupt_gzip() {
        let dir = tempfile::tempdir().unwrap();
        let path = write_gz(dir.path(), "x.gz", &idx_images(4, 8, 8, &[42; 256]));
        let gz = fs::read(&path).unwrap();
        fs::write(&path, &gz[..gz.len() / 2]).unwrap();
        let err = read_images(&path).unwrap_err();
        assert!(matches!(err, MnistError::CorruptGzip { .. }), "{err:?}");
        assert!(std::error::Error::source(&err).is_some());
    }
}
