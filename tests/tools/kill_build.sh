#!/usr/bin/env bash
# Crash safety of `digest build`: SIGKILL it at random moments and check that the output
# folder is always one complete build (the previous one, or the new one if the kill came
# after the swap), never a mix, never missing; and that the next build succeeds and clears
# the debris of the killed one.
#
#   bash tests/tools/kill_build.sh [N_ARTICLES=10000] [KILLS=30]
#
# Steps: build digest and the corpus generator in release; generate N articles
# (bench/gen_corpus.rs) into a temp dir; build once and record a manifest of the output
# (every path and the SHA-256 of every file). Then KILLS times:
#   1. edit one article (a new sentence naming the round), so the new output differs;
#   2. start `digest build` and SIGKILL it: in rounds 1, 4, 7... after a random delay between
#      0 and 1.2 x the last full build's time (loading, rendering, writing); in rounds 2, 5,
#      8... between 0.8 and 1.1 x (the last writes and the swap); in rounds 3, 6, 9... as
#      soon as the output folder's inode changes, i.e. right after the swap, while the old
#      output is being kept as the spare `.public.previous` (which the next build reuses);
#   3. the output's manifest must equal the previous build's;
#      or, if the kill came after the swap, the manifest of the next build (same content);
#   4. build again to completion: it must succeed, and leave no `.public.staging-*` folder.
# Prints one line per round and a summary; exits 1 on the first violation, keeping the
# temp dir for inspection. Needs sha256sum (coreutils) and python3 (for the random delay).
set -euo pipefail

N=${1:-10000}
KILLS=${2:-30}
REPO=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
cd "$REPO"
cargo build --release --quiet --bin digest --example gen_corpus
TMP=$(mktemp -d /tmp/digest-kill.XXXXXX)
# A copy: a `cargo build` during the run must not change the binary between two builds.
cp "$REPO/target/release/digest" "$TMP/digest"
DIGEST=$TMP/digest
SITE=$TMP/site
OUT=$SITE/public
echo "corpus: $N articles in $SITE" >&2
"$REPO/target/release/examples/gen_corpus" "$N" "$SITE" >/dev/null 2>&1

manifest() { # every directory and file below $OUT, files with their hash, sorted
    (cd "$OUT" && find . -type d | LC_ALL=C sort && find . -type f -print0 | LC_ALL=C sort -z |
        xargs -0 -r sha256sum) | sha256sum | cut -d' ' -f1
}

build() { "$DIGEST" build --root "$SITE" >/dev/null; }

start=$(date +%s.%N)
build
full=$(python3 -c "import time; print(round(time.time() - $start, 2))")
files=$(find "$OUT" -type f | wc -l)
prev=$(manifest)
first=$full
echo "first build: $files files in $full s; manifest $prev" >&2
# Output of an unchanged corpus must be reproducible, or step 3 could not compare.
build
[[ $(manifest) == "$prev" ]] || { echo "FAIL: two builds of the same content differ" >&2; exit 1; }

# (`sed -n 1p` reads all its input: `head -1` would end `sort` with SIGPIPE, and pipefail.)
victim=$(find "$SITE/content/articles" -name '*.md' | LC_ALL=C sort | sed -n 1p)
old_kept=0 new_kept=0 finished=0
for ((round = 1; round <= KILLS; round++)); do
    printf '\nKill-test round %d changed this article.\n' "$round" >>"$victim"
    case $((round % 3)) in
        1) range="0, 1.2 * $full" ;;
        2) range="0.8 * $full, 1.1 * $full" ;;
        0) range="" ;;
    esac
    inode=$(stat -c %i "$OUT")
    started=$(date +%s.%N)
    "$DIGEST" build --root "$SITE" >/dev/null 2>&1 &
    pid=$!
    if [[ -n $range ]]; then
        delay=$(python3 -c "import random; print(round(random.uniform($range), 3))")
        sleep "$delay"
    else
        # Right after the swap: poll the output folder's inode.
        while kill -0 "$pid" 2>/dev/null && [[ $(stat -c %i "$OUT") == "$inode" ]]; do
            sleep 0.002
        done
    fi
    kill -KILL "$pid" 2>/dev/null || true
    [[ -n $range ]] || delay=$(python3 -c "import time; print(round(time.time() - $started, 3))")
    rc=0
    wait "$pid" 2>/dev/null || rc=$?
    case $rc in
        137) killed=yes ;;
        0) killed="no (finished first)" ;;
        *) echo "FAIL round $round: the build exited with $rc before the kill" >&2; exit 1 ;;
    esac
    if [[ ! -d $OUT ]]; then
        echo "FAIL round $round: $OUT is missing after a kill at ${delay} s; see $TMP" >&2
        exit 1
    fi
    after_kill=$(manifest)
    left=$(find "$SITE" -maxdepth 1 -name '.public.staging-*' | wc -l)
    start=$(date +%s.%N)
    if ! build; then
        echo "FAIL round $round: the build after the kill failed; see $TMP" >&2
        exit 1
    fi
    # The next kill's range follows the builds' speed (other load on the machine varies).
    full=$(python3 -c "import time; print(round(time.time() - $start, 2))")
    next=$(manifest)
    debris=$(find "$SITE" -maxdepth 1 -name '.public.staging-*' | wc -l)
    if ((debris)); then
        echo "FAIL round $round: $debris staging folder(s) left after a good build; see $TMP" >&2
        exit 1
    fi
    if [[ $after_kill == "$prev" ]]; then
        state="previous output intact"
        old_kept=$((old_kept + 1))
    elif [[ $after_kill == "$next" ]]; then
        state="new output complete"
        if [[ $killed == yes ]]; then
            state="$state (killed after the swap)"
            new_kept=$((new_kept + 1))
        fi
    else
        echo "FAIL round $round: after a kill at ${delay} s the output is neither the previous nor the new build; see $TMP" >&2
        exit 1
    fi
    [[ $killed == yes ]] || finished=$((finished + 1))
    how=
    [[ -n $range ]] || how=" (right after the swap)"
    echo "round $round: kill at ${delay} s$how, killed: $killed," \
        "staging folders left: $left; $state; next build ok in $full s, no debris"
    prev=$next
done
echo "PASS: $KILLS rounds on $N articles ($files files, first build $first s):" \
    "$old_kept kills kept the previous output, $new_kept came after the swap and kept the" \
    "new one, $finished builds finished before the kill; every next build succeeded"
rm -rf "$TMP"
