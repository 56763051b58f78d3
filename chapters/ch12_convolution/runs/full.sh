#!/usr/bin/env bash
# The chapter's full run: `ch12_convolution --full` (all 50,000 training images, a fixed budget
# of epochs for each network), optimised, its output kept beside this script for the
# page to quote, the way `cargo xtask outputs` keeps the default run's:
#   runs/full/output.txt       the command, the machine and everything the program printed
#   runs/full/<section>.txt    one file per section of that output
# and its figures in target/figures/ch12_convolution/full/. About 20 minutes on two cores,
# longer on a busy one.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../../.." && pwd)
cd "$root"
cargo build --quiet --release -p ch12_convolution
out="$here/full"
rm -rf "$out"
mkdir -p "$out"
started=$(date +%s)
load_before=$(cut -d' ' -f1-3 /proc/loadavg)
./target/release/ch12_convolution --full --out target/figures/ch12_convolution/full >"$out/stdout.txt"
minutes=$((($(date +%s) - started + 30) / 60))
cpu=$(grep -m1 '^model name' /proc/cpuinfo | cut -d: -f2- | sed 's/^ *//')
{
    echo "\$ cargo run --release -p ch12_convolution -- --full"
    echo "($cpu, $(nproc) cores; $(date -u +%Y-%m-%d); $minutes min; load average $load_before before, $(cut -d' ' -f1-3 /proc/loadavg) after)"
    cat "$out/stdout.txt"
} >"$out/output.txt"
python3 - "$out" <<'PY'
import os, re, sys
out = sys.argv[1]
sections, title = {}, None
for line in open(os.path.join(out, "stdout.txt")):
    m = re.match(r"^== (.*) ==$", line.rstrip("\n"))
    if m:
        title = m.group(1)
        sections[title] = ""
    elif title is not None:
        sections[title] += line
for title, text in sections.items():
    slug = "-".join(w for w in re.split(r"[^a-z0-9]", title.lower()) if w)
    with open(os.path.join(out, slug + ".txt"), "w") as f:
        f.write(text.strip("\n") + "\n")
PY
rm "$out/stdout.txt"
echo "the full run's output is in ${out#"$root"/} ($minutes min)"
