//! The numerical gradient, fast: on every core, incremental, and both.

use crate::*;

/// The small case of the numerical gradients: hidden units, and training images.
const NUMERICAL_HIDDEN: usize = 10;
const NUMERICAL_IMAGES: usize = 10;

/// The gradients chapter's numerical gradient on a small network, four ways: plain, on every
/// core, incremental, and both.
pub fn numerical_gradients(timed: &Path, mnist: &mnist::Mnist, seed: u64) -> Result<()> {
    section("Numerical gradients, made fast");
    let split = mnist.train.first(NUMERICAL_IMAGES);
    let x: Array2<f64> = split.images_normalised();
    let t: Vec<usize> = split.labels.iter().map(|&l| usize::from(l)).collect();
    let mut net = TwoLayerNet::<f64>::new(
        x.ncols(),
        NUMERICAL_HIDDEN,
        CLASSES,
        &mut seeded_rng::rng(seed),
    );
    let parameters = net.parameter_count();
    println!(
        "the gradients chapter's network {}-{NUMERICAL_HIDDEN}-{CLASSES} (sigmoid), {} parameters, \
         the first {NUMERICAL_IMAGES} training images (f64)",
        x.ncols(),
        thousands(parameters)
    );
    let started = Instant::now();
    let plain = net.numerical_gradient(&x, &t);
    let plain_seconds = started.elapsed().as_secs_f64();
    let started = Instant::now();
    let parallel = par_two_layer_gradient(&net, &x, &t);
    let parallel_seconds = started.elapsed().as_secs_f64();
    let started = Instant::now();
    let incremental = incremental_numerical_gradient(&net, &x, &t);
    let incremental_seconds = started.elapsed().as_secs_f64();
    let started = Instant::now();
    let both = par_incremental_numerical_gradient(&net, &x, &t);
    let both_seconds = started.elapsed().as_secs_f64();

    let nonzero = x.iter().filter(|&&v| v != 0.0).count() as f64 / x.len() as f64;
    println!("pixels that are not 0: {:.1}%", 100.0 * nonzero);
    println!(
        "on every core:        {}",
        if parallel == plain {
            "identical to the plain gradient, bit for bit".to_string()
        } else {
            "DIFFERENT".to_string()
        }
    );
    println!(
        "incremental:          largest |difference| from the plain gradient {:.1e}",
        incremental.max_abs_diff(&plain)
    );
    println!(
        "incremental, parallel: {}",
        if both == incremental {
            "identical to the incremental gradient, bit for bit"
        } else {
            "DIFFERENT"
        }
    );
    let row = |name: &str, seconds: f64| {
        format!(
            "{name:<24} {seconds:>9.4} {:>9.1}×",
            plain_seconds / seconds
        )
    };
    let text = format!(
        "measured on {}\nnumerical gradient of {} parameters ({} loss evaluations), {} images\n\
         {:<24} {:>9} {:>10}\n{}\n{}\n{}\n{}\n",
        machine_label(Simd::detect().name()),
        thousands(parameters),
        thousands(2 * parameters),
        x.len_of(Axis(0)),
        "method",
        "seconds",
        "speed-up",
        row("plain (one core)", plain_seconds),
        row("plain, every core", parallel_seconds),
        row("incremental (one core)", incremental_seconds),
        row("incremental, every core", both_seconds),
    );
    write_timed(timed, "numerical.txt", &text)
}
