//! What can go wrong when reading MNIST, and what to do about it.
//!
//! Every message names the file by its full path, says what was expected and how to fix it,
//! so a learner who sees one in a terminal knows the next step without reading this code.

use std::fmt;
use std::io;
use std::path::PathBuf;

/// The two kinds of IDX file MNIST ships: images and labels.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum IdxKind {
    /// `…-images-idx3-ubyte`: a count, then rows and columns, then one byte per pixel.
    Images,
    /// `…-labels-idx1-ubyte`: a count, then one byte (a digit 0–9) per image.
    Labels,
}

impl IdxKind {
    /// The magic number an IDX file of this kind starts with.
    ///
    /// `0x0000_08_03`: two zero bytes, `08` = unsigned bytes, `03` = three dimensions.
    pub fn magic(self) -> u32 {
        match self {
            IdxKind::Images => 0x0000_0803,
            IdxKind::Labels => 0x0000_0801,
        }
    }

    /// How many dimensions the header lists: 3 for images (count, rows, cols), 1 for labels.
    pub fn dimensions(self) -> usize {
        match self {
            IdxKind::Images => 3,
            IdxKind::Labels => 1,
        }
    }

    /// Header length in bytes: the magic number and one big-endian `u32` per dimension.
    pub fn header_len(self) -> usize {
        4 * (1 + self.dimensions())
    }

    fn noun(self) -> &'static str {
        match self {
            IdxKind::Images => "image",
            IdxKind::Labels => "label",
        }
    }

    /// The kind a wrong file most likely is: the other one, "a label" for "an image".
    fn other_kind(self) -> &'static str {
        match self {
            IdxKind::Images => "a label",
            IdxKind::Labels => "an image",
        }
    }

    /// "60000 images of 28×28" or "60000 labels", from the header's dimensions.
    fn describe(self, dims: &[usize]) -> String {
        match dims {
            [n, rows, cols] => format!("{n} images of {rows}×{cols}"),
            [n] => format!("{n} labels"),
            _ => format!("{dims:?} {}s", self.noun()),
        }
    }
}

/// Everything that can go wrong while loading MNIST.
#[derive(Debug)]
pub enum MnistError {
    /// The file does not exist.
    NotFound {
        /// The file we looked for.
        path: PathBuf,
        /// The folder that should hold the four MNIST files.
        dir: PathBuf,
    },
    /// Any other I/O error while reading the file (permissions, a folder instead of a file, …).
    Io { path: PathBuf, source: io::Error },
    /// The file does not start with the gzip magic bytes `1f 8b`.
    NotGzip { path: PathBuf },
    /// The file starts like gzip but does not decompress.
    CorruptGzip { path: PathBuf, source: io::Error },
    /// The SHA-256 of the `.gz` file is not the one of the original MNIST file.
    Checksum {
        path: PathBuf,
        found: String,
        expected: &'static str,
    },
    /// The first four bytes (after gunzip) are not the magic number of this kind of IDX file.
    BadMagic {
        path: PathBuf,
        kind: IdxKind,
        found: u32,
    },
    /// The file is shorter than the IDX header itself.
    TruncatedHeader {
        path: PathBuf,
        kind: IdxKind,
        found_bytes: usize,
    },
    /// Fewer bytes follow the header than its dimensions promise.
    Truncated {
        path: PathBuf,
        kind: IdxKind,
        dims: Vec<usize>,
        expected_bytes: u128,
        found_bytes: usize,
    },
    /// More bytes follow the header than its dimensions promise.
    TrailingBytes {
        path: PathBuf,
        kind: IdxKind,
        dims: Vec<usize>,
        expected_bytes: u128,
    },
    /// A dimension in the header is zero: the file holds no image, or images of no pixels.
    ZeroDimension {
        path: PathBuf,
        kind: IdxKind,
        dims: Vec<usize>,
    },
    /// The header promises more than [`crate::MAX_BODY_BYTES`].
    TooLarge {
        path: PathBuf,
        kind: IdxKind,
        dims: Vec<usize>,
        expected_bytes: u128,
    },
    /// The header promises more bytes than the file's `gz_bytes` compressed bytes can unpack to
    /// (see [`crate::MAX_RATIO`]).
    CannotHold {
        path: PathBuf,
        kind: IdxKind,
        dims: Vec<usize>,
        expected_bytes: u128,
        gz_bytes: u64,
    },
    /// The file is larger than any file this reader accepts (`limit` bytes).
    FileTooLarge { path: PathBuf, limit: u64 },
    /// Bytes that are not gzip follow the end of the gzip stream.
    DataAfterGzip { path: PathBuf },
    /// A label is not a digit 0–9.
    BadLabel {
        path: PathBuf,
        index: usize,
        label: u8,
    },
    /// The image file and the label file of one split hold different numbers of items.
    CountMismatch {
        images_path: PathBuf,
        images: usize,
        labels_path: PathBuf,
        labels: usize,
    },
}

const RESTORE: &str = "restore it from the repository (git checkout data/mnist)";

impl fmt::Display for MnistError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            MnistError::NotFound { path, dir } => write!(
                f,
                "MNIST file not found: {}. Expected the four MNIST .gz files in {} \
                 (set MNIST_DIR to the folder that holds them, \
                 or restore data/mnist from the repository)",
                path.display(),
                dir.display()
            ),
            MnistError::Io { path, source } => {
                write!(f, "could not read MNIST file {}: {source}", path.display())
            }
            MnistError::NotGzip { path } => write!(
                f,
                "{} is not a gzip file (it should start with the bytes 1f 8b); \
                 expected a gzipped IDX file as shipped in data/mnist. \
                 If you unpacked it, gzip it again or {RESTORE}",
                path.display()
            ),
            MnistError::CorruptGzip { path, source } => write!(
                f,
                "{} is a damaged gzip file ({source}); {RESTORE}",
                path.display()
            ),
            MnistError::Checksum {
                path,
                found,
                expected,
            } => write!(
                f,
                "{}: SHA-256 is {found}, expected {expected}: the file is corrupt \
                 or not the original MNIST file; {RESTORE}",
                path.display()
            ),
            MnistError::BadMagic { path, kind, found } => write!(
                f,
                "{} has magic number {found:#010x}, expected {:#010x} (an IDX {} file); \
                 is this {} file or a corrupt download?",
                path.display(),
                kind.magic(),
                kind.noun(),
                kind.other_kind()
            ),
            MnistError::TruncatedHeader {
                path,
                kind,
                found_bytes,
            } => write!(
                f,
                "{} is truncated: an IDX {} file starts with a {}-byte header \
                 but the file holds only {found_bytes} bytes; {RESTORE}",
                path.display(),
                kind.noun(),
                kind.header_len()
            ),
            MnistError::Truncated {
                path,
                kind,
                dims,
                expected_bytes,
                found_bytes,
            } => write!(
                f,
                "{} is truncated: header promises {} ({expected_bytes} bytes) \
                 but only {found_bytes} bytes follow; {RESTORE}",
                path.display(),
                kind.describe(dims)
            ),
            MnistError::TrailingBytes {
                path,
                kind,
                dims,
                expected_bytes,
            } => write!(
                f,
                "{} has extra data: header promises {} ({expected_bytes} bytes) \
                 but more bytes follow; the file is corrupt or not an MNIST file; {RESTORE}",
                path.display(),
                kind.describe(dims)
            ),
            MnistError::ZeroDimension { path, kind, dims } => write!(
                f,
                "{}: header promises {}, but no dimension may be zero; \
                 the file is corrupt or not an MNIST file; {RESTORE}",
                path.display(),
                kind.describe(dims)
            ),
            MnistError::TooLarge {
                path,
                kind,
                dims,
                expected_bytes,
            } => write!(
                f,
                "{}: header promises {} ({expected_bytes} bytes), more than the {} bytes \
                 this reader accepts; the file is corrupt or not an MNIST file; {RESTORE}",
                path.display(),
                kind.describe(dims),
                crate::MAX_BODY_BYTES
            ),
            MnistError::CannotHold {
                path,
                kind,
                dims,
                expected_bytes,
                gz_bytes,
            } => write!(
                f,
                "{}: header promises {} ({expected_bytes} bytes), more than its {gz_bytes} \
                 compressed bytes can hold (gzip unpacks at most {} bytes from one); \
                 the file is corrupt; {RESTORE}",
                path.display(),
                kind.describe(dims),
                crate::MAX_RATIO
            ),
            MnistError::FileTooLarge { path, limit } => write!(
                f,
                "{} is larger than {limit} bytes, larger than any MNIST file; \
                 is it the right file? {RESTORE}",
                path.display()
            ),
            MnistError::DataAfterGzip { path } => write!(
                f,
                "{} has bytes after the end of its gzip data; the file is corrupt; {RESTORE}",
                path.display()
            ),
            MnistError::BadLabel { path, index, label } => write!(
                f,
                "{}: label number {index} is {label}, expected a digit 0-9; \
                 is this really an MNIST label file? {RESTORE}",
                path.display()
            ),
            MnistError::CountMismatch {
                images_path,
                images,
                labels_path,
                labels,
            } => write!(
                f,
                "images ({images}) and labels ({labels}) disagree: {} holds {images} images \
                 but {} holds {labels} labels; every image needs exactly one label, so both \
                 files must come from the same split (restore data/mnist from the repository)",
                images_path.display(),
                labels_path.display()
            ),
        }
    }
}

/// Each message already says its cause (the `source` of `Io` and `CorruptGzip`), so the error
/// reports none: a caller that prints an error with its causes prints each cause once.
impl std::error::Error for MnistError {}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn header_lengths_follow_the_number_of_dimensions() {
        assert_eq!(IdxKind::Images.header_len(), 16);
        assert_eq!(IdxKind::Labels.header_len(), 8);
    }

    #[test]
    fn bad_magic_message_names_both_numbers() {
        let err = MnistError::BadMagic {
            path: PathBuf::from("/x/train-images-idx3-ubyte.gz"),
            kind: IdxKind::Images,
            found: 0x801,
        };
        assert_eq!(
            err.to_string(),
            "/x/train-images-idx3-ubyte.gz has magic number 0x00000801, expected 0x00000803 \
             (an IDX image file); is this a label file or a corrupt download?"
        );
    }

    #[test]
    fn truncated_message_states_the_promise() {
        let err = MnistError::Truncated {
            path: PathBuf::from("/x/train-images-idx3-ubyte.gz"),
            kind: IdxKind::Images,
            dims: vec![60000, 28, 28],
            expected_bytes: 47_040_000,
            found_bytes: 100,
        };
        assert!(err.to_string().starts_with(
            "/x/train-images-idx3-ubyte.gz is truncated: header promises 60000 images of 28×28 \
             (47040000 bytes) but only 100 bytes follow"
        ));
    }
}
