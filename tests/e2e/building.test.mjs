// End-to-end test of what `digest serve` shows before its first good build, in a real
// headless Chromium: any page is the "Building the site" page (503), with the build's errors
// over it when that build failed; fixing the content turns it into the site by itself.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { write, serve, openBrowser, stop } from "./support.mjs";

const site = mkdtempSync(join(tmpdir(), "digest-e2e-building-"));
const article = join(site, "content/articles/first.md");
let server, base, browser, page;

before(async () => {
  write(join(site, "config.toml"), 'title = "Building Digest"\nbase_url = "https://example.github.io/"\n');
  // The first build fails: no good build, so no site to serve yet.
  write(article, '+++\ntitle = "First story"\ndate = "soon"\n+++\nBody.\n');
  ({ server, base } = await serve(site, { quiet: true }));
  ({ browser, page } = await openBrowser());
});

after(() => stop({ browser, server, site }));

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
