//! # Derivatives
//!
//! The derivative of a function at a point is the slope of the curve there. A straight line
//! has one slope everywhere; a curve has a different one at each point, which we approach with
//! the slope of a secant through two nearby points. Computers make "nearby" tricky: shrink the
//! step too little and the secant is the wrong line (truncation error), shrink it too much and
//! rounding eats the difference (rounding error). This chapter measures both, in `f64` and in
//! `f32`, for the forward and the central difference, and draws tangent lines with the result.
//!
//! Run the chapter: `cargo run -p ch07_derivatives` (slopes, secant tables, the error against
//! the step, and four figures in `target/figures/ch07_derivatives/`).

pub mod exercises;
pub mod plots;

use ch03_layers::{Float, float};

/// The slope of the straight line through two points: rise over run.
///
/// ```text
/// slope = Δy / Δx = (y₂ − y₁) / (x₂ − x₁)
/// ```
///
/// NumPy (nnfs): `(y[1] - y[0]) / (x[1] - x[0])`.
///
/// On the line y = 2x + 1 every pair of points gives the same slope:
///
/// ```
/// use ch07_derivatives::slope;
/// assert_eq!(slope((0.0, 1.0), (1.0, 3.0)), 2.0);
/// assert_eq!(slope((-2.0, -3.0), (4.0, 9.0)), 2.0);
/// ```
// ANCHOR: slope
pub fn slope<F: Float>((x1, y1): (F, F), (x2, y2): (F, F)) -> F {
    (y2 - y1) / (x2 - x1)
}
// ANCHOR_END: slope

/// A straight line `y = slope · x + intercept`.
// ANCHOR: line
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Line<F> {
    pub slope: F,
    pub intercept: F,
}
// ANCHOR_END: line

impl<F: Float> Line<F> {
    /// The line through two points: its slope is rise over run, and its intercept makes it
    /// pass through the second point (nnfs: `b = y2 - approximate_derivative*x2`).
    ///
    /// ```text
    /// b = y₂ − slope · x₂
    /// ```
    ///
    /// ```
    /// use ch07_derivatives::Line;
    /// let line = Line::through((0.0, 1.0), (1.0, 3.0));
    /// assert_eq!(line, Line { slope: 2.0, intercept: 1.0 }); // y = 2x + 1
    /// ```
    // ANCHOR: line_through
    pub fn through(p: (F, F), q: (F, F)) -> Self {
        let slope = slope(p, q);
        let (x2, y2) = q;
        Line {
            slope,
            intercept: y2 - slope * x2,
        }
    }
    // ANCHOR_END: line_through

    /// The height of the line at `x`.
    ///
    /// ```
    /// use ch07_derivatives::Line;
    /// let line = Line { slope: 2.0, intercept: 1.0 };
    /// assert_eq!(line.at(4.0), 9.0);
    /// ```
    pub fn at(&self, x: F) -> F {
        self.slope * x + self.intercept
    }
}

/// The curve of nnfs's chapter on derivatives, `f(x) = 2x²`.
///
/// ```
/// assert_eq!(ch07_derivatives::two_x_squared(3.0), 18.0);
/// ```
// ANCHOR: two_x_squared
pub fn two_x_squared<F: Float>(x: F) -> F {
    float::<F>(2.0) * x.powi(2)
}
// ANCHOR_END: two_x_squared

/// The exact derivative of `2x²`, from the power rule: `f′(x) = 4x`.
// ANCHOR: two_x_squared_derivative
pub fn two_x_squared_derivative<F: Float>(x: F) -> F {
    float::<F>(4.0) * x
}
// ANCHOR_END: two_x_squared_derivative

/// The curve of *Deep Learning from Scratch* §4.3.2, `f(x) = 0.01x² + 0.1x`.
///
/// Python: `0.01*x**2 + 0.1*x` (written the same way here, so the rounding is the same).
///
/// ```
/// let y: f64 = ch07_derivatives::function_1(10.0);
/// assert!((y - 2.0).abs() < 1e-15); // 1 + 1
/// ```
// ANCHOR: function_1
pub fn function_1<F: Float>(x: F) -> F {
    float::<F>(0.01) * x.powi(2) + float::<F>(0.1) * x
}
// ANCHOR_END: function_1

/// The exact derivative of `function_1`: `f′(x) = 0.02x + 0.1`.
///
/// ```
/// use ch07_derivatives::function_1_derivative;
/// assert!((function_1_derivative(5.0f64) - 0.2).abs() < 1e-15);
/// assert!((function_1_derivative(10.0f64) - 0.3).abs() < 1e-15);
/// ```
// ANCHOR: function_1_derivative
pub fn function_1_derivative<F: Float>(x: F) -> F {
    float::<F>(0.02) * x + float::<F>(0.1)
}
// ANCHOR_END: function_1_derivative

/// The forward difference: the slope of the secant from `x` to `x + h`, an estimate of the
/// derivative `f′(x)` whose error shrinks in proportion to `h`.
///
/// ```text
/// f′(x) ≈ (f(x + h) − f(x)) / h        error ≈ (h/2)·f″(x) = O(h)
/// ```
///
/// Python (DLFS, its first try): `(f(x + h) - f(x)) / h`.
///
/// For `2x²` at `x = 1` the secant slope is exactly `4 + 2h`:
///
/// ```
/// use ch07_derivatives::{numerical_diff_forward, two_x_squared};
/// let d = numerical_diff_forward(two_x_squared, 1.0, 0.5);
/// assert_eq!(d, 5.0); // (2·1.5² − 2·1²) / 0.5 = (4.5 − 2) / 0.5
/// ```
// ANCHOR: numerical_diff_forward
pub fn numerical_diff_forward<F: Float>(f: impl Fn(F) -> F, x: F, h: F) -> F {
    (f(x + h) - f(x)) / h
}
// ANCHOR_END: numerical_diff_forward

/// The step *Deep Learning from Scratch* uses for numerical derivatives, `h = 10⁻⁴`.
pub const DEFAULT_H: f64 = 1e-4;

/// The central difference: the slope of the secant from `x − h` to `x + h`, an estimate of
/// `f′(x)` whose error shrinks in proportion to `h²`.
///
/// ```text
/// f′(x) ≈ (f(x + h) − f(x − h)) / 2h        error ≈ (h²/6)·f‴(x) = O(h²)
/// ```
///
/// Python (DLFS): `(f(x+h) - f(x-h)) / (2*h)`, with `h = 1e-4` ([`DEFAULT_H`]).
///
/// On a parabola the central difference has no truncation error at all, so only rounding is
/// left:
///
/// ```
/// use ch07_derivatives::{function_1, numerical_diff, DEFAULT_H};
/// let d = numerical_diff(function_1, 5.0, DEFAULT_H);
/// assert!((d - 0.2).abs() < 1e-11); // exact: 0.02·5 + 0.1
/// ```
// ANCHOR: numerical_diff
pub fn numerical_diff<F: Float>(f: impl Fn(F) -> F, x: F, h: F) -> F {
    (f(x + h) - f(x - h)) / (float::<F>(2.0) * h)
}
// ANCHOR_END: numerical_diff

/// The tangent line of `f` at `x`: the line through `(x, f(x))` whose slope is the derivative
/// there, estimated by [`numerical_diff`] with [`DEFAULT_H`].
///
/// ```text
/// d = f′(x),   y(t) = d·t + (f(x) − d·x)
/// ```
///
/// Python (DLFS): `d = numerical_diff(f, x); y = f(x) - d*x; return lambda t: d*t + y`.
///
/// ```
/// use ch07_derivatives::{function_1, tangent_line};
/// let tangent = tangent_line(function_1::<f64>, 5.0);
/// assert!((tangent.slope - 0.2).abs() < 1e-9);
/// assert!((tangent.intercept + 0.25).abs() < 1e-9); // f(5) = 0.75 = 0.2·5 − 0.25
/// assert!((tangent.at(5.0) - function_1(5.0)).abs() < 1e-12); // it touches the curve
/// ```
// ANCHOR: tangent_line
pub fn tangent_line<F: Float>(f: impl Fn(F) -> F, x: F) -> Line<F> {
    let d = numerical_diff(&f, x, float::<F>(DEFAULT_H));
    Line {
        slope: d,
        intercept: f(x) - d * x,
    }
}
// ANCHOR_END: tangent_line

/// Which secant estimates the derivative: `Forward`, [`numerical_diff_forward`], from `x` to
/// `x + h`; `Central`, [`numerical_diff`], from `x − h` to `x + h`.
// ANCHOR: difference
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Difference {
    Forward,
    Central,
}
// ANCHOR_END: difference

impl Difference {
    /// The estimate of `f′(x)` with step `h`.
    // ANCHOR: difference_diff
    pub fn diff<F: Float>(self, f: impl Fn(F) -> F, x: F, h: F) -> F {
        match self {
            Difference::Forward => numerical_diff_forward(f, x, h),
            Difference::Central => numerical_diff(f, x, h),
        }
    }
    // ANCHOR_END: difference_diff

    /// The lowercase name, for tables and legends.
    pub fn name(self) -> &'static str {
        match self {
            Difference::Forward => "forward",
            Difference::Central => "central",
        }
    }

    /// The step that balances truncation against rounding error, up to a factor that depends
    /// on the function: `√ε` for the forward difference, `∛ε` for the central one, where `ε` is
    /// the machine epsilon of the float type.
    ///
    /// ```text
    /// forward: (h/2)|f″| + ε|f|/h      is smallest near h = √ε
    /// central: (h²/6)|f‴| + ε|f|/2h    is smallest near h = ∛ε
    /// ```
    ///
    /// ```
    /// use ch07_derivatives::Difference;
    /// let h = Difference::Forward.optimal_step(f64::EPSILON);
    /// assert!((h - 1.49e-8).abs() < 1e-10); // √(2.2·10⁻¹⁶)
    /// let h = Difference::Central.optimal_step(f64::EPSILON);
    /// assert!((h - 6.06e-6).abs() < 1e-8); // ∛(2.2·10⁻¹⁶)
    /// ```
    pub fn optimal_step(self, epsilon: f64) -> f64 {
        match self {
            Difference::Forward => epsilon.sqrt(),
            Difference::Central => epsilon.cbrt(),
        }
    }
}

/// Steps from `10^from` down to `10^to`, `per_decade` of them in each factor of ten, evenly
/// spaced on a logarithmic axis.
///
/// ```
/// let steps = ch07_derivatives::log_steps(-1, -3, 2);
/// let expected = [1e-1, 10f64.powf(-1.5), 1e-2, 10f64.powf(-2.5), 1e-3];
/// assert_eq!(steps.len(), expected.len());
/// assert!(steps.iter().zip(expected).all(|(a, b)| (a / b - 1.0).abs() < 1e-12));
/// ```
///
/// # Panics
///
/// If `from < to` (the steps go down) or `per_decade` is 0.
pub fn log_steps(from: i32, to: i32, per_decade: u32) -> Vec<f64> {
    assert!(from >= to, "steps go down: from 10^{from} to 10^{to}?");
    assert!(per_decade > 0, "at least one step per decade");
    let count = (from - to) as u32 * per_decade;
    (0..=count)
        .map(|i| 10f64.powf(f64::from(from) - f64::from(i) / f64::from(per_decade)))
        .collect()
}

/// How far an estimate of a derivative lands from the exact value, for every step `h`:
/// `difference` made the estimates, in the float type named by `precision` (`"f64"` or
/// `"f32"`), and `points` holds `(h, |estimate − exact|)`, in the order of the steps.
// ANCHOR: error_curve
#[derive(Debug, Clone, PartialEq)]
pub struct ErrorCurve {
    pub difference: Difference,
    pub precision: &'static str,
    pub points: Vec<(f64, f64)>,
}
// ANCHOR_END: error_curve

impl ErrorCurve {
    /// Estimates `f′(x)` in the float type `F` with each step `h` (rounded to `F`), and
    /// measures the error against `exact` in `f64`.
    ///
    /// ```text
    /// error(h) = |D_h f(x) − f′(x)|
    /// ```
    ///
    /// ```
    /// use ch07_derivatives::{Difference, ErrorCurve};
    /// let curve =
    ///     ErrorCurve::measure::<f64>(Difference::Forward, |x| x * x, 1.0, 2.0, &[0.1, 0.01]);
    /// // (1.1² − 1) / 0.1 = 2.1 and (1.01² − 1) / 0.01 = 2.01: errors h, up to rounding.
    /// assert!((curve.points[0].1 - 0.1).abs() < 1e-12);
    /// assert!((curve.points[1].1 - 0.01).abs() < 1e-12);
    /// assert_eq!(curve.precision, "f64");
    /// ```
    // ANCHOR: measure
    pub fn measure<F: Float>(
        difference: Difference,
        f: impl Fn(F) -> F,
        x: f64,
        exact: f64,
        steps: &[f64],
    ) -> Self {
        let mut points = Vec::new();
        for &h in steps {
            let estimate = difference.diff(&f, float::<F>(x), float::<F>(h));
            let estimate = estimate.to_f64().expect("a float converts to f64");
            points.push((h, (estimate - exact).abs()));
        }
        let precision = std::any::type_name::<F>(); // "f64" or "f32"
        ErrorCurve {
            difference,
            precision,
            points,
        }
    }
    // ANCHOR_END: measure

    /// The step with the smallest error, and that error.
    ///
    /// # Panics
    ///
    /// If the curve has no points.
    // ANCHOR: best
    pub fn best(&self) -> (f64, f64) {
        let mut best = self.points[0];
        for &(h, error) in &self.points {
            if error < best.1 {
                best = (h, error);
            }
        }
        best
    }
    // ANCHOR_END: best
    /// The error at the step closest to `h` (on a logarithmic scale).
    ///
    /// # Panics
    ///
    /// If the curve has no points.
    pub fn error_at(&self, h: f64) -> f64 {
        self.points
            .iter()
            .min_by(|a, b| (a.0 / h).ln().abs().total_cmp(&(b.0 / h).ln().abs()))
            .expect("an error curve has at least one point")
            .1
    }

    /// The machine epsilon of the curve's float type.
    pub fn epsilon(&self) -> f64 {
        match self.precision {
            "f32" => f64::from(f32::EPSILON),
            _ => f64::EPSILON,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The curve the error study uses: eˣ, whose every derivative is eˣ.
    fn exp_error(difference: Difference, h: f64) -> f64 {
        let e = std::f64::consts::E;
        (difference.diff(f64::exp, 1.0, h) - e).abs()
    }

    #[test]
    fn a_straight_line_has_the_same_slope_everywhere() {
        let line = |x: f64| 2.0 * x + 1.0;
        for (a, b) in [(0.0, 1.0), (-3.0, 5.0), (2.5, 2.75)] {
            assert!((slope((a, line(a)), (b, line(b))) - 2.0).abs() < 1e-12);
        }
    }

    #[test]
    fn secant_slopes_of_two_x_squared_at_one_are_four_plus_two_h() {
        for h in [1.0f64, 0.1, 0.01, 0.001] {
            let secant = numerical_diff_forward(two_x_squared, 1.0, h);
            assert!((secant - (4.0 + 2.0 * h)).abs() < 1e-9, "h = {h}");
        }
    }

    #[test]
    fn line_through_two_points_passes_through_both() {
        let line = Line::<f64>::through((1.0, 2.0), (3.0, -4.0));
        assert!((line.at(1.0) - 2.0).abs() < 1e-12);
        assert!((line.at(3.0) + 4.0).abs() < 1e-12);
    }

    #[test]
    fn forward_error_shrinks_tenfold_when_h_shrinks_tenfold() {
        for h in [1e-2, 1e-3, 1e-4] {
            let ratio =
                exp_error(Difference::Forward, h) / exp_error(Difference::Forward, h / 10.0);
            assert!((8.0..12.0).contains(&ratio), "h = {h}: ratio {ratio}");
        }
    }

    #[test]
    fn central_error_shrinks_hundredfold_when_h_shrinks_tenfold() {
        for h in [1e-1, 1e-2, 1e-3] {
            let ratio =
                exp_error(Difference::Central, h) / exp_error(Difference::Central, h / 10.0);
            assert!((80.0..120.0).contains(&ratio), "h = {h}: ratio {ratio}");
        }
    }

    #[test]
    fn forward_truncation_error_is_half_h_times_the_second_derivative() {
        let h = 1e-4;
        let predicted = h / 2.0 * std::f64::consts::E;
        let measured = exp_error(Difference::Forward, h);
        assert!(
            (measured / predicted - 1.0).abs() < 1e-3,
            "{measured} vs {predicted}"
        );
    }

    #[test]
    fn central_truncation_error_is_h_squared_over_six_times_the_third_derivative() {
        let h = 1e-3;
        let predicted = h * h / 6.0 * std::f64::consts::E;
        let measured = exp_error(Difference::Central, h);
        assert!(
            (measured / predicted - 1.0).abs() < 1e-3,
            "{measured} vs {predicted}"
        );
    }

    #[test]
    fn central_difference_is_exact_on_a_parabola_up_to_rounding() {
        for x in [5.0f64, 10.0] {
            for h in [1.0, 0.1, 1e-2] {
                let error = (numerical_diff(function_1, x, h) - function_1_derivative(x)).abs();
                assert!(error < 1e-13, "x = {x}, h = {h}: error {error}");
            }
        }
    }

    #[test]
    fn rounding_error_grows_when_h_shrinks_far_enough() {
        // Below the best step, shrinking h by 10⁴ makes the error far larger, not smaller.
        for difference in [Difference::Forward, Difference::Central] {
            assert!(exp_error(difference, 1e-13) > 100.0 * exp_error(difference, 1e-9));
        }
    }

    #[test]
    fn the_best_measured_step_is_near_the_theory() {
        let steps = log_steps(-1, -16, 8);
        let e = std::f64::consts::E;
        for difference in [Difference::Forward, Difference::Central] {
            let curves = [
                ErrorCurve::measure::<f64>(difference, f64::exp, 1.0, e, &steps),
                ErrorCurve::measure::<f32>(difference, f32::exp, 1.0, e, &steps),
            ];
            for curve in curves {
                let (best, _) = curve.best();
                let theory = difference.optimal_step(curve.epsilon());
                let factor = (best / theory).max(theory / best);
                assert!(
                    factor < 10.0,
                    "{} {}: best h {best:e}, theory {theory:e}",
                    difference.name(),
                    curve.precision
                );
            }
        }
    }

    #[test]
    fn a_step_below_the_spacing_of_floats_vanishes() {
        assert_eq!(1e-50f32, 0.0);
        assert_eq!(5.0 + 1e-50, 5.0);
        assert_eq!(numerical_diff_forward(function_1::<f64>, 5.0, 1e-50), 0.0);
        assert!(numerical_diff_forward(function_1::<f32>, 5.0, 1e-50f32).is_nan());
        // 0 / 0
    }

    #[test]
    fn tangent_line_touches_the_curve_with_the_derivatives_slope() {
        for x in [0.0, 1.0, 2.5, 4.0] {
            let tangent = tangent_line(two_x_squared::<f64>, x);
            assert!((tangent.at(x) - two_x_squared(x)).abs() < 1e-9);
            assert!((tangent.slope - two_x_squared_derivative(x)).abs() < 1e-9);
        }
        let tangent = tangent_line(function_1::<f64>, 10.0);
        assert!((tangent.slope - 0.3).abs() < 1e-9);
        assert!((tangent.intercept + 1.0).abs() < 1e-9);
    }

    #[test]
    fn a_parabola_lies_above_its_tangents() {
        let tangent = tangent_line(two_x_squared::<f64>, 1.0);
        for x in [-1.0, 0.0, 0.5, 1.5, 3.0] {
            assert!(two_x_squared(x) >= tangent.at(x) - 1e-9);
        }
    }

    #[test]
    fn error_at_picks_the_nearest_step() {
        let curve = ErrorCurve {
            difference: Difference::Central,
            precision: "f64",
            points: vec![(1e-2, 3.0), (1e-3, 2.0), (1e-4, 1.0)],
        };
        assert_eq!(curve.error_at(1.1e-3), 2.0);
        assert_eq!(curve.best(), (1e-4, 1.0));
    }

    #[test]
    #[should_panic(expected = "steps go down")]
    fn log_steps_refuse_to_go_up() {
        log_steps(-3, -1, 4);
    }
}
