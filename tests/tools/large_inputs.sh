#!/usr/bin/env bash
# Large inputs with the release build, each under `/usr/bin/time -v` (wall time, peak RSS):
#   1. a corpus of N generated articles (default 100,000; bench/gen_corpus.rs);
#   2. one site with a 50 MB article, 100,000 nested list levels and 100,000 nested block
#      quotes (ten times what tests/it/large_inputs.rs builds in the debug test run);
#   3. the hostile inputs of issue 18, each a 2-article site: 20,000 and 50,000 unknown
#      front-matter keys, 2,000 companies and 5,000 tags in one article (refused: at most
#      100 names per taxonomy), 100 companies and 100 tags in each (the limit), 5,000
#      events and 20,000 headings of one title (tests/it/content_safety.rs scaled up).
#
#   bash tests/tools/large_inputs.sh [N_ARTICLES=100000]
#   SECTIONS=hostile bash tests/tools/large_inputs.sh    # only some of: corpus deep hostile
#
# Prints one line per build: what, exit code, wall time, peak RSS, files written. Needs GNU
# time (apt-get install time). The temp dir is removed at the end.
set -euo pipefail

N=${1:-100000}
SECTIONS=${SECTIONS:-corpus deep hostile}
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
        "$((rss / 1024))" "$(tail -1 "$TMP/out" | cut -c1-120)"
    return "$rc"
}

echo "commit $(git rev-parse --short HEAD)$(git diff --quiet HEAD -- src templates || echo ' + uncommitted changes')"

# 1. The corpus.
if [[ " $SECTIONS " == *" corpus "* ]]; then
    "$REPO/target/release/examples/gen_corpus" "$N" "$TMP/corpus" >/dev/null
    timed "$N-article corpus, first build" "$DIGEST" build --root "$TMP/corpus"
    timed "$N-article corpus, rebuild over it" "$DIGEST" build --root "$TMP/corpus"
    rm -rf "$TMP/corpus"
fi

# 2. Huge and deep articles.
if [[ " $SECTIONS " == *" deep "* ]]; then
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

rm -rf "$SITE"
fi

# 3. Hostile inputs (issue 18): an error (exit 1) is the expected outcome of some.
hostile() { # case name (see CASES), what to print
    local site=$TMP/hostile
    rm -rf "$site"
    mkdir -p "$site/content/articles"
    printf 'title = "Hostile"\nbase_url = "https://example.com/"\n' >"$site/config.toml"
    python3 - "$site/content/articles" "$1" <<'PY'
import sys
d, case = sys.argv[1], sys.argv[2]
names = lambda what, n: "[" + ", ".join(f'"{what} {i}"' for i in range(n)) + "]"
CASES = {  # name: (extra front matter of article a, its body)
    "keys20k": ("".join(f"k{i} = 1\n" for i in range(20_000)), "Body."),
    "keys50k": ("".join(f"k{i} = 1\n" for i in range(50_000)), "Body."),
    "companies2k": (f"companies = {names('Company', 2_000)}", "Body."),
    "tags5k": (f"tags = {names('tag', 5_000)}", "Body."),
    "limit": (f"companies = {names('Company', 100)}\ntags = {names('tag', 100)}", "Body."),
    "events5k": ('[[events]]\ndate = 2025-01-01\ntitle = "Launch"\n' * 5_000, "Body."),
    "headings20k": ("", "## Same\n\n" * 20_000),
}
extra, body = CASES[case]
with open(f"{d}/a.md", "w") as f:
    f.write(f'+++\ntitle = "a"\ndate = 2025-01-01\n{extra}\n+++\n{body}\n')
with open(f"{d}/b.md", "w") as f:
    f.write('+++\ntitle = "b"\ndate = 2025-01-02\n+++\nBody.\n')
PY
    timed "$2" "$DIGEST" build --root "$site" || true
    printf '%-40s output %s\n' "" "$(du -sh "$site/public" 2>/dev/null | cut -f1 || echo none)"
}
if [[ " $SECTIONS " == *" hostile "* ]]; then
    hostile keys20k "20,000 unknown keys (208 KB)"
    hostile keys50k "50,000 unknown keys"
    hostile companies2k "2,000 companies in one article"
    hostile tags5k "5,000 tags in one article"
    hostile limit "100 companies + 100 tags (the limit)"
    hostile events5k "5,000 events of one title"
    hostile headings20k "20,000 headings of one title"
fi
