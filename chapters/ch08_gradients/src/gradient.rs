//! Partial derivatives and the numerical gradient of a function of an array of any shape
//! (*Deep Learning from Scratch*'s `gradient_2d.py` and `common/gradient.py`).

use ch03_layers::{Float, float};
use ch07_derivatives::DEFAULT_H;
use ndarray::{Array, Dimension, IntoDimension, indices_of};

/// *Deep Learning from Scratch*'s function of two (or more) variables: the sum of the squares
/// of the entries of `x`, a bowl whose bottom is at the origin.
///
/// ```text
/// f(x₀, x₁) = x₀² + x₁²        (any shape: f(x) = Σᵢ xᵢ²)
/// ```
///
/// NumPy (DLFS): `np.sum(x**2)`.
///
/// ```
/// use ch08_gradients::function_2;
/// use ndarray::array;
/// assert_eq!(function_2(&array![3.0, 4.0]), 25.0);
/// assert_eq!(function_2(&array![[1.0, 2.0], [3.0, 4.0]]), 30.0); // a matrix works too
/// ```
// ANCHOR: function_2
pub fn function_2<D: Dimension>(x: &Array<f64, D>) -> f64 {
    x.iter().fold(0.0, |sum, &xi| sum + xi * xi)
}
// ANCHOR_END: function_2

/// `function_2` with `x₁` held at 4: a function of `x₀` alone, whose derivative is the partial
/// derivative ∂f/∂x₀ on the line `x₁ = 4`.
///
/// ```text
/// f(x₀) = x₀² + 4²
/// ```
///
/// Python (DLFS): `x0*x0 + 4.0**2.0`.
// ANCHOR: function_tmp1
pub fn function_tmp1(x0: f64) -> f64 {
    x0 * x0 + 4.0 * 4.0
}
// ANCHOR_END: function_tmp1

/// `function_2` with `x₀` held at 3: a function of `x₁` alone, for ∂f/∂x₁ on the line `x₀ = 3`.
///
/// ```text
/// f(x₁) = 3² + x₁²
/// ```
///
/// Python (DLFS): `3.0**2.0 + x1*x1`.
// ANCHOR: function_tmp2
pub fn function_tmp2(x1: f64) -> f64 {
    3.0 * 3.0 + x1 * x1
}
// ANCHOR_END: function_tmp2

/// The central-difference estimate of the partial derivative of `f` along entry `index` of
/// `x`: nudge that one entry by `+h` and by `−h`, evaluate `f` each time, and put the entry
/// back exactly as it was.
///
/// ```text
/// ∂f/∂xᵢ ≈ (f(x + h·eᵢ) − f(x − h·eᵢ)) / 2h,   h = 10⁻⁴
/// ```
///
/// `x` is borrowed mutably because it *is* changed while `f` runs; when this returns, it holds
/// its old values again, bit for bit.
///
/// ```
/// use ch08_gradients::{function_2, partial_derivative};
/// use ndarray::{array, Ix1};
/// let mut x = array![3.0, 4.0];
/// let d1 = partial_derivative(&mut function_2, &mut x, Ix1(1));
/// assert!((d1 - 8.0).abs() < 1e-9); // ∂f/∂x₁ = 2x₁
/// assert_eq!(x, array![3.0, 4.0]);
/// ```
// ANCHOR: partial_derivative
pub fn partial_derivative<F: Float, D: Dimension>(
    f: &mut impl FnMut(&Array<F, D>) -> F,
    x: &mut Array<F, D>,
    index: D,
) -> F {
    let h = float::<F>(DEFAULT_H);
    let original = x[index.clone()];
    x[index.clone()] = original + h;
    let f_plus = f(x); // f(x + h·eᵢ)
    x[index.clone()] = original - h;
    let f_minus = f(x); // f(x − h·eᵢ)
    x[index] = original; // put it back
    (f_plus - f_minus) / (float::<F>(2.0) * h)
}
// ANCHOR_END: partial_derivative

/// The numerical gradient of `f` at `x`: one partial derivative per entry of `x`, in an array
/// of the same shape. `x` may have any shape — a vector, a matrix, a stack of matrices.
///
/// ```text
/// ∇f(x) = (∂f/∂x₀, ∂f/∂x₁, …)        ∂f/∂xᵢ ≈ (f(x + h·eᵢ) − f(x − h·eᵢ)) / 2h,   h = 10⁻⁴
/// ```
///
/// This is *Deep Learning from Scratch*'s in-place method: it nudges the entries of `x` itself,
/// one at a time, so it needs `&mut x` — nothing else may read `x` meanwhile — and it hands the
/// nudged array to `f`. Two loss evaluations per entry, on one thread: the chapter measures
/// what that costs.
///
/// NumPy (DLFS): `numerical_gradient(f, x)`, which walks `x` with `np.nditer(x,
/// flags=['multi_index'], op_flags=['readwrite'])`.
///
/// ```
/// use ch08_gradients::{function_2, numerical_gradient};
/// use ndarray::array;
/// let mut x = array![3.0, 4.0];
/// let grad = numerical_gradient(function_2, &mut x);
/// assert!((grad[0] - 6.0).abs() < 1e-9 && (grad[1] - 8.0).abs() < 1e-9); // (2x₀, 2x₁)
/// assert_eq!(x, array![3.0, 4.0]); // x is as it was
/// ```
// ANCHOR: numerical_gradient
pub fn numerical_gradient<F: Float, D: Dimension>(
    mut f: impl FnMut(&Array<F, D>) -> F,
    x: &mut Array<F, D>,
) -> Array<F, D> {
    let mut grad = Array::zeros(x.raw_dim());
    for index in indices_of(x) {
        let index = index.into_dimension();
        let partial = partial_derivative(&mut f, x, index.clone());
        grad[index] = partial;
    }
    grad
}
// ANCHOR_END: numerical_gradient

#[cfg(test)]
mod tests {
    use super::*;
    use ndarray::{Array2, Array3, ArrayD, IxDyn, array};

    #[test]
    fn gradient_of_a_quadratic_is_two_x() {
        let mut x = array![3.0_f64, 4.0];
        let grad = numerical_gradient(function_2, &mut x);
        assert!((grad[0] - 6.0).abs() < 1e-9 && (grad[1] - 8.0).abs() < 1e-9);
        let grad = numerical_gradient(function_2, &mut array![0.0_f64, 2.0]);
        assert!(grad[0].abs() < 1e-9 && (grad[1] - 4.0).abs() < 1e-9);
    }

    #[test]
    fn gradient_of_a_sum_of_squares_over_a_3d_array_is_two_x() {
        let x = Array3::from_shape_fn((2, 3, 4), |(i, j, k)| {
            i as f64 - 0.5 * j as f64 + 0.1 * k as f64
        });
        let grad = numerical_gradient(function_2, &mut x.clone());
        assert_eq!(grad.dim(), (2, 3, 4));
        for (g, xi) in grad.iter().zip(&x) {
            assert!((g - 2.0 * xi).abs() < 1e-9, "{g} vs 2·{xi}");
        }
    }

    #[test]
    fn gradient_works_on_a_dynamic_shape_and_leaves_x_unchanged() {
        let x = ArrayD::from_shape_fn(IxDyn(&[3, 1, 2]), |i| (i[0] + i[2]) as f64 * 0.7);
        let mut nudged = x.clone();
        let f = |x: &ArrayD<f64>| x.iter().map(|v| v.powi(3)).sum::<f64>(); // ∂/∂xᵢ = 3xᵢ²
        let grad = numerical_gradient(f, &mut nudged);
        assert_eq!(nudged, x);
        for (g, xi) in grad.iter().zip(&x) {
            assert!((g - 3.0 * xi * xi).abs() < 1e-7);
        }
    }

    #[test]
    fn gradient_of_a_linear_function_of_a_matrix_is_its_coefficients() {
        let a = array![[1.0_f64, -2.0, 0.5], [3.0, 0.0, -1.5]];
        let grad = numerical_gradient(|w| (&a * w).sum(), &mut Array2::zeros((2, 3)));
        for (g, ai) in grad.iter().zip(&a) {
            assert!((g - ai).abs() < 1e-10);
        }
    }

    #[test]
    fn each_loss_evaluation_sees_exactly_one_entry_nudged() {
        let x0 = array![[1.0_f64, 2.0], [3.0, 4.0]];
        let mut calls = 0;
        let counting = |x: &Array2<f64>| {
            calls += 1;
            let moved = x.iter().zip(&x0).filter(|(a, b)| a != b).count();
            assert_eq!(moved, 1, "{x}");
            x.sum()
        };
        numerical_gradient(counting, &mut x0.clone());
        assert_eq!(calls, 2 * x0.len()); // two evaluations per entry
    }
}
