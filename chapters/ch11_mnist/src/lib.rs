//! # MNIST, end to end
//!
//! The capstone: everything the book has built, put to work on real handwriting. We read the
//! MNIST digits, train a multi-layer perceptron made of the backprop chapter's layers with the
//! optimizers chapter's Adam to better than 98% test accuracy in a few seconds, look at what it
//! gets wrong (a confusion matrix, the misclassified digits), save it as a `safetensors` file
//! and load it back, and finally read the reader's own handwriting from a PNG, prepared the
//! way MNIST itself was made.
//!
//! Run the chapter: `cargo run -p ch11_mnist` (the whole story, with its figures in
//! `target/figures/ch11_mnist/` and the trained model in `target/models/`). Subcommands:
//! `train`, `eval`, `predict IMAGE.png…` and `compare-precision`; `--help` lists their flags.

pub mod exercises;
pub mod handwriting;
pub mod plots;

use std::collections::HashMap;
use std::path::Path;
use std::time::Instant;

use anyhow::{anyhow, bail, ensure, Context, Result};
use ch03_layers::{float, Float};
use ch04_activations::softmax;
use ch05_loss::argmax_rows;
use ch09_backprop::{gather_batch, MnistData, Sequential};
use ch10_optimizers::{multi_layer_net, Activation, Init, Optimizer};
use ndarray::{Array2, ArrayD, IxDyn};
use safetensors::{Dtype, SafeTensors};
use seeded_rng::Rng;

/// The chapter's name, `ch11_mnist`: the default model is `target/models/<name>.safetensors`.
pub const CHAPTER: &str = env!("CARGO_PKG_NAME");
/// Pixels per MNIST image: 28 × 28.
pub const PIXELS: usize = 28 * 28;
/// The ten digits.
pub const CLASSES: usize = 10;

// ANCHOR: subset
/// The first `n` training images of `mnist` (all of them if `n` is larger), with the whole
/// test set: for quick runs.
///
/// ```
/// let tiny = mnist::Mnist {
///     train: mnist::Split { images: vec![0; 3 * 4], labels: vec![1, 2, 3], rows: 2, cols: 2 },
///     test: mnist::Split { images: vec![0; 4], labels: vec![7], rows: 2, cols: 2 },
/// };
/// let first = ch11_mnist::with_training_subset(&tiny, 2);
/// assert_eq!((first.train.len(), first.test.len()), (2, 1));
/// ```
pub fn with_training_subset(mnist: &mnist::Mnist, n: usize) -> mnist::Mnist {
    mnist::Mnist {
        train: mnist.train.first(n),
        test: mnist.test.clone(),
    }
}
// ANCHOR_END: subset

// ANCHOR: mlp
/// A multi-layer perceptron for MNIST: the backprop chapter's `Sequential` network of `Affine`
/// and `Relu` layers with `SoftmaxWithLoss` at the end, built by the optimizers chapter's
/// `multi_layer_net` with He initialisation, and the layer sizes it was built with (which a
/// saved model needs to be rebuilt).
///
/// ```text
/// 784 → Affine → ReLU → … → Affine → 10 scores → softmax
/// ```
///
/// ```
/// let mut model = ch11_mnist::Mlp::<f32>::new(&[784, 256, 128, 10], &mut seeded_rng::rng(0));
/// assert_eq!(model.parameter_count(), 784 * 256 + 256 + 256 * 128 + 128 + 128 * 10 + 10);
/// assert_eq!(model.architecture(), "784-256-128-10");
/// ```
pub struct Mlp<F: Float> {
    /// Inputs, hidden layer widths, outputs: `[784, 256, 128, 10]`.
    pub sizes: Vec<usize>,
    /// The network itself.
    pub net: Sequential<F>,
}

impl<F: Float> Mlp<F> {
    /// A new network with layers of `sizes`, weights drawn with He initialisation
    /// (`σ = √(2/n_in)`, right for ReLU), biases zero.
    ///
    /// # Panics
    /// If `sizes` has fewer than two entries or a size is zero.
    pub fn new(sizes: &[usize], rng: &mut impl Rng) -> Self {
        assert!(
            sizes.len() >= 2 && sizes.iter().all(|&s| s > 0),
            "a network needs an input and an output size, none of them zero, got sizes {sizes:?}"
        );
        Mlp {
            sizes: sizes.to_vec(),
            net: multi_layer_net(sizes, Activation::Relu, Init::He, rng),
        }
    }

    /// The sizes joined by dashes, as the text writes a network: `784-256-128-10`.
    pub fn architecture(&self) -> String {
        architecture(&self.sizes)
    }

    /// How many numbers the network learns.
    pub fn parameter_count(&mut self) -> usize {
        self.net.parameter_count()
    }

    /// The probability the network gives each class, one row per image.
    ///
    /// ```text
    /// p = softmax(scores(x))      (N, 10), each row sums to 1
    /// ```
    ///
    /// # Panics
    /// If `x` does not have one column per input.
    pub fn probabilities(&mut self, x: &Array2<F>) -> Array2<F> {
        softmax(&self.net.predict(x))
    }

    /// The class with the highest score for each row of `x`.
    ///
    /// NumPy: `np.argmax(network.predict(x), axis=1)`.
    pub fn classify(&mut self, x: &Array2<F>) -> Vec<usize> {
        argmax_rows(&self.net.predict(x))
    }
}

impl<F: Float> std::fmt::Debug for Mlp<F> {
    /// The architecture, not the 235,146 weights: `Mlp(784-256-128-10)`.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "Mlp({})", self.architecture())
    }
}

/// Layer sizes joined by dashes: `[784, 256, 10]` → `"784-256-10"`.
///
/// ```
/// assert_eq!(ch11_mnist::architecture(&[784, 256, 10]), "784-256-10");
/// ```
pub fn architecture(sizes: &[usize]) -> String {
    let sizes: Vec<String> = sizes.iter().map(usize::to_string).collect();
    sizes.join("-")
}
// ANCHOR_END: mlp

// ANCHOR: cost
/// The floating-point operations one image costs a network with layers of `sizes`: forward
/// (every weight is one multiply and one add) and backward (each layer's `dW`, as costly as
/// its forward product, and each layer's `dx` except the first's, which nobody needs).
///
/// ```text
/// forward  = Σₗ 2·nₗ·nₗ₊₁
/// backward = Σₗ 2·nₗ·nₗ₊₁ + Σₗ₍ₗ>₁₎ 2·nₗ·nₗ₊₁
/// ```
///
/// ```
/// // 784-50-10: 2·(784·50 + 50·10) forward; backward adds the same again and 2·50·10 for dx
/// assert_eq!(ch11_mnist::flops_per_image(&[784, 50, 10]), (79_400, 80_400));
/// ```
pub fn flops_per_image(sizes: &[usize]) -> (usize, usize) {
    let products: Vec<usize> = sizes.windows(2).map(|p| 2 * p[0] * p[1]).collect();
    let forward: usize = products.iter().sum();
    let dx: usize = products.iter().skip(1).sum();
    (forward, forward + dx)
}
// ANCHOR_END: cost

// ANCHOR: schedule
/// How the learning rate moves during training.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Schedule {
    /// The same rate for every step.
    Constant,
    /// Falls in a straight line from the peak at the first step to zero after the last.
    Linear,
}

/// The learning rate of step `step` (counting from 0) of a run of `total_steps` steps.
///
/// ```text
/// constant: ηₜ = η
/// linear:   ηₜ = η · (1 − t/T)
/// ```
///
/// A large rate moves fast but cannot settle into a narrow valley of the loss; a small one
/// settles but crawls. The linear schedule starts large and ends at zero, so a run gets both,
/// and its last steps are the small ones that polish the weights.
///
/// ```
/// use ch11_mnist::{learning_rate_at, Schedule};
/// assert_eq!(learning_rate_at(Schedule::Linear, 0.002, 0, 100), 0.002);
/// assert_eq!(learning_rate_at(Schedule::Linear, 0.002, 75, 100), 0.0005);
/// assert_eq!(learning_rate_at(Schedule::Constant, 0.002, 75, 100), 0.002);
/// ```
pub fn learning_rate_at(schedule: Schedule, peak: f64, step: usize, total_steps: usize) -> f64 {
    match schedule {
        Schedule::Constant => peak,
        Schedule::Linear => peak * (1.0 - step as f64 / total_steps.max(1) as f64),
    }
}
// ANCHOR_END: schedule

// ANCHOR: shuffle
/// The numbers `0..n` in a random order (Fisher–Yates): every order equally likely, and the
/// same order for the same generator state.
///
/// NumPy: `np.random.permutation(n)`.
///
/// ```
/// let order = ch11_mnist::permutation(5, &mut seeded_rng::rng(0));
/// let mut sorted = order.clone();
/// sorted.sort();
/// assert_eq!(sorted, [0, 1, 2, 3, 4]);
/// assert_eq!(order, ch11_mnist::permutation(5, &mut seeded_rng::rng(0)));
/// ```
pub fn permutation(n: usize, rng: &mut impl Rng) -> Vec<usize> {
    let mut order: Vec<usize> = (0..n).collect();
    for i in (1..n).rev() {
        let j = rng.random_range(0..=i); // any of the first i + 1, this one included
        order.swap(i, j);
    }
    order
}
// ANCHOR_END: shuffle

// ANCHOR: setup
/// What a training run does: how many epochs, how many images per step, and the learning rate.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Setup {
    pub epochs: usize,
    pub batch_size: usize,
    /// The peak learning rate η.
    pub learning_rate: f64,
    pub schedule: Schedule,
}

/// What one epoch of training measured.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct EpochRecord {
    /// Counting from 1.
    pub epoch: usize,
    /// The learning rate of the epoch's last step.
    pub learning_rate: f64,
    /// The mean loss of the epoch's batches, each measured by its own forward pass.
    pub loss: f64,
    /// The fraction of the epoch's training images that their batch's forward pass got right.
    pub train_accuracy: f64,
    /// The accuracy on the 10,000 test images after the epoch.
    pub test_accuracy: f64,
    /// Wall-clock seconds since training began, at the end of this epoch's evaluation.
    pub seconds: f64,
}

/// Everything a training run recorded.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct History {
    /// The loss of every batch, in order.
    pub batch_losses: Vec<f64>,
    /// One record per epoch.
    pub epochs: Vec<EpochRecord>,
}

impl History {
    /// The first epoch whose test accuracy reached `target`, if any.
    pub fn first_reaching(&self, target: f64) -> Option<&EpochRecord> {
        self.epochs.iter().find(|e| e.test_accuracy >= target)
    }
}

/// What a training loop tells whoever watches it (a progress bar, a log). Every method does
/// nothing unless overridden.
pub trait Watcher {
    /// An epoch of `batches` steps begins.
    fn epoch_started(&mut self, _epoch: usize, _batches: usize) {}
    /// A step ended; `loss` and `accuracy` are the running means of the epoch so far.
    fn batch_done(&mut self, _batch: usize, _loss: f64, _accuracy: f64) {}
    /// An epoch and its evaluation ended.
    fn epoch_done(&mut self, _record: &EpochRecord) {}
}

/// A watcher that watches nothing.
impl Watcher for () {}
// ANCHOR_END: setup

// ANCHOR: train
/// Trains `model` on the training images of `data`, evaluating the test accuracy after every
/// epoch.
///
/// Each epoch visits the training images in a new random order, `batch_size` at a time (the
/// images left over after the last full batch wait for the next epoch's order). Each step is
/// the backprop chapter's `gradient` (forward, loss, backward; the first layer skips the
/// gradient of its input) followed by one update of `optimizer`, whose learning rate the
/// `schedule` sets before every step.
///
/// NumPy (DLFS): the loop of `common/trainer.py` with `batch_mask = np.random.permutation`.
///
/// ```
/// use ch11_mnist::{train, Mlp, Schedule, Setup};
/// use ch09_backprop::MnistData;
/// use ch10_optimizers::Adam;
/// let data = MnistData::<f32>::new(&ch11_mnist::with_training_subset(&mnist::load()?, 2000));
/// let mut rng = seeded_rng::rng(0);
/// let mut model = Mlp::new(&[784, 32, 10], &mut rng);
/// let setup = Setup { epochs: 2, batch_size: 100, learning_rate: 0.002, schedule: Schedule::Linear };
/// let history = train(&mut model, &data, &mut Adam::new(0.0), &setup, &mut rng, &mut ());
/// assert_eq!((history.epochs.len(), history.batch_losses.len()), (2, 40));
/// assert!(history.epochs[1].test_accuracy > 0.6); // chance is 0.1
/// # Ok::<(), mnist::MnistError>(())
/// ```
///
/// # Panics
/// If `batch_size` is zero or larger than the training set, or the data does not fit the model.
pub fn train<F: Float>(
    model: &mut Mlp<F>,
    data: &MnistData<F>,
    optimizer: &mut impl Optimizer<F>,
    setup: &Setup,
    rng: &mut impl Rng,
    watcher: &mut impl Watcher,
) -> History {
    let n = data.x_train.nrows();
    let batch_size = setup.batch_size;
    assert!(
        batch_size > 0 && batch_size <= n,
        "batches of {batch_size} images cannot be drawn from {n} training images"
    );
    let batches = n / batch_size;
    let total_steps = batches * setup.epochs;
    let mut x_batch = Array2::zeros((batch_size, data.x_train.ncols())); // (batch, 784)
    let mut t_batch = Vec::with_capacity(batch_size);
    let mut history = History::default();
    let started = Instant::now();
    for epoch in 1..=setup.epochs {
        watcher.epoch_started(epoch, batches);
        let order = permutation(n, rng);
        let (mut loss_sum, mut correct) = (0.0, 0);
        let mut lr = setup.learning_rate;
        for (b, rows) in order.chunks_exact(batch_size).enumerate() {
            let step = (epoch - 1) * batches + b;
            lr = learning_rate_at(setup.schedule, setup.learning_rate, step, total_steps);
            optimizer.set_learning_rate(float(lr));
            gather_batch(
                &data.x_train,
                &data.t_train,
                rows,
                &mut x_batch,
                &mut t_batch,
            );
            let loss = model
                .net
                .gradient(&x_batch, &t_batch)
                .to_f64()
                .unwrap_or(f64::NAN);
            optimizer.update(model.net.params_and_grads());
            let predicted = argmax_rows(model.net.last.probabilities());
            correct += predicted
                .iter()
                .zip(&t_batch)
                .filter(|(p, t)| p == t)
                .count();
            loss_sum += loss;
            history.batch_losses.push(loss);
            let seen = (b + 1) as f64;
            watcher.batch_done(
                b,
                loss_sum / seen,
                correct as f64 / (seen * batch_size as f64),
            );
        }
        let record = EpochRecord {
            epoch,
            learning_rate: lr,
            loss: loss_sum / batches as f64,
            train_accuracy: correct as f64 / (batches * batch_size) as f64,
            test_accuracy: model.net.accuracy(&data.x_test, &data.t_test),
            seconds: started.elapsed().as_secs_f64(),
        };
        watcher.epoch_done(&record);
        history.epochs.push(record);
    }
    history
}
// ANCHOR_END: train

// ANCHOR: progress
/// A progress bar on stderr for [`train`]: the epoch, the batches done, batches per second,
/// and the running loss and accuracy. When stderr is not a terminal (a log, a test) the bar
/// stays hidden and each epoch writes one line instead.
pub struct ProgressBar {
    epochs: usize,
    bar: Option<indicatif::ProgressBar>,
}

impl ProgressBar {
    /// A bar for a run of `epochs` epochs.
    pub fn new(epochs: usize) -> Self {
        ProgressBar { epochs, bar: None }
    }
}

impl Watcher for ProgressBar {
    fn epoch_started(&mut self, epoch: usize, batches: usize) {
        let bar = indicatif::ProgressBar::new(batches as u64);
        let style = indicatif::ProgressStyle::with_template(
            "{prefix} [{bar:30}] {pos}/{len} batches, {per_sec}, {msg}",
        )
        .expect("the template is valid")
        .progress_chars("=> ");
        bar.set_style(style);
        bar.set_prefix(format!("epoch {epoch}/{}", self.epochs));
        self.bar = Some(bar);
    }

    fn batch_done(&mut self, batch: usize, loss: f64, accuracy: f64) {
        if let Some(bar) = &self.bar {
            bar.inc(1);
            if batch.is_multiple_of(10) {
                bar.set_message(format!("loss {loss:.4}, accuracy {accuracy:.4}"));
            }
        }
    }

    fn epoch_done(&mut self, record: &EpochRecord) {
        if let Some(bar) = self.bar.take() {
            let per_second = bar.position() as f64 / bar.elapsed().as_secs_f64().max(1e-9);
            bar.finish_and_clear();
            eprintln!(
                "epoch {}/{}: {:.0} batches/s, test accuracy {:.4}, {:.2} s since training began",
                record.epoch, self.epochs, per_second, record.test_accuracy, record.seconds
            );
        }
    }
}
// ANCHOR_END: progress

// ANCHOR: confusion
/// A confusion matrix: `counts[t][p]` is how many images of the digit `t` the network called
/// `p`. The diagonal holds the right answers.
pub type Confusion = [[usize; CLASSES]; CLASSES];

/// Counts each (true, predicted) pair.
///
/// NumPy: `np.add.at(confusion, (t, predicted), 1)`.
///
/// ```
/// let confusion = ch11_mnist::confusion_matrix(&[3, 5, 5, 1], &[3, 3, 5, 1]);
/// assert_eq!(confusion[3][3], 1);
/// assert_eq!(confusion[3][5], 1); // a 3 called 5
/// assert_eq!(confusion[5][5], 1);
/// assert_eq!(confusion[1][1], 1);
/// ```
///
/// # Panics
/// If the two lists differ in length or a class is 10 or more.
pub fn confusion_matrix(predicted: &[usize], t: &[usize]) -> Confusion {
    assert_eq!(
        predicted.len(),
        t.len(),
        "{} predictions cannot be compared with {} labels",
        predicted.len(),
        t.len()
    );
    let mut counts = [[0; CLASSES]; CLASSES];
    for (&p, &t) in predicted.iter().zip(t) {
        counts[t][p] += 1;
    }
    counts
}

/// The `k` most frequent mistakes, as `(true, predicted, count)`, the most frequent first (ties
/// in order of the true, then the predicted digit).
///
/// ```
/// let mut confusion = [[0; 10]; 10];
/// confusion[4][9] = 7;
/// confusion[7][2] = 7;
/// confusion[3][5] = 2;
/// confusion[1][1] = 1000; // right answers are not mistakes
/// assert_eq!(ch11_mnist::most_confused(&confusion, 2), [(4, 9, 7), (7, 2, 7)]);
/// ```
pub fn most_confused(confusion: &Confusion, k: usize) -> Vec<(usize, usize, usize)> {
    let mut mistakes: Vec<(usize, usize, usize)> = (0..CLASSES)
        .flat_map(|t| (0..CLASSES).map(move |p| (t, p)))
        .filter(|&(t, p)| t != p && confusion[t][p] > 0)
        .map(|(t, p)| (t, p, confusion[t][p]))
        .collect();
    mistakes.sort_by(|a, b| b.2.cmp(&a.2).then((a.0, a.1).cmp(&(b.0, b.1))));
    mistakes.truncate(k);
    mistakes
}
// ANCHOR_END: confusion

// ANCHOR: stored_float
/// A float type a model can be stored in: its safetensors data type and its little-endian
/// bytes.
pub trait StoredFloat: Float {
    /// `F32` or `F64`.
    const DTYPE: Dtype;
    /// Appends the value's little-endian bytes to `out`.
    fn put_le_bytes(self, out: &mut Vec<u8>);
    /// The value stored in `bytes`, little-endian (as many bytes as the type has).
    fn from_le_slice(bytes: &[u8]) -> Self;
}

impl StoredFloat for f32 {
    const DTYPE: Dtype = Dtype::F32;
    fn put_le_bytes(self, out: &mut Vec<u8>) {
        out.extend_from_slice(&self.to_le_bytes());
    }
    fn from_le_slice(bytes: &[u8]) -> Self {
        f32::from_le_bytes(bytes.try_into().expect("an f32 is four bytes"))
    }
}

impl StoredFloat for f64 {
    const DTYPE: Dtype = Dtype::F64;
    fn put_le_bytes(self, out: &mut Vec<u8>) {
        out.extend_from_slice(&self.to_le_bytes());
    }
    fn from_le_slice(bytes: &[u8]) -> Self {
        f64::from_le_bytes(bytes.try_into().expect("an f64 is eight bytes"))
    }
}
// ANCHOR_END: stored_float

// ANCHOR: save
/// The metadata key under which a saved model keeps its layer sizes, as `"784-256-128-10"`.
pub const SIZES_KEY: &str = "layer_sizes";

/// The names of a network's tensors, in the order of `params_and_grads` (each layer's
/// weights, then its bias): `layer1.weight`, `layer1.bias`, `layer2.weight`, …
///
/// ```
/// assert_eq!(
///     ch11_mnist::tensor_names(3),
///     ["layer1.weight", "layer1.bias", "layer2.weight", "layer2.bias"]
/// );
/// ```
pub fn tensor_names(layer_sizes: usize) -> Vec<String> {
    (1..layer_sizes)
        .flat_map(|i| [format!("layer{i}.weight"), format!("layer{i}.bias")])
        .collect()
}

/// The shape each tensor of a network with these sizes must have: weights
/// `[inputs, outputs]` (as `y = x·W` uses them), biases `[outputs]`.
///
/// ```
/// assert_eq!(ch11_mnist::tensor_shapes(&[784, 256, 10]), [vec![784, 256], vec![256], vec![256, 10], vec![10]]);
/// ```
pub fn tensor_shapes(sizes: &[usize]) -> Vec<Vec<usize>> {
    sizes
        .windows(2)
        .flat_map(|pair| [vec![pair[0], pair[1]], vec![pair[1]]])
        .collect()
}

impl<F: StoredFloat> Mlp<F> {
    /// The model as the bytes of a safetensors file: an 8-byte header length, a JSON header
    /// that names each tensor with its data type, shape and place in the data, then the raw
    /// little-endian numbers. The layer sizes go in the header's metadata.
    ///
    /// ```
    /// let mut model = ch11_mnist::Mlp::<f32>::new(&[4, 3, 2], &mut seeded_rng::rng(0));
    /// let bytes = model.to_safetensors();
    /// let header_len = u64::from_le_bytes(bytes[..8].try_into().unwrap()) as usize;
    /// assert_eq!(bytes.len(), 8 + header_len + 4 * (4 * 3 + 3 + 3 * 2 + 2));
    /// ```
    pub fn to_safetensors(&mut self) -> Vec<u8> {
        let shapes = tensor_shapes(&self.sizes);
        let data: Vec<Vec<u8>> = self
            .net
            .params_and_grads()
            .iter()
            .map(|(param, _)| {
                let mut bytes = Vec::with_capacity(param.len() * std::mem::size_of::<F>());
                param.iter().for_each(|&v| v.put_le_bytes(&mut bytes)); // row-major order
                bytes
            })
            .collect();
        let tensors = tensor_names(self.sizes.len())
            .into_iter()
            .zip(shapes)
            .zip(&data)
            .map(|((name, shape), bytes)| {
                let view = safetensors::tensor::TensorView::new(F::DTYPE, shape, bytes)
                    .expect("a parameter's bytes fit its shape");
                (name, view)
            });
        let metadata = HashMap::from([(SIZES_KEY.to_string(), self.architecture())]);
        safetensors::serialize(tensors, Some(metadata)).expect("a model always serialises")
    }

    /// Writes [`Mlp::to_safetensors`] to `path` (creating its folder), through a temporary
    /// file in the same folder, so that a reader never sees half a model.
    pub fn save(&mut self, path: &Path) -> Result<()> {
        let folder = match path.parent() {
            Some(parent) if !parent.as_os_str().is_empty() => parent,
            _ => Path::new("."),
        };
        std::fs::create_dir_all(folder)
            .with_context(|| format!("creating the model folder {}", folder.display()))?;
        let mut file = tempfile::NamedTempFile::new_in(folder)
            .with_context(|| format!("creating a file in {}", folder.display()))?;
        std::io::Write::write_all(&mut file, &self.to_safetensors())
            .with_context(|| format!("writing the model to {}", path.display()))?;
        file.persist(path)
            .with_context(|| format!("saving the model as {}", path.display()))?;
        Ok(())
    }
}
// ANCHOR_END: save

// ANCHOR: load
impl<F: StoredFloat> Mlp<F> {
    /// Rebuilds a model from the bytes of a safetensors file written by
    /// [`Mlp::to_safetensors`], checking everything before trusting it: that the bytes are a
    /// safetensors file at all, that its metadata gives the layer sizes, that every tensor the
    /// network needs is there with the right data type and shape, that there is no other
    /// tensor, and that every number is finite.
    ///
    /// ```
    /// use ch11_mnist::Mlp;
    /// let mut model = Mlp::<f32>::new(&[4, 3, 2], &mut seeded_rng::rng(0));
    /// let x = ndarray::array![[0.1, 0.2, 0.3, 0.4]];
    /// let mut loaded = Mlp::<f32>::from_safetensors(&model.to_safetensors())?;
    /// assert_eq!(loaded.sizes, [4, 3, 2]);
    /// assert_eq!(loaded.net.predict(&x), model.net.predict(&x));
    ///
    /// let error = Mlp::<f32>::from_safetensors(b"not a model").unwrap_err();
    /// assert!(error.to_string().starts_with("not a safetensors file"));
    /// # Ok::<(), anyhow::Error>(())
    /// ```
    pub fn from_safetensors(bytes: &[u8]) -> Result<Self> {
        let not_safetensors = |e| anyhow!("not a safetensors file ({e})");
        let (_, header) = SafeTensors::read_metadata(bytes).map_err(not_safetensors)?;
        let file = SafeTensors::deserialize(bytes).map_err(not_safetensors)?;
        let sizes = header
            .metadata()
            .as_ref()
            .and_then(|m| m.get(SIZES_KEY))
            .ok_or_else(|| anyhow!("the file has no \"{SIZES_KEY}\" in its metadata"))?;
        let sizes = parse_sizes(sizes)
            .with_context(|| format!("reading \"{SIZES_KEY}\" = {sizes:?} from the metadata"))?;
        let wanted = architecture(&sizes);

        let names = tensor_names(sizes.len());
        let mut unexpected: Vec<String> = file
            .names()
            .into_iter()
            .filter(|name| !names.iter().any(|n| n == name))
            .map(String::from)
            .collect();
        if !unexpected.is_empty() {
            unexpected.sort();
            bail!("unexpected tensors {unexpected:?}: a {wanted} network has only {names:?}");
        }

        let mut params = Vec::with_capacity(names.len());
        for (name, shape) in names.iter().zip(tensor_shapes(&sizes)) {
            let tensor = file.tensor(name).map_err(|_| {
                anyhow!("tensor {name} is missing: a {wanted} network needs it, of shape {shape:?}")
            })?;
            ensure!(
                tensor.dtype() == F::DTYPE,
                "tensor {name} holds {:?} numbers, but this network computes in {:?}",
                tensor.dtype(),
                F::DTYPE
            );
            ensure!(
                tensor.shape() == shape.as_slice(),
                "tensor {name} has shape {:?}, but a {wanted} network needs {shape:?}",
                tensor.shape()
            );
            let values: Vec<F> = tensor
                .data()
                .chunks_exact(std::mem::size_of::<F>())
                .map(F::from_le_slice)
                .collect();
            ensure!(
                values.iter().all(|v| v.is_finite()),
                "tensor {name} holds a number that is not finite (NaN or infinite): the file is \
                 damaged or the training diverged"
            );
            params.push(ArrayD::from_shape_vec(IxDyn(&shape), values)?);
        }

        let mut model = Mlp::new(&sizes, &mut seeded_rng::rng(0)); // weights replaced below
        for ((mut param, _), stored) in model.net.params_and_grads().into_iter().zip(&params) {
            param.assign(stored);
        }
        Ok(model)
    }

    /// Reads a model from the safetensors file at `path` (see [`Mlp::from_safetensors`]).
    pub fn load(path: &Path) -> Result<Self> {
        let bytes =
            std::fs::read(path).with_context(|| format!("reading the model {}", path.display()))?;
        Self::from_safetensors(&bytes)
            .with_context(|| format!("loading the model {}", path.display()))
    }
}

/// Layer sizes from their dashed form: `"784-256-10"` → `[784, 256, 10]`.
///
/// ```
/// assert_eq!(ch11_mnist::parse_sizes("784-256-10").unwrap(), [784, 256, 10]);
/// assert!(ch11_mnist::parse_sizes("784-ten").is_err());
/// assert!(ch11_mnist::parse_sizes("784").is_err());
/// ```
pub fn parse_sizes(text: &str) -> Result<Vec<usize>> {
    let sizes = text
        .split('-')
        .map(|s| match s.trim().parse::<usize>() {
            Ok(size) if size > 0 => Ok(size),
            _ => Err(anyhow!("{s:?} is not a positive layer size")),
        })
        .collect::<Result<Vec<usize>>>()?;
    ensure!(
        sizes.len() >= 2,
        "a network needs at least an input and an output size, got {text:?}"
    );
    Ok(sizes)
}
// ANCHOR_END: load

#[cfg(test)]
mod tests {
    use super::*;
    use ch09_backprop::MnistData;
    use ch10_optimizers::Adam;
    use safetensors::tensor::TensorView;

    /// A safetensors file of the given tensors `(name, shape, values)`, with `metadata`.
    fn file_of(tensors: &[(&str, Vec<usize>, Vec<f32>)], metadata: Option<&str>) -> Vec<u8> {
        let bytes: Vec<Vec<u8>> = tensors
            .iter()
            .map(|(_, _, values)| values.iter().flat_map(|v| v.to_le_bytes()).collect())
            .collect();
        let views = tensors.iter().zip(&bytes).map(|((name, shape, _), data)| {
            (
                name.to_string(),
                TensorView::new(Dtype::F32, shape.clone(), data).unwrap(),
            )
        });
        let metadata = metadata.map(|m| HashMap::from([(SIZES_KEY.to_string(), m.to_string())]));
        safetensors::serialize(views, metadata).unwrap()
    }

    /// The tensors of a 3-2-2 network, every value `v`.
    fn small_tensors(v: f32) -> Vec<(&'static str, Vec<usize>, Vec<f32>)> {
        vec![
            ("layer1.weight", vec![3, 2], vec![v; 6]),
            ("layer1.bias", vec![2], vec![v; 2]),
            ("layer2.weight", vec![2, 2], vec![v; 4]),
            ("layer2.bias", vec![2], vec![v; 2]),
        ]
    }

    fn load_error(bytes: &[u8]) -> String {
        match Mlp::<f32>::from_safetensors(bytes) {
            Ok(_) => panic!("the file should have been refused"),
            Err(e) => format!("{e:#}"),
        }
    }

    #[test]
    fn a_hand_made_file_loads_into_the_right_places() {
        let mut tensors = small_tensors(0.5);
        tensors[3].2 = vec![1.0, -1.0]; // layer2.bias
        let mut model = Mlp::<f32>::from_safetensors(&file_of(&tensors, Some("3-2-2"))).unwrap();
        // every hidden unit is 0.5·(1+1+1) + 0.5 = 2; each output 0.5·(2+2) ± 1
        let scores = model.net.predict(&ndarray::array![[1.0, 1.0, 1.0]]);
        assert_eq!(scores, ndarray::array![[3.0, 1.0]]);
    }

    #[test]
    fn saving_and_loading_gives_back_the_same_network() {
        let mut rng = seeded_rng::rng(1);
        let mut model = Mlp::<f64>::new(&[5, 4, 3], &mut rng);
        let mut loaded = Mlp::<f64>::from_safetensors(&model.to_safetensors()).unwrap();
        let x = seeded_rng::randn::<f64>(&mut rng, (2, 5));
        assert_eq!(loaded.net.predict(&x), model.net.predict(&x));
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("deeper").join("model.safetensors");
        model.save(&path).unwrap();
        let mut from_disk = Mlp::<f64>::load(&path).unwrap();
        assert_eq!(from_disk.net.predict(&x), model.net.predict(&x));
    }

    #[test]
    fn a_wrong_shape_is_refused_naming_the_tensor_and_both_shapes() {
        let mut tensors = small_tensors(0.5);
        tensors[2] = ("layer2.weight", vec![4, 1], vec![0.5; 4]);
        let error = load_error(&file_of(&tensors, Some("3-2-2")));
        assert!(
            error.contains(
                "tensor layer2.weight has shape [4, 1], but a 3-2-2 network needs [2, 2]"
            ),
            "{error}"
        );
    }

    #[test]
    fn a_missing_tensor_is_refused() {
        let mut tensors = small_tensors(0.5);
        tensors.remove(1);
        let error = load_error(&file_of(&tensors, Some("3-2-2")));
        assert!(error.contains("tensor layer1.bias is missing"), "{error}");
    }

    #[test]
    fn an_unexpected_tensor_is_refused() {
        let mut tensors = small_tensors(0.5);
        tensors.push(("layer3.weight", vec![2, 2], vec![0.0; 4]));
        let error = load_error(&file_of(&tensors, Some("3-2-2")));
        assert!(
            error.contains("unexpected tensors [\"layer3.weight\"]"),
            "{error}"
        );
    }

    #[test]
    fn a_file_without_layer_sizes_is_refused() {
        let error = load_error(&file_of(&small_tensors(0.5), None));
        assert!(
            error.contains("no \"layer_sizes\" in its metadata"),
            "{error}"
        );
        let error = load_error(&file_of(&small_tensors(0.5), Some("3-two-2")));
        assert!(
            error.contains("\"two\" is not a positive layer size"),
            "{error}"
        );
    }

    #[test]
    fn a_wrong_data_type_is_refused() {
        let mut model = Mlp::<f64>::new(&[3, 2, 2], &mut seeded_rng::rng(0));
        let error = load_error(&model.to_safetensors());
        assert!(
            error.contains("holds F64 numbers, but this network computes in F32"),
            "{error}"
        );
    }

    #[test]
    fn truncated_and_corrupt_bytes_are_refused() {
        let mut model = Mlp::<f32>::new(&[3, 2, 2], &mut seeded_rng::rng(0));
        let bytes = model.to_safetensors();
        for cut in [0, 4, 8, 20, bytes.len() - 1] {
            let error = load_error(&bytes[..cut]);
            assert!(
                error.starts_with("not a safetensors file"),
                "cut at {cut}: {error}"
            );
        }
        let mut scrambled = bytes.clone();
        scrambled[12] = b'#'; // inside the JSON header
        assert!(load_error(&scrambled).starts_with("not a safetensors file"));
        assert!(load_error(b"\x89PNG\r\n\x1a\n and so on").starts_with("not a safetensors file"));
        let error = load_error(&file_of(&small_tensors(f32::NAN), Some("3-2-2")));
        assert!(error.contains("not finite"), "{error}");
    }

    #[test]
    fn a_missing_file_is_an_error_that_names_it() {
        let error = Mlp::<f32>::load(Path::new("/no/such/model.safetensors")).unwrap_err();
        assert!(format!("{error:#}").contains("reading the model /no/such/model.safetensors"));
    }

    #[test]
    fn training_is_reproducible_and_learns() {
        let data = MnistData::<f32>::new(&with_training_subset(&mnist::load().unwrap(), 1000));
        let setup = Setup {
            epochs: 2,
            batch_size: 50,
            learning_rate: 0.002,
            schedule: Schedule::Linear,
        };
        let run = || {
            let mut rng = seeded_rng::rng(7);
            let mut model = Mlp::<f32>::new(&[784, 32, 10], &mut rng);
            let history = train(
                &mut model,
                &data,
                &mut Adam::new(0.0),
                &setup,
                &mut rng,
                &mut (),
            );
            (history, model.to_safetensors())
        };
        let (first, weights) = run();
        let (second, weights_again) = run();
        assert_eq!(first.batch_losses, second.batch_losses);
        assert_eq!(weights, weights_again);
        assert!(first.epochs[1].loss < first.epochs[0].loss);
        assert!(first.epochs[1].test_accuracy > 0.6, "{:?}", first.epochs[1]);
    }

    #[test]
    fn the_linear_schedule_ends_at_zero() {
        let total = 10;
        let rates: Vec<f64> = (0..=total)
            .map(|t| learning_rate_at(Schedule::Linear, 1.0, t, total))
            .collect();
        assert_eq!(rates[0], 1.0);
        assert_eq!(rates[total], 0.0);
        assert!(rates.windows(2).all(|w| w[1] < w[0]));
    }

    #[test]
    fn every_order_is_possible_and_none_is_favoured() {
        let mut rng = seeded_rng::rng(3);
        let mut counts = HashMap::new();
        for _ in 0..6000 {
            *counts.entry(permutation(3, &mut rng)).or_insert(0) += 1;
        }
        assert_eq!(counts.len(), 6);
        assert!(
            counts.values().all(|&c| (800..1200).contains(&c)),
            "{counts:?}"
        );
    }

    #[test]
    fn the_confusion_matrix_counts_every_image_once() {
        let t = [0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 9];
        let predicted = [0, 1, 2, 3, 4, 5, 6, 7, 8, 4, 9];
        let confusion = confusion_matrix(&predicted, &t);
        assert_eq!(confusion.iter().flatten().sum::<usize>(), t.len());
        assert_eq!(confusion[9][4], 1);
        assert_eq!(most_confused(&confusion, 5), [(9, 4, 1)]);
    }
}
