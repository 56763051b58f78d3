#!/usr/bin/env bash
# Times the MNIST protocol of Deep Learning from Scratch (784-50-10, SGD 0.1, batch 100,
# 10,000 steps, evaluated at the end; f32) in this chapter's Rust versions, in NumPy and in
# PyTorch on the CPU, side by side in one run, and prints the medians as a table, which it also
# writes to chapters/ch14_speed/reference/comparison.txt.
#
#   chapters/ch14_speed/reference/compare.sh          # RUNS=3 for a quicker, noisier table
#
# Each round runs every contestant once, in an order that rotates from round to round, so that
# whatever else the machine does falls on all of them alike. Contestants:
#   Rust      ./target/release/ch14_speed --bench --runs 1 (one line per version)
#   NumPy     two_layer_net.py, OpenBLAS on 1 thread and on its default threads (one per core)
#   PyTorch   two_layer_net_torch.py, autograd and manual loops, on 1 and 2 threads
# Each reference is compared at its best thread count (and PyTorch at its best loop).
#
# The first run makes two Python virtual environments under target/ (NumPy 2.4.6; PyTorch
# 2.15.0 with NumPy 2.4.6) and skips that step once they hold the pinned versions. PyTorch is
# installed by chapters/ch12_convolution/reference/torch_venv.sh, which says how (about 4.1 GB
# and a minute; TORCH_INSTALL=full installs it the ordinary way).
#
# Environment: RUNS (default 5), TORCH_LOOPS (default "autograd manual"), TORCH_INSTALL.
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../../.." && pwd)
runs=${RUNS:-5}
torch_loops=${TORCH_LOOPS:-autograd manual}
out="$here/comparison.txt"
work="$root/target/ch14-compare"

# The pinned versions of NumPy and PyTorch, and torch_venv, which installs them once (shared
# with the convolutional chapter's comparison).
source "$here/../../ch12_convolution/reference/torch_venv.sh"

case "$runs" in '' | *[!0-9]* | 0) echo "RUNS must be a positive whole number, not '$runs'" >&2; exit 2 ;; esac
for loop in $torch_loops; do
    case "$loop" in autograd | manual) ;; *) echo "TORCH_LOOPS: unknown loop '$loop'" >&2; exit 2 ;; esac
done

# --- the two virtual environments (idempotent) -------------------------------------------
numpy_venv="$root/target/ch14-numpy-venv"
torch_venv="$root/target/ch14-torch-venv"

if ! has "$numpy_venv" 'import numpy; print(numpy.__version__)' "$numpy_version"; then
    echo "installing NumPy $numpy_version into $numpy_venv"
    python3 -m venv "$numpy_venv"
    "$numpy_venv/bin/pip" install --quiet "numpy==$numpy_version"
fi
torch_venv "$torch_venv"

# --- the Rust program ----------------------------------------------------------------------
cd "$root"
rust=yes
mkdir -p "$work"
# A copy, so that every round runs the same build even if target/release is rebuilt meanwhile.
if cargo build --quiet --release -p ch14_speed; then
    cp target/release/ch14_speed "$work/ch14_speed"
else
    echo "NOTE: ch14_speed does not build; the table leaves the Rust versions out." >&2
    rust=no
fi

# --- the rounds ----------------------------------------------------------------------------
results="$work/results.txt" # one line per run: NAME median_s=S accuracy=A
: >"$results"
: >"$work/rust.stderr"
: >"$work/stderr.txt"

contestants=(rust numpy-1 numpy-default)
for loop in $torch_loops; do contestants+=("torch-$loop-1" "torch-$loop-2"); done

run_one() { # prints lines of the form: name median_s=S accuracy=A
    local py=chapters/ch14_speed/reference
    case "$1" in
        rust) "$work/ch14_speed" --bench --runs 1 2>>"$work/rust.stderr" ;;
        numpy-1) OPENBLAS_NUM_THREADS=1 "$numpy_venv/bin/python" $py/two_layer_net.py ;;
        numpy-default) env -u OPENBLAS_NUM_THREADS "$numpy_venv/bin/python" $py/two_layer_net.py ;;
        torch-*-*)
            local rest=${1#torch-}
            "$torch_venv/bin/python" $py/two_layer_net_torch.py --loop "${rest%-*}" --threads "${rest##*-}"
            ;;
    esac 2>>"$work/stderr.txt"
}

load_before=$(cut -d' ' -f1-3 /proc/loadavg)
echo "MNIST protocol, f32: $runs rounds of ${contestants[*]} (order rotating)"
n=${#contestants[@]}
for ((round = 0; round < runs; round++)); do
    for ((k = 0; k < n; k++)); do
        who=${contestants[$(((round + k) % n))]}
        [ "$who" = rust ] && [ "$rust" = no ] && continue
        if ! lines=$(run_one "$who") || ! grep -q 'median_s=' <<<"$lines"; then
            if [ "$who" = rust ]; then
                echo "NOTE: ch14_speed --bench --runs 1 gave no 'rust-… median_s=…' line" \
                    "(see $work/rust.stderr); the table leaves the Rust versions out." >&2
                rust=no
                continue
            fi
            echo "$who failed; its messages are in $work/stderr.txt" >&2
            exit 1
        fi
        grep 'median_s=' <<<"$lines" | tee -a "$results" | sed "s/^/  round $((round + 1)): /"
    done
done

# --- the table -----------------------------------------------------------------------------
cpu=$(grep -m1 '^model name' /proc/cpuinfo | cut -d: -f2- | sed 's/^ *//')
simd=$(grep -m1 -o -w -E 'avx512f' /proc/cpuinfo || grep -m1 -o -w -E 'avx2' /proc/cpuinfo || echo "no AVX2")
numpy_label=$("$numpy_venv/bin/python" -c '
import numpy as np
blas = np.show_config(mode="dicts")["Build Dependencies"]["blas"]
print("NumPy", np.__version__, "(" + blas["name"], blas["version"] + ")")')
torch_label=$("$torch_venv/bin/python" -c '
import torch
blas = "MKL" if torch.backends.mkl.is_available() else "no MKL"
print("PyTorch", torch.__version__, "(CPU, " + blas + ")")')
header="$cpu ($simd), $(nproc) cores; $(date -u +%Y-%m-%d); load average $load_before before, $(cut -d' ' -f1-3 /proc/loadavg) after
$(rustc --version | cut -d' ' -f1-2); $numpy_label; $torch_label; Python $("$numpy_venv/bin/python" -c 'import platform; print(platform.python_version())')"

python3 - "$results" "$runs" "$header" >"$out" <<'EOF'
import statistics
import sys

results, runs, header = sys.argv[1], int(sys.argv[2]), sys.argv[3]
seconds, accuracy = {}, {}
for line in open(results):
    name, *fields = line.split()
    values = dict(f.split("=", 1) for f in fields if "=" in f)
    seconds.setdefault(name, []).append(float(values["median_s"]))
    accuracy[name] = values.get("accuracy", "?")
median = {name: statistics.median(s) for name, s in seconds.items()}
rust = [n for n in seconds if n.startswith("rust-")]
others = sorted(n for n in seconds if not n.startswith("rust-"))


def threads(name):
    last = name.rsplit("-", 1)[1]
    return "default" if last == "default" else last.rstrip("t")


def label(name):
    if name.startswith("numpy-"):
        return f"NumPy {name.split('-')[1]}"
    if name.startswith("pytorch-"):
        _, loop, dtype, _ = name.split("-")
        return f"PyTorch {dtype}, {loop}"
    return name


base_name = min(rust, key=median.get) if rust else min(median, key=median.get)
base = median[base_name]
print("The MNIST protocol of Deep Learning from Scratch in f32: 784-50-10, SGD 0.1, batch 100,")
print("10,000 steps, then train and test accuracy, in the lean loop (one forward and one")
print("backward pass a step, no first-layer dx, evaluation only at the end). Seconds from the")
print(f"first step to the end of the evaluation: medians of {runs} interleaved run(s).")
print(header)
print()
ratio_title = "x fastest Rust" if rust else "x fastest"
print(f"{'version':<24} {'threads':>7} {'median s':>9} {'min-max s':>13} {'runs':>4} {ratio_title:>15} {'test acc.':>9}")
for name in rust + others:
    s = seconds[name]
    shown = name if name.startswith("rust-") else label(name)
    t = "" if name.startswith("rust-") else threads(name)
    spread = f"{min(s):.2f}-{max(s):.2f}"
    print(f"{shown:<24} {t:>7} {median[name]:>9.2f} {spread:>13} {len(s):>4} "
          f"{median[name] / base:>15.2f} {accuracy[name]:>9}")
print()
if rust:
    print("(Rust threads: each version uses the cores it is written for; see the chapter.)")
else:
    print("(No Rust version ran: ch14_speed's --bench was not available.)")
for family, prefix in (("NumPy", "numpy-"), ("PyTorch", "pytorch-")):
    names = [n for n in others if n.startswith(prefix)]
    if names:
        best = min(names, key=median.get)
        against = f"{median[best] / base:.2f}x the time of {base_name}" if rust else ""
        print(f"{family} at its best ({label(best)}, {threads(best)} thread(s)): "
              f"{median[best]:.2f} s; {against}".rstrip("; "))
EOF
echo
cat "$out"
echo "(written to ${out#"$root"/})"
