#!/usr/bin/env bash
# Issue 20's image figures: the N-article corpus of bench/compare.sh with K articles
# carrying a distinct W x H JPEG lead photo (bench/gen_images.rs), built by digest and by
# Hugo, which resizes the same photos to the same widths in WebP (bench/hugo/, quality 80,
# Catmull-Rom, as digest's defaults; digest also makes a JPEG fallback at each width).
#
#   bash bench/images.sh                 # N=10000 K=1000 2400x1600, ROUNDS=3
#   bash bench/images.sh 1000 100        # smaller
#   NO_HUGO=1 bash bench/images.sh       # digest only (Hugo's first build takes ~20 min)
#   ROUNDS=1 REPEAT=7 bash bench/images.sh   # one first build, seven in-place pairs
#
# Each round, alternately: digest's first build (image cache removed), Hugo's first build
# (resources/ and its cache removed), digest's rebuild with the warm image cache, and
# digest building the same corpus without images (the K articles as plain files), each
# into a new folder under `/usr/bin/time -v`, after a `sync`; then the two rebuilds again,
# REPEAT times each, alternately, into the folder it built before (what `digest build` run again in a site does: it
# reuses its spare tree and skips copying files whose size and time are unchanged).
# Prints medians, the ratios the issue names (first build / Hugo's <= 0.5, warm / no
# images <= 1.1, into a new folder and in place; RSS < 600 MB) and the count of WebP
# files each wrote. Everything lives in one temp dir (TMPDIR),
# removed on exit.
set -euo pipefail

N=${1:-10000}
K=${2:-1000}
SIZE=${SIZE:-2400x1600}
ROUNDS=${ROUNDS:-3}
REPEAT=${REPEAT:-3} # in-place rebuild pairs per round (they are quick, and noisy)
if [[ ! $N =~ ^[0-9]+$ || ! $K =~ ^[0-9]+$ || $K -gt $N || ! $ROUNDS =~ ^[1-9][0-9]*$ ]]; then
    echo "usage: [ROUNDS=3] [SIZE=2400x1600] bash bench/images.sh [N [K]]   (K <= N)" >&2
    exit 2
fi

REPO=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$REPO"
source bench/lib.sh
for tool in hugo /usr/bin/time; do
    command -v "$tool" >/dev/null || { echo "needs $tool: apt-get install -y hugo time" >&2; exit 1; }
done

echo "building digest, gen_corpus and gen_images (release)" >&2
cargo build --release --quiet --bin digest --example gen_corpus --example gen_images
BIN=${CARGO_TARGET_DIR:-$REPO/target}/release
DIGEST=$BIN/digest

TMP=$(mktemp -d "${TMPDIR:-/tmp}/digest-images.XXXXXX")
warn_about_fs "$TMP"
trap 'rm -rf "$TMP"' EXIT
PLAIN=$TMP/plain
PICS=$TMP/pics
HSITE=$TMP/hugo-site
export HUGO_CACHEDIR=$TMP/hugo-cache

"$BIN/examples/gen_corpus" "$N" "$PLAIN" >&2
cp -a "$PLAIN" "$PICS"
"$BIN/examples/gen_images" "$K" "$PICS" "$SIZE"
hugo_site "$PICS" "$HSITE"
echo "photos: $(du -sh --apparent-size "$PICS/content" | cut -f1) of content, read once into the page cache" >&2
find "$PICS/content" -name lead.jpg -exec cat {} + >/dev/null

# run NAME OUT CMD...: one timed build into OUT (a folder that does not exist yet).
run() {
    local name=$1 out=$2
    shift 2
    sync
    /usr/bin/time -v -o "$TMP/$name.time" "$@" >"$TMP/$name.log" 2>&1 || {
        echo "$name failed: $*" >&2
        tail -n 30 "$TMP/$name.log" >&2
        exit 1
    }
    webp[${name%%.*}]=$(find "$out" -name '*.webp' | wc -l)
    [[ $name == again.* || $name == plain-again.* ]] || { deleting_is_safe "$TMP" && rm -rf "$out"; }
    return 0
}

# again NAME ROOT K: digest's rebuild of ROOT into the folder it was built into before
# (twice before the first timed one, so that the spare `.NAME.previous` exists and the
# rebuild reuses a tree, as every rebuild of a site after its second does).
again() {
    local name=$1 root=$2 out=$TMP/o-$1
    if [[ ! -d $out ]]; then
        "$DIGEST" build --root "$root" --output "$out" >/dev/null 2>&1
        "$DIGEST" build --root "$root" --output "$out" >/dev/null 2>&1
    fi
    run "$name.$r.$3" "$out" "$DIGEST" build --root "$root" --output "$out"
}

declare -A webp
"$DIGEST" build --root "$PLAIN" --output "$TMP/warmup" >/dev/null 2>&1 # page cache, checks it builds
rm -rf "$TMP/warmup"
for ((r = 1; r <= ROUNDS; r++)); do
    echo "round $r/$ROUNDS" >&2
    rm -rf "$PICS/.digest-cache"
    run "first.$r" "$TMP/o-first-$r" "$DIGEST" build --root "$PICS" --output "$TMP/o-first-$r"
    if [[ -z ${NO_HUGO:-} ]]; then
        rm -rf "$HSITE/resources" "$HUGO_CACHEDIR"
        run "hugo.$r" "$TMP/o-hugo-$r" hugo --source "$HSITE" --destination "$TMP/o-hugo-$r"
    fi
    run "warm.$r" "$TMP/o-warm-$r" "$DIGEST" build --root "$PICS" --output "$TMP/o-warm-$r"
    run "plain.$r" "$TMP/o-plain-$r" "$DIGEST" build --root "$PLAIN" --output "$TMP/o-plain-$r"
    for ((k = 1; k <= REPEAT; k++)); do
        again again "$PICS" "$k"
        again plain-again "$PLAIN" "$k"
    done
done


echo
echo "== $N articles, $K with a $SIZE JPEG lead photo, $ROUNDS rounds (median) on $(nproc) cores =="
echo "digest $(git rev-parse --short HEAD)$(git diff --quiet HEAD -- src templates Cargo.toml Cargo.lock || echo '+uncommitted changes'), $(hugo version | awk '{print $1, $2}')"
printf '%-34s %8s %8s %12s %6s\n' build "wall s" "cpu s" "peak RSS MB" webp
declare -A W R
NAMES=(first hugo warm plain again plain-again)
[[ -z ${NO_HUGO:-} ]] || NAMES=(first warm plain again plain-again)
for name in "${NAMES[@]}"; do
    W[$name]=$(field "$TMP/$name" wall | median)
    R[$name]=$(field "$TMP/$name" rss | median)
    case $name in
    first) label="digest, first (no image cache)" ;;
    hugo) label="hugo, first (no resources/)" ;;
    warm) label="digest, rebuild (warm image cache)" ;;
    plain) label="digest, same corpus without images" ;;
    again) label="digest, rebuild in place (warm)" ;;
    plain-again) label="digest, no images, rebuild in place" ;;
    esac
    awk -v l="$label" -v w="${W[$name]}" -v c="$(field "$TMP/$name" cpu | median)" -v r="${R[$name]}" -v n="${webp[$name]}" \
        'BEGIN { printf "%-34s %8.2f %8.2f %12.1f %6d\n", l, w, c, r / 1024, n }'
done
awk -v f="${W[first]}" -v h="${W[hugo]:-0}" -v w="${W[warm]}" -v p="${W[plain]}" -v a="${W[again]}" -v pa="${W[plain-again]}" -v r="${R[first]}" 'BEGIN {
    if (h > 0) printf "first build / hugo: %.2f (goal <= 0.5); ", f / h
    printf "warm rebuild / no images: into a new folder %.2f, in place %.2f (goal <= 1.1); digest peak RSS %.0f MB (goal < 600)\n", w / p, a / pa, r / 1024 }'
for name in "${NAMES[@]}"; do echo "$name per round, wall s: $(field "$TMP/$name" wall | tr '\n' ' ')"; done
echo "digest says: $(tail -n 1 "$TMP/first.$ROUNDS.log")"
[[ -n ${NO_HUGO:-} ]] || echo "hugo says:   $(grep -E '^Total in' "$TMP/hugo.$ROUNDS.log" || tail -n 1 "$TMP/hugo.$ROUNDS.log")"
