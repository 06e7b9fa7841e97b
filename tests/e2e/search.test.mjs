// End-to-end test of the search page in a real headless Chromium, on a site built with a
// project sub-path: typing a word from an article's summary finds it, the company filter
// narrows the results, and the results link to the articles under the sub-path.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { write, serve, openBrowser, stop } from "./support.mjs";

const site = mkdtempSync(join(tmpdir(), "digest-search-"));
let server, base, browser, page;

function article(file, title, date, company, summary) {
  write(
    join(site, "content/articles", file),
    `+++\ntitle = "${title}"\ndate = ${date}\ncompanies = ["${company}"]\nsummary = "${summary}"\n+++\nBody.\n`,
  );
}

before(async () => {
  write(join(site, "config.toml"), 'title = "Search Digest"\nbase_url = "https://example.github.io/ai-digest/"\n');
  article("r1.md", "DeepSeek ships R1", "2025-01-20", "DeepSeek", "An open-weight reasoning model under the MIT license.");
  article("o3.md", "OpenAI ships o3-mini", "2025-01-31", "OpenAI", "A cheaper reasoning model for free ChatGPT users.");
  article("gpu.md", "Nvidia sell-off", "2025-01-27", "Nvidia", "Chip stocks fall on efficiency fears.");
  ({ server, base } = await serve(site));
  ({ browser, page } = await openBrowser());
});

after(() => stop({ browser, server, site }));

async function results() {
  return page.locator("#results li a").allTextContents();
}

test("a word from a summary finds its article", async () => {
  await page.goto(base + "search/");
  await page.fill("#q", "license");
  await page.waitForFunction(() => document.querySelectorAll("#results li").length === 1, null, { timeout: 10000 });
  assert.deepEqual(await results(), ["DeepSeek ships R1"]);
  const href = await page.locator("#results li a").first().getAttribute("href");
  assert.equal(href, "/ai-digest/2025/01/r1/");
});

test("the company filter narrows the results", async () => {
  await page.fill("#q", "reasoning");
  await page.waitForFunction(() => document.querySelectorAll("#results li").length === 2, null, { timeout: 10000 });
  await page.selectOption("#company", { label: "OpenAI" });
  await page.waitForFunction(() => document.querySelectorAll("#results li").length === 1, null, { timeout: 10000 });
  assert.deepEqual(await results(), ["OpenAI ships o3-mini"]);
});

test("a word nobody wrote finds nothing, and says so", async () => {
  await page.selectOption("#company", "");
  await page.fill("#q", "zeppelin");
  await page.waitForFunction(() => document.querySelectorAll("#results li").length === 0, null, { timeout: 10000 });
  assert.match(await page.locator("#search-status").textContent(), /no|0/i);
});
