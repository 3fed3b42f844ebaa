#!/usr/bin/env node
// Checks the pack index's search in headless Chromium, with the page's own
// Content-Security-Policy in force (a script whose hash it does not name
// would not run, and the search would do nothing):
//
//   1. at 390 CSS pixels wide (a phone), the search box shows, typing QUERY
//      leaves exactly the rows named, and the page does not scroll sideways;
//      With no EXPECTED_NAME, the page says "No practice matches". At
//      that width the table's caption runs the width of the page, and no
//      link label wraps within itself;
//   2. with scripts off, every practice is listed and the box stays hidden.
//
// Usage: node tests/a11y/search.mjs INDEX.html QUERY EXPECTED_NAME...
// Prints one JSON object; exit code 0 when all holds, 1 when not, 2 when
// the check could not run.

import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';

import { browser } from './browser.mjs';

const [file, query, ...expected] = process.argv.slice(2);
if (!file || query === undefined) {
  process.stderr.write('usage: node tests/a11y/search.mjs INDEX.html QUERY EXPECTED_NAME...\n');
  process.exit(2);
}

const { chromium, browserPath } = await browser('search check');

const url = pathToFileURL(resolve(file)).href;
const problems = [];
const report = {};

async function open(javaScriptEnabled) {
  const profile = mkdtempSync(join(tmpdir(), 'policypack-search-'));
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: browserPath,
    headless: true,
    args: ['--no-sandbox', '--disable-gpu', '--no-first-run'],
    offline: true,
    javaScriptEnabled,
    viewport: { width: 390, height: 844 },
    locale: 'en-GB',
  });
  const page = context.pages()[0] ?? (await context.newPage());
  const violations = [];
  page.on('console', (message) => {
    if (/Content Security Policy/i.test(message.text())) violations.push(message.text());
  });
  await page.goto(url, { waitUntil: 'load' });
  return {
    page,
    violations,
    close: async () => {
      await context.close();
      rmSync(profile, { recursive: true, force: true });
    },
  };
}

const rows = (page) =>
  page.evaluate(() => ({
    all: document.querySelectorAll('tbody tr').length,
    shown: [...document.querySelectorAll('tbody tr')]
      .filter((row) => row.getBoundingClientRect().height > 0)
      .map((row) => row.querySelector('th').firstChild.textContent.trim()),
    searchVisible: !!document.getElementById('q') && document.getElementById('q').getBoundingClientRect().height > 0,
    scrollWidth: document.documentElement.scrollWidth,
    width: document.documentElement.clientWidth,
    captionWidth: document.querySelector('caption')?.getBoundingClientRect().width ?? 0,
    mainWidth: document.querySelector('main')?.clientWidth ?? 0,
    wrappedLabels: [...document.querySelectorAll('ul.formats a')]
      .filter((a) => a.getClientRects().length > 1)
      .map((a) => a.textContent),
  }));

try {
  const on = await open(true);
  const before = await rows(on.page);
  report.rows = before.all;
  if (!before.searchVisible) problems.push('with scripts on, the search box is not shown');
  if (before.scrollWidth > before.width) {
    problems.push(`at 390px the page is ${before.scrollWidth}px wide and scrolls sideways`);
  }
  if (before.captionWidth < before.mainWidth * 0.8) {
    problems.push(`at 390px the caption is ${before.captionWidth}px wide in a page ${before.mainWidth}px wide`);
  }
  if (before.wrappedLabels.length) {
    problems.push(`at 390px these link labels wrap: ${JSON.stringify(before.wrappedLabels)}`);
  }
  if (before.searchVisible) {
    await on.page.fill('#q', query);
    const after = await rows(on.page);
    report.shown = after.shown;
    report.status = await on.page.textContent('#shown');
    if (!expected.length && !report.status.startsWith('No practice matches')) {
      problems.push(`typing "${query}" finds nothing but the page says "${report.status}"`);
    }
    const want = [...expected].sort();
    if (JSON.stringify([...after.shown].sort()) !== JSON.stringify(want)) {
      problems.push(`typing "${query}" shows ${JSON.stringify(after.shown)}, not ${JSON.stringify(want)}`);
    }
    await on.page.fill('#q', '');
    const cleared = await rows(on.page);
    if (cleared.shown.length !== cleared.all) problems.push('clearing the box does not show every practice again');
  }
  for (const v of on.violations) problems.push(`CSP: ${v}`);
  await on.close();

  const off = await open(false);
  const plain = await rows(off.page);
  if (plain.searchVisible) problems.push('with scripts off, the search box shows but cannot work');
  if (plain.shown.length !== plain.all) problems.push('with scripts off, not every practice is listed');
  await off.close();
} catch (error) {
  process.stderr.write(`search check could not drive Chromium: ${error.message}\n`);
  process.exit(2);
}

report.problems = problems;
process.stdout.write(`${JSON.stringify(report)}\n`);
process.exit(problems.length ? 1 : 0);
