# shellcheck shell=bash
# Sourced by the SimpleConvNet comparisons (this chapter's compare.sh and the speed chapter's
# compare_conv.sh), which define `run_one NAME` (run one contestant once, print its result line)
# and `$work` (where the contestants' messages go):
#
#   rounds RUNS RESULTS NAME…   runs every contestant once a round, RUNS rounds, in an order that
#                               rotates from round to round, so that whatever else the machine does
#                               falls on all of them alike; appends each `NAME epoch_s=…` line to
#                               RESULTS and shows it
#   machine VENV LOAD_BEFORE    the two lines that say on what, when and how loaded a table was
#                               measured

rounds() {
    local runs=$1 results=$2 round k who line
    shift 2
    local contestants=("$@")
    for ((round = 0; round < runs; round++)); do
        for ((k = 0; k < $#; k++)); do
            who=${contestants[$(((round + k) % $#))]}
            line=$(run_one "$who" | grep 'epoch_s=') ||
                { echo "$who failed; see $work/stderr.txt" >&2; exit 1; }
            echo "$line" | tee -a "$results" | sed "s/^/  round $((round + 1)): /"
        done
    done
}

machine() {
    local venv=$1 load_before=$2 cpu simd torch
    cpu=$(grep -m1 '^model name' /proc/cpuinfo | cut -d: -f2- | sed 's/^ *//')
    simd=$(grep -m1 -o -w -E 'avx512f' /proc/cpuinfo || grep -m1 -o -w -E 'avx2' /proc/cpuinfo || echo "no AVX2")
    torch=$("$venv/bin/python" -c 'import torch; print("PyTorch", torch.__version__, "(CPU, MKL)" if torch.backends.mkl.is_available() else "(CPU)")')
    echo "$cpu ($simd), $(nproc) cores; $(date -u +%Y-%m-%d); load average $load_before before, $(cut -d' ' -f1-3 /proc/loadavg) after"
    echo "$(rustc --version | cut -d' ' -f1-2); $torch; Python $("$venv/bin/python" -c 'import platform; print(platform.python_version())')"
}
