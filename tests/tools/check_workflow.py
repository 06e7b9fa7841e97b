#!/usr/bin/env python3
"""Checks the repository's GitHub Actions workflows, both valid YAML:

- .github/workflows/pages.yml deploys with the official Pages actions (configure-pages,
  upload-pages-artifact, deploy-pages) on a schedule too (scheduled stories), with
  `pages: write` and `id-token: write`, one
  deployment at a time, and builds the site with digest;
- .github/workflows/ci.yml runs `bash .ci/run` on every push and pull request.

    python3 tests/tools/check_workflow.py [pages.yml [ci.yml]]
"""
import sys

import yaml


def steps(flow):
    return [s for job in (flow.get("jobs") or {}).values() for s in job.get("steps", [])]


def check_pages(flow):
    """official Pages actions"""
    problems = []
    perms = flow.get("permissions", {})
    for key, want in [("pages", "write"), ("id-token", "write")]:
        if perms.get(key) != want:
            problems.append(f"permissions: `{key}: {want}` is missing")
    concurrency = flow.get("concurrency") or {}
    if not concurrency.get("group") or concurrency.get("cancel-in-progress") is not False:
        problems.append("concurrency: one deployment at a time needs a group and cancel-in-progress: false")
    uses = [s.get("uses", "") for s in steps(flow)]
    for action in ["actions/configure-pages@", "actions/upload-pages-artifact@", "actions/deploy-pages@"]:
        if not any(u.startswith(action) for u in uses):
            problems.append(f"no step uses {action}...")
    if not any("-- build" in (s.get("run") or "") for s in steps(flow)):
        problems.append("no step builds the site with `cargo run --release -- build`")
    deploy = flow.get("jobs", {}).get("deploy", {})
    if (deploy.get("environment") or {}).get("name") != "github-pages":
        problems.append("the deploy job must use the github-pages environment")
    # YAML 1.1 reads the bare key `on` as true.
    triggers = flow.get("on", flow.get(True)) or {}
    crons = [c.get("cron") for c in (triggers.get("schedule") or []) if isinstance(c, dict)]
    if not any(crons):
        problems.append("on: no `schedule` cron, so scheduled stories would wait for the next push")
    return problems


def check_ci(flow):
    """runs .ci/run on push and pull_request"""
    problems = []
    # YAML 1.1 reads the bare key `on` as true.
    triggers = flow.get("on", flow.get(True)) or {}
    if isinstance(triggers, str):
        triggers = [triggers]
    for event in ["push", "pull_request"]:
        if event not in triggers:
            problems.append(f"on: `{event}` is missing")
    if not any((s.get("run") or "").strip() == "bash .ci/run" for s in steps(flow)):
        problems.append("no step runs `bash .ci/run`")
    return problems


paths = sys.argv[1:] + [".github/workflows/pages.yml", ".github/workflows/ci.yml"][len(sys.argv) - 1 :]
failed = False
for path, check in zip(paths, [check_pages, check_ci]):
    with open(path, encoding="utf-8") as f:
        flow = yaml.safe_load(f)
    problems = check(flow)
    for p in problems:
        print(f"{path}: {p}", file=sys.stderr)
    failed = failed or bool(problems)
    if not problems:
        print(f"{path}: valid YAML, {len(steps(flow))} steps, {check.__doc__}")
if failed:
    sys.exit(1)
