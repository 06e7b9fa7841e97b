#!/usr/bin/env bash
# Build the same generated N-article digest with `digest` and with Hugo, alternately, and
# print the median wall time and peak RSS of each and the ratio digest/hugo.
#
#   bash bench/compare.sh 10000            # 5 timed rounds (ROUNDS=7 for more)
#
# Steps: build digest and the corpus generator in release; generate the corpus once into a
# temp dir (bench/gen_corpus.rs); lay out a Hugo site from bench/hugo/ over the same
# articles; run one untimed warm-up build of each tool (checks both succeed, fills the page
# cache); then ROUNDS rounds of "digest, hugo", each build under `/usr/bin/time -v` into an
# new output folder, after a `sync`. Everything lives in one temp dir, removed on exit.
#
# Needs hugo and GNU time; installs them with apt-get when missing (Debian/Ubuntu).
set -euo pipefail

N=${1:-}
ROUNDS=${ROUNDS:-5}
if [[ ! $N =~ ^[0-9]+$ || $N -lt 1 || ! $ROUNDS =~ ^[0-9]+$ || $ROUNDS -lt 1 ]]; then
    echo "usage: [ROUNDS=5] bash bench/compare.sh N   (N articles, e.g. 10000)" >&2
    exit 2
fi

REPO=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$REPO"
BIN=${CARGO_TARGET_DIR:-$REPO/target}/release

# --- tools -------------------------------------------------------------------------------
missing=()
command -v hugo >/dev/null 2>&1 || missing+=(hugo)
[[ -x /usr/bin/time ]] || missing+=(time)
if ((${#missing[@]})); then
    echo "installing ${missing[*]} with apt-get" >&2
    SUDO=
    [[ $(id -u) -eq 0 ]] || SUDO=sudo
    $SUDO apt-get install -y "${missing[@]}" >/dev/null ||
        { $SUDO apt-get update >/dev/null && $SUDO apt-get install -y "${missing[@]}" >/dev/null; }
fi

echo "building digest and gen_corpus (release)" >&2
cargo build --release --quiet --bin digest --example gen_corpus
DIGEST=$BIN/digest
GEN=$BIN/examples/gen_corpus

# --- corpus ------------------------------------------------------------------------------
TMP=$(mktemp -d "${TMPDIR:-/tmp}/digest-bench.XXXXXX")
source "$REPO/bench/lib.sh"
warn_about_fs "$TMP"
trap 'rm -rf "$TMP"' EXIT
SITE=$TMP/digest-site
HSITE=$TMP/hugo-site
export HUGO_CACHEDIR=$TMP/hugo-cache

"$GEN" "$N" "$SITE"

hugo_site "$SITE" "$HSITE"

# cmd TOOL OUT: sets CMD to the build command of TOOL writing into OUT.
cmd() {
    case $1 in
    digest) CMD=("$DIGEST" build --root "$SITE" --output "$2") ;;
    hugo) CMD=(hugo --source "$HSITE" --destination "$2") ;;
    esac
}

# build TOOL LABEL: one build into a folder that never existed; timed unless LABEL is
# "warmup". Outputs are kept until the end rather than removed before the next build: on
# this machine's ext4 (no journal) a new file may not reuse an inode freed in the last
# 30 s and the allocator scans past each one, so removing 15,000 files just before a
# build made that build's file creation several times slower (for both tools).
build() {
    local tool=$1 label=$2 out=$TMP/out-$1 timer=()
    [[ $label == warmup ]] || out=$TMP/out-$1-$label
    sync # so the previous build's writeback does not land in this one's time
    cmd "$tool" "$out"
    [[ $label == warmup ]] || timer=(/usr/bin/time -v -o "$TMP/$tool.$label.time")
    "${timer[@]}" "${CMD[@]}" >"$TMP/$tool.$label.log" 2>&1 || {
        echo "$tool build failed: ${CMD[*]}" >&2
        tail -n 40 "$TMP/$tool.$label.log" >&2
        exit 1
    }
}

echo "warm-up builds" >&2
build digest warmup
build hugo warmup
declare -A HTML FILES BYTES
for tool in digest hugo; do
    HTML[$tool]=$(find "$TMP/out-$tool" -name '*.html' | wc -l)
    FILES[$tool]=$(find "$TMP/out-$tool" -type f | wc -l)
    BYTES[$tool]=$(du -sb "$TMP/out-$tool" | cut -f1)
done
# Hugo writes /page/1/ of every list as a redirect stub ("alias" pages).
HUGO_ALIASES=$(grep -rl --include=index.html 'http-equiv="refresh"' "$TMP/out-hugo" | wc -l)

for ((r = 1; r <= ROUNDS; r++)); do
    echo "round $r/$ROUNDS" >&2
    build digest "$r"
    build hugo "$r"
done

# --- report ------------------------------------------------------------------------------

declare -A WALL RSS CPU
for tool in digest hugo; do
    WALL[$tool]=$(field "$TMP/$tool" wall | median)
    RSS[$tool]=$(field "$TMP/$tool" rss | median)
    CPU[$tool]=$(field "$TMP/$tool" cpu | median)
done

echo
echo "== $N articles, $ROUNDS rounds (median) on $(nproc) cores =="
echo "digest $(git -C "$REPO" rev-parse --short HEAD)$(git -C "$REPO" diff --quiet HEAD -- src templates Cargo.toml Cargo.lock || echo '+uncommitted changes'), $(hugo version | awk '{print $1, $2}')"
printf '%-7s %8s %8s %12s %8s %8s %8s\n' tool "wall s" "cpu s" "peak RSS MB" ".html" files "MB out"
for tool in digest hugo; do
    awk -v t="$tool" -v w="${WALL[$tool]}" -v c="${CPU[$tool]}" -v r="${RSS[$tool]}" \
        -v h="${HTML[$tool]}" -v f="${FILES[$tool]}" -v b="${BYTES[$tool]}" \
        'BEGIN { printf "%-7s %8.2f %8.2f %12.1f %8d %8d %8.1f\n", t, w, c, r / 1024, h, f, b / 1048576 }'
done
echo "(hugo's .html count includes $HUGO_ALIASES /page/1/ redirect stubs)"
awk -v w1="${WALL[digest]}" -v w2="${WALL[hugo]}" -v r1="${RSS[digest]}" -v r2="${RSS[hugo]}" \
    'BEGIN { printf "ratio digest/hugo: wall %.2f, peak RSS %.2f\n", w1 / w2, r1 / r2 }'
echo "per round, wall s: digest $(field "$TMP/digest" wall | tr '\n' ' ')| hugo $(field "$TMP/hugo" wall | tr '\n' ' ')"
echo "digest says: $(tail -n 1 "$TMP/digest.$ROUNDS.log")"
echo "hugo says:   $(grep -E '^Total in' "$TMP/hugo.$ROUNDS.log" || tail -n 1 "$TMP/hugo.$ROUNDS.log")"
