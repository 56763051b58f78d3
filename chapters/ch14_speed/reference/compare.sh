#!/usr/bin/env bash
# Times the MNIST protocol of Deep Learning from Scratch (chapter 5) in this chapter's Rust and
# in NumPy, side by side, and prints the medians of RUNS runs of each (default 5).
#
#   chapters/ch09_backprop/reference/compare.sh
#
# The first run creates a Python virtual environment under target/ and installs NumPy into it.
# Timings depend on the machine and on whatever else it is doing: run it on a quiet machine.
set -euo pipefail

root=$(cd "$(dirname "$0")/../../.." && pwd)
runs=${RUNS:-5}
venv="$root/target/ch09-numpy-venv"

numpy_version=2.4.6 # the version the comparison was made with

if [ ! -x "$venv/bin/python" ]; then
    python3 -m venv "$venv"
fi
if [ "$("$venv/bin/python" -c 'import numpy; print(numpy.__version__)' 2>/dev/null)" != "$numpy_version" ]; then
    "$venv/bin/pip" install --quiet "numpy==$numpy_version"
fi
echo "NumPy $("$venv/bin/python" -c 'import numpy; print(numpy.__version__)'), $(nproc) cores; medians of $runs runs"

cd "$root"
cargo build --quiet --release -p ch09_backprop
echo "== Rust (ndarray), timings from the program's stderr =="
./target/release/ch09_backprop --bench --runs "$runs" 2>&1 | grep -E '^(rust|[0-9]+ threads)'

numpy() {
    for dtype in float32 float64; do
        for eval in --no-eval ""; do
            "$venv/bin/python" chapters/ch09_backprop/reference/two_layer_net.py \
                --dtype "$dtype" --runs "$runs" $eval 2>/dev/null
        done
    done
}
echo "== NumPy, OpenBLAS with its default threads =="
numpy
echo "== NumPy, OpenBLAS on one thread =="
OPENBLAS_NUM_THREADS=1 numpy
