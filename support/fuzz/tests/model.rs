//! Fuzzes the model loader: mutants of safetensors files, from memory and, one in ten, from a
//! file on disk.

use std::path::Path;

use ch13_mnist::Mlp;
use fuzz::{PeakAlloc, Target, mutate};

#[global_allocator]
static ALLOC: PeakAlloc = PeakAlloc;

#[test]
fn the_model_loader_refuses_or_loads_every_mutant_within_its_limits() {
    let here = Path::new(env!("CARGO_MANIFEST_DIR"));
    let failures = Path::new(env!("CARGO_TARGET_TMPDIR")).join("fuzz-failures");
    let target = Target::new("model", &here.join("corpus/model"), 3000, &failures);
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("input.safetensors");
    let mut count = 0;
    let report = fuzz::run(&target, mutate, |bytes| {
        count += 1;
        match count % 10 {
            0 => {
                std::fs::write(&file, bytes).unwrap();
                Mlp::<f32>::load(&file).is_ok()
            }
            _ => Mlp::<f32>::from_safetensors(bytes).is_ok(),
        }
    });
    eprintln!("{report}");
    assert!(report.failures.is_empty(), "{:#?}", report.failures);
    assert!(report.accepted > 3, "{report}"); // the good seeds, and some mutants
}
