"""Parses every Atom feed under a built site with feedparser and fails on any problem.

Usage: python3 tests/tools/check_feeds.py public
"""
import pathlib
import sys

import feedparser


def main(root: str) -> int:
    feeds = sorted(pathlib.Path(root).rglob("atom.xml"))
    if not feeds:
        print(f"no atom.xml under {root}", file=sys.stderr)
        return 1
    bad = 0
    for path in feeds:
        parsed = feedparser.parse(path.read_bytes())
        problems = []
        if parsed.bozo:
            problems.append(f"not well-formed: {parsed.bozo_exception}")
        if parsed.version != "atom10":
            problems.append(f"not Atom 1.0 (got {parsed.version!r})")
        if not parsed.feed.get("title") or not parsed.feed.get("id"):
            problems.append("feed has no title or id")
        for entry in parsed.entries:
            for key in ("title", "id", "link", "updated"):
                if not entry.get(key):
                    problems.append(f"entry {entry.get('id', '?')} has no {key}")
        for p in problems:
            print(f"{path}: {p}", file=sys.stderr)
        bad += bool(problems)
    print(f"{len(feeds) - bad} feeds parsed, {bad} failed")
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1] if len(sys.argv) > 1 else "public"))
