//! Fuzzes the image reader: mutants of PNG files (most with their chunks' checksums made right
//! again) and of JPEG photos, decoded and prepared as MNIST digits, by MNIST's recipe and by the
//! steps for photos.

use std::path::Path;

use ch13_mnist::handwriting::{decode_image, preprocess, preprocess_photo};
use fuzz::{PeakAlloc, Target, fix_png_checksums, mutate};
use seeded_rng::{ChaCha8Rng, Rng};

#[global_allocator]
static ALLOC: PeakAlloc = PeakAlloc;

fn mutate_image(seed: &[u8], others: &[Vec<u8>], rng: &mut ChaCha8Rng) -> Vec<u8> {
    let mut bytes = mutate(seed, others, rng);
    if bytes.starts_with(b"\x89PNG") && rng.random_bool(0.8) {
        fix_png_checksums(&mut bytes);
    }
    bytes
}

#[test]
fn the_image_reader_refuses_or_reads_every_mutant_within_its_limits() {
    let here = Path::new(env!("CARGO_MANIFEST_DIR"));
    let failures = Path::new(env!("CARGO_TARGET_TMPDIR")).join("fuzz-failures");
    let target = Target::new("image", &here.join("corpus/image"), 3000, &failures);
    let report = fuzz::run(&target, mutate_image, |bytes| {
        let Ok(page) = decode_image(bytes) else {
            return false;
        };
        // Both recipes run, whether or not the first refuses.
        let mnist = preprocess(&page).is_ok();
        preprocess_photo(&page).is_ok() || mnist
    });
    eprintln!("{report}");
    assert!(report.failures.is_empty(), "{:#?}", report.failures);
    assert!(report.accepted > target.seeds.len(), "{report}");
}
