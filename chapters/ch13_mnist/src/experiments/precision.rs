//! f32 or f64: the same short run in both types, compared.

use crate::*;

/// The quick f32-against-f64 comparison of the story: one epoch on this many training images.
const PRECISION_TRAIN_SIZE: usize = 10_000;
const PRECISION_EPOCHS: usize = 1;

/// The quick comparison of the story: the same short run in f32 and in f64, at the chosen
/// learning rate.
pub fn compare_precision(mnist: &mnist::Mnist, learning_rate: f64, seed: u64) -> Result<()> {
    section("f32 or f64");
    let training = TrainingArgs {
        epochs: PRECISION_EPOCHS,
        train_size: Some(PRECISION_TRAIN_SIZE),
        ..TrainingArgs::story()
    };
    println!(
        "the same network, seed and batches; {} epoch on the first {PRECISION_TRAIN_SIZE} \
         training images",
        training.epochs
    );
    let (f32_history, f32_bytes, f32_seconds) =
        precision_run::<f32>(mnist, &training, learning_rate, seed)?;
    let (f64_history, f64_bytes, f64_seconds) =
        precision_run::<f64>(mnist, &training, learning_rate, seed)?;
    println!("type  loss    validation acc  model file");
    for (name, history, bytes) in [
        ("f32", &f32_history, f32_bytes),
        ("f64", &f64_history, f64_bytes),
    ] {
        let last = history.epochs.last().expect("at least one epoch");
        println!(
            "{name}   {:.4}  {:.4}          {bytes} bytes",
            last.loss, last.validation_accuracy
        );
    }
    let pairs = f32_history
        .batch_losses
        .iter()
        .zip(&f64_history.batch_losses);
    let largest = pairs.map(|(a, b)| (a - b).abs()).fold(0.0, f64::max);
    println!("largest difference between the two runs' batch losses: {largest:.1e}");
    let ratio = f64_seconds / f32_seconds;
    eprintln!("f32: {f32_seconds:.2} s, f64: {f64_seconds:.2} s (f64 takes {ratio:.2}× as long)");
    Ok(())
}

/// Trains in the float type `F` at the peak rate `learning_rate`; returns the history, the size
/// of the saved model and the seconds training took.
pub fn precision_run<F: StoredFloat + From<u8>>(
    mnist: &mnist::Mnist,
    training: &TrainingArgs,
    learning_rate: f64,
    seed: u64,
) -> Result<(History, usize, f64)> {
    let data = training.data::<F>(mnist, &mut seeded_rng::rng(seed))?;
    let (sizes, setup) = (training.sizes()?, training.setup(learning_rate)?);
    let started = Instant::now();
    let (mut model, history) = run_training(&data, &sizes, &setup, seed)?;
    let seconds = started.elapsed().as_secs_f64();
    Ok((history, model.to_safetensors().len(), seconds))
}
