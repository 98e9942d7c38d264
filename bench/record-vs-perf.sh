#!/usr/bin/env bash
# Records the same workload with `scorch record` and `perf record -F 99 -g` at the same time, then prints their top
# functions side by side with each tool's own CPU time and peak RSS.
#
# Usage: bench/record-vs-perf.sh [SECONDS]   (root; builds scorch in release mode first)
# The workload spends 75% of its CPU in hot_a and 25% in hot_b, so the truth is known.
set -euo pipefail
cd "$(dirname "$0")/.."
seconds=${1:-20}
make -s release bench-deps >/dev/null
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

cc -O1 -g -fno-omit-frame-pointer -fno-inline Tests/Workloads/split.c -o "$work/split"
"$work/split" 3 1 $((seconds + 5)) &
workload=$!
sleep 0.5

# Both tools at 99 Hz on the same process for the same time; /usr/bin/time reports each tool's CPU and peak RSS.
/usr/bin/time -f "%U %S %M" -o "$work/scorch.time" \
    .build/release/scorch record --pid "$workload" --frequency 99 --duration "${seconds}s" \
    --output "$work/scorch.pb.gz" 2>"$work/scorch.log" &
scorch=$!
/usr/bin/time -f "%U %S %M" -o "$work/perf.time" \
    perf record -F 99 -g -p "$workload" -o "$work/perf.data" -- sleep "$seconds" 2>"$work/perf.log" &
perf=$!
wait $scorch $perf
kill "$workload" 2>/dev/null || true

# perf's report is part of its cost to get a profile; time it too.
/usr/bin/time -f "%U %S %M" -o "$work/perf-report.time" \
    perf report -i "$work/perf.data" --stdio --no-children --sort sym -g none >"$work/perf.report" 2>/dev/null
.build/release/scorch top "$work/scorch.pb.gz" --sample-index samples --nodes 10 >"$work/scorch.top"

python3 - "$work" "$seconds" <<'PY'
import pathlib, re, sys
work, seconds = pathlib.Path(sys.argv[1]), sys.argv[2]

def perf_rows():
    rows = {}
    for line in (work / "perf.report").read_text().splitlines():
        m = re.match(r"\s+([\d.]+)%\s+\[[.k]\]\s+(\S+)", line)
        if m: rows[m.group(2)] = float(m.group(1))
    return rows

def scorch_rows():
    rows = {}
    for line in (work / "scorch.top").read_text().splitlines():
        m = re.match(r"\s*\S+\s+([\d.]+)%\s+[\d.]+%\s+\S+\s+[\d.]+%\s+(.+)$", line)
        if m: rows[m.group(2).strip()] = float(m.group(1))
    return rows

def cost(name):
    user, system, rss = (work / f"{name}.time").read_text().split()[-3:]
    return float(user) + float(system), int(rss) / 1024

perf, scorch = perf_rows(), scorch_rows()
samples = lambda log: next((l for l in (work / log).read_text().splitlines() if "samples" in l), "").strip()
print(f"workload: 75% hot_a / 25% hot_b, {seconds} s at 99 Hz, both tools at once")
print(f"{'function':<34}{'truth':>8}{'scorch':>10}{'perf':>10}")
for name in sorted(set(perf) | set(scorch), key=lambda n: -max(perf.get(n, 0), scorch.get(n, 0)))[:8]:
    truth = {"hot_a": "75.00%", "hot_b": "25.00%"}.get(name, "")
    print(f"{name[:33]:<34}{truth:>8}{scorch.get(name, 0):>9.2f}%{perf.get(name, 0):>9.2f}%")
s_cpu, s_rss = cost("scorch")
p_cpu, p_rss = cost("perf")
r_cpu, r_rss = cost("perf-report")
print()
print(f"{'tool':<40}{'CPU s':>8}{'peak RSS MB':>14}")
print(f"{'scorch record (incl. symbolization)':<40}{s_cpu:>8.2f}{s_rss:>14.1f}")
print(f"{'perf record':<40}{p_cpu:>8.2f}{p_rss:>14.1f}")
print(f"{'perf record + perf report':<40}{p_cpu + r_cpu:>8.2f}{max(p_rss, r_rss):>14.1f}")
print()
print("scorch:", samples("scorch.log"))
print("perf:  ", samples("perf.log"))
PY
