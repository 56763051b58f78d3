//! The fast SimpleConvNet against the convolutional chapter's plain one.

use super::*;
use ch10_optimizers::{Adam, Init, Optimizer};
use ch12_convolution::{SIMPLE_CONV_NET, Split, conv_net};
use ndarray::Axis;

/// A SimpleConvNet with weights large enough that every gradient is far from 0, and a
/// batch of random images.
fn plain_and_batch(n: usize, seed: u64) -> (Sequential<f32>, Array2<f32>, Vec<usize>) {
    let mut rng = seeded_rng::rng(seed);
    let net = conv_net::<f32>(&SIMPLE_CONV_NET, (1, SIDE, SIDE), Init::He, &mut rng);
    let x = seeded_rng::randn::<f32>(&mut rng, (n, SIDE * SIDE)).mapv(f32::abs);
    let t = (0..n).map(|i| (i * 3) % CLASSES).collect();
    (net, x, t)
}

fn plain_grads(net: &mut Sequential<f32>) -> Vec<ArrayD<f32>> {
    net.params_and_grads()
        .into_iter()
        .map(|(_, g)| g.to_owned())
        .collect()
}

#[test]
fn the_layouts_go_there_and_back() {
    let (mut net, ..) = plain_and_batch(1, 1);
    let plain: Vec<ArrayD<f32>> = net
        .params_and_grads()
        .into_iter()
        .map(|(p, _)| p.to_owned())
        .collect();
    let fast = ConvParams::from_plain(&mut net);
    assert_eq!(fast.to_plain_arrays(), plain);
    assert_ne!(fast.w1.row(1).into_dyn(), plain[2].index_axis(Axis(0), 1)); // rows moved
}

#[test]
fn the_fast_gradient_is_the_plain_networks() {
    let (mut net, x, t) = plain_and_batch(6, 2);
    let plain_loss = net.gradient(&x, &t);
    let params = ConvParams::from_plain(&mut net);
    let (mut grads, mut buf) = (ConvParams::zeros(), ConvBuffers::new(6));
    buf.gather(&x, &t, &[0, 1, 2, 3, 4, 5]);
    let loss = gradient_in(&params, &mut grads, &mut buf, &mut |_| {});
    assert!(
        (loss - plain_loss).abs() < 1e-5 * plain_loss.abs(),
        "{loss} {plain_loss}"
    );
    let difference = relative_difference(&plain_grads(&mut net), &grads.to_plain_arrays());
    assert!(difference < 1e-4, "{difference}");
    assert!(grads.wc.iter().any(|&g| g != 0.0) && grads.bc.iter().any(|&g| g != 0.0));
}

#[test]
fn two_halves_take_the_step_one_core_takes() {
    let (mut net, x, t) = plain_and_batch(8, 3);
    let params = ConvParams::from_plain(&mut net);
    let (mut one, mut two) = (
        FastConvNet::new(params.clone(), 8, 1, 0.001),
        FastConvNet::new(params, 8, 2, 0.001),
    );
    let rows = [7, 0, 3, 5, 1, 2, 6, 4];
    for _ in 0..3 {
        let (l1, l2) = (one.step(&x, &t, &rows), two.step(&x, &t, &rows));
        assert!((l1 - l2).abs() < 1e-5 * l1.abs(), "{l1} {l2}");
    }
    let difference =
        relative_difference(&one.params.to_plain_arrays(), &two.params.to_plain_arrays());
    assert!(difference < 1e-5, "{difference}");
}

#[test]
fn the_fast_network_learns_what_the_plain_one_learns() {
    // Three Adam steps of each, from the same weights on the same batches.
    let (mut net, x, t) = plain_and_batch(10, 4);
    let mut fast = FastConvNet::new(ConvParams::from_plain(&mut net), 5, 2, 0.001);
    let mut adam = Adam::new(0.001);
    for rows in [[0, 1, 2, 3, 4], [5, 6, 7, 8, 9], [9, 7, 5, 3, 1]] {
        net.gradient(&x.select(Axis(0), &rows), &rows.map(|i| t[i]));
        adam.update(net.params_and_grads());
        fast.step(&x, &t, &rows);
    }
    let plain: Vec<ArrayD<f32>> = net
        .params_and_grads()
        .into_iter()
        .map(|(p, _)| p.to_owned())
        .collect();
    let difference = relative_difference(&plain, &fast.params.to_plain_arrays());
    assert!(difference < 1e-4, "{difference}");
    let split = Split { x, t };
    let plain_accuracy = ch12_convolution::accuracy(&mut net, &split);
    assert_eq!(fast.accuracy(&split), plain_accuracy);
}

#[test]
fn a_window_with_nothing_positive_passes_no_gradient() {
    let mut conv = Array2::from_elem((CONV_SIDE * CONV_SIDE, FILTERS), -1.0f32);
    conv[[CONV_SIDE + 1, 2]] = 3.0; // window (0, 0), its bottom right, filter 2
    let (mut pooled, mut winners) = (vec![0.0; POOLED], vec![0; POOLED]);
    let b = Array1::from_elem(FILTERS, 0.5);
    bias_relu_pool(&conv, &b, &mut pooled, &mut winners);
    assert_eq!((pooled[2], winners[2]), (3.5, (CONV_SIDE + 1) as u32));
    assert_eq!((pooled[3], winners[3]), (0.0, NO_WINNER));
    assert_eq!(pooled.iter().filter(|&&v| v != 0.0).count(), 1);
}
