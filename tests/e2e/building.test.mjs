// End-to-end test of what `digest serve` shows before its first good build, in a real
// headless Chromium: any page is the "Building the site" page (503), with the build's errors
// over it when that build failed; fixing the content turns it into the site by itself.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import { mkdtempSync, mkdirSync, writeFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { chromium } from "playwright-core";

const BIN = resolve(process.env.DIGEST_BIN || "../../target/debug/digest");
const CHROMIUM = process.env.CHROMIUM || "/usr/bin/chromium";
const site = mkdtempSync(join(tmpdir(), "digest-e2e-building-"));
const article = join(site, "content/articles/first.md");
let server, base, browser, page;

function write(path, text) {
  mkdirSync(join(path, ".."), { recursive: true });
  writeFileSync(path, text);
}

before(async () => {
  write(join(site, "config.toml"), 'title = "Building Digest"\nbase_url = "https://example.github.io/"\n');
  // The first build fails: no good build, so no site to serve yet.
  write(article, '+++\ntitle = "First story"\ndate = "soon"\n+++\nBody.\n');
  server = spawn(BIN, ["serve", "--root", site, "--port", "0"], { stdio: ["ignore", "pipe", "pipe"] });
  base = await new Promise((ok, fail) => {
    let out = "";
    server.stdout.on("data", (d) => {
      out += d;
      const m = out.match(/serving .* at (http:\/\/\S+)/);
      if (m) ok(m[1]);
    });
    server.stderr.on("data", () => {});
    server.on("exit", (code) => fail(new Error(`digest serve exited with ${code}: ${out}`)));
  });
  browser = await chromium.launch({
    executablePath: CHROMIUM,
    args: ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run"],
  });
  page = await browser.newPage();
});

after(async () => {
  await browser?.close();
  server?.kill();
  rmSync(site, { recursive: true, force: true });
});

test("before a good build, every page is the building page with the errors over it", async () => {
  for (const path of ["", "2025/01/first/", "no/such/page/"]) {
    const res = await page.goto(base + path);
    assert.equal(res.status(), 503, path);
    assert.equal(await page.title(), "Building the site", path);
  }
  const overlay = page.locator("#digest-error-overlay");
  await overlay.waitFor({ state: "visible", timeout: 10000 });
  assert.match(await overlay.textContent(), /first\.md:3:8: `soon` is not a date/);
});

test("fixing the content turns the building page into the site without a manual reload", async () => {
  await page.goto(base);
  await page.waitForFunction(() => window.__digestLive && window.__digestLive.readyState === 1);
  write(article, '+++\ntitle = "First story"\ndate = 2025-01-31\n+++\nBody.\n');
  await page.waitForFunction(() => document.title === "Building Digest", null, { timeout: 15000 });
  assert.equal(await page.locator("#digest-error-overlay").count(), 0);
  assert.ok((await page.textContent("main")).includes("First story"));
});
