#!/usr/bin/env python3
"""Checks .github/workflows/pages.yml: valid YAML, deploys with the official Pages actions
(configure-pages, upload-pages-artifact, deploy-pages), with `pages: write` and
`id-token: write`, one deployment at a time, and builds the site with digest.

    python3 tests/tools/check_workflow.py [path]
"""
import sys

import yaml

path = sys.argv[1] if len(sys.argv) > 1 else ".github/workflows/pages.yml"
with open(path, encoding="utf-8") as f:
    flow = yaml.safe_load(f)

problems = []
perms = flow.get("permissions", {})
for key, want in [("pages", "write"), ("id-token", "write")]:
    if perms.get(key) != want:
        problems.append(f"permissions: `{key}: {want}` is missing")
concurrency = flow.get("concurrency") or {}
if not concurrency.get("group") or concurrency.get("cancel-in-progress") is not False:
    problems.append("concurrency: one deployment at a time needs a group and cancel-in-progress: false")
steps = [s for job in flow.get("jobs", {}).values() for s in job.get("steps", [])]
uses = [s.get("uses", "") for s in steps]
for action in ["actions/configure-pages@", "actions/upload-pages-artifact@", "actions/deploy-pages@"]:
    if not any(u.startswith(action) for u in uses):
        problems.append(f"no step uses {action}...")
if not any("-- build" in (s.get("run") or "") for s in steps):
    problems.append("no step builds the site with `cargo run --release -- build`")
deploy = flow.get("jobs", {}).get("deploy", {})
if (deploy.get("environment") or {}).get("name") != "github-pages":
    problems.append("the deploy job must use the github-pages environment")

for p in problems:
    print(f"{path}: {p}", file=sys.stderr)
if problems:
    sys.exit(1)
print(f"{path}: valid YAML, official Pages actions, {len(steps)} steps")
