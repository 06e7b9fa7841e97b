#!/usr/bin/env bash
# The whole build against its floor: the time to only read, parse and render every article
# body (front matter, Markdown, syntax highlighting; all cores; no templates, no site model,
# no writes), measured by examples/floor.rs, beside `digest build` of the same corpus.
#
#   bash bench/floor.sh 10000        # ROUNDS=5 by default
#
# Prints each round with its own build/floor, then the medians and build/floor of the
# medians (the figure; the target is at most 1.5), and the median of the rounds' ratios: on a
# VM whose speed drifts by tens of percent within a minute, the ratio of a floor and a build
# run back to back is the steadier view.
set -euo pipefail

N=${1:-}
ROUNDS=${ROUNDS:-5}
if [[ ! $N =~ ^[0-9]+$ || $N -lt 1 ]]; then
    echo "usage: [ROUNDS=5] bash bench/floor.sh N" >&2
    exit 2
fi
REPO=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$REPO"
cargo build --release --quiet --bin digest --example gen_corpus --example floor
TMP=$(mktemp -d "${TMPDIR:-/tmp}/digest-floor.XXXXXX")
trap 'rm -rf "$TMP"' EXIT
target/release/examples/gen_corpus "$N" "$TMP/site" >/dev/null
# Warm-up: fills the page cache and checks the corpus builds.
target/release/digest build --root "$TMP/site" --output "$TMP/out" >/dev/null

floors=() builds=() ratios=()
for r in $(seq 1 "$ROUNDS"); do
    f=$(target/release/examples/floor "$TMP/site" 1 2>/dev/null | sed -n 's/^floor median: \([0-9]*\) ms$/\1/p')
    # A new output folder each round, none removed until the end: see bench/compare.sh
    # on ext4 and recently freed inodes.
    sync
    start=$(date +%s%N)
    target/release/digest build --root "$TMP/site" --output "$TMP/out-$r" >/dev/null
    b=$((($(date +%s%N) - start) / 1000000))
    ratio=$(awk "BEGIN {printf \"%.2f\", $b/$f}")
    echo "round $r: floor $f ms, build $b ms, build/floor $ratio"
    floors+=("$f") builds+=("$b") ratios+=("$ratio")
done
median() { printf '%s\n' "$@" | sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }
mf=$(median "${floors[@]}") mb=$(median "${builds[@]}")
echo "N=$N median floor ${mf} ms, median build ${mb} ms, build/floor $(awk "BEGIN {printf \"%.2f\", $mb/$mf}"), median of the rounds' build/floor $(median "${ratios[@]}")"
