//! The numerical gradient made fast: on every core, and incrementally (redoing only what a
//! nudge changes). The gradients chapter keeps the plain method and its measured cost.

use ch03_layers::{Float, float};
use ch04_activations::{sigmoid, softmax};
use ch05_loss::{batch_mean, cross_entropy_losses};
use ch07_derivatives::DEFAULT_H;
use ch08_gradients::{Gradients, TwoLayerNet, partial_derivative, two_layer_loss};
use ndarray::{Array, Array1, Array2, ArrayViewMut1, Axis, Dimension, IntoDimension, indices_of};
use rayon::prelude::*;

/// The numerical gradient of `f` at `x`, computed on all cores at once.
///
/// The gradients chapter's method cannot simply be shared: it changes `x` while `f` reads it,
/// so two threads nudging the same array would each see the other's nudges. Instead the
/// indices are cut into chunks and every chunk gets *its own copy* of `x` to nudge. Nothing is
/// shared but `f` (which must be `Sync`: callable from many threads at once) and the read-only
/// `x`. Each entry is computed exactly as the plain method computes it, on an array with the
/// same values, so the result is the same, bit for bit.
///
/// ```
/// use ch08_gradients::{function_2, numerical_gradient};
/// use ch14_speed::par_numerical_gradient;
/// use ndarray::Array;
/// let x = Array::linspace(-1.0, 1.0, 24).into_shape_with_order((2, 3, 4)).unwrap();
/// let parallel = par_numerical_gradient(function_2, &x);
/// assert_eq!(parallel, numerical_gradient(function_2, &mut x.clone()));
/// ```
// ANCHOR: par_numerical_gradient
pub fn par_numerical_gradient<F: Float, D: Dimension>(
    f: impl Fn(&Array<F, D>) -> F + Sync,
    x: &Array<F, D>,
) -> Array<F, D> {
    let indices: Vec<D> = indices_of(x)
        .into_iter()
        .map(IntoDimension::into_dimension)
        .collect();
    let chunk_len = indices
        .len()
        .div_ceil(4 * rayon::current_num_threads())
        .max(1);
    let partials: Vec<F> = indices
        .par_chunks(chunk_len) // a few chunks per core, run by rayon's threads
        .flat_map_iter(|chunk| {
            let mut own_x = x.clone(); // this chunk's private copy, nudged in place
            let partials: Vec<F> = chunk
                .iter()
                .map(|index| partial_derivative(&mut &f, &mut own_x, index.clone()))
                .collect();
            partials
        })
        .collect(); // in the order of the chunks
    Array::from_shape_vec(x.raw_dim(), partials).expect("one partial derivative per entry")
}
// ANCHOR_END: par_numerical_gradient

/// The gradients chapter's numerical gradient of its [`TwoLayerNet`], on every core:
/// [`par_numerical_gradient`] for each parameter, the network only read. The same numbers as
/// `TwoLayerNet::numerical_gradient`, bit for bit.
pub fn par_two_layer_gradient<F: Float>(
    net: &TwoLayerNet<F>,
    x: &Array2<F>,
    t: &[usize],
) -> Gradients<F> {
    let TwoLayerNet { w1, b1, w2, b2 } = net;
    Gradients {
        w1: par_numerical_gradient(|w1| two_layer_loss(x, t, w1, b1, w2, b2), w1),
        b1: par_numerical_gradient(|b1| two_layer_loss(x, t, w1, b1, w2, b2), b1),
        w2: par_numerical_gradient(|w2| two_layer_loss(x, t, w1, b1, w2, b2), w2),
        b2: par_numerical_gradient(|b2| two_layer_loss(x, t, w1, b1, w2, b2), b2),
    }
}

/// The intermediate results of one forward pass of a [`TwoLayerNet`] on a batch, kept so that
/// the loss after nudging one parameter can be found by redoing only what that nudge changes.
///
/// ```text
/// z₁ = x·W₁ + b₁  (batch, hidden)    a₁ = σ(z₁)    z₂ = a₁·W₂ + b₂  (batch, classes)
/// Lₙ = −ln softmax(z₂)ₙ,ₜₙ  (batch)   L = (1/N) Σₙ Lₙ
/// ```
///
/// Nudging `W₁[i, j]` by `δ` changes `z₁[n, j]` by `δ·x[n, i]` and nothing else of `z₁`; that
/// changes `a₁[n, j]`, and so row `n` of `z₂` by `Δa₁[n, j]·W₂[j, :]`. A sample whose pixel
/// `i` is 0 does not feel the nudge at all: its loss `Lₙ` is the cached one. Nudging `b₁[j]` is
/// the same with `δ` for every sample; nudging `W₂[j, k]` or `b₂[k]` changes only column `k` of
/// `z₂`. The loss is still `f` evaluated at `θ ± h`: only arithmetic that would give the same
/// numbers again is skipped.
#[derive(Debug, Clone)]
pub struct ForwardCache<F> {
    pub z1: Array2<F>,     // (batch, hidden)
    pub a1: Array2<F>,     // (batch, hidden)
    pub z2: Array2<F>,     // (batch, classes)
    pub losses: Array1<F>, // (batch): each sample's loss
    pub loss: F,           // their mean
}

impl<F: Float> ForwardCache<F> {
    /// The forward pass of `net` on `x` with targets `t`, every intermediate kept.
    pub fn new(net: &TwoLayerNet<F>, x: &Array2<F>, t: &[usize]) -> Self {
        let z1 = x.dot(&net.w1) + &net.b1;
        let a1 = z1.mapv(sigmoid);
        let z2 = a1.dot(&net.w2) + &net.b2;
        let losses = cross_entropy_losses(&softmax(&z2), t);
        let loss = batch_mean(&losses);
        ForwardCache {
            z1,
            a1,
            z2,
            losses,
            loss,
        }
    }

    /// The mean loss when the samples `rows` have new scores: `change(n, z₂[n, :])` edits the
    /// scores of sample `n`; every other sample keeps its cached loss. `losses` is scratch
    /// space for one loss per sample.
    // ANCHOR: changed_rows
    fn loss_with_changed_rows(
        &self,
        t: &[usize],
        rows: &[usize],
        change: impl Fn(usize, ArrayViewMut1<F>),
        losses: &mut Array1<F>,
    ) -> F {
        if rows.is_empty() {
            return self.loss; // no sample feels the change
        }
        let mut z2 = self.z2.select(Axis(0), rows); // (changed samples, classes)
        for (&n, row) in rows.iter().zip(z2.rows_mut()) {
            change(n, row);
        }
        let targets: Vec<usize> = rows.iter().map(|&n| t[n]).collect();
        let changed = cross_entropy_losses(&softmax(&z2), &targets);
        losses.assign(&self.losses);
        for (&n, &loss) in rows.iter().zip(&changed) {
            losses[n] = loss;
        }
        batch_mean(losses)
    }
    // ANCHOR_END: changed_rows

    /// The loss when the input of hidden unit `j` changes by `dz1(n)` for sample `n`.
    fn loss_with_hidden_change(
        &self,
        w2: &Array2<F>,
        t: &[usize],
        j: usize,
        dz1: impl Fn(usize) -> F,
        losses: &mut Array1<F>,
    ) -> F {
        let rows: Vec<usize> = (0..t.len()).filter(|&n| dz1(n) != F::zero()).collect();
        let change = |n: usize, mut z2_n: ArrayViewMut1<F>| {
            let da1 = sigmoid(self.z1[[n, j]] + dz1(n)) - self.a1[[n, j]];
            z2_n.scaled_add(da1, &w2.row(j)); // z₂[n, :] += Δa₁[n, j] · W₂[j, :]
        };
        self.loss_with_changed_rows(t, &rows, change, losses)
    }

    /// The loss when the input of output unit `k` changes by `dz2(n)` for sample `n`.
    fn loss_with_output_change(
        &self,
        t: &[usize],
        k: usize,
        dz2: impl Fn(usize) -> F,
        losses: &mut Array1<F>,
    ) -> F {
        let rows: Vec<usize> = (0..t.len()).filter(|&n| dz2(n) != F::zero()).collect();
        let change = |n: usize, mut z2_n: ArrayViewMut1<F>| z2_n[k] = z2_n[k] + dz2(n);
        self.loss_with_changed_rows(t, &rows, change, losses)
    }
}

/// Which parameter of a [`TwoLayerNet`] an entry belongs to, and where.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Entry {
    W1(usize, usize),
    B1(usize),
    W2(usize, usize),
    B2(usize),
}

/// Every parameter entry of `net`, in the order W₁, b₁, W₂, b₂, each row by row.
fn entries<F>(net: &TwoLayerNet<F>) -> Vec<Entry> {
    let (inputs, hidden) = net.w1.dim();
    let classes = net.b2.len();
    let mut entries = Vec::new();
    entries.extend((0..inputs).flat_map(|i| (0..hidden).map(move |j| Entry::W1(i, j))));
    entries.extend((0..hidden).map(Entry::B1));
    entries.extend((0..hidden).flat_map(|j| (0..classes).map(move |k| Entry::W2(j, k))));
    entries.extend((0..classes).map(Entry::B2));
    entries
}

/// The central-difference partial derivative along one entry, from the cache.
// ANCHOR: incremental_partial
fn incremental_partial<F: Float>(
    cache: &ForwardCache<F>,
    (w2, x, t): (&Array2<F>, &Array2<F>, &[usize]),
    entry: Entry,
    losses: &mut Array1<F>,
) -> F {
    let h = float::<F>(DEFAULT_H);
    let mut loss_at = |delta: F| match entry {
        Entry::W1(i, j) => cache.loss_with_hidden_change(w2, t, j, |n| delta * x[[n, i]], losses),
        Entry::B1(j) => cache.loss_with_hidden_change(w2, t, j, |_| delta, losses),
        Entry::W2(j, k) => {
            cache.loss_with_output_change(t, k, |n| delta * cache.a1[[n, j]], losses)
        }
        Entry::B2(k) => cache.loss_with_output_change(t, k, |_| delta, losses),
    };
    let f_plus = loss_at(h); // f(θ + h·eᵢ)
    let f_minus = loss_at(-h); // f(θ − h·eᵢ)
    (f_plus - f_minus) / (float::<F>(2.0) * h)
}
// ANCHOR_END: incremental_partial

/// One partial derivative per entry (in the order of [`entries`]) put into arrays shaped like
/// the parameters.
fn gradients_from<F: Float>(net: &TwoLayerNet<F>, partials: Vec<F>) -> Gradients<F> {
    let mut rest = partials.into_iter();
    let mut take = |n: usize| -> Vec<F> { rest.by_ref().take(n).collect() };
    let w1 = Array2::from_shape_vec(net.w1.raw_dim(), take(net.w1.len()));
    let b1 = Array1::from(take(net.b1.len()));
    let w2 = Array2::from_shape_vec(net.w2.raw_dim(), take(net.w2.len()));
    let b2 = Array1::from(take(net.b2.len()));
    Gradients {
        w1: w1.expect("one partial derivative per entry of W1"),
        b1,
        w2: w2.expect("one partial derivative per entry of W2"),
        b2,
    }
}

/// The numerical gradient of the loss of `net`, each `f(θ ± h)` found from one cached forward
/// pass by redoing only the part a nudge changes (see [`ForwardCache`]); one core.
///
/// ```
/// use ch08_gradients::TwoLayerNet;
/// use ch14_speed::incremental_numerical_gradient;
/// use ndarray::array;
/// let mut net = TwoLayerNet::<f64>::new(3, 4, 2, &mut seeded_rng::rng(1));
/// let x = array![[0.1, 0.9, 0.5], [0.7, 0.2, 0.0]];
/// let fast = incremental_numerical_gradient(&net, &x, &[1, 0]);
/// let plain = net.numerical_gradient(&x, &[1, 0]);
/// assert!(fast.max_abs_diff(&plain) < 1e-10);
/// ```
pub fn incremental_numerical_gradient<F: Float>(
    net: &TwoLayerNet<F>,
    x: &Array2<F>,
    t: &[usize],
) -> Gradients<F> {
    let cache = ForwardCache::new(net, x, t);
    let mut losses = cache.losses.clone();
    let partials = entries(net)
        .into_iter()
        .map(|entry| incremental_partial(&cache, (&net.w2, x, t), entry, &mut losses))
        .collect();
    gradients_from(net, partials)
}

/// [`incremental_numerical_gradient`] on every core: the cache is only read, so the threads
/// share it; each chunk of entries gets its own scratch space.
// ANCHOR: par_incremental
pub fn par_incremental_numerical_gradient<F: Float>(
    net: &TwoLayerNet<F>,
    x: &Array2<F>,
    t: &[usize],
) -> Gradients<F> {
    let cache = ForwardCache::new(net, x, t);
    let entries = entries(net);
    let chunk_len = entries
        .len()
        .div_ceil(4 * rayon::current_num_threads())
        .max(1);
    let partials: Vec<F> = entries
        .par_chunks(chunk_len)
        .flat_map_iter(|chunk| {
            let mut losses = cache.losses.clone(); // this chunk's own scratch space
            let partials: Vec<F> = chunk
                .iter()
                .map(|&e| incremental_partial(&cache, (&net.w2, x, t), e, &mut losses))
                .collect();
            partials
        })
        .collect();
    gradients_from(net, partials)
}
// ANCHOR_END: par_incremental

#[cfg(test)]
mod tests {
    use super::*;
    use seeded_rng::randn;

    fn small_case() -> (TwoLayerNet<f64>, Array2<f64>, Vec<usize>) {
        let mut rng = seeded_rng::rng(4);
        let mut net = TwoLayerNet::<f64>::new(6, 5, 3, &mut rng);
        net.b1 = randn::<f64>(&mut rng, (1, 5)).row(0).to_owned(); // not zero, to catch a bug
        let mut x = randn::<f64>(&mut rng, (7, 6));
        x[[2, 3]] = 0.0; // a zero pixel: a sample that feels no nudge of W1[3, j]
        (net, x, vec![0, 1, 2, 0, 1, 2, 0])
    }

    #[test]
    fn the_parallel_gradient_is_the_plain_one_bit_for_bit() {
        let (mut net, x, t) = small_case();
        let parallel = par_two_layer_gradient(&net, &x, &t);
        assert_eq!(parallel, net.numerical_gradient(&x, &t));
    }

    #[test]
    fn the_incremental_gradient_agrees_with_the_plain_one() {
        let (mut net, x, t) = small_case();
        let plain = net.numerical_gradient(&x, &t);
        let incremental = incremental_numerical_gradient(&net, &x, &t);
        assert!(incremental.max_abs_diff(&plain) < 1e-9);
        assert_eq!(
            par_incremental_numerical_gradient(&net, &x, &t),
            incremental
        );
    }
}
