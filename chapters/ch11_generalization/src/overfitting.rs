//! Training while watching two accuracies: on the examples the network learns from, and on
//! examples it never learns from. *Deep Learning from Scratch*'s `ch06/overfit_weight_decay.py`
//! and `ch06/overfit_dropout.py`.

use ch03_layers::Float;
use ch09_backprop::Sequential;
use ch10_optimizers::{Optimizer, train_mini_batches};
use seeded_rng::Rng;

use crate::{Mode, Split};

/// How long to train and how often to measure: `epochs` passes over the training set in
/// batches of `batch_size`, the accuracies measured before training and every `every` epochs
/// (and after the last).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Schedule {
    pub epochs: usize,
    pub batch_size: usize,
    pub every: usize,
}

/// The accuracies measured while training, as `(epoch, accuracy)` pairs: on the training set,
/// and on the held-out set (validation or test).
#[derive(Debug, Clone, Default, PartialEq)]
pub struct History {
    pub train: Vec<(usize, f64)>,
    pub held_out: Vec<(usize, f64)>,
}

impl History {
    /// The last accuracies measured: `(train, held out)`.
    ///
    /// # Panics
    /// If nothing was measured.
    pub fn last(&self) -> (f64, f64) {
        let last = |values: &[(usize, f64)]| values.last().expect("nothing measured").1;
        (last(&self.train), last(&self.held_out))
    }
}

/// Trains `net` on `train` with `optimizer` as `schedule` says, and measures its accuracy on
/// `train` and on `held_out` along the way, in inference mode. Each epoch draws
/// `train.len() / batch_size` random batches (DLFS's `iter_per_epoch`), and then calls `tick`
/// (for a progress bar).
///
/// NumPy (DLFS): `for i in range(1000000000): batch_mask = np.random.choice(train_size,
/// batch_size) … if i % iter_per_epoch == 0: train_acc = network.accuracy(x_train, t_train)`.
///
/// ```
/// use ch10_optimizers::{Adam, Init};
/// use ch11_generalization::{Extras, Mode, Schedule, multi_layer_net_extend, spiral_sets, train_and_watch};
/// let mut rng = seeded_rng::rng(0);
/// let sets = spiral_sets::<f32>(50, 3, &mut rng);
/// let mode = Mode::default();
/// let mut net = multi_layer_net_extend(&[2, 64, 3], Init::He, Extras::default(), &mode, &mut rng);
/// let schedule = Schedule { epochs: 400, batch_size: 30, every: 200 };
/// let data = (&sets.train, &sets.validation);
/// let history = train_and_watch(&mut net, &mode, &mut Adam::new(0.05), data, schedule, &mut rng, &mut || {});
/// assert_eq!(history.train.iter().map(|p| p.0).collect::<Vec<_>>(), [0, 200, 400]);
/// let (train, validation) = history.last();
/// assert!(train > 0.8 && validation > 0.6, "{train} {validation}");
/// ```
///
/// # Panics
/// If `schedule.every` or `schedule.batch_size` is zero, or the data do not fit the network.
// ANCHOR: train_and_watch
pub fn train_and_watch<F: Float>(
    net: &mut Sequential<F>,
    mode: &Mode,
    optimizer: &mut dyn Optimizer<F>,
    (train, held_out): (&Split<F>, &Split<F>),
    schedule: Schedule,
    rng: &mut impl Rng,
    tick: &mut dyn FnMut(),
) -> History {
    let batches = (train.len() / schedule.batch_size).max(1); // per epoch
    let mut history = History::default();
    for epoch in 0..=schedule.epochs {
        if epoch > 0 {
            let (x, t) = (&train.x, &train.t);
            train_mini_batches(net, x, t, optimizer, schedule.batch_size, batches, rng);
            tick();
        }
        if epoch % schedule.every == 0 || epoch == schedule.epochs {
            mode.inference(|| {
                history
                    .train
                    .push((epoch, net.accuracy(&train.x, &train.t)));
                history
                    .held_out
                    .push((epoch, net.accuracy(&held_out.x, &held_out.t)));
            });
        }
    }
    history
}
// ANCHOR_END: train_and_watch
