//! The chapter's experiments, in the order of the page: convolution by hand, im2col against
//! the loops, gradient checks, the networks and their costs, SimpleConvNet, a deeper network
//! and a multi-layer perceptron trained on one split, their mistakes, and what the filters
//! learned. `--full` trains as long as the page's best results need; `--bench` times one
//! epoch of SimpleConvNet, for the comparison with PyTorch.

use std::path::Path;
use std::process::ExitCode;
use std::time::Instant;

use anyhow::{Context, Result, ensure};
use ch09_backprop::{Difference, Layer, MnistData, Sequential, check_layer, check_network};
use ch10_optimizers::{Adam, Init};
use ch12_convolution::plots::{Tile, TileRow, draw_confusion, draw_tile_rows};
use ch12_convolution::{
    Block, Convolution, DEEP_CONV_NET, MLP, MaxPooling, ProgressBar, SIMPLE_CONV_NET, Sets, Setup,
    accuracy, confusion_matrix, conv_net, convolve, convolve2d, costs, im2col, most_confused,
    output_size, predictions, split_validation, train_epoch, train_run,
};
use chapter_cli::{Common, section, timed};
use clap::Parser;
use ndarray::{Array1, Array2, Array4, ArrayD, array, s};

/// The batch of the im2col check: images of MNIST's size, SimpleConvNet's first layer.
const CHECK_BATCH: (usize, usize, usize, usize) = (10, 1, 28, 28);
const CHECK_FILTERS: (usize, usize, usize, usize) = (30, 1, 5, 5);

/// The images: MNIST digits, one channel of 28 × 28.
const IMAGE: (usize, usize, usize) = (1, 28, 28);
/// The last 10,000 training images are held out for validation.
const VALIDATION: usize = 10_000;
/// Batches of 100, Adam with a peak learning rate of 0.001 (DLFS's `train_convnet.py`).
const BATCH: usize = 100;
const LEARNING_RATE: f64 = 0.001;

/// How long each network trains: epochs, and how many of the 50,000 training images.
#[derive(Debug, Clone, Copy)]
struct Plan {
    simple: (usize, usize),
    deep: (usize, usize),
    mlp: (usize, usize),
}

/// The default run, which the book shows: a few minutes on two cores.
const DEFAULT_PLAN: Plan = Plan {
    simple: (1, 50_000),
    deep: (1, 20_000),
    mlp: (1, 50_000),
};
/// `--full`: as long as the best results need.
const FULL_PLAN: Plan = Plan {
    simple: (10, 50_000),
    deep: (6, 50_000),
    mlp: (10, 50_000),
};

/// Convolutional networks: convolution by hand and by im2col, convolution and pooling
/// layers, SimpleConvNet and a deeper network on MNIST, and what their filters learned.
#[derive(Parser)]
struct Args {
    #[command(flatten)]
    common: Common,

    /// Train each network for its full budget of epochs (about 20 minutes on two cores)
    #[arg(long)]
    full: bool,

    /// Only time epochs of SimpleConvNet on the 50,000 training images, for the comparison
    /// with PyTorch, and print one line: `rust-simpleconvnet epoch_s=… accuracy=…`
    #[arg(long)]
    bench: bool,

    /// With --bench: how many epochs to time (the median is printed; at most 100)
    #[arg(long, default_value_t = 1, allow_negative_numbers = true)]
    runs: usize,
}

fn main() -> ExitCode {
    chapter_cli::run(|| {
        let args = Args::parse();
        ensure!(args.runs > 0, "--runs must be at least 1");
        ensure!(
            args.runs <= 100,
            "--runs must be at most 100, got {}",
            args.runs
        );
        ensure!(
            !(args.full && args.bench),
            "--full and --bench are two different runs: pick one"
        );
        let out = args.common.out_dir(env!("CARGO_PKG_NAME"))?;
        let seed = args.common.seed;
        let mnist = mnist::load().context("loading MNIST for the convolutional networks")?;
        let sets = split_validation(&MnistData::<f32>::new(&mnist), VALIDATION);
        if args.bench {
            return bench(&sets, seed, args.runs);
        }
        let plan = if args.full { FULL_PLAN } else { DEFAULT_PLAN };

        by_hand();
        im2col_check(seed);
        gradient_checks(seed);
        networks();
        let mut simple = train_network("SimpleConvNet", &SIMPLE_CONV_NET, plan.simple, &sets, seed);
        let mut deep = train_network("the deeper network", &DEEP_CONV_NET, plan.deep, &sets, seed);
        let mlp = train_network("the multi-layer perceptron", &MLP, plan.mlp, &sets, seed);
        compare(&[&simple, &deep, &mlp]);
        mistakes(&out, &mut deep, &sets)?;
        learned_filters(&out, &mut simple, seed)?;
        feature_maps(&out, &mut deep, &sets)
    })
}

/// A matrix, one row a line, each entry `width` wide with `decimals` decimals.
fn show(m: &Array2<f64>, width: usize, decimals: usize) -> String {
    let row = |r: ndarray::ArrayView1<f64>| {
        let entries: Vec<String> = r.iter().map(|v| format!("{v:>width$.decimals$}")).collect();
        format!("  [{}]", entries.join(" "))
    };
    m.rows().into_iter().map(row).collect::<Vec<_>>().join("\n")
}

/// DLFS §7.2: the 4×4 input and 3×3 filter of its figures, computed entry by entry; padding;
/// stride; the output-size formula; several channels.
fn by_hand() {
    section("Convolution by hand");
    let x = array![
        [1.0, 2.0, 3.0, 0.0],
        [0.0, 1.0, 2.0, 3.0],
        [3.0, 0.0, 1.0, 2.0],
        [2.0, 3.0, 0.0, 1.0]
    ];
    let w = array![[2.0, 0.0, 1.0], [0.0, 1.0, 2.0], [1.0, 0.0, 2.0]];
    println!("input x (4×4):\n{}", show(&x, 3, 0));
    println!("filter w (3×3):\n{}", show(&w, 3, 0));
    let y = convolve2d(&x, &w, 0, 1);
    let terms: Vec<String> = (0..3)
        .flat_map(|a| (0..3).map(move |b| (a, b)))
        .map(|(a, b)| format!("{}·{}", w[[a, b]], x[[a, b]]))
        .collect();
    println!("y[0, 0] = {} = {}", terms.join(" + "), y[[0, 0]]);
    println!("y = x ⊛ w (2×2):\n{}", show(&y, 3, 0));
    println!("y + bias 3:\n{}", show(&(&y + 3.0), 3, 0));

    section("Padding and stride");
    println!(
        "padding 1, stride 1: {0}×{0} output",
        output_size(4, 3, 1, 1)
    );
    println!("{}", show(&convolve2d(&x, &w, 1, 1), 3, 0));
    let x7 = Array2::from_shape_fn((7, 7), |(i, j)| (i * 7 + j) as f64);
    println!(
        "a 7×7 input holding 0…48, the same filter, stride 2: {0}×{0} output",
        output_size(7, 3, 0, 2)
    );
    println!("{}", show(&convolve2d(&x7, &w, 0, 2), 4, 0));
    println!("output size OH = (H + 2P − FH)/S + 1:");
    println!("{:>4} {:>4} {:>4} {:>4} {:>4}", "H", "FH", "P", "S", "OH");
    for (h, fh, p, s) in [
        (4, 3, 0, 1),
        (4, 3, 1, 1),
        (7, 3, 0, 2),
        (28, 5, 0, 1),
        (28, 5, 2, 1),
        (24, 2, 0, 2),
        (28, 3, 1, 2),
    ] {
        println!(
            "{h:>4} {fh:>4} {p:>4} {s:>4} {:>4}",
            output_size(h, fh, p, s)
        );
    }

    section("Several channels");
    // Three channels: the same 4×4 image, doubled, and negated; one filter of three 3×3 slices.
    let images =
        Array4::from_shape_fn((1, 3, 4, 4), |(_, c, i, j)| [1.0, 2.0, -1.0][c] * x[[i, j]]);
    let filter = Array4::from_shape_fn((1, 3, 3, 3), |(_, _, a, b)| w[[a, b]]);
    let y3 = convolve(&images, &filter, &Array1::zeros(1), 0, 1);
    println!("x: 3 channels (x, 2x, −x), w: 3 slices (w, w, w), one filter:");
    let y3 = y3.slice(ndarray::s![0, 0, .., ..]).to_owned();
    println!("{}", show(&y3, 3, 0));
    println!("the sum over channels: (1 + 2 − 1) · (x ⊛ w) = 2 · (x ⊛ w)");
}

/// im2col turns the convolution of a batch into one matrix product: checked against the loops.
fn im2col_check(seed: u64) {
    let mut rng = seeded_rng::rng(seed);
    let (n, c, h, w) = CHECK_BATCH;
    let (fn_, _, fh, fw) = CHECK_FILTERS;
    let x = seeded_rng::randn::<f64>(&mut rng, (n * c, h * w)).into_shape_with_order(CHECK_BATCH);
    let x = x.expect("N·C·H·W entries");
    let filters = seeded_rng::randn::<f64>(&mut rng, (fn_, c * fh * fw));
    let b = Array1::zeros(fn_);
    let loops = timed("convolution by loops", || {
        let w = filters
            .clone()
            .into_shape_with_order(CHECK_FILTERS)
            .expect("FN·C·FH·FW");
        convolve(&x, &w, &b, 0, 1)
    });
    let (col, y) = timed("convolution by im2col", || {
        let col = im2col(&x.view(), fh, fw, 0, 1);
        let y = col.dot(&filters.t()); // (N·OH·OW, FN)
        (col, y)
    });
    let (oh, ow) = (output_size(h, fh, 0, 1), output_size(w, fw, 0, 1));
    let y = y
        .into_shape_with_order((n, oh, ow, fn_))
        .expect("rows are patches");
    let y = y.permuted_axes([0, 3, 1, 2]);
    let diff = (&y - &loops)
        .mapv(f64::abs)
        .fold(0.0, |m: f64, &d| m.max(d));

    section("im2col");
    println!("x: {n} images of {c}×{h}×{w}; w: {fn_} filters of {c}×{fh}×{fw}");
    println!(
        "col = im2col(x): {} × {} ({n}·{oh}·{ow} patches of {c}·{fh}·{fw} pixels)",
        col.nrows(),
        col.ncols()
    );
    println!(
        "col · wᵀ: {} × {}, reshaped to {n} × {fn_} × {oh} × {ow}",
        col.nrows(),
        fn_
    );
    println!("largest difference from the loops: {diff:.1e}");
}

/// One line of a gradient check: the largest and the mean difference, and the gradient's size.
fn print_check(what: &str, d: &Difference) {
    println!(
        "{what:<34} {:>9.1e} {:>9.1e} {:>9.1e}",
        d.max, d.mean, d.scale
    );
}

/// Every backward pass of the chapter against the numerical gradient, in f64: the
/// convolution (plain, and padded with stride 2), max pooling, and a small network of both.
fn gradient_checks(seed: u64) {
    let mut rng = seeded_rng::rng(seed);
    section("Gradient checks");
    println!("backprop against the numerical gradient (f64, central differences, h = 1e-4)");
    println!(
        "{:<34} {:>9} {:>9} {:>9}",
        "", "max |Δ|", "mean |Δ|", "mean |g|"
    );
    for (pad, stride) in [(0, 1), (1, 2)] {
        let w = seeded_rng::randn::<f64>(&mut rng, (3, 2 * 9)).into_shape_with_order((3, 2, 3, 3));
        let w = w.expect("FN·C·FH·FW entries");
        let b = array![0.3, -0.7, 1.1]; // not zero, so a bias bug cannot hide
        let mut conv = Convolution::from_parts(w, b, (2, 5, 5), pad, stride);
        let x = seeded_rng::randn::<f64>(&mut rng, (2, 50)); // 2 images of 2 × 5 × 5
        let dout = seeded_rng::randn::<f64>(&mut rng, conv.forward(&x).dim());
        let checks = check_layer(&mut conv, &x, &dout);
        let name = format!("convolution, pad {pad}, stride {stride}:");
        for (what, check) in ["dx", "dW", "db"].iter().zip(&checks) {
            print_check(&format!("{name} {what}"), check);
        }
    }
    let mut pool = MaxPooling::new((2, 4, 4), 2);
    let x = seeded_rng::randn::<f64>(&mut rng, (3, 32));
    let dout = seeded_rng::randn::<f64>(&mut rng, (3, 8));
    print_check("max pooling 2×2: dx", &check_layer(&mut pool, &x, &dout)[0]);
    let blocks = [
        Block::Conv {
            filters: 3,
            size: 3,
            pad: 1,
        },
        Block::Relu,
        Block::Pool,
        Block::Conv {
            filters: 4,
            size: 3,
            pad: 0,
        },
        Block::Relu,
        Block::Affine { outputs: 5 },
    ];
    let mut net = conv_net::<f64>(&blocks, (1, 6, 6), Init::He, &mut rng);
    let x = seeded_rng::randn::<f64>(&mut rng, (4, 36));
    let checks = check_network(&mut net, &x, &[0, 4, 2, 1][..]);
    let names = [
        "conv 1: dW",
        "conv 1: db",
        "conv 2: dW",
        "conv 2: db",
        "affine: dW",
        "affine: db",
    ];
    for (what, check) in names.iter().zip(&checks) {
        print_check(&format!("a small network, {what}"), check);
    }
}

/// A number with thin spaces between groups of three digits: 431 080.
fn grouped(n: usize) -> String {
    let digits = n.to_string();
    let mut out = String::new();
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(' ');
        }
        out.push(c);
    }
    out
}

/// Each network's blocks: the shape they put out, what they learn, what they cost.
fn networks() {
    section("The networks");
    for (name, blocks) in [
        ("SimpleConvNet", &SIMPLE_CONV_NET[..]),
        ("the deeper network", &DEEP_CONV_NET),
        ("the multi-layer perceptron", &MLP),
    ] {
        println!("{name}:");
        println!(
            "  {:<22} {:>14} {:>12} {:>14}",
            "block", "output", "parameters", "multiply-adds"
        );
        let costs = costs(blocks, IMAGE);
        for cost in &costs {
            let (c, h, w) = cost.output;
            let shape = if h * w == 1 {
                format!("{c}")
            } else {
                format!("{c} × {h} × {w}")
            };
            let params = grouped(cost.parameters);
            println!(
                "  {:<22} {shape:>14} {params:>12} {:>14}",
                cost.block.to_string(),
                grouped(cost.multiply_adds)
            );
        }
        let params: usize = costs.iter().map(|c| c.parameters).sum();
        let macs: usize = costs.iter().map(|c| c.multiply_adds).sum();
        println!(
            "  {:<22} {:>14} {:>12} {:>14}",
            "total",
            "",
            grouped(params),
            grouped(macs)
        );
    }
}

/// A trained network and what its training recorded.
struct Trained {
    name: &'static str,
    blocks: &'static [Block],
    net: Sequential<f32>,
    initial: ArrayD<f32>, // the first layer's weights before training
    epochs: usize,
    best: usize,
    validation: f64,
    test: f64,
}

/// Trains the network of `blocks` on the first `images` training images for `epochs`
/// epochs (He initialisation, Adam, batches of 100, the learning rate falling from 0.001 to
/// zero), keeps its
/// best epoch on validation, and measures it once on the test images.
fn train_network(
    name: &'static str,
    blocks: &'static [Block],
    (epochs, images): (usize, usize),
    sets: &Sets<f32>,
    seed: u64,
) -> Trained {
    let mut rng = seeded_rng::rng(seed);
    let mut net = conv_net::<f32>(blocks, IMAGE, Init::He, &mut rng);
    let initial = net.params_and_grads()[0].0.to_owned();
    let train = sets.train.first(images);
    let setup = Setup {
        epochs,
        batch_size: BATCH,
        learning_rate: LEARNING_RATE,
    };
    let mut bar = ProgressBar::new(name, epochs);
    let mut adam = Adam::new(LEARNING_RATE as f32);
    let (records, best) = train_run(
        &mut net,
        (&train, &sets.validation),
        &mut adam,
        &setup,
        &mut rng,
        &mut bar,
    );
    let test = timed("test accuracy", || accuracy(&mut net, &sets.test));

    section(&format!("Training {name}"));
    println!(
        "{} training images, {} validation images; Adam, batches of {BATCH}, learning rate from {LEARNING_RATE} down to 0",
        train.t.len(),
        sets.validation.t.len()
    );
    println!("{:>6} {:>10} {:>12}", "epoch", "mean loss", "validation");
    for (i, record) in records.iter().enumerate() {
        println!(
            "{:>6} {:>10.4} {:>12.4}",
            i + 1,
            record.loss,
            record.validation_accuracy
        );
    }
    let validation = records[best - 1].validation_accuracy;
    println!(
        "best on validation: epoch {best} ({validation:.4}); on the test images, once: {test:.4}"
    );
    Trained {
        name,
        blocks,
        net,
        initial,
        epochs: records.len(),
        best,
        validation,
        test,
    }
}

/// The three networks side by side.
fn compare(trained: &[&Trained]) {
    section("Three networks on one split");
    println!(
        "{:<28} {:>11} {:>14} {:>7} {:>11} {:>8}",
        "network", "parameters", "multiply-adds", "epochs", "validation", "test"
    );
    for t in trained {
        let costs = costs(t.blocks, IMAGE);
        let params: usize = costs.iter().map(|c| c.parameters).sum();
        let macs: usize = costs.iter().map(|c| c.multiply_adds).sum();
        println!(
            "{:<28} {:>11} {:>14} {:>7} {:>11.4} {:>8.4}",
            t.name,
            grouped(params),
            grouped(macs),
            format!("{}/{}", t.best, t.epochs),
            t.validation,
            t.test
        );
    }
}

/// The deeper network's confusion matrix on the test images and the digits it misreads.
fn mistakes(out: &Path, deep: &mut Trained, sets: &Sets<f32>) -> Result<()> {
    let predicted = predictions(&mut deep.net, &sets.test.x);
    let confusion = confusion_matrix(&predicted, &sets.test.t);
    let wrong: Vec<usize> = (0..predicted.len())
        .filter(|&i| predicted[i] != sets.test.t[i])
        .collect();

    section("What the deeper network gets wrong");
    println!("{} of {} test images misread", wrong.len(), predicted.len());
    println!("most frequent mistakes (true → read as: count):");
    for (t, p, count) in most_confused(&confusion, 6) {
        println!("  {t} → {p}: {count}");
    }
    let title = format!("The deeper network on the {} test images", predicted.len());
    figures::write_svg(out, "confusion.svg", (560, 520), |area| {
        draw_confusion(area, &title, &confusion)
    })?;
    let tiles: Vec<Tile> = wrong
        .iter()
        .take(39)
        .map(|&i| {
            let pixels = sets.test.x.row(i).mapv(f64::from).to_vec();
            let tile = Tile::new(pixels, 28, format!("{} ({})", predicted[i], sets.test.t[i]));
            Tile {
                wrong: true,
                ..tile
            }
        })
        .collect();
    let rows = [TileRow {
        heading: "read as (true digit)".to_string(),
        tiles,
    }];
    figures::write_svg(out, "mistakes.svg", (900, 400), |area| {
        draw_tile_rows(area, "Test digits the deeper network misreads", &rows, 56.0)
    })?;
    Ok(())
}

/// The filters of a first convolution layer `(FN, 1, FH, FW)` as tiles.
fn filter_tiles(w: &ArrayD<f32>) -> Vec<Tile> {
    let side = w.shape()[3];
    w.outer_iter()
        .map(|f| Tile::new(f.iter().map(|&v| f64::from(v)).collect(), side, ""))
        .collect()
}

/// SimpleConvNet's 30 first-layer filters before and after training, and how far they moved.
fn learned_filters(out: &Path, simple: &mut Trained, seed: u64) -> Result<()> {
    let trained = simple.net.params_and_grads()[0].0.to_owned();
    section("Filters");
    let rms = |w: &ArrayD<f32>| {
        (w.iter().map(|&v| f64::from(v).powi(2)).sum::<f64>() / w.len() as f64).sqrt()
    };
    println!(
        "SimpleConvNet's {} first-layer filters of {}×{} (seed {seed})",
        trained.shape()[0],
        trained.shape()[2],
        trained.shape()[3]
    );
    println!(
        "root mean square of the weights: {:.4} before training, {:.4} after",
        rms(&simple.initial),
        rms(&trained)
    );
    let rows = [
        TileRow {
            heading: "before training (He initialisation)".to_string(),
            tiles: filter_tiles(&simple.initial),
        },
        TileRow {
            heading: "after training".to_string(),
            tiles: filter_tiles(&trained),
        },
    ];
    figures::write_svg(out, "filters.svg", (900, 330), |area| {
        draw_tile_rows(
            area,
            "SimpleConvNet's first-layer filters (dark: large weights)",
            &rows,
            40.0,
        )
    })?;
    Ok(())
}

/// One test digit on its way through the deeper network: what each convolution (after its
/// ReLU) and each pooling puts out, the first 16 maps of each.
fn feature_maps(out: &Path, deep: &mut Trained, sets: &Sets<f32>) -> Result<()> {
    let digit = 0; // the first test image
    let mut x = sets.test.x.slice(s![digit..digit + 1, ..]).to_owned();
    let costs = costs(deep.blocks, IMAGE);
    let mut rows = vec![TileRow {
        heading: format!("the input: a {}", sets.test.t[digit]),
        tiles: vec![Tile::new(x.iter().map(|&v| f64::from(v)).collect(), 28, "")],
    }];
    for (i, layer) in deep.net.layers.iter_mut().enumerate() {
        x = layer.forward(&x);
        let (c, h, w) = costs[i].output;
        let after_conv = i > 0 && matches!(deep.blocks[i - 1], Block::Conv { .. });
        if h > 1 && (after_conv || deep.blocks[i] == Block::Pool) {
            let maps = x.row(0).to_vec();
            let tiles = (0..c.min(16))
                .map(|k| {
                    Tile::new(
                        maps[k * h * w..(k + 1) * h * w]
                            .iter()
                            .map(|&v| f64::from(v))
                            .collect(),
                        w,
                        "",
                    )
                })
                .collect();
            let what = if after_conv {
                "convolution and ReLU"
            } else {
                "max pooling"
            };
            rows.push(TileRow {
                heading: format!("{what}: {c} maps of {h}×{w} (the first 16)"),
                tiles,
            });
        }
    }
    figures::write_svg(out, "feature_maps.svg", (900, 640), |area| {
        draw_tile_rows(area, "One digit through the deeper network", &rows, 44.0)
    })?;
    Ok(())
}

/// `--bench`: epochs of SimpleConvNet on the 50,000 training images, DLFS's protocol (weights
/// 0.01·randn, Adam 0.001, batches of 100), each timed; prints the median and the test
/// accuracy after the last, in the form the comparison script reads.
fn bench(sets: &Sets<f32>, seed: u64, runs: usize) -> Result<()> {
    let mut rng = seeded_rng::rng(seed);
    let mut net = conv_net::<f32>(&SIMPLE_CONV_NET, IMAGE, Init::Std(0.01), &mut rng);
    let mut adam = Adam::new(LEARNING_RATE as f32);
    let lr = |_: usize, _: usize| LEARNING_RATE;
    let mut seconds = Vec::new();
    for run in 1..=runs {
        let started = Instant::now();
        train_epoch(
            &mut net,
            &sets.train,
            &mut adam,
            (BATCH, &lr),
            &mut rng,
            &mut (),
        );
        seconds.push(started.elapsed().as_secs_f64());
        eprintln!("epoch {run}: {:.2} s", seconds[run - 1]);
    }
    seconds.sort_by(f64::total_cmp);
    let accuracy = accuracy(&mut net, &sets.test);
    println!(
        "rust-simpleconvnet epoch_s={:.3} accuracy={accuracy:.4}",
        seconds[runs / 2]
    );
    Ok(())
}
