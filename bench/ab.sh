#!/usr/bin/env bash
# A/B of two `digest` binaries (or one binary under two environments) on first builds of
# the same generated corpus into new folders, alternating, with each build's phases.
#
#   A=/tmp/digest-before B=target/release/digest bash bench/ab.sh 10000 5
#   B_ENV="RAYON_NUM_THREADS=3" bash bench/ab.sh 10000 5    # same binary, other setting
#
# A and B default to target/release/digest (build it first); A_ENV and B_ENV are
# `NAME=value` words passed to `env`. Prints, per build, the wall time and the
# `DIGEST_TIMINGS` milliseconds of "prepare the staging folder" and "render and write
# pages". Each output is removed once timed, unless that is unsafe (see bench/lib.sh).
set -euo pipefail

N=${1:-}
ROUNDS=${2:-5}
if [[ ! $N =~ ^[0-9]+$ || $N -lt 1 || ! $ROUNDS =~ ^[0-9]+$ ]]; then
    echo "usage: [A=bin] [B=bin] [A_ENV=..] [B_ENV=..] bash bench/ab.sh N [ROUNDS]" >&2
    exit 2
fi
REPO=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$REPO"
BIN=${CARGO_TARGET_DIR:-$REPO/target}/release
cargo build --release --quiet --example gen_corpus
A=${A:-$BIN/digest}
B=${B:-$BIN/digest}
TMP=$(mktemp -d "${TMPDIR:-/tmp}/digest-ab.XXXXXX")
source "$REPO/bench/lib.sh"
warn_about_fs "$TMP"
trap 'rm -rf "$TMP"' EXIT
"$BIN/examples/gen_corpus" "$N" "$TMP/site" >/dev/null
"$A" build --root "$TMP/site" --output "$TMP/warmup" >/dev/null

for r in $(seq 1 "$ROUNDS"); do
    for side in A B; do
        bin=${!side}
        envs=${side}_ENV
        sync
        start=$(date +%s%N)
        # shellcheck disable=SC2086 # A_ENV/B_ENV are word lists on purpose
        env ${!envs:-} DIGEST_TIMINGS=1 "$bin" build --root "$TMP/site" --output "$TMP/$side-$r" \
            >/dev/null 2>"$TMP/$side-$r.log"
        ms=$((($(date +%s%N) - start) / 1000000))
        phases=$(awk '/prepare the staging|render and write/ {printf "%s ", $1}' "$TMP/$side-$r.log")
        if deleting_is_safe "$TMP"; then
            rm -rf "${TMP:?}/$side-$r"
        fi
        echo "$side round $r: $ms ms; prepare, render+write (ms): $phases"
    done
done
