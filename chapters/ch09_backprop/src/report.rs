//! How the chapter's program prints its numbers: small matrices and the rows of a
//! gradient-check table (counts and scientific notation print as in the gradients chapter:
//! `ch08_gradients::{thousands, sci}`).

use ch08_gradients::sci;
use ndarray::ArrayRef2;

use crate::Difference;

/// A matrix, one row per line, each entry to two decimals, with `name` before the first row.
///
/// ```
/// use ndarray::array;
/// let text = ch09_backprop::report::matrix("W", &array![[0.1, 2.0], [-3.0, 0.25]]);
/// assert_eq!(text, "W     [  0.10   2.00]\n      [ -3.00   0.25]");
/// ```
pub fn matrix(name: &str, m: &ArrayRef2<f64>) -> String {
    let lines: Vec<String> = m
        .rows()
        .into_iter()
        .enumerate()
        .map(|(i, row)| {
            let label = if i == 0 { name } else { "" };
            let cells: Vec<String> = row.iter().map(|v| format!("{v:>6.2}")).collect();
            format!("{label:<5} [{}]", cells.join(" "))
        })
        .collect();
    lines.join("\n")
}

/// The heading of a gradient-check table whose first column is `first`.
///
/// ```
/// let heading = ch09_backprop::report::check_header("parameter");
/// assert!(heading.starts_with("parameter") && heading.ends_with("mean |grad|"));
/// ```
pub fn check_header(first: &str) -> String {
    format!(
        "{first:<18} {:>10} {:>11} {:>11}",
        "max |diff|", "mean |diff|", "mean |grad|"
    )
}

/// One row of a gradient-check table, each number in scientific notation with one decimal.
///
/// ```
/// use ch09_backprop::{report::check_row, Difference};
/// let d = Difference { max: 2e-10, mean: 5e-11, scale: 0.3 };
/// assert_eq!(check_row("W1", &d), "W1                    2.0e-10     5.0e-11     3.0e-01");
/// ```
pub fn check_row(what: &str, d: &Difference) -> String {
    format!(
        "{what:<18} {:>10} {:>11} {:>11}",
        sci(d.max, 1),
        sci(d.mean, 1),
        sci(d.scale, 1)
    )
}
