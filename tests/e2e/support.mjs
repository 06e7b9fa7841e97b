// What the browser tests share: the binary under test, writing site files, starting
// `digest serve` on a free port, and a headless Chromium.
import { spawn } from "node:child_process";
import { mkdirSync, writeFileSync, rmSync } from "node:fs";
import { join, resolve } from "node:path";
import { chromium } from "playwright-core";

export const BIN = resolve(process.env.DIGEST_BIN || "../../target/debug/digest");
export const CHROMIUM = process.env.CHROMIUM || "/usr/bin/chromium";

/** Writes `text` at `path`, creating its folders. */
export function write(path, text) {
  mkdirSync(join(path, ".."), { recursive: true });
  writeFileSync(path, text);
}

/**
 * Starts `digest serve` on the site in `root`, on a free port; resolves to the running
 * process and the URL it serves at (printed once its first build, good or not, is done).
 * The server's stderr (build errors) is shown unless `quiet`.
 */
export async function serve(root, { quiet = false } = {}) {
  const server = spawn(BIN, ["serve", "--root", root, "--port", "0"], { stdio: ["ignore", "pipe", "pipe"] });
  const base = await new Promise((ok, fail) => {
    let out = "";
    server.stdout.on("data", (d) => {
      out += d;
      const m = out.match(/serving .* at (http:\/\/\S+)/);
      if (m) ok(m[1]);
    });
    server.stderr.on("data", (d) => quiet || process.stderr.write(d));
    server.on("exit", (code) => fail(new Error(`digest serve exited with ${code}: ${out}`)));
  });
  return { server, base };
}

/** A headless Chromium with a new page. */
export async function openBrowser() {
  const browser = await chromium.launch({
    executablePath: CHROMIUM,
    args: ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run"],
  });
  return { browser, page: await browser.newPage() };
}

/** Closes the browser, stops the server and removes the site. */
export async function stop({ browser, server, site }) {
  await browser?.close();
  server?.kill();
  rmSync(site, { recursive: true, force: true });
}
