#!/usr/bin/env python3
"""`digest serve` under load while an article is edited: no 5xx, no torn page.

Usage (python3 standard library, and `wrk`: `apt-get install -y wrk`):

    cargo build --release --bin digest --example gen_corpus
    target/release/examples/gen_corpus 10000 /tmp/corpus10k
    python3 bench/serve_load.py --root /tmp/corpus10k [--connections 50] [--duration 30] [--edits 20]

What it does:

1. Writes a marker paragraph (`load-marker-0`) at the end of one article's body, starts
   `digest serve --port PORT --root ROOT`, and waits for its first HTTP answer (the initial
   build).
2. Runs `wrk -t2 -cCONNECTIONS -dDURATION --latency -s bench/serve_load.lua` against the
   edited article's page and the home page, alternately. The Lua script counts status
   codes and checks every HTML body: it must start with `<!doctype html>` and end with
   `</html>`.
3. At the same time, one checker client of its own (keep-alive, one connection) fetches the
   edited article's page in a loop and checks every response: status 200, a whole page
   (`<!doctype html>` ... `</html>`, as long as Content-Length says), and exactly one
   marker, of the version on disk when the request started or a later one (one behind is
   allowed: the rebuild of the edit written just before may not be published yet).
4. And an editor: `--edits` times over the run, rewrites the article with the next marker
   (`load-marker-1`, `-2`, ...), in place, evenly spaced. An SSE client counts the reload
   events the server sends.
5. Prints wrk's figures (requests/s, latency percentiles, socket errors, status codes, torn
   bodies), the checker's, the server's rebuild lines and its RSS, and restores the article.
"""

import argparse
import http.client
import os
import re
import socket
import statistics
import subprocess
import sys
import threading
import time
import urllib.request

REPO = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
MARKER = re.compile(rb"load-marker-(\d+)")


def rss(pid):
    out = {}
    with open(f"/proc/{pid}/status") as f:
        for line in f:
            key, _, value = line.partition(":")
            if key in ("VmRSS", "VmHWM"):
                out[key] = int(value.split()[0])
    return out


def with_marker(original, n):
    return original.rstrip(b"\n") + f"\n\nLoad test paragraph load-marker-{n}.\n".encode()


def write_in_place(path, data):
    fd = os.open(path, os.O_WRONLY | os.O_TRUNC)
    try:
        os.write(fd, data)
    finally:
        os.close(fd)


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--root", default="/tmp/corpus10k")
    ap.add_argument("--bin", default=os.path.join(REPO, "target/release/digest"))
    ap.add_argument("--port", type=int, default=18121)
    ap.add_argument("--connections", type=int, default=50)
    ap.add_argument("--threads", type=int, default=2)
    ap.add_argument("--duration", type=int, default=30)
    ap.add_argument("--edits", type=int, default=20)
    args = ap.parse_args()

    root = os.path.abspath(args.root)
    articles = sorted(
        os.path.join(d, f)
        for d, _, fs in os.walk(os.path.join(root, "content/articles"))
        for f in fs
        if f.endswith(".md")
    )
    if not articles:
        sys.exit(f"no articles under {root}/content/articles; run gen_corpus first")
    article = articles[len(articles) // 3]
    original = open(article, "rb").read()
    date = re.search(rb"^date = (\d{4})-(\d{2})-\d{2}", original, re.M)
    if re.search(rb"^slug", original, re.M) or not date:
        sys.exit(f"{article}: needs a plain date and no slug key")
    stem = os.path.basename(article)[:-3]
    page = f"/{date.group(1).decode()}/{date.group(2).decode()}/{stem}/"

    write_in_place(article, with_marker(original, 0))
    lines = []
    t_spawn = time.monotonic()
    proc = subprocess.Popen(
        [args.bin, "serve", "--root", root, "--port", str(args.port)],
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        bufsize=1,
    )
    threading.Thread(
        target=lambda: [lines.append(l.rstrip("\n")) for l in proc.stdout], daemon=True
    ).start()
    base = f"http://127.0.0.1:{args.port}"
    try:
        while True:
            if proc.poll() is not None:
                sys.exit(f"the server exited: {lines}")
            try:
                with urllib.request.urlopen(base + page, timeout=2) as r:
                    first = r.read()
                break
            except OSError:
                time.sleep(0.1)
        t_ready = time.monotonic() - t_spawn
        assert b"load-marker-0" in first, "the article page shows the marker"
        print(f"server pid {proc.pid}; first HTTP answer {t_ready:.2f} s after spawn")
        for l in lines:
            print("  server:", l)
        rss_start = rss(proc.pid)
        n_lines = len(lines)

        # The SSE client: counts reload events.
        reloads = []
        sse = socket.create_connection(("127.0.0.1", args.port))
        sse.sendall(b"GET /__digest/events HTTP/1.1\r\nHost: x\r\nAccept: text/event-stream\r\n\r\n")

        def read_sse():
            buf = b""
            while True:
                try:
                    chunk = sse.recv(65536)
                except OSError:
                    return
                if not chunk:
                    return
                buf += chunk
                reloads.extend(re.findall(rb"^event: ?reload", buf, re.M))
                buf = buf[buf.rfind(b"\n") + 1 :]

        threading.Thread(target=read_sse, daemon=True).start()

        written = [0]  # the marker on disk
        stop = threading.Event()
        checks = {"ok": 0, "torn": [], "bad_status": {}, "stale": [], "errors": []}
        versions_seen = set()
        latencies = []

        def checker():
            conn = http.client.HTTPConnection("127.0.0.1", args.port, timeout=10)
            while not stop.is_set():
                s = written[0]
                t0 = time.monotonic()
                try:
                    conn.request("GET", page)
                    r = conn.getresponse()
                    body = r.read()
                    length = r.getheader("Content-Length")
                except (OSError, http.client.HTTPException) as e:
                    checks["errors"].append(repr(e))
                    conn.close()
                    conn = http.client.HTTPConnection("127.0.0.1", args.port, timeout=10)
                    continue
                latencies.append((time.monotonic() - t0) * 1000)
                e = written[0]
                if r.status != 200:
                    checks["bad_status"][r.status] = checks["bad_status"].get(r.status, 0) + 1
                    continue
                whole = (
                    body[:15].lower() == b"<!doctype html>"
                    and body.rstrip().endswith(b"</html>")
                    and (length is None or int(length) == len(body))
                )
                markers = MARKER.findall(body)
                if not whole or len(markers) != 1:
                    checks["torn"].append((len(body), body[:40], body[-40:], markers))
                    continue
                m = int(markers[0])
                versions_seen.add(m)
                if not (s - 1 <= m <= e):
                    checks["stale"].append((s, m, e))
                    continue
                checks["ok"] += 1
            conn.close()

        def editor():
            gap = (args.duration - 4) / args.edits
            time.sleep(2)
            for n in range(1, args.edits + 1):
                write_in_place(article, with_marker(original, n))
                written[0] = n
                time.sleep(gap)

        wrk = subprocess.Popen(
            [
                "wrk",
                f"-t{args.threads}",
                f"-c{args.connections}",
                f"-d{args.duration}s",
                "--latency",
                "-s",
                os.path.join(REPO, "bench/serve_load.lua"),
                base,
                "--",
                page,
                "/",
            ],
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
        )
        threads = [threading.Thread(target=checker), threading.Thread(target=editor)]
        for t in threads:
            t.start()
        out, _ = wrk.communicate()
        stop.set()
        for t in threads:
            t.join()
        time.sleep(0.5)
        rss_end = rss(proc.pid)

        print(f"\nwrk -t{args.threads} -c{args.connections} -d{args.duration}s on {page} and /:")
        print(out.rstrip())
        print(f"\nchecker (1 connection, {page}):")
        n = checks["ok"] + len(checks["torn"]) + len(checks["stale"]) + sum(
            checks["bad_status"].values()
        )
        print(
            f"  {n} responses: {checks['ok']} whole and current, {len(checks['torn'])} torn, "
            f"{len(checks['stale'])} stale, non-200 {checks['bad_status']}, "
            f"{len(checks['errors'])} connection errors"
        )
        if latencies:
            q = statistics.quantiles(latencies, n=100)
            print(
                f"  latency ms: median {statistics.median(latencies):.2f}, p90 {q[89]:.2f}, "
                f"p99 {q[98]:.2f}, max {max(latencies):.2f}"
            )
        print(f"  marker versions seen: {sorted(versions_seen)}")
        for item in checks["torn"][:5] + checks["stale"][:5] + checks["errors"][:5]:
            print("   ", item)
        print(f"\nedits written: {written[0]}; reload events received: {len(reloads)}")
        rebuilds = lines[n_lines:]
        ms = [int(m.group(1)) for l in rebuilds if (m := re.search(r"in (\d+) ms$", l))]
        print(f"server printed {len(rebuilds)} lines during the run, e.g.:")
        for l in rebuilds[:2] + rebuilds[-1:]:
            print("  " + l)
        if ms:
            print(f"  rebuilds: median {statistics.median(ms)} ms, max {max(ms)} ms")
        print(
            f"RSS: {rss_start['VmRSS'] / 1024:.0f} MB before, {rss_end['VmRSS'] / 1024:.0f} MB "
            f"after (peak {rss_end['VmHWM'] / 1024:.0f} MB)"
        )
        failed = checks["torn"] or checks["stale"] or checks["bad_status"] or checks["errors"]
        lua_torn = re.search(r"LUA html \d+ torn (\d+)", out)
        five = re.findall(r"\b5\d\d=(\d+)", out)
        if failed or (lua_torn and int(lua_torn.group(1))) or five:
            print("FAIL")
            sys.exit(1)
        print("PASS: every response whole, no 5xx")
    finally:
        write_in_place(article, original)
        time.sleep(0.3)
        proc.terminate()
        try:
            proc.wait(5)
        except subprocess.TimeoutExpired:
            proc.kill()


if __name__ == "__main__":
    main()
