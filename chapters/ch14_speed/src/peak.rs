//! The machine's peak: how many floating-point operations per second its cores can do at most,
//! measured with a loop that does nothing but fused multiply-adds.

use std::hint::black_box;
use std::time::Instant;

/// The widest vector instructions with fused multiply-add that this processor has, found at
/// run time. Each does `lanes` multiply-adds at once.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Simd {
    /// x86-64 AVX-512: 16 f32 lanes.
    Avx512,
    /// x86-64 AVX2 with FMA: 8 f32 lanes.
    Avx2Fma,
    /// Whatever the compiler makes of plain Rust for the target (NEON on ARM, SSE2 on an old
    /// x86-64 without FMA).
    Portable,
}

impl Simd {
    /// The best this processor has.
    pub fn detect() -> Simd {
        #[cfg(target_arch = "x86_64")]
        {
            if std::arch::is_x86_feature_detected!("avx512f") {
                return Simd::Avx512;
            }
            if std::arch::is_x86_feature_detected!("avx2")
                && std::arch::is_x86_feature_detected!("fma")
            {
                return Simd::Avx2Fma;
            }
        }
        Simd::Portable
    }

    /// A short name: `AVX-512`, `AVX2+FMA`, `portable`.
    pub fn name(self) -> &'static str {
        match self {
            Simd::Avx512 => "AVX-512",
            Simd::Avx2Fma => "AVX2+FMA",
            Simd::Portable => "portable",
        }
    }
}

/// Independent chains of multiply-adds: enough that the processor always has one ready while
/// the others wait out their latency (a multiply-add takes about 4 cycles, and a core may start
/// two per cycle).
const CHAINS: usize = 12;

/// Runs `rounds` rounds of `CHAINS` vector multiply-adds; returns the FLOPs done and a number
/// that depends on every result (so the compiler cannot skip the work).
pub fn fma_loop(simd: Simd, rounds: u64) -> (f64, f32) {
    #[cfg(target_arch = "x86_64")]
    {
        // SAFETY: each function is called only when `detect` found its instructions.
        match simd {
            Simd::Avx512 => return unsafe { x86::fma_avx512(rounds) },
            Simd::Avx2Fma => return unsafe { x86::fma_avx2(rounds) },
            Simd::Portable => {}
        }
    }
    let _ = simd;
    fma_portable(rounds)
}

/// The portable loop: 16-wide arrays that the compiler turns into whatever vectors it has.
fn fma_portable(rounds: u64) -> (f64, f32) {
    const LANES: usize = 16;
    let (a, b) = (black_box(0.999_999f32), black_box(1e-7f32));
    let mut acc = [[1.0f32; LANES]; CHAINS];
    for _ in 0..rounds {
        for chain in acc.iter_mut() {
            for v in chain.iter_mut() {
                #[cfg(target_arch = "aarch64")]
                {
                    *v = v.mul_add(a, b); // one instruction on ARM
                }
                #[cfg(not(target_arch = "aarch64"))]
                {
                    *v = *v * a + b;
                }
            }
        }
    }
    let flops = 2.0 * (rounds as f64) * (CHAINS * LANES) as f64;
    (flops, acc.iter().flatten().sum())
}

#[cfg(target_arch = "x86_64")]
mod x86 {
    use super::CHAINS;
    use std::arch::x86_64::*;

    // ANCHOR: fma_avx512
    #[target_feature(enable = "avx512f")]
    pub(super) fn fma_avx512(rounds: u64) -> (f64, f32) {
        let (a, b) = (_mm512_set1_ps(0.999_999), _mm512_set1_ps(1e-7));
        let mut acc = [_mm512_set1_ps(1.0); CHAINS];
        for _ in 0..rounds {
            for v in acc.iter_mut() {
                *v = _mm512_fmadd_ps(*v, a, b);
            }
        }
        let sum = acc.iter().map(|&v| _mm512_reduce_add_ps(v)).sum();
        (2.0 * (rounds as f64) * (CHAINS * 16) as f64, sum)
    }
    // ANCHOR_END: fma_avx512

    #[target_feature(enable = "avx2,fma")]
    pub(super) fn fma_avx2(rounds: u64) -> (f64, f32) {
        let (a, b) = (_mm256_set1_ps(0.999_999), _mm256_set1_ps(1e-7));
        let mut acc = [_mm256_set1_ps(1.0); CHAINS];
        for _ in 0..rounds {
            for v in acc.iter_mut() {
                *v = _mm256_fmadd_ps(*v, a, b);
            }
        }
        let mut lanes = [0.0f32; 8];
        let mut sum = 0.0;
        for v in acc {
            // SAFETY: `lanes` has room for the 8 lanes of `v`.
            unsafe { _mm256_storeu_ps(lanes.as_mut_ptr(), v) };
            sum += lanes.iter().sum::<f32>();
        }
        (2.0 * (rounds as f64) * (CHAINS * 8) as f64, sum)
    }
}

/// FLOP/s of the multiply-add loop on `threads` threads at once: each thread times `windows`
/// short runs of `rounds` rounds and keeps its best, and the threads' best rates are added up.
///
/// A short window is likely to run without the operating system handing the core to another
/// program halfway through, so the best of many short windows measures what the core can do
/// even on a machine that is busy with something else.
pub fn peak_flops(simd: Simd, threads: usize, rounds: u64, windows: usize) -> f64 {
    let best_rate = move || {
        let mut best = 0.0f64;
        for _ in 0..windows.max(1) {
            let started = Instant::now();
            let (flops, _) = black_box(fma_loop(simd, rounds));
            best = best.max(flops / started.elapsed().as_secs_f64());
        }
        best
    };
    std::thread::scope(|scope| {
        let workers: Vec<_> = (0..threads.max(1))
            .map(|_| scope.spawn(best_rate))
            .collect();
        workers.into_iter().map(|w| w.join().unwrap_or(0.0)).sum()
    })
}

/// The machine's peak FLOP/s, on one core and on every core, and the instructions that
/// reached it.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Peak {
    pub simd: Simd,
    pub one_core: f64,
    pub all_cores: f64,
    pub cores: usize,
}

impl Peak {
    /// Measures the peak with [`peak_flops`]: the best of `windows` runs of `rounds` rounds.
    pub fn measure(rounds: u64, windows: usize) -> Peak {
        let simd = Simd::detect();
        let cores = crate::machine::cores();
        Peak {
            simd,
            one_core: peak_flops(simd, 1, rounds, windows),
            all_cores: peak_flops(simd, cores, rounds, windows),
            cores,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_loop_counts_its_flops_and_computes_the_same_chains() {
        let rounds = 1000;
        let (flops, sum) = fma_loop(Simd::detect(), rounds);
        assert!(flops >= 2.0 * 1000.0 * (CHAINS * 8) as f64);
        let (portable_flops, portable_sum) = fma_portable(rounds);
        assert_eq!(portable_flops, 2.0 * 1000.0 * (CHAINS * 16) as f64);
        // each chain converges to b/(1−a) = 0.1 from 1; fused or not, the same to 4 digits
        let per_lane = |s: f32, f: f64| s as f64 / (f / (2.0 * rounds as f64));
        assert!((per_lane(sum, flops) - per_lane(portable_sum, portable_flops)).abs() < 1e-4);
    }

    #[test]
    fn the_peak_is_positive() {
        assert!(peak_flops(Simd::detect(), 1, 10_000, 1) > 0.0);
    }
}
