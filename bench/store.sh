#!/usr/bin/env bash
# The profile store on real data: records real profiles with `scorch record` while the test workloads run, cuts and
# varies them into WINDOWS 10 s windows (default 8640 = 24 h; processes recur, restart with new pids and moved
# mappings, load follows a daily curve), appends them to a fresh store with the agent's maintenance (retention and
# compaction every minute: windows older than 1 h become 5-minute blocks), and prints bytes per sample on disk next
# to one pprof.gz per window, and warm query times for a 1 h and a 24 h merge. Release build.
#
# Usage: bench/store.sh [WINDOWS]   (root)
#   SCORCH_SCRATCH      SwiftPM scratch path (default .build-store)
#   SCORCH_RECORDINGS   a directory for the recordings: used as they are if it holds *.pb.gz, else filled
set -euo pipefail
cd "$(dirname "$0")/.."
windows=${1:-8640}
scratch=${SCORCH_SCRATCH:-.build-store}
work=$(mktemp -d)
trap 'kill $(jobs -p) 2>/dev/null || true; wait 2>/dev/null || true; rm -rf "$work"' EXIT

swift build -c release --scratch-path "$scratch" --product scorch 2>&1 | grep -E "error" || true
release="$scratch/release"
test -x "$release/scorch" || { echo "release build failed" >&2; exit 1; }

# The benchmark program, linked against the release build of ProfileStore and what it depends on.
modulemaps=(-Xcc "-fmodule-map-file=Sources/CZstd/module.modulemap")
for map in "$release"/*.build/module.modulemap \
    "$scratch"/checkouts/swift-atomics/Sources/_AtomicsShims/include/module.modulemap; do
    [ -e "$map" ] && modulemaps+=(-Xcc "-fmodule-map-file=$map")
done
objects=()
for target in ProfileStore ProfileModel ProfileQuery Logging SwiftProtobuf CompressNIO CCompressZlib NIOCore CNIOLinux \
    NIOConcurrencyHelpers CNIOAtomics Atomics _AtomicsShims DequeModule InternalCollectionsUtilities _NIODataStructures \
    _NIOBase64; do
    dir="$release/$target.build"
    [ -d "$dir" ] || continue
    if [ -f "$dir/sources" ]; then  # a Swift target: the objects of its current sources (not of deleted ones)
        while IFS= read -r source; do
            source=${source#\'}
            objects+=("$dir/$(basename "${source%\'}").o")
        done <"$dir/sources"
    else
        while IFS= read -r -d '' object; do objects+=("$object"); done < <(find "$dir" -name '*.o' -print0)
    fi
done
swiftc -O -parse-as-library -module-name StoreBench -I "$release/Modules" "${modulemaps[@]}" bench/store-bench.swift \
    "${objects[@]}" -lzstd -lz -o "$work/store-bench"

recordings=${SCORCH_RECORDINGS:-$work/recordings}
mkdir -p "$recordings"
if ! ls "$recordings"/*.pb.gz >/dev/null 2>&1; then
    # Workloads: C without frame pointers, deep recursion, system calls, C++, Python, Swift, process churn.
    cc -O2 -g -fomit-frame-pointer Tests/Workloads/chain.c -o "$work/chain"
    cc -O1 -g -fno-omit-frame-pointer Tests/Workloads/deep.c -o "$work/deep"
    cc -O2 -g Tests/Workloads/syscalls.c -o "$work/syscalls"
    cc -O2 -g -fno-omit-frame-pointer Tests/Workloads/split.c -o "$work/split"
    cc -O2 -g Tests/Workloads/forker.c -o "$work/forker"
    g++ -O2 -g Tests/Workloads/spinner.cpp -o "$work/spinner"
    swiftc -O Tests/Workloads/swiftspin.swift -o "$work/swiftspin" 2>/dev/null
    record() {  # record NAME while the workloads started before it run, then stop them
        "$release/scorch" record --duration 20s --frequency 49 --output "$recordings/$1.pb.gz" 2>"$work/$1.log"
        grep -E "^recorded|^wrote" "$work/$1.log" || tail -n 2 "$work/$1.log"
        kill $(jobs -p) 2>/dev/null || true
        wait 2>/dev/null || true
    }
    "$work/chain" 30 & "$work/deep" 60 & "$work/syscalls" & "$work/spinner" &
    record native
    python3 Tests/Workloads/recursive.py & python3 Tests/Workloads/recursive.py & "$work/swiftspin" & "$work/syscalls" &
    record scripted
    "$work/split" 3 1 30 & "$work/swiftspin" &
    (for _ in 1 2 3 4 5 6 7; do "$work/forker" "$work/chain"; done) &
    record mixed
    # Compilers: deep and varied stacks, many short-lived processes, like a build host.
    (while :; do swiftc -O Tests/Workloads/chain.swift -o "$work/chain-swift" 2>/dev/null; done) &
    (while :; do cc -O2 -g -c Tests/Workloads/fpcomplete.c -o "$work/fpcomplete.o"; done) &
    record build
fi

"$work/store-bench" "$work/store" "$windows" "$recordings"/*.pb.gz
