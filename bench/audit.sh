#!/usr/bin/env bash
# Audit the sample digest's pages with Lighthouse and axe-core and print one table of
# Lighthouse scores (desktop and mobile) and axe violation counts (light and dark scheme).
#
#   bash bench/audit.sh                       # builds, serves on :1190 if nothing answers there
#   BASE=http://127.0.0.1:1111/digest/ bash bench/audit.sh   # audit a server already running
#   AUDIT_DEPS=~/.cache/digest-audit bash bench/audit.sh     # keep the npm install between runs
#   SKIP_LH=1 bash bench/audit.sh             # axe only (seconds instead of minutes)
#   LH_EMAIL=1 bash bench/audit.sh            # also run Lighthouse on the email copy
#
# Steps: install lighthouse, axe-core and playwright-core (pinned) with npm into AUDIT_DEPS
# (a temp dir removed on exit unless set); build digest in release and start
# `digest serve --port PORT` unless BASE already answers (that server is stopped on exit);
# run the Lighthouse CLI once per page and form factor (categories performance,
# accessibility, best-practices, seo; JSON reports kept in REPORTS if set); then
# bench/audit.mjs injects axe-core into each page through playwright-core in light and dark
# color scheme, reads the Lighthouse reports and prints the table and every finding.
#
# Exit status: 0 when every page has no axe violation and 100 in accessibility,
# best-practices and seo; 1 otherwise. Performance is reported, never judged: it is noisy on
# a loaded machine. Needs node >= 18, npm and Debian's chromium (installed with apt-get when
# /usr/bin/chromium is missing). Lighthouse is pinned to 12.x: 13 wants Node 22.
set -euo pipefail

REPO=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$REPO"
PORT=${PORT:-1190}
BASE=${BASE:-http://127.0.0.1:$PORT/digest/}
[[ $BASE == */ ]] || BASE="$BASE/"
export CHROME_PATH=${CHROME_PATH:-/usr/bin/chromium}
LH_VERSION=12.2.3
AXE_VERSION=4.14.1
PW_VERSION=1.65.1

# Pages, relative to BASE. The email copy is audited by axe only unless LH_EMAIL=1.
PAGES=(
    ""
    "2025/01/deepseek-r1-rattles-markets/"
    "2025/01/deepseek-r1-open-reasoning/"  # highlighted Python: code colours
    "2025/01/nvidia-ces-2025-project-digits/"  # a photo as lead image
    "2024/05/gpt-4o-goes-omni/"  # a body figure with a caption
    "timeline/"
    "companies/"
    "companies/deepseek/"
    "tags/"
    "models/"
    "editions/"
    "editions/2025-W05/"
    "search/"
    "about/"
    "corrections/"
    "authors/maya-chen/"  # an author's page (bylines)
)
EMAIL_PAGE="editions/2025-W05/email.html"

TMP=$(mktemp -d)
SERVER_PID=
cleanup() {
    if [[ -n $SERVER_PID ]]; then kill "$SERVER_PID" 2>/dev/null || true; wait "$SERVER_PID" 2>/dev/null || true; fi
    rm -rf "$TMP"
}
trap cleanup EXIT

# --- tools -------------------------------------------------------------------------------
if [[ ! -x $CHROME_PATH ]]; then
    echo "installing chromium with apt-get" >&2
    apt-get update -qq && apt-get install -y -qq chromium >/dev/null
fi
command -v node >/dev/null && command -v npm >/dev/null || { echo "audit.sh needs node and npm" >&2; exit 2; }
DEPS=${AUDIT_DEPS:-$TMP/deps}
mkdir -p "$DEPS"
if ! (cd "$DEPS" && node -e "
    const v = (n) => require(require('path').resolve('node_modules', n, 'package.json')).version;
    process.exit(v('lighthouse') === '$LH_VERSION' && v('axe-core') === '$AXE_VERSION' && v('playwright-core') === '$PW_VERSION' ? 0 : 1)" 2>/dev/null); then
    echo "installing lighthouse@$LH_VERSION axe-core@$AXE_VERSION playwright-core@$PW_VERSION into $DEPS" >&2
    [[ -f $DEPS/package.json ]] || echo '{"name":"digest-audit","private":true}' > "$DEPS/package.json"
    (cd "$DEPS" && npm install --silent --no-audit --no-fund --save-exact \
        "lighthouse@$LH_VERSION" "axe-core@$AXE_VERSION" "playwright-core@$PW_VERSION" >&2)
fi

# --- server ------------------------------------------------------------------------------
if ! curl -fs -o /dev/null "$BASE"; then
    echo "nothing answers at $BASE: building and starting digest serve --port $PORT" >&2
    cargo build --release --quiet
    "${CARGO_TARGET_DIR:-target}/release/digest" serve --port "$PORT" >"$TMP/serve.log" 2>&1 &
    SERVER_PID=$!
    for _ in $(seq 1 100); do curl -fs -o /dev/null "$BASE" && break; sleep 0.2; done
    curl -fs -o /dev/null "$BASE" || { cat "$TMP/serve.log" >&2; echo "server did not come up at $BASE" >&2; exit 2; }
fi

# --- Lighthouse --------------------------------------------------------------------------
REPORTS=${REPORTS:-$TMP/reports}
mkdir -p "$REPORTS"
slug() { local s=${1%/}; s=${s//\//_}; echo "${s:-home}"; }
if [[ -z ${SKIP_LH:-} ]]; then
    lh_pages=("${PAGES[@]}")
    [[ -n ${LH_EMAIL:-} ]] && lh_pages+=("$EMAIL_PAGE")
    for page in "${lh_pages[@]}"; do
        for form in desktop mobile; do
            preset=()
            [[ $form == desktop ]] && preset=(--preset=desktop)
            echo "lighthouse $form /$page" >&2
            if ! node "$DEPS/node_modules/lighthouse/cli/index.js" "$BASE$page" --quiet \
                --output=json --output-path="$REPORTS/lh-$(slug "$page")-$form.json" \
                --only-categories=performance,accessibility,best-practices,seo "${preset[@]}" \
                --chrome-flags="--headless=new --no-sandbox --disable-gpu" 2>"$TMP/lh.err"; then
                tail -5 "$TMP/lh.err" >&2
                echo "lighthouse failed on /$page ($form)" >&2
            fi
        done
    done
fi

# --- axe and the table -------------------------------------------------------------------
node "$REPO/bench/audit.mjs" --deps "$DEPS" --base "$BASE" --reports "$REPORTS" \
    -- "${PAGES[@]/#/=}" "=$EMAIL_PAGE"
