//! Data parallelism: two copies of the network learn from the two halves of every batch on two
//! threads, swap gradients, take the same step, and stay the same network bit for bit.

use std::ops::Range;
use std::sync::mpsc::{Receiver, Sender, TryRecvError, channel};
use std::thread;
use std::time::Instant;

use ndarray::{Array2, Zip};
use seeded_rng::Rng;

use crate::buffers::Buffers;
use crate::network::{Params, TwoLayer};

/// One SGD step with the gradient of a whole batch, put together from the gradients of its two
/// parts:
///
/// ```text
/// θ ← θ − η·(w₁·g₁ + w₂·g₂)      wᵢ = (rows of part i) / (rows of the batch)
/// ```
///
/// The loss of a batch is the mean of its samples' losses, so its gradient is the weighted
/// mean of its parts' gradients: for two halves, `½(g₁ + g₂)`. Both copies of a network take
/// this step with the same numbers in the same order, so they stay equal bit for bit.
///
/// ```
/// use ch14_speed::{sgd_step_from_parts, Params};
/// use ndarray::{array, Array1, Array2};
/// let theta = |w: f32| Params { w1: array![[w]], b1: Array1::zeros(1), w2: Array2::zeros((1, 1)), b2: Array1::zeros(1) };
/// let mut p = theta(1.0);
/// sgd_step_from_parts(&mut p, &theta(2.0), &theta(4.0), (0.5, 0.5), 0.1);
/// assert_eq!(p.w1[[0, 0]], 0.7); // 1 − 0.1·(½·2 + ½·4)
/// ```
///
/// # Panics
/// If the three do not have the same shapes.
// ANCHOR: sgd_step_from_parts
pub fn sgd_step_from_parts(
    p: &mut Params,
    g1: &Params,
    g2: &Params,
    (w1, w2): (f32, f32),
    lr: f32,
) {
    let step = |p: &mut f32, &g1: &f32, &g2: &f32| *p -= lr * (w1 * g1 + w2 * g2);
    Zip::from(&mut p.w1).and(&g1.w1).and(&g2.w1).for_each(step);
    Zip::from(&mut p.b1).and(&g1.b1).and(&g2.b1).for_each(step);
    Zip::from(&mut p.w2).and(&g1.w2).and(&g2.w2).for_each(step);
    Zip::from(&mut p.b2).and(&g1.b2).and(&g2.b2).for_each(step);
}
// ANCHOR_END: sgd_step_from_parts

/// One copy of the network in a data-parallel pair, on its own thread.
// ANCHOR: replica
struct Replica {
    net: TwoLayer,
    buf: Buffers,       // its part of each batch, and the step's matrices
    batch: usize,       // rows in a batch
    part: Range<usize>, // which of them are its part
    is_first: bool,     // whether its part is the first half
    weights: (f32, f32),
    lr: f32,
    outbox: Params, // a copy of its gradients, on its way to the other copy
    to_other: Sender<Params>,
    from_other: Receiver<Params>,
}
// ANCHOR_END: replica

impl Replica {
    /// A copy of `net` that learns from the rows `part.0` of every batch of `part.1` rows, and
    /// talks to the other copy through `line`.
    fn new(
        net: &TwoLayer,
        (part, batch): (Range<usize>, usize),
        lr: f32,
        (to_other, from_other): (Sender<Params>, Receiver<Params>),
    ) -> Self {
        let is_first = part.start == 0;
        let half = if is_first { part.end } else { part.start }; // rows of the first part
        Replica {
            net: net.clone(),
            buf: Buffers::new(part.len(), &net.params).with_tiles(),
            batch,
            part,
            is_first,
            weights: (
                half as f32 / batch as f32,
                (batch - half) as f32 / batch as f32,
            ),
            lr,
            outbox: net.params.zeros_like(),
            to_other,
            from_other,
        }
    }

    /// Every step of the training: `rows` holds the rows of every batch, one batch after the
    /// other. Stops early if the other copy has stopped.
    fn run(&mut self, x: &Array2<f32>, t: &[usize], rows: &[usize]) {
        for batch in rows.chunks_exact(self.batch) {
            if self.step(x, t, batch).is_none() {
                break;
            }
        }
    }

    /// Backprop on its part of `batch`, the exchange of gradients with the other copy, then the
    /// step with the whole batch's gradient. `None` if the other copy has stopped.
    // ANCHOR: replica_step
    fn step(&mut self, x: &Array2<f32>, t: &[usize], batch: &[usize]) -> Option<()> {
        self.buf.gather(x, t, &batch[self.part.clone()]); // our part of this batch
        self.net.gradient_in(&mut self.buf);
        self.outbox.assign(&self.net.grads);
        self.to_other.send(std::mem::take(&mut self.outbox)).ok()?; // moved, not copied
        let theirs = receive_soon(&self.from_other)?;
        let (p, mine) = (&mut self.net.params, &self.net.grads);
        let (g1, g2) = if self.is_first {
            (mine, &theirs)
        } else {
            (&theirs, mine)
        };
        sgd_step_from_parts(p, g1, g2, self.weights, self.lr);
        self.outbox = theirs; // their buffer carries our next gradients
        Some(())
    }
    // ANCHOR_END: replica_step
}

/// Stochastic gradient descent with learning rate `lr`: `steps` steps on batches of `batch`
/// rows of `x` and `t` drawn with `rng` (as the backprop chapter's `train_mnist` draws them),
/// each batch split in two halves that two copies of `net` learn from at the same time, on two
/// threads. `net` becomes the first copy; the second is returned, and the two are checked to be
/// equal bit for bit.
///
/// The rows of every batch are drawn before the training starts, in the order `train_mnist`
/// draws them, and both copies read them; so the two need no message but the gradients. The
/// result is the network plain SGD on whole batches would give, up to rounding (each half's
/// mean gradient is taken first, then the two are averaged).
///
/// ```
/// use ch14_speed::{train_in_two_halves, Params, TwoLayer};
/// use ndarray::{array, Array1, Array2};
/// let x = Array2::from_shape_fn((8, 1), |(i, _)| i as f32 - 3.5); // −3.5, −2.5, …, 3.5
/// let t = [0, 0, 0, 0, 1, 1, 1, 1]; // the class is the sign
/// let w1 = array![[1.0f32, -1.0, 0.5, -0.5]];
/// let params = Params { w1, b1: Array1::zeros(4), w2: Array2::zeros((4, 2)), b2: Array1::zeros(2) };
/// let mut net = TwoLayer::new(params);
/// let mut rng = seeded_rng::rng(0);
/// let other = train_in_two_halves(&mut net, &x, &t, (8, 200), 0.5, &mut rng);
/// assert_eq!(other.params, net.params); // the two copies: one network
/// assert_eq!(net.accuracy(&x, &t), 1.0);
/// ```
///
/// # Panics
/// If the batch size is less than 2, or a copy panics.
pub fn train_in_two_halves(
    net: &mut TwoLayer,
    x: &Array2<f32>,
    t: &[usize],
    (batch, steps): (usize, usize),
    lr: f32,
    rng: &mut impl Rng,
) -> TwoLayer {
    assert!(batch >= 2, "a batch of {batch} rows cannot be split in two");
    let half = batch / 2;
    // ANCHOR: two_copies
    let rows: Vec<usize> = (0..batch * steps)
        .map(|_| rng.random_range(0..x.nrows()))
        .collect();
    let rows = &rows[..]; // every batch, one after the other, read by both copies
    let (to_second, from_first) = channel();
    let (to_first, from_second) = channel();
    let first = Replica::new(net, (0..half, batch), lr, (to_second, from_second));
    let mut second = Replica::new(net, (half..batch, batch), lr, (to_first, from_first));
    let (first, second) = thread::scope(|scope| {
        let mut first = first; // moved in: should this thread panic, its channels close
        let second_thread = scope.spawn(move || {
            second.run(x, t, rows);
            second
        });
        first.run(x, t, rows);
        match second_thread.join() {
            Ok(second) => (first, second),
            Err(panic) => std::panic::resume_unwind(panic), // the second copy's own panic
        }
    });
    assert!(
        first.net.params == second.net.params,
        "the two copies of the network have drifted apart"
    );
    // ANCHOR_END: two_copies
    *net = first.net;
    second.net
}

/// How many times [`receive_soon`] looks for a message before it goes to sleep.
const POLLS_BEFORE_SLEEPING: usize = 1000;

/// The next message of `receiver`, or `None` once its sender is gone.
///
/// A thread that sleeps until a message arrives must be woken by the sender, through the
/// operating system, and that takes microseconds, at every step (the chapter times it). So each
/// copy, which expects the other's gradients within microseconds of its
/// own, first looks for them again and again, giving its core away between looks to any
/// thread that needs it (`yield_now`); it goes to sleep only if nothing comes for a while.
// ANCHOR: receive_soon
fn receive_soon<T>(receiver: &Receiver<T>) -> Option<T> {
    for _ in 0..POLLS_BEFORE_SLEEPING {
        match receiver.try_recv() {
            Ok(message) => return Some(message),
            Err(TryRecvError::Empty) => thread::yield_now(),
            Err(TryRecvError::Disconnected) => return None,
        }
    }
    receiver.recv().ok()
}
// ANCHOR_END: receive_soon

/// Seconds per round trip of a message between two threads (sent, received, sent back and
/// received), with the receivers looking for it by `receive_soon` if `polling`, or waiting
/// for it with the channel's own `recv` if not.
pub fn round_trip_seconds(polling: bool, trips: usize) -> f64 {
    let (to_echo, from_caller) = channel::<usize>();
    let (to_caller, from_echo) = channel::<usize>();
    let receive = move |r: &Receiver<usize>| {
        if polling {
            receive_soon(r)
        } else {
            r.recv().ok()
        }
    };
    thread::scope(|scope| {
        scope.spawn(move || {
            while let Some(message) = receive(&from_caller) {
                if to_caller.send(message).is_err() {
                    break;
                }
            }
        });
        let started = Instant::now();
        for trip in 0..trips {
            let sent = to_echo.send(trip).is_ok();
            assert!(
                sent && receive(&from_echo) == Some(trip),
                "the echo thread has stopped"
            );
        }
        let seconds = started.elapsed().as_secs_f64() / trips.max(1) as f64;
        drop(to_echo); // the echo thread stops
        seconds
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use seeded_rng::randn;

    fn small_net(rng: &mut impl Rng) -> TwoLayer {
        TwoLayer::new(Params {
            w1: randn::<f32>(rng, (6, 8)),
            b1: randn::<f32>(rng, (1, 8)).row(0).to_owned(),
            w2: randn::<f32>(rng, (8, 3)),
            b2: randn::<f32>(rng, (1, 3)).row(0).to_owned(),
        })
    }

    #[test]
    fn two_halves_learn_what_whole_batches_learn() {
        let mut rng = seeded_rng::rng(5);
        let x = randn::<f32>(&mut rng, (40, 6));
        let t: Vec<usize> = (0..40).map(|i| i % 3).collect();
        let mut whole = small_net(&mut rng);
        let mut halves = whole.clone();
        let (mut draws_whole, mut draws_halves) = (seeded_rng::rng(9), seeded_rng::rng(9));
        let mut buf = Buffers::new(10, &whole.params);
        let mut rows = vec![0; 10];
        for _ in 0..30 {
            rows.fill_with(|| draws_whole.random_range(0..40));
            buf.gather(&x, &t, &rows);
            whole.gradient_in(&mut buf);
            whole.sgd_step(0.3);
        }
        let other = train_in_two_halves(&mut halves, &x, &t, (10, 30), 0.3, &mut draws_halves);
        assert_eq!(other.params, halves.params, "the copies are one network");
        let diff = halves.params.max_abs_diff(&whole.params);
        assert!(diff < 1e-5, "halves against whole batches: {diff}");
        assert!(diff > 0.0, "the rounding differs: {diff}");
        assert_eq!(
            draws_halves, draws_whole,
            "the caller's generator moved on as far"
        );
    }

    #[test]
    fn a_round_trip_takes_some_time_either_way() {
        assert!(round_trip_seconds(true, 100) > 0.0);
        assert!(round_trip_seconds(false, 100) > 0.0);
    }

    #[test]
    #[should_panic(expected = "index")]
    fn a_panic_of_either_copy_is_raised_in_the_caller() {
        let x = Array2::<f32>::zeros((5, 6));
        let mut net = small_net(&mut seeded_rng::rng(0));
        // a label of 7 is no class: the copy that draws it panics, and the other must stop
        let t = [0, 1, 2, 7, 7];
        train_in_two_halves(&mut net, &x, &t, (4, 50), 0.1, &mut seeded_rng::rng(1));
    }
}
