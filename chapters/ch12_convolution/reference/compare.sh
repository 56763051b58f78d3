#!/usr/bin/env bash
# Times one epoch of Deep Learning from Scratch's SimpleConvNet (conv 30×5×5, ReLU, pool 2×2,
# affine 100, ReLU, affine 10; weights 0.01·randn; Adam 0.001; batches of 100; the 50,000
# training images of the chapter's split; f32) in the chapter's Rust and in PyTorch on the CPU,
# side by side in one run, and writes the medians as a table to
# chapters/ch12_convolution/reference/comparison.txt.
#
#   chapters/ch12_convolution/reference/compare.sh          # RUNS=3 rounds by default
#
# Each round runs every contestant once, in an order that rotates from round to round, so that
# whatever else the machine does falls on all of them alike:
#   rust         ./target/release/ch12_convolution --bench --runs 1 (one thread)
#   pytorch-1t   simple_conv_net_torch.py --threads 1
#   pytorch-2t   simple_conv_net_torch.py --threads 2
# Only the epoch is timed (not loading the data, not the evaluation after it).
#
# PyTorch is installed the first time into target/ch12-torch-venv, pinned as the speed
# chapter pins it (torch 2.15.0, NumPy 2.4.6, from PyPI), by torch_venv.sh, which says how.
#
# Environment: RUNS (default 3).
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../../.." && pwd)
runs=${RUNS:-3}
out="$here/comparison.txt"
work="$root/target/ch12-compare"
venv="$root/target/ch12-torch-venv"

# The pinned versions, and torch_venv, which installs them once.
source "$here/torch_venv.sh"
source "$here/rounds.sh"

case "$runs" in '' | *[!0-9]* | 0) echo "RUNS must be a positive whole number, not '$runs'" >&2; exit 2 ;; esac

torch_venv "$venv"

cd "$root"
mkdir -p "$work"
cargo build --quiet --release -p ch12_convolution
# A copy, so that every round runs the same build even if target/release is rebuilt meanwhile.
cp target/release/ch12_convolution "$work/ch12_convolution"

results="$work/results.txt" # one line per run: NAME epoch_s=S accuracy=A
: >"$results"
: >"$work/stderr.txt"
contestants=(rust pytorch-1t pytorch-2t)
run_one() {
    case "$1" in
        rust) "$work/ch12_convolution" --bench --runs 1 ;;
        pytorch-*) "$venv/bin/python" "$here/simple_conv_net_torch.py" --threads "${1//[^0-9]/}" ;;
    esac 2>>"$work/stderr.txt"
}

load_before=$(cut -d' ' -f1-3 /proc/loadavg)
echo "SimpleConvNet, one epoch of 50,000 images: $runs rounds of ${contestants[*]} (order rotating)"
rounds "$runs" "$results" "${contestants[@]}"

header=$(machine "$venv" "$load_before")

python3 - "$results" "$runs" "$header" >"$out" <<'PY'
import statistics
import sys

results, runs, header = sys.argv[1], int(sys.argv[2]), sys.argv[3]
seconds, accuracy = {}, {}
for line in open(results):
    name, *fields = line.split()
    values = dict(f.split("=", 1) for f in fields)
    seconds.setdefault(name, []).append(float(values["epoch_s"]))
    accuracy.setdefault(name, []).append(values["accuracy"])
median = {name: statistics.median(s) for name, s in seconds.items()}
rust = "rust-simpleconvnet"
print("SimpleConvNet (DLFS), one epoch of the 50,000 training images: Adam 0.001, batches of 100,")
print(f"f32. Seconds of training per epoch: medians of {runs} interleaved run(s).")
print(header)
print()
print(f"{'version':<22} {'threads':>7} {'median s':>9} {'min-max s':>13} {'runs':>4} {'x Rust':>7} {'test acc.':>9}")
labels = {rust: ("Rust (this chapter)", "1"), "pytorch-1t": ("PyTorch", "1"), "pytorch-2t": ("PyTorch", "2")}
for name in (rust, "pytorch-1t", "pytorch-2t"):
    if name not in seconds:
        continue
    s = seconds[name]
    label, threads = labels[name]
    print(f"{label:<22} {threads:>7} {median[name]:>9.2f} {min(s):>6.2f}-{max(s):<6.2f} {len(s):>4} "
          f"{median[name] / median[rust]:>7.2f} {accuracy[name][-1]:>9}")
best = min((n for n in median if n.startswith("pytorch")), key=median.get)
print()
print(f"PyTorch at its best ({labels[best][1]} thread(s)): {median[best]:.2f} s an epoch, "
      f"{median[best] / median[rust]:.2f} times the Rust epoch's {median[rust]:.2f} s.")
print("(test accuracy after that one epoch, from 0.01·randn weights; the runs differ in their")
print("random numbers, which after one epoch moves the accuracy by up to about a point)")
PY
echo
cat "$out"
echo "(written to ${out#"$root"/})"
