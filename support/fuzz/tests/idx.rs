//! Fuzzes the MNIST reader: mutants of gzipped IDX files, read as images and as labels.

use std::path::Path;

use fuzz::{PeakAlloc, Target, gunzip, gzip, mutate};
use seeded_rng::{ChaCha8Rng, Rng};

#[global_allocator]
static ALLOC: PeakAlloc = PeakAlloc;

/// Half the time the gzip bytes are damaged; half the time the IDX file inside them is, and
/// then gzipped again (in one or two members), so that mutants reach the header checks.
fn mutate_idx(gz: &[u8], others: &[Vec<u8>], rng: &mut ChaCha8Rng) -> Vec<u8> {
    match gunzip(gz) {
        Some(idx) if rng.random_bool(0.5) => {
            let idx = mutate(&idx, &[], rng);
            match rng.random_bool(0.2) {
                true => {
                    let cut = rng.random_range(0..=idx.len());
                    [gzip(&idx[..cut]), gzip(&idx[cut..])].concat()
                }
                false => gzip(&idx),
            }
        }
        _ => mutate(gz, others, rng),
    }
}

#[test]
fn the_idx_reader_refuses_or_reads_every_mutant_within_its_limits() {
    let here = Path::new(env!("CARGO_MANIFEST_DIR"));
    let failures = Path::new(env!("CARGO_TARGET_TMPDIR")).join("fuzz-failures");
    let target = Target::new("idx", &here.join("corpus/idx"), 2000, &failures);
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("input.gz");
    let report = fuzz::run(&target, mutate_idx, |bytes| {
        std::fs::write(&file, bytes).unwrap();
        let images = mnist::read_images(&file).is_ok();
        let labels = mnist::read_labels(&file).is_ok();
        images || labels
    });
    eprintln!("{report}");
    assert!(report.failures.is_empty(), "{:#?}", report.failures);
    assert!(report.accepted > target.seeds.len(), "{report}"); // some mutants still parse
}
