//! Saving and loading: the model's safetensors file, what it holds, and files refused.

use crate::*;

/// Saves the model, shows what the file holds, loads it back, and shows four files that are
/// refused.
pub fn save_and_load(
    model: &mut Mlp<f32>,
    data: &Datasets<f32>,
    predicted: &[usize],
) -> Result<()> {
    section("Saving and loading");
    let path = cli::default_model_path();
    model.save(&path)?;
    let bytes = std::fs::read(&path).with_context(|| format!("reading back {}", path.display()))?;
    println!("saved {} ({} bytes)", cli::shown_path(&path), bytes.len());
    let contents = save::contents(&bytes)?;
    println!(
        "8 bytes giving the header's length, {}; the header, JSON, with the metadata {:?}",
        contents.header_len, contents.metadata
    );
    println!("and the name, type and shape of each tensor; then the numbers:");
    for (name, dtype, shape) in &contents.tensors {
        println!("  {name:<14} {dtype:?}  {shape:?}");
    }

    let mut loaded = Mlp::<f32>::load(&path)?;
    let again = loaded.classify(&data.x_test);
    let same = again.iter().zip(predicted).filter(|(a, b)| a == b).count();
    let total = predicted.len();
    println!("loaded back: {same} of {total} test predictions the same as before saving");

    println!("files that are refused:");
    let refuse = |what: &str, bytes: &[u8]| {
        print_refusal(what, Mlp::<f32>::from_safetensors(bytes));
    };
    refuse("the file cut in half", &bytes[..bytes.len() / 2]);
    let png = std::fs::read(chapter_cli::workspace_root().join(HANDWRITING))?;
    refuse("a PNG image", &png);
    let transposed = save::with_shape_transposed(&bytes, model.sizes[1], model.sizes[2]);
    refuse(
        "layer2.weight stored transposed, as PyTorch stores weights",
        &transposed,
    );
    let mut wide = Mlp::<f64>::new(&model.sizes, &mut seeded_rng::rng(0));
    refuse("the same network saved in f64", &wide.to_safetensors());
    Ok(())
}
