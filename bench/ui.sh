#!/usr/bin/env bash
# The UI and its API on a day of data. Builds (or reuses) a 24 h store the way bench/store.sh does (10 s windows cut
# from real recordings), serves it with `scorch serve` (release build), and measures:
#   - API latency (curl, warm, median of 5) of the 24 h flame graph, top table and timeline, and of a 1 h flame graph;
#   - first paint in Debian's headless Chromium (bench/ui_paint.py, Performance marks the page sets): a 100,000-node
#     flame graph (a generated tree answered in place of /api/v1/flamegraph, to time the browser alone) and the real
#     24 h answer with max_nodes=100000. Goal: ≤ 100 ms to first paint.
# Prints a table and appends it, with the machine, the date and the load, to bench/RESULTS.md.
#
# Usage: bench/ui.sh [WINDOWS]   (root; default 8640 windows = 24 h)
#   SCORCH_SCRATCH      SwiftPM scratch path (default .build-store, shared with bench/store.sh)
#   SCORCH_UI_STORE     a store made by an earlier run (SCORCH_BENCH_STORE=DIR bench/store.sh) to reuse
#   SCORCH_RECORDINGS   passed on to bench/store.sh
set -euo pipefail
cd "$(dirname "$0")/.."
windows=${1:-8640}
export SCORCH_SCRATCH=${SCORCH_SCRATCH:-.build-store}
work=$(mktemp -d)
trap 'kill $(jobs -p) 2>/dev/null || true; wait 2>/dev/null || true; rm -rf "$work"' EXIT

scripts/install-deps.sh chromium curl
scripts/install-python-tools.sh
swift build -c release --scratch-path "$SCORCH_SCRATCH" --product scorch 2>&1 | grep -E "error" || true
scorch="$SCORCH_SCRATCH/release/scorch"
test -x "$scorch" || { echo "release build failed" >&2; exit 1; }

load_before=$(cut -d' ' -f1-3 /proc/loadavg)
store=${SCORCH_UI_STORE:-}
if [[ -z "$store" ]]; then
    store="$work/store"
    echo "building a store of $windows windows with bench/store.sh" >&2
    SCORCH_BENCH_STORE="$store" bench/store.sh "$windows" >"$work/store.txt"
    grep -E "windows of|whole 24 h|warm query" "$work/store.txt" >&2 || true
fi
# store-bench's windows start at 2025-11-25T00:00:00Z, 10 s each.
from=2025-11-25T00:00:00Z
to=$(date -u -d "@$((1764028800 + windows * 10))" +%Y-%m-%dT%H:%M:%SZ)
hour_from=$(date -u -d "@$((1764028800 + windows * 10 - 3600))" +%Y-%m-%dT%H:%M:%SZ)

port=$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
url="http://127.0.0.1:$port"
"$scorch" serve --store "$store" --listen "127.0.0.1:$port" --web-root web-static 2>"$work/serve.log" &
for _ in $(seq 100); do curl -sf "$url/api/v1/labels" >/dev/null && break; sleep 0.1; done
curl -sf "$url/api/v1/labels" >/dev/null || { echo "scorch serve did not start:" >&2; cat "$work/serve.log" >&2; exit 1; }

# Median of 5 warm requests (after one to warm up), in ms, and the answer's size.
latency() {
    curl -sf -o /dev/null "$url$1"
    local times=()
    for _ in 1 2 3 4 5; do times+=("$(curl -sf -o "$work/answer" -w '%{time_total}' "$url$1")"); done
    printf '%s\n' "${times[@]}" | sort -n | sed -n 3p | awk '{printf "%.1f", $1 * 1000}'
    printf ' %s\n' "$(stat -c %s "$work/answer")"
}
query="from=$from&to=$to"
rows=()
while IFS='|' read -r name path; do
    read -r ms bytes < <(latency "$path")
    rows+=("$(printf '%-44s %10s ms %12s B' "$name" "$ms" "$bytes")")
done <<EOF_PATHS
API 24 h flame graph (default 8192 nodes)|/api/v1/flamegraph?$query
API 24 h flame graph, max_nodes=100000|/api/v1/flamegraph?$query&max_nodes=100000
API 1 h flame graph|/api/v1/flamegraph?from=$hour_from&to=$to
API 24 h top (limit 200)|/api/v1/top?$query&limit=200
API 24 h series (step 10m)|/api/v1/series?$query&step=600s
EOF_PATHS

.build-venv/bin/python bench/ui_paint.py --url "$url" --from "$from" --to "$to" --runs 5 >"$work/paint.json"
paint_rows=$(python3 - "$work/paint.json" <<'EOF_PY'
import json, sys
for line in open(sys.argv[1]):
    r = json.loads(line)
    name = "100k-node generated tree" if r["case"] == "synthetic-100k" else "real 24 h answer, max_nodes=100000"
    print(f"first paint, {name} ({r['nodes']} nodes)")
    print(f"  response received -> painted (JSON parse included)   {r['responseToPainted']:8.1f} ms")
    print(f"    JSON parse {r['parse']:.1f} ms, partial model {r['model']:.1f} ms, draw {r['draw']:.1f} ms")
    print(f"  request sent -> painted (server and transfer included) {r['requestToPainted']:8.1f} ms")
    print(f"  page navigation -> painted                            {r['navigationToPainted']:8.1f} ms")
    print(f"  full redraw of the view (hover, scroll)               {r['redraw']:8.1f} ms")
EOF_PY
)
load_after=$(cut -d' ' -f1-3 /proc/loadavg)
cpu=$(grep -m1 "model name" /proc/cpuinfo | cut -d: -f2 | sed 's/^ *//')
table=$(printf '%s\n' "${rows[@]}"; printf '%s\n' "$paint_rows")
echo "$table"

{
    echo
    echo "## bench/ui.sh — $(date -u +%Y-%m-%d\ %H:%M) UTC, $(git rev-parse --short HEAD)"
    echo
    echo "$(nproc) CPUs ($cpu), $(free -g | awk '/Mem:/ {print $2}') GiB; $windows windows of 10 s;" \
        "load average before $load_before, after $load_after (2 CPUs: above ~1 means other work shared them)."
    echo "Median of 5 warm runs each; Chromium $(chromium --version 2>/dev/null | awk '{print $2}') headless."
    echo
    echo '```'
    echo "$table"
    echo '```'
} >>bench/RESULTS.md
