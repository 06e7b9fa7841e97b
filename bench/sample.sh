#!/usr/bin/env bash
# Wall time of `digest build` on the sample digest at the repo root (issue 6: under 100 ms).
#
#   bash bench/sample.sh          # 20 timed builds (RUNS=50 for more)
#
# Builds the release binary, runs one untimed warm-up build (fills the page cache), then
# RUNS builds of the whole process, each into its own new output folder (see
# bench/compare.sh on removing outputs just before a build), and prints every time, the
# median and the slowest.
set -euo pipefail
RUNS=${RUNS:-20}
if [[ ! $RUNS =~ ^[0-9]+$ || $RUNS -lt 1 ]]; then
    echo "usage: [RUNS=20] bash bench/sample.sh" >&2
    exit 2
fi
REPO=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$REPO"
BIN=${CARGO_TARGET_DIR:-$REPO/target}/release
cargo build --release --quiet --bin digest
TMP=$(mktemp -d "${TMPDIR:-/tmp}/digest-sample.XXXXXX")
source "$REPO/bench/lib.sh"
warn_about_fs "$TMP"
trap 'rm -rf "$TMP"' EXIT
"$BIN/digest" build --output "$TMP/warmup" >/dev/null
times=()
for r in $(seq 1 "$RUNS"); do
    start=$(date +%s%N)
    "$BIN/digest" build --output "$TMP/out-$r" >/dev/null
    times+=($((($(date +%s%N) - start) / 1000)))
done
sorted=$(printf '%s\n' "${times[@]}" | sort -n)
ms() { awk "BEGIN {printf \"%.1f\", $1/1000}"; }
median=$(awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}' <<<"$sorted")
slowest=$(tail -n 1 <<<"$sorted")
echo "runs (ms): $(for t in "${times[@]}"; do printf '%s ' "$(ms "$t")"; done)"
echo "sample digest: $(find "$TMP/out-1" -type f | wc -l) files, median $(ms "$median") ms, slowest $(ms "$slowest") ms over $RUNS builds"
