#!/usr/bin/env bash
# Large inputs with the release build, each under `/usr/bin/time -v` (wall time, peak RSS):
#   1. a corpus of N generated articles (default 100,000; examples/gen_corpus.rs);
#   2. one site with a 50 MB article, 100,000 nested list levels and 100,000 nested block
#      quotes (ten times what tests/it/large_inputs.rs builds in the debug test run).
#
#   bash tests/tools/large_inputs.sh [N_ARTICLES=100000]
#
# Prints one line per build: what, exit code, wall time, peak RSS, files written. Needs GNU
# time (apt-get install time). The temp dir is removed at the end.
set -euo pipefail

N=${1:-100000}
REPO=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
cd "$REPO"
cargo build --release --quiet --bin digest --example gen_corpus
DIGEST=$REPO/target/release/digest
TMP=$(mktemp -d /tmp/digest-large.XXXXXX)
trap 'rm -rf "$TMP"' EXIT

timed() { # what, then the command
    local what=$1
    shift
    local rc=0
    /usr/bin/time -v -o "$TMP/time" "$@" >"$TMP/out" 2>&1 || rc=$?
    local wall rss
    wall=$(sed -n 's/.*Elapsed (wall clock) time (h:mm:ss or m:ss): //p' "$TMP/time")
    rss=$(sed -n 's/.*Maximum resident set size (kbytes): //p' "$TMP/time")
    printf '%-40s exit %s  wall %s  peak RSS %s MB  | %s\n' "$what" "$rc" "$wall" \
        "$((rss / 1024))" "$(tail -1 "$TMP/out")"
    return "$rc"
}

echo "commit $(git rev-parse --short HEAD)$(git diff --quiet HEAD -- src templates || echo ' + uncommitted changes')"

# 1. The corpus.
"$REPO/target/release/examples/gen_corpus" "$N" "$TMP/corpus" >/dev/null
timed "$N-article corpus, first build" "$DIGEST" build --root "$TMP/corpus"
timed "$N-article corpus, rebuild over it" "$DIGEST" build --root "$TMP/corpus"
rm -rf "$TMP/corpus"

# 2. Huge and deep articles.
SITE=$TMP/deep
mkdir -p "$SITE/content/articles"
printf 'title = "Deep"\nbase_url = "https://example.com/"\n' >"$SITE/config.toml"
python3 - "$SITE/content/articles" <<'PY'
import sys
d = sys.argv[1]
def article(name, body):
    with open(f"{d}/{name}.md", "w") as f:
        f.write(f'+++\ntitle = "{name}"\ndate = 2025-01-01\n+++\n{body}\nAfter.\n')
parts, size, i = [], 0, 0
while size < 50 * 1024 * 1024:
    i += 1
    p = (f"## Section {i}\n\nParagraph {i} with *emphasis*, `code` and a [link](/about/).\n\n"
         f"- one\n- two\n  - nested\n\n> quote {i}\n\n")
    if i % 50 == 0:
        p += "```rust\nfn main() { println!(\"hi\"); }\n```\n\n"
    parts.append(p)
    size += len(p)
article("huge", "".join(parts))
article("lists", "- " * 100_000 + "deep\n")
article("quotes", "> " * 100_000 + "deep\n")
article("mixed", "> - " * 50_000 + "deep\n\n" + "*a [" * 20_000 + "x" + "](/y/) b*" * 20_000 + "\n")
PY
timed "50 MB + 100,000-deep lists/quotes" "$DIGEST" build --root "$SITE"
