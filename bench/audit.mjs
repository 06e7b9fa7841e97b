// Helper of bench/audit.sh: runs axe-core in each page (light and dark color scheme) through
// playwright-core and Debian's chromium, reads the Lighthouse JSON reports that audit.sh
// wrote, prints one table and every finding, and exits 1 when a page has an axe violation or
// less than 100 in accessibility, best-practices or seo.
//
//   node bench/audit.mjs --deps DIR --base URL --reports DIR -- =PAGE...   (PAGE relative to URL)
import { createRequire } from 'node:module';
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';

const args = process.argv.slice(2);
const opt = (name) => { const i = args.indexOf(name); return i >= 0 ? args[i + 1] : undefined; };
const deps = path.resolve(opt('--deps'));
const base = opt('--base');
const reports = opt('--reports');
const pages = args.slice(args.indexOf('--') + 1).map((p) => p.replace(/^=/, ''));

const require = createRequire(path.join(deps, 'package.json'));
const { chromium } = require('playwright-core');
const axeSource = readFileSync(require.resolve('axe-core/axe.min.js'), 'utf8');

const slug = (p) => p.replace(/\/$/, '').replaceAll('/', '_') || 'home';
const CATS = ['performance', 'accessibility', 'best-practices', 'seo'];
const FORMS = ['desktop', 'mobile'];

const browser = await chromium.launch({
  executablePath: process.env.CHROME_PATH || '/usr/bin/chromium',
  args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking',
    '--disable-component-update', '--disable-sync', '--no-first-run'],
});

const rows = [];
const findings = [];
const hints = new Map();
let failed = false;
try {
  for (const page of pages) {
    const row = { page: '/' + page, lh: {}, axe: {} };
    for (const scheme of ['light', 'dark']) {
      const context = await browser.newContext({ colorScheme: scheme, viewport: { width: 1280, height: 900 } });
      const tab = await context.newPage();
      const resp = await tab.goto(base + page, { waitUntil: 'load' });
      if (!resp || !resp.ok()) throw new Error(`${base + page}: HTTP ${resp && resp.status()}`);
      await tab.emulateMedia({ colorScheme: scheme });
      await tab.evaluate(axeSource);
      const result = await tab.evaluate(() => window.axe.run(document, { resultTypes: ['violations'] }));
      row.axe[scheme] = result.violations.length;
      for (const v of result.violations) {
        failed = true;
        const where = v.nodes.slice(0, 4).map((n) => n.target.join(' ')).join(' | ');
        findings.push(`axe ${scheme.padEnd(5)} /${page}: ${v.id} (${v.impact}, ${v.nodes.length} node${v.nodes.length === 1 ? '' : 's'}): ${v.help} -- ${where}`);
        const first = v.nodes[0] && v.nodes[0].failureSummary;
        if (first) findings.push('      ' + first.split('\n').slice(0, 3).join(' / '));
      }
      await context.close();
    }
    for (const form of FORMS) {
      const file = path.join(reports, `lh-${slug(page)}-${form}.json`);
      if (!existsSync(file)) continue;
      const lhr = JSON.parse(readFileSync(file, 'utf8'));
      row.lh[form] = {};
      for (const cat of CATS) {
        const c = lhr.categories[cat];
        const score = c && c.score !== null ? Math.round(c.score * 100) : null;
        row.lh[form][cat] = score;
        if (!c) continue;
        if (cat !== 'performance' && score !== 100) failed = true;
        for (const ref of c.auditRefs) {
          const a = lhr.audits[ref.id];
          if (a.score === null || a.score >= (cat === 'performance' ? 0.9 : 1)) continue;
          if (a.scoreDisplayMode === 'informative' || a.scoreDisplayMode === 'notApplicable' || a.scoreDisplayMode === 'manual') continue;
          const items = (a.details && a.details.items || []).slice(0, 3)
            .map((it) => (it.node && (it.node.selector || it.node.snippet)) || it.url || (it.sourceLocation && it.sourceLocation.url) || it.source || it.description || '')
            .filter(Boolean).map((s) => String(s).replace(base, '/').slice(0, 90));
          if (ref.weight === 0) {
            // Unweighted hints (performance opportunities mostly): once per audit, with its pages.
            const key = `${cat} ${a.id}`;
            if (!hints.has(key)) hints.set(key, { detail: items.join(' | '), pages: new Set() });
            hints.get(key).pages.add(`/${page} ${form}`);
            continue;
          }
          findings.push(`lh  ${form.padEnd(7)} /${page}: [${cat}] ${a.id} (${a.displayValue || 'score ' + a.score})${items.length ? ' -- ' + items.join(' | ') : ''}`);
        }
      }
      if (lhr.runtimeError) findings.push(`lh  ${form} /${page}: runtime error ${lhr.runtimeError.code}`);
    }
    rows.push(row);
  }
} finally {
  await browser.close();
}

// --- table -----------------------------------------------------------------------------
const cell = (v) => (v === undefined || v === null ? '-' : String(v));
const header = ['page', 'desktop perf', 'a11y', 'bp', 'seo', 'mobile perf', 'a11y', 'bp', 'seo', 'axe light', 'axe dark'];
const lines = rows.map((r) => [r.page,
  ...FORMS.flatMap((f) => CATS.map((c) => cell(r.lh[f] && r.lh[f][c]))),
  cell(r.axe.light), cell(r.axe.dark)]);
console.log('| ' + header.join(' | ') + ' |');
console.log('|' + header.map((h, i) => (i === 0 ? ' --- ' : ' ---: ')).join('|') + '|');
for (const l of lines) console.log('| ' + l.join(' | ') + ' |');
console.log('');
console.log('Lighthouse scores are 0-100 (- = not run); axe columns count violated rules.');
if (findings.length) {
  console.log('\nFindings (axe violations; weighted Lighthouse audits below 1, performance ones below 0.9):');
  for (const f of findings) console.log('  ' + f);
} else {
  console.log('\nNo findings.');
}
if (hints.size) {
  console.log('\nUnweighted Lighthouse hints (no effect on the scores):');
  for (const [key, h] of hints) console.log(`  ${key}: ${h.pages.size} run${h.pages.size === 1 ? '' : 's'}${h.detail ? ' -- e.g. ' + h.detail : ''}`);
}
process.exit(failed ? 1 : 0);
