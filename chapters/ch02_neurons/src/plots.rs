//! The chapter's figures, generic over the plotters backend (SVG for the book, inline in a
//! notebook).

use std::ops::Range;

use figures::{FigureResult, color, tick_label};
use plotters::coord::Shift;
use plotters::prelude::*;

use crate::neuron;

/// The weights of the one-input neurons in the "weight = slope" panel (all with bias 0).
pub const SLOPES: [f64; 4] = [-1.0, 0.5, 1.0, 2.0];
/// The biases of the one-input neurons in the "bias = offset" panel (all with weight 1).
pub const OFFSETS: [f64; 3] = [-2.0, 0.0, 2.0];

/// The inputs and outputs the one-input panels show.
const X_RANGE: Range<f64> = -2.0..2.0;
const Y_RANGE: Range<f64> = -5.0..5.0;

/// A legend label for the neuron `y = w·x + b`: `"w = 0.5, b = -2"`.
///
/// ```
/// assert_eq!(ch02_neurons::plots::line_label(0.5, -2.0), "w = 0.5, b = -2");
/// ```
pub fn line_label(w: f64, b: f64) -> String {
    format!("w = {}, b = {}", tick_label(&w), tick_label(&b))
}

/// Neurons with one input: the line `y = w·x + b` of each `(w, b)` in `lines`, with a dot where
/// it crosses the vertical axis, at height `b`.
pub fn draw_one_input_neurons<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    title: &str,
    lines: &[(f64, f64)],
) -> FigureResult
where
    DB::ErrorType: 'static,
{
    let mut chart = figures::chart(area, title).build_cartesian_2d(X_RANGE, Y_RANGE)?;
    figures::axes(&mut chart, "input x", "output y = w·x + b").draw()?;

    // The axes through the origin, in grey, so the offsets can be read off.
    let axis = BLACK.mix(0.35).stroke_width(1);
    chart.draw_series(LineSeries::new(
        [(X_RANGE.start, 0.0), (X_RANGE.end, 0.0)],
        axis,
    ))?;
    chart.draw_series(LineSeries::new(
        [(0.0, Y_RANGE.start), (0.0, Y_RANGE.end)],
        axis,
    ))?;

    for (i, &(w, b)) in lines.iter().enumerate() {
        let style = color(i).stroke_width(2);
        let ends = [X_RANGE.start, X_RANGE.end].map(|x| (x, neuron(&[x], &[w], b)));
        chart
            .draw_series(LineSeries::new(ends, style))?
            .label(line_label(w, b))
            .legend(figures::line_key(style));
        chart.draw_series([Circle::new((0.0, b), 5, color(i).filled())])?;
    }
    figures::legend(&mut chart, SeriesLabelPosition::UpperLeft)
}

/// Two panels: one-input neurons that differ only in their weight (the slope), and ones that
/// differ only in their bias (the offset).
pub fn draw_weight_and_bias<DB: DrawingBackend>(area: &DrawingArea<DB, Shift>) -> FigureResult
where
    DB::ErrorType: 'static,
{
    let panels = area.split_evenly((1, 2));
    let slopes = SLOPES.map(|w| (w, 0.0));
    let offsets = OFFSETS.map(|b| (1.0, b));
    draw_one_input_neurons(&panels[0], "The weight sets the slope (b = 0)", &slopes)?;
    draw_one_input_neurons(&panels[1], "The bias shifts the line (w = 1)", &offsets)?;
    Ok(())
}

/// One floating bar of a [`layer_waterfall`]: where it starts and ends, and which term it is
/// (`0..n` the products `xᵢwᵢ`, `n` the bias, `n + 1` the output).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Step {
    pub from: f64,
    pub to: f64,
    pub term: usize,
}

/// A layer's outputs built up term by term: for each neuron, a bar for each product `xᵢwᵢ`
/// and for the bias, each starting where the previous one ended, then a bar from 0 to the
/// neuron's output. The output bar ends where the last term ended.
///
/// ```
/// use ch02_neurons::plots::layer_waterfall;
/// let bars = layer_waterfall(&[1.0, 2.0], &[[3.0, -1.0]], &[0.5]);
/// let ends: Vec<f64> = bars[0].iter().map(|step| step.to).collect();
/// assert_eq!(ends, [3.0, 1.0, 1.5, 1.5]); // 1·3, then 2·(−1), then the bias, then y
/// ```
///
/// # Panics
///
/// If there are not as many biases as rows of weights.
pub fn layer_waterfall<const N: usize>(
    inputs: &[f64; N],
    weights: &[[f64; N]],
    biases: &[f64],
) -> Vec<Vec<Step>> {
    let outputs = crate::layer(inputs, weights, biases);
    let mut bars = Vec::new();
    for ((row, &bias), &y) in weights.iter().zip(biases).zip(&outputs) {
        let terms = inputs.iter().zip(row).map(|(x, w)| x * w).chain([bias]);
        let mut sum = 0.0;
        let mut steps = Vec::new();
        for (term, value) in terms.enumerate() {
            steps.push(Step {
                from: sum,
                to: sum + value,
                term,
            });
            sum += value;
        }
        steps.push(Step {
            from: 0.0,
            to: y,
            term: N + 1,
        });
        bars.push(steps);
    }
    bars
}

/// A layer as its neurons' sums: [`layer_waterfall`] drawn as floating bars, one group per
/// neuron.
pub fn draw_layer_sums<DB: DrawingBackend, const N: usize>(
    area: &DrawingArea<DB, Shift>,
    inputs: &[f64; N],
    weights: &[[f64; N]],
    biases: &[f64],
) -> FigureResult
where
    DB::ErrorType: 'static,
{
    let bars = layer_waterfall(inputs, weights, biases);
    let ends = bars.iter().flatten().flat_map(|s| [s.from, s.to]);
    let (lo, hi) = ends.fold((0.0_f64, 0.0_f64), |(lo, hi), v| (lo.min(v), hi.max(v)));
    let margin = 0.08 * (hi - lo);
    let y_range = lo - margin..hi + 3.0 * margin; // room for the legend above the bars

    let neurons = bars.len() as f64;
    let title = format!(
        "A layer of {} neurons: inputs·weights + bias, term by term",
        bars.len()
    );
    let mut chart = figures::chart(area, &title).build_cartesian_2d(0.0..neurons, y_range)?;
    // A group of bars per neuron, labelled at its middle (x = 0.5, 1.5, …).
    let group_label = |x: &f64| {
        let middle = x.fract() - 0.5;
        if middle.abs() < 1e-9 {
            format!("neuron {}", x.floor() + 1.0)
        } else {
            String::new()
        }
    };
    figures::axes(&mut chart, "the neurons of the layer", "running sum")
        .x_labels(2 * bars.len() + 1)
        .x_label_formatter(&group_label)
        .disable_x_mesh()
        .draw()?;
    chart.draw_series(LineSeries::new(
        [(0.0, 0.0), (neurons, 0.0)],
        BLACK.mix(0.35).stroke_width(1),
    ))?;

    // Each group: N + 2 bars of width 1/(N + 4), with a bar's width of space on each side.
    let slots = (N + 4) as f64;
    let names: Vec<String> = (1..=N)
        .map(|i| format!("x{}·w{}", subscript(i), subscript(i)))
        .chain(["bias b".to_string(), "output y".to_string()])
        .collect();
    for (term, name) in names.iter().enumerate() {
        let fill = term_color(term, N).filled();
        let rectangles = bars.iter().enumerate().map(|(j, steps)| {
            let step = steps[term];
            let left = j as f64 + (term as f64 + 1.0) / slots;
            let right = left + 0.85 / slots;
            Rectangle::new([(left, step.from), (right, step.to)], fill)
        });
        chart
            .draw_series(rectangles.collect::<Vec<_>>())?
            .label(name.as_str())
            .legend(move |(x, y)| Rectangle::new([(x, y - 6), (x + 14, y + 6)], fill));
    }
    figures::legend(&mut chart, SeriesLabelPosition::UpperRight)
}

/// The colour of a term of [`layer_waterfall`]: the palette for the products and the bias,
/// black for the output.
fn term_color(term: usize, inputs: usize) -> RGBColor {
    if term == inputs + 1 {
        BLACK
    } else {
        color(term)
    }
}

/// `i` written as a subscript: 12 → "₁₂".
fn subscript(i: usize) -> String {
    i.to_string()
        .chars()
        .map(|c| char::from_u32('₀' as u32 + c.to_digit(10).unwrap_or(0)).unwrap_or(c))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{INPUTS, LAYER_BIASES, LAYER_WEIGHTS, layer};

    #[test]
    fn every_waterfall_ends_at_the_neurons_output() {
        let bars = layer_waterfall(&INPUTS, &LAYER_WEIGHTS, &LAYER_BIASES);
        let outputs = layer(&INPUTS, &LAYER_WEIGHTS, &LAYER_BIASES);
        assert_eq!(bars.len(), 3);
        for (steps, y) in bars.iter().zip(outputs) {
            assert_eq!(steps.len(), 6);
            let last_term = steps[4];
            let output = steps[5];
            assert!((last_term.to - y).abs() < 1e-12);
            assert_eq!((output.from, output.to), (0.0, y));
            for pair in steps[..5].windows(2) {
                assert_eq!(pair[0].to, pair[1].from);
            }
        }
    }

    #[test]
    fn subscripts_are_digits_below_the_line() {
        assert_eq!(subscript(3), "₃");
        assert_eq!(subscript(12), "₁₂");
    }
}
