#!/usr/bin/env bash
# Times one epoch of Deep Learning from Scratch's SimpleConvNet (conv 30×5×5, ReLU, pool 2×2,
# affine 100, ReLU, affine 10; weights 0.01·randn; Adam 0.001; batches of 100; the 50,000
# training images of the convolutional chapter's split; f32) four ways, side by side in one run,
# and writes the medians as a table to chapters/ch14_speed/reference/comparison_conv.txt:
#
#   chapters/ch14_speed/reference/compare_conv.sh          # RUNS=3 rounds by default
#
# Each round runs every contestant once, in an order that rotates from round to round, so that
# whatever else the machine does falls on all of them alike:
#   rust-plain     ./target/release/ch12_convolution --bench --runs 1 (the chapter's network)
#   rust-fast-1c   ./target/release/ch14_speed --bench-conv --cores 1 (this chapter's, one core)
#   rust-fast-2c   ./target/release/ch14_speed --bench-conv --cores 2 (two halves, two cores)
#   pytorch-1t     chapters/ch12_convolution/reference/simple_conv_net_torch.py --threads 1
#   pytorch-2t     the same on 2 threads
# Only the epoch is timed (not loading the data, not the evaluation after it); each prints the
# test accuracy after its epoch.
#
# PyTorch (2.15.0, with NumPy 2.4.6) is installed the first time into target/ch12-torch-venv,
# the convolutional chapter's, by chapters/ch12_convolution/reference/torch_venv.sh.
#
# Environment: RUNS (default 3), TORCH_INSTALL (see torch_venv.sh).
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../../.." && pwd)
conv_reference="$root/chapters/ch12_convolution/reference"
runs=${RUNS:-3}
out="$here/comparison_conv.txt"
work="$root/target/ch14-compare-conv"
venv="$root/target/ch12-torch-venv"

source "$conv_reference/torch_venv.sh"
source "$conv_reference/rounds.sh"

case "$runs" in '' | *[!0-9]* | 0) echo "RUNS must be a positive whole number, not '$runs'" >&2; exit 2 ;; esac

torch_venv "$venv"

cd "$root"
mkdir -p "$work"
cargo build --quiet --release -p ch12_convolution -p ch14_speed
# Copies, so that every round runs the same builds even if target/release is rebuilt meanwhile.
cp target/release/ch12_convolution target/release/ch14_speed "$work/"

results="$work/results.txt" # one line per run: NAME epoch_s=S accuracy=A
: >"$results"
: >"$work/stderr.txt"
contestants=(rust-plain rust-fast-1c rust-fast-2c pytorch-1t pytorch-2t)
run_one() {
    case "$1" in
        rust-plain) "$work/ch12_convolution" --bench --runs 1 | sed 's/^rust-simpleconvnet /rust-plain /' ;;
        rust-fast-*) "$work/ch14_speed" --bench-conv --runs 1 --cores "${1//[^0-9]/}" ;;
        pytorch-*) "$venv/bin/python" "$conv_reference/simple_conv_net_torch.py" --threads "${1//[^0-9]/}" ;;
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
    accuracy[name] = values["accuracy"]
median = {name: statistics.median(s) for name, s in seconds.items()}
labels = {
    "rust-plain": ("Rust, plain (ch12)", "1"),
    "rust-fast-1c": ("Rust, fast (ch14)", "1"),
    "rust-fast-2c": ("Rust, fast (ch14)", "2"),
    "pytorch-1t": ("PyTorch", "1"),
    "pytorch-2t": ("PyTorch", "2"),
}
fastest = min((n for n in median if n.startswith("rust-fast")), key=median.get)
print("SimpleConvNet (DLFS), one epoch of the 50,000 training images: Adam 0.001, batches of 100,")
print(f"f32. Seconds of training per epoch: medians of {runs} interleaved run(s).")
print(header)
print()
print(f"{'version':<20} {'threads':>7} {'median s':>9} {'min-max s':>13} {'runs':>4} {'x fastest Rust':>14} {'test acc.':>9}")
for name in labels:
    if name not in seconds:
        continue
    s = seconds[name]
    label, threads = labels[name]
    spread = f"{min(s):.2f}-{max(s):.2f}"
    print(f"{label:<20} {threads:>7} {median[name]:>9.2f} {spread:>13} {len(s):>4} "
          f"{median[name] / median[fastest]:>14.2f} {accuracy[name]:>9}")
best = min((n for n in median if n.startswith("pytorch")), key=median.get)
print()
print(f"PyTorch at its best ({labels[best][1]} thread(s)): {median[best]:.2f} s an epoch, "
      f"{median[best] / median[fastest]:.2f} times the fast Rust's {median[fastest]:.2f} s "
      f"({labels[fastest][1]} core(s)).")
print("(test accuracy after that one epoch, from 0.01·randn weights; the Rust versions start from")
print("the same weights and draw the same batches, PyTorch from its own random numbers)")
PY
echo
cat "$out"
echo "(written to ${out#"$root"/})"
