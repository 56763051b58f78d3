//! The DLFS MNIST protocol, run by each version of the network: the plain one of the backprop
//! chapter, then each step of this chapter added to the one before.

use std::time::Instant;

use ch08_gradients::median;
use ch09_backprop::{MnistData, Protocol, gather_batch, train_mnist, two_layer_net};
use ndarray::Array2;
use seeded_rng::Rng;

use crate::buffers::Buffers;
use crate::network::{Params, TwoLayer};
use crate::parallel::train_in_two_halves;

/// The versions the chapter races, each adding one step to the one before.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Version {
    /// The backprop chapter's network (`Sequential` of boxed layers) and its `train_mnist`.
    Plain,
    /// [`TwoLayer::gradient`]: one concrete type, no `dx` for the first layer.
    SkipDx,
    /// [`TwoLayer::gradient_in`]: every matrix in a buffer made once.
    NoAlloc,
    /// The two large products by [`tile_mat_mul`](crate::tile_mat_mul).
    Tiles,
    /// [`train_in_two_halves`]: two copies on two cores, half a batch each (with the tiles).
    TwoHalves,
    /// The two halves, and the final evaluation on every core.
    Fastest,
}

impl Version {
    /// Every version, in the order of the steps.
    pub const ALL: [Version; 6] = [
        Version::Plain,
        Version::SkipDx,
        Version::NoAlloc,
        Version::Tiles,
        Version::TwoHalves,
        Version::Fastest,
    ];

    /// The name `--bench` prints, for the comparison script: `rust-plain`, …, `rust-fastest`.
    pub fn name(self) -> &'static str {
        match self {
            Version::Plain => "rust-plain",
            Version::SkipDx => "rust-skip-dx",
            Version::NoAlloc => "rust-no-alloc",
            Version::Tiles => "rust-tiles",
            Version::TwoHalves => "rust-two-halves",
            Version::Fastest => "rust-fastest",
        }
    }

    /// What the version adds, in a few words.
    pub fn change(self) -> &'static str {
        match self {
            Version::Plain => "the backprop chapter's network",
            Version::SkipDx => "+ first layer's dx skipped",
            Version::NoAlloc => "+ buffers reused",
            Version::Tiles => "+ our own kernel",
            Version::TwoHalves => "+ two halves on two cores",
            Version::Fastest => "+ evaluation on every core",
        }
    }
}

/// What one run of the protocol gave.
#[derive(Debug, Clone, PartialEq)]
pub struct Run {
    /// Seconds from the first step to the end of the final evaluation.
    pub seconds: f64,
    /// Of those, the seconds of the final evaluation.
    pub evaluation_seconds: f64,
    pub train_accuracy: f64,
    pub test_accuracy: f64,
    /// The trained network's parameters.
    pub params: Params,
}

/// Runs `protocol` with `version`: the network of `two_layer_net` drawn with `seed`, then
/// `protocol.iterations` steps of SGD on batches drawn from the same generator (so every
/// version sees the same batches), then train and test accuracy on every image.
pub fn run_protocol(
    version: Version,
    data: &MnistData<f32>,
    protocol: &Protocol,
    seed: u64,
) -> Run {
    let mut rng = seeded_rng::rng(seed);
    let (inputs, classes) = (data.x_train.ncols(), 10);
    let std = protocol.weight_init_std;
    let mut plain = two_layer_net::<f32>(inputs, protocol.hidden, classes, std, &mut rng);
    if version == Version::Plain {
        let started = Instant::now();
        let run = train_mnist(&mut plain, data, protocol, false, &mut rng, |_| {});
        let last = run
            .accuracies
            .last()
            .expect("train_mnist evaluates at the end");
        return Run {
            seconds: started.elapsed().as_secs_f64(),
            evaluation_seconds: run.evaluation_seconds,
            train_accuracy: last.train,
            test_accuracy: last.test,
            params: Params::from_network(&mut plain),
        };
    }
    let mut net = TwoLayer::new(Params::from_network(&mut plain));
    let started = Instant::now();
    train(version, &mut net, data, protocol, &mut rng);
    let evaluation_started = Instant::now();
    let (train_accuracy, test_accuracy) = if version == Version::Fastest {
        let accuracy = |x, t| net.par_accuracy(x, t);
        (
            accuracy(&data.x_train, &data.t_train),
            accuracy(&data.x_test, &data.t_test),
        )
    } else {
        let accuracy = |x, t| net.accuracy(x, t);
        (
            accuracy(&data.x_train, &data.t_train),
            accuracy(&data.x_test, &data.t_test),
        )
    };
    Run {
        seconds: started.elapsed().as_secs_f64(),
        evaluation_seconds: evaluation_started.elapsed().as_secs_f64(),
        train_accuracy,
        test_accuracy,
        params: net.params,
    }
}

/// The training loop of each fast version. The batches are drawn as the backprop chapter's
/// `train_mnist` draws them: `batch_size` row numbers from the same generator, every step.
fn train(
    version: Version,
    net: &mut TwoLayer,
    data: &MnistData<f32>,
    p: &Protocol,
    rng: &mut (impl Rng + Clone + Send),
) {
    let (x, t) = (&data.x_train, &data.t_train[..]);
    let lr = p.learning_rate as f32;
    let mut rows = vec![0; p.batch_size];
    match version {
        Version::Plain => unreachable!("the plain version trains with train_mnist"),
        Version::SkipDx => {
            let mut x_batch = Array2::zeros((p.batch_size, x.ncols()));
            let mut t_batch = Vec::with_capacity(p.batch_size);
            for _ in 0..p.iterations {
                rows.fill_with(|| rng.random_range(0..x.nrows()));
                gather_batch(x, t, &rows, &mut x_batch, &mut t_batch);
                net.gradient(&x_batch, &t_batch);
                net.sgd_step(lr);
            }
        }
        // ANCHOR: no_alloc_loop
        Version::NoAlloc | Version::Tiles => {
            let mut buf = Buffers::new(p.batch_size, &net.params);
            if version == Version::Tiles {
                buf = buf.with_tiles();
            }
            for _ in 0..p.iterations {
                rows.fill_with(|| rng.random_range(0..x.nrows()));
                buf.gather(x, t, &rows);
                net.gradient_in(&mut buf);
                net.sgd_step(lr);
            }
        }
        // ANCHOR_END: no_alloc_loop
        Version::TwoHalves | Version::Fastest => {
            train_in_two_halves(net, x, t, (p.batch_size, p.iterations), lr, rng);
        }
    }
}

impl Run {
    /// Whether two runs trained the same weights: `identical, bit for bit`, or their largest
    /// difference.
    pub fn compare_weights(&self, other: &Run) -> String {
        if self.params == other.params {
            "identical, bit for bit".to_string()
        } else {
            let diff = self.params.max_abs_diff(&other.params);
            format!("largest |difference| {diff:.1e}")
        }
    }
}

/// A version's runs of the protocol: their times, and what the first one gave (every run gives
/// the same).
#[derive(Debug, Clone, PartialEq)]
pub struct Timing {
    pub version: Version,
    pub seconds: Vec<f64>,
    pub run: Run,
}

impl Timing {
    /// Runs the protocol `runs` times with `version`; each run's time on stderr.
    ///
    /// # Panics
    /// If two runs give different networks: the protocol is deterministic.
    pub fn measure(
        version: Version,
        data: &MnistData<f32>,
        p: &Protocol,
        runs: usize,
        seed: u64,
    ) -> Timing {
        let mut seconds = Vec::new();
        let mut first: Option<Run> = None;
        for i in 0..runs {
            let run = run_protocol(version, data, p, seed);
            let (name, s, e) = (version.name(), run.seconds, run.evaluation_seconds);
            eprintln!("{name} run {}: {s:.3} s (evaluation {e:.3} s)", i + 1);
            seconds.push(run.seconds);
            match &first {
                Some(f) => assert!(f.params == run.params, "two runs of {name} differ"),
                None => first = Some(run),
            }
        }
        let run = first.expect("at least one run");
        Timing {
            version,
            seconds,
            run,
        }
    }

    /// The median time.
    pub fn median(&self) -> f64 {
        median(&self.seconds)
    }
}
