//! Counting the work, the machine's peak, and ways to multiply: kernels raced against the peak.

use crate::*;

/// The peak is the best of many short windows of the multiply-add loop (a window is
/// `PEAK_ROUNDS` rounds, with AVX-512 under a millisecond), on each core.
const PEAK_ROUNDS: u64 = 50_000;
const PEAK_WINDOWS: usize = 500;
/// A kernel's time is the best of `KERNEL_WINDOWS` windows of at least `KERNEL_SECONDS`.
const KERNEL_SECONDS: f64 = 0.005;
const KERNEL_WINDOWS: usize = 30;

/// The protocol's sizes, and the work of a run of it.
fn protocol_work(protocol: &Protocol, data: &MnistData<f32>) -> Work {
    Work {
        inputs: data.x_train.ncols(),
        hidden: protocol.hidden,
        classes: CLASSES,
        batch: protocol.batch_size,
        iterations: protocol.iterations,
        evaluated: data.x_train.nrows() + data.x_test.nrows(),
    }
}

/// The FLOPs of every product of a training step, and of the whole protocol; a figure.
pub fn count_the_work(out: &Path, protocol: &Protocol, data: &MnistData<f32>) -> Result<Work> {
    section("Counting the work");
    let work = protocol_work(protocol, data);
    println!(
        "{}-{}-{}, batch {}, {} steps, then {} images evaluated (f32)",
        work.inputs,
        work.hidden,
        work.classes,
        work.batch,
        thousands(work.iterations),
        thousands(work.evaluated)
    );
    println!(
        "{:<24} {:>15} {:>12}",
        "product of a step", "shape", "FLOPs"
    );
    for p in work.step() {
        let shape = format!("{}×{}·{}×{}", p.m, p.k, p.k, p.n);
        let note = if p.skippable { "  (not needed)" } else { "" };
        println!(
            "{:<24} {shape:>15} {:>12}{note}",
            p.name,
            thousands(p.flops() as usize)
        );
    }
    println!(
        "a step: {} FLOPs with dx, {} without",
        thousands(work.step_flops(true) as usize),
        thousands(work.step_flops(false) as usize)
    );
    println!(
        "the protocol: {} steps × {} + evaluation {} = {:.3e} FLOPs",
        thousands(work.iterations),
        thousands(work.step_flops(false) as usize),
        thousands(work.evaluation_flops() as usize),
        work.run_flops() as f64
    );
    let bars = work
        .step()
        .iter()
        .map(|p| Bar {
            label: p.name.to_string(),
            value: p.flops() as f64 / 1e6,
            note: format!(
                "{:.2} M{}",
                p.flops() as f64 / 1e6,
                if p.skippable { ", not needed" } else { "" }
            ),
            color: usize::from(p.skippable),
        })
        .collect();
    let chart = Bars {
        title: "The work of one training step".into(),
        x_label: "millions of FLOPs".into(),
        bars,
        reference: None,
    };
    figures::write_svg(out, "work.svg", (760, 420), |area| draw_bars(area, &chart))?;
    Ok(work)
}

/// Measures the peak with the multiply-add loop; timings only.
pub fn measure_peak(timed: &Path) -> Result<Peak> {
    let peak = Peak::measure(PEAK_ROUNDS, PEAK_WINDOWS);
    let text = format!(
        "measured on {}\n\
         peak, {} fused multiply-adds: {:.1} GFLOP/s on one core, {:.1} GFLOP/s on {} cores\n",
        machine_label(peak.simd.name()),
        peak.simd.name(),
        peak.one_core / 1e9,
        peak.all_cores / 1e9,
        peak.cores
    );
    write_timed(timed, "peak.txt", &text)?;
    Ok(peak)
}

/// The protocol's largest product, `x·W1` of a batch, by each kernel: that they agree on stdout,
/// how fast each is in `timed/`.
pub fn race_kernels(timed: &Path, peak: &Peak, work: &Work) -> Result<()> {
    section("Ways to multiply");
    let (m, k, n) = (work.batch, work.inputs, work.hidden);
    let mut rng = seeded_rng::rng(0);
    let a = seeded_rng::randn::<f32>(&mut rng, (m, k));
    let b = seeded_rng::randn::<f32>(&mut rng, (k, n));
    let mut reference = Array2::zeros((m, n));
    Kernel::Matrixmultiply.run(&a, &b, &mut reference);
    let flops = 2.0 * (m * k * n) as f64;
    let mut rows = Vec::new();
    let mut bars = Vec::new();
    let mut agree = true;
    for kernel in Kernel::available() {
        let mut c = Array2::zeros((m, n));
        kernel.run(&a, &b, &mut c);
        let diff = (&c - &reference).fold(0.0f32, |d, v| d.max(v.abs()));
        agree &= diff < 1e-3;
        let seconds = seconds_per_call(
            || kernel.run(&a, &b, &mut c),
            KERNEL_SECONDS,
            KERNEL_WINDOWS,
        );
        let rate = flops / seconds;
        rows.push(format!(
            "{:<22} {:>10.1} {:>10.1} {:>13.0}%",
            kernel.name(),
            seconds * 1e6,
            rate / 1e9,
            100.0 * rate / peak.one_core
        ));
        bars.push(Bar {
            label: kernel.name().to_string(),
            value: rate / 1e9,
            note: format!("{:.1}", rate / 1e9),
            color: bars.len(),
        });
    }
    println!(
        "the product x·W1 of a step: ({m}×{k})·({k}×{n}), {} FLOPs",
        thousands(flops as usize)
    );
    println!(
        "every kernel's product equals matrixmultiply's to within 1e-3: {}",
        yes_no(agree)
    );
    let text = format!(
        "measured on {}; one core\n{:<22} {:>10} {:>10} {:>14}\n{}\n{}",
        machine_label(peak.simd.name()),
        "kernel",
        "µs",
        "GFLOP/s",
        "of one core",
        rows.join("\n"),
        products_ceiling(work, peak, KERNEL_SECONDS, KERNEL_WINDOWS)
    );
    write_timed(timed, "kernels.txt", &text)?;
    let chart = Bars {
        title: format!("x·W1, ({m}×{k})·({k}×{n}), on one core"),
        x_label: "GFLOP/s".into(),
        bars,
        reference: Some((peak.one_core / 1e9, "the core's peak".into())),
    };
    draw_timed(timed, "kernels.svg", (760, 420), |area| {
        draw_bars(area, &chart)
    })
}
