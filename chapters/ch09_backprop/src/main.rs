//! The chapter's experiments: the apple-shopping graphs, layers forward and backward, gradient
//! checks, a curve fit, and MNIST by backprop.

use std::path::Path;
use std::process::ExitCode;
use std::time::Instant;

use anyhow::{Context, Result, ensure};
use ch07_derivatives::{DEFAULT_H, numerical_diff};
use ch08_gradients::{GradientCost, TwoLayerNet, sci, thousands};
use ch09_backprop::plots::{draw_accuracy, draw_fit, draw_fit_loss, draw_graph, draw_mnist_loss};
use ch09_backprop::report::{check_header, check_row, matrix};
use ch09_backprop::{
    Affine, DLFS_PROTOCOL, EpochAccuracy, Layer, LossLayer, MnistData, MseLoss, Protocol, Relu,
    Sequential, Sigmoid, SoftmaxWithLoss, TrainingRun, buy_apples, buy_fruit, check_layer,
    check_loss_layer, check_network, cosine_data, difference, fit, from_numerical_net,
    sigmoid_regressor, train_mnist, two_layer_net,
};
use chapter_cli::{Common, section};
use clap::Parser;
use ndarray::{Array2, array};
use seeded_rng::randn;
use toy_datasets::spiral_data;

/// The prices of the apple-shopping examples: apples at 100 each, oranges at 150, tax 10%.
const APPLE: f64 = 100.0;
const APPLE_NUM: f64 = 2.0;
const ORANGE: f64 = 150.0;
const ORANGE_NUM: f64 = 3.0;
const TAX: f64 = 1.1;

/// The network checked whole: layer sizes, and spiral points per class.
const CHECK_SIZES: [usize; 4] = [2, 16, 8, 3];
const CHECK_SPIRAL_POINTS: usize = 10;
/// The standard deviation of the random biases of checked networks (zero could hide a bug).
const CHECK_BIAS_STD: f64 = 0.1;

/// The curve-fitting network: its layer sizes, the interval, points and training.
const FIT_SIZES: [usize; 5] = [1, 8, 5, 3, 1];
const FIT_INTERVAL: (f64, f64) = (-7.0, 7.0);
const FIT_POINTS: usize = 50;
const FIT_STD: f64 = 1.0;
const FIT_LEARNING_RATE: f64 = 1.0;
/// The iterations after which the fit is shown; the last is the length of the training.
const FIT_CHECKPOINTS: [usize; 4] = [100, 1_000, 5_000, 20_000];

/// MNIST images of the comparison with the numerical gradient (DLFS's `gradient_check.py`
/// takes 3).
const AGAINST_NUMERICAL_IMAGES: usize = 3;
/// Runs of backprop timed in that comparison; the mean is reported.
const TIMING_RUNS: usize = 11;

/// The most iterations `--iterations` accepts: a hundred times the protocol's.
const MAX_ITERATIONS: usize = 1_000_000;

/// Batches averaged into each point of the MNIST loss curve.
const LOSS_SMOOTHING: usize = 50;

/// Backpropagation: computational graphs, layers with backward passes, gradient checks, MNIST.
#[derive(Parser)]
struct Args {
    #[command(flatten)]
    common: Common,

    /// Iterations of the MNIST training, 1 to 1,000,000 (the protocol of Deep Learning from
    /// Scratch runs 10,000)
    #[arg(long, default_value_t = DLFS_PROTOCOL.iterations, allow_negative_numbers = true)]
    iterations: usize,
}

fn main() -> ExitCode {
    chapter_cli::run(|| {
        let args = Args::parse();
        ensure!(args.iterations > 0, "--iterations must be at least 1");
        ensure!(
            args.iterations <= MAX_ITERATIONS,
            "--iterations must be at most {MAX_ITERATIONS}, got {}",
            args.iterations
        );
        let out = args.common.out_dir(env!("CARGO_PKG_NAME"))?;
        let mnist = mnist::load().context("loading MNIST for the gradient checks and training")?;
        apple_graphs(&out)?;
        layers_forward_and_backward();
        layer_gradient_checks(args.common.seed);
        network_gradient_check(args.common.seed);
        against_numerical(&mnist, args.common.seed);
        curve_fit(&out, args.common.seed)?;
        mnist_training(&out, &mnist, args.iterations, args.common.seed)
    })
}

/// The apple-shopping graphs of DLFS, forward and backward, checked by central differences.
fn apple_graphs(out: &Path) -> Result<()> {
    section("Buying apples");
    let p = buy_apples(APPLE, APPLE_NUM, TAX);
    println!(
        "forward:  price = {APPLE} × {APPLE_NUM} × {TAX} = {:.2}",
        p.price
    );
    println!("          (every digit of the f64: {:?})", p.price);
    println!("backward: ∂price/∂apple     = {:>7.2}", p.d_apple);
    println!("          ∂price/∂apple_num = {:>7.2}", p.d_apple_num);
    println!("          ∂price/∂tax       = {:>7.2}", p.d_tax);

    section("Buying apples and oranges");
    let q = buy_fruit(APPLE, APPLE_NUM, ORANGE, ORANGE_NUM, TAX);
    println!(
        "price = ({APPLE} × {APPLE_NUM} + {ORANGE} × {ORANGE_NUM}) × {TAX} = {:.2}",
        q.price
    );
    println!(
        "{:<11} {:>6} {:>10} {:>10}",
        "input", "value", "backward", "numerical"
    );
    let price = |v: [f64; 5]| buy_fruit(v[0], v[1], v[2], v[3], v[4]).price;
    let inputs = [APPLE, APPLE_NUM, ORANGE, ORANGE_NUM, TAX];
    let names = ["apple", "apple_num", "orange", "orange_num", "tax"];
    let backward = [
        q.d_apple,
        q.d_apple_num,
        q.d_orange,
        q.d_orange_num,
        q.d_tax,
    ];
    for i in 0..inputs.len() {
        let along = |v: f64| {
            let mut moved = inputs;
            moved[i] = v;
            price(moved)
        };
        let numerical = numerical_diff(along, inputs[i], DEFAULT_H);
        println!(
            "{:<11} {:>6} {:>10.2} {:>10.2}",
            names[i], inputs[i], backward[i], numerical
        );
    }
    figures::write_svg(out, "apple_graph.svg", (900, 450), |area| {
        draw_graph(area, APPLE, APPLE_NUM, ORANGE, ORANGE_NUM, TAX)
    })?;
    Ok(())
}

/// One Affine layer and one Softmax-with-loss layer, forward and backward, by the numbers.
fn layers_forward_and_backward() {
    section("An affine layer, forward and backward");
    let mut affine = Affine::from_parts(
        array![[0.1, 0.2], [0.3, 0.4], [0.5, 0.6]],
        array![0.1, -0.1],
    );
    let x = array![[1.0, 2.0, 3.0], [0.0, -1.0, 1.0]]; // (2 samples, 3 inputs)
    let y = affine.forward(&x);
    let dout = array![[1.0, -1.0], [0.5, 2.0]];
    let dx = affine.backward(&dout);
    println!("{}", matrix("x", &x));
    println!("{}", matrix("W", &affine.w));
    println!(
        "{}",
        matrix("b", &affine.b.clone().insert_axis(ndarray::Axis(0)))
    );
    println!("{}", matrix("y", &y));
    println!("{}", matrix("dout", &dout));
    println!("{}", matrix("dx", &dx));
    println!("{}", matrix("dW", &affine.dw));
    println!(
        "{}",
        matrix("db", &affine.db.clone().insert_axis(ndarray::Axis(0)))
    );

    section("Softmax with loss");
    let mut last = SoftmaxWithLoss::default();
    let scores = array![[2.0, 1.0, 0.1], [0.5, 2.5, 0.3]];
    let t = [0, 2];
    let loss = last.forward(&scores, &t);
    println!("{}", matrix("x", &scores));
    println!("t     {t:?}");
    println!("{}", matrix("y", last.probabilities()));
    println!("loss  {loss:.4}");
    println!("{}", matrix("dx", &last.backward()));
}

/// Every layer's backward pass against the numerical gradient, in f64.
fn layer_gradient_checks(seed: u64) {
    section("Gradient check, layer by layer");
    let mut rng = seeded_rng::rng(seed);
    let (batch, inputs, outputs) = (4, 5, 3);
    // Inputs at least 0.01 from zero: a ±h nudge never crosses ReLU's kink.
    let x = randn::<f64>(&mut rng, (batch, inputs)).mapv(|v| v + 0.01 * v.signum());
    let dout = randn::<f64>(&mut rng, (batch, inputs));
    println!("{}", check_header("gradient"));
    println!(
        "{}",
        check_row("Relu dx", &check_layer(&mut Relu::default(), &x, &dout)[0])
    );
    println!(
        "{}",
        check_row(
            "Sigmoid dx",
            &check_layer(&mut Sigmoid::default(), &x, &dout)[0],
        )
    );
    let mut affine = Affine::new(inputs, outputs, 1.0, &mut rng).with_random_bias(1.0, &mut rng);
    let dout = randn::<f64>(&mut rng, (batch, outputs));
    let checks = check_layer(&mut affine, &x, &dout);
    for (name, d) in ["dx", "dW", "db"].iter().zip(&checks) {
        println!("{}", check_row(&format!("Affine {name}"), d));
    }
    let t = [0, 4, 2, 1];
    let d = check_loss_layer(&mut SoftmaxWithLoss::default(), &x, &t[..]);
    println!("{}", check_row("SoftmaxWithLoss dx", &d));
    let targets = randn::<f64>(&mut rng, (batch, inputs));
    println!(
        "{}",
        check_row(
            "MseLoss dx",
            &check_loss_layer(&mut MseLoss::default(), &x, &targets),
        )
    );
}

/// The first `n` training images of MNIST in f64, with their labels.
fn first_images(mnist: &mnist::Mnist, n: usize) -> (Array2<f64>, Vec<usize>) {
    let split = mnist.train.first(n);
    let t = split.labels.iter().map(|&l| usize::from(l)).collect();
    (split.images_normalised(), t)
}

/// A whole network with every kind of layer, checked on spiral data.
fn network_gradient_check(seed: u64) {
    section("Gradient check of a whole network");
    let mut rng = seeded_rng::rng(seed);
    let (x, t) = spiral_data::<f64>(&mut rng, CHECK_SPIRAL_POINTS, 3);
    let [inputs, hidden1, hidden2, classes] = CHECK_SIZES;
    let mut net = Sequential::new(
        vec![
            Box::new(Affine::new(inputs, hidden1, 1.0, &mut rng).with_random_bias(1.0, &mut rng)),
            Box::new(Relu::default()),
            Box::new(Affine::new(hidden1, hidden2, 1.0, &mut rng).with_random_bias(1.0, &mut rng)),
            Box::new(Sigmoid::default()),
            Box::new(Affine::new(hidden2, classes, 1.0, &mut rng).with_random_bias(1.0, &mut rng)),
        ],
        SoftmaxWithLoss::default(),
    );
    println!(
        "Affine {inputs}→{hidden1}, Relu, Affine {hidden1}→{hidden2}, Sigmoid, Affine {hidden2}→{classes}, \
         SoftmaxWithLoss"
    );
    println!(
        "{} parameters, {} spiral points (f64)",
        thousands(net.parameter_count()),
        x.nrows()
    );
    println!("{}", check_header("parameter"));
    let checks = check_network(&mut net, &x, t.as_slice().expect("labels in order"));
    let names = ["W1", "b1", "W2", "b2", "W3", "b3"];
    for (name, d) in names.iter().zip(&checks) {
        println!("{}", check_row(name, d));
    }
}

/// Multiply-adds of one gradient of an `inputs`-`hidden`-`classes` network by backprop on a
/// batch of `n`: the two products of the forward pass, then `dW` and `dx` of both layers.
fn backprop_multiply_adds(inputs: usize, hidden: usize, classes: usize, n: usize) -> usize {
    3 * n * (inputs * hidden + hidden * classes)
}

/// Backprop against the gradients chapter's numerical gradient, on its own network and the
/// first few MNIST images: the differences and the operation counts on stdout, timings on
/// stderr.
fn against_numerical(mnist: &mnist::Mnist, seed: u64) {
    section("Backprop against the numerical gradient");
    let hidden = DLFS_PROTOCOL.hidden;
    let (x, t) = first_images(mnist, AGAINST_NUMERICAL_IMAGES);
    let mut rng = seeded_rng::rng(seed);
    let mut numerical_net = TwoLayerNet::<f64>::new(784, hidden, 10, &mut rng);
    // biases that are not zero, so that a bug in db cannot hide
    numerical_net.b1 = randn::<f64>(&mut rng, (1, hidden))
        .row(0)
        .mapv(|v| CHECK_BIAS_STD * v);
    numerical_net.b2 = randn::<f64>(&mut rng, (1, 10))
        .row(0)
        .mapv(|v| CHECK_BIAS_STD * v);
    let mut net = from_numerical_net(&numerical_net);
    println!(
        "the gradients chapter's network: 784-{hidden}-10 with sigmoid, {} parameters",
        thousands(net.parameter_count())
    );
    println!(
        "the first {} training images (f64), as in DLFS's gradient_check.py",
        x.nrows()
    );
    println!("numerical: TwoLayerNet::numerical_gradient, two loss evaluations per parameter");

    let started = Instant::now();
    for _ in 0..TIMING_RUNS {
        net.gradient(&x, &t);
    }
    let backprop_seconds = started.elapsed().as_secs_f64() / TIMING_RUNS as f64;
    let started = Instant::now();
    let numerical = numerical_net.numerical_gradient(&x, &t);
    let numerical_seconds = started.elapsed().as_secs_f64();
    println!("{}", check_header("parameter"));
    let numerical = [
        numerical.w1.into_dyn(),
        numerical.b1.into_dyn(),
        numerical.w2.into_dyn(),
        numerical.b2.into_dyn(),
    ];
    for ((name, num), (_, grad)) in ["W1", "b1", "W2", "b2"]
        .iter()
        .zip(&numerical)
        .zip(net.params_and_grads())
    {
        println!("{}", check_row(name, &difference(&num.view(), &grad)));
    }

    let cost = GradientCost::new(784, hidden, 10, x.nrows());
    let backprop = backprop_multiply_adds(784, hidden, 10, x.nrows());
    println!(
        "loss evaluations:  numerical {}, backprop 1 (and one backward pass)",
        thousands(cost.evaluations)
    );
    println!(
        "multiply-adds:     one forward pass {}",
        sci(cost.multiply_adds_per_evaluation as f64, 1)
    );
    println!(
        "                   numerical {}, backprop {}: {} times fewer",
        sci(cost.multiply_adds() as f64, 1),
        sci(backprop as f64, 1),
        thousands(cost.multiply_adds() / backprop)
    );
    eprintln!(
        "one gradient on {} images, f64: backprop {:.3} ms (mean of {TIMING_RUNS}), \
         numerical {numerical_seconds:.2} s: {:.0}× slower",
        x.nrows(),
        1e3 * backprop_seconds,
        numerical_seconds / backprop_seconds
    );
}

/// A sigmoid network fitted to (cos x + 1)/2 by backprop; two figures.
fn curve_fit(out: &Path, seed: u64) -> Result<()> {
    section("Fitting a curve");
    let mut rng = seeded_rng::rng(seed);
    let (x, t) = cosine_data::<f32>(FIT_INTERVAL.0, FIT_INTERVAL.1, FIT_POINTS);
    let mut net = sigmoid_regressor::<f32>(&FIT_SIZES, FIT_STD, FIT_STD, &mut rng);
    println!(
        "network {FIT_SIZES:?} with sigmoids, {} parameters; {FIT_POINTS} points on [{}, {}]",
        net.parameter_count(),
        FIT_INTERVAL.0,
        FIT_INTERVAL.1
    );
    println!("{:>9} {:>10} {:>10}", "iteration", "loss", "max |y−t|");
    let (grid, truth) = cosine_data::<f32>(FIT_INTERVAL.0, FIT_INTERVAL.1, 281);
    let mut losses = Vec::new();
    let mut snapshots = Vec::new();
    let max_error = |net: &mut Sequential<f32, MseLoss<f32>>| {
        (&net.predict(&x) - &t).fold(0.0f32, |m, v| m.max(v.abs()))
    };
    let before = max_error(&mut net);
    println!("{:>9} {:>10.5} {before:>10.4}", 0, net.loss(&x, &t));
    let started = Instant::now();
    for &checkpoint in &FIT_CHECKPOINTS {
        losses.extend(fit(
            &mut net,
            &x,
            &t,
            FIT_LEARNING_RATE,
            checkpoint - losses.len(),
        ));
        let y = net.predict(&x);
        let max_error = (&y - &t).fold(0.0f32, |m, v| m.max(v.abs()));
        println!(
            "{checkpoint:>9} {:>10.5} {max_error:>10.4}",
            net.loss(&x, &t)
        );
        snapshots.push((checkpoint, net.predict(&grid)));
    }
    eprintln!("curve fit: {:.2} s", started.elapsed().as_secs_f64());
    figures::write_svg(out, "fit.svg", (640, 480), |area| {
        draw_fit(area, &grid, &truth, &x, &t, &snapshots)
    })?;
    figures::write_svg(out, "fit_loss.svg", figures::SIZE, |area| {
        draw_fit_loss(area, &losses)
    })?;
    Ok(())
}

/// The DLFS protocol on MNIST: accuracies every epoch on stdout, timings on stderr; figures.
fn mnist_training(out: &Path, mnist: &mnist::Mnist, iterations: usize, seed: u64) -> Result<()> {
    section("Training on MNIST");
    let protocol = Protocol {
        iterations,
        ..DLFS_PROTOCOL
    };
    let data = MnistData::<f32>::new(mnist);
    let mut rng = seeded_rng::rng(seed);
    let mut net =
        two_layer_net::<f32>(784, protocol.hidden, 10, protocol.weight_init_std, &mut rng);
    println!(
        "784-{}-10 ReLU, weights {}·N(0, 1), SGD lr {}, batch {}, {} iterations (f32)",
        protocol.hidden,
        protocol.weight_init_std,
        protocol.learning_rate,
        protocol.batch_size,
        thousands(protocol.iterations)
    );
    let iter_per_epoch = data.x_train.nrows() / protocol.batch_size;
    println!(
        "accuracy after iteration 1 and every {} more (an epoch: {} images in batches of {})",
        iter_per_epoch,
        thousands(data.x_train.nrows()),
        protocol.batch_size
    );
    println!("{:>9} {:>9} {:>9}", "iteration", "train acc", "test acc");
    let started = Instant::now();
    let run = train_mnist(
        &mut net,
        &data,
        &protocol,
        true,
        &mut rng,
        |e: &EpochAccuracy| {
            println!("{:>9} {:>9.4} {:>9.4}", e.iteration, e.train, e.test);
        },
    );
    report_times(
        "MNIST protocol (f32)",
        &run,
        started.elapsed().as_secs_f64(),
    );
    let last = run
        .accuracies
        .last()
        .expect("the run ends with an evaluation");
    println!("final test accuracy: {:.2}%", 100.0 * last.test);

    figures::write_svg(out, "mnist_accuracy.svg", figures::SIZE, |area| {
        draw_accuracy(area, &run.accuracies)
    })?;
    figures::write_svg(out, "mnist_loss.svg", figures::SIZE, |area| {
        draw_mnist_loss(area, &run.losses, LOSS_SMOOTHING)
    })?;
    Ok(())
}

/// Timings of a training run, on stderr.
fn report_times(what: &str, run: &TrainingRun, total: f64) {
    eprintln!(
        "{what}: training {:.2} s, evaluations {:.2} s, total {:.2} s",
        run.training_seconds, run.evaluation_seconds, total
    );
}
