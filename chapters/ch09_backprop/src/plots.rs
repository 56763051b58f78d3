//! The chapter's figures, generic over the plotters backend (SVG for the book, inline in a
//! notebook).

use ch03_layers::Float;
use figures::{
    FigureResult, LABEL_FONT, LineChart, Series, TITLE_FONT, color, line_chart, log_log_chart,
    tick_label,
};
use ndarray::Array2;
use plotters::coord::Shift;
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, Pos, VPos};

use crate::{AddLayer, EpochAccuracy, MulLayer};

/// A point of the graph figure, in pixels.
type Pixel = (i32, i32);

/// The radius of a node of the graph figure, in pixels.
const NODE_RADIUS: i32 = 24;

/// Draws `text` at `at`, placed by `pos` (centred, or ending or starting there).
fn label<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    text: &str,
    at: Pixel,
    pos: Pos,
    font: (&str, u32),
    colour: &RGBColor,
) -> FigureResult
where
    DB::ErrorType: 'static,
{
    let style = font.into_font().color(colour).pos(pos);
    area.draw(&Text::new(text.to_string(), at, style))?;
    Ok(())
}

/// Draws text centred on `at`.
fn centred<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    text: &str,
    at: Pixel,
    font: (&str, u32),
    colour: &RGBColor,
) -> FigureResult
where
    DB::ErrorType: 'static,
{
    label(
        area,
        text,
        at,
        Pos::new(HPos::Center, VPos::Center),
        font,
        colour,
    )
}

/// An arrow from `from` to `to` (stopping short of a node there if `into_node`), its forward
/// value written above it (left of it, if it runs upwards) and its backward value below (right).
fn edge<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    (from, to, into_node): (Pixel, Pixel, bool),
    forward: &str,
    backward: &str,
) -> FigureResult
where
    DB::ErrorType: 'static,
{
    let (dx, dy) = ((to.0 - from.0) as f64, (to.1 - from.1) as f64);
    let length = (dx * dx + dy * dy).sqrt();
    let (ux, uy) = (dx / length, dy / length);
    let stop = if into_node {
        f64::from(NODE_RADIUS)
    } else {
        0.0
    };
    let tip = (to.0 - (ux * stop) as i32, to.1 - (uy * stop) as i32);
    area.draw(&PathElement::new(vec![from, tip], BLACK.stroke_width(2)))?;
    let back = |along: f64, across: f64| {
        (
            tip.0 - (ux * along - uy * across) as i32,
            tip.1 - (uy * along + ux * across) as i32,
        )
    };
    area.draw(&Polygon::new(
        vec![tip, back(12.0, 6.0), back(12.0, -6.0)],
        BLACK.filled(),
    ))?;
    let middle = ((from.0 + tip.0) / 2, (from.1 + tip.1) / 2);
    let (font, ink) = (LABEL_FONT, color(1));
    if uy.abs() > 0.9 {
        // a vertical edge: forward on the left, backward on the right
        let left = Pos::new(HPos::Right, VPos::Center);
        let right = Pos::new(HPos::Left, VPos::Center);
        label(area, forward, (middle.0 - 8, middle.1), left, font, &BLACK)?;
        label(area, backward, (middle.0 + 8, middle.1), right, font, &ink)
    } else {
        // the normal that points up the page: forward above the edge, backward below
        let (nx, ny) = if ux >= 0.0 { (uy, -ux) } else { (-uy, ux) };
        let at = |side: f64| {
            (
                middle.0 + (side * 17.0 * nx) as i32,
                middle.1 + (side * 17.0 * ny) as i32,
            )
        };
        centred(area, forward, at(1.0), font, &BLACK)?;
        centred(area, backward, at(-1.0), font, &ink)
    }
}

/// A node of the graph: a circle with its operation inside.
fn node<DB: DrawingBackend>(area: &DrawingArea<DB, Shift>, at: Pixel, op: &str) -> FigureResult
where
    DB::ErrorType: 'static,
{
    area.draw(&Circle::new(at, NODE_RADIUS, WHITE.filled()))?;
    area.draw(&Circle::new(at, NODE_RADIUS, BLACK.stroke_width(2)))?;
    centred(area, op, at, TITLE_FONT, &BLACK)
}

/// Formats a number of the graph for its label: at most two decimals, no trailing zeros.
fn short(v: f64) -> String {
    tick_label(&((v * 100.0).round() / 100.0))
}

/// The apple-and-orange graph: forward values above each edge (black), backward values below
/// (vermillion), the output's derivative starting at 1 on the right.
pub fn draw_graph<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    apple: f64,
    apple_num: f64,
    orange: f64,
    orange_num: f64,
    tax: f64,
) -> FigureResult
where
    DB::ErrorType: 'static,
{
    // The same nodes as buy_fruit, run here to read every intermediate value.
    let (mut mul_apple, mut mul_orange, mut add, mut mul_tax) = (
        MulLayer::default(),
        MulLayer::default(),
        AddLayer,
        MulLayer::default(),
    );
    let apple_price = mul_apple.forward(apple, apple_num);
    let orange_price = mul_orange.forward(orange, orange_num);
    let all_price = add.forward(apple_price, orange_price);
    let price = mul_tax.forward(all_price, tax);
    let (d_all, d_tax) = mul_tax.backward(1.0);
    let (d_apple_price, d_orange_price) = add.backward(d_all);
    let (d_apple, d_apple_num) = mul_apple.backward(d_apple_price);
    let (d_orange, d_orange_num) = mul_orange.backward(d_orange_price);

    let title = "Apples and oranges: forward values above, backward values below";
    centred(area, title, (450, 24), TITLE_FONT, &BLACK)?;
    let (mul_a, mul_o, plus, times) = ((300, 120), (300, 290), (500, 205), (690, 205));
    let start = Pos::new(HPos::Right, VPos::Center);
    for (name, y) in [("apple", mul_a.1), ("orange", mul_o.1)] {
        label(area, name, (92, y), start, LABEL_FONT, &BLACK)?;
    }
    edge(
        area,
        ((100, mul_a.1), mul_a, true),
        &short(apple),
        &short(d_apple),
    )?;
    edge(
        area,
        ((100, mul_o.1), mul_o, true),
        &short(orange),
        &short(d_orange),
    )?;
    // the counts and the tax come in from below
    let below = |(x, y): Pixel, name: &str, value: f64, derivative: f64| -> FigureResult {
        centred(area, name, (x, y + 125), LABEL_FONT, &BLACK)?;
        edge(
            area,
            ((x, y + 110), (x, y), true),
            &short(value),
            &short(derivative),
        )
    };
    below(mul_a, "apple_num", apple_num, d_apple_num)?;
    below(mul_o, "orange_num", orange_num, d_orange_num)?;
    edge(
        area,
        (mul_a, plus, true),
        &short(apple_price),
        &short(d_apple_price),
    )?;
    edge(
        area,
        (mul_o, plus, true),
        &short(orange_price),
        &short(d_orange_price),
    )?;
    edge(area, (plus, times, true), &short(all_price), &short(d_all))?;
    below(times, "tax", tax, d_tax)?;
    edge(area, (times, (840, times.1), false), &short(price), "1")?;
    let end = Pos::new(HPos::Left, VPos::Center);
    label(area, "price", (848, times.1), end, LABEL_FONT, &BLACK)?;
    for (at, op) in [(mul_a, "×"), (mul_o, "×"), (plus, "+"), (times, "×")] {
        node(area, at, op)?;
    }
    Ok(())
}

/// The points of column 0 of `x` and `y`, as `(x, y)` pairs in `f64`.
fn column_points<F: Float>(x: &Array2<F>, y: &Array2<F>) -> Vec<(f64, f64)> {
    let to_f64 = |v: &F| v.to_f64().unwrap_or(f64::NAN);
    x.column(0)
        .iter()
        .zip(y.column(0))
        .map(|(a, b)| (to_f64(a), to_f64(b)))
        .collect()
}

/// The curve fit: the true curve, the training points, and the network's curve after each
/// number of iterations in `snapshots`.
pub fn draw_fit<DB: DrawingBackend, F: Float>(
    area: &DrawingArea<DB, Shift>,
    grid: &Array2<F>,
    truth: &Array2<F>,
    x: &Array2<F>,
    t: &Array2<F>,
    snapshots: &[(usize, Array2<F>)],
) -> FigureResult
where
    DB::ErrorType: 'static,
{
    let truth_points = column_points(grid, truth);
    let x_range = truth_points[0].0..truth_points[truth_points.len() - 1].0;
    let title = "Fitting (cos x + 1)/2 with a 1-8-5-3-1 sigmoid network";
    let mut chart = figures::chart(area, title).build_cartesian_2d(x_range, -0.15..1.75)?;
    figures::axes(&mut chart, "x", "y").draw()?;
    let black = BLACK.stroke_width(2);
    chart
        .draw_series(LineSeries::new(truth_points, black))?
        .label("(cos x + 1)/2")
        .legend(figures::line_key(black));
    let dot = color(6).filled();
    chart
        .draw_series(
            column_points(x, t)
                .into_iter()
                .map(|p| Circle::new(p, 3, dot)),
        )?
        .label("training points")
        .legend(figures::dot_key(dot));
    for (i, (iteration, y)) in snapshots.iter().enumerate() {
        let style = color(i).stroke_width(2);
        chart
            .draw_series(LineSeries::new(column_points(grid, y), style))?
            .label(format!("after {iteration} iterations"))
            .legend(figures::line_key(style));
    }
    figures::legend(&mut chart, SeriesLabelPosition::UpperMiddle)
}

/// The loss of the curve fit against the iteration, both axes logarithmic; about 200 points.
pub fn draw_fit_loss<DB: DrawingBackend, F: Float>(
    area: &DrawingArea<DB, Shift>,
    losses: &[F],
) -> FigureResult
where
    DB::ErrorType: 'static,
{
    let n = losses.len();
    let mut shown: Vec<usize> = (0..=200)
        .map(|i| ((n as f64).powf(i as f64 / 200.0) as usize).clamp(1, n))
        .collect();
    shown.dedup();
    let points = shown
        .iter()
        .map(|&i| (i as f64, losses[i - 1].to_f64().unwrap_or(f64::NAN)))
        .collect();
    let chart = LineChart::new(
        "Curve fit: the loss falls as backprop trains",
        "iteration",
        "loss (half the mean squared error)",
        vec![Series::new("loss of each step", points)],
    );
    log_log_chart(area, &chart, &[])
}

/// Train and test accuracy on MNIST, measured every epoch (the first measurement left out).
pub fn draw_accuracy<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    accuracies: &[EpochAccuracy],
) -> FigureResult
where
    DB::ErrorType: 'static,
{
    // the first measurement, after one iteration, is at chance (about 0.1): leave it out so
    // that the axis can show the gap between train and test
    let shown = accuracies.get(1..).unwrap_or_default();
    let series = |name: &str, pick: fn(&EpochAccuracy) -> f64| {
        let points = shown
            .iter()
            .map(|a| (a.iteration as f64, pick(a)))
            .collect();
        Series::new(name, points)
    };
    let chart = LineChart::new(
        "MNIST by backprop: accuracy after each epoch",
        "iteration",
        "accuracy",
        vec![series("train", |a| a.train), series("test", |a| a.test)],
    )
    .legend_at(SeriesLabelPosition::LowerRight);
    line_chart(area, &chart)
}

/// The MNIST training loss, each point the mean over `smoothing` consecutive batches.
pub fn draw_mnist_loss<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    losses: &[f64],
    smoothing: usize,
) -> FigureResult
where
    DB::ErrorType: 'static,
{
    let smoothing = smoothing.max(1);
    let points = losses
        .chunks(smoothing)
        .enumerate()
        .map(|(i, chunk)| {
            let mean = chunk.iter().sum::<f64>() / chunk.len() as f64;
            ((i * smoothing + chunk.len()) as f64, mean)
        })
        .collect();
    let chart = LineChart::new(
        "MNIST by backprop: training loss",
        "iteration",
        "cross-entropy loss",
        vec![Series::new(format!("mean of {smoothing} batches"), points)],
    );
    line_chart(area, &chart)
}
