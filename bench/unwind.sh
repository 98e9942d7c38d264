#!/usr/bin/env bash
# Completeness and cost of user-stack unwinding: scorch (--unwind auto) and `perf record --call-graph dwarf`, both at
# 99 Hz on the same workloads at the same time. For each tool: % of samples reaching _start, mean depth, and the
# tool's own CPU time per 1000 samples (for perf: record + `perf script`, where its unwinding happens).
#
# Usage: bench/unwind.sh [SECONDS]   (root)
set -euo pipefail
cd "$(dirname "$0")/.."
seconds=${1:-10}
make -s release bench-deps >/dev/null
work=$(mktemp -d)
trap 'rm -rf "$work"; kill $(jobs -p) 2>/dev/null || true' EXIT

cc -O2 -g -fomit-frame-pointer Tests/Workloads/chain.c -o "$work/chain"
swiftc -O -g Tests/Workloads/chain.swift -o "$work/swiftchain" 2>/dev/null
declare -A workloads=(
    ["C -O2 -fomit-frame-pointer"]="$work/chain"
    ["swiftc -O"]="$work/swiftchain"
    ["Python (pyenv, no FP)"]="/root/.pyenv/versions/3.11.7/bin/python3.11 Tests/Workloads/recursive.py"
    ["Python (Debian, stripped)"]="/usr/bin/python3.11 Tests/Workloads/recursive.py"
)

printf '%-28s %-7s %10s %10s %12s %14s\n' workload tool samples "_start %" "mean depth" "CPU ms/1000"
for name in "C -O2 -fomit-frame-pointer" "swiftc -O" "Python (pyenv, no FP)" "Python (Debian, stripped)"; do
    command=${workloads[$name]}
    [[ -x ${command%% *} ]] || { printf '%-28s skipped: %s missing\n' "$name" "${command%% *}"; continue; }
    $command >/dev/null 2>&1 &
    pid=$!
    sleep 0.5
    /usr/bin/time -f "%U %S" -o "$work/scorch.time" .build/release/scorch record --pid "$pid" --frequency 99 \
        --duration "${seconds}s" --format folded --output "$work/scorch.folded" 2>"$work/scorch.log" &
    scorch=$!
    /usr/bin/time -f "%U %S" -o "$work/perf.time" perf record -F 99 --call-graph dwarf -p "$pid" \
        -o "$work/perf.data" -- sleep "$seconds" 2>/dev/null &
    perf=$!
    wait $scorch $perf
    kill "$pid" 2>/dev/null; wait "$pid" 2>/dev/null || true
    /usr/bin/time -f "%U %S" -o "$work/perf-script.time" perf script -i "$work/perf.data" -F ip,sym \
        >"$work/perf.script" 2>/dev/null
    python3 - "$work" "$name" <<'PY'
import pathlib, sys
work, name = pathlib.Path(sys.argv[1]), sys.argv[2]
def cpu(*files):
    return sum(float(x) for f in files for x in (work / f).read_text().split()[-2:]) * 1000
# scorch: folded lines "comm;root;...;leaf count"
samples = reached = depth = 0
for line in (work / "scorch.folded").read_text().splitlines():
    stack, count = line.rsplit(" ", 1)
    frames = stack.split(";")[1:]
    count = int(count)
    samples += count
    depth += len(frames) * count
    reached += count if frames and frames[0] == "_start" else 0
print(f"{name:<28} {'scorch':<7} {samples:>10} {100*reached/max(samples,1):>9.1f}% {depth/max(samples,1):>12.1f} "
      f"{cpu('scorch.time')*1000/max(samples,1):>14.1f}")
# perf script: stacks separated by blank lines, leaf first, each line "ip sym+off (dso)" or "ip [unknown] (...)"
stacks, current = [], []
for line in (work / "perf.script").read_text().splitlines():
    if line.strip():
        current.append(line.split()[1] if len(line.split()) > 1 else "?")
    elif current:
        stacks.append(current); current = []
if current: stacks.append(current)
reached = sum(1 for s in stacks if s[-1].split("+")[0] == "_start")
n = len(stacks)
print(f"{'':<28} {'perf':<7} {n:>10} {100*reached/max(n,1):>9.1f}% {sum(map(len, stacks))/max(n,1):>12.1f} "
      f"{cpu('perf.time', 'perf-script.time')*1000/max(n,1):>14.1f}")
PY
    grep -o "unwinding auto: .*" "$work/scorch.log" | sed 's/^/    scorch: /' || true
done
