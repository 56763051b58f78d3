//! Hyperparameter search as *Deep Learning from Scratch* does it (§6.5,
//! `ch06/hyperparameter_optimization.py`): draw the learning rate and the weight-decay strength
//! at random on a logarithmic scale, train briefly with each pair, and judge every pair by its
//! accuracy on the validation set — never on the test set.

use std::ops::Range;

use ch03_layers::{Float, float};
use ch09_backprop::Sequential;
use ch10_optimizers::{Activation, Init, Sgd, WeightDecay, multi_layer_net};
use seeded_rng::Rng;

use crate::{History, Mode, Schedule, Split, train_and_watch};

/// A number drawn uniformly on a logarithmic scale: `10^u` with `u` uniform over `exponents`,
/// so that each power of ten in the range is as likely as any other.
///
/// ```text
/// x = 10ᵘ,  u ~ U(a, b)
/// ```
///
/// NumPy (DLFS): `lr = 10 ** np.random.uniform(-6, -2)`.
///
/// ```
/// use ch11_generalization::search::log_uniform;
/// let mut rng = seeded_rng::rng(0);
/// let draws: Vec<f64> = (0..1000).map(|_| log_uniform(&mut rng, -6.0..-2.0)).collect();
/// assert!(draws.iter().all(|&x| (1e-6..1e-2).contains(&x)));
/// // as many below 1e-4 (two of the four decades) as above
/// let below = draws.iter().filter(|&&x| x < 1e-4).count();
/// assert!((450..550).contains(&below), "{below}");
/// ```
// ANCHOR: log_uniform
pub fn log_uniform(rng: &mut impl Rng, exponents: Range<f64>) -> f64 {
    10f64.powf(rng.random_range(exponents))
}
// ANCHOR_END: log_uniform

/// The settings a trial of the search tries.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Hyperparameters {
    pub learning_rate: f64,
    pub weight_decay: f64,
}

/// Where the search looks: the exponents of the learning rate and of the weight-decay
/// strength λ (DLFS: η from 10⁻⁶ to 10⁻², λ from 10⁻⁸ to 10⁻⁴).
#[derive(Debug, Clone, PartialEq)]
pub struct SearchSpace {
    pub learning_rate: Range<f64>,
    pub weight_decay: Range<f64>,
}

impl SearchSpace {
    /// One random point of the space, each coordinate [`log_uniform`].
    // ANCHOR: draw
    pub fn draw(&self, rng: &mut impl Rng) -> Hyperparameters {
        Hyperparameters {
            learning_rate: log_uniform(rng, self.learning_rate.clone()),
            weight_decay: log_uniform(rng, self.weight_decay.clone()),
        }
    }
    // ANCHOR_END: draw
}

/// What one trial recorded: its settings, and the accuracy on the training and the validation
/// set before training and after every epoch.
#[derive(Debug, Clone, PartialEq)]
pub struct Trial {
    pub settings: Hyperparameters,
    pub history: History,
}

impl Trial {
    /// The validation accuracy after the last epoch: what the search judges a trial by.
    ///
    /// # Panics
    /// If nothing was measured.
    pub fn score(&self) -> f64 {
        self.history.last().1
    }
}

/// How each trial trains: a network of `sizes` (ReLU, He initialisation), SGD with weight
/// decay, for `epochs` epochs of batches of `batch_size`.
#[derive(Debug, Clone, PartialEq)]
pub struct TrialSetup {
    pub sizes: Vec<usize>,
    pub batch_size: usize,
    pub epochs: usize,
}

impl TrialSetup {
    /// Trains a fresh network on `train` with `settings`, measuring train and validation
    /// accuracy before training and after every epoch; returns the trial and the trained
    /// network. Calls `tick` after every epoch (for a progress bar).
    ///
    /// NumPy (DLFS): `__train(lr, weight_decay)`, a `MultiLayerNet` with `weight_decay_lambda`
    /// trained by its `Trainer`.
    ///
    /// # Panics
    /// If `batch_size` is zero or the sets do not fit `sizes`.
    // ANCHOR: trial
    pub fn run<F: Float>(
        &self,
        settings: Hyperparameters,
        (train, validation): (&Split<F>, &Split<F>),
        rng: &mut impl Rng,
        tick: &mut dyn FnMut(),
    ) -> (Trial, Sequential<F>) {
        let mut net = multi_layer_net::<F>(&self.sizes, Activation::Relu, Init::He, rng);
        let sgd = Sgd::new(float(settings.learning_rate));
        let mut optimizer = WeightDecay::new(sgd, float(settings.weight_decay));
        let schedule = Schedule {
            epochs: self.epochs,
            batch_size: self.batch_size,
            every: 1,
        };
        let data = (train, validation);
        let mode = Mode::default(); // a plain network: nothing reads it
        let history = train_and_watch(&mut net, &mode, &mut optimizer, data, schedule, rng, tick);
        (Trial { settings, history }, net)
    }
    // ANCHOR_END: trial
}

/// What a search found: every trial, best first, and the network the best trial trained.
pub struct SearchResult<F> {
    pub trials: Vec<Trial>,
    pub best_net: Sequential<F>,
}

/// Random search: `trials` settings drawn from `space`, each trained by `setup` on `train` and
/// scored on `validation`; the trials come back best first, with the best trial's network.
/// Calls `tick` after every epoch of every trial (for a progress bar).
///
/// NumPy (DLFS): the loop `for _ in range(optimization_trial): …` and
/// `sorted(results_val.items(), key=lambda x: x[1][-1], reverse=True)`.
///
/// # Panics
/// If `trials` is zero.
// ANCHOR: random_search
pub fn random_search<F: Float>(
    (space, setup, trials): (&SearchSpace, &TrialSetup, usize),
    data: (&Split<F>, &Split<F>),
    rng: &mut impl Rng,
    tick: &mut dyn FnMut(),
) -> SearchResult<F> {
    assert!(trials > 0, "a search of no trials");
    let mut results = Vec::new();
    let mut best: Option<(f64, Sequential<F>)> = None;
    for _ in 0..trials {
        let settings = space.draw(rng);
        let (trial, net) = setup.run(settings, data, rng, tick);
        if best
            .as_ref()
            .is_none_or(|(score, _)| trial.score() > *score)
        {
            best = Some((trial.score(), net));
        }
        results.push(trial);
    }
    results.sort_by(|a, b| b.score().total_cmp(&a.score())); // best first, ties in trial order
    let (_, best_net) = best.expect("at least one trial ran");
    SearchResult {
        trials: results,
        best_net,
    }
}
// ANCHOR_END: random_search

#[cfg(test)]
mod tests {
    use super::*;

    /// Two classes of points, told apart by the sign of their first coordinate.
    fn halves(rng: &mut impl Rng, n: usize) -> Split<f32> {
        let x = seeded_rng::randn::<f32>(rng, (n, 4));
        let t = x
            .rows()
            .into_iter()
            .map(|r| usize::from(r[0] > 0.0))
            .collect();
        Split { x, t }
    }

    #[test]
    fn draws_stay_in_their_decades() {
        let space = SearchSpace {
            learning_rate: -3.0..-1.0,
            weight_decay: -8.0..-4.0,
        };
        let mut rng = seeded_rng::rng(1);
        for _ in 0..200 {
            let h = space.draw(&mut rng);
            assert!((1e-3..1e-1).contains(&h.learning_rate));
            assert!((1e-8..1e-4).contains(&h.weight_decay));
        }
    }

    #[test]
    fn the_search_ranks_a_good_learning_rate_above_a_useless_one() {
        let mut rng = seeded_rng::rng(2);
        let (train, validation) = (halves(&mut rng, 200), halves(&mut rng, 100));
        let space = SearchSpace {
            learning_rate: -6.0..0.0,
            weight_decay: -8.0..-6.0,
        };
        let setup = TrialSetup {
            sizes: vec![4, 8, 2],
            batch_size: 20,
            epochs: 5,
        };
        let mut epochs = 0;
        let data = (&train, &validation);
        let mut search = random_search((&space, &setup, 12), data, &mut rng, &mut || epochs += 1);
        let trials = &search.trials;
        assert_eq!((trials.len(), epochs), (12, 12 * 5));
        assert!(trials.windows(2).all(|w| w[0].score() >= w[1].score()));
        let (best, worst) = (&trials[0], &trials[11]);
        assert!(
            best.score() > 0.9 && best.settings.learning_rate > 1e-2,
            "{best:?}"
        );
        assert!(worst.settings.learning_rate < 1e-3, "{worst:?}");
        assert_eq!(best.history.held_out.len(), 6); // before training, and after each epoch
        let kept = search.best_net.accuracy(&validation.x, &validation.t);
        assert_eq!(kept, best.score());
    }
}
