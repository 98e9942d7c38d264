#!/usr/bin/env bash
# The continuous agent's own cost: N seconds (default 300) at 19 Hz with both CPUs busy, next to
# `perf record -F 19 -a -g` over the same time. Prints each tool's CPU time (as % of one core) and peak RSS.
#
# Usage: bench/agent-overhead.sh [SECONDS]   (root)
set -euo pipefail
cd "$(dirname "$0")/.."
seconds=${1:-300}
make -s release bench-deps >/dev/null
work=$(mktemp -d)
trap 'kill $(jobs -p) 2>/dev/null || true; rm -rf "$work"' EXIT

cc -O2 -g -fomit-frame-pointer Tests/Workloads/chain.c -o "$work/chain"
for _ in $(nproc --all | xargs seq); do "$work/chain" $((seconds + 30)) & done
sleep 1

/usr/bin/time -f "%U %S %M" -o "$work/agent.time" \
    .build/release/scorch agent --store "$work/store" --frequency 19 2>"$work/agent.log" &
agent=$!
/usr/bin/time -f "%U %S %M" -o "$work/perf.time" \
    perf record -F 19 -a -g -o "$work/perf.data" -- sleep "$seconds" 2>/dev/null &
perf=$!
sleep "$seconds"
kill -TERM "$(pgrep -P $agent scorch || echo $agent)" 2>/dev/null || true
wait $agent $perf 2>/dev/null || true

python3 - "$work" "$seconds" <<'PY'
import pathlib, re, sys
work, seconds = pathlib.Path(sys.argv[1]), float(sys.argv[2])
def cost(name):
    user, system, rss = (work / f"{name}.time").read_text().split()[-3:]
    return (float(user) + float(system)) / seconds * 100, int(rss) / 1024
log = (work / "agent.log").read_text()
windows = [l for l in log.splitlines() if "window: " in l]
samples = sum(int(m.group(1)) for l in windows for m in [re.search(r"window: (\d+) samples", l)] if m)
store = sum(f.stat().st_size for f in (work / "store").rglob("*") if f.is_file())
print(f"{seconds:.0f} s at 19 Hz, {len(windows)} windows, {samples} samples, store {store / 1024:.0f} KiB")
print(f"{'tool':<28}{'CPU % of a core':>18}{'peak RSS MB':>14}")
for name, label in (("agent", "scorch agent"), ("perf", "perf record -F 19 -a -g")):
    cpu, rss = cost(name)
    print(f"{label:<28}{cpu:>17.3f}%{rss:>14.1f}")
print("goal: scorch agent <= 0.3 % of one core, <= 40 MB RSS")
PY
