#!/usr/bin/env python3
"""Latency of `digest serve`: time from a file write to the live-reload event.

Usage (python3 standard library only):

    cargo build --release --bin digest --example gen_corpus
    target/release/examples/gen_corpus 10000 /tmp/corpus10k
    python3 bench/serve_latency.py --root /tmp/corpus10k [--edits 30] [--bin target/release/digest]

What it does:

1. Makes sure the site has a theme stylesheet override (`templates/style.css`, a copy of this
   repository's `templates/style.css`) and a static stylesheet (`static/bench.css`), so both
   kinds of CSS change can be timed. The watcher only watches folders that exist when the
   server starts, so they are created first.
2. Starts `digest serve --port PORT --root ROOT` and times the initial build: from the spawn
   to the first HTTP answer (and the `built ... in N ms` line the server prints).
3. Connects an SSE client to the live-reload endpoint `/__digest/events` (a raw socket, so the
   event is time-stamped as soon as its bytes arrive).
4. For each of `--edits` rounds, for each kind of edit, rewrites one file in place (open with
   truncate, write, close, like most editors' plain save) and measures monotonic time from
   just before the `open` to the arrival of the next SSE event (`reload` for an article,
   `css` for a stylesheet). The kinds: `article` replaces the last paragraph of one article's
   body (the usual save while writing); `title` changes that article's title (its card
   changes: lists, neighbours, related articles and the search index show it); `theme css`
   and `static css` add a comment to `templates/style.css` and `static/bench.css`. Sleeps
   `--gap` seconds between edits, much longer than the watcher's batching window, so edits
   never coalesce.
5. Reads the server's RSS (VmRSS, VmHWM from /proc/PID/status) after the initial build and
   after the edits, prints the rebuild lines the server printed and a summary (min, median,
   p90, max per kind), and restores the edited files.
"""

import argparse
import os
import re
import shutil
import socket
import statistics
import subprocess
import sys
import threading
import time
import queue
import urllib.request

REPO = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def rss(pid):
    out = {}
    with open(f"/proc/{pid}/status") as f:
        for line in f:
            key, _, value = line.partition(":")
            if key in ("VmRSS", "VmHWM"):
                out[key] = int(value.split()[0])  # kB
    return out


class SseClient(threading.Thread):
    """Reads `event:` names from the SSE stream and queues (monotonic time, name)."""

    def __init__(self, port):
        super().__init__(daemon=True)
        self.events = queue.Queue()
        self.sock = socket.create_connection(("127.0.0.1", port))
        self.sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        self.sock.sendall(
            b"GET /__digest/events HTTP/1.1\r\nHost: 127.0.0.1\r\n"
            b"Accept: text/event-stream\r\n\r\n"
        )

    def run(self):
        buf = b""
        while True:
            chunk = self.sock.recv(65536)
            now = time.monotonic()
            if not chunk:
                self.events.put((now, None))
                return
            buf += chunk
            # Chunked transfer encoding wraps the events; event names are still whole lines.
            for name in re.findall(rb"^event: ?([^\r\n]+)", buf, re.M):
                self.events.put((now, name.decode()))
            buf = buf[buf.rfind(b"\n") + 1 :]

    def drain(self):
        while True:
            try:
                self.events.get_nowait()
            except queue.Empty:
                return

    def next(self, timeout):
        return self.events.get(timeout=timeout)


def wait_http(port, proc, deadline):
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            sys.exit(f"the server exited with code {proc.returncode}")
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{port}/", timeout=1) as r:
                r.read()
                return True
        except OSError:
            time.sleep(0.05)
    return False


def percentile(values, p):
    s = sorted(values)
    k = (len(s) - 1) * p / 100
    lo, hi = int(k), min(int(k) + 1, len(s) - 1)
    return s[lo] + (s[hi] - s[lo]) * (k - lo)


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
    ap.add_argument("--port", type=int, default=18111)
    ap.add_argument("--edits", type=int, default=30)
    ap.add_argument("--gap", type=float, default=0.5, help="seconds between edits")
    ap.add_argument("--timeout", type=float, default=10.0)
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
    os.makedirs(os.path.join(root, "templates"), exist_ok=True)
    os.makedirs(os.path.join(root, "static"), exist_ok=True)
    theme_css = os.path.join(root, "templates/style.css")
    if not os.path.exists(theme_css):
        shutil.copy(os.path.join(REPO, "templates/style.css"), theme_css)
    static_css = os.path.join(root, "static/bench.css")
    if not os.path.exists(static_css):
        with open(static_css, "w") as f:
            f.write("/* bench */\nbody { margin: 0 }\n")

    article = articles[len(articles) // 2]
    originals = {p: open(p, "rb").read() for p in (article, theme_css, static_css)}

    lines = []  # (monotonic time, stdout line)
    t_spawn = time.monotonic()
    proc = subprocess.Popen(
        [args.bin, "serve", "--root", root, "--port", str(args.port)],
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        bufsize=1,
    )

    def read_stdout():
        for line in proc.stdout:
            lines.append((time.monotonic(), line.rstrip("\n")))

    threading.Thread(target=read_stdout, daemon=True).start()
    try:
        if not wait_http(args.port, proc, t_spawn + 600):
            sys.exit("the server did not answer within 600 s")
        t_ready = time.monotonic() - t_spawn
        time.sleep(0.5)
        rss_start = rss(proc.pid)
        print(f"server pid {proc.pid}; first HTTP answer {t_ready:.2f} s after spawn")
        for _, line in lines:
            print("  server:", line)

        sse = SseClient(args.port)
        sse.start()
        sse.next(args.timeout)  # the error-overlay (empty) sent on connect
        time.sleep(0.2)
        sse.drain()

        current = dict(originals)
        title = re.search(rb'^title = "(.*)"$', originals[article], re.M).group(1)

        def edit(kind, path, i):
            # Each edit changes only its part: the body's last paragraph, the title, or a
            # comment at the end of the stylesheet.
            text = current[path]
            if kind == "article":
                text = re.sub(rb"\nBench edit \d+\.\n$", b"", text)
                data = text + f"\nBench edit {i}.\n".encode()
            elif kind == "title":
                new = title + f" (edit {i})".encode()
                data = re.sub(
                    rb'^title = ".*"$', lambda _: b'title = "' + new + b'"', text, 1, re.M
                )
            else:
                data = originals[path] + f"\n/* bench edit {i} */\n".encode()
            current[path] = data
            sse.drain()
            t0 = time.monotonic()
            write_in_place(path, data)
            got = []
            while True:
                try:
                    t1, name = sse.next(args.timeout)
                except queue.Empty:
                    return None, got
                got.append(name)
                if name in ("reload", "css", None) or name.startswith("error"):
                    return (t1 - t0) * 1000, got

        kinds = [
            ("article", article),
            ("title", article),
            ("theme css", theme_css),
            ("static css", static_css),
        ]
        results = {k: [] for k, _ in kinds}
        events = {k: {} for k, _ in kinds}
        n_lines = len(lines)
        for i in range(args.edits):
            for kind, path in kinds:
                ms, got = edit(kind, path, i)
                for name in got:
                    events[kind][name] = events[kind].get(name, 0) + 1
                if ms is not None:
                    results[kind].append(ms)
                time.sleep(args.gap)
                # A late second event (a coalesced burst split in two) would be counted.
                while True:
                    try:
                        _, name = sse.events.get_nowait()
                    except queue.Empty:
                        break
                    events[kind]["(extra) " + str(name)] = (
                        events[kind].get("(extra) " + str(name), 0) + 1
                    )
        rss_end = rss(proc.pid)
        rebuild_lines = [l for _, l in lines[n_lines:]]
        print(f"\nserver printed {len(rebuild_lines)} lines during the edits; a sample:")
        seen = set()
        for l in rebuild_lines:
            key = re.sub(r"\d+ ms", "N ms", l)
            if key not in seen:
                seen.add(key)
                print("  " + l)
        ms_re = re.compile(r"in (\d+) ms$")
        print("\nlatency write -> SSE event (ms)")
        print(f"{'kind':<12} {'n':>3} {'min':>7} {'median':>7} {'p90':>7} {'max':>7}  events")
        for kind, _ in kinds:
            v = results[kind]
            if not v:
                print(f"{kind:<12} no events: {events[kind]}")
                continue
            print(
                f"{kind:<12} {len(v):>3} {min(v):>7.1f} {statistics.median(v):>7.1f} "
                f"{percentile(v, 90):>7.1f} {max(v):>7.1f}  {events[kind]}"
            )
        builds = [int(m.group(1)) for l in rebuild_lines if (m := ms_re.search(l))]
        if builds:
            print(
                f"rebuild time as printed by the server: median {statistics.median(builds)} ms, "
                f"max {max(builds)} ms over {len(builds)} rebuilds"
            )
        print(
            f"\nRSS after initial build: {rss_start['VmRSS'] / 1024:.0f} MB "
            f"(peak so far {rss_start['VmHWM'] / 1024:.0f} MB); after the edits: "
            f"{rss_end['VmRSS'] / 1024:.0f} MB (peak {rss_end['VmHWM'] / 1024:.0f} MB)"
        )
    finally:
        for path, data in originals.items():
            write_in_place(path, data)
        time.sleep(0.3)
        proc.terminate()
        try:
            proc.wait(5)
        except subprocess.TimeoutExpired:
            proc.kill()


if __name__ == "__main__":
    main()
