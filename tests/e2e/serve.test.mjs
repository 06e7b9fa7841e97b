// End-to-end test of `digest serve` in a real headless Chromium: an edit shows up without
// a manual reload, a broken article shows the error overlay and fixing it clears it, a
// stylesheet change is swapped in place, and the server refuses unsafe paths and methods.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import net from "node:net";
import { write, serve, openBrowser, stop } from "./support.mjs";

const site = mkdtempSync(join(tmpdir(), "digest-e2e-"));
const article = join(site, "content/articles/launch.md");
let server, base, browser, page;

function articleText(body) {
  return `+++\ntitle = "Model launch"\ndate = 2025-01-31\ncompanies = ["OpenAI"]\n+++\n${body}\n`;
}

before(async () => {
  write(join(site, "config.toml"), 'title = "E2E Digest"\nbase_url = "https://example.github.io/sub/"\n');
  write(article, articleText("The first version of the text."));
  write(join(site, "templates/style.css"), "body { color: rgb(10, 20, 30); }\n");
  ({ server, base } = await serve(site));
  ({ browser, page } = await openBrowser());
});

after(() => stop({ browser, server, site }));

test("serves under the base path", async () => {
  assert.match(base, /\/sub\/$/);
  await page.goto(base + "2025/01/launch/");
  assert.equal(await page.locator("h1").textContent(), "Model launch");
  await page.waitForFunction(() => window.__digestLive && window.__digestLive.readyState === 1);
});

test("an edit appears without a manual reload", async () => {
  write(article, articleText("The second version, edited live."));
  await page.waitForFunction(() => document.body.innerText.includes("The second version, edited live."), null, { timeout: 10000 });
});

test("broken front matter shows the overlay; fixing it clears it", async () => {
  write(article, '+++\ntitle = "Model launch"\ndate = "not a date"\n+++\nBroken.\n');
  const overlay = page.locator("#digest-error-overlay");
  await overlay.waitFor({ state: "visible", timeout: 10000 });
  assert.match(await overlay.textContent(), /launch\.md:3:8: `not a date` is not a date/);
  // The last good page is still there underneath.
  assert.ok((await page.textContent("body")).includes("The second version, edited live."));
  write(article, articleText("The third version, fixed."));
  await page.waitForFunction(() => document.body.innerText.includes("The third version, fixed."), null, { timeout: 10000 });
  await page.waitForFunction(() => window.__digestLive && window.__digestLive.readyState === 1);
  assert.equal(await page.locator("#digest-error-overlay").count(), 0);
});

test("a stylesheet change is swapped in place without a reload", async () => {
  await page.evaluate(() => { window.__notReloaded = true; });
  write(join(site, "templates/style.css"), "body { color: rgb(200, 0, 0); }\n");
  await page.waitForFunction(() => getComputedStyle(document.body).color === "rgb(200, 0, 0)", null, { timeout: 10000 });
  assert.equal(await page.evaluate(() => window.__notReloaded), true);
});

test("a deleted article is gone at once", async () => {
  rmSync(article);
  await page.waitForFunction(() => document.title.startsWith("Page not found"), null, { timeout: 10000 });
  const res = await page.request.get(base + "2025/01/launch/");
  assert.equal(res.status(), 404);
});

// Raw requests, so that no client tidies the path first.
function raw(request) {
  const { hostname, port } = new URL(base);
  return new Promise((ok, fail) => {
    const socket = net.connect(Number(port), hostname, () => socket.write(request));
    socket.setTimeout(5000, () => socket.destroy());
    let data = "";
    socket.on("data", (d) => (data += d));
    socket.on("close", () => ok(data));
    socket.on("error", fail);
  });
}

test("unsafe paths and methods are refused", async () => {
  for (const path of ["/sub/../../etc/passwd", "/sub/%2e%2e/%2e%2e/etc/passwd", "/sub/..%2f..%2fetc%2fpasswd", "/sub/..\\..\\etc\\passwd", "//etc/passwd", "/sub/%2fetc%2fpasswd"]) {
    const reply = await raw(`GET ${path} HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n`);
    // Refused with 400 or 404, or (for bytes no URI may hold) the connection closed unanswered.
    const status = reply === "" ? "closed" : Number(reply.split(" ")[1]);
    assert.ok([400, 404, "closed"].includes(status), `${path} -> ${status}`);
    assert.ok(!reply.includes("root:"), `${path} leaked a file`);
  }
  for (const method of ["POST", "PUT", "DELETE"]) {
    const reply = await raw(`${method} /sub/ HTTP/1.1\r\nHost: localhost\r\nContent-Length: 0\r\nConnection: close\r\n\r\n`);
    assert.match(reply, /^HTTP\/1\.1 405/, method);
  }
  const head = await raw("HEAD /sub/ HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n");
  assert.match(head, /^HTTP\/1\.1 200/);
  assert.match(head, /content-type: text\/html/i);
});
