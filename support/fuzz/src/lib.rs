//! Mutation fuzzing on stable Rust: start from a corpus of good and hostile files, change them
//! at random the ways files get damaged (flipped bits, cut ends, repeated or lost runs of bytes,
//! numbers swapped for extreme ones), and hand each mutant to a parser. The parser must refuse
//! or accept every one of them without a panic, within a time limit, and without allocating
//! more than a memory limit.
//!
//! Each fuzz target is a test in `tests/` (one per parser: IDX, model, image), so `cargo test`
//! runs them, each for a fixed number of inputs from a fixed seed: the same inputs every run,
//! and a failure that can be replayed. `FUZZ_INPUTS=100000 cargo test -p fuzz --release --
//! --nocapture` runs longer; `FUZZ_SEED=N` draws other mutants.
//!
//! The limits are checked per input: [`PeakAlloc`], installed as a test's global allocator,
//! measures the most memory the parser held at once.

use std::alloc::{GlobalAlloc, Layout, System};
use std::panic::{AssertUnwindSafe, catch_unwind};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, Instant};

use seeded_rng::{ChaCha8Rng, Rng};

/// A global allocator that counts the bytes held and the most held since the last
/// [`PeakAlloc::reset`]. Install it in a test binary:
///
/// ```ignore
/// #[global_allocator]
/// static ALLOC: fuzz::PeakAlloc = fuzz::PeakAlloc;
/// ```
pub struct PeakAlloc;

static HELD: AtomicUsize = AtomicUsize::new(0);
static PEAK: AtomicUsize = AtomicUsize::new(0);

unsafe impl GlobalAlloc for PeakAlloc {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        let ptr = unsafe { System.alloc(layout) };
        if !ptr.is_null() {
            let held = HELD.fetch_add(layout.size(), Ordering::Relaxed) + layout.size();
            PEAK.fetch_max(held, Ordering::Relaxed);
        }
        ptr
    }

    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        unsafe { System.dealloc(ptr, layout) };
        HELD.fetch_sub(layout.size(), Ordering::Relaxed);
    }
}

impl PeakAlloc {
    /// Starts a new measurement: the peak becomes what is held now.
    pub fn reset() {
        PEAK.store(HELD.load(Ordering::Relaxed), Ordering::Relaxed);
    }

    /// The most bytes held at once since the last [`PeakAlloc::reset`], above what was held
    /// then (0 if [`PeakAlloc`] is not the global allocator).
    pub fn peak_above(start: usize) -> usize {
        PEAK.load(Ordering::Relaxed).saturating_sub(start)
    }

    /// The bytes held now.
    pub fn held() -> usize {
        HELD.load(Ordering::Relaxed)
    }
}

/// What a fuzz target may spend on one input.
#[derive(Debug, Clone, Copy)]
pub struct Limits {
    pub time: Duration,
    pub memory: usize,
}

/// The default limits: 2 s and 300 MB for one input (a few MB of file).
pub const LIMITS: Limits = Limits {
    time: Duration::from_secs(2),
    memory: 300 << 20,
};

/// What a fuzz run did: how many inputs, in how long, the slowest and the hungriest input,
/// and how many inputs the parser accepted.
#[derive(Debug, Clone)]
pub struct Report {
    pub target: String,
    pub inputs: usize,
    pub accepted: usize,
    pub seconds: f64,
    pub slowest: Duration,
    pub most_memory: usize,
    pub failures: Vec<String>,
}

impl std::fmt::Display for Report {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "fuzz {}: {} inputs in {:.1} s ({} accepted), slowest {:.0} ms, most memory {:.1} MB, \
             {} failures",
            self.target,
            self.inputs,
            self.seconds,
            self.accepted,
            self.slowest.as_secs_f64() * 1000.0,
            self.most_memory as f64 / 1e6,
            self.failures.len()
        )
    }
}

/// How many inputs a target runs: `FUZZ_INPUTS` if set, else `default`.
pub fn inputs_from_env(default: usize) -> usize {
    std::env::var("FUZZ_INPUTS")
        .ok()
        .and_then(|n| n.parse().ok())
        .unwrap_or(default)
}

/// The seed of the mutations: `FUZZ_SEED` if set, else 0.
pub fn seed_from_env() -> u64 {
    std::env::var("FUZZ_SEED")
        .ok()
        .and_then(|n| n.parse().ok())
        .unwrap_or(0)
}

/// Every file in `dir`, sorted by name: a target's seed corpus.
pub fn corpus(dir: &Path) -> Vec<Vec<u8>> {
    let mut paths: Vec<PathBuf> = std::fs::read_dir(dir)
        .unwrap_or_else(|e| panic!("reading the corpus {}: {e}", dir.display()))
        .map(|entry| entry.expect("a corpus entry").path())
        .collect();
    paths.sort();
    paths
        .iter()
        .map(|p| std::fs::read(p).expect("a corpus file"))
        .collect()
}

/// A fuzz target: its name, its seed corpus, how many mutants to try, drawn from which seed,
/// its limits, and the folder where failing inputs are saved to be replayed.
pub struct Target {
    pub name: String,
    pub seeds: Vec<Vec<u8>>,
    pub inputs: usize,
    pub seed: u64,
    pub limits: Limits,
    pub failures_dir: PathBuf,
}

impl Target {
    /// A target of `name` on the corpus in `corpus_dir`, with [`LIMITS`], `FUZZ_INPUTS` (or
    /// `default_inputs`) mutants drawn from `FUZZ_SEED` (or 0), failures saved in
    /// `failures_dir`.
    pub fn new(name: &str, corpus_dir: &Path, default_inputs: usize, failures_dir: &Path) -> Self {
        Target {
            name: name.to_string(),
            seeds: corpus(corpus_dir),
            inputs: inputs_from_env(default_inputs),
            seed: seed_from_env(),
            limits: LIMITS,
            failures_dir: failures_dir.to_path_buf(),
        }
    }
}

/// Runs `parse` on every seed of `target`, then on its mutants made by `mutate`, checking that
/// no input panics or goes over the limits. Failing inputs are saved, to be replayed. `parse`
/// returns whether it accepted the input.
pub fn run(
    target: &Target,
    mut mutate: impl FnMut(&[u8], &[Vec<u8>], &mut ChaCha8Rng) -> Vec<u8>,
    mut parse: impl FnMut(&[u8]) -> bool,
) -> Report {
    let (seeds, inputs, limits) = (&target.seeds, target.inputs, target.limits);
    let rng = &mut seeded_rng::rng(target.seed);
    assert!(!seeds.is_empty(), "fuzz {}: no seeds", target.name);
    let started = Instant::now();
    let mut report = Report {
        target: target.name.clone(),
        inputs: 0,
        accepted: 0,
        seconds: 0.0,
        slowest: Duration::ZERO,
        most_memory: 0,
        failures: Vec::new(),
    };
    for i in 0..seeds.len() + inputs {
        let input = match seeds.get(i) {
            Some(seed) => seed.clone(),
            None => {
                let seed = &seeds[rng.random_range(0..seeds.len())];
                mutate(seed, seeds, rng)
            }
        };
        let before = PeakAlloc::held();
        PeakAlloc::reset();
        let one = Instant::now();
        let outcome = catch_unwind(AssertUnwindSafe(|| parse(&input)));
        let took = one.elapsed();
        let memory = PeakAlloc::peak_above(before);
        report.inputs += 1;
        report.slowest = report.slowest.max(took);
        report.most_memory = report.most_memory.max(memory);
        let failure = match outcome {
            Err(_) => Some("panicked".to_string()),
            Ok(_) if took > limits.time => Some(format!("took {took:?}")),
            Ok(_) if memory > limits.memory => Some(format!("held {memory} bytes")),
            Ok(accepted) => {
                report.accepted += usize::from(accepted);
                None
            }
        };
        if let Some(why) = failure {
            std::fs::create_dir_all(&target.failures_dir).expect("a folder for failing inputs");
            let path = target.failures_dir.join(format!("{}-{i}", target.name));
            std::fs::write(&path, &input).expect("writing a failing input");
            report
                .failures
                .push(format!("input {i} {why} (saved as {})", path.display()));
        }
    }
    report.seconds = started.elapsed().as_secs_f64();
    report
}

/// Numbers that parsers trip over: zero, one, the edges of the integer types, and sizes just
/// above and below powers of two.
const EXTREMES: [u64; 12] = [
    0,
    1,
    0x7f,
    0xff,
    0xffff,
    0x7fff_ffff,
    0xffff_ffff,
    0x1_0000_0000,
    i64::MAX as u64,
    u64::MAX,
    u64::MAX - 15,
    1 << 40,
];

/// A mutant of `input`: one to four of the damages files suffer, chosen at random, with bytes
/// spliced in from the `others` of the corpus now and then.
pub fn mutate(input: &[u8], others: &[Vec<u8>], rng: &mut ChaCha8Rng) -> Vec<u8> {
    let mut bytes = input.to_vec();
    for _ in 0..rng.random_range(1..=4) {
        mutate_once(&mut bytes, others, rng);
    }
    bytes
}

fn mutate_once(bytes: &mut Vec<u8>, others: &[Vec<u8>], rng: &mut ChaCha8Rng) {
    let len = bytes.len();
    let at = |rng: &mut ChaCha8Rng| rng.random_range(0..=len);
    match rng.random_range(0..9) {
        0 if len > 0 => {
            let i = rng.random_range(0..len);
            bytes[i] ^= 1 << rng.random_range(0..8); // one bit flipped
        }
        1 if len > 0 => {
            let i = rng.random_range(0..len);
            bytes[i] = [0, 0xff, 0x7f, 0x80, b'9', b'-'][rng.random_range(0..6)];
        }
        2 => bytes.truncate(at(rng)), // the end cut off
        3 => {
            let (a, b) = ordered(at(rng), at(rng));
            bytes.drain(a..b); // a run of bytes lost
        }
        4 => {
            let (a, b) = ordered(at(rng), at(rng));
            let run = bytes[a..b].to_vec();
            let times = rng.random_range(1..=8);
            let to = at(rng);
            bytes.splice(to..to, run.repeat(times)); // a run repeated
        }
        5 => {
            let value = EXTREMES[rng.random_range(0..EXTREMES.len())];
            let width = [1, 2, 4, 8][rng.random_range(0..4)];
            let word = match rng.random_bool(0.5) {
                true => value.to_le_bytes(),
                false => value.to_be_bytes(),
            };
            let word = &word[8 - width..];
            if len >= width {
                let i = rng.random_range(0..=len - width);
                bytes[i..i + width].copy_from_slice(word); // an extreme number
            }
        }
        6 => {
            // a number written in text (a JSON header) made extreme
            if let Some(i) = (0..len)
                .map(|_| at(rng))
                .find(|&i| i < len && bytes[i].is_ascii_digit())
            {
                let value = EXTREMES[rng.random_range(0..EXTREMES.len())].to_string();
                bytes.splice(i..i + 1, value.into_bytes());
            }
        }
        7 if !others.is_empty() => {
            let other = &others[rng.random_range(0..others.len())];
            let (a, b) = ordered(
                rng.random_range(0..=other.len()),
                rng.random_range(0..=other.len()),
            );
            let to = at(rng);
            bytes.splice(to..to, other[a..b].iter().copied()); // spliced from another file
        }
        _ => {
            let n = rng.random_range(1..=16);
            let to = at(rng);
            let noise: Vec<u8> = (0..n).map(|_| rng.random()).collect();
            bytes.splice(to..to, noise); // random bytes inserted
        }
    }
}

fn ordered(a: usize, b: usize) -> (usize, usize) {
    (a.min(b), a.max(b))
}

/// `bytes` gzipped, as one member.
pub fn gzip(bytes: &[u8]) -> Vec<u8> {
    use std::io::Write;
    let mut encoder = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::fast());
    encoder.write_all(bytes).expect("writing to memory");
    encoder.finish().expect("writing to memory")
}

/// `bytes` unzipped, if they are gzip.
pub fn gunzip(bytes: &[u8]) -> Option<Vec<u8>> {
    use std::io::Read;
    let mut out = Vec::new();
    flate2::read::MultiGzDecoder::new(bytes)
        .take(64 << 20)
        .read_to_end(&mut out)
        .ok()?;
    Some(out)
}

/// A PNG with every chunk's checksum made right again after a mutation, so that the mutant
/// reaches the decoder's deeper checks instead of failing at the first checksum.
pub fn fix_png_checksums(bytes: &mut [u8]) {
    let mut i = 8; // after the signature
    while i + 8 <= bytes.len() {
        let len = u32::from_be_bytes(bytes[i..i + 4].try_into().expect("4 bytes")) as usize;
        let Some(end) = (i + 8).checked_add(len).filter(|&e| e + 4 <= bytes.len()) else {
            return;
        };
        let mut crc = flate2::Crc::new();
        crc.update(&bytes[i + 4..end]);
        bytes[end..end + 4].copy_from_slice(&crc.sum().to_be_bytes());
        i = end + 4;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn mutants_differ_and_are_reproducible() {
        let seed = b"the quick brown fox 12345".to_vec();
        let draw = |s: u64| {
            let mut rng = seeded_rng::rng(s);
            (0..50)
                .map(|_| mutate(&seed, std::slice::from_ref(&seed), &mut rng))
                .collect::<Vec<_>>()
        };
        let mutants = draw(1);
        assert_eq!(mutants, draw(1));
        assert!(mutants.iter().filter(|m| **m != seed).count() > 40);
    }

    #[test]
    fn a_panic_and_a_slow_input_are_failures_and_saved() {
        let dir = tempfile_dir();
        let target = Target {
            name: "toy".to_string(),
            seeds: vec![b"ok".to_vec(), b"boom".to_vec(), b"slow".to_vec()],
            inputs: 0,
            seed: 0,
            limits: Limits {
                time: Duration::from_millis(50),
                memory: usize::MAX,
            },
            failures_dir: dir.clone(),
        };
        let report = run(&target, mutate, |input| match input {
            b"boom" => panic!("boom"),
            b"slow" => {
                std::thread::sleep(Duration::from_millis(100));
                true
            }
            _ => true,
        });
        assert_eq!((report.inputs, report.accepted), (3, 1));
        assert_eq!(report.failures.len(), 2, "{:?}", report.failures);
        assert!(report.failures[0].contains("panicked"));
        assert_eq!(std::fs::read(dir.join("toy-1")).unwrap(), b"boom");
        std::fs::remove_dir_all(dir).unwrap();
    }

    #[test]
    fn checksums_are_made_right_again() {
        // the smallest chunk: IEND, no data, its checksum ae 42 60 82
        let mut png = b"\x89PNG\r\n\x1a\n\0\0\0\0IEND\0\0\0\0".to_vec();
        fix_png_checksums(&mut png);
        assert_eq!(png[16..], [0xae, 0x42, 0x60, 0x82]);
        assert_eq!(gunzip(&gzip(b"abc")).unwrap(), b"abc");
    }

    fn tempfile_dir() -> PathBuf {
        let dir = std::env::temp_dir().join(format!("fuzz-test-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        dir
    }
}
