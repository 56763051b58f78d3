//! A convolutional network: the convolutional chapter's SimpleConvNet made fast, its timings and
//! its step's profile; and `--bench-conv`.

use crate::*;

/// The convolutional network's section: batches timed by default, and the chapter's split.
const CONV_BATCHES: usize = 150;
const CONV_BATCH: usize = 100;
const CONV_LEARNING_RATE: f32 = 0.001;
const VALIDATION: usize = 10_000;
/// Batches timed for the profile of the fast network's steps.
const PROFILE_BATCHES: usize = 40;

/// The seconds of every batch of a training run, from the moments the convolutional chapter's
/// `train_epoch` reports each batch done.
struct BatchClock {
    last: Instant,
    seconds: Vec<f64>,
}

impl Watcher for BatchClock {
    fn batch_done(&mut self, _loss: f64) {
        let now = Instant::now();
        self.seconds.push((now - self.last).as_secs_f64());
        self.last = now;
    }
}

/// The median of some numbers (the upper one of the two middle ones, for an even count).
///
/// # Panics
/// If there are none.
fn median(mut values: Vec<f64>) -> f64 {
    values.sort_by(f64::total_cmp);
    values[values.len() / 2]
}

/// MNIST cut as the convolutional chapter cuts it: 50,000 images to train on, 10,000 held out.
fn conv_sets(mnist: &mnist::Mnist) -> Sets<f32> {
    split_validation(&MnistData::<f32>::new(mnist), VALIDATION)
}

/// The FLOPs of one training step of SimpleConvNet without the first layer's `dx`: its four
/// large products (conv forward, affine forward, dW1, dpooled), the filters' gradient from
/// every pooled entry, and the small second layer's three.
fn conv_step_flops(batch: usize) -> f64 {
    let patches = batch * CONV_SIDE * CONV_SIDE;
    let large = 2 * patches * PATCH * FILTERS + 3 * 2 * batch * POOLED * HIDDEN;
    let filters = 2 * batch * POOLED * PATCH;
    let small = 3 * 2 * batch * HIDDEN * CONV_CLASSES;
    (large + filters + small) as f64
}

/// The convolutional chapter's SimpleConvNet made fast: the same gradient, then a few hundred
/// batches by the plain network, the fast one on one core and on two, from the same weights on
/// the same batches; timings and the fast step's profile in `timed/`.
pub fn convolutional_network(
    timed: &Path,
    mnist: &mnist::Mnist,
    peak: &Peak,
    seed: u64,
) -> Result<()> {
    section("A convolutional network");
    let sets = conv_sets(mnist);
    let mut rng = seeded_rng::rng(seed);
    let mut plain = conv_net::<f32>(&SIMPLE_CONV_NET, (1, 28, 28), Init::Std(0.01), &mut rng);
    let params = ConvParams::from_plain(&mut plain);

    // The same gradient, on the first batch of the training images.
    let rows: Vec<usize> = (0..CONV_BATCH).collect();
    let x = sets.train.x.slice(ndarray::s![..CONV_BATCH, ..]).to_owned();
    let plain_loss = plain.gradient(&x, &sets.train.t[..CONV_BATCH]);
    let plain_grads: Vec<_> = plain
        .params_and_grads()
        .into_iter()
        .map(|(_, g)| g.to_owned())
        .collect();
    let (mut grads, mut buf) = (ConvParams::zeros(), ConvBuffers::new(CONV_BATCH));
    buf.gather(&sets.train.x, &sets.train.t, &rows);
    let fast_loss = gradient_in(&params, &mut grads, &mut buf, &mut |_| {});
    let count: usize = plain_grads.iter().map(|g| g.len()).sum();
    println!(
        "SimpleConvNet ({} parameters), the same weights (0.01·randn), the first batch of 100 training images:",
        thousands(count)
    );
    println!("loss: plain {plain_loss:.5}, fast {fast_loss:.5}");
    let difference = relative_difference(&plain_grads, &grads.to_plain_arrays());
    println!(
        "the largest difference between the two networks' gradients, relative to the plain one's largest entry: {difference:.1e} (under 1e-4: {})",
        yes_no(difference < 1e-4)
    );

    // A few hundred batches by each, from the same weights on the same batches.
    let train = sets.train.first(CONV_BATCHES * CONV_BATCH);
    let batch_rng = rng.clone();
    let mut adam = Adam::new(CONV_LEARNING_RATE);
    let lr = |_: usize, _: usize| f64::from(CONV_LEARNING_RATE);
    let mut clock = BatchClock {
        last: Instant::now(),
        seconds: Vec::new(),
    };
    let losses = train_epoch(
        &mut plain,
        &train,
        &mut adam,
        (CONV_BATCH, &lr),
        &mut batch_rng.clone(),
        &mut clock,
    );
    let plain_seconds = clock.seconds;
    let plain_loss = losses.iter().sum::<f64>() / losses.len() as f64;
    let plain_accuracy = ch12_convolution::accuracy(&mut plain, &sets.test);
    println!(
        "{} batches of {} (Adam {}), then the 10,000 test images:",
        CONV_BATCHES, CONV_BATCH, CONV_LEARNING_RATE
    );
    println!(
        "{:<22} {:>10} {:>14}",
        "network", "mean loss", "test accuracy"
    );
    println!(
        "{:<22} {plain_loss:>10.4} {plain_accuracy:>14.4}",
        "plain (ch12)"
    );
    let mut seconds = Vec::new();
    for cores in [1, 2] {
        let mut fast = FastConvNet::new(params.clone(), CONV_BATCH, cores, CONV_LEARNING_RATE);
        let order = permutation(train.t.len(), &mut batch_rng.clone()); // as train_epoch draws it
        let (mut losses, mut times) = (Vec::new(), Vec::new());
        for rows in order.chunks_exact(CONV_BATCH) {
            let started = Instant::now();
            losses.push(fast.step(&train.x, &train.t, rows));
            times.push(started.elapsed().as_secs_f64());
        }
        seconds.push(times);
        let loss = losses.iter().map(|&l| f64::from(l)).sum::<f64>() / losses.len() as f64;
        let label = format!("fast, {cores} core{}", if cores == 1 { "" } else { "s" });
        println!(
            "{label:<22} {loss:>10.4} {:>14.4}",
            fast.accuracy(&sets.test)
        );
    }
    write_timed(
        timed,
        "conv.txt",
        &conv_timings(peak, &plain_seconds, &seconds, &params),
    )
}

/// The timings of the convolutional section: a batch by each network, and the fast step's
/// profile, for a whole batch (one core) and a half (each of two cores).
fn conv_timings(peak: &Peak, plain: &[f64], fast: &[Vec<f64>], params: &ConvParams) -> String {
    let ms = |s: f64| 1e3 * s;
    let flops = conv_step_flops(CONV_BATCH);
    let mut text = format!(
        "measured on {}; {} batches of {}, each timed: their median, fastest and slowest\n{:<22} {:>10} {:>9} {:>10} {:>9} {:>9}\n",
        machine_label(peak.simd.name()),
        CONV_BATCHES,
        CONV_BATCH,
        "network",
        "ms/batch",
        "speed-up",
        "of peak",
        "fastest",
        "slowest"
    );
    let plain_median = median(plain.to_vec());
    let rows = [
        ("plain (ch12)", plain, 1),
        ("fast, 1 core", &fast[0][..], 1),
        ("fast, 2 cores", &fast[1][..], 2),
    ];
    for (name, times, cores) in rows {
        let of_peak = if cores == 1 {
            peak.one_core
        } else {
            peak.all_cores
        };
        let seconds = median(times.to_vec());
        let fastest = times.iter().copied().fold(f64::INFINITY, f64::min);
        let slowest = times.iter().copied().fold(0.0, f64::max);
        text += &format!(
            "{name:<22} {:>10.2} {:>8.1}× {:>9.1}% {:>9.2} {:>9.2}\n",
            ms(seconds),
            plain_median / seconds,
            100.0 * flops / seconds / of_peak,
            ms(fastest),
            ms(slowest)
        );
    }
    text += "(of peak: one core's for one core, both cores' for two)\n";
    let n = CONV_BATCH;
    let product = (2 * n * POOLED * HIDDEN) as f64;
    let filters = (2 * n * POOLED * PATCH) as f64;
    text += &format!(
        "a step's {:.0} MFLOPs (no first-layer dx): four products of {:.1} (conv, affine forward, dW1, dpooled),\n\
         the filters' gradient at pooling's winners {:.1}, the second layer's three products {:.1};\n\
         at one core's peak: {:.2} ms\n",
        flops / 1e6,
        product / 1e6,
        filters / 1e6,
        (flops - 4.0 * product - filters) / 1e6,
        1e3 * flops / peak.one_core
    );
    text += &format!(
        "\nthe fast step, step by step (ms, each step's best of {PROFILE_BATCHES} batches; \
         of peak: the step's products' FLOPs, as computed, at one core's peak)\n"
    );
    let whole = profile(params, CONV_BATCH, false);
    let half = profile(params, CONV_BATCH / 2, true);
    text += &format!(
        "{:<30} {:>10} {:>8} {:>10} {:>8}\n",
        "step", "batch 100", "of peak", "half (50)", "of peak"
    );
    for ((name, w), (_, h)) in whole.iter().zip(&half) {
        let share = |n: usize, s: f64| match step_flops(name, n) {
            Some(f) => format!("{:.0}%", 100.0 * f / s / peak.one_core),
            None => String::new(),
        };
        text += &format!(
            "{name:<30} {:>10.3} {:>8} {:>10.3} {:>8}\n",
            ms(*w),
            share(CONV_BATCH, *w),
            ms(*h),
            share(CONV_BATCH / 2, *h)
        );
    }
    text += "(half (50): one core's share of a two-core step: the gradient of 50 images, then the two\n\
             halves' gradients added up and Adam's update on half of every parameter's numbers)\n";
    let (alone, together) = (halves_at_once(params, false), halves_at_once(params, true));
    text += &format!(
        "the gradient of half a batch, timed whole (best of {PROFILE_BATCHES}; no Adam): {:.3} ms alone, {:.3} ms while the other core does the other half\n",
        1e3 * alone,
        1e3 * together
    );
    text
}

/// The FLOPs of the matrix products of the fast step's `step` for `n` images, as the kernels
/// compute them (the filters' gradient with every zero of `dconv`); `None` for a step without
/// a product.
fn step_flops(step: &str, n: usize) -> Option<f64> {
    let conv = 2 * n * CONV_SIDE * CONV_SIDE * PATCH * FILTERS;
    let affine1 = 2 * n * POOLED * HIDDEN;
    let affine2 = 2 * n * HIDDEN * CONV_CLASSES;
    let flops = match step {
        "conv = col·Wc" | "unpool, dWc = colᵀ·dconv" => conv,
        "affine forward" => affine1 + affine2,
        "softmax, affine 2 backward" => 2 * affine2,
        "dW1 = pooledᵀ·dh" | "dpooled = dh·W1ᵀ" => affine1,
        _ => return None,
    };
    Some(flops as f64)
}

/// The best time of the gradient of half a batch, on one core alone, or while a second
/// thread computes the other half's at the same time (`together`): what the two cores get in
/// each other's way, through the memory and caches they share, or through other programs.
fn halves_at_once(params: &ConvParams, together: bool) -> f64 {
    let n = CONV_BATCH / 2;
    let mut rng = seeded_rng::rng(10);
    let x = seeded_rng::randn::<f32>(&mut rng, (n, 784)).mapv(f32::abs);
    let t: Vec<usize> = (0..n).map(|i| i % CONV_CLASSES).collect();
    let mut parts = [0, 1].map(|_| (ConvParams::zeros(), ConvBuffers::new(n)));
    for (_, buf) in &mut parts {
        buf.gather(&x, &t, &(0..n).collect::<Vec<_>>());
    }
    let [(g1, buf1), (g2, buf2)] = &mut parts;
    let mut best = f64::INFINITY;
    for _ in 0..PROFILE_BATCHES {
        let started = Instant::now();
        std::thread::scope(|scope| {
            if together {
                scope.spawn(|| gradient_in(params, g2, buf2, &mut |_| {}));
            }
            gradient_in(params, g1, buf1, &mut |_| {});
            best = best.min(started.elapsed().as_secs_f64());
        });
    }
    best
}

/// The best time of each step of the fast network's training step, for batches of `n`:
/// `gradient_in`'s laps, then Adam's update (on every number of every parameter, or, for
/// `half`, the two halves' gradients added up and Adam on half of every parameter, as each core
/// does in a two-core step); the sum of those best times; and the best batch, timed whole.
fn profile(params: &ConvParams, n: usize, half: bool) -> Vec<(&'static str, f64)> {
    let mut rng = seeded_rng::rng(9);
    let x = seeded_rng::randn::<f32>(&mut rng, (n, 784)).mapv(f32::abs);
    let t: Vec<usize> = (0..n).map(|i| i % CONV_CLASSES).collect();
    let (mut p, mut g, mut buf) = (params.clone(), ConvParams::zeros(), ConvBuffers::new(n));
    buf.gather(&x, &t, &(0..n).collect::<Vec<_>>());
    let mut adam = Adam::new(CONV_LEARNING_RATE);
    let (mut sum, mut whole) = (ConvParams::zeros(), f64::INFINITY);
    let mut best: Vec<(&'static str, f64)> = Vec::new();
    for _ in 0..PROFILE_BATCHES {
        let mut laps = Vec::new();
        let mut last = Instant::now();
        gradient_in(&p, &mut g, &mut buf, &mut |name| {
            let seconds = last.elapsed().as_secs_f64();
            match laps.iter_mut().find(|(n, _)| *n == name) {
                Some((_, sum)) => *sum += seconds, // a step run once per image
                None => laps.push((name, seconds)),
            }
            last = Instant::now();
        });
        let started = Instant::now();
        if half {
            let [first, _] = halves(&mut p, &mut sum, (&g, &g));
            sum_and_update(&mut adam, first, (0.5, 0.5));
        } else {
            adam.update(ch14_speed::conv::params_and_grads(&mut p, &g));
        }
        laps.push(("Adam's update", started.elapsed().as_secs_f64()));
        whole = whole.min(laps.iter().map(|(_, s)| s).sum());
        if best.is_empty() {
            best = laps;
        } else {
            for (b, (_, s)) in best.iter_mut().zip(laps) {
                b.1 = b.1.min(s);
            }
        }
    }
    let total = best.iter().map(|(_, s)| s).sum();
    best.push(("the steps' best times, added", total));
    best.push(("the best batch, timed whole", whole));
    best
}

/// `--bench-conv`: `runs` epochs of the fast SimpleConvNet on `cores` cores, from the
/// convolutional chapter's weights and batches; one line on stdout.
pub fn bench_conv(runs: usize, cores: usize, seed: u64) -> Result<()> {
    let mnist = mnist::load().context("loading MNIST for the benchmark")?;
    let sets = conv_sets(&mnist);
    let mut rng = seeded_rng::rng(seed);
    let mut plain = conv_net::<f32>(&SIMPLE_CONV_NET, (1, 28, 28), Init::Std(0.01), &mut rng);
    let mut fast = FastConvNet::new(
        ConvParams::from_plain(&mut plain),
        CONV_BATCH,
        cores,
        CONV_LEARNING_RATE,
    );
    let mut seconds = Vec::new();
    for run in 1..=runs {
        let started = Instant::now();
        fast.train_epoch(&sets.train, &mut rng);
        seconds.push(started.elapsed().as_secs_f64());
        eprintln!("epoch {run}: {:.2} s", seconds[run - 1]);
    }
    seconds.sort_by(f64::total_cmp);
    println!(
        "rust-fast-{cores}c epoch_s={:.3} accuracy={:.4}",
        seconds[runs / 2],
        fast.accuracy(&sets.test)
    );
    Ok(())
}
