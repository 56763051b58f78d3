//! Exercise: the five-point stencil, a derivative whose error shrinks like h⁴.

// ANCHOR: exercise
// ANCHOR: signature
/// Estimates `f′(x)` from four points around `x`:
///
/// ```text
/// f′(x) ≈ (−f(x + 2h) + 8f(x + h) − 8f(x − h) + f(x − 2h)) / 12h
/// ```
pub fn five_point_diff(f: impl Fn(f64) -> f64, x: f64, h: f64) -> f64 {
    // ANCHOR_END: signature
    // ANCHOR: solution
    let near = f(x + h) - f(x - h);
    let far = f(x + 2.0 * h) - f(x - 2.0 * h);
    (8.0 * near - far) / (12.0 * h)
    // ANCHOR_END: solution
}
// ANCHOR_END: exercise

#[cfg(test)]
mod tests {
    use super::five_point_diff;
    use crate::numerical_diff;
    use std::f64::consts::E;

    // ANCHOR: tests
    #[test]
    fn exact_on_a_polynomial_of_degree_four() {
        let d = five_point_diff(|x| x.powi(4) - 3.0 * x.powi(3), 2.0, 0.1);
        assert!((d + 4.0).abs() < 1e-12, "{d}"); // 4·2³ − 9·2² = 32 − 36
    }

    #[test]
    fn error_shrinks_ten_thousandfold_when_h_shrinks_tenfold() {
        let error = |h: f64| (five_point_diff(f64::exp, 1.0, h) - E).abs();
        let ratio = error(1e-1) / error(1e-2);
        assert!((5e3..2e4).contains(&ratio), "ratio {ratio}");
    }
    // ANCHOR_END: tests

    #[test]
    fn beats_the_central_difference_at_the_same_step() {
        let five_point = (five_point_diff(f64::exp, 1.0, 1e-2) - E).abs();
        let central = (numerical_diff(f64::exp, 1.0, 1e-2) - E).abs();
        assert!(five_point < central / 1000.0);
    }
}
