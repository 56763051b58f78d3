//! Reading IDX files: gunzip as a stream, check the header, then read the body the header
//! promises — exactly that many bytes, never more, and never more than [`MAX_BODY_BYTES`], so
//! that no file, however damaged or hostile, makes the reader allocate more than it holds.
//!
//! These readers work on any gzipped IDX file of unsigned bytes (MNIST, Fashion-MNIST, …);
//! they do not check checksums, [`crate::load_from`] does.

use std::fs::File;
use std::io::{self, BufRead, BufReader, Read};
use std::path::{Path, PathBuf};

use flate2::bufread::GzDecoder;

use crate::error::{IdxKind, MnistError};

/// The largest body an IDX file may promise: 256 MiB (MNIST's 60,000 training images take
/// 47 MB). A header that promises more is refused before anything else is unpacked.
pub const MAX_BODY_BYTES: u64 = 256 << 20;

/// The most bytes read from one `.gz` file: a gzip stream can be a little larger than what it
/// holds (stored blocks, several members), never by a sixty-fourth.
pub const MAX_GZ_BYTES: u64 = MAX_BODY_BYTES + MAX_BODY_BYTES / 64;

/// The most bytes deflate, gzip's compression, can unpack from one byte: a header promising
/// more than this many times the file's size cannot be telling the truth.
pub const MAX_RATIO: u64 = 1032;

/// The two bytes every gzip file starts with.
const GZIP_MAGIC: [u8; 2] = [0x1f, 0x8b];

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
    images(read_idx(path, IdxKind::Images)?)
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
    labels(path, read_idx(path, IdxKind::Labels)?)
}

/// Unpacks the IDX file of `kind` at `path` as it is read, at most [`MAX_GZ_BYTES`] of it.
fn read_idx(path: &Path, kind: IdxKind) -> Result<(Vec<usize>, Vec<u8>), MnistError> {
    let file = File::open(path).map_err(|source| io_error(path, source))?;
    let metadata = file.metadata().map_err(|source| io_error(path, source))?;
    let gz_bytes = metadata.is_file().then_some(metadata.len()); // not known for a pipe
    let mut input = BufReader::new(file.take(MAX_GZ_BYTES + 1));
    let unpacked = unpack(path, kind, &mut input, gz_bytes);
    if input.get_ref().limit() == 0 {
        return Err(MnistError::FileTooLarge {
            path: path.to_path_buf(),
            limit: MAX_GZ_BYTES,
        });
    }
    unpacked
}

/// Reads a whole file into memory if it holds at most `limit` bytes; a missing file gets its
/// own, friendlier error.
pub(crate) fn read_file(path: &Path, limit: u64) -> Result<Vec<u8>, MnistError> {
    let file = File::open(path).map_err(|source| io_error(path, source))?;
    let mut bytes = Vec::new();
    file.take(limit + 1)
        .read_to_end(&mut bytes)
        .map_err(|source| io_error(path, source))?;
    if bytes.len() as u64 > limit {
        return Err(MnistError::FileTooLarge {
            path: path.to_path_buf(),
            limit,
        });
    }
    Ok(bytes)
}

/// The error for a file that cannot be opened or read.
fn io_error(path: &Path, source: io::Error) -> MnistError {
    match source.kind() {
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
    }
}

/// Unpacks a gzipped IDX file of `kind` from `gz`, of `gz_bytes` bytes if that is known: its
/// header, checked, then exactly the bytes the header promises; more bytes, or bytes after the
/// gzip stream, are an error.
pub(crate) fn unpack(
    path: &Path,
    kind: IdxKind,
    mut gz: impl BufRead,
    gz_bytes: Option<u64>,
) -> Result<(Vec<usize>, Vec<u8>), MnistError> {
    let start = gz.fill_buf().map_err(|source| io_error(path, source))?;
    if !start.starts_with(&GZIP_MAGIC) {
        return Err(MnistError::NotGzip {
            path: path.to_path_buf(),
        });
    }
    let corrupt = |source| MnistError::CorruptGzip {
        path: path.to_path_buf(),
        source,
    };
    let mut idx = Members::new(gz);
    let mut header = Vec::with_capacity(kind.header_len());
    (&mut idx)
        .take(kind.header_len() as u64)
        .read_to_end(&mut header)
        .map_err(corrupt)?;
    let (dims, expected_bytes) = parse_header(path, kind, &header, idx.data_after_gzip)?;
    if let Some(gz_bytes) = gz_bytes.filter(|&n| expected_bytes > n.saturating_mul(MAX_RATIO)) {
        return Err(MnistError::CannotHold {
            path: path.to_path_buf(),
            kind,
            dims,
            expected_bytes: expected_bytes.into(),
            gz_bytes,
        });
    }
    let mut body = Vec::with_capacity(expected_bytes as usize);
    (&mut idx)
        .take(expected_bytes)
        .read_to_end(&mut body)
        .map_err(corrupt)?;
    let more = idx.read(&mut [0]).map_err(corrupt)?;
    let (path, found_bytes) = (path.to_path_buf(), body.len());
    if idx.data_after_gzip {
        return Err(MnistError::DataAfterGzip { path });
    }
    if (found_bytes as u64) < expected_bytes {
        return Err(MnistError::Truncated {
            path,
            kind,
            dims,
            expected_bytes: expected_bytes.into(),
            found_bytes,
        });
    }
    if more > 0 {
        return Err(MnistError::TrailingBytes {
            path,
            kind,
            dims,
            expected_bytes: expected_bytes.into(),
        });
    }
    Ok((dims, body))
}

/// Checks an IDX header: the magic number, the whole header there, no dimension zero, and a
/// body of at most [`MAX_BODY_BYTES`]. Returns the dimensions and the body's length in bytes.
///
/// ```text
/// offset  type  value
/// 0       u32   magic number (0x00000803 images, 0x00000801 labels), big-endian
/// 4       u32   count, big-endian
/// 8       u32   rows   (images only)
/// 12      u32   cols   (images only)
/// 16/8    u8…   the data: count × rows × cols pixels, or count labels
/// ```
fn parse_header(
    path: &Path,
    kind: IdxKind,
    header: &[u8],
    data_after_gzip: bool,
) -> Result<(Vec<usize>, u64), MnistError> {
    let path = path.to_path_buf();
    // The magic number first: for a label file read as images it is the more helpful message.
    let magic = header
        .first_chunk::<4>()
        .map(|word| u32::from_be_bytes(*word));
    if let Some(found) = magic.filter(|&found| found != kind.magic()) {
        return Err(MnistError::BadMagic { path, kind, found });
    }
    if data_after_gzip {
        return Err(MnistError::DataAfterGzip { path });
    }
    if header.len() < kind.header_len() {
        let found_bytes = header.len();
        return Err(MnistError::TruncatedHeader {
            path,
            kind,
            found_bytes,
        });
    }
    let dims: Vec<usize> = header[4..]
        .chunks_exact(4)
        .map(|word| u32::from_be_bytes([word[0], word[1], word[2], word[3]]) as usize)
        .collect();
    if dims.contains(&0) {
        return Err(MnistError::ZeroDimension { path, kind, dims });
    }
    // u128: three u32 dimensions multiply to at most 2^96, so this cannot overflow.
    let expected_bytes: u128 = dims.iter().map(|&d| d as u128).product();
    if expected_bytes > u128::from(MAX_BODY_BYTES) {
        return Err(MnistError::TooLarge {
            path,
            kind,
            dims,
            expected_bytes,
        });
    }
    Ok((dims, expected_bytes as u64))
}

/// Keeps the pixels of an unpacked IDX image file.
pub(crate) fn images((dims, pixels): (Vec<usize>, Vec<u8>)) -> Result<Images, MnistError> {
    Ok(Images {
        pixels,
        count: dims[0],
        rows: dims[1],
        cols: dims[2],
    })
}

/// Checks that every label of an unpacked IDX label file is a digit.
pub(crate) fn labels(
    path: &Path,
    (_dims, labels): (Vec<usize>, Vec<u8>),
) -> Result<Vec<u8>, MnistError> {
    if let Some(index) = labels.iter().position(|&label| label > 9) {
        return Err(MnistError::BadLabel {
            path: path.to_path_buf(),
            index,
            label: labels[index],
        });
    }
    Ok(labels)
}

/// The unpacked bytes of a gzip stream of one or more members (`cat a.gz b.gz` makes a valid
/// gzip file of two), noting whether anything that is not gzip follows the last member.
struct Members<R: BufRead> {
    member: Option<GzDecoder<R>>,
    data_after_gzip: bool,
}

impl<R: BufRead> Members<R> {
    fn new(gz: R) -> Self {
        Members {
            member: Some(GzDecoder::new(gz)),
            data_after_gzip: false,
        }
    }
}

impl<R: BufRead> Read for Members<R> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        loop {
            let Some(member) = self.member.as_mut() else {
                return Ok(0);
            };
            let n = member.read(buf)?;
            if n > 0 || buf.is_empty() {
                return Ok(n);
            }
            // This member has ended (its checksum verified): another, or the end, or junk.
            let rest = member.get_mut().fill_buf()?;
            if !rest.is_empty() && rest.starts_with(&GZIP_MAGIC) {
                let gz = self.member.take().expect("a member is open").into_inner();
                self.member = Some(GzDecoder::new(gz));
            } else {
                self.data_after_gzip = !rest.is_empty();
                self.member = None;
            }
        }
    }
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;
    use flate2::{Compression, write::GzEncoder};
    use std::fs;
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
        assert!(matches!(err, MnistError::TooLarge { .. }), "{err:?}");
        assert!(err.to_string().contains("more than the 268435456 bytes"));
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
                ..
            }
        ));
    }

    #[test]
    fn a_gzip_bomb_is_read_only_as_far_as_the_header_promises() {
        // A header promising 100 labels, then 200 MB of zeros: about 200 kB of gzip.
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("bomb.gz");
        let mut encoder = GzEncoder::new(fs::File::create(&path).unwrap(), Compression::best());
        encoder.write_all(&idx_labels(100, &[])).unwrap();
        let zeros = vec![0; 1 << 20];
        for _ in 0..200 {
            encoder.write_all(&zeros).unwrap();
        }
        encoder.finish().unwrap();
        assert!(fs::metadata(&path).unwrap().len() < 1 << 20);
        let started = std::time::Instant::now();
        let err = read_labels(&path).unwrap_err();
        assert!(matches!(err, MnistError::TrailingBytes { .. }), "{err:?}");
        assert!(started.elapsed().as_secs_f64() < 1.0);
    }

    #[test]
    fn a_header_promising_more_than_its_file_can_hold_is_refused_before_unpacking() {
        // 1000 × 100 × 100 pixels, 10 MB, cannot come out of a file of a few hundred bytes
        let dir = tempfile::tempdir().unwrap();
        let path = write_gz(dir.path(), "x.gz", &idx_images(1000, 100, 100, &[0; 64]));
        let err = read_images(&path).unwrap_err();
        assert!(matches!(err, MnistError::CannotHold { .. }), "{err:?}");
        assert!(
            err.to_string().contains("(10000000 bytes), more than its"),
            "{err}"
        );
    }

    #[test]
    fn a_header_promising_more_than_the_limit_is_refused_before_unpacking() {
        let dir = tempfile::tempdir().unwrap();
        let path = write_gz(dir.path(), "x.gz", &idx_images(1 << 20, 28, 28, &[0; 64]));
        let err = read_images(&path).unwrap_err();
        assert!(matches!(err, MnistError::TooLarge { .. }), "{err:?}");
    }

    #[test]
    fn an_endless_file_is_refused_quickly() {
        let started = std::time::Instant::now();
        let err = read_images(Path::new("/dev/zero")).unwrap_err();
        assert!(matches!(err, MnistError::NotGzip { .. }), "{err:?}");
        let err = read_file(Path::new("/dev/zero"), 1 << 20).unwrap_err();
        assert!(matches!(err, MnistError::FileTooLarge { .. }), "{err:?}");
        assert!(
            err.to_string().contains("larger than 1048576 bytes"),
            "{err}"
        );
        assert!(started.elapsed().as_secs_f64() < 1.0);
    }

    #[test]
    fn bytes_after_the_gzip_stream_are_refused() {
        let dir = tempfile::tempdir().unwrap();
        let path = write_gz(dir.path(), "y.gz", &idx_labels(2, &[1, 2]));
        let mut gz = fs::read(&path).unwrap();
        gz.extend_from_slice(b"junk");
        fs::write(&path, &gz).unwrap();
        let err = read_labels(&path).unwrap_err();
        assert!(matches!(err, MnistError::DataAfterGzip { .. }), "{err:?}");
        assert!(
            err.to_string()
                .contains("bytes after the end of its gzip data")
        );
    }

    #[test]
    fn a_file_of_several_gzip_members_is_read_whole() {
        // `cat a.gz b.gz`: the header and first pixels in one member, the rest in another.
        let dir = tempfile::tempdir().unwrap();
        let pixels: Vec<u8> = (0..12).collect();
        let bytes = idx_images(2, 2, 3, &pixels);
        let first = fs::read(write_gz(dir.path(), "a.gz", &bytes[..20])).unwrap();
        let second = fs::read(write_gz(dir.path(), "b.gz", &bytes[20..])).unwrap();
        let path = dir.path().join("ab.gz");
        fs::write(&path, [first, second].concat()).unwrap();
        let images = read_images(&path).unwrap();
        assert_eq!(images.pixels, pixels);
    }

    #[test]
    fn images_of_no_pixels_are_refused() {
        let dir = tempfile::tempdir().unwrap();
        for (count, rows, cols) in [(5, 0, 0), (5, 28, 0), (0, 28, 28)] {
            let path = write_gz(dir.path(), "x.gz", &idx_images(count, rows, cols, &[]));
            let err = read_images(&path).unwrap_err();
            assert!(matches!(err, MnistError::ZeroDimension { .. }), "{err:?}");
            assert!(
                err.to_string().contains("no dimension may be zero"),
                "{err}"
            );
        }
        let path = write_gz(dir.path(), "y.gz", &idx_labels(0, &[]));
        let err = read_labels(&path).unwrap_err();
        assert!(matches!(err, MnistError::ZeroDimension { .. }), "{err:?}");
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
        assert!(err.to_string().contains("damaged gzip file ("), "{err}");
    }
}
