//! The page's parts "Vanishing gradients" and "Why cross-entropy": layers, and a neuron, that
//! learn slowly.

use crate::*;

/// Vanishing gradients, measured as Nielsen measures them (chapter 5): 1,000 training images,
/// four hidden layers of 30 units, SGD with learning rate 0.1 on batches of 10.
const SPEED_SAMPLES: usize = 1000;
const SPEED_SIZES: [usize; 6] = [784, 30, 30, 30, 30, 10];
const SPEED_LR: f32 = 0.1;
const SPEED_BATCH: usize = 10;
const SPEED_EPOCHS: usize = 30;
const QUICK_SPEED_EPOCHS: usize = 3;

/// Nielsen's learning slowdown (chapter 3): one sigmoid neuron learns to answer 0 to the input
/// 1, from a wrong start and from a badly wrong one, with learning rate 0.15, for 300 epochs.
const NEURON_STARTS: [Neuron; 2] = [Neuron { w: 0.6, b: 0.9 }, Neuron { w: 2.0, b: 2.0 }];
const NEURON_EXAMPLE: (f64, f64) = (1.0, 0.0);
const NEURON_LR: f64 = 0.15;
const NEURON_EPOCHS: usize = 300;
/// The epochs at which the table shows the neuron's output.
const NEURON_MARKS: [usize; 5] = [0, 10, 50, 100, 300];

/// A row of a table: a name in 32 columns, then each cell right-aligned in 10.
fn table_row(name: &str, cells: impl IntoIterator<Item = String>) -> String {
    let cells: String = cells.into_iter().map(|c| format!(" {c:>9}")).collect();
    format!("{name:<32}{cells}")
}

/// The names of the layers of a network of `layers` weight layers: `layer 1`, …, `output`.
fn layer_names(layers: usize) -> Vec<String> {
    (1..layers)
        .map(|l| format!("layer {l}"))
        .chain(["output".to_string()])
        .collect()
}

/// Nielsen's chapter 5: how fast each layer of a deep network learns, before and while it
/// trains, with sigmoid units (Nielsen's initialisation, which is Xavier's) and with ReLU units
/// (He). Both networks start from the same seed and see the same batches.
pub fn vanishing_gradients(
    out: &Path,
    sets: &ThreeSets<f32>,
    seed: u64,
    quick: bool,
) -> Result<()> {
    let epochs = if quick {
        QUICK_SPEED_EPOCHS
    } else {
        SPEED_EPOCHS
    };
    let few = first(&sets.train, SPEED_SAMPLES);
    let networks = [
        ("sigmoid, Xavier", Activation::Sigmoid, Init::Xavier),
        ("ReLU, He", Activation::Relu, Init::He),
    ];
    let bar = progress_bar("layer speeds", networks.len() * epochs);
    let mut runs = Vec::new();
    for (name, activation, init) in networks {
        let mut rng = seeded_rng::rng(seed);
        let mut net = multi_layer_net(&SPEED_SIZES, activation, init, &mut rng);
        let mut sgd = Sgd::new(SPEED_LR);
        let plan = (SPEED_BATCH, epochs);
        let speeds =
            speeds_during_training(&mut net, &few, &mut sgd, plan, &mut rng, &mut || bar.inc(1));
        let accuracy = net.accuracy(&sets.validation.x, &sets.validation.t);
        runs.push((name, speeds, accuracy));
    }
    bar.finish_and_clear();

    section("Vanishing gradients");
    let layers = layer_names(SPEED_SIZES.len() - 1);
    println!("speed of learning ‖∂L/∂b‖ of each layer, on {SPEED_SAMPLES} training images");
    println!("{}", table_row("before training", layers.clone()));
    for (name, speeds, _) in &runs {
        println!(
            "{}",
            table_row(name, speeds[0].iter().map(|v| format!("{v:.1e}")))
        );
    }
    println!("each layer's speed over the next layer's");
    for (name, speeds, _) in &runs {
        let ratios = ratios_to_next(&speeds[0]);
        println!(
            "{}",
            table_row(name, ratios.iter().map(|r| format!("{r:.2}")))
        );
    }

    section("Vanishing gradients while training");
    println!("SGD, η = {SPEED_LR}, batches of {SPEED_BATCH}");
    println!(
        "{}",
        table_row(&format!("after {epochs} epochs"), layers.clone())
    );
    for (name, speeds, _) in &runs {
        let cells = speeds[epochs].iter().map(|v| format!("{v:.1e}"));
        println!("{}", table_row(name, cells));
    }
    println!("validation accuracy after {epochs} epochs");
    for (name, _, accuracy) in &runs {
        println!("{}", table_row(name, [format!("{accuracy:.4}")]));
    }

    let panels: Vec<(String, Vec<Series>)> = runs
        .iter()
        .map(|(name, speeds, _)| {
            let layer = |l: usize| {
                let points = speeds.iter().enumerate().map(|(e, s)| (e as f64, s[l]));
                Series::new(layers[l].clone(), points.collect())
            };
            (name.to_string(), (0..layers.len()).map(layer).collect())
        })
        .collect();
    let title = "How fast each layer learns: 784-30-30-30-30-10 on 1,000 images, SGD";
    figures::write_svg(out, "layer_speeds.svg", (1300, 500), |area| {
        draw_layer_speeds(area, title, &panels)
    })?;
    Ok(())
}

/// Nielsen's chapter 3: one sigmoid neuron learns to answer 0 to the input 1, from two starts,
/// on the quadratic cost and on the cross-entropy, with the same learning rate.
pub fn why_cross_entropy(out: &Path) -> Result<()> {
    let costs = [Cost::Quadratic, Cost::CrossEntropy];
    let (x, y) = NEURON_EXAMPLE;
    section("Why cross-entropy");
    println!("one sigmoid neuron, input {x}, target {y}, η = {NEURON_LR}: its output a by epoch");
    let marks = NEURON_MARKS.map(|e| format!("{e}"));
    let header = ["δ at 0".to_string()].into_iter().chain(marks);
    println!(
        "{}",
        table_row(&format!("{:<18}{}", "start", "cost"), header)
    );
    let mut panels = Vec::new();
    for start in NEURON_STARTS {
        let name = format!("w = {}, b = {}", start.w, start.b);
        let mut curves = Vec::new();
        for cost in costs {
            let steps = train_neuron(start, cost, NEURON_EXAMPLE, NEURON_LR, NEURON_EPOCHS);
            let delta = cost.delta(start.w * x + start.b, y);
            let outputs = NEURON_MARKS.map(|e| format!("{:.4}", steps[e].output));
            let cells = [format!("{delta:.4}")].into_iter().chain(outputs);
            println!("{}", table_row(&format!("{name:<18}{cost}"), cells));
            let points = steps.iter().map(|s| (s.epoch as f64, s.output));
            curves.push(Series::new(cost.to_string(), points.collect()));
        }
        panels.push((format!("start {name}"), curves));
    }
    // δ against the output a = σ(z), target 0: z = ln(a / (1 − a))
    let deltas: Vec<Series> = costs
        .iter()
        .map(|&cost| {
            let a = (1..200).map(|i| f64::from(i) / 200.0);
            let points = a.map(|a| (a, cost.delta((a / (1.0 - a)).ln(), 0.0)));
            Series::new(cost.to_string(), points.collect())
        })
        .collect();
    let title = format!("One sigmoid neuron learning to answer 0 (η = {NEURON_LR})");
    figures::write_svg(out, "slowdown.svg", (1500, 460), |area| {
        draw_slowdown(area, &title, &panels, &deltas)
    })?;
    Ok(())
}
