//! How long does `mnist::load()` take? Median of three runs, printed to stderr.
//!
//! `cargo run --release -p mnist --example load_time`

use std::time::{Duration, Instant};

fn main() -> Result<(), mnist::MnistError> {
    let mut times: Vec<Duration> = Vec::new();
    for _ in 0..3 {
        let start = Instant::now();
        let mnist = mnist::load()?;
        times.push(start.elapsed());
        assert_eq!(mnist.train.len(), 60_000);
    }
    times.sort();
    eprintln!("mnist::load(): median {:?} (runs {times:?})", times[1]);
    Ok(())
}
