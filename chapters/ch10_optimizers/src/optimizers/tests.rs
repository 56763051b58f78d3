//! Unit tests of the optimizers: each update rule by hand, and the panics of a wrong list.

use super::*;
use ndarray::{arr1, arr2};

/// One update of `optimizer` on one parameter.
fn step(optimizer: &mut impl Optimizer<f64>, w: &mut ArrayD<f64>, dw: &[f64]) {
    let dw = arr1(dw).into_dyn();
    optimizer.update(vec![(w.view_mut(), dw.view())]);
}

fn assert_close(a: f64, b: f64, tolerance: f64) {
    assert!(
        (a - b).abs() < tolerance,
        "{a} is not within {tolerance} of {b}"
    );
}

#[test]
fn sgd_steps_down_the_gradient() {
    let mut w = arr1(&[3.0, 3.0]).into_dyn();
    step(&mut Sgd::new(0.1), &mut w, &[1.0, -2.0]);
    assert_eq!(w, arr1(&[2.9, 3.2]).into_dyn());
}

#[test]
fn momentum_first_step_is_sgd_then_it_accelerates() {
    let mut sgd_w = arr1(&[0.0]).into_dyn();
    let mut momentum_w = arr1(&[0.0]).into_dyn();
    let mut sgd = Sgd::new(0.1);
    let mut momentum = Momentum::new(0.1);
    step(&mut sgd, &mut sgd_w, &[1.0]);
    step(&mut momentum, &mut momentum_w, &[1.0]);
    assert_eq!(sgd_w, momentum_w); // v = −η g: the same first step
    step(&mut momentum, &mut momentum_w, &[1.0]);
    // v = 0.9·(−0.1) − 0.1 = −0.19, w = −0.1 − 0.19
    assert_close(momentum_w[0], -0.29, 1e-12);
    // under a constant gradient the velocity tends to −η g / (1 − α) = −1
    for _ in 0..300 {
        step(&mut momentum, &mut momentum_w, &[1.0]);
    }
    let before = momentum_w[0];
    step(&mut momentum, &mut momentum_w, &[1.0]);
    assert_close(momentum_w[0] - before, -1.0, 1e-9);
}

#[test]
fn adagrad_steps_shrink_like_one_over_root_t_under_a_constant_gradient() {
    let mut w = arr1(&[0.0]).into_dyn();
    let mut adagrad = AdaGrad::new(1.0);
    let mut previous = 0.0;
    for t in 1..=4 {
        step(&mut adagrad, &mut w, &[2.0]);
        // h = 4t, step = 2/√(4t) = 1/√t
        assert_close(previous - w[0], 1.0 / (t as f64).sqrt(), 1e-6);
        previous = w[0];
    }
}

#[test]
fn an_adagrad_step_grows_when_the_gradient_grows() {
    // the rate η/√h only falls, but the step is the rate times the gradient
    let mut w = arr1(&[0.0]).into_dyn();
    let mut adagrad = AdaGrad::new(1.0);
    step(&mut adagrad, &mut w, &[1.0]); // h = 1: a step of 1
    step(&mut adagrad, &mut w, &[1.0]); // h = 2: a step of 1/√2 ≈ 0.71
    let before = w[0];
    step(&mut adagrad, &mut w, &[10.0]); // h = 102: a step of 10/√102 ≈ 0.99
    assert_close(before - w[0], 10.0 / 102f64.sqrt(), 1e-6);
    assert!(before - w[0] > 1.0 / 2f64.sqrt());
}

#[test]
fn rmsprop_first_step_and_steady_state() {
    let mut w = arr1(&[0.0]).into_dyn();
    let mut rmsprop = RmsProp::new(0.01); // ρ = 0.9
    step(&mut rmsprop, &mut w, &[3.0]);
    // h = 0.1·9 = 0.9, step = 0.01·3/√0.9 = 0.01/√0.1
    assert_close(w[0], -0.01 / 0.1f64.sqrt(), 1e-8);
    // under a constant gradient h tends to g², and the step to η
    for _ in 0..500 {
        step(&mut rmsprop, &mut w, &[3.0]);
    }
    let before = w[0];
    step(&mut rmsprop, &mut w, &[3.0]);
    assert_close(before - w[0], 0.01, 1e-8);
}

#[test]
fn adam_bias_correction_at_t_1() {
    let mut adam = Adam::new(0.001);
    let mut w = arr1(&[0.0, 0.0, 0.0]).into_dyn();
    step(&mut adam, &mut w, &[1e3, -1e-3, 0.5]);
    assert_eq!(adam.t, 1);
    // m = 0.1 g and v = 0.001 g²: without the correction the step would be
    // η·0.1/√0.001 ≈ 3.16η; with it, m̂ = g, v̂ = g², the step is η·g/(|g| + ε)
    assert_close(w[0], -0.001, 1e-12);
    assert_close(w[1], 0.001 * 1e-3 / (1e-3 + EPSILON), 1e-12);
    assert_close(w[2], -0.001 * 0.5 / (0.5 + EPSILON), 1e-12);
    // the uncorrected moments are what is stored
    assert_close(adam.m[0][0], 0.1 * 1e3, 1e-9);
    assert_close(adam.v[0][0], 0.001 * 1e6, 1e-6);
}

#[test]
fn adam_second_step_by_hand() {
    let mut adam = Adam::new(0.1);
    let mut w = arr1(&[0.0]).into_dyn();
    step(&mut adam, &mut w, &[1.0]);
    step(&mut adam, &mut w, &[3.0]);
    let m: f64 = 0.9 * 0.1 + 0.1 * 3.0; // 0.39
    let v: f64 = 0.999 * 0.001 + 0.001 * 9.0; // 0.009999
    let m_hat = m / (1.0 - 0.9f64.powi(2));
    let v_hat = v / (1.0 - 0.999f64.powi(2));
    let first = -0.1 * 1.0 / (1.0 + EPSILON);
    assert_close(w[0], first - 0.1 * m_hat / (v_hat.sqrt() + EPSILON), 1e-12);
}

#[test]
fn optimizers_work_in_f32() {
    let mut w = arr1(&[1.0f32]).into_dyn();
    let dw = arr1(&[2.0f32]).into_dyn();
    Adam::new(0.5f32).update(vec![(w.view_mut(), dw.view())]);
    assert!((w[0] - 0.5).abs() < 1e-6);
}

#[test]
fn each_parameter_keeps_its_own_state() {
    let mut a = arr2(&[[0.0, 0.0]]).into_dyn();
    let mut b = arr1(&[0.0]).into_dyn();
    let da = arr2(&[[1.0, 1.0]]).into_dyn();
    let db = arr1(&[-1.0]).into_dyn();
    let mut momentum = Momentum::new(1.0);
    for _ in 0..2 {
        momentum.update(vec![(a.view_mut(), da.view()), (b.view_mut(), db.view())]);
    }
    // v = −1 then −1.9: a goes to −2.9, b to +2.9
    assert_close(a[[0, 1]], -2.9, 1e-12);
    assert_close(b[0], 2.9, 1e-12);
}

#[test]
#[should_panic(expected = "parameter 0 has shape [2] but its gradient has shape [3]")]
fn a_gradient_of_another_shape_panics() {
    let mut w = arr1(&[0.0, 0.0]).into_dyn();
    let dw = arr1(&[1.0, 1.0, 1.0]).into_dyn();
    Momentum::new(0.1).update(vec![(w.view_mut(), dw.view())]);
}

#[test]
#[should_panic]
fn a_gradient_of_another_shape_panics_in_sgd_too() {
    let mut w = arr1(&[0.0, 0.0]).into_dyn();
    let dw = arr1(&[1.0, 1.0, 1.0]).into_dyn();
    Sgd::new(0.1).update(vec![(w.view_mut(), dw.view())]);
}

#[test]
#[should_panic(expected = "keeps state for 1 parameters but was given 2")]
fn changing_the_parameter_list_panics() {
    let mut w = arr1(&[0.0]).into_dyn();
    let mut b = arr1(&[0.0]).into_dyn();
    let g = arr1(&[1.0]).into_dyn();
    let mut adam = Adam::new(0.1);
    adam.update(vec![(w.view_mut(), g.view())]);
    adam.update(vec![(w.view_mut(), g.view()), (b.view_mut(), g.view())]);
}

#[test]
#[should_panic(
    expected = "parameter 0 has shape [2] but the optimizer's state for it has shape [1]"
)]
fn reordering_the_parameters_panics() {
    let mut w = arr1(&[0.0]).into_dyn();
    let mut b = arr1(&[0.0, 0.0]).into_dyn();
    let gw = arr1(&[1.0]).into_dyn();
    let gb = arr1(&[1.0, 1.0]).into_dyn();
    let mut rmsprop = RmsProp::new(0.1);
    rmsprop.update(vec![(w.view_mut(), gw.view()), (b.view_mut(), gb.view())]);
    rmsprop.update(vec![(b.view_mut(), gb.view()), (w.view_mut(), gw.view())]);
}

#[test]
fn lr_decay_follows_the_formula_and_wraps_any_optimizer() {
    let mut adam = LrDecay::new(Adam::new(0.05), 0.01);
    let mut w = arr1(&[0.0]).into_dyn();
    for t in 0..5 {
        assert_close(adam.learning_rate(), 0.05 / (1.0 + 0.01 * t as f64), 1e-15);
        step(&mut adam, &mut w, &[1.0]);
    }
    assert_close(adam.optimizer.lr, 0.05 / 1.04, 1e-15); // the rate of the last update
    assert_eq!(adam.optimizer.t, 5);
}
