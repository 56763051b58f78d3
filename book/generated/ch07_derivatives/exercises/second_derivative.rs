//! Exercise: the second derivative, by a central difference of central differences.

// ANCHOR: exercise
// ANCHOR: signature
/// Estimates the second derivative `f″(x)`, the slope of the slope:
///
/// ```text
/// f″(x) ≈ (f(x + h) − 2f(x) + f(x − h)) / h²
/// ```
pub fn numerical_diff2(f: impl Fn(f64) -> f64, x: f64, h: f64) -> f64 {
    // ANCHOR_END: signature
    // ANCHOR: solution
    todo!("exercise second_derivative")
    // ANCHOR_END: solution
}
// ANCHOR_END: exercise

#[cfg(test)]
mod tests {
    use super::numerical_diff2;
    use crate::two_x_squared;

    // ANCHOR: tests
    #[test]
    fn second_derivative_of_two_x_squared_is_four() {
        for x in [-1.0, 0.0, 3.0] {
            let d2 = numerical_diff2(two_x_squared, x, 1e-3);
            assert!((d2 - 4.0).abs() < 1e-6, "x = {x}: {d2}");
        }
    }

    #[test]
    fn a_step_of_1e_minus_8_is_ruined_by_rounding() {
        // Rounding error ≈ ε·|f| / h², which is about 1 when h = 10⁻⁸.
        let e = std::f64::consts::E;
        assert!((numerical_diff2(f64::exp, 1.0, 1e-4) - e).abs() < 1e-5);
        assert!((numerical_diff2(f64::exp, 1.0, 1e-8) - e).abs() > 1e-2);
    }
    // ANCHOR_END: tests

    #[test]
    fn second_derivative_of_sine_is_minus_sine() {
        let d2 = numerical_diff2(f64::sin, 1.0, 1e-3);
        assert!((d2 + 1f64.sin()).abs() < 1e-6, "{d2}");
    }
}
