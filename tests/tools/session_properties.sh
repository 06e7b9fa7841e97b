#!/usr/bin/env bash
# The session property of tests/it/session_properties.rs with many cases: seeded random
# edit sequences, after each step the build session's in-memory output must equal a fresh
# full build. `cargo test` runs 25 cases; this runs N (default 5000) in the release build.
#
#   bash tests/tools/session_properties.sh [CASES=5000] [STEPS=14] [FIRST_SEED=0]
#   PROFILE=dev bash tests/tools/session_properties.sh 300     # the debug build
#   DIGEST_PROPERTY_SEED=1234 cargo test --test it session_properties   # replay one case
#
# Cases are seeds FIRST_SEED.. (one in eight a site of ~30 articles); the first failing one
# is shrunk and printed with its seed.
set -euo pipefail

CASES=${1:-5000}
STEPS=${2:-14}
FIRST=${3:-0}
PROFILE=${PROFILE:-release}
REPO=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
cd "$REPO"
start=$(date +%s)
DIGEST_PROPERTY_CASES=$CASES DIGEST_PROPERTY_STEPS=$STEPS DIGEST_PROPERTY_FIRST=$FIRST \
    cargo test --profile "$PROFILE" --test it session_properties::incremental_rebuilds_equal_full_builds_after_any_edits \
    -- --exact --nocapture
echo "$CASES cases of $STEPS steps: $(($(date +%s) - start)) s"
