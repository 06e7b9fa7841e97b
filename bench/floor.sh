#!/usr/bin/env bash
# The whole build against its floor: the time to only read, parse and render every article
# body (front matter, Markdown, syntax highlighting; all cores; no templates, no site model,
# no writes), measured by bench/floor.rs, beside `digest build` of the same corpus.
#
#   bash bench/floor.sh 10000        # ROUNDS=5 by default
#
# Each round runs the floor, then two builds: a rebuild into the same output folder, as an
# editor runs `digest build` again and again (it reuses the output it replaced, see
# src/output/mod.rs), and a first build into a new folder, as in CI. Prints each round with
# its own build/floor ratios, then the medians and the ratios of the medians (the figures;
# the target is at most 1.5), and the median of the rounds' ratios: on a VM whose speed
# drifts by tens of percent within a minute, the ratio of a floor and a build run back to
# back is the steadier view.
set -euo pipefail

N=${1:-}
ROUNDS=${ROUNDS:-5}
if [[ ! $N =~ ^[0-9]+$ || $N -lt 1 ]]; then
    echo "usage: [ROUNDS=5] bash bench/floor.sh N" >&2
    exit 2
fi
REPO=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$REPO"
BIN=${CARGO_TARGET_DIR:-$REPO/target}/release
cargo build --release --quiet --bin digest --example gen_corpus --example floor
TMP=$(mktemp -d "${TMPDIR:-/tmp}/digest-floor.XXXXXX")
source "$REPO/bench/lib.sh"
warn_about_fs "$TMP"
trap 'rm -rf "$TMP"' EXIT
"$BIN/examples/gen_corpus" "$N" "$TMP/site" >/dev/null
build() { "$BIN/digest" build --root "$TMP/site" --output "$1" >/dev/null; }
# Warm-up: fills the page cache, checks the corpus builds, and leaves an output folder and
# its kept previous output, as a site has after two builds.
build "$TMP/out"
build "$TMP/out"

ms_since() { echo $((($(date +%s%N) - $1) / 1000000)); }
ratio() { awk "BEGIN {printf \"%.2f\", $1/$2}"; }
median() { printf '%s\n' "$@" | sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }
floors=() rebuilds=() fresh=() rebuild_ratios=() fresh_ratios=()
for r in $(seq 1 "$ROUNDS"); do
    # Every timed run starts with no dirty pages: the last build's writes are flushed (by
    # kernel threads, on the same two cores) before the floor, not during it.
    sync
    f=$("$BIN/examples/floor" "$TMP/site" 1 2>/dev/null | sed -n 's/^floor median: \([0-9]*\) ms$/\1/p')
    sync
    start=$(date +%s%N)
    build "$TMP/out"
    b=$(ms_since "$start")
    # A new folder each round, removed after it is timed where that is safe (on ext4
    # without a journal, kept to the end: see bench/lib.sh).
    sync
    start=$(date +%s%N)
    build "$TMP/new-$r"
    n=$(ms_since "$start")
    if deleting_is_safe "$TMP"; then
        rm -rf "$TMP/new-$r"
    fi
    echo "round $r: floor $f ms; rebuild $b ms, $(ratio "$b" "$f") x floor;" \
        "build into a new folder $n ms, $(ratio "$n" "$f") x floor"
    floors+=("$f") rebuilds+=("$b") fresh+=("$n")
    rebuild_ratios+=("$(ratio "$b" "$f")") fresh_ratios+=("$(ratio "$n" "$f")")
done
mf=$(median "${floors[@]}") mb=$(median "${rebuilds[@]}") mn=$(median "${fresh[@]}")
echo "N=$N median floor ${mf} ms"
echo "  rebuild: median ${mb} ms, build/floor $(ratio "$mb" "$mf"), median of the rounds' build/floor $(median "${rebuild_ratios[@]}")"
echo "  build into a new folder: median ${mn} ms, build/floor $(ratio "$mn" "$mf"), median of the rounds' build/floor $(median "${fresh_ratios[@]}")"
