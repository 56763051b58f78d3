//! The page's parts "Overfitting, seen" (with the spiral on fresh points) and "Three sets".

use crate::*;

/// How often (in epochs) the curves of the overfitting runs are measured.
const OVERFIT_EVERY: usize = 10;

/// The spiral network of nnfs: 2-64-3 on 100 points per class, Adam (η = 0.05, decay 5·10⁻⁷),
/// full batch, 10,000 epochs.
const SPIRAL_SAMPLES: usize = 100;
const SPIRAL_CLASSES: usize = 3;
const SPIRAL_HIDDEN: usize = 64;
/// How many cells across the decision-region figure's grid has.
const REGION_GRID: usize = 240;

/// Choosing on a small set: this many networks, differing only in their random start, judged
/// on this many validation images.
const LUCKY_NETWORKS: usize = 20;
const LUCKY_VALIDATION: usize = 500;
const LUCKY_SIZES: [usize; 3] = [784, 50, 10];
const LUCKY_EPOCHS: usize = 30;
const LUCKY_LR: f32 = 0.1;

/// DLFS §6.4.1: the deep network on 300 images, train and test accuracy as it trains.
pub fn overfitting_seen(
    out: &Path,
    few: &Split<f32>,
    sets: &ThreeSets<f32>,
    seed: u64,
    epochs: usize,
) -> Result<Baseline> {
    let mode = Mode::default();
    let (mut net, mut rng) = overfit_net(seed, Extras::default(), &mode);
    let bar = progress_bar("300 images", epochs);
    let schedule = overfit_schedule(epochs, OVERFIT_EVERY);
    let mut sgd = Sgd::new(OVERFIT_LR);
    let data = (few, &sets.test);
    let history = train_and_watch(
        &mut net,
        &mode,
        &mut sgd,
        data,
        schedule,
        &mut rng,
        &mut || bar.inc(1),
    );
    bar.finish_and_clear();

    section("Overfitting, seen");
    let layers = OVERFIT_SIZES.len() - 1;
    let setup = format!("SGD η = {OVERFIT_LR}, batches of {OVERFIT_BATCH}");
    let parameters = net.parameter_count();
    let net_size = format!("{layers} layers ({parameters} weights and biases)");
    println!("{OVERFIT_SAMPLES} training images, {net_size}, {setup}");
    println!(
        "{:>6} {:>10} {:>10} {:>8}",
        "epoch", "train acc", "test acc", "gap"
    );
    let rows = history.train.iter().zip(&history.held_out);
    for (&(epoch, train), &(_, test)) in rows {
        if epoch % 50 == 0 || epoch == epochs || (epoch < 50 && epoch % 10 == 0) {
            println!(
                "{epoch:>6} {train:>10.4} {test:>10.4} {:>8.4}",
                train - test
            );
        }
    }
    let curves = vec![
        series("train (300 images)", &history.train),
        series(
            format!("test ({} images)", sets.test.len()),
            &history.held_out,
        ),
    ];
    let title = format!("{OVERFIT_SAMPLES} training images, {layers} layers, SGD");
    figures::write_svg(out, "overfitting.svg", (760, 480), |area| {
        draw_accuracy_panels(area, &title, &[(String::new(), curves.clone())])
    })?;

    let (train, _) = history.last();
    let validation = net.accuracy(&sets.validation.x, &sets.validation.t);
    let weight_rms = weight_rms(&mut net);
    let small = share_below(&mut net, SMALL_WEIGHT);
    Ok(Baseline {
        train,
        validation,
        weight_rms,
        small,
    })
}

/// nnfs chapter 11: the spiral network trained by backprop, then tested on fresh points.
pub fn spiral_seen(out: &Path, seed: u64, epochs: usize) -> Result<()> {
    let mut rng = seeded_rng::rng(seed);
    let sets = spiral_sets::<f32>(SPIRAL_SAMPLES, SPIRAL_CLASSES, &mut rng);
    let sizes = [2, SPIRAL_HIDDEN, SPIRAL_CLASSES];
    let mut net = multi_layer_net(&sizes, Activation::Relu, Init::Std(0.01), &mut rng);
    let mut adam = LrDecay::new(Adam::new(0.05), 5e-7);
    let (x, t) = (&sets.train.x, &sets.train.t);
    train_full_batch(&mut net, x, t, &mut adam, epochs, epochs);

    section("The spiral, on fresh points");
    println!(
        "2-{SPIRAL_HIDDEN}-{SPIRAL_CLASSES} network, Adam η = 0.05, decay 5e-7, {epochs} epochs"
    );
    println!("{:<32} {:>9} {:>7}", "", "accuracy", "loss");
    for (name, split) in [
        ("the 300 points it trained on", &sets.train),
        ("300 fresh points", &sets.test),
    ] {
        let accuracy = net.accuracy(&split.x, &split.t);
        let loss = net.loss(&split.x, &split.t[..]);
        println!("{name:<32} {accuracy:>9.3} {loss:>7.3}");
    }

    let classes = region_grid(&mut net);
    let classify = |x: f64, y: f64| {
        let cell = |v: f64| (((v + 1.1) / 2.2 * REGION_GRID as f64) as usize).min(REGION_GRID - 1);
        classes[cell(y) * REGION_GRID + cell(x)]
    };
    let points = |split: &Split<f32>| -> Vec<ClassPoint> {
        let rows = split.x.rows().into_iter().zip(&split.t);
        rows.map(|(p, &c)| (f64::from(p[0]), f64::from(p[1]), c))
            .collect()
    };
    let (train, test) = (points(&sets.train), points(&sets.test));
    figures::write_svg(out, "spiral_regions.svg", (1200, 600), |area| {
        let sides = [
            ("The points it trained on", &train[..]),
            ("Fresh points", &test[..]),
        ];
        draw_regions_twice(area, classify, &["class 0", "class 1", "class 2"], sides)
    })?;
    Ok(())
}

/// The class the network gives the centre of every cell of a grid over [−1.1, 1.1]², row by
/// row from the bottom.
fn region_grid(net: &mut Sequential<f32>) -> Vec<usize> {
    let step = 2.2 / REGION_GRID as f64;
    let centre = |i: usize| (-1.1 + (i as f64 + 0.5) * step) as f32;
    let grid = Array2::from_shape_fn((REGION_GRID * REGION_GRID, 2), |(row, k)| {
        let (i, j) = (row / REGION_GRID, row % REGION_GRID);
        if k == 0 { centre(j) } else { centre(i) }
    });
    argmax_rows(&net.predict(&grid)).to_vec()
}

/// How the images are split, and what choosing on a small set does: networks that differ
/// only in their random start, the best of them picked on validation images.
pub fn three_sets(sets: &ThreeSets<f32>, few: &Split<f32>, seed: u64) {
    section("Three sets");
    println!("{:<12} {:>7}  drawn from", "set", "images");
    let rows = [
        ("train", sets.train.len(), "MNIST's training images"),
        (
            "validation",
            sets.validation.len(),
            "MNIST's training images",
        ),
        ("test", sets.test.len(), "MNIST's test images"),
    ];
    for (name, images, from) in rows {
        println!("{name:<12} {images:>7}  {from}");
    }

    let small = first(
        &sets.validation,
        LUCKY_VALIDATION.min(sets.validation.len()),
    );
    let bar = progress_bar("lucky networks", LUCKY_NETWORKS);
    let mut scores = Vec::new(); // (small validation, test)
    for n in 0..LUCKY_NETWORKS {
        let mut rng = seeded_rng::rng(seed + 1 + n as u64);
        let mut net = multi_layer_net(&LUCKY_SIZES, Activation::Relu, Init::He, &mut rng);
        let mode = Mode::default();
        let schedule = Schedule {
            epochs: LUCKY_EPOCHS,
            batch_size: OVERFIT_BATCH,
            every: LUCKY_EPOCHS,
        };
        let mut sgd = Sgd::new(LUCKY_LR);
        train_and_watch(
            &mut net,
            &mode,
            &mut sgd,
            (few, &small),
            schedule,
            &mut rng,
            &mut || {},
        );
        let test = net.accuracy(&sets.test.x, &sets.test.t);
        scores.push((net.accuracy(&small.x, &small.t), test));
        bar.inc(1);
    }
    bar.finish_and_clear();

    section("Choosing on a small set");
    let sizes = LUCKY_SIZES.map(|n| n.to_string()).join("-");
    println!(
        "{LUCKY_NETWORKS} networks {sizes}, {LUCKY_EPOCHS} epochs on the same \
         {OVERFIT_SAMPLES} images, each from its own random start"
    );
    let (best, &(best_validation, best_test)) = scores
        .iter()
        .enumerate()
        .max_by(|a, b| a.1.0.total_cmp(&b.1.0))
        .expect("at least one network");
    let mean =
        |pick: fn(&(f64, f64)) -> f64| scores.iter().map(pick).sum::<f64>() / scores.len() as f64;
    println!(
        "{:<34} {:>16} {:>16}",
        "",
        format!("{} validation", small.len()),
        format!("{} test", sets.test.len())
    );
    println!(
        "{:<34} {:>16.4} {:>16.4}",
        "mean of all networks",
        mean(|s| s.0),
        mean(|s| s.1)
    );
    let name = format!("network {}, the best on validation", best + 1);
    println!("{name:<34} {best_validation:>16.4} {best_test:>16.4}");
    let spread = |n: usize| {
        let p = mean(|s| s.1);
        (p * (1.0 - p) / n as f64).sqrt()
    };
    println!(
        "{:<34} {:>16.4} {:>16.4}",
        "standard error √(p(1 − p)/n)",
        spread(small.len()),
        spread(sets.test.len())
    );
    let (lead_validation, lead_test) = (best_validation - mean(|s| s.0), best_test - mean(|s| s.1));
    println!(
        "{:<34} {lead_validation:>+16.4} {lead_test:>+16.4}",
        "its lead over the mean"
    );
}
