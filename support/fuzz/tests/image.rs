//! Fuzzes the image reader: mutants of PNG files (most with their chunks' checksums made right
//! again), decoded and prepared as MNIST digits.

use std::path::Path;

use ch13_mnist::handwriting::{decode_image, preprocess};
use fuzz::{PeakAlloc, Target, fix_png_checksums, mutate};
use seeded_rng::{ChaCha8Rng, Rng};

#[global_allocator]
static ALLOC: PeakAlloc = PeakAlloc;

fn mutate_png(png: &[u8], others: &[Vec<u8>], rng: &mut ChaCha8Rng) -> Vec<u8> {
    let mut bytes = mutate(png, others, rng);
    if rng.random_bool(0.8) {
        fix_png_checksums(&mut bytes);
    }
    bytes
}

#[test]
fn the_image_reader_refuses_or_reads_every_mutant_within_its_limits() {
    let here = Path::new(env!("CARGO_MANIFEST_DIR"));
    let failures = Path::new(env!("CARGO_TARGET_TMPDIR")).join("fuzz-failures");
    let target = Target::new("image", &here.join("corpus/image"), 3000, &failures);
    let report = fuzz::run(&target, mutate_png, |bytes| {
        decode_image(bytes)
            .and_then(|page| preprocess(&page))
            .is_ok()
    });
    eprintln!("{report}");
    assert!(report.failures.is_empty(), "{:#?}", report.failures);
    assert!(report.accepted > target.seeds.len(), "{report}");
}
